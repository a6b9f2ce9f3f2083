// One table of every suite's latest figures (link, identity, county), read from their result
// files, printed and written as bench/results/summary-<time>.json. A suite that did not run in
// this invocation shows its last result with its date, so an old figure is never taken for new.
import { latestResult, writeResult } from './results';

export interface SummaryRow {
  suite: string;
  measure: string;
  figure: string;
  baseline: string;
  target: string;
  met: boolean | null;
  /** When the suite's result was written. */
  at: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '?');
const timing = (t: Json) => `${f(num(t.perSecond))}/s, p50 ${f(num(t.p50), 1)} ms, p99 ${f(num(t.p99), 1)} ms`;
const share = (n: unknown, of: unknown) => `${f((100 * num(n)) / Math.max(1, num(of)), 1)}%`;

function linkRows(data: Json, at: string): SummaryRow[] {
  const rows = Array.isArray(data.rows) ? (data.rows as Json[]) : [];
  return rows.map((r) => {
    const reference = obj(r.reference);
    const baseline = obj(r.baseline);
    return {
      suite: 'link', at,
      measure: `linkage ${String(r.dataset)} (${f(num(r.records))} records)`,
      figure: `F1 ${f(num(obj(r.pairwise).f1), 4)} in ${f(num(r.seconds), 1)} s`,
      baseline: `exact match F1 ${f(num(obj(baseline.pairwise).f1), 4)}${reference.f1 != null ? `; published ${f(num(reference.f1), 4)}` : ''}`,
      target: String(reference.note ?? ''),
      met: typeof r.passed === 'boolean' ? r.passed : null,
    };
  });
}

function identityRows(data: Json, at: string): SummaryRow[] {
  const linking = obj(data.linking);
  const accuracy = obj(linking.accuracy);
  const baseline = obj(data.baseline);
  const target = obj(data.target);
  const search = obj(data.search);
  const registry = obj(data.registry);
  return [
    {
      suite: 'identity', at,
      measure: `identity resolution on arrival (${f(num(registry.people))} people known)`,
      figure: `${timing(linking)}; right links ${share(accuracy.rightLinks, accuracy.known)}, wrong ${f(num(accuracy.wrongLinks))}`,
      baseline: `exact name and date of birth: ${timing(baseline)}`,
      target: target.perSecond ? `≥ ${f(num(target.perSecond))}/s` : '',
      met: typeof target.passed === 'boolean' ? target.passed : null,
    },
    ...(data.linkingInBatches ? [batchRow(obj(data.linkingInBatches), linking, at)] : []),
    {
      suite: 'identity', at,
      measure: 'person search with a typo (in process, one client)',
      figure: `${timing(search)}${search.rightPersonOnFirstPage != null ? `; the person searched for on the first page ${share(search.rightPersonOnFirstPage, search.searches)}` : ''}`,
      baseline: '',
      target: '',
      met: null,
    },
  ];
}

/** Arrivals linked several a transaction, beside the same suite's arrivals one at a time. */
function batchRow(batches: Json, oneAtATime: Json, at: string): SummaryRow {
  const accuracy = obj(batches.accuracy);
  return {
    suite: 'identity', at,
    measure: `identity resolution, ${f(num(batches.batchSize))} arrivals a transaction`,
    figure: `${timing(batches)}; right links ${share(accuracy.rightLinks, accuracy.known)}, wrong ${f(num(accuracy.wrongLinks))}`,
    baseline: `one at a time: ${f(num(oneAtATime.perSecond))}/s (${f(num(batches.perSecond) / num(oneAtATime.perSecond), 2)}×)`,
    target: '',
    met: null,
  };
}

function countyRows(data: Json, at: string): SummaryRow[] {
  const measurements = Array.isArray(data.measurements) ? (data.measurements as Json[]) : [];
  return measurements.map((m) => {
    const hearth = obj(m.hearth);
    const baseline = obj(m.baseline);
    const figures = obj(baseline.figures);
    const memory = m.key === 'memory';
    return {
      suite: 'county', at,
      measure: String(m.label),
      figure: memory ? `${f(num(hearth.max) / 2 ** 20)} MiB` : `${timing(hearth)}${num(hearth.errors) > 0 ? `, ${f(num(hearth.errors))} errors` : ''}`,
      baseline: baseline.label ? `${String(baseline.label)}: ${timing(figures)} (${f(num(hearth.p50) / num(figures.p50), 1)}× p50)` : '',
      target: String(m.target ?? ''),
      met: typeof m.met === 'boolean' ? m.met : null,
    };
  });
}

const readers: Record<string, (data: Json, at: string) => SummaryRow[]> = { link: linkRows, identity: identityRows, county: countyRows };

export async function summarise(ranNow: ReadonlySet<string>, started: Date): Promise<string> {
  const rows: SummaryRow[] = [];
  const sources: Record<string, { file: string; at: string; fresh: boolean; engine: unknown } | null> = {};
  for (const [suite, read] of Object.entries(readers)) {
    const latest = await latestResult(suite);
    const at = latest ? String(latest.data.at ?? '') : '';
    const fresh = latest !== null && ranNow.has(suite) && new Date(at) >= started;
    sources[suite] = latest ? { file: latest.file, at, fresh, engine: latest.data.engine ?? (suite === 'identity' ? 'postgres' : null) } : null;
    if (latest) rows.push(...read(latest.data, fresh ? at : `${at} (earlier run)`));
    else rows.push({ suite, measure: '(no result yet)', figure: '', baseline: '', target: '', met: null, at: '' });
  }
  console.log('\nSummary of every benchmark\n');
  console.log('| suite | measure | figure | baseline in the same run | target | met | when |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.suite} | ${r.measure} | ${r.figure} | ${r.baseline} | ${r.target} | ${r.met === null ? '' : r.met ? 'met' : 'MISSED'} | ${r.at} |`);
  const county = sources['county'];
  const countyData = county ? (await latestResult('county'))?.data : undefined;
  if (countyData?.database) console.log(`\ncounty: ${String(countyData.database)}`);
  if (county?.engine === 'pglite') console.log('\nThe county figures are from the EMBEDDED database at a smaller size (DATABASE_URL was not set), not the county-scale workload on PostgreSQL.');
  return writeResult('summary', { engine: county?.engine ?? null, sources, rows });
}
