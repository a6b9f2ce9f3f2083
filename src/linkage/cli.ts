import { readFile, writeFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { assertUniqueIds, csvValue, LinkInputError, readCsvFile, type ColumnMapping } from './csv';
import { linkRecords, type LinkResult, type LinkStage } from './link';
import { parseModel, type LinkageModel } from './model';
import { probabilityFromWeight } from './score';
import { FIELD_NAMES, type RawRecord } from './types';

const probability = (name: string) =>
  z.coerce.number({ error: `${name} must be a number` }).gt(0, `${name} must be above 0`).lt(1, `${name} must be below 1`);

const mappingSchema = z.string().transform((text, context): ColumnMapping => {
  const at = text.lastIndexOf('=');
  const column = text.slice(0, at).trim();
  const field = text.slice(at + 1).trim();
  if (at < 0 || column === '') {
    context.addIssue({ code: 'custom', message: `--map "${text}" must look like COLUMN=FIELD` });
    return z.NEVER;
  }
  if (!(FIELD_NAMES as readonly string[]).includes(field)) {
    context.addIssue({ code: 'custom', message: `--map "${text}": unknown field "${field}" (fields: ${FIELD_NAMES.join(', ')})` });
    return z.NEVER;
  }
  return { column, field: field as ColumnMapping['field'] };
});

const optionsSchema = z
  .object({
    input: z.array(z.string().min(1)).min(1, 'give one --input to deduplicate, or two to link').max(2, 'at most two --input files (two are linked across)'),
    id: z.string({ error: '--id COLUMN is required' }).trim().min(1, '--id needs a column name'),
    map: z.array(mappingSchema).min(1, 'give at least one --map COLUMN=FIELD'),
    out: z.string({ error: '--out PAIRS.csv is required' }).min(1),
    clusters: z.string().min(1).optional(),
    threshold: probability('--threshold'),
    reviewThreshold: probability('--review-threshold').optional(),
    review: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    saveModel: z.string().min(1).optional(),
    maxBlockSize: z.coerce.number().int('--max-block-size must be a whole number').min(2, '--max-block-size must be at least 2').optional(),
  })
  .superRefine((value, context) => {
    const columns = value.map.map((m) => m.column);
    const repeated = columns.find((c, i) => columns.indexOf(c) !== i);
    if (repeated) context.addIssue({ code: 'custom', message: `column "${repeated}" is mapped twice` });
    if (columns.includes(value.id)) context.addIssue({ code: 'custom', message: `the id column "${value.id}" cannot also be mapped` });
    if (value.reviewThreshold !== undefined && value.reviewThreshold > value.threshold) {
      context.addIssue({ code: 'custom', message: '--review-threshold must not be above --threshold' });
    }
  });

export type LinkCommandOptions = z.infer<typeof optionsSchema>;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A progress bar on stderr, only when a person is watching (a TTY) and there is real work. */
function progressReporter(): { report: (stage: LinkStage, done: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { report: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ stream: process.stderr, format: '{stage} [{bar}] {percentage}% {value}/{total}', hideCursor: true, clearOnComplete: true });
  let running = false;
  return {
    report: (stage, done, total) => {
      if (total < 100_000) return;
      if (!running) {
        bar.start(total, done, { stage });
        running = true;
      }
      bar.setTotal(total);
      bar.update(done, { stage });
    },
    stop: () => {
      if (running) bar.stop();
    },
  };
}

async function writePairs(path: string, result: LinkResult, threshold: number): Promise<number> {
  const { records, pairs } = result;
  const minimum = Math.log2(threshold / (1 - threshold));
  const rows = ['id_l,id_r,match_probability'];
  for (let p = 0; p < pairs.count; p++) {
    if (pairs.weight[p]! < minimum) continue;
    const probability = probabilityFromWeight(pairs.weight[p]!);
    rows.push(`${csvValue(records[pairs.left[p]!]!.id)},${csvValue(records[pairs.right[p]!]!.id)},${Number(probability.toPrecision(6))}`);
  }
  await writeFile(path, rows.join('\n') + '\n');
  return rows.length - 1;
}

async function writeClusters(path: string, result: LinkResult): Promise<void> {
  const { records, clustering } = result;
  const rows = ['id,cluster'];
  records.forEach((record, i) => rows.push(`${csvValue(record.id)},${csvValue(records[clustering.clusterOf[i]!]!.id)}`));
  await writeFile(path, rows.join('\n') + '\n');
}

/** Pairs for a person to look at: the review band below the threshold, and refused merges. */
async function writeReview(path: string, result: LinkResult, threshold: number, reviewThreshold: number): Promise<void> {
  const { records, pairs, clustering } = result;
  const low = Math.log2(reviewThreshold / (1 - reviewThreshold));
  const high = Math.log2(threshold / (1 - threshold));
  const id = (i: number): string => csvValue(records[i]!.id);
  const rows = ['id_l,id_r,match_probability,reason,conflict_l,conflict_r'];
  for (let p = 0; p < pairs.count; p++) {
    const weight = pairs.weight[p]!;
    if (weight >= low && weight < high) rows.push(`${id(pairs.left[p]!)},${id(pairs.right[p]!)},${Number(probabilityFromWeight(weight).toPrecision(6))},review_band,,`);
  }
  // A refused merge names the link that was refused and the pair that stood in its way.
  for (const refused of clustering.refused) {
    const [a, b] = refused.conflict;
    rows.push(`${id(refused.left)},${id(refused.right)},${Number(refused.probability.toPrecision(6))},${refused.reason},${id(a)},${id(b)}`);
  }
  await writeFile(path, rows.join('\n') + '\n');
}

async function readModel(path: string): Promise<LinkageModel> {
  try {
    return parseModel(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    const reason = error instanceof z.ZodError ? (error.issues[0]?.message ?? 'invalid') : error instanceof Error ? error.message : String(error);
    throw new LinkInputError('invalid_model', `${path}: not a usable model (${reason})`);
  }
}

export async function runLinkCommand(options: LinkCommandOptions): Promise<string> {
  const started = performance.now();
  const inputs: RawRecord[] = [];
  for (const [source, path] of options.input.entries()) {
    inputs.push(...(await readCsvFile(path, { idColumn: options.id, mappings: options.map, source })));
  }
  assertUniqueIds(inputs, options.input);
  const model = options.model ? await readModel(options.model) : undefined;
  const progress = progressReporter();
  let result: LinkResult;
  try {
    result = linkRecords(inputs, {
      mode: options.input.length === 2 ? 'link' : 'dedupe',
      thresholds: { link: options.threshold, review: options.reviewThreshold ?? options.threshold },
      maxBlockSize: options.maxBlockSize,
      model,
      onProgress: progress.report,
    });
  } finally {
    progress.stop();
  }
  const links = await writePairs(options.out, result, options.threshold);
  if (options.clusters) await writeClusters(options.clusters, result);
  if (options.review) await writeReview(options.review, result, options.threshold, options.reviewThreshold ?? options.threshold);
  if (options.saveModel) await writeFile(options.saveModel, JSON.stringify(result.model, null, 2) + '\n');
  const { stats } = result;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const skipped = stats.blocking.reduce((sum, rule) => sum + rule.oversizedBlocks, 0);
  return [
    `${stats.records} records, ${stats.candidatePairs} candidate pairs compared, ${links} links at probability >= ${options.threshold}`,
    `${stats.clusters} clusters, ${stats.refusedMerges} merges refused, ${skipped} oversized blocks skipped, ${seconds} s`,
  ].join('\n');
}

export function registerLinkCommand(program: Command): void {
  program
    .command('link')
    .description('Find records of the same person: deduplicate one CSV, or link two CSVs to each other')
    .option('--input <file>', 'CSV file with a header row (once to deduplicate, twice to link)', collect, [])
    .option('--id <column>', 'column holding each record\'s unique id')
    .option('--map <column=field>', `map a column to a field (${FIELD_NAMES.join(', ')}); repeatable`, collect, [])
    .option('--out <file>', 'pairs CSV to write: id_l,id_r,match_probability')
    .option('--clusters <file>', 'clusters CSV to write: id,cluster')
    .option('--threshold <probability>', 'link pairs at or above this match probability', '0.5')
    .option('--review <file>', 'CSV of pairs to review: the review band and refused cluster merges')
    .option('--review-threshold <probability>', 'lower end of the review band (below --threshold)')
    .option('--model <file>', 'score with parameters saved earlier instead of estimating new ones')
    .option('--save-model <file>', 'write the estimated parameters as JSON')
    .option('--max-block-size <records>', 'skip blocks larger than this')
    .action(async function (this: Command, raw: Record<string, unknown>) {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) this.error(`hearth link: ${parsed.error.issues.map((i) => i.message).join('; ')}`, { exitCode: 2 });
      try {
        console.log(await runLinkCommand(parsed.data));
      } catch (error) {
        if (!(error instanceof LinkInputError)) throw error;
        // A problem with the data, not with the command line: no usage text, just what is wrong.
        console.error(`hearth link: ${error.message}`);
        process.exitCode = 2;
      }
    });
}
