import { attributeNamesOf } from './comparisons';
import { compareRecords, MISSING } from './compare';
import { TermFrequencies, termValue } from './frequencies';
import type { LinkageModel, ModelComparison } from './model';
import type { NormalisedRecord } from './types';

export interface PairScore {
  /** Log2 of the posterior odds that the pair is one person (prior included). */
  readonly weight: number;
  readonly probability: number;
}

/** What one comparison contributed, for a review screen. */
export interface FieldExplanation {
  readonly comparison: string;
  /** The level reached, or null when a value is missing on either side (no evidence). */
  readonly level: string | null;
  /** Log2 Bayes factor: positive counts for the match, negative against. */
  readonly weight: number;
  readonly m: number | null;
  readonly u: number | null;
  /** Frequency of the agreed value when term-frequency adjustment replaced u. */
  readonly termFrequency: number | null;
}

export interface PairExplanation extends PairScore {
  /** Log2 prior odds, the starting point before any field is compared. */
  readonly priorWeight: number;
  readonly fields: readonly FieldExplanation[];
}

export function probabilityFromWeight(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

/**
 * A model compiled for fast scoring: a flat table of log2(m/u) per comparison and level, and
 * term-frequency look-ups. For exact agreement on a term-frequency comparison the table holds
 * log2(m) only; the pair adds -log2(frequency of the value).
 */
export class Scorer {
  readonly comparisons: readonly ModelComparison[];
  readonly attributeNames: readonly string[];
  readonly priorWeight: number;
  /** Levels per comparison in the flat table (the largest level count). */
  readonly stride: number;
  readonly table: Float64Array;
  private readonly frequencies: ReadonlyArray<TermFrequencies | null>;
  private readonly levels: Int8Array;

  constructor(readonly model: LinkageModel) {
    this.comparisons = model.comparisons;
    this.attributeNames = attributeNamesOf(model.comparisons);
    this.priorWeight = Math.log2(model.lambda / (1 - model.lambda));
    this.stride = Math.max(1, ...model.comparisons.map((c) => c.levels.length));
    this.table = new Float64Array(this.comparisons.length * this.stride);
    this.comparisons.forEach((c, k) => {
      c.levels.forEach((_, level) => {
        const m = c.m[level] ?? 1;
        const u = c.u[level] ?? 1;
        this.table[k * this.stride + level] = c.termFrequency && level === 0 ? Math.log2(m) : Math.log2(m / u);
      });
    });
    this.frequencies = this.comparisons.map((c) => {
      const table = model.termFrequencies[c.name];
      return c.termFrequency && table ? new TermFrequencies(table) : null;
    });
    this.levels = new Int8Array(this.comparisons.length);
  }

  /** -log2 of the frequency of the record's value for comparison k (the term-frequency bonus). */
  termBonus(k: number, record: NormalisedRecord): number {
    const frequencies = this.frequencies[k];
    if (!frequencies) return -Math.log2(this.comparisons[k]?.u[0] ?? 1);
    return -Math.log2(frequencies.frequency(termValue(this.comparisons[k]!, record)));
  }

  /** Sum of term-frequency bonuses for the comparisons that agree exactly in a vector. */
  termBonusOf(levels: Int8Array, offset: number, record: NormalisedRecord): number {
    let bonus = 0;
    for (let k = 0; k < this.comparisons.length; k++) {
      if (levels[offset + k] === 0 && this.comparisons[k]!.termFrequency) bonus += this.termBonus(k, record);
    }
    return bonus;
  }

  /** Match weight of a stored comparison vector; `bonus` is its term-frequency bonus. */
  weightOf(levels: Int8Array, offset: number, bonus: number): number {
    let weight = this.priorWeight + bonus;
    const stride = this.stride;
    for (let k = 0; k < this.comparisons.length; k++) {
      const level = levels[offset + k]!;
      if (level !== MISSING) weight += this.table[k * stride + level]!;
    }
    return weight;
  }

  score(a: NormalisedRecord, b: NormalisedRecord): PairScore {
    compareRecords(this.comparisons, a, b, this.levels);
    const weight = this.weightOf(this.levels, 0, this.termBonusOf(this.levels, 0, a));
    return { weight, probability: probabilityFromWeight(weight) };
  }

  explain(a: NormalisedRecord, b: NormalisedRecord): PairExplanation {
    const levels = compareRecords(this.comparisons, a, b);
    const fields = this.comparisons.map((c, k): FieldExplanation => {
      const level = levels[k]!;
      if (level === MISSING) return { comparison: c.name, level: null, weight: 0, m: null, u: null, termFrequency: null };
      const m = c.m[level] ?? 1;
      const frequency = c.termFrequency && level === 0 ? 2 ** -this.termBonus(k, a) : null;
      const u = frequency ?? c.u[level] ?? 1;
      return { comparison: c.name, level: c.levels[level] ?? String(level), weight: Math.log2(m / u), m, u: c.u[level] ?? null, termFrequency: frequency };
    });
    const weight = fields.reduce((sum, f) => sum + f.weight, this.priorWeight);
    return { weight, probability: probabilityFromWeight(weight), priorWeight: this.priorWeight, fields };
  }
}
