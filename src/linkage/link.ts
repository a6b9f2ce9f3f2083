import { Blocking, type BlockingRule, type LinkMode, type RuleStats } from './blocking';
import { clusterPairs, DEFAULT_CONFLICT_EVIDENCE, type Clustering } from './cluster';
import { compareRecords } from './compare';
import { attributeNamesOf, comparisonsFor, type ComparisonSpec } from './comparisons';
import { countOutsideCandidates, expectationMaximisation, type ComparedPairs } from './estimate';
import { buildTermFrequencies, TermFrequencies, termValue, type TermFrequencyTable } from './frequencies';
import type { LinkageModel } from './model';
import { normaliseRecord } from './normalise';
import { Scorer } from './score';
import { FIELD_NAMES, type FieldName, type NormalisedRecord, type RawRecord } from './types';

export interface Thresholds {
  /** Probability at or above which pairs are linked (and clustered) automatically. */
  readonly link: number;
  /** Probability at or above which pairs below `link` go to a person for review. */
  readonly review: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { link: 0.9, review: 0.5 };

export type LinkStage = 'blocking' | 'comparing' | 'sampling' | 'estimating' | 'scoring' | 'clustering';

export interface LinkOptions {
  /** `dedupe` finds duplicates within all records; `link` only pairs records of different sources. */
  readonly mode: LinkMode;
  readonly rules?: readonly BlockingRule[];
  readonly maxBlockSize?: number;
  readonly thresholds?: Partial<Thresholds>;
  /** Evidence (log2 Bayes factor) below which a compared pair blocks a cluster merge. */
  readonly conflictEvidence?: number;
  /** Record index pairs known to be two people (named together in one incident): never clustered together. */
  readonly cannotLink?: readonly (readonly [number, number])[];
  /** Random pairs compared to learn how often levels occur among non-matches. */
  readonly sampleSize?: number;
  readonly seed?: number;
  /** Score with these stored parameters instead of estimating new ones. */
  readonly model?: LinkageModel;
  readonly onProgress?: (stage: LinkStage, done: number, total: number) => void;
}

export interface LinkStats {
  readonly records: number;
  readonly candidatePairs: number;
  readonly links: number;
  readonly reviewPairs: number;
  readonly clusters: number;
  readonly refusedMerges: number;
  readonly blocking: readonly RuleStats[];
  /** Milliseconds per stage. */
  readonly timings: Readonly<Partial<Record<LinkStage, number>>>;
}

export interface ScoredComparedPairs extends ComparedPairs {
  readonly weight: Float32Array;
}

export interface LinkResult {
  readonly records: readonly NormalisedRecord[];
  readonly model: LinkageModel;
  readonly pairs: ScoredComparedPairs;
  readonly clustering: Clustering;
  readonly stats: LinkStats;
}

/** The fields that carry at least one value, and the attribute names in first-seen order. */
export function fieldsPresent(records: readonly RawRecord[]): { fields: Set<FieldName>; attributeNames: string[] } {
  const fields = new Set<FieldName>();
  const attributes = new Set<string>();
  for (const record of records) {
    for (const name of FIELD_NAMES) {
      if (name !== 'attribute' && record.fields[name]?.some((v) => v.trim() !== '')) fields.add(name);
    }
    for (const [name, value] of Object.entries(record.attributes ?? {})) if (value.trim() !== '') attributes.add(name);
  }
  if (attributes.size > 0) fields.add('attribute');
  return { fields, attributeNames: [...attributes] };
}

/** A typed array that grows by doubling, for pair lists of unknown length. */
class GrowableInt32 {
  data = new Int32Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Per record and term-frequency comparison, -log2 of how common the record's value is. */
function termBonuses(specs: readonly ComparisonSpec[], tables: Readonly<Record<string, TermFrequencyTable>>, records: readonly NormalisedRecord[]): Float64Array {
  const K = specs.length;
  const bonuses = new Float64Array(records.length * K);
  specs.forEach((spec, k) => {
    const table = tables[spec.name];
    if (!spec.termFrequency || !table) return;
    const frequencies = new TermFrequencies(table);
    records.forEach((record, i) => {
      const value = termValue(spec, record);
      if (value !== '') bonuses[i * K + k] = -Math.log2(frequencies.frequency(value));
    });
  });
  return bonuses;
}

const PROGRESS_STEP = 1 << 15;
export const DEFAULT_SAMPLE_SIZE = 100_000;

/**
 * The whole batch: normalise, block, compare, estimate the model (unless one is given), score
 * every candidate pair and cluster. Records are indexed in input order throughout.
 */
export function linkRecords(raw: readonly RawRecord[], options: LinkOptions): LinkResult {
  const timings: Partial<Record<LinkStage, number>> = {};
  const progress = options.onProgress ?? (() => undefined);
  let clock = performance.now();
  const lap = (stage: LinkStage): void => {
    const now = performance.now();
    timings[stage] = (timings[stage] ?? 0) + (now - clock);
    clock = now;
  };

  let specs: readonly ComparisonSpec[];
  let attributeNames: readonly string[];
  if (options.model) {
    specs = options.model.comparisons;
    attributeNames = attributeNamesOf(specs);
  } else {
    const present = fieldsPresent(raw);
    attributeNames = present.attributeNames;
    specs = comparisonsFor(present.fields, attributeNames);
  }
  const records = raw.map((r) => normaliseRecord(r, { attributeNames }));
  const K = specs.length;

  progress('blocking', 0, 1);
  const blocking = new Blocking(records, { mode: options.mode, rules: options.rules, maxBlockSize: options.maxBlockSize });
  const lefts = new GrowableInt32();
  const rights = new GrowableInt32();
  const ruleStats = blocking.forEachPair((i, j) => {
    lefts.push(i);
    rights.push(j);
  });
  const left = lefts.toArray();
  const right = rights.toArray();
  const count = left.length;
  lap('blocking');

  const termTables = options.model?.termFrequencies ?? buildTermFrequencies(specs, records);
  const recordBonus = termBonuses(specs, termTables, records);
  const levels = new Int8Array(count * K);
  const bonus = new Float32Array(count);
  for (let p = 0; p < count; p++) {
    const i = left[p]!;
    compareRecords(specs, records[i]!, records[right[p]!]!, levels, p * K);
    let b = 0;
    for (let k = 0; k < K; k++) if (levels[p * K + k] === 0) b += recordBonus[i * K + k]!;
    bonus[p] = b;
    if (p % PROGRESS_STEP === 0) progress('comparing', p, count);
  }
  progress('comparing', count, count);
  lap('comparing');

  let model = options.model;
  if (!model) {
    progress('sampling', 0, 1);
    const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
    const outside = countOutsideCandidates(records, blocking, specs, count, sampleSize, options.seed ?? 1);
    lap('sampling');
    progress('estimating', 0, 1);
    const em = expectationMaximisation({ specs, pairs: { count, levels, bonus }, outside, populationSize: blocking.populationSize() });
    model = {
      version: 1,
      comparisons: specs.map((s, k) => ({ ...s, m: em.m[k]!, u: em.u[k]! })),
      lambda: em.lambda,
      termFrequencies: termTables,
      training: {
        records: records.length,
        candidatePairs: count,
        sampledPairs: outside.sampled,
        iterations: em.iterations,
        converged: em.converged,
        sessions: em.sessions,
      },
    };
    lap('estimating');
  }

  const scorer = new Scorer(model);
  const weight = new Float32Array(count);
  for (let p = 0; p < count; p++) weight[p] = scorer.weightOf(levels, p * K, bonus[p]!);
  lap('scoring');

  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  progress('clustering', 0, 1);
  const pairs: ScoredComparedPairs = { count, left, right, levels, bonus, weight };
  const clustering = clusterPairs(records.length, pairs, {
    threshold: thresholds.link,
    conflictEvidence: options.conflictEvidence ?? DEFAULT_CONFLICT_EVIDENCE,
    priorWeight: scorer.priorWeight,
    nhsNumbersOf: (i) => records[i]!.nhsNumbers,
    cannotLink: options.cannotLink,
  });
  lap('clustering');

  const linkWeight = Math.log2(thresholds.link / (1 - thresholds.link));
  const reviewWeight = Math.log2(thresholds.review / (1 - thresholds.review));
  let links = 0;
  let reviewPairs = 0;
  for (let p = 0; p < count; p++) {
    if (weight[p]! >= linkWeight) links++;
    else if (weight[p]! >= reviewWeight) reviewPairs++;
  }
  return {
    records,
    model,
    pairs,
    clustering,
    stats: {
      records: records.length,
      candidatePairs: count,
      links,
      reviewPairs,
      clusters: clustering.clusterCount,
      refusedMerges: clustering.refused.length,
      blocking: ruleStats,
      timings,
    },
  };
}
