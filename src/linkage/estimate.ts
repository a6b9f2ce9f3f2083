import type { Blocking } from './blocking';
import { compareRecords, MISSING } from './compare';
import type { ComparisonSpec } from './comparisons';
import { seededRandom } from './random';
import type { NormalisedRecord } from './types';

// Parameter estimation without labels. The population is every pair the mode allows; blocking
// splits it into candidates (compared exactly) and the rest (known through a random sample).
// Matches are assumed to lie among the candidates, which is what blocking is designed for. m comes
// from EM training sessions on slices of the candidates; u and the prior lambda from EM over the
// whole population with m held, which takes the matches back out of u (see expectationMaximisation).

/** Candidate pairs with their comparison vectors, in flat typed arrays. */
export interface ComparedPairs {
  readonly count: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** `count × comparisons` levels (MISSING = -1). */
  readonly levels: Int8Array;
  /** Per pair, the term-frequency bonus (-log2 frequency of each value agreed exactly). */
  readonly bonus: Float32Array;
}

/** Level counts among the pairs outside the candidates, scaled to the whole outside population. */
export interface OutsideCounts {
  /** Index `k × stride + level`. */
  readonly counts: Float64Array;
  /** Per comparison: pairs with the value on both sides. */
  readonly nonMissing: Float64Array;
  readonly sampled: number;
}

/**
 * Levels whose m is fixed rather than estimated. One person has two valid NHS numbers only by an
 * entry error, and the number is the child's consistent identifier: about -40 bits, enough to
 * outweigh agreement on everything else (twins share surname, birthday and address).
 */
const FIXED_M: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  nhs_number: { different: 1e-12 },
};

/** m and u of a level never seen in the data: equal, so its weight is 0 (no evidence learnt). */
const UNSEEN = 1e-6;

export function levelStride(specs: readonly ComparisonSpec[]): number {
  return Math.max(1, ...specs.map((s) => s.levels.length));
}

/**
 * Compares pairs outside the candidates: all of them when there are few (up to five samples'
 * worth, as small data sets can afford it and gain from exact counts), otherwise a seeded random
 * sample, scaled up to the outside population.
 */
export function countOutsideCandidates(
  records: readonly NormalisedRecord[],
  blocking: Blocking,
  specs: readonly ComparisonSpec[],
  candidateCount: number,
  sampleSize: number,
  seed: number,
): OutsideCounts {
  const stride = levelStride(specs);
  const counts = new Float64Array(specs.length * stride);
  const nonMissing = new Float64Array(specs.length);
  const levels = new Int8Array(specs.length);
  const n = records.length;
  const outsidePopulation = blocking.populationSize() - candidateCount;
  let sampled = 0;
  const tally = (i: number, j: number): void => {
    compareRecords(specs, records[i]!, records[j]!, levels);
    for (let k = 0; k < specs.length; k++) {
      const level = levels[k]!;
      if (level === MISSING) continue;
      counts[k * stride + level]!++;
      nonMissing[k]!++;
    }
    sampled++;
  };
  if (outsidePopulation <= sampleSize * 5) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (isOutside(blocking, i, j)) tally(i, j);
  } else {
    const random = seededRandom(seed);
    // Rejection sampling: cheap, because candidates and same-source pairs are a small share.
    for (let attempts = 0; sampled < sampleSize && attempts < sampleSize * 20; attempts++) {
      const i = Math.floor(random() * n);
      const j = Math.floor(random() * n);
      if (isOutside(blocking, i, j)) tally(i, j);
    }
  }
  const scale = sampled === 0 ? 0 : outsidePopulation / sampled;
  for (let x = 0; x < counts.length; x++) counts[x]! *= scale;
  for (let k = 0; k < nonMissing.length; k++) nonMissing[k]! *= scale;
  return { counts, nonMissing, sampled };
}

function isOutside(blocking: Blocking, i: number, j: number): boolean {
  return i !== j && blocking.allows(i, j) && !blocking.isCandidate(i, j);
}

export interface EmInput {
  readonly specs: readonly ComparisonSpec[];
  readonly pairs: Pick<ComparedPairs, 'count' | 'levels' | 'bonus'>;
  readonly outside: OutsideCounts;
  /** Pairs in the whole population (candidates and the rest). */
  readonly populationSize: number;
}

/**
 * A training session estimates m on the candidate pairs that agree exactly on some comparisons,
 * leaving those out. Pairs with the same date of birth are mostly duplicates or strangers, so
 * they teach how names and addresses of duplicates differ; pairs with the same names teach how
 * dates of birth differ. Running EM on all candidates at once instead lets it settle on
 * "same household" (same surname and address) as the matching class.
 */
export interface TrainingSession {
  readonly name: string;
  /** Comparison names that must agree exactly. */
  readonly agreeOn: readonly string[];
}

export const DEFAULT_TRAINING_SESSIONS: readonly TrainingSession[] = [
  { name: 'same date of birth', agreeOn: ['dob'] },
  { name: 'same names', agreeOn: ['given_name', 'family_name'] },
  { name: 'same NHS number', agreeOn: ['nhs_number'] },
  { name: 'same identifier', agreeOn: ['identifier'] },
];

export interface EmOptions {
  readonly sessions?: readonly TrainingSession[];
  readonly maxIterations?: number;
  /** Stop when no parameter moves by more than this (the prior: relative change). */
  readonly tolerance?: number;
}

export interface SessionReport {
  readonly name: string;
  readonly pairs: number;
  readonly iterations: number;
  readonly expectedMatches: number;
}

export interface EmResult {
  readonly m: number[][];
  readonly u: number[][];
  readonly lambda: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly sessions: readonly SessionReport[];
}

// A half-pair pseudo-count per level keeps rare levels away from 0 and 1 (an infinite weight).
const PSEUDO_COUNT = 0.5;
// Sessions with fewer pairs than this say too little to estimate from.
const MIN_SESSION_PAIRS = 20;
const ROUNDS = 2;

/** A starting m: most matches agree exactly, few disagree outright. */
function initialM(levelCount: number): number[] {
  const partial = levelCount > 2 ? 0.15 / (levelCount - 2) : 0;
  return Array.from({ length: levelCount }, (_, l) => (l === 0 ? 0.8 : l === levelCount - 1 ? 0.05 : partial));
}

/**
 * Makes m and u proper distributions after an update: fixed levels take their fixed m, levels
 * never observed are neutral, and the remaining levels share what is left.
 */
function finalise(spec: ComparisonSpec, observed: (level: number) => boolean, m: number[], u: number[]): void {
  const fixed = FIXED_M[spec.kind] ?? {};
  let reservedM = 0;
  let freeM = 0;
  let reservedU = 0;
  let freeU = 0;
  spec.levels.forEach((label, l) => {
    const value = fixed[label];
    if (value !== undefined) {
      m[l] = value;
      reservedM += value;
      freeU += u[l]!;
    } else if (!observed(l)) {
      m[l] = UNSEEN;
      u[l] = UNSEEN;
      reservedM += UNSEEN;
      reservedU += UNSEEN;
    } else {
      freeM += m[l]!;
      freeU += u[l]!;
    }
  });
  spec.levels.forEach((label, l) => {
    if (!observed(l) && fixed[label] === undefined) return;
    if (fixed[label] === undefined) m[l] = (m[l]! / freeM) * (1 - reservedM);
    u[l] = (u[l]! / freeU) * (1 - reservedU);
  });
}

/**
 * The distinct comparison vectors among the candidates. Millions of pairs share a few thousand
 * vectors, so EM works per vector (with each pair's own term-frequency bonus where it applies).
 */
interface Patterns {
  readonly count: number;
  /** `count × K` levels. */
  readonly levels: Int8Array;
  /** Per candidate pair, its pattern. */
  readonly ofPair: Int32Array;
  /** Pairs per pattern. */
  readonly pairs: Float64Array;
}

function findPatterns(input: EmInput): Patterns {
  const K = input.specs.length;
  const { levels, count } = input.pairs;
  const ids = new Map<number | string, number>();
  const ofPair = new Int32Array(count);
  const firstPair: number[] = [];
  // Levels are at most 8 plus missing, so up to 16 comparisons pack exactly into a double.
  const packable = K <= 16;
  for (let p = 0; p < count; p++) {
    let key: number | string;
    if (packable) {
      key = 0;
      for (let k = 0; k < K; k++) key = key * 9 + levels[p * K + k]! + 1;
    } else {
      key = levels.subarray(p * K, p * K + K).join();
    }
    let id = ids.get(key);
    if (id === undefined) {
      id = firstPair.length;
      ids.set(key, id);
      firstPair.push(p);
    }
    ofPair[p] = id;
  }
  const patternLevels = new Int8Array(firstPair.length * K);
  firstPair.forEach((p, q) => patternLevels.set(levels.subarray(p * K, p * K + K), q * K));
  const pairs = new Float64Array(firstPair.length);
  for (let p = 0; p < count; p++) pairs[ofPair[p]!]!++;
  return { count: firstPair.length, levels: patternLevels, ofPair, pairs };
}

interface Context {
  readonly input: EmInput;
  readonly stride: number;
  readonly patterns: Patterns;
  /** Level counts among candidates and their totals per comparison. */
  readonly counts: Float64Array;
  readonly nonMissing: Float64Array;
  /** Was level l of comparison k seen anywhere (candidates or outside)? */
  readonly observed: (k: number) => (l: number) => boolean;
}

function countLevels(patterns: Patterns, K: number, stride: number, weights: Float64Array): { counts: Float64Array; nonMissing: Float64Array } {
  const counts = new Float64Array(K * stride);
  const nonMissing = new Float64Array(K);
  for (let q = 0; q < patterns.count; q++) {
    const weight = weights[q]!;
    if (weight === 0) continue;
    for (let k = 0; k < K; k++) {
      const level = patterns.levels[q * K + k]!;
      if (level === MISSING) continue;
      counts[k * stride + level]! += weight;
      nonMissing[k]! += weight;
    }
  }
  return { counts, nonMissing };
}

interface Parameters {
  m: number[][];
  u: number[][];
  lambda: number;
}

/**
 * Per pattern, the sum of its levels' weights: log2(m/u), or log2(m) alone where a term-frequency
 * bonus replaces u; comparisons in `skip` count for nothing.
 */
function patternWeights(context: Context, params: Parameters, withTermFrequency: boolean, skip: readonly boolean[]): Float64Array {
  const { specs } = context.input;
  const K = specs.length;
  const { patterns, stride } = context;
  const table = new Float64Array(K * stride);
  specs.forEach((s, k) => {
    for (let l = 0; l < s.levels.length; l++) {
      const m = params.m[k]![l]!;
      table[k * stride + l] = withTermFrequency && s.termFrequency && l === 0 ? Math.log2(m) : Math.log2(m / params.u[k]![l]!);
    }
  });
  const weights = new Float64Array(patterns.count);
  for (let q = 0; q < patterns.count; q++) {
    let weight = 0;
    for (let k = 0; k < K; k++) {
      const level = patterns.levels[q * K + k]!;
      if (level !== MISSING && !skip[k]) weight += table[k * stride + level]!;
    }
    weights[q] = weight;
  }
  return weights;
}

function probabilityOf(weight: number): number {
  return 1 / (1 + Math.exp(-weight * Math.LN2));
}

/**
 * EM for one session: the pairs agreeing exactly on the session's comparisons, scored on the
 * others with u held fixed; returns m for the others (null for the session's own).
 */
function runSession(context: Context, session: TrainingSession, params: Parameters, maxIterations: number, tolerance: number): { m: (number[] | null)[]; report: SessionReport } | null {
  const { specs } = context.input;
  const { patterns, stride } = context;
  const K = specs.length;
  if (!session.agreeOn.every((name) => specs.some((s) => s.name === name))) return null;
  const fixed = specs.map((s) => session.agreeOn.includes(s.name));
  // Pairs of each pattern in the session: all of them when the pattern agrees exactly where the session needs.
  const members = new Float64Array(patterns.count);
  let pairCount = 0;
  for (let q = 0; q < patterns.count; q++) {
    let agrees = true;
    for (let k = 0; k < K && agrees; k++) if (fixed[k] && patterns.levels[q * K + k] !== 0) agrees = false;
    if (agrees) {
      members[q] = patterns.pairs[q]!;
      pairCount += members[q]!;
    }
  }
  if (pairCount < MIN_SESSION_PAIRS) return null;

  const current: Parameters = { m: params.m.map((levels) => [...levels]), u: params.u, lambda: 0.3 };
  const mass = new Float64Array(patterns.count);
  let iterations = 0;
  let expectedMatches = 0;
  for (let change = Infinity; iterations < maxIterations && change >= tolerance; iterations++) {
    const weights = patternWeights(context, current, false, fixed);
    const prior = Math.log2(current.lambda / (1 - current.lambda));
    expectedMatches = 0;
    for (let q = 0; q < patterns.count; q++) {
      mass[q] = members[q] === 0 ? 0 : members[q]! * probabilityOf(prior + weights[q]!);
      expectedMatches += mass[q]!;
    }
    const matched = countLevels(patterns, K, stride, mass);
    change = 0;
    specs.forEach((s, k) => {
      if (fixed[k]) return;
      const L = s.levels.length;
      const next = Array.from({ length: L }, (_, l) => (matched.counts[k * stride + l]! + PSEUDO_COUNT) / (matched.nonMissing[k]! + PSEUDO_COUNT * L));
      finalise(s, context.observed(k), next, [...params.u[k]!]);
      for (let l = 0; l < L; l++) change = Math.max(change, Math.abs(next[l]! - current.m[k]![l]!));
      current.m[k] = next;
    });
    const nextLambda = Math.min(1 - 1e-9, Math.max(1e-9, expectedMatches / pairCount));
    change = Math.max(change, Math.abs(nextLambda - current.lambda));
    current.lambda = nextLambda;
  }
  return {
    m: current.m.map((levels, k) => (fixed[k] ? null : levels)),
    report: { name: session.name, pairs: pairCount, iterations, expectedMatches },
  };
}

/**
 * EM over the whole population (candidates compared, the rest known through the sample): updates
 * u and the prior, and m too when `updateM` (used when no session could run).
 */
function runPopulation(context: Context, params: Parameters, updateM: boolean, maxIterations: number, tolerance: number): { iterations: number; converged: boolean } {
  const { input, stride, patterns, counts, nonMissing } = context;
  const { specs, pairs, outside, populationSize } = input;
  const K = specs.length;
  const none = specs.map(() => false);
  const mass = new Float64Array(patterns.count);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const weights = patternWeights(context, params, true, none);
    const prior = Math.log2(params.lambda / (1 - params.lambda));
    mass.fill(0);
    let expectedMatches = 0;
    for (let p = 0; p < pairs.count; p++) {
      const q = patterns.ofPair[p]!;
      const probability = probabilityOf(prior + pairs.bonus[p]! + weights[q]!);
      mass[q]! += probability;
      expectedMatches += probability;
    }
    const matched = countLevels(patterns, K, stride, mass);
    let change = 0;
    specs.forEach((s, k) => {
      const L = s.levels.length;
      const nextM: number[] = [];
      const nextU: number[] = [];
      const nonMatchTotal = Math.max(0, nonMissing[k]! - matched.nonMissing[k]!) + outside.nonMissing[k]!;
      for (let l = 0; l < L; l++) {
        const x = k * stride + l;
        nextM.push(updateM ? (matched.counts[x]! + PSEUDO_COUNT) / (matched.nonMissing[k]! + PSEUDO_COUNT * L) : params.m[k]![l]!);
        const nonMatches = Math.max(0, counts[x]! - matched.counts[x]!) + outside.counts[x]!;
        nextU.push((nonMatches + PSEUDO_COUNT) / (nonMatchTotal + PSEUDO_COUNT * L));
      }
      finalise(s, context.observed(k), nextM, nextU);
      for (let l = 0; l < L; l++) {
        change = Math.max(change, Math.abs(nextM[l]! - params.m[k]![l]!), Math.abs(nextU[l]! - params.u[k]![l]!));
      }
      params.m[k] = nextM;
      params.u[k] = nextU;
    });
    const nextLambda = Math.min(0.5, Math.max(1e-12, expectedMatches / Math.max(1, populationSize)));
    change = Math.max(change, Math.abs(nextLambda - params.lambda) / params.lambda);
    params.lambda = nextLambda;
    converged = change < tolerance;
  }
  return { iterations, converged };
}

/**
 * Estimates m, u and the prior without labels. u starts from the population as if every pair were
 * a non-match; sessions estimate m; EM over the population then corrects u (removing the matches
 * from it) and sets the prior. Two rounds, so sessions see the corrected u.
 */
export function expectationMaximisation(input: EmInput, options: EmOptions = {}): EmResult {
  const { specs, pairs, outside, populationSize } = input;
  const K = specs.length;
  const stride = levelStride(specs);
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-4;
  const patterns = findPatterns(input);
  const { counts, nonMissing } = countLevels(patterns, K, stride, patterns.pairs);
  const observed = (k: number) => (l: number) => counts[k * stride + l]! + outside.counts[k * stride + l]! > 0;
  const context: Context = { input, stride, patterns, counts, nonMissing, observed };

  const params: Parameters = {
    m: specs.map((s) => initialM(s.levels.length)),
    u: specs.map((s, k) =>
      s.levels.map((_, l) => (counts[k * stride + l]! + outside.counts[k * stride + l]! + PSEUDO_COUNT) / (nonMissing[k]! + outside.nonMissing[k]! + PSEUDO_COUNT * s.levels.length)),
    ),
    // As if each candidate pair in ten were a match.
    lambda: Math.min(0.5, Math.max(1, pairs.count / 10) / Math.max(1, populationSize)),
  };
  specs.forEach((s, k) => finalise(s, observed(k), params.m[k]!, params.u[k]!));

  const sessions = options.sessions ?? DEFAULT_TRAINING_SESSIONS;
  let reports: SessionReport[] = [];
  let iterations = 0;
  let converged = false;
  for (let round = 0; round < ROUNDS; round++) {
    const results = sessions.flatMap((session) => runSession(context, session, params, maxIterations, tolerance) ?? []);
    reports = results.map((r) => r.report);
    // m of each comparison: the mean over the sessions that estimated it, weighted by how many
    // matches each found (a session on a shared identifier is nearly all matches).
    specs.forEach((s, k) => {
      let total = 0;
      const mean = new Array<number>(s.levels.length).fill(0);
      for (const { m, report } of results) {
        const estimate = m[k];
        if (!estimate) continue;
        total += report.expectedMatches;
        estimate.forEach((value, l) => (mean[l]! += value * report.expectedMatches));
      }
      if (total > 0) params.m[k] = mean.map((value) => value / total);
    });
    const population = runPopulation(context, params, results.length === 0, maxIterations, tolerance);
    iterations += population.iterations;
    converged = population.converged;
  }
  return { m: params.m, u: params.u, lambda: params.lambda, iterations, converged, sessions: reports };
}
