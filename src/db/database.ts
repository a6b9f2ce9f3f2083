// Opens Hearth's database: PostgreSQL when a connection string is given, otherwise the embedded
// PGlite database kept in a directory (or in memory for tests). Both are used through Kysely with
// the same type parsing, so code never knows which one it is on.
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlitePool } from './pglite-pool';
import type { Database } from './schema';

export type Engine = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** postgres://… ; when absent the embedded database is used. */
  databaseUrl?: string | undefined;
  /** Directory of the embedded database; absent means in memory. */
  dataDir?: string | undefined;
  /** A dump of an embedded database to start from (tests start from a migrated snapshot). */
  loadDataDir?: Blob | File | undefined;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number | undefined;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** Runs an SQL script of several statements in one transaction (migrations, operator scripts). */
  runScript(script: string): Promise<void>;
  /** The embedded database itself, for dumps; absent on PostgreSQL. */
  pglite?: PGlite;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

/** Counts and sums come back as numbers; calendar dates stay 'YYYY-MM-DD' text. */
const parseInt8 = (value: string) => Number(value);
const keepText = (value: string) => value;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openPGlite(options);
}

async function openPostgres(connectionString: string, max: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString,
    max,
    options: '-c TimeZone=UTC -c application_name=hearth',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8 || oid === NUMERIC) return parseInt8;
        if (oid === DATE) return keepText;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A connection the server ends while it sits idle in the pool (a restart, a fail-over) is
  // dropped and replaced on the next query; unheard, the pool's error would end the process.
  pool.on('error', (error) => process.stderr.write(`hearth: an idle database connection was closed by the server: ${error.message}\n`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    async runScript(script) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(script);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}

async function openPGlite(options: DatabaseOptions): Promise<DatabaseHandle> {
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { pg_trgm },
    parsers: { [INT8]: parseInt8, [NUMERIC]: parseInt8, [DATE]: keepText },
  });
  await pglite.exec(`SET TimeZone = 'UTC'`);
  const pool = new PGlitePool(pglite);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'pglite',
    pglite,
    runScript: (script) => pool.exec(script),
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
