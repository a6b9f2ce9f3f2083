// Opening the configured database for commands: PostgreSQL when DATABASE_URL is set, otherwise
// the embedded database in HEARTH_DATA_DIR.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../db/database';
import { migrate } from '../db/migrate';
import type { Config } from '../server/config';

export async function openConfiguredDatabase(config: Config, options: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (config.databaseUrl) {
    handle = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: config.dbPoolSize });
  } else {
    const dataDir = resolve(config.dataDir, 'pglite');
    await mkdir(dataDir, { recursive: true });
    handle = await openDatabase({ dataDir });
  }
  if (options.migrate !== false) await migrate(handle);
  return handle;
}

/**
 * Where the commands' database is, for messages (never the password). The connection string is
 * read as the driver reads it, so that a Unix socket (`postgres://user@/hearth?host=/var/run/postgresql`,
 * which is not a URL that Node's parser takes) is named as the socket it connects through.
 */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl) return `embedded database in ${resolve(config.dataDir, 'pglite')}`;
  const { host, port, database } = new pg.Client({ connectionString: config.databaseUrl });
  const where = host.startsWith('/') ? `the socket in ${host}` : `${host}:${port}`;
  return `PostgreSQL database ${database ?? '(the user\'s own)'} at ${where}`;
}
