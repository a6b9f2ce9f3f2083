// The benchmark area: a county-scale demo area (250,000 children and their families) seeded once
// into the database hearth_bench on the DATABASE_URL server and reused by later runs, exactly as
// the identity suite seeds it (same seed, code and day, so either suite may create it). Without
// DATABASE_URL, a smaller area in an embedded database kept under bench/.cache/, said so in the
// output. HEARTH_BENCH_CHILDREN changes the size (a different size is a different area code) and
// HEARTH_BENCH_DATABASE the PostgreSQL database (e.g. a small one for trying the suite out).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describeDatabase } from '../../src/cli/database';
import { openDatabase, type DatabaseHandle, type Engine } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import { seedDemoArea } from '../../src/demo/seed';
import { benchRoot } from './results';

export const countyChildren = 250_000;
/** The embedded database runs in one process on one connection: a smaller area keeps a run short. */
const embeddedChildren = 5_000;
/** The day the area's history runs up to, fixed so that every run seeds the same area. */
export const benchToday = '2026-11-23';

// Node's URL parser refuses a connection string without a host (`postgres://user@/db?host=/run/postgresql`,
// a Unix socket), which the driver reads with the host from ?host=; with a stand-in host it
// parses, and the driver still connects where ?host= says.
const asUrl = (connectionString: string) => new URL(connectionString.replace('@/', '@localhost/'));

/** The same server's connection string for another database. */
export function onDatabase(connectionString: string, database: string): string {
  const url = asUrl(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The database a connection string names. */
export const databaseOf = (connectionString: string): string => asUrl(connectionString).pathname.slice(1);

export interface BenchTarget {
  engine: Engine;
  children: number;
  areaCode: string;
  /** PostgreSQL: the bench database's connection string. */
  databaseUrl?: string;
  /** Embedded: the directory Hearth keeps its data in (HEARTH_DATA_DIR); the database is in its pglite/ folder. */
  dataDir?: string;
  /** What a reader of the figures must know about where they came from. */
  description: string;
}

export function benchTarget(env: NodeJS.ProcessEnv = process.env): BenchTarget {
  const databaseUrl = env.DATABASE_URL;
  const children = Number(env.HEARTH_BENCH_CHILDREN ?? (databaseUrl ? countyChildren : embeddedChildren));
  const areaCode = children === countyChildren ? 'county' : `county-${children}`;
  if (!databaseUrl) {
    return {
      engine: 'pglite', children, areaCode, dataDir: join(benchRoot, '.cache', `embedded-${areaCode}`),
      description: `EMBEDDED DATABASE (PGlite, in the server's process, one connection): DATABASE_URL is not set, so this is a ${children.toLocaleString('en-GB')}-child area, not the county-scale workload on PostgreSQL. Set DATABASE_URL for the real figures.`,
    };
  }
  const benchUrl = onDatabase(databaseUrl, env.HEARTH_BENCH_DATABASE ?? 'hearth_bench');
  return {
    engine: 'postgres', children, areaCode, databaseUrl: benchUrl,
    description: `${describeDatabase({ databaseUrl: benchUrl, dataDir: '' })}, area "${areaCode}" (${children.toLocaleString('en-GB')} children)`,
  };
}

/** Opens the bench database (creating and migrating it when needed). */
export async function openBenchDatabase(target: BenchTarget, poolSize = 10): Promise<DatabaseHandle> {
  if (target.engine === 'pglite') {
    const dir = join(target.dataDir as string, 'pglite');
    await mkdir(dir, { recursive: true });
    const handle = await openDatabase({ dataDir: dir });
    await migrate(handle);
    return handle;
  }
  const name = databaseOf(target.databaseUrl as string);
  const admin = new pg.Client({ connectionString: onDatabase(target.databaseUrl as string, 'postgres') });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ databaseUrl: target.databaseUrl, poolSize });
  await migrate(handle);
  return handle;
}

/** The area's id, seeding it first when this database does not have it yet. */
export async function ensureBenchArea(handle: DatabaseHandle, target: BenchTarget, label: string): Promise<{ areaId: string; seededSeconds: number | null }> {
  const existing = await handle.db.selectFrom('area').select('id').where('code', '=', target.areaCode).executeTakeFirst();
  if (existing) return { areaId: existing.id, seededSeconds: null };
  console.log(`${label}: seeding the ${target.children.toLocaleString('en-GB')}-child area "${target.areaCode}" once (reused by later runs)…`);
  const started = performance.now();
  const seeded = await seedDemoArea(handle, {
    children: target.children, seed: 250, areaCode: target.areaCode, areaName: 'County-scale benchmark area', today: benchToday, progress: true,
  });
  const seededSeconds = (performance.now() - started) / 1000;
  // A bulk load leaves every row to be marked visible by its first reader, and no visibility map
  // for index-only scans: the first runs would measure that. A server's autovacuum does this after
  // a load; here it is done at once (and is not counted in the seed's time).
  if (target.engine === 'postgres') {
    console.log(`${label}: seeded in ${Math.round(seededSeconds)} s; vacuuming it, as autovacuum would after a bulk load…`);
    await sql`VACUUM (ANALYZE)`.execute(handle.db);
  }
  return { areaId: seeded.areaId, seededSeconds };
}

export interface WarmCache {
  /** What was read, or why nothing was. */
  description: string;
  bytes: number;
}

/**
 * Reads the bench database's tables and indexes once into the operating system's page cache
 * (pg_prewarm's "read" mode: not into PostgreSQL's own buffers), so that a run measures a server
 * whose working set is in memory, as it is once a server has been running, rather than whatever
 * the machine last happened to read. Just after seeding, a county run read half its registry
 * look-ups from disk: 4 to 9 ms each instead of 2, and a notification took 79 ms alone instead of
 * 43. Needs the right to create the pg_prewarm extension; without it the run goes on cold, and
 * says so.
 */
export async function warmDatabaseCache(handle: DatabaseHandle): Promise<WarmCache> {
  if (handle.engine !== 'postgres') return { description: 'the embedded database is read by its own process; nothing to warm', bytes: 0 };
  const started = performance.now();
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_prewarm`.execute(handle.db);
    const { rows } = await sql<{ bytes: string }>`
      SELECT (coalesce(sum(pg_prewarm(c.oid, 'read')), 0) * current_setting('block_size')::int)::bigint AS bytes
      FROM pg_class c
      WHERE c.relkind IN ('r', 'i', 't', 'm') AND c.relpersistence = 'p' AND c.relnamespace IN ('public'::regnamespace, 'pg_toast'::regnamespace)`.execute(handle.db);
    const bytes = Number(rows[0]?.bytes ?? 0);
    const seconds = (performance.now() - started) / 1000;
    return { description: `read the database (${bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`}) into the operating system's cache in ${seconds.toFixed(0)} s, as a running server would have it`, bytes };
  } catch (error) {
    return { description: `COLD CACHE: could not read the database into the cache first (${(error as Error).message}); figures include reads from disk`, bytes: 0 };
  }
}
