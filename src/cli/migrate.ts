// `hearth migrate`: applies pending database migrations and exits.
import type { Command } from 'commander';
import { migrate } from '../db/migrate';
import { loadConfig } from '../server/config';
import { describeDatabase, openConfiguredDatabase } from './database';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(async () => {
      const config = loadConfig();
      const database = await openConfiguredDatabase(config, { migrate: false });
      try {
        const applied = await migrate(database);
        console.log(applied.length ? `Applied ${applied.join(', ')} to the ${describeDatabase(config)}.` : `The ${describeDatabase(config)} is up to date.`);
      } finally {
        await database.close();
      }
    });
}
