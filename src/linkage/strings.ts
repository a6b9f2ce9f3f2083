// String similarity measures for the inner comparison loop: they reuse module-level scratch
// buffers instead of allocating per call, because they run millions of times per batch.

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);
let rowPrev = new Int32Array(65);
let rowCurr = new Int32Array(65);
let rowBefore = new Int32Array(65);
// Character counts for the quick upper bound; indexed by UTF-16 code unit modulo its size.
const charCounts = new Int32Array(128);

function ensureScratch(length: number): void {
  if (length < flagsA.length) return;
  const size = length * 2;
  flagsA = new Uint8Array(size);
  flagsB = new Uint8Array(size);
  rowPrev = new Int32Array(size + 1);
  rowCurr = new Int32Array(size + 1);
  rowBefore = new Int32Array(size + 1);
}

/** Jaro similarity in [0, 1]; 0 when either string is empty. */
export function jaro(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (a === b) return 1;
  ensureScratch(Math.max(la, lb));
  // Local copies: reading module-level bindings in the loop is measurably slower.
  const matchedA = flagsA;
  const matchedB = flagsB;
  for (let i = 0; i < la; i++) matchedA[i] = 0;
  for (let j = 0; j < lb; j++) matchedB[j] = 0;
  const window = Math.max(0, ((la > lb ? la : lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const code = a.charCodeAt(i);
    const from = i > window ? i - window : 0;
    const to = i + window < lb - 1 ? i + window : lb - 1;
    for (let j = from; j <= to; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(j) === code) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3;
}

/** Jaro–Winkler similarity: Jaro boosted by a common prefix of up to four characters. */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j === 0) return 0;
  const limit = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/**
 * Jaro–Winkler similarity when it can reach `minimum`, else 0. Jaro cannot exceed what the
 * characters the strings have in common allow, and counting those is far cheaper than matching
 * them: most pairs of unrelated addresses and names are turned away by the count alone.
 */
export function jaroWinklerAtLeast(a: string, b: string, minimum: number): number {
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const counts = charCounts;
  for (let i = 0; i < la; i++) counts[a.charCodeAt(i) & 127]!++;
  let common = 0;
  for (let j = 0; j < lb; j++) {
    const slot = b.charCodeAt(j) & 127;
    if (counts[slot]! > 0) {
      counts[slot]!--;
      common++;
    }
  }
  for (let i = 0; i < la; i++) counts[a.charCodeAt(i) & 127] = 0;
  const jaroBound = (common / la + common / lb + 1) / 3;
  const limit = Math.min(4, la, lb);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  if (jaroBound + prefix * 0.1 * (1 - jaroBound) < minimum) return 0;
  return jaroWinkler(a, b);
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions) when it is at most
 * `max`, else `max + 1`. Stops as soon as the bound is exceeded.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (a === b) return 0;
  ensureScratch(Math.max(la, lb));
  for (let j = 0; j <= lb; j++) rowPrev[j] = j;
  for (let i = 1; i <= la; i++) {
    rowCurr[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let best = Math.min((rowPrev[j] ?? 0) + 1, (rowCurr[j - 1] ?? 0) + 1, (rowPrev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        best = Math.min(best, (rowBefore[j - 2] ?? 0) + 1);
      }
      rowCurr[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > max) return max + 1;
    const spare = rowBefore;
    rowBefore = rowPrev;
    rowPrev = rowCurr;
    rowCurr = spare;
  }
  const distance = rowPrev[lb] ?? max + 1;
  return distance > max ? max + 1 : distance;
}

/** True when two sorted integer arrays share a value. */
export function sortedIntersect(a: Int32Array, b: Int32Array): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}
