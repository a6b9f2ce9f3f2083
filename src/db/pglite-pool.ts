// Lets Kysely's PostgreSQL driver talk to the embedded PGlite database, so the application has
// one dialect and one driver code path for both databases. PGlite is a single connection: a
// client is handed to one caller at a time, which gives transactions the exclusive use they need.
import type { PGlite } from '@electric-sql/pglite';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

type Command = PostgresQueryResult<unknown>['command'];
const commands = new Set<string>(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'SELECT']);

function commandOf(sqlText: string): Command {
  const first = /^\s*(?:with\b[\s\S]*?\)\s*)?([a-z]+)/i.exec(sqlText)?.[1]?.toUpperCase() ?? 'SELECT';
  return (commands.has(first) ? first : 'SELECT') as Command;
}

export class PGlitePool implements PostgresPool {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const pglite = this.pglite;
    let released = false;
    const client = {
      async query<R>(sqlText: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        const result = await pglite.query<R>(sqlText, parameters as unknown[]);
        return { command: commandOf(sqlText), rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
      },
      release() {
        if (!released) {
          released = true;
          release();
        }
      },
    };
    return client as PostgresPoolClient & { query<R>(cursor: PostgresCursor<R>): PostgresCursor<R> };
  }

  /** Runs a multi-statement script in one transaction, with exclusive use of the database. */
  async exec(script: string): Promise<void> {
    const client = await this.connect();
    try {
      await this.pglite.exec('BEGIN');
      await this.pglite.exec(script);
      await this.pglite.exec('COMMIT');
    } catch (error) {
      await this.pglite.exec('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async end(): Promise<void> {
    await this.queue;
  }
}
