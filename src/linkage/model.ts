import { z } from 'zod';
import { LEVELS, type ComparisonKind, type ComparisonSpec } from './comparisons';
import type { TermFrequencyTable } from './frequencies';

/** One comparison with its estimated parameters, one entry per level. */
export interface ModelComparison extends ComparisonSpec {
  /** P(level | same person). */
  readonly m: readonly number[];
  /** P(level | different people). */
  readonly u: readonly number[];
}

/**
 * A Fellegi–Sunter model as stored (plain JSON): estimate once on a batch, keep it, and score
 * incoming records against candidates with it later.
 */
export interface LinkageModel {
  readonly version: 1;
  readonly comparisons: readonly ModelComparison[];
  /** Prior: the probability that two records drawn at random are the same person. */
  readonly lambda: number;
  /** By comparison name, for the comparisons with term-frequency adjustment. */
  readonly termFrequencies: Readonly<Record<string, TermFrequencyTable>>;
  readonly training: {
    readonly records: number;
    readonly candidatePairs: number;
    readonly sampledPairs: number;
    readonly iterations: number;
    readonly converged: boolean;
    /** The EM training sessions that ran: the pairs each used and the matches it found. */
    readonly sessions: readonly { readonly name: string; readonly pairs: number; readonly iterations: number; readonly expectedMatches: number }[];
  };
}

const kinds = Object.keys(LEVELS) as [ComparisonKind, ...ComparisonKind[]];
const probability = z.number().gt(0).lt(1);

const modelSchema = z.object({
  version: z.literal(1),
  comparisons: z.array(
    z
      .object({
        name: z.string().min(1),
        kind: z.enum(kinds),
        attributeIndex: z.number().int().min(-1),
        levels: z.array(z.string()),
        termFrequency: z.boolean(),
        m: z.array(probability),
        u: z.array(probability),
      })
      .refine((c) => c.m.length === c.levels.length && c.u.length === c.levels.length, 'm and u need one value per level')
      .refine((c) => c.levels.join() === LEVELS[c.kind].join(), 'levels do not match this version of the engine'),
  ),
  lambda: probability,
  termFrequencies: z.record(z.string(), z.object({ total: z.number().int().min(0), counts: z.record(z.string(), z.number().int().min(1)) })),
  training: z.object({
    records: z.number(),
    candidatePairs: z.number(),
    sampledPairs: z.number(),
    iterations: z.number(),
    converged: z.boolean(),
    sessions: z.array(z.object({ name: z.string(), pairs: z.number(), iterations: z.number(), expectedMatches: z.number() })),
  }),
});

/** Checks stored parameters (e.g. read back from the database) before they are used to score. */
export function parseModel(json: unknown): LinkageModel {
  return modelSchema.parse(json) as LinkageModel;
}
