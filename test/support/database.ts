// A fresh, migrated database for a test file: a copy of the migrated embedded database, or a
// clone of the migrated PostgreSQL template.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle, type Engine } from '../../src/db/database';

/** The engines this run tests on: always the embedded one, PostgreSQL when configured. */
export function testEngines(): Engine[] {
  return inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase extends DatabaseHandle {
  /** The connection string of a PostgreSQL test database (for commands run as child processes). */
  url?: string;
  dispose(): Promise<void>;
}

export async function freshDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const snapshot = await readFile(inject('pgliteSnapshot'));
    const handle = await openDatabase({ loadDataDir: new Blob([snapshot]) });
    return { ...handle, dispose: () => handle.close() };
  }
  const template = inject('postgresTemplate');
  const base = process.env.DATABASE_URL;
  if (!template || !base) throw new Error('PostgreSQL is not configured for tests');
  const name = `hearth_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  return {
    ...handle,
    url: url.toString(),
    async dispose() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
