// Generates a whole synthetic demo area: agencies, users, people and three years of history,
// identical (ids included) for the same number of children, seed, area code and day. Runs on
// the owner connection (row-level security does not apply) in one transaction, so a failed
// seed leaves nothing behind, and streams the area in chunks so memory stays bounded.
import cliProgress from 'cli-progress';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { AddressBook, districtsFor } from './addresses';
import { buildAreaStructure, type AreaStructure } from './agencies';
import { addYears, isoDate, londonInstant, parseIsoDate, todayInEngland, type Day } from './dates';
import { writeHistory } from './history';
import { seedDemoLiveWork } from './front-door';
import { WindowLinker } from './linker';
import { ChunkBuffer, loadedTables, tableColumns, type TableName } from './load';
import { NhsNumberAllocator } from './nhs-number';
import { linkReason, personsOf, seedRecordFeatures, type DemoReview, type ResolvedPerson, type WindowLinks } from './persons';
import { generateCluster } from './population';
import { hash32, Prng } from './prng';
import { RecordRegistry, type SeedRecord } from './records';
import { addClusterRows } from './rows';
import { demoPassword, prepareDemoUsers, type DemoUser } from './users';
import type { ChronologyEvent } from './history';
import type { Cluster, ClusterBuilder, World } from './world';
import { writeAudit } from '../access/audit';
import type { CopyFrom, DatabaseHandle } from '../db/database';
import type { RecordFeatures } from '../identity/features';
import { copyNewRegistryEntries, writeRegistryEntries, type RegistryEntry } from '../identity/registry';
import { defaultIdentitySettings } from '../identity/settings';
import { storeModel } from '../identity/model';
import type { LinkageModel } from '../linkage';
import type { Database } from '../db/schema';
import { HearthError, validationFailed } from '../server/errors';
import { seedRiskDemo } from '../risk';

export { demoPassword };

export const defaultAreaCode = 'demo';
export const defaultAreaName = 'Northbridge Safeguarding Partnership';
export const maxChildren = 1_000_000;

const seedOptionsSchema = z.object({
  children: z.number().int('must be a whole number').min(1, 'must be at least 1').max(maxChildren, `must be at most ${maxChildren.toLocaleString('en-GB')}`),
  seed: z.number().int('must be a whole number'),
  areaCode: z.string().regex(/^[a-z0-9-]{2,40}$/, 'must be 2 to 40 lower-case letters, digits or hyphens').optional(),
  areaName: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  today: z.string().refine((d) => parseIsoDate(d) !== null, 'must be a date written YYYY-MM-DD').optional(),
  progress: z.boolean().optional(),
});

export type SeedOptions = z.infer<typeof seedOptionsSchema>;

export interface SeedResult {
  areaId: string;
  users: DemoUser[];
  counts: Record<string, number>;
}

// PostgreSQL takes bigger chunks well; PGlite runs in this process, so smaller ones keep memory low.
const chunkRows = { postgres: 150_000, pglite: 60_000 } as const;
const sliceRows = 25_000;
// Identity resolution links the records of this many at a time (whole clusters), with the model
// estimated on the first window. The same for both engines, so both seed the same area.
const windowRecords = 120_000;

interface GeneratedCluster {
  builder: ClusterBuilder;
  cluster: Cluster;
  records: SeedRecord[];
  events: ChronologyEvent[];
}

interface WindowInLinking {
  generated: GeneratedCluster[];
  records: SeedRecord[];
  features: RecordFeatures[];
  links: Promise<WindowLinks>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function seedDemoArea(handle: DatabaseHandle, options: SeedOptions): Promise<SeedResult> {
  const parsed = seedOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw validationFailed(parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })));
  }
  const { children, seed } = parsed.data;
  const areaCode = parsed.data.areaCode ?? defaultAreaCode;
  const areaName = parsed.data.areaName ?? defaultAreaName;
  const today = parseIsoDate(parsed.data.today ?? todayInEngland()) as Day;

  const existing = await handle.db.selectFrom('area').select('id').where('code', '=', areaCode).executeTakeFirst();
  if (existing) {
    throw new HearthError('conflict', `An area with the code "${areaCode}" already exists. Choose another code with --area-code, or use a fresh database.`);
  }

  // One random stream drives everything; ids start with a per-cluster number (see Prng.uuid).
  const prng = new Prng([seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0, hash32(areaCode)]);
  const idBase = hash32(`${seed}:${areaCode}`);
  const areaPrefix = idBase;
  const clusterPrefix = (index: number) => (idBase + 1 + index) >>> 0;

  const users = await prepareDemoUsers(prng, areaPrefix, areaCode);
  const addresses = new AddressBook(districtsFor(children));
  const area = buildAreaStructure(prng, areaPrefix, children, addresses);
  const areaId = prng.uuid(areaPrefix);
  const historyStart = addYears(today, -3);
  const world: World = {
    today, historyStart, lastEventDay: today - 1, area, addresses, nhsNumbers: new NhsNumberAllocator(),
    systemUserId: users.systemUserId, serials: { person: 0, record: 0, event: 0 },
  };
  const createdAt = londonInstant(historyStart, 9 * 60);
  const counts: Record<string, number> = { children: 0, police_da_incidents: 0 };

  const bar = options.progress && process.stderr.isTTY
    ? new cliProgress.SingleBar({ stream: process.stderr, format: 'Seeding |{bar}| {value}/{total} children | {duration_formatted} (about {eta_formatted} left)', hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(children, 0);

  const skipTriggers = await canSkipTriggers(handle.db);
  const linker = new WindowLinker();
  let demoUsers: DemoUser[] = [];
  try {
    await handle.bulkTransaction(async (trx, copy) => {
      if (skipTriggers) await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      demoUsers = await insertAreaStructure(trx, { areaId, areaCode, areaName, area, users, createdAt, counts });

      let buffer = new ChunkBuffer();
      let pending: Promise<void> = Promise.resolve();
      // Writing a chunk overlaps with generating the next one; each write is awaited before the next starts.
      const flush = async () => {
        await pending;
        const full = buffer;
        buffer = new ChunkBuffer();
        for (const table of Object.keys(tableColumns) as TableName[]) counts[table] = (counts[table] ?? 0) + full.count(table);
        const writing = full.write(trx, sliceRows, copy);
        writing.catch(() => undefined); // the error surfaces at the next await of `pending`
        pending = writing;
      };

      let made = 0;
      let window: GeneratedCluster[] = [];
      let recordsInWindow = 0;
      // The model estimated on the first window scores the later ones and is stored as the area's.
      const estimated: { model?: LinkageModel; records: number } = { records: 0 };
      // Sends the window's records to the linker thread and starts a new window.
      const startLinking = (): WindowInLinking => {
        const generated = window;
        const records = generated.flatMap((g) => g.records);
        const index = new Map(records.map((r, i) => [r, i]));
        const features = records.map(seedRecordFeatures);
        const links = linker.link({
          records: records.map((r, i) => ({ id: r.id, features: features[i] as RecordFeatures, firstSeen: r.firstSeen })),
          cannotLink: generated.flatMap((g) => g.events.flatMap((e) => e.people.flatMap((a, i) => e.people.slice(i + 1)
            .map((b) => [index.get(a.record) as number, index.get(b.record) as number] as const)))),
          settings: defaultIdentitySettings,
        });
        links.catch(() => undefined); // the error surfaces when the window is finished
        window = [];
        recordsInWindow = 0;
        return { generated, records, features, links };
      };
      // Makes a linked window's persons, then writes its clusters and their identity rows.
      const finishLinking = async ({ generated, records, features, links: linking }: WindowInLinking) => {
        const links = await linking;
        const clusterOf = new Map<SeedRecord, GeneratedCluster>();
        for (const g of generated) for (const record of g.records) clusterOf.set(record, g);
        const linked = personsOf(records, links, (owner) => (clusterOf.get(owner) as GeneratedCluster).builder.rowId());
        if (!estimated.model) Object.assign(estimated, { model: links.model, records: records.length });
        // Each person's row is written with the cluster of their first record, before any row refers to it.
        const ownedBy = new Map<GeneratedCluster, ResolvedPerson[]>();
        for (const person of linked.persons) {
          const owner = clusterOf.get(person.records[0] as SeedRecord) as GeneratedCluster;
          const owned = ownedBy.get(owner);
          if (owned) owned.push(person);
          else ownedBy.set(owner, [person]);
        }
        for (const g of generated) {
          addClusterRows(buffer, {
            areaId, historyStart, cluster: g.cluster, records: g.records, events: g.events,
            assignment: { persons: ownedBy.get(g) ?? [], personOfRecord: linked.personOfRecord, personOfTruth: linked.personOfTruth, linkReason },
            newId: () => g.builder.rowId(),
          });
          if (buffer.rowCount >= chunkRows[handle.engine]) await flush();
        }
        await flush();
        // The identity rows follow the window's last chunk; the next window is generated while
        // they are written (its first write waits for them).
        const entries = records.map((r, i) => ({ agencyRecordId: r.id, features: features[i] as RecordFeatures, keys: links.keys[i] as string[] }));
        const identityRows = pending.then(() => writeIdentityRows(trx, copy, areaId, { entries, keyOrder: links.keyOrder }, linked.reviews, clusterOf, counts));
        identityRows.catch(() => undefined);
        pending = identityRows;
      };
      // One window is linked in the worker while the next is generated here.
      let inLinking: WindowInLinking | null = null;
      for (let index = 0; made < children; index++) {
        const { builder, cluster } = generateCluster(world, prng, index, clusterPrefix(index), children - made);
        const records = new RecordRegistry(builder);
        const events = writeHistory(builder, records);
        records.finish();
        window.push({ builder, cluster, records: records.records, events });
        recordsInWindow += records.records.length;
        made += cluster.children;
        counts['police_da_incidents'] = (counts['police_da_incidents'] ?? 0) + events.filter((e) => e.kind === 'police_da_incident').length;
        bar?.update(made);
        if (recordsInWindow >= windowRecords) {
          const next = startLinking();
          if (inLinking) await finishLinking(inLinking);
          inLinking = next;
        } else if (index % 32 === 31) await yieldToEventLoop();
      }
      const last = window.length > 0 ? startLinking() : null;
      if (inLinking) await finishLinking(inLinking);
      if (last) await finishLinking(last);
      await pending;
      if (estimated.model) await storeModel(trx, areaId, { model: estimated.model, source: 'estimated', recordCount: estimated.records, estimatedBy: null });
      counts['children'] = made;
      if (skipTriggers) await sql`SET LOCAL session_replication_role = origin`.execute(trx);
      await writeAudit(trx, { areaId }, [{
        action: 'area.seed_demo', recordType: 'area', recordId: areaId,
        details: { children, seed, today: isoDate(today), counts },
      }]);
    });
  } finally {
    bar?.stop();
    await linker.close();
  }
  // Freshly loaded tables have no statistics; without them the first queries are planned badly.
  const analysed = [...Object.values(loadedTables), 'identity_features', 'identity_key', 'identity_review'];
  await sql`ANALYZE ${sql.join(analysed.map((table) => sql.table(table)))}`.execute(handle.db);
  const live = await seedDemoLiveWork(handle, areaId, isoDate(today), prng);
  counts['front_door_contacts'] = live.frontDoor.contacts;
  counts['front_door_overdue'] = live.frontDoor.overdueContacts;
  counts['encompass_notifications'] = live.encompassNotifications;
  counts['marac_recommended'] = (await seedRiskDemo(handle.db, areaId, { today: isoDate(today) })).maracRecommended;
  return { areaId, users: demoUsers, counts };
}

/** The registry (features and blocking keys of every record) and the review queue of one window. */
async function writeIdentityRows(
  db: Kysely<Database>, copy: CopyFrom | null, areaId: string, registry: { entries: readonly RegistryEntry[]; keyOrder: Uint32Array },
  reviews: readonly DemoReview[], clusterOf: ReadonlyMap<SeedRecord, GeneratedCluster>, counts: Record<string, number>,
): Promise<void> {
  const { entries } = registry;
  if (copy) await copyNewRegistryEntries(copy, areaId, entries, registry.keyOrder);
  else await writeRegistryEntries(db, areaId, entries);
  counts['identity_key'] = (counts['identity_key'] ?? 0) + entries.reduce((n, e) => n + e.keys.length, 0);
  const reviewRow = (review: DemoReview) => ({
    id: (clusterOf.get(review.record) as GeneratedCluster).builder.rowId(), area_id: areaId, agency_record_id: review.record.id,
    candidate_person_id: review.candidatePerson.id, candidate_record_id: review.candidateRecord.id, match_probability: review.probability,
    evidence: JSON.stringify(review.evidence), cause: review.cause, created_at: londonInstant(review.record.firstSeen, 10 * 60 + 5),
  });
  if (reviews.length > 0) await db.insertInto('identity_review').values(reviews.map(reviewRow)).execute();
  counts['identity_review'] = (counts['identity_review'] ?? 0) + reviews.length;
}

/**
 * Foreign-key checks are most of the cost of loading (they are triggers run row by row). Like
 * pg_restore --disable-triggers, the loader skips them when it may: as a superuser, and only
 * while no table it loads has a trigger of its own that would be skipped too. The generator
 * makes every reference itself, and the tests check them all.
 */
async function canSkipTriggers(db: Kysely<Database>): Promise<boolean> {
  const tables = ['area', 'agency', 'team', 'app_user', ...Object.values(loadedTables)];
  const { rows } = await sql<{ superuser: string; triggers: number }>`
    SELECT current_setting('is_superuser') AS superuser,
      (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY(${tables}::regclass[]))::int AS triggers`.execute(db);
  return rows[0]?.superuser === 'on' && rows[0]?.triggers === 0;
}

async function insertAreaStructure(
  db: Kysely<Database>,
  input: {
    areaId: string; areaCode: string; areaName: string; area: AreaStructure; createdAt: string;
    users: Awaited<ReturnType<typeof prepareDemoUsers>>; counts: Record<string, number>;
  },
): Promise<DemoUser[]> {
  const { areaId, area, createdAt, counts } = input;
  await db.insertInto('area').values({ id: areaId, code: input.areaCode, name: input.areaName, settings: '{}', created_at: createdAt }).execute();
  await db.insertInto('agency').values(area.agencies.map((a) => ({
    id: a.id, area_id: areaId, kind: a.kind, service: a.service, parent_agency_id: a.parentAgencyId, name: a.name, code: a.code,
    email: a.email, phone: a.phone, created_at: createdAt,
  }))).execute();
  const teams = Object.values(area.teams);
  await db.insertInto('team').values(teams.map((t) => ({ id: t.id, area_id: areaId, agency_id: t.agencyId, name: t.name, created_at: createdAt }))).execute();
  const demoUsers = await input.users.insert(db, areaId, area, createdAt);
  await db.insertInto('address').values(area.refuges.map((home) => ({
    id: home.id, area_id: areaId, line1: home.line1, line2: home.line2, town: home.town, postcode: home.postcode,
    uprn: home.uprn, confidential: true, created_at: createdAt,
  }))).execute();
  Object.assign(counts, { area: 1, agency: area.agencies.length, team: teams.length, app_user: demoUsers.length + 1, address: area.refuges.length });
  return demoUsers;
}
