// The record linkage engine's public surface. Batch: `linkRecords`. Incremental (one record on
// arrival against a registry): `normaliseRecord` → `blockingKeys` (look candidates up by them) →
// `Scorer.score` / `Scorer.explain` with a stored model (`parseModel`) → `differentNhsNumbers` and
// the refusal rules of `clusterPairs` before joining an existing person.

export { blockingKeys, Blocking, DEFAULT_BLOCKING_RULES, DEFAULT_MAX_BLOCK_SIZE, type BlockingRule, type LinkMode } from './blocking';
export { clusterPairs, DEFAULT_CONFLICT_EVIDENCE, type Clustering, type RefusedMerge } from './cluster';
export { compareRecords, differentNhsNumbers, MISSING } from './compare';
export { comparisonsFor, LEVELS, type ComparisonSpec } from './comparisons';
export { LinkInputError, readCsvFile, readCsvRecords, type ColumnMapping } from './csv';
export { parseDate } from './dates';
export { DEFAULT_TRAINING_SESSIONS, expectationMaximisation, type TrainingSession } from './estimate';
export { buildTermFrequencies, type TermFrequencyTable } from './frequencies';
export { DEFAULT_THRESHOLDS, linkRecords, type LinkOptions, type LinkResult, type Thresholds } from './link';
export { parseModel, type LinkageModel } from './model';
export { isValidNhsNumber } from './nhs';
export { nameTokens, normaliseRecord } from './normalise';
export { nameVariants } from './nicknames';
export { probabilityFromWeight, Scorer, type FieldExplanation, type PairExplanation, type PairScore } from './score';
export { FIELD_NAMES, type FieldName, type NormalisedRecord, type RawRecord } from './types';
