// Applies the plain SQL files in src/db/migrations in name order, each in its own transaction,
// and records them with a checksum so that an edited, already-applied migration is noticed.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { DatabaseHandle } from './database';
import { HearthError } from '../server/errors';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  name: string;
  script: string;
  checksum: string;
}

export async function listMigrations(): Promise<Migration[]> {
  const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const script = await readFile(migrationsDir + file, 'utf8');
      return { name: file.replace(/\.sql$/, ''), script, checksum: createHash('sha256').update(script).digest('hex') };
    }),
  );
}

async function ensureMigrationTable(handle: DatabaseHandle): Promise<void> {
  await handle.runScript(`
    CREATE TABLE IF NOT EXISTS schema_migration (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    );
    COMMENT ON TABLE schema_migration IS 'Migrations applied to this database (deployment-wide, so it has no area_id).';`);
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(handle: DatabaseHandle): Promise<string[]> {
  await ensureMigrationTable(handle);
  const applied = new Map(
    (await handle.db.selectFrom('schema_migration').select(['name', 'checksum']).execute()).map((m) => [m.name, m.checksum]),
  );
  const done: string[] = [];
  for (const migration of await listMigrations()) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new HearthError('migration_changed', `Migration ${migration.name} was changed after it was applied.`);
      }
      continue;
    }
    // The advisory lock keeps two servers starting together from applying the same migration.
    await handle.runScript(`
      SELECT pg_advisory_xact_lock(7235001);
      ${migration.script}
      ;
      INSERT INTO schema_migration (name, checksum) VALUES ('${migration.name}', '${migration.checksum}');`);
    done.push(migration.name);
  }
  return done;
}

/** Names of migrations not yet applied (for /ready). */
export async function pendingMigrations(handle: DatabaseHandle): Promise<string[]> {
  const all = await listMigrations();
  const rows = await sql<{ name: string }>`SELECT name FROM schema_migration`.execute(handle.db).catch(() => ({ rows: [] }));
  const applied = new Set(rows.rows.map((r) => r.name));
  return all.filter((m) => !applied.has(m.name)).map((m) => m.name);
}
