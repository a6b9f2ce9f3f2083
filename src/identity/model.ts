// The area's linkage model: estimated from the area's own records without labels (the engine's
// EM, src/linkage/estimate.ts), stored as JSON with when and from how many records, and compiled
// once per process for scoring. An area with too few records to learn from uses the starter
// model shipped with Hearth, estimated the same way on a generated demo area.
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { linkRecords, parseModel, Scorer, type LinkageModel, type RawRecord } from '../linkage';
import type { RecordFeatures } from './features';
import { fillRegistry } from './registry';

/** Below this many records an area's own estimate would be guesswork; the starter model is used. */
export const minimumRecordsToEstimate = 1_000;
/** Estimation reads at most this many records (a seeded random sample of a larger area). */
export const maximumRecordsToEstimate = 150_000;

export interface AreaModel {
  /** The stored model's id, or null for the starter model (not stored). */
  id: string | null;
  source: 'estimated' | 'starter';
  scorer: Scorer;
}

let starter: AreaModel | undefined;

export function starterModel(): AreaModel {
  starter ??= {
    id: null,
    source: 'starter',
    scorer: new Scorer(parseModel(JSON.parse(readFileSync(new URL('./starter-model.json', import.meta.url), 'utf8')))),
  };
  return starter;
}

// Stored models never change (a new estimate is a new row), so a compiled one is kept by id.
const compiled = new Map<string, Scorer>();
const compiledLimit = 64;

export async function storedModel(db: Kysely<Database>, id: string): Promise<AreaModel> {
  let scorer = compiled.get(id);
  if (!scorer) {
    const row = await db.selectFrom('identity_model').select('model').where('id', '=', id).executeTakeFirstOrThrow();
    scorer = new Scorer(parseModel(row.model));
    if (compiled.size >= compiledLimit) compiled.clear();
    compiled.set(id, scorer);
  }
  return { id, source: 'estimated', scorer };
}

/** The area's active model id, or null when it has none. */
export async function activeModelId(db: Kysely<Database>, areaId: string): Promise<string | null> {
  const row = await db.selectFrom('identity_model').select('id').where('area_id', '=', areaId).where('active', '=', true).executeTakeFirst();
  return row?.id ?? null;
}

export interface Estimate {
  model: LinkageModel;
  recordCount: number;
  seconds: number;
}

/**
 * Estimates a model from the area's records (after indexing any never indexed): every record, or
 * a seeded random sample when there are more than `maximumRecordsToEstimate`.
 */
export async function estimateAreaModel(db: Kysely<Database>, areaId: string, options: { maxRecords?: number } = {}): Promise<Estimate> {
  const started = performance.now();
  await fillRegistry(db, areaId);
  const limit = options.maxRecords ?? maximumRecordsToEstimate;
  // md5 of the id orders records in a fixed pseudo-random order: the same sample every time.
  const { rows } = await sql<{ agency_record_id: string; features: RecordFeatures }>`
    SELECT agency_record_id, features FROM identity_features WHERE area_id = ${areaId}
    ORDER BY md5(agency_record_id::text) LIMIT ${limit}`.execute(db);
  const model = estimateFromFeatures(rows.map((r) => ({ id: r.agency_record_id, features: r.features })));
  return { model, recordCount: rows.length, seconds: (performance.now() - started) / 1000 };
}

/** The engine's unlabelled estimation over records' features (names as recorded, aliases aside). */
export function estimateFromFeatures(records: readonly { id: string; features: RecordFeatures }[]): LinkageModel {
  const raw: RawRecord[] = records.map((r) => {
    const { aliases: _aliases, ...fields } = r.features;
    return { id: r.id, source: 0, fields };
  });
  return linkRecords(raw, { mode: 'dedupe', seed: 1 }).model;
}

/** Makes a model the area's active one; the previous one is kept, inactive. Returns the new id. */
export async function storeModel(
  db: Kysely<Database>, areaId: string,
  input: { model: LinkageModel; source: 'estimated' | 'starter'; recordCount: number; estimatedBy: string | null },
): Promise<string> {
  await db.updateTable('identity_model').set({ active: false }).where('area_id', '=', areaId).where('active', '=', true).execute();
  const row = await db
    .insertInto('identity_model')
    .values({ area_id: areaId, model: JSON.stringify(input.model), source: input.source, record_count: input.recordCount, estimated_by: input.estimatedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The model to score with in an area that has none stored: estimated from its records and stored
 * when it has enough of them, otherwise the starter model (not stored, so that the area gets its
 * own as soon as it can). Two arrivals estimating at once store one model: the second waits on
 * the first's row and keeps it.
 */
export async function firstModel(db: Kysely<Database>, areaId: string): Promise<AreaModel> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM agency_record WHERE area_id = ${areaId} LIMIT ${minimumRecordsToEstimate}) r`.execute(db);
  if ((rows[0]?.n ?? 0) < minimumRecordsToEstimate) return starterModel();
  const estimate = await estimateAreaModel(db, areaId);
  await sql`
    INSERT INTO identity_model (area_id, model, source, record_count)
    VALUES (${areaId}, ${JSON.stringify(estimate.model)}::jsonb, 'estimated', ${estimate.recordCount})
    ON CONFLICT (area_id) WHERE active DO NOTHING`.execute(db);
  const id = await activeModelId(db, areaId);
  if (!id) throw new Error('The estimated identity model was not stored');
  return storedModel(db, id);
}
