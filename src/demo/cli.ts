// `npx hearth seed --children N --seed S`: creates a synthetic demo area in the database named by
// DATABASE_URL, or in the embedded database in HEARTH_DATA_DIR (./data by default).
import type { Command } from 'commander';
import { z } from 'zod';
import { defaultAreaCode, defaultAreaName, demoPassword, maxChildren, seedDemoArea } from './seed';
import { roleLabels } from '../access/roles';
import { describeDatabase, openConfiguredDatabase } from '../cli/database';
import { loadConfig } from '../server/config';
import { HearthError } from '../server/errors';

const seedArguments = z.object({
  children: z.string().trim().regex(/^\d+$/, '--children must be a positive whole number, e.g. --children 5000')
    .transform(Number)
    .pipe(z.number().min(1, '--children must be at least 1').max(maxChildren, `--children must be at most ${maxChildren.toLocaleString('en-GB')}`)),
  seed: z.string().trim().regex(/^-?\d+$/, '--seed must be a whole number, e.g. --seed 42')
    .transform(Number)
    .pipe(z.number().refine(Number.isSafeInteger, '--seed is too large')),
  areaCode: z.string().regex(/^[a-z0-9-]{2,40}$/, '--area-code must be 2 to 40 lower-case letters, digits or hyphens'),
  areaName: z.string().trim().min(1, '--area-name must not be empty').max(200, '--area-name must be at most 200 characters'),
  today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '--today must be a date written YYYY-MM-DD').optional(),
});

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('Create a synthetic demo area: agencies, users, people and three years of history, the same every time for the same --children and --seed')
    .requiredOption('--children <n>', `number of children in the area (1 to ${maxChildren.toLocaleString('en-GB')})`)
    .requiredOption('--seed <s>', 'seed of the generator (a whole number)')
    .option('--area-code <code>', 'code of the new area', defaultAreaCode)
    .option('--area-name <name>', 'name of the new area', defaultAreaName)
    .option('--today <date>', 'last day of the three years of history, YYYY-MM-DD (default: today)')
    .action(async (raw: Record<string, string>, command: Command) => {
      const parsed = seedArguments.safeParse(raw);
      if (!parsed.success) command.error(`error: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
      const options = parsed.data;

      // The same database every other command opens (the server's), migrated.
      const config = loadConfig();
      const handle = await openConfiguredDatabase(config);
      let failure: string | null = null;
      try {
        const started = performance.now();
        const result = await seedDemoArea(handle, { ...options, progress: true });
        const seconds = (performance.now() - started) / 1000;
        printSummary(options.areaCode, options.areaName, `the ${describeDatabase(config)}`, seconds, result);
      } catch (error) {
        if (!(error instanceof HearthError)) throw error;
        failure = error.message;
      } finally {
        await handle.close();
      }
      if (failure) command.error(`error: ${failure}`);
    });
}

function printSummary(
  areaCode: string, areaName: string, where: string, seconds: number,
  result: Awaited<ReturnType<typeof seedDemoArea>>,
): void {
  const number = (n: number) => n.toLocaleString('en-GB');
  const lines = [
    `Seeded "${areaName}" (area code ${areaCode}) in ${where} in ${seconds.toFixed(1)} s.`,
    '',
    ...Object.entries(result.counts).map(([name, count]) => `  ${name.replace(/_/g, ' ').padEnd(22)} ${number(count).padStart(12)}`),
    '',
    `Demo users, all with the password "${demoPassword}":`,
    ...result.users.map((u) => `  ${u.email.padEnd(44)} ${roleLabels[u.role].padEnd(38)} ${u.displayName}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
