// `npm run bench -- link`: record linkage quality and speed on public data sets with known truth
// (FEBRL 4, Splink's fake_1000), on the demo area's own truth and on 100,000 generated records,
// beside the published reference figures and a simple exact-match baseline measured in the same run.
//
// The truth is read here, by the scorer, from columns the linker is never given. The demo area is
// generated exactly as `hearth serve --demo` makes it (its people resolved by identity resolution
// over all its agency records) on an in-memory embedded database; its truth is the generator's
// own (synthetic.record_truth), which the linker never sees.

import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { seedDemoArea } from '../src/demo/seed';
import { readCsvFile, type ColumnMapping } from '../src/linkage/csv';
import { parseDate } from '../src/linkage/dates';
import { linkRecords, type LinkResult } from '../src/linkage/link';
import { nameTokens } from '../src/linkage/normalise';
import { generateSynthetic } from '../src/linkage/testing/synthetic';
import type { RawRecord } from '../src/linkage/types';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.HEARTH_LINKAGE_DATA ?? resolve(root, '../shared/data/linkage');
const THRESHOLD = 0.5;
/** The demo area `hearth serve --demo` creates: 2,500 children, seed 1 (on a fixed day, so every run is the same area). */
const DEMO = { children: Number(process.env.HEARTH_BENCH_DEMO_CHILDREN ?? 2_500), seed: 1, today: '2026-11-23' };

interface Scores {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
}

interface Row {
  dataset: string;
  mode: 'dedupe' | 'link';
  records: number;
  /** Null where the pairs compared are not visible (the demo area is linked inside the seed). */
  candidatePairs: number | null;
  truePairsInCandidates: number | null;
  pairwise: Scores;
  clusters: Scores;
  seconds: number;
  reference: { f1: number | null; seconds: number | null; note: string };
  baseline: { pairwise: Scores; seconds: number };
  passed: boolean;
}

/** Pairwise precision, recall and F1; true pairs never predicted (blocking included) are misses. */
function score(predicted: Iterable<readonly [number, number]>, entity: readonly string[], sources: readonly number[], mode: 'dedupe' | 'link'): Scores {
  const sizes = new Map<string, number[]>();
  entity.forEach((e, i) => {
    let counts = sizes.get(e);
    if (!counts) sizes.set(e, (counts = [0, 0]));
    counts[sources[i]!]!++;
  });
  let truePairs = 0;
  for (const [a, b] of sizes.values()) truePairs += mode === 'link' ? a! * b! : ((a! + b!) * (a! + b! - 1)) / 2;
  let tp = 0;
  let predictedPairs = 0;
  for (const [i, j] of predicted) {
    predictedPairs++;
    if (entity[i] === entity[j]) tp++;
  }
  const precision = predictedPairs === 0 ? 0 : tp / predictedPairs;
  const recall = truePairs === 0 ? 0 : tp / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs, predictedPairs };
}

function* linkedPairs(result: LinkResult): Generator<readonly [number, number]> {
  const minimum = Math.log2(THRESHOLD / (1 - THRESHOLD));
  const { pairs } = result;
  for (let p = 0; p < pairs.count; p++) if (pairs.weight[p]! >= minimum) yield [pairs.left[p]!, pairs.right[p]!];
}

function clusterPairs(result: LinkResult, sources: readonly number[], mode: 'dedupe' | 'link'): Iterable<readonly [number, number]> {
  return pairsWithin(groupBy(Array.from(result.clustering.clusterOf)), sources, mode);
}

/** The positions of equal values, grouped. */
function groupBy<T>(values: readonly T[]): number[][] {
  const groups = new Map<T, number[]>();
  values.forEach((value, i) => {
    const list = groups.get(value);
    if (list) list.push(i);
    else groups.set(value, [i]);
  });
  return [...groups.values()];
}

/** The baseline: records agreeing exactly on forename, surname and date of birth are one person. */
function exactBaseline(records: readonly RawRecord[], mode: 'dedupe' | 'link'): Array<readonly [number, number]> {
  const keys = records.map((r, i) => {
    const given = nameTokens(r.fields.given_name?.join(' ') ?? '').join('');
    const family = nameTokens(r.fields.family_name?.join(' ') ?? '').join('');
    const dob = parseDate(r.fields.dob?.[0] ?? '');
    // A record lacking any of the three is a group of its own.
    return given === '' || family === '' || !dob ? `#${i}` : `${given}|${family}|${dob.year}-${dob.month}-${dob.day}`;
  });
  return [...pairsWithin(groupBy(keys), records.map((r) => r.source), mode)];
}

async function readColumn(path: string, idColumn: string, column: string): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const parser = createReadStream(path).pipe(parse({ trim: true, columns: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) values.set(row[idColumn]!, row[column]!);
  return values;
}

/** Every pair of records put in one group (dedupe), or in one group from different sources (link). */
function* pairsWithin(groups: Iterable<readonly number[]>, sources: readonly number[], mode: 'dedupe' | 'link'): Generator<readonly [number, number]> {
  for (const list of groups) {
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        if (mode === 'dedupe' || sources[list[a]!] !== sources[list[b]!]) yield [list[a]!, list[b]!];
      }
    }
  }
}

function evaluate(
  dataset: string,
  mode: 'dedupe' | 'link',
  records: readonly RawRecord[],
  entity: readonly string[],
  run: () => LinkResult,
  reference: Row['reference'],
  pass: (row: Omit<Row, 'passed'>) => boolean,
): Row {
  const started = performance.now();
  const result = run();
  const seconds = (performance.now() - started) / 1000;
  const sources = records.map((r) => r.source);
  const baselineStarted = performance.now();
  const baselinePairs = exactBaseline(records, mode);
  const baselineSeconds = (performance.now() - baselineStarted) / 1000;
  let truePairsInCandidates = 0;
  for (let p = 0; p < result.pairs.count; p++) if (entity[result.pairs.left[p]!] === entity[result.pairs.right[p]!]) truePairsInCandidates++;
  const row = {
    dataset,
    mode,
    records: records.length,
    candidatePairs: result.stats.candidatePairs,
    truePairsInCandidates,
    pairwise: score(linkedPairs(result), entity, sources, mode),
    clusters: score(clusterPairs(result, sources, mode), entity, sources, mode),
    seconds,
    reference,
    baseline: { pairwise: score(baselinePairs, entity, sources, mode), seconds: baselineSeconds },
  };
  return { ...row, passed: pass(row) };
}

const FEBRL_MAP: ColumnMapping[] = [
  { column: 'given_name', field: 'given_name' },
  { column: 'surname', field: 'family_name' },
  { column: 'street_number', field: 'address' },
  { column: 'address_1', field: 'address' },
  { column: 'address_2', field: 'address' },
  { column: 'suburb', field: 'locality' },
  { column: 'postcode', field: 'postcode' },
  { column: 'state', field: 'attribute' },
  { column: 'date_of_birth', field: 'dob' },
  { column: 'soc_sec_id', field: 'identifier' },
];

const FAKE_MAP: ColumnMapping[] = [
  { column: 'first_name', field: 'given_name' },
  { column: 'surname', field: 'family_name' },
  { column: 'dob', field: 'dob' },
  { column: 'city', field: 'locality' },
  { column: 'email', field: 'email' },
];

async function febrl(): Promise<Row> {
  // Reading the files is part of the timed work, as the target ("under 10 s") is end to end.
  let records: RawRecord[] = [];
  const run = (): LinkResult => linkRecords(records, { mode: 'link', thresholds: { link: THRESHOLD } });
  const started = performance.now();
  records = [
    ...(await readCsvFile(join(dataDir, 'febrl4a.csv'), { idColumn: 'rec_id', mappings: FEBRL_MAP, source: 0 })),
    ...(await readCsvFile(join(dataDir, 'febrl4b.csv'), { idColumn: 'rec_id', mappings: FEBRL_MAP, source: 1 })),
  ];
  const readSeconds = (performance.now() - started) / 1000;
  // Truth: the number in rec-<n>-org / rec-<n>-dup-<k>.
  const entity = records.map((r) => r.id.split('-')[1] ?? r.id);
  const row = evaluate('FEBRL 4 (4a × 4b)', 'link', records, entity, run, { f1: 0.9992, seconds: 10, note: 'Splink F1; target under 10 s' }, () => true);
  const seconds = row.seconds + readSeconds;
  return { ...row, seconds, passed: row.pairwise.f1 >= 0.9992 && seconds < 10 };
}

async function fake1000(): Promise<Row> {
  const path = join(dataDir, 'fake_1000.csv');
  const started = performance.now();
  const records = await readCsvFile(path, { idColumn: 'unique_id', mappings: FAKE_MAP, source: 0 });
  const readSeconds = (performance.now() - started) / 1000;
  const truth = await readColumn(path, 'unique_id', 'cluster');
  const entity = records.map((r) => truth.get(r.id) ?? r.id);
  const row = evaluate(
    'fake_1000',
    'dedupe',
    records,
    entity,
    () => linkRecords(records, { mode: 'dedupe', thresholds: { link: THRESHOLD } }),
    { f1: 0.806, seconds: null, note: 'Splink F1 at 0.5; target 0.85' },
    (r) => r.pairwise.f1 >= 0.85,
  );
  return { ...row, seconds: row.seconds + readSeconds };
}

/**
 * The demo area, generated and resolved as the product does it, scored against the generator's
 * truth: pairs of agency records Hearth made one person. The time is the whole seed (generation,
 * linkage and loading), not linkage alone; the baseline groups the same records by exact name and
 * date of birth.
 */
async function demoArea(): Promise<Row> {
  const handle = await openDatabase({});
  try {
    await migrate(handle);
    const started = performance.now();
    const { areaId } = await seedDemoArea(handle, { children: DEMO.children, seed: DEMO.seed, today: DEMO.today });
    const seconds = (performance.now() - started) / 1000;
    const rows = await handle.db
      .selectFrom('agency_record as r')
      .innerJoin('synthetic.record_truth as t', 't.agency_record_id', 'r.id')
      .select(['r.id', 'r.person_id', 'r.given_name', 'r.family_name', 'r.date_of_birth', 't.true_person_key'])
      .where('r.area_id', '=', areaId)
      .orderBy('r.id')
      .execute();
    const records: RawRecord[] = rows.map((r) => ({
      id: r.id, source: 0,
      fields: { given_name: r.given_name ? [r.given_name] : [], family_name: r.family_name ? [r.family_name] : [], dob: r.date_of_birth ? [r.date_of_birth] : [] },
    }));
    const entity = rows.map((r) => r.true_person_key);
    const sources = records.map(() => 0);
    // Each record without a person (there should be none) stands alone.
    const people = groupBy(rows.map((r, i) => r.person_id ?? `#${i}`));
    const resolved = score(pairsWithin(people, sources, 'dedupe'), entity, sources, 'dedupe');
    const baselineStarted = performance.now();
    const baselinePairs = exactBaseline(records, 'dedupe');
    const baselineSeconds = (performance.now() - baselineStarted) / 1000;
    const row = {
      dataset: `demo area (${DEMO.children.toLocaleString('en-GB')} children)`,
      mode: 'dedupe' as const,
      records: records.length,
      candidatePairs: null,
      truePairsInCandidates: null,
      pairwise: resolved,
      clusters: resolved,
      seconds,
      reference: { f1: null, seconds: null, note: 'target F1 0.99; people as resolved; time is the whole seed' },
      baseline: { pairwise: score(baselinePairs, entity, sources, 'dedupe'), seconds: baselineSeconds },
    };
    return { ...row, passed: resolved.f1 >= 0.99 };
  } finally {
    await handle.close();
  }
}

function synthetic(count: number): Row {
  const data = generateSynthetic({ records: count, seed: 7 });
  const entity = Array.from(data.person, String);
  return evaluate(
    `synthetic ${count.toLocaleString('en-GB')}`,
    'dedupe',
    data.records,
    entity,
    () => linkRecords(data.records, { mode: 'dedupe', thresholds: { link: THRESHOLD } }),
    { f1: null, seconds: 60, note: 'target under 60 s' },
    (r) => r.seconds < 60,
  );
}

function gitHead(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

const f = (x: number): string => x.toFixed(4);

function printTable(rows: readonly Row[]): void {
  const header = ['data set', 'records', 'candidates', 'precision', 'recall', 'F1', 'reference F1', 'cluster F1', 'time s', 'baseline F1', 'baseline s', 'time ÷ baseline', 'target'];
  const lines = rows.map((r) => [
    r.dataset,
    String(r.records),
    r.candidatePairs === null ? '-' : String(r.candidatePairs),
    f(r.pairwise.precision),
    f(r.pairwise.recall),
    f(r.pairwise.f1),
    r.reference.f1 === null ? '-' : f(r.reference.f1),
    f(r.clusters.f1),
    r.seconds.toFixed(2),
    f(r.baseline.pairwise.f1),
    r.baseline.seconds.toFixed(3),
    r.candidatePairs === null ? '-' : (r.seconds / Math.max(r.baseline.seconds, 1e-3)).toFixed(0) + '×',
    `${r.passed ? 'met' : 'MISSED'} (${r.reference.note})`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const format = (cells: readonly string[]): string => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}

export default async function run(): Promise<void> {
  const rows: Row[] = [];
  if (existsSync(join(dataDir, 'febrl4a.csv')) && existsSync(join(dataDir, 'fake_1000.csv'))) {
    rows.push(await febrl());
    rows.push(await fake1000());
  } else {
    console.log(`link: benchmark data not found in ${dataDir} (set HEARTH_LINKAGE_DATA); skipping FEBRL and fake_1000`);
  }
  rows.push(await demoArea());
  rows.push(synthetic(100_000));

  console.log(`\nRecord linkage (pairwise at match probability ${THRESHOLD}; true pairs that blocking never compared count as misses)\n`);
  printTable(rows);
  console.log('\nbaseline: exact agreement on forename, surname and date of birth; cluster F1: pairs implied by the clusters');

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(root, 'bench', 'results', `link-${stamp}.json`);
  await mkdir(dirname(file), { recursive: true });
  const report = { suite: 'link', at: new Date().toISOString(), commit: gitHead(), cores: availableParallelism(), node: process.version, threshold: THRESHOLD, rows };
  await writeFile(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`results: ${file}`);
  if (rows.some((r) => !r.passed)) process.exitCode = 1;
}
