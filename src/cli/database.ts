// Opening the configured database for commands: PostgreSQL when DATABASE_URL is set, otherwise
// the embedded database in HEARTH_DATA_DIR.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
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

export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `embedded database in ${resolve(config.dataDir, 'pglite')}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
