// `npm run bench -- identity`: identity resolution at the scale of a county, on PostgreSQL.
//
// 1. The registry: a county-scale demo area (250,000 children, about a million people) seeded once
//    into the database hearth_bench on the DATABASE_URL server and reused by later runs. Its own
//    truth scores the demo's batch linkage (pairwise precision, recall, F1 over agency records).
//    Each run starts from the registry as seeded (what earlier runs sent is taken out, and again at
//    the end), files it under any blocking rule added since the seed, and vacuums it.
// 2. Linking on arrival: agency records sent one at a time, each in its own gated transaction (with
//    its audit event), by concurrent workers: records of people the county already knows, keyed as
//    another agency would (nicknames, typos, swapped dates, missing NHS numbers), and records of
//    new people. Throughput, latency and the accuracy of the outcomes against the truth; beside
//    the baseline measured in the same run: the same arrivals linked by exact name and date of
//    birth (what a simple system does); and the gate alone: the same number of gated transactions
//    writing only their audit event, the floor any linker pays here (each area's audit chain is
//    extended by one writer at a time, until its commit is on disk). Then other arrivals linked
//    in batches, several a transaction, as a file or a system's overnight batch sends them.
// 3. Person search with typos against the same registry: latency.
//
// HEARTH_BENCH_CHILDREN changes the size of the area (a different size is a different area code),
// HEARTH_BENCH_ARRIVALS the arrivals per measurement, HEARTH_BENCH_WORKERS the concurrency,
// HEARTH_BENCH_BATCH the arrivals a transaction in the batched measurement,
// HEARTH_BENCH_SEED which arrivals are sent.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { Gate } from '../src/access/gate';
import type { Actor } from '../src/access/actor';
import { loadActor } from '../src/auth/actors';
import { openDatabase, type DatabaseHandle } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { familyNames, type FamilyName } from '../src/demo/data/family-names';
import { givenNames } from '../src/demo/data/given-names';
import { introduceTypo, nicknamesOf } from '../src/demo/names';
import { Prng } from '../src/demo/prng';
import { seedDemoArea } from '../src/demo/seed';
import { resolveAgencyRecord, resolveAgencyRecords, type AgencyRecordInput, type Resolution } from '../src/identity';
import { normalisedVariants, storedKeys, type RecordFeatures } from '../src/identity/features';
import { refreshDisplay } from '../src/identity/persons';
import { indexNewRules } from '../src/identity/registry';
import { searchPeople } from '../src/people/search';
import { onDatabase, warmDatabaseCache } from './support/area';
import { cpuMeter } from './support/cpu';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const benchDatabase = 'hearth_bench';
const children = Number(process.env.HEARTH_BENCH_CHILDREN ?? 250_000);
const arrivalsPerRun = Number(process.env.HEARTH_BENCH_ARRIVALS ?? 20_000);
const workers = Number(process.env.HEARTH_BENCH_WORKERS ?? 8);
const batchSize = Number(process.env.HEARTH_BENCH_BATCH ?? 16);
const areaCode = children === 250_000 ? 'county' : `county-${children}`;
const TARGET_PER_SECOND = 1_000;

interface Arrival {
  input: AgencyRecordInput;
  /** The generator's person behind it, or null for someone the county has never known. */
  truth: string | null;
}

interface Timing {
  perSecond: number;
  seconds: number;
  p50: number;
  p99: number;
  /** Milliseconds of CPU per arrival: the linker's own process (Node) and the database's backends. */
  cpu?: { node: number; database: number };
  /** Write-ahead log per arrival: bytes, and full-page images (a page's first change after a checkpoint is logged whole). */
  wal?: { bytes: number; fullPageImages: number };
}

/** The server's write-ahead log position and full-page images so far (the whole cluster's). */
async function walPosition(handle: DatabaseHandle): Promise<{ lsn: string; fpi: number }> {
  const { rows } = await sql<{ lsn: string; fpi: string }>`SELECT pg_current_wal_lsn()::text AS lsn, (SELECT wal_fpi FROM pg_stat_wal)::text AS fpi`.execute(handle.db);
  return { lsn: rows[0]!.lsn, fpi: Number(rows[0]!.fpi) };
}

async function walSince(handle: DatabaseHandle, before: { lsn: string; fpi: number }, arrivals: number): Promise<{ bytes: number; fullPageImages: number }> {
  const { rows } = await sql<{ bytes: string; fpi: string }>`
    SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ${before.lsn}::pg_lsn)::text AS bytes, (SELECT wal_fpi FROM pg_stat_wal)::text AS fpi`.execute(handle.db);
  return { bytes: Number(rows[0]!.bytes) / arrivals, fullPageImages: (Number(rows[0]!.fpi) - before.fpi) / arrivals };
}

interface Accuracy {
  /** Known people linked to a person holding their other records. */
  rightLinks: number;
  /** Linked to someone else (known people), or linked at all (new people). */
  wrongLinks: number;
  /** Known people given a new person (with or without a review). */
  missed: number;
  sentToReview: number;
  known: number;
  unknown: number;
  /** Some wrong links, to look at: what arrived and who it was linked to. */
  wrongExamples: { arrived: string; linkedTo: string; probability: number; newPerson: boolean }[];
}

async function benchHandle(databaseUrl: string): Promise<DatabaseHandle> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [benchDatabase]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${benchDatabase}`);
  await admin.end();
  const handle = await openDatabase({ databaseUrl: onDatabase(databaseUrl, benchDatabase), poolSize: workers + 2 });
  await migrate(handle);
  return handle;
}

async function ensureCounty(handle: DatabaseHandle): Promise<{ areaId: string; seededSeconds: number | null }> {
  const existing = await handle.db.selectFrom('area').select('id').where('code', '=', areaCode).executeTakeFirst();
  const seeded = existing
    ? { areaId: existing.id, seededSeconds: null }
    : await (async () => {
        console.log(`identity: seeding the ${children.toLocaleString('en-GB')}-child area "${areaCode}" into ${benchDatabase} once (reused by later runs)…`);
        const started = performance.now();
        const area = await seedDemoArea(handle, { children, seed: 250, areaCode, areaName: 'County-scale benchmark area', today: '2026-11-23', progress: true });
        return { areaId: area.areaId, seededSeconds: (performance.now() - started) / 1000 };
      })();
  await removeArrivals(handle, seeded.areaId);
  const indexed = await indexNewRules(handle.db, seeded.areaId);
  if (indexed.rules.length > 0) console.log(`identity: filed the registry under ${indexed.rules.join(', ')} (${indexed.keys.toLocaleString('en-GB')} keys), added since it was seeded`);
  await vacuum(handle);
  return seeded;
}

// A running server's autovacuum keeps the visibility maps of these tables current, so that
// index-only scans of the keys stay index-only; a benchmark server may run without it. Quick
// when nothing changed since the last run.
const vacuum = (handle: DatabaseHandle) =>
  sql`VACUUM (ANALYZE) identity_key, identity_features, agency_record, person, person_link, person_address, address, identity_review`.execute(handle.db);

/**
 * Takes out what earlier runs sent (source references starting ARRIVAL-), so that every run links
 * against the registry as it was seeded: the same people, and the truth known for all of them.
 * The county suite's notifications (BENCH-) are left alone: their events and contacts refer to
 * the people they resolved.
 */
async function removeArrivals(handle: DatabaseHandle, areaId: string): Promise<void> {
  const { rows } = await sql<{ id: string; person_id: string | null; features: RecordFeatures | null }>`
    SELECT r.id, r.person_id, f.features FROM agency_record r LEFT JOIN identity_features f ON f.agency_record_id = r.id
    WHERE r.area_id = ${areaId} AND r.source_ref LIKE 'ARRIVAL-%'`.execute(handle.db);
  if (rows.length > 0) {
    const ids = rows.map((r) => r.id);
    const keyed = rows.flatMap((r) => (r.features ? storedKeys(normalisedVariants(r.id, r.features, [])).map((key) => [key, r.id] as const) : []));
    const persons = [...new Set(rows.flatMap((r) => (r.person_id ? [r.person_id] : [])))];
    await handle.db.transaction().execute(async (trx) => {
      // Only rows the arrivals made refer to them, and those go first: foreign-key checks, row
      // by row against a million people, would take longer than the run (as the seed, superuser only).
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`DELETE FROM identity_review WHERE agency_record_id = ANY(${ids}::uuid[]) OR candidate_record_id = ANY(${ids}::uuid[])`.execute(trx);
      await sql`
        DELETE FROM identity_key k USING unnest(${keyed.map((k) => k[0])}::text[], ${keyed.map((k) => k[1])}::uuid[]) AS gone(key, agency_record_id)
        WHERE k.area_id = ${areaId} AND k.key = gone.key AND k.agency_record_id = gone.agency_record_id`.execute(trx);
      for (const table of ['identity_features', 'person_address', 'person_link'] as const) {
        await sql`DELETE FROM ${sql.table(table)} WHERE agency_record_id = ANY(${ids}::uuid[])`.execute(trx);
      }
      await sql`DELETE FROM agency_record WHERE id = ANY(${ids}::uuid[])`.execute(trx);
      // The people the arrivals made; those they joined show what their own records say again.
      await sql`DELETE FROM person p WHERE p.id = ANY(${persons}::uuid[]) AND NOT EXISTS (SELECT 1 FROM agency_record r WHERE r.person_id = p.id)`.execute(trx);
      await refreshDisplay(trx, persons);
    });
    console.log(`identity: took out ${rows.length.toLocaleString('en-GB')} agency records sent by earlier runs`);
  }
}

/** Pairwise precision, recall and F1 of the seeded persons against the generator's truth, counted in SQL. */
async function demoTruthScores(handle: DatabaseHandle, areaId: string) {
  const { rows } = await sql<{ predicted: number; truth: number; both: number; records: number }>`
    WITH r AS (SELECT a.person_id, t.true_person_key FROM agency_record a JOIN synthetic.record_truth t ON t.agency_record_id = a.id WHERE t.area_id = ${areaId}),
    p AS (SELECT count(*)::float8 AS n FROM r GROUP BY person_id),
    t AS (SELECT count(*)::float8 AS n FROM r GROUP BY true_person_key),
    b AS (SELECT count(*)::float8 AS n FROM r GROUP BY person_id, true_person_key)
    SELECT (SELECT sum(n * (n - 1) / 2) FROM p) AS predicted, (SELECT sum(n * (n - 1) / 2) FROM t) AS truth,
      (SELECT sum(n * (n - 1) / 2) FROM b) AS both, (SELECT count(*) FROM r) AS records`.execute(handle.db);
  const row = rows[0]!;
  const precision = row.both / row.predicted;
  const recall = row.both / row.truth;
  return { records: Number(row.records), truePairs: row.truth, predictedPairs: row.predicted, precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A date keyed the way agencies get it wrong: day and month swapped, or one digit slipped. */
function mistypedDate(prng: Prng, date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  if (d <= 12 && d !== m && prng.chance(0.5)) return `${y}-${pad(d)}-${pad(m)}`;
  const day = d > 10 ? d - 10 : d + 10;
  return day >= 1 && day <= 28 ? `${y}-${pad(m)}-${pad(day)}` : date;
}

const familyNameOf = (name: FamilyName) => (typeof name === 'string' ? name : name[0]);

/** Known people re-keyed by another agency, and people the county has never known. */
async function makeArrivals(handle: DatabaseHandle, areaId: string, count: number, seed: number, agencyId: string): Promise<Arrival[]> {
  const prng = new Prng([seed, 7, 11]);
  const knownCount = Math.round(count * 0.75);
  const { rows } = await sql<{ id: string; given_name: string | null; middle_names: string | null; family_name: string | null; date_of_birth: string | null; sex: 'F' | 'M' | 'U' | null; nhs_number: string | null; true_person_key: string }>`
    SELECT r.id, r.given_name, r.middle_names, r.family_name, r.date_of_birth, r.sex, r.nhs_number, t.true_person_key
    FROM agency_record r TABLESAMPLE BERNOULLI (${Math.min(100, (knownCount / 1_500_000) * 100 * 3)}) REPEATABLE (${seed})
    JOIN synthetic.record_truth t ON t.agency_record_id = r.id
    WHERE r.area_id = ${areaId} AND r.given_name IS NOT NULL AND r.date_of_birth IS NOT NULL
    LIMIT ${knownCount}`.execute(handle.db);
  const addresses = await handle.db
    .selectFrom('person_address as pa')
    .innerJoin('address as a', 'a.id', 'pa.address_id')
    .select(['pa.agency_record_id', 'a.line1', 'a.town', 'a.postcode', 'a.confidential'])
    .where('pa.agency_record_id', 'in', rows.map((r) => r.id))
    .execute();
  const run = randomUUID().slice(0, 8);
  const arrivals: Arrival[] = rows.map((r, i) => {
    let given = r.given_name as string;
    const nick = nicknamesOf(given);
    if (nick.length > 0 && prng.chance(0.15)) given = prng.pick(nick);
    else if (prng.chance(0.05)) given = introduceTypo(prng, given);
    const family = prng.chance(0.05) && r.family_name ? introduceTypo(prng, r.family_name) : r.family_name;
    const own = addresses.filter((a) => a.agency_record_id === r.id);
    return {
      truth: r.true_person_key,
      input: {
        agencyId, sourceRef: `ARRIVAL-${run}-${i}`, givenName: given, familyName: family, middleNames: prng.chance(0.5) ? r.middle_names : null,
        dateOfBirth: prng.chance(0.03) ? mistypedDate(prng, r.date_of_birth as string) : r.date_of_birth, sex: r.sex,
        nhsNumber: prng.chance(0.3) ? r.nhs_number : null,
        addresses: prng.chance(0.8) ? own.slice(-1).map((a) => ({ line1: a.line1, town: a.town, postcode: a.postcode, confidential: a.confidential })) : [],
      },
    };
  });
  const backgrounds = Object.keys(givenNames) as (keyof typeof givenNames)[];
  for (let i = arrivals.length; i < count; i++) {
    const background = prng.pick(backgrounds);
    const sex = prng.chance(0.5) ? 'F' : 'M';
    const year = prng.int(1950, 2025);
    arrivals.push({
      truth: null,
      input: {
        agencyId, sourceRef: `ARRIVAL-${run}-${i}`, givenName: prng.pick(sex === 'F' ? givenNames[background].women : givenNames[background].men),
        familyName: familyNameOf(prng.pick(familyNames[background])), dateOfBirth: `${year}-${pad(prng.int(1, 12))}-${pad(prng.int(1, 28))}`, sex,
        addresses: [{ line1: `${prng.int(1, 200)} Benchmark Road`, postcode: `NB${prng.int(1, 40)} ${prng.int(1, 9)}ZZ` }],
      },
    });
  }
  // Shuffled, so known and new people arrive mixed.
  for (let i = arrivals.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [arrivals[i], arrivals[j]] = [arrivals[j]!, arrivals[i]!];
  }
  return arrivals;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** Sends every arrival through `link`, each in its own gated transaction, from concurrent workers. */
const measure = (handle: DatabaseHandle, arrivals: readonly Arrival[], link: (input: AgencyRecordInput) => Promise<Resolution>) =>
  measureBatches(handle, arrivals, 1, async ([input]) => [await link(input!)]);

/**
 * Sends the arrivals `size` at a time through `link`, each batch in its own gated transaction,
 * from concurrent workers. An arrival's latency is its batch's: it is linked when the batch commits.
 */
async function measureBatches(
  handle: DatabaseHandle, arrivals: readonly Arrival[], size: number, link: (inputs: AgencyRecordInput[]) => Promise<Resolution[]>,
): Promise<{ timing: Timing; results: Resolution[] }> {
  const results: Resolution[] = new Array(arrivals.length);
  const latencies: number[] = [];
  let next = 0;
  // CPU per arrival is less disturbed than throughput by other work on the machine.
  const stopCpu = await cpuMeter(benchDatabase, () => null).start();
  const wal = await walPosition(handle);
  const started = performance.now();
  await Promise.all(Array.from({ length: workers }, async () => {
    for (let i = next; i < arrivals.length; i = next) {
      next += size;
      const batch = arrivals.slice(i, i + size);
      const t = performance.now();
      const linked = await link(batch.map((a) => a.input));
      const took = performance.now() - t;
      linked.forEach((r, n) => {
        results[i + n] = r;
        latencies.push(took);
      });
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const cpu = await stopCpu(arrivals.length);
  const walPerArrival = await walSince(handle, wal, arrivals.length);
  latencies.sort((a, b) => a - b);
  return {
    timing: { perSecond: arrivals.length / seconds, seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), cpu: { node: cpu.loadGenerator, database: cpu.database }, wal: walPerArrival },
    results,
  };
}

/** The naive linker: an existing person with exactly the same given name, family name and date of birth, else a new one. */
async function exactMatchLink(gate: Gate, input: AgencyRecordInput): Promise<Resolution> {
  return gate.run('intake.notify_incident', async (scope) => {
    const match = await scope.db
      .selectFrom('agency_record')
      .select('person_id')
      .where('date_of_birth', '=', input.dateOfBirth ?? null)
      .where(sql<boolean>`lower(given_name) = lower(${input.givenName ?? ''}) AND lower(family_name) = lower(${input.familyName ?? ''})`)
      .where('person_id', 'is not', null)
      .limit(1)
      .executeTakeFirst();
    const personId = match?.person_id ?? randomUUID();
    if (!match) await scope.db.insertInto('person').values({ id: personId, area_id: scope.actor.areaId, given_name: input.givenName ?? null, family_name: input.familyName ?? null, date_of_birth: input.dateOfBirth ?? null }).execute();
    const record = await scope.db
      .insertInto('agency_record')
      .values({ area_id: scope.actor.areaId, agency_id: input.agencyId, person_id: personId, source_ref: `${input.sourceRef}-exact`, given_name: input.givenName ?? null, family_name: input.familyName ?? null, date_of_birth: input.dateOfBirth ?? null, sex: input.sex ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await scope.db.insertInto('person_link').values({ area_id: scope.actor.areaId, agency_record_id: record.id, person_id: personId, method: match ? 'automatic' : 'new_person' }).execute();
    scope.audit({ action: 'identity.resolve', recordType: 'agency_record', recordId: record.id, subjectPersonId: personId, details: { baseline: 'exact' } });
    return { agencyRecordId: record.id, personId, outcome: match ? 'linked' : 'new_person', probability: match ? 1 : 0 };
  });
}

/** The gate alone: a gated transaction that writes only its audit event. */
async function gateAlone(gate: Gate): Promise<Resolution> {
  return gate.run('intake.notify_incident', async (scope) => {
    scope.audit({ action: 'bench.gate_alone' });
    return { agencyRecordId: '', personId: '', outcome: 'new_person', probability: 0 };
  });
}

/** The generator's people behind each of these persons' records. */
async function truthsOfPersons(handle: DatabaseHandle, ids: readonly string[]): Promise<Map<string, Set<string>>> {
  const personIds = [...new Set(ids)];
  const truthsOf = new Map<string, Set<string>>();
  for (let start = 0; start < personIds.length; start += 5_000) {
    const { rows } = await sql<{ person_id: string; true_person_key: string }>`
      SELECT DISTINCT r.person_id, t.true_person_key FROM agency_record r JOIN synthetic.record_truth t ON t.agency_record_id = r.id
      WHERE r.person_id = ANY(${personIds.slice(start, start + 5_000)}::uuid[])`.execute(handle.db);
    for (const row of rows) {
      const set = truthsOf.get(row.person_id) ?? new Set<string>();
      set.add(row.true_person_key);
      truthsOf.set(row.person_id, set);
    }
  }
  return truthsOf;
}

/** Scores outcomes against the truth of the people already in the registry. */
async function accuracyOf(handle: DatabaseHandle, arrivals: readonly Arrival[], results: readonly Resolution[]): Promise<Accuracy> {
  const truthsOf = await truthsOfPersons(handle, results.map((r) => r.personId));
  const accuracy: Accuracy = { rightLinks: 0, wrongLinks: 0, missed: 0, sentToReview: 0, known: 0, unknown: 0, wrongExamples: [] };
  const wrong: number[] = [];
  arrivals.forEach((arrival, i) => {
    const result = results[i]!;
    if (result.outcome === 'review') accuracy.sentToReview++;
    const linked = result.outcome === 'linked';
    if (arrival.truth === null) {
      accuracy.unknown++;
      if (linked) wrong.push(i);
      return;
    }
    accuracy.known++;
    if (!linked) accuracy.missed++;
    else if (truthsOf.get(result.personId)?.has(arrival.truth)) accuracy.rightLinks++;
    else wrong.push(i);
  });
  accuracy.wrongLinks = wrong.length;
  const describe = (r: { given_name: string | null; family_name: string | null; date_of_birth: string | null; nhs_number: string | null }) =>
    `${r.given_name ?? '?'} ${r.family_name ?? '?'}, ${r.date_of_birth ?? 'no date of birth'}${r.nhs_number ? `, NHS ${r.nhs_number}` : ''}`;
  for (const i of wrong.slice(0, 10)) {
    const { input } = arrivals[i]!;
    const person = await handle.db.selectFrom('person').select(['given_name', 'family_name', 'date_of_birth', 'nhs_number']).where('id', '=', results[i]!.personId).executeTakeFirstOrThrow();
    accuracy.wrongExamples.push({
      arrived: describe({ given_name: input.givenName ?? null, family_name: input.familyName ?? null, date_of_birth: input.dateOfBirth ?? null, nhs_number: input.nhsNumber ?? null }),
      linkedTo: describe(person), probability: results[i]!.probability, newPerson: arrivals[i]!.truth === null,
    });
  }
  return accuracy;
}

/**
 * Searches by name, a typo in the given name, for known people: latency, how often something is
 * found, and how often the person searched for is on the first page of results.
 */
async function searchLatency(handle: DatabaseHandle, actor: Actor, arrivals: readonly Arrival[]): Promise<Timing & { searches: number; found: number; rightPersonOnFirstPage: number }> {
  const gate = new Gate(handle, actor, { requestId: 'bench', ip: '127.0.0.1' });
  const prng = new Prng([3, 5, 7]);
  const known = arrivals.filter((a) => a.truth !== null).slice(0, 300);
  const latencies: number[] = [];
  let found = 0;
  const pages: string[][] = [];
  const started = performance.now();
  for (const arrival of known) {
    const name = `${introduceTypo(prng, arrival.input.givenName ?? '')} ${arrival.input.familyName ?? ''}`;
    const t = performance.now();
    const result = await gate.run('person.search', (scope) => searchPeople(scope, { name, dateOfBirth: undefined, nhsNumber: undefined, postcode: undefined, page: 1 }));
    latencies.push(performance.now() - t);
    if (result.total > 0) found++;
    pages.push(result.results.map((r) => r.id));
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const truths = await truthsOfPersons(handle, pages.flat());
  const rightPersonOnFirstPage = known.filter((arrival, i) => pages[i]!.some((id) => truths.get(id)?.has(arrival.truth as string))).length;
  return { perSecond: known.length / seconds, seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), searches: known.length, found, rightPersonOnFirstPage };
}

function gitHead(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

export default async function run(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.log('identity: DATABASE_URL is not set. This suite measures linking on arrival against a county registry on PostgreSQL, so it needs one; nothing was measured.');
    process.exitCode = 1;
    return;
  }
  const handle = await benchHandle(databaseUrl);
  try {
    const { areaId, seededSeconds } = await ensureCounty(handle);
    const warm = await warmDatabaseCache(handle);
    console.log(`identity: ${warm.description}`);
    const people = await handle.db.selectFrom('person').select(sql<number>`count(*)::int`.as('n')).where('area_id', '=', areaId).where('merged_into', 'is', null).executeTakeFirstOrThrow();
    const records = await handle.db.selectFrom('agency_record').select(sql<number>`count(*)::int`.as('n')).where('area_id', '=', areaId).executeTakeFirstOrThrow();
    console.log(`identity: registry of ${people.n.toLocaleString('en-GB')} people and ${records.n.toLocaleString('en-GB')} agency records (area ${areaCode})`);
    const truth = await demoTruthScores(handle, areaId);

    const system = await handle.db.selectFrom('app_user').select('id').where('area_id', '=', areaId).where('kind', '=', 'system').executeTakeFirstOrThrow();
    const actor = (await loadActor(handle.db, system.id)) as Actor;
    const gate = () => new Gate(handle, actor, { requestId: 'bench', ip: '127.0.0.1' });
    // A fixed HEARTH_BENCH_SEED sends the same arrivals again (to compare two versions of the linker).
    const seed = Number(process.env.HEARTH_BENCH_SEED ?? Date.now() % 100_000);
    const arrivals = await makeArrivals(handle, areaId, arrivalsPerRun, seed, actor.agencyId);
    console.log(`identity: ${arrivals.length.toLocaleString('en-GB')} arrivals drawn with HEARTH_BENCH_SEED=${seed} (set it to send the same ones again)`);
    // Warm up: compile the model and fill the caches, as a running server would be (with other
    // arrivals, so that none of the measured ones has been seen).
    const warmUp = await makeArrivals(handle, areaId, 200, seed + 2, actor.agencyId);
    await measure(handle, warmUp, (input) => gate().run('intake.notify_incident', (scope) => resolveAgencyRecord(scope, input)));

    const baselineArrivals = await makeArrivals(handle, areaId, arrivalsPerRun, seed + 1, actor.agencyId);
    const alone = await measure(handle, baselineArrivals, () => gateAlone(gate()));
    const baseline = await measure(handle, baselineArrivals, (input) => exactMatchLink(gate(), input));
    const linked = await measure(handle, arrivals, (input) => gate().run('intake.notify_incident', (scope) => resolveAgencyRecord(scope, input)));
    // Other arrivals, of other people, so that none is already held.
    const batchedArrivals = await makeArrivals(handle, areaId, arrivalsPerRun, seed + 3, actor.agencyId);
    const batched = await measureBatches(handle, batchedArrivals, batchSize, (inputs) => gate().run('intake.notify_incident', (scope) => resolveAgencyRecords(scope, inputs)));
    const [accuracy, baselineAccuracy, batchedAccuracy] = [
      await accuracyOf(handle, arrivals, linked.results), await accuracyOf(handle, baselineArrivals, baseline.results), await accuracyOf(handle, batchedArrivals, batched.results),
    ];
    const practitioner = await handle.db.selectFrom('app_user').select('id').where('area_id', '=', areaId).where('role', '=', 'mash_practitioner').executeTakeFirstOrThrow();
    const search = await searchLatency(handle, (await loadActor(handle.db, practitioner.id)) as Actor, arrivals);

    const passed = linked.timing.perSecond >= TARGET_PER_SECOND;
    const f = (x: number, d = 1) => x.toFixed(d);
    const share = (n: number, of: number) => `${f((100 * n) / Math.max(1, of))}%`;
    console.log(`\nIdentity resolution at county scale (${workers} workers, ${availableParallelism()} cores, PostgreSQL)\n`);
    console.log(`demo area's batch linkage vs its truth: ${truth.records.toLocaleString('en-GB')} records, precision ${f(truth.precision, 5)}, recall ${f(truth.recall, 5)}, F1 ${f(truth.f1, 5)}`);
    console.log('| arrivals one at a time | per second | p50 ms | p99 ms | CPU ms per arrival: Node + PostgreSQL | WAL per arrival | right links | wrong links | known people missed | to review |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    const cpuText = (t: Timing) => (t.cpu ? `${f(t.cpu.node, 2)} + ${f(t.cpu.database, 2)}` : '-');
    const walText = (t: Timing) => (t.wal ? `${f(t.wal.bytes / 1024)} KiB, ${f(t.wal.fullPageImages)} full pages` : '-');
    for (const [label, m, a] of [
      ['Hearth (blocking keys, model, clustering rules)', linked, accuracy],
      [`Hearth, ${batchSize} arrivals a transaction (a file, a system's batch)`, batched, batchedAccuracy],
      ['baseline: exact name and date of birth', baseline, baselineAccuracy],
    ] as const) {
      console.log(`| ${label} | ${f(m.timing.perSecond, 0)} | ${f(m.timing.p50)} | ${f(m.timing.p99)} | ${cpuText(m.timing)} | ${walText(m.timing)} | ${share(a.rightLinks, a.known)} | ${a.wrongLinks} | ${share(a.missed, a.known)} | ${a.sentToReview} |`);
    }
    console.log(`| the gate alone: a transaction writing only its audit event | ${f(alone.timing.perSecond, 0)} | ${f(alone.timing.p50)} | ${f(alone.timing.p99)} | ${cpuText(alone.timing)} | ${walText(alone.timing)} | - | - | - | - |`);
    console.log(`\nthroughput ÷ baseline: ${f(linked.timing.perSecond / baseline.timing.perSecond, 2)}×; ÷ the gate alone: ${f(linked.timing.perSecond / alone.timing.perSecond, 2)}×; in batches ÷ one at a time: ${f(batched.timing.perSecond / linked.timing.perSecond, 2)}×; target ${TARGET_PER_SECOND}/s one at a time: ${passed ? 'met' : 'MISSED'}`);
    console.log(`person search with a typo (${search.searches} searches, one client): p50 ${f(search.p50)} ms, p99 ${f(search.p99)} ms, found something for ${share(search.found, search.searches)}, the person searched for on the first page for ${share(search.rightPersonOnFirstPage, search.searches)}`);

    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = join(root, 'bench', 'results', `identity-${stamp}.json`);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({
      suite: 'identity', at: new Date().toISOString(), commit: gitHead(), cores: availableParallelism(), node: process.version, workers,
      registry: { area: areaCode, children, people: people.n, agencyRecords: records.n, seededSeconds, cache: warm.description },
      demoTruth: truth,
      arrivals: { count: arrivals.length, known: accuracy.known, unknown: accuracy.unknown, seed },
      linking: { ...linked.timing, accuracy },
      linkingInBatches: { batchSize, ...batched.timing, accuracy: batchedAccuracy },
      baseline: { method: 'exact given name, family name and date of birth', ...baseline.timing, accuracy: baselineAccuracy },
      gateAlone: { method: 'a gated transaction writing only its audit event', ...alone.timing },
      search,
      target: { perSecond: TARGET_PER_SECOND, passed },
    }, null, 2) + '\n');
    console.log(`results: ${file}`);
    // Leaves the registry as seeded, for the next run and other benchmarks.
    await removeArrivals(handle, areaId);
    await vacuum(handle);
    if (!passed) process.exitCode = 1;
  } finally {
    await handle.close();
  }
}
