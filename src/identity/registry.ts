// The registry: each agency record's features and blocking keys. Resolution writes them as
// records arrive; this module writes them in bulk (seeding), fills them in for records that came
// in some other way (imports before identity resolution existed, test factories), and files the
// records already held under a blocking rule added since (`hearth identity reindex`).
import { sql, type Kysely } from 'kysely';
import { copyField, copyRows } from '../db/copy';
import type { CopyFrom } from '../db/database';
import type { Database } from '../db/schema';
import { blockingKeys } from '../linkage';
import { featuresOf, normalisedVariants, storedKeys, storedRules, type RecordFeatures } from './features';

export interface RegistryEntry {
  agencyRecordId: string;
  features: RecordFeatures;
  keys: readonly string[];
}

/** The features and keys of a record, ready to store. */
export function registryEntry(agencyRecordId: string, features: RecordFeatures): RegistryEntry {
  // Keys do not depend on the model's attributes, so none are needed here.
  return { agencyRecordId, features, keys: storedKeys(normalisedVariants(agencyRecordId, features, [])) };
}

/** Inserts registry rows in slices, each one round trip (unnest), features then keys. */
export async function writeRegistryEntries(db: Kysely<Database>, areaId: string, entries: readonly RegistryEntry[], sliceSize = 10_000): Promise<void> {
  for (let start = 0; start < entries.length; start += sliceSize) {
    const slice = entries.slice(start, start + sliceSize);
    await sql`
      INSERT INTO identity_features (agency_record_id, area_id, features)
      SELECT t.id, ${areaId}::uuid, t.features::jsonb
      FROM unnest(${slice.map((e) => e.agencyRecordId)}::uuid[], ${slice.map((e) => JSON.stringify(e.features))}::text[]) AS t(id, features)
      ON CONFLICT (agency_record_id) DO UPDATE SET features = EXCLUDED.features, updated_at = now()`.execute(db);
    const ids: string[] = [];
    const keys: string[] = [];
    for (const entry of slice) {
      for (const key of entry.keys) {
        ids.push(entry.agencyRecordId);
        keys.push(key);
      }
    }
    await sql`
      INSERT INTO identity_key (area_id, key, agency_record_id)
      SELECT ${areaId}::uuid, t.key, t.id FROM unnest(${keys}::text[], ${ids}::uuid[]) AS t(key, id)
      ON CONFLICT DO NOTHING`.execute(db);
  }
}

/**
 * The order in which to write a bulk load's keys: positions into the keys flattened record by
 * record, sorted by key. Written in the index's order, the keys fill its pages one after another
 * instead of each landing on a page at random (at county scale a random page is rarely in
 * PostgreSQL's buffers). Sorting takes about 2 s for a demo window's million keys, so the demo
 * sorts in its linker thread, which has time to spare, while the database is the busier.
 */
export function keyOrderOf(keys: readonly (readonly string[])[]): Uint32Array {
  const flat: string[] = [];
  for (const own of keys) for (const key of own) flat.push(key);
  const order = new Uint32Array(flat.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // Byte order: the C collation's (the keys are ASCII); under another collation still near enough for locality.
  return order.sort((a, b) => {
    const x = flat[a] as string;
    const y = flat[b] as string;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
}

/**
 * Writes the registry rows of records that have none yet by COPY (a bulk load of new records),
 * the keys in `keyOrder` (see keyOrderOf) when it is given.
 */
export async function copyNewRegistryEntries(copy: CopyFrom, areaId: string, entries: readonly RegistryEntry[], keyOrder?: ArrayLike<number>): Promise<void> {
  await copyRows(copy, 'identity_features', ['agency_record_id', 'area_id', 'features'],
    entries.map((e) => `${e.agencyRecordId}\t${areaId}\t${copyField(JSON.stringify(e.features))}`));
  const line = (key: string, recordId: string) => `${areaId}\t${copyField(key)}\t${recordId}`;
  function* keyLines(): Generator<string> {
    if (!keyOrder) {
      for (const entry of entries) for (const key of entry.keys) yield line(key, entry.agencyRecordId);
      return;
    }
    const flatKeys: string[] = [];
    const flatRecords: string[] = [];
    for (const entry of entries) {
      for (const key of entry.keys) {
        flatKeys.push(key);
        flatRecords.push(entry.agencyRecordId);
      }
    }
    if (keyOrder.length !== flatKeys.length) throw new Error(`The key order covers ${keyOrder.length} keys, but the records have ${flatKeys.length}`);
    for (let i = 0; i < keyOrder.length; i++) {
      const at = keyOrder[i] as number;
      yield line(flatKeys[at] as string, flatRecords[at] as string);
    }
  }
  await copyRows(copy, 'identity_key', ['area_id', 'key', 'agency_record_id'], keyLines());
}

interface StoredRecordRow {
  id: string;
  given_name: string | null;
  middle_names: string | null;
  family_name: string | null;
  aliases: string[];
  date_of_birth: string | null;
  expected_date_of_birth: string | null;
  sex: 'F' | 'M' | 'U' | null;
  nhs_number: string | null;
  phone: string | null;
  email: string | null;
  addresses: { line1: string; postcode: string | null }[] | null;
}

/** Features of stored records, read from the records and the addresses they hold. */
async function featuresOfStoredRecords(db: Kysely<Database>, areaId: string, ids: readonly string[]): Promise<RegistryEntry[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<StoredRecordRow>`
    SELECT r.id, r.given_name, r.middle_names, r.family_name, r.aliases, r.date_of_birth, r.expected_date_of_birth, r.sex,
      r.nhs_number, r.phone, r.email,
      (SELECT json_agg(json_build_object('line1', a.line1, 'postcode', a.postcode) ORDER BY pa.from_date NULLS FIRST, pa.id)
         FROM person_address pa JOIN address a ON a.id = pa.address_id WHERE pa.agency_record_id = r.id) AS addresses
    FROM agency_record r WHERE r.area_id = ${areaId} AND r.id = ANY(${ids}::uuid[])`.execute(db);
  return rows.map((r) =>
    registryEntry(r.id, featuresOf({
      givenName: r.given_name, middleNames: r.middle_names, familyName: r.family_name, aliases: r.aliases, dateOfBirth: r.date_of_birth,
      expectedDateOfBirth: r.expected_date_of_birth, sex: r.sex, nhsNumber: r.nhs_number, addresses: r.addresses ?? [], phone: r.phone, email: r.email,
    })),
  );
}

/** Adds features and keys for the area's records that have none; returns how many. */
export async function fillRegistry(db: Kysely<Database>, areaId: string, pageSize = 5_000): Promise<number> {
  let filled = 0;
  for (;;) {
    const missing = await db
      .selectFrom('agency_record as r')
      .select('r.id')
      .where('r.area_id', '=', areaId)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('identity_features as f').select('f.agency_record_id').whereRef('f.agency_record_id', '=', 'r.id'))))
      .limit(pageSize)
      .execute();
    if (missing.length === 0) return filled;
    await writeRegistryEntries(db, areaId, await featuresOfStoredRecords(db, areaId, missing.map((m) => m.id)));
    filled += missing.length;
  }
}

/** Features of the given records, filling in any that were never indexed. */
export async function featuresOfRecords(db: Kysely<Database>, areaId: string, ids: readonly string[]): Promise<Map<string, RecordFeatures>> {
  const found = new Map<string, RecordFeatures>();
  if (ids.length === 0) return found;
  const stored = await db.selectFrom('identity_features').select(['agency_record_id', 'features']).where('area_id', '=', areaId).where('agency_record_id', 'in', ids).execute();
  for (const row of stored) found.set(row.agency_record_id, row.features as RecordFeatures);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    const entries = await featuresOfStoredRecords(db, areaId, missing);
    await writeRegistryEntries(db, areaId, entries);
    for (const entry of entries) found.set(entry.agencyRecordId, entry.features);
  }
  return found;
}

/**
 * The stored rules the area's records are not filed under (a rule added to Hearth since they were
 * filed): judged on a sample of records, by whether the keys the rule gives them are there. A rule
 * that gives the sample no key at all (no one has a phone) counts as filed.
 */
export async function rulesNotIndexed(db: Kysely<Database>, areaId: string, sampleSize = 200): Promise<string[]> {
  const sample = await db.selectFrom('identity_features').select(['agency_record_id', 'features']).where('area_id', '=', areaId).orderBy('agency_record_id').limit(sampleSize).execute();
  const absent: string[] = [];
  for (const rule of storedRules) {
    const expected = sample.flatMap((row) => [...new Set(normalisedVariants(row.agency_record_id, row.features as RecordFeatures, []).flatMap((v) => blockingKeys(v, [rule])))]
      .map((key) => [key, row.agency_record_id] as const));
    if (expected.length === 0) continue;
    const { rows } = await sql<{ found: number }>`
      SELECT count(*)::int AS found FROM unnest(${expected.map((e) => e[0])}::text[], ${expected.map((e) => e[1])}::uuid[]) AS e(key, id)
      WHERE EXISTS (SELECT 1 FROM identity_key k WHERE k.area_id = ${areaId} AND k.key = e.key AND k.agency_record_id = e.id)`.execute(db);
    if ((rows[0]?.found ?? 0) === 0) absent.push(rule.name);
  }
  return absent;
}

/**
 * Files every record of the area under the stored rules it has no key of at all: after an upgrade
 * that adds a rule, the records already held are found by it too (those arriving get every key
 * anyway). Returns the rules indexed and how many keys were added.
 */
export async function indexNewRules(
  db: Kysely<Database>, areaId: string, options: { pageSize?: number; onPage?: (records: number) => void } = {},
): Promise<{ rules: string[]; keys: number }> {
  const names = await rulesNotIndexed(db, areaId);
  const rules = storedRules.filter((r) => names.includes(r.name));
  if (rules.length === 0) return { rules: [], keys: 0 };
  let added = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await db
      .selectFrom('identity_features').select(['agency_record_id', 'features'])
      .where('area_id', '=', areaId).where('agency_record_id', '>', after)
      .orderBy('agency_record_id').limit(options.pageSize ?? 10_000).execute();
    if (page.length === 0) break;
    const ids: string[] = [];
    const keys: string[] = [];
    for (const row of page) {
      const variants = normalisedVariants(row.agency_record_id, row.features as RecordFeatures, []);
      const own = new Set(variants.flatMap((v) => blockingKeys(v, rules)));
      for (const key of own) {
        ids.push(row.agency_record_id);
        keys.push(key);
      }
    }
    await sql`
      INSERT INTO identity_key (area_id, key, agency_record_id)
      SELECT ${areaId}::uuid, t.key, t.id FROM unnest(${keys}::text[], ${ids}::uuid[]) AS t(key, id)
      ON CONFLICT DO NOTHING`.execute(db);
    added += keys.length;
    after = page[page.length - 1]!.agency_record_id;
    options.onPage?.(page.length);
  }
  return { rules: names, keys: added };
}

