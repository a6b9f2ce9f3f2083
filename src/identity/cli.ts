// `npx hearth identity estimate [--area CODE] [--out FILE]`: estimates an area's linkage model
// again from its own records (no labels), and makes it the area's model; or, with --out, writes
// it to a file to look at first without changing anything.
// `npx hearth identity reindex [--area CODE]`: after an upgrade that adds a blocking rule, files
// the records already held under it, so that arrivals find them by it too.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { writeAudit } from '../access/audit';
import { openConfiguredDatabase } from '../cli/database';
import type { DatabaseHandle } from '../db/database';
import { HearthError } from '../server/errors';
import { loadConfig } from '../server/config';
import { estimateAreaModel, minimumRecordsToEstimate, storeModel } from './model';
import { fillRegistry, indexNewRules } from './registry';

const estimateArguments = z.object({
  area: z.string().regex(/^[a-z0-9-]{2,40}$/, '--area must be an area code: 2 to 40 lower-case letters, digits or hyphens').optional(),
  out: z.string().min(1, '--out must name a file').optional(),
});

export interface EstimateSummary {
  areaCode: string;
  records: number;
  seconds: number;
  lambda: number;
  modelId: string | null;
  out: string | null;
}

/** The area named, or the only one; the name is required when there are several. */
async function chosenArea(database: DatabaseHandle, code: string | undefined): Promise<{ id: string; code: string }> {
  const areas = await database.db.selectFrom('area').select(['id', 'code']).orderBy('code').execute();
  const area = code ? areas.find((a) => a.code === code) : areas.length === 1 ? areas[0] : undefined;
  if (!area) {
    const known = areas.map((a) => a.code).join(', ') || 'none';
    throw new HearthError('bad_request', code ? `There is no area with the code "${code}" (areas: ${known}).` : `Name the area with --area (areas: ${known}).`);
  }
  return area;
}

/** Estimates and stores (or writes out) the model of one area; the area is required when there are several. */
export async function estimateCommand(database: DatabaseHandle, options: z.infer<typeof estimateArguments>): Promise<EstimateSummary> {
  const area = await chosenArea(database, options.area);
  return database.db.transaction().execute(async (trx) => {
    const estimate = await estimateAreaModel(trx, area.id);
    if (estimate.recordCount < minimumRecordsToEstimate) {
      throw new HearthError('bad_request', `Area ${area.code} has ${estimate.recordCount} agency records; at least ${minimumRecordsToEstimate.toLocaleString('en-GB')} are needed to estimate a model (until then Hearth uses its starter model).`);
    }
    const summary = { areaCode: area.code, records: estimate.recordCount, seconds: estimate.seconds, lambda: estimate.model.lambda };
    if (options.out) {
      await writeFile(options.out, `${JSON.stringify(estimate.model)}\n`);
      return { ...summary, modelId: null, out: options.out };
    }
    const modelId = await storeModel(trx, area.id, { model: estimate.model, source: 'estimated', recordCount: estimate.recordCount, estimatedBy: null });
    await writeAudit(trx, { areaId: area.id }, [{
      action: 'identity.estimate', recordType: 'identity_model', recordId: modelId,
      details: { records: estimate.recordCount, lambda: estimate.model.lambda, converged: estimate.model.training.converged },
    }]);
    return { ...summary, modelId, out: null };
  });
}

export interface ReindexSummary {
  areaCode: string;
  /** Records that had no features or keys at all, now filed. */
  filled: number;
  rules: string[];
  keys: number;
}

/** Files the area's records under the blocking rules it has no keys of (and any record never filed), in one transaction. */
export async function reindexCommand(database: DatabaseHandle, options: { area?: string | undefined }, onPage?: (records: number) => void): Promise<ReindexSummary> {
  const area = await chosenArea(database, options.area);
  return database.db.transaction().execute(async (trx) => {
    // Rules first: the records filed for the first time get every key anyway.
    const indexed = await indexNewRules(trx, area.id, onPage ? { onPage } : {});
    const filled = await fillRegistry(trx, area.id);
    if (filled > 0 || indexed.rules.length > 0) {
      await writeAudit(trx, { areaId: area.id }, [{ action: 'identity.reindex', details: { filled, rules: indexed.rules, keys: indexed.keys } }]);
    }
    return { areaCode: area.code, filled, ...indexed };
  });
}

export function registerIdentityCommand(program: Command): void {
  const identity = program.command('identity').description('Identity resolution: who is who across agencies');
  identity
    .command('estimate')
    .description('Estimate the area\u2019s linkage model again from its own agency records, without labels, and make it the one used')
    .option('--area <code>', 'code of the area (required when there are several)')
    .option('--out <file>', 'write the model to this JSON file instead of using it')
    .action(async (raw: Record<string, string>, command: Command) => {
      const parsed = estimateArguments.safeParse(raw);
      if (!parsed.success) command.error(`error: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      await runOnDatabase(command, async (database) => {
        const s = await estimateCommand(database, parsed.data ?? {});
        const where = s.out ? `written to ${s.out} (not used)` : `now used by area ${s.areaCode} (model ${s.modelId}; the previous one is kept, inactive)`;
        process.stdout.write(`Estimated from ${s.records.toLocaleString('en-GB')} agency records in ${s.seconds.toFixed(1)} s, prior ${s.lambda.toExponential(2)}: ${where}.\n`);
      });
    });
  identity
    .command('reindex')
    .description('File the area\u2019s agency records under blocking rules added since they were filed (after an upgrade)')
    .option('--area <code>', 'code of the area (required when there are several)')
    .action(async (raw: Record<string, string>, command: Command) => {
      const parsed = estimateArguments.pick({ area: true }).safeParse(raw);
      if (!parsed.success) command.error(`error: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      await runOnDatabase(command, async (database) => {
        const s = await reindexCommand(database, parsed.data ?? {});
        const rules = s.rules.length > 0 ? `filed under ${s.rules.join(', ')} (${s.keys.toLocaleString('en-GB')} keys)` : 'every rule already had its keys';
        process.stdout.write(`Area ${s.areaCode}: ${s.filled.toLocaleString('en-GB')} records filed for the first time; ${rules}.\n`);
      });
    });
}

/** Runs a command on the configured database, closing it afterwards; Hearth's own errors end the command with their message. */
async function runOnDatabase(command: Command, run: (database: DatabaseHandle) => Promise<void>): Promise<void> {
  const database = await openConfiguredDatabase(loadConfig());
  let failure: string | null = null;
  try {
    await run(database);
  } catch (error) {
    if (!(error instanceof HearthError)) throw error;
    failure = error.message;
  } finally {
    await database.close();
  }
  if (failure) command.error(`error: ${failure}`);
}
