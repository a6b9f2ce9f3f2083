// Opens Hearth's database: PostgreSQL when a connection string is given, otherwise the embedded
// PGlite database kept in a directory (or in memory for tests). Both are used through Kysely with
// the same type parsing, so code never knows which one it is on.
import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, Transaction, type CompiledQuery, type ConnectionProvider, type DatabaseConnection, type PostgresPool, type PostgresPoolClient, type QueryResult } from 'kysely';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
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
  /**
   * Runs `work` in one transaction. On PostgreSQL its statements are not made to wait for one
   * another: those the work starts together (a page's panels, read with Promise.all) are sent
   * together, pipelined, rather than one round trip after another. On the embedded database,
   * one connection, they run in turn.
   */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Runs an SQL script of several statements in one transaction (migrations, operator scripts). */
  runScript(script: string): Promise<void>;
  /**
   * Runs `work` in one transaction on one connection and hands it, on PostgreSQL, COPY … FROM
   * STDIN on that same connection: the bulk loader's fast path (the embedded database has none).
   */
  bulkTransaction<T>(work: (trx: Kysely<Database>, copy: CopyFrom | null) => Promise<T>): Promise<T>;
  /** The embedded database itself, for dumps; absent on PostgreSQL. */
  pglite?: PGlite;
  close(): Promise<void>;
}

/** Sends `COPY table (columns) FROM STDIN` with its rows as text (PostgreSQL's text format). */
export type CopyFrom = (statement: string, text: Iterable<string>) => Promise<void>;

const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

/** Counts and sums come back as numbers; calendar dates stay 'YYYY-MM-DD' text. */
const parseInt8 = (value: string) => Number(value);
const keepText = (value: string) => value;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openPGlite(options);
}

/** Statements prepared per connection at most: each holds a plan in its server process. */
const preparedPerConnection = 400;
/** Longer statements (bulk loads of many rows) are one-offs, not worth keeping prepared. */
const preparedMaxParameters = 100;

/**
 * A connection that prepares each parameterised statement the first time it sends it, named by
 * a digest of its text, and afterwards only binds and executes it: PostgreSQL then parses and
 * rewrites it once per connection, and plans it once its generic plan is as good as a custom one,
 * rather than every time (planning the hot queries under row-level security cost as much as
 * running them).
 */
export class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();
  /** A transaction's BEGIN, held back to travel with the transaction's first statement. */
  private beginHeld = false;
  /** Whether this turn of the event loop's statements are being gathered into one write. */
  private gathering = false;

  // Typed as the base class's overloads allow: `never` is assignable to each of their results.
  override query(...args: unknown[]): never {
    this.gatherWrites();
    const send = (super.query as unknown as (...a: unknown[]) => never).bind(this);
    const [text, values] = args;
    const plain = args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length === 0;
    // A round trip is the largest cost of a short transaction here. Kysely opens each one with
    // its own `begin`; held back, it goes in the same message as the next statement when that has
    // no parameters (the gate's area setting), or just ahead of it otherwise.
    if (plain && text === 'begin') {
      this.beginHeld = true;
      return Promise.resolve(emptyResult('BEGIN')) as never;
    }
    if (this.beginHeld) {
      this.beginHeld = false;
      // Nothing was sent: a transaction that ends before its first statement has nothing to end.
      if (plain && (text === 'commit' || text === 'rollback')) return Promise.resolve(emptyResult(text.toUpperCase())) as never;
      if (plain) {
        const results = send(`BEGIN;${text}`, []) as unknown as Promise<pg.QueryResult | pg.QueryResult[]>;
        return results.then((r) => (Array.isArray(r) ? r[r.length - 1] : r)) as never;
      }
      // Queued first on this connection, so it runs before the statement (and anything after it).
      const begun = send('BEGIN') as unknown as Promise<unknown>;
      const result = this.query(...args) as unknown as Promise<unknown>;
      return Promise.all([begun, result]).then(([, r]) => r) as never;
    }
    if (args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length > 0 && values.length <= preparedMaxParameters) {
      const name = statementName(text);
      if (this.prepared.has(name) || this.prepared.size < preparedPerConnection) {
        this.prepared.add(name);
        return send({ name, text, values });
      }
    }
    return send(...args);
  }

  /**
   * The connection pipelines (pg's `pipeline`): a statement is sent without waiting for the
   * answer to the one before, so a page's panels, read side by side, reach PostgreSQL together.
   * Statements sent in the same turn of the event loop also leave in one write: the socket is
   * corked until the turn's work is done (nextTick runs once its promise jobs have settled).
   */
  private gatherWrites(): void {
    if (this.gathering || !this.pipeline) return;
    const stream = this.connection.stream;
    this.gathering = true;
    stream.cork();
    process.nextTick(() => {
      this.gathering = false;
      stream.uncork();
    });
  }
}

function emptyResult(command: string): pg.QueryResult {
  return { command, rowCount: null, oid: 0, rows: [], fields: [] };
}

const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `h${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    if (statementNames.size > 10_000) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

async function openPostgres(connectionString: string, max: number): Promise<DatabaseHandle> {
  const connection: pg.ClientConfig = {
    connectionString,
    // Hearth's queries are short look-ups by key. The JIT compiler would compile any whose
    // estimated cost passes jit_above_cost (correlated checks are estimated high and run in a
    // millisecond), taking half a second to compile a query that runs in one.
    options: '-c TimeZone=UTC -c application_name=hearth -c jit=off',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8 || oid === NUMERIC) return parseInt8;
        if (oid === DATE) return keepText;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  };
  const pool = new pg.Pool({ ...connection, Client: PreparingClient, max, pipeline: true });
  // A connection the server ends while it sits idle in the pool (a restart, a fail-over) is
  // dropped and replaced on the next query; unheard, the pool's error would end the process.
  pool.on('error', (error) => process.stderr.write(`hearth: an idle database connection was closed by the server: ${error.message}\n`));
  const dialect = new PostgresDialect({ pool });
  const db = new Kysely<Database>({ dialect });
  // Kysely runs a transaction's statements one at a time; these transactions hand each statement
  // straight to the connection, which pipelines them. Only the executor differs from db's.
  const unusedDriver = dialect.createDriver();
  return {
    db,
    engine: 'postgres',
    async transaction(work) {
      const client = await pool.connect();
      const trx = new Transaction<Database>({
        config: { dialect }, dialect, driver: unusedDriver, executor: db.getExecutor().withConnectionProvider(sideBySide(client)),
      });
      try {
        // Kysely's own words, so that the connection holds BEGIN back to travel with the first statement.
        await client.query('begin', []);
        const result = await work(trx);
        await client.query('commit', []);
        client.release();
        return result;
      } catch (error) {
        // A connection that cannot even roll back is closed, not returned to the pool.
        const broken = await client.query('rollback', []).then(() => undefined, (e: unknown) => (e instanceof Error ? e : new Error(String(e))));
        client.release(broken);
        throw error;
      }
    },
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
    async bulkTransaction(work) {
      // A connection of its own, not pipelined: COPY holds the connection for its whole stream.
      const client = new PreparingClient(connection);
      await client.connect();
      // Kysely on this one connection, so that its statements and the COPYs share the transaction.
      const lent: PostgresPoolClient = { query: client.query.bind(client) as PostgresPoolClient['query'], release: () => undefined };
      const single: PostgresPool = { connect: async () => lent, end: async () => undefined };
      const onOne = new Kysely<Database>({ dialect: new PostgresDialect({ pool: single }) });
      const copy: CopyFrom = (statement, text) => pipeline(Readable.from(text), client.query(copyFromStdin(statement)));
      try {
        return await onOne.transaction().execute((trx) => work(trx, copy));
      } finally {
        await onOne.destroy();
        await client.end();
      }
    },
    close: () => db.destroy(),
  };
}

/** Hands every statement straight to one connection, not waiting for the statement before. */
function sideBySide(client: pg.PoolClient): ConnectionProvider {
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      const { command, rowCount, rows } = await client.query<R & pg.QueryResultRow>(query.sql, [...query.parameters]);
      const changed = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
      return { rows, ...(changed ? { numAffectedRows: BigInt(rowCount ?? 0) } : {}) };
    },
    streamQuery() {
      throw new Error('Streaming is not used in a pipelined transaction.');
    },
  };
  return { provideConnection: (consumer) => consumer(connection) };
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
    transaction: (work) => db.transaction().execute(work),
    runScript: (script) => pool.exec(script),
    bulkTransaction: (work) => db.transaction().execute((trx) => work(trx, null)),
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
