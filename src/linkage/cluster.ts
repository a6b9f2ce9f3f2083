// Clustering that does not chain. Connected components over every link above the threshold would
// join A and C through B even when A and C are plainly two people (twins sharing an address, a
// parent and child with the same name). Instead links are merged strongest first, and a merge is
// refused when the two clusters hold a pair with hard evidence against: different valid NHS
// numbers, or a compared pair whose own evidence is strongly against. Refusals are reported so a
// person can review them.

export interface ScoredPairs {
  readonly count: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Match weight (log2 posterior odds) per pair. */
  readonly weight: Float32Array | Float64Array;
}

export interface ClusterOptions {
  /** Probability at or above which a pair is linked automatically. */
  readonly threshold: number;
  /**
   * Log2 Bayes factor (the evidence, prior excluded) below which a compared pair is hard evidence
   * that the two records are different people.
   */
  readonly conflictEvidence: number;
  /** Log2 prior odds, subtracted from a pair's weight to get its evidence. */
  readonly priorWeight: number;
  /** Valid NHS numbers of record i. */
  readonly nhsNumbersOf: (record: number) => readonly string[];
  /**
   * Pairs of records known to be two people whatever their scores say: named side by side in the
   * same incident, or decided "different people" by a reviewer.
   */
  readonly cannotLink?: readonly (readonly [number, number])[];
}

export type RefusalReason = 'different_nhs_numbers' | 'evidence_against' | 'known_apart';

export interface RefusedMerge {
  /** The link that was refused (record indices) and its probability. */
  readonly left: number;
  readonly right: number;
  readonly probability: number;
  readonly reason: RefusalReason;
  /** The pair, one record in each cluster, that stood in the way. */
  readonly conflict: readonly [number, number];
}

export interface Clustering {
  /** Per record, its cluster: the smallest record index in the cluster. */
  readonly clusterOf: Int32Array;
  readonly clusterCount: number;
  readonly refused: readonly RefusedMerge[];
}

export const DEFAULT_CONFLICT_EVIDENCE = -10;

interface ConflictGraph {
  readonly offsets: Int32Array;
  readonly partners: Int32Array;
  /** Per entry of `partners`: 1 when the pair is known apart rather than scored against. */
  readonly knownApart: Uint8Array;
}

/** Pairs with evidence below the bound, and pairs known apart, as adjacency lists in compressed rows. */
function conflictGraph(recordCount: number, pairs: ScoredPairs, bound: number, apart: readonly (readonly [number, number])[]): ConflictGraph {
  const offsets = new Int32Array(recordCount + 1);
  for (let p = 0; p < pairs.count; p++) {
    if (pairs.weight[p]! >= bound) continue;
    offsets[pairs.left[p]! + 1]!++;
    offsets[pairs.right[p]! + 1]!++;
  }
  for (const [i, j] of apart) {
    offsets[i + 1]!++;
    offsets[j + 1]!++;
  }
  for (let i = 0; i < recordCount; i++) offsets[i + 1]! += offsets[i]!;
  const partners = new Int32Array(offsets[recordCount]!);
  const knownApart = new Uint8Array(partners.length);
  const fill = offsets.slice(0, recordCount);
  for (let p = 0; p < pairs.count; p++) {
    if (pairs.weight[p]! >= bound) continue;
    const i = pairs.left[p]!;
    const j = pairs.right[p]!;
    partners[fill[i]!++] = j;
    partners[fill[j]!++] = i;
  }
  for (const [i, j] of apart) {
    knownApart[fill[i]!] = 1;
    partners[fill[i]!++] = j;
    knownApart[fill[j]!] = 1;
    partners[fill[j]!++] = i;
  }
  return { offsets, partners, knownApart };
}

export function clusterPairs(recordCount: number, pairs: ScoredPairs, options: ClusterOptions): Clustering {
  const thresholdWeight = Math.log2(options.threshold / (1 - options.threshold));
  const links: number[] = [];
  for (let p = 0; p < pairs.count; p++) if (pairs.weight[p]! >= thresholdWeight) links.push(p);
  links.sort((x, y) => pairs.weight[y]! - pairs.weight[x]!);

  const conflicts = conflictGraph(recordCount, pairs, options.priorWeight + options.conflictEvidence, options.cannotLink ?? []);
  const parent = Int32Array.from({ length: recordCount }, (_, i) => i);
  const members: number[][] = Array.from({ length: recordCount }, (_, i) => [i]);
  const nhs: (readonly string[])[] = Array.from({ length: recordCount }, (_, i) => options.nhsNumbersOf(i));
  const find = (i: number): number => {
    while (parent[i] !== i) {
      const up = parent[i]!;
      parent[i] = parent[up]!;
      i = up;
    }
    return i;
  };

  const refused: RefusedMerge[] = [];
  for (const p of links) {
    let a = find(pairs.left[p]!);
    let b = find(pairs.right[p]!);
    if (a === b) continue;
    if (members[a]!.length < members[b]!.length) [a, b] = [b, a];
    const refusal = refusalBetween(a, b);
    if (refusal) {
      const weight = pairs.weight[p]!;
      refused.push({ left: pairs.left[p]!, right: pairs.right[p]!, probability: 1 / (1 + 2 ** -weight), ...refusal });
      continue;
    }
    parent[b] = a;
    for (const i of members[b]!) members[a]!.push(i);
    members[b] = [];
    if (nhs[a]!.length === 0) nhs[a] = nhs[b]!;
    else if (nhs[b]!.length > 0) nhs[a] = [...new Set([...nhs[a]!, ...nhs[b]!])];
  }

  function refusalBetween(large: number, small: number): { reason: RefusalReason; conflict: readonly [number, number] } | null {
    const x = nhs[large]!;
    const y = nhs[small]!;
    if (x.length > 0 && y.length > 0 && !x.some((n) => y.includes(n))) {
      const holder = (root: number, numbers: readonly string[]): number =>
        members[root]!.find((i) => options.nhsNumbersOf(i).some((n) => numbers.includes(n))) ?? root;
      return { reason: 'different_nhs_numbers', conflict: [holder(large, x), holder(small, y)] };
    }
    for (const i of members[small]!) {
      for (let q = conflicts.offsets[i]!; q < conflicts.offsets[i + 1]!; q++) {
        const j = conflicts.partners[q]!;
        if (find(j) === large) return { reason: conflicts.knownApart[q] === 1 ? 'known_apart' : 'evidence_against', conflict: [j, i] };
      }
    }
    return null;
  }

  // Records are visited in order, so the first member seen of a cluster is its smallest.
  const clusterOf = new Int32Array(recordCount);
  const smallestOfRoot = new Int32Array(recordCount).fill(-1);
  let clusterCount = 0;
  for (let i = 0; i < recordCount; i++) {
    const root = find(i);
    if (smallestOfRoot[root] === -1) {
      smallestOfRoot[root] = i;
      clusterCount++;
    }
    clusterOf[i] = smallestOfRoot[root]!;
  }
  return { clusterOf, clusterCount, refused };
}
