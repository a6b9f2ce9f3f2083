// `hearth serve`: starts the web application.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { randomSecret } from '../auth/secrets';
import { startBackgroundWork } from '../outbox/background';
import { buildApp } from '../server/app';
import { loadConfig, type Config } from '../server/config';
import { describeDatabase, openConfiguredDatabase } from './database';
import { demoSignIns, ensureDemoArea } from './demo-start';

/** The secret that signs cookies and CSRF tokens: configured, or kept beside the embedded data. */
async function cookieSecret(config: Config): Promise<{ secret: string; note?: string }> {
  if (config.secret) return { secret: config.secret };
  if (config.databaseUrl) {
    return { secret: randomSecret(), note: 'HEARTH_SECRET is not set: open forms stop working when Hearth restarts. Set it in production.' };
  }
  const file = join(resolve(config.dataDir), 'secret');
  try {
    return { secret: (await readFile(file, 'utf8')).trim() };
  } catch {
    const secret = randomSecret();
    await mkdir(resolve(config.dataDir), { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    return { secret };
  }
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Start Hearth (PORT, HOST, DATABASE_URL, HEARTH_DATA_DIR configure it)')
    .option('--demo', 'create the fictional demo area when the database has no area yet, and print its sign-ins')
    .option('--demo-children <n>', 'children in the demo area', (v) => Number.parseInt(v, 10), 2500)
    .action(async (options: { demo?: boolean; demoChildren: number }) => {
      const config = loadConfig();
      const database = await openConfiguredDatabase(config);
      if (options.demo) await ensureDemoArea(database, options.demoChildren);
      const { secret, note } = await cookieSecret(config);
      const app = await buildApp({ config, database, secret });
      if (note) app.log.warn(note);
      const background = startBackgroundWork({ config, database, log: app.log });

      const shutdown = async () => {
        await background.stop();
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);

      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
      console.log(`\nHearth is running at http://${host}:${port}\nDatabase: ${describeDatabase(config)}\n`);
      if (options.demo) console.log(await demoSignIns(database));
    });
}
