// `hearth risk refresh`: recomputes every open flag of every area now, as the server's background
// work does once a day, for an operator who wants it at once (after changing an area's rules, say).
import type { Command } from 'commander';
import { openConfiguredDatabase } from '../cli/database';
import { loadConfig } from '../server/config';
import { refreshOpenFlags } from './refresh';

export function registerRiskCommand(program: Command): void {
  const risk = program.command('risk').description('Work with risk flags');
  risk
    .command('refresh')
    .description('Recompute the open flags of every child and household now, clearing those that time has ended')
    .action(async () => {
      const database = await openConfiguredDatabase(loadConfig());
      try {
        const started = performance.now();
        const result = await refreshOpenFlags(database, new Date(), { log: { error: (details, message) => console.error(message, details) } });
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        console.log(`Refreshed ${result.subjects} children and households with open flags in ${result.areas} ${result.areas === 1 ? 'area' : 'areas'} in ${seconds} s: ${result.cleared} cleared, ${result.updated} brought up to date.`);
        if (result.failedAreas > 0) {
          console.error(`${result.failedAreas} ${result.failedAreas === 1 ? 'area' : 'areas'} could not be refreshed.`);
          process.exitCode = 1;
        }
      } finally {
        await database.close();
      }
    });
}
