// Runs once before the suite: prepares a migrated embedded database to copy for each test file,
// and, when DATABASE_URL is set, a migrated PostgreSQL template database to clone. Prints what
// will be skipped and why.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    postgresTemplate: string | null;
    chromiumPath: string | null;
  }
}

export const chromiumCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'hearth-test-'));
  const snapshotFile = join(dir, 'migrated.tar.gz');
  const handle = await openDatabase({});
  await migrate(handle);
  const dump = await handle.pglite!.dumpDataDir('gzip');
  await writeFile(snapshotFile, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('pgliteSnapshot', snapshotFile);

  let postgresTemplate: string | null = null;
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    postgresTemplate = `hearth_test_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${postgresTemplate}`);
    await admin.query(`CREATE DATABASE ${postgresTemplate}`);
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = `/${postgresTemplate}`;
    const template = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
    await migrate(template);
    await template.close();
  } else {
    console.log('\n  Notice: DATABASE_URL is not set, so tests run on the embedded database only (PostgreSQL tests skipped).\n');
  }
  project.provide('postgresTemplate', postgresTemplate);

  const chromiumPath = chromiumCandidates.find((p) => existsSync(p)) ?? null;
  if (!chromiumPath) console.log('\n  Notice: Chromium is not installed (apt-get install chromium), so browser tests are skipped.\n');
  project.provide('chromiumPath', chromiumPath);

  return async () => {
    await rm(dir, { recursive: true, force: true });
    if (postgresTemplate && databaseUrl) {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${postgresTemplate}`);
      await admin.end();
    }
  };
}
