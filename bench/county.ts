// `npm run bench -- county`: Hearth at the scale of a county, over real HTTP, each figure beside a
// baseline measured in the same run.
//
// The area is the county-scale demo area (see support/area.ts). Hearth runs as `hearth serve` in
// its own process on it; clients sign in through the sign-in form and drive it with autocannon,
// each connection one signed-in client that waits for its answer before asking again:
//   1. the child's page (GET /people/:id) from 32 clients for 30 s, against the same data read by
//      the minimal SQL at the same concurrency on as many connections as the server has;
//   2. the front-door queue of a busy MASH (at least 1,000 open contacts), against its SQL alone;
//   3. person search by a name typed with a typo, against an exact-name look-up in SQL;
//   4. police notifications through POST /api/v1/notifications (identity resolution, contacts,
//      Operation Encompass, pattern flags and the audit, in one transaction each), against
//      storing each notification as one row;
// each read page also at half the throughput it reached, requests arriving at random, for the
// latency of a server that is not saturated; the CPU each process spent per request; and the
// server's peak resident memory over the whole run.
//
// HEARTH_BENCH_CLIENTS (32) and HEARTH_BENCH_SECONDS (30) change the load, HEARTH_DB_POOL_SIZE
// (10) the server's connections (the SQL baselines get the same number), HEARTH_BENCH_ONLY
// (page,queue,search,intake) runs some measurements only, HEARTH_BENCH_CPU_PROF=<dir> writes a
// CPU profile of the server there, and HEARTH_BENCH_PLANS=1 writes the hot queries' plans
// (bench/results/plans-<time>.json).
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { Gate } from '../src/access/gate';
import type { Actor } from '../src/access/actor';
import { loadActor } from '../src/auth/actors';
import type { DatabaseHandle } from '../src/db/database';
import { Prng } from '../src/demo/prng';
import { demoPassword } from '../src/demo/users';
import { benchTarget, benchToday, databaseOf, ensureBenchArea, openBenchDatabase, warmDatabaseCache, type BenchTarget } from './support/area';
import { fetchExpecting, httpLoad, signIn, type HttpFigures, type NextRequest, type SignedIn } from './support/http';
import { exactNameSearchSql, createTrivialInbox, personPageSql, queueSql, rawSql, trivialInsertSql, type RawSql } from './support/minimal-sql';
import { writePlans } from './support/plans';
import { resultsDir, writeResult } from './support/results';
import { startServer } from './support/server';
import { cpuMeter, type CpuPerRequest } from './support/cpu';
import { closedLoop, openLoop, type LoadFigures } from './support/stats';
import {
  areaSize, backgroundWorkSettled, closeBenchContacts, ensureBusyFrontDoor, notificationSource, policeSystemToken, sampleChildren, sampleIncidents, searchTerms, type SearchTerm,
} from './support/workload';

const env = process.env;
const clients = Number(env.HEARTH_BENCH_CLIENTS ?? 32);
const pageSeconds = Number(env.HEARTH_BENCH_SECONDS ?? 30);
/** The queue, search and intake run for two-thirds as long: their figures settle sooner. */
const otherSeconds = Math.max(5, Math.round((pageSeconds * 2) / 3));
const poolSize = Number(env.HEARTH_DB_POOL_SIZE ?? 10);
const only = new Set((env.HEARTH_BENCH_ONLY ?? 'page,queue,search,intake,audit').split(',').map((s) => s.trim()));
const busyFrontDoor = 1_000;

export const targets = {
  pageP99Ms: 50,
  pageRatio: 3,
  queueP99Ms: 100,
  intakePerSecond: 500,
  searchP99Ms: 100,
} as const;

type Figures = LoadFigures & { cpu?: CpuPerRequest };

export interface Measurement {
  key: string;
  label: string;
  hearth: Figures & { statuses?: Record<string, number> };
  baseline?: { label: string; figures: Figures };
  target: string;
  met: boolean | null;
}

const roles = {
  // Those who open children's pages, each signed in as themselves.
  page: ['mash_practitioner', 'mash_manager', 'social_worker', 'team_manager', 'idva', 'marac_coordinator', 'police_officer', 'qa_officer'],
  queue: ['mash_practitioner', 'mash_manager', 'team_manager'],
};
const emailOf = (role: string, areaCode: string) => `${role.replaceAll('_', '.')}@${areaCode}.hearth.test`;

/** Each signed-in session's cookie header in turn, one request after another. */
function cookiesInTurn(sessions: readonly SignedIn[]): () => Record<string, string> {
  return cycle(sessions.map((s) => ({ cookie: s.cookie })));
}

function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length] as T;
}

const databaseName = (target: BenchTarget) => (target.databaseUrl ? databaseOf(target.databaseUrl) : null);
let serverPid: number | null = null;
let meter = cpuMeter(null, () => serverPid);

/** Runs a measurement, adding the CPU each process spent per request. */
async function withCpu<T extends LoadFigures>(work: () => Promise<T>): Promise<T & { cpu: CpuPerRequest }> {
  const stop = await meter.start();
  const figures = await work();
  return { ...figures, cpu: await stop(figures.count + figures.errors) };
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-GB');
const f1 = (n: number) => n.toFixed(1);
const describe = (m: LoadFigures) => `${f0(m.perSecond)}/s, p50 ${f1(m.p50)} ms, p99 ${f1(m.p99)} ms`;

export default async function run(): Promise<void> {
  const target = benchTarget();
  meter = cpuMeter(databaseName(target), () => serverPid);
  const loadBefore = loadavg().map((n) => Math.round(n * 100) / 100);
  console.log(`county: ${target.description}`);
  console.log(`county: ${availableParallelism()} cores; load average before the run ${loadBefore.join(', ')} (other work on the machine competes for them)`);
  const handle = await openBenchDatabase(target, poolSize);
  let reopened: DatabaseHandle | null = null;
  try {
    const { areaId, seededSeconds } = await ensureBenchArea(handle, target, 'county');
    const warm = await warmDatabaseCache(handle);
    console.log(`county: ${warm.description}`);
    const size = await areaSize(handle.db, areaId, benchToday);
    console.log(`county: ${f0(size.people)} people (${f0(size.children)} children), ${f0(size.agencyRecords)} agency records, ${f0(size.events)} events (${f0(size.policeIncidents)} police domestic abuse incidents), ${f0(size.households)} households`);
    const openContacts = await ensureBusyFrontDoor(handle.db, areaId, benchToday, busyFrontDoor);
    const children = await sampleChildren(handle.db, areaId, 5_000);
    const searches = await searchTerms(handle.db, areaId, 2_000);
    const incidents = await sampleIncidents(handle.db, areaId, 5_000);
    const token = await policeSystemToken(handle.db, areaId);
    console.log(`county: ${f0(openContacts)} open contacts at the front door; ${f0(children.ids.length)} children's pages (${f1(children.meanEvents)} events each on average)`);
    if (env.HEARTH_BENCH_PLANS === '1' && target.engine === 'postgres') {
      const prefix = `PLANS-${randomBytes(3).toString('hex')}-`;
      console.log(`county: query plans written to ${await writePlans(target, areaId, children.ids[0] as string, notificationSource(incidents, prefix, 3)())}`);
      await closeBenchContacts(handle.db, areaId, prefix);
    }

    // ---- Baselines: the minimal SQL, before the server starts, so that nothing else competes.
    const raw = rawSql(target, poolSize, handle.pglite);
    const baselines = await measureBaselines(raw, areaId, children.ids, searches);
    const auditOnly = only.has('audit') ? await measureAuditChain(handle, areaId) : null;
    await raw.close();
    if (target.engine === 'pglite') await handle.close();

    // ---- Hearth over HTTP.
    const server = await startServer(target, { poolSize, cpuProfileDir: env.HEARTH_BENCH_CPU_PROF });
    serverPid = server.pid;
    const runId = randomBytes(3).toString('hex');
    const measurements: Measurement[] = [];
    try {
      const pageSessions = await signInAll(server.baseUrl, roles.page, clients, target);
      if (target.engine === 'postgres') {
        console.log(`county: waiting for the server's background work (the day's refresh of open flags, the outbox) to settle…`);
        console.log(`county: background work settled after ${f0(await backgroundWorkSettled(handle.db, areaId))} s`);
      }
      const headersOf = (sessions: SignedIn[]) => (i: number) => ({ cookie: (sessions[i % sessions.length] as SignedIn).cookie });
      const nextChild = cycle(children.ids);
      const nextPage = (): NextRequest => ({ path: `/people/${nextChild()}` });
      // Warm up: templates compiled, code optimised, caches filled, as on a server that has been up a while.
      await httpLoad({ baseUrl: server.baseUrl, connections: clients, durationSeconds: 5, headersOf: headersOf(pageSessions), next: nextPage });
      server.checkAlive();

      /**
       * A page read by the signed-in clients: as fast as they can for the throughput (each
       * waits for its answer before asking again), then at half that rate, arriving at random,
       * for the latency people see when the server is not saturated.
       */
      const readPage = async (key: string, label: string, sessions: SignedIn[], next: () => NextRequest, seconds: number) => {
        console.log(`county: ${label}, ${clients} clients, ${seconds} s…`);
        const full = await withCpu(() => httpLoad({ baseUrl: server.baseUrl, connections: clients, durationSeconds: seconds, headersOf: headersOf(sessions), next }));
        server.checkAlive();
        const rate = Math.max(1, Math.round(full.perSecond / 2));
        console.log(`county: ${label} at ${rate}/s (half the throughput reached), ${otherSeconds} s…`);
        const prng = new Prng([rate, key.length, 23]);
        const nextHeaders = cookiesInTurn(sessions);
        const half = await withCpu(() => openLoop(rate, otherSeconds * 1000, () => fetchExpecting(server.baseUrl, next(), nextHeaders()), () => prng.float()));
        return { full, half, rate };
      };

      if (only.has('page')) {
        const { full, half, rate } = await readPage('page', "the child's page", pageSessions, nextPage, pageSeconds);
        const sql = baselines.page as LoadFigures;
        const ratio = Math.max(full.p50 / sql.p50, sql.perSecond / full.perSecond);
        measurements.push({
          key: 'page', label: `child's page, ${clients} clients`, hearth: full,
          baseline: { label: `its SQL alone, ${clients} workers on ${target.engine === 'pglite' ? 'the one embedded connection' : `${poolSize} connections`}`, figures: sql },
          target: `p99 < ${targets.pageP99Ms} ms and within ${targets.pageRatio}× the SQL`,
          met: full.errors === 0 && full.p99 < targets.pageP99Ms && ratio <= targets.pageRatio,
        });
        measurements.push({ key: 'page_half_load', label: `child's page at ${rate}/s (half load)`, hearth: half, target: `p99 < ${targets.pageP99Ms} ms`, met: half.errors === 0 && half.p99 < targets.pageP99Ms });
        // One client, each page asked for once the last has come: what a page alone costs, the
        // figure that moves least when other work on the machine competes for its cores.
        console.log(`county: the child's page, one client, ${otherSeconds} s…`);
        const sessionOf = cookiesInTurn(pageSessions);
        const alone = await withCpu(() => closedLoop(1, { durationMs: otherSeconds * 1000 }, () => fetchExpecting(server.baseUrl, nextPage(), sessionOf())));
        measurements.push({ key: 'page_one_client', label: "child's page, one client", hearth: alone, target: 'reported', met: null });
      }

      if (only.has('queue')) {
        const queueSessions = pageSessions.filter((s) => roles.queue.some((r) => s.email === emailOf(r, target.areaCode)));
        const nextQueue = cycle(['/front-door', '/front-door', '/front-door', '/front-door', '/front-door?page=2', '/front-door?priority=red', '/front-door?overdue=yes', '/front-door?stage=checks']);
        const { full, half, rate } = await readPage('queue', 'the front-door queue', queueSessions, () => ({ path: nextQueue() }), otherSeconds);
        const busy = openContacts >= busyFrontDoor;
        measurements.push({
          key: 'queue', label: `front-door queue (${f0(openContacts)} open), ${clients} clients`, hearth: full,
          baseline: { label: 'its SQL alone (first page and counts)', figures: baselines.queue as LoadFigures },
          target: `p99 < ${targets.queueP99Ms} ms`, met: busy && full.errors === 0 && full.p99 < targets.queueP99Ms,
        });
        measurements.push({ key: 'queue_half_load', label: `front-door queue at ${rate}/s (half load)`, hearth: half, target: `p99 < ${targets.queueP99Ms} ms`, met: busy && half.errors === 0 && half.p99 < targets.queueP99Ms });
      }

      if (only.has('search')) {
        const nextTerm = cycle(searches);
        const nextSearch = () => ({ path: `/people?${new URLSearchParams({ name: nextTerm().typed }).toString()}` });
        const { full, half, rate } = await readPage('search', 'person search with a typo', pageSessions, nextSearch, otherSeconds);
        measurements.push({
          key: 'search', label: `person search, a typo in the name, ${clients} clients`, hearth: full,
          baseline: { label: 'exact given and family name in SQL (finds no typo)', figures: baselines.search as LoadFigures },
          target: `p99 < ${targets.searchP99Ms} ms`, met: full.errors === 0 && full.p99 < targets.searchP99Ms,
        });
        measurements.push({ key: 'search_half_load', label: `person search at ${rate}/s (half load)`, hearth: half, target: `p99 < ${targets.searchP99Ms} ms`, met: half.errors === 0 && half.p99 < targets.searchP99Ms });
      }

      if (only.has('intake')) {
        const connections = Math.min(clients, 16);
        console.log(`county: police notifications through the API, ${connections} connections, ${otherSeconds} s…`);
        const next = notificationSource(incidents, `BENCH-${runId}-`, 1);
        const intake = await withCpu<HttpFigures>(() => httpLoad({
          baseUrl: server.baseUrl, connections, durationSeconds: otherSeconds, headersOf: () => ({ authorization: `Bearer ${token}` }),
          next: () => ({ method: 'POST', path: '/api/v1/notifications', body: next() }), ok: (status) => status === 201,
        }));
        measurements.push({
          key: 'intake', label: `police notifications, ${connections} connections`, hearth: intake,
          baseline: { label: 'each stored as one row in SQL (no resolution, flags or audit)', figures: baselines.intake as LoadFigures },
          target: `≥ ${targets.intakePerSecond}/s`, met: intake.errors === 0 && intake.perSecond >= targets.intakePerSecond,
        });
      }
      if (auditOnly) {
        measurements.push({
          key: 'audit_chain', label: `audited transactions alone (the audit chain), ${clients} workers`, hearth: auditOnly,
          ...(baselines.intake ? { baseline: { label: 'one plain insert per transaction (no chain)', figures: baselines.intake } } : {}),
          target: 'reported: the ceiling of audited requests in one area', met: null,
        });
      }
    } finally {
      const peakRss = await server.stop();
      serverPid = null;
      measurements.push({
        key: 'memory', label: 'server peak resident memory over the run', target: 'reported',
        hearth: { count: 0, errors: 0, seconds: 0, perSecond: 0, p50: 0, p99: 0, max: peakRss ?? 0 }, met: null,
      });
      // The contacts the bench's notifications opened are closed, so the next run's front door is the same.
      const tidy = target.engine === 'pglite' ? (reopened = await openBenchDatabase(target, 1)) : handle;
      await closeBenchContacts(tidy.db, areaId, `BENCH-${runId}-`);
    }

    printTable(target, measurements);
    const file = await writeResult('county', {
      engine: target.engine,
      database: target.description,
      area: { code: target.areaCode, seededSeconds, cache: warm.description, ...size, openContacts, sampledChildren: children.ids.length, meanEventsPerChild: children.meanEvents },
      load: { clients, pageSeconds, otherSeconds, serverPoolSize: poolSize, loadAverageBefore: loadBefore },
      measurements,
      targets,
    });
    console.log(`results: ${file}`);
    if (measurements.some((m) => m.met === false)) process.exitCode = 1;
  } finally {
    if (target.engine === 'postgres') await handle.close();
    await reopened?.close();
  }
}

/** The minimal SQL for each measurement, at the same concurrency, on the same number of connections. */
async function measureBaselines(raw: RawSql, areaId: string, childIds: readonly string[], searches: readonly SearchTerm[]) {
  const out: Partial<Record<'page' | 'queue' | 'search' | 'intake', Figures>> = {};
  const nextChild = cycle(childIds);
  const run = (seconds: number, concurrency: number, work: (index: number) => Promise<unknown>) =>
    withCpu(() => closedLoop(concurrency, { durationMs: seconds * 1000 }, async (i) => void (await work(i))));
  if (only.has('page')) {
    await run(5, clients, () => raw.with((c) => personPageSql(c, areaId, nextChild(), benchToday)));
    console.log(`county: baseline, the child's page's SQL, ${clients} workers, ${pageSeconds} s…`);
    out.page = await run(pageSeconds, clients, () => raw.with((c) => personPageSql(c, areaId, nextChild(), benchToday)));
  }
  if (only.has('queue')) {
    console.log(`county: baseline, the queue's SQL, ${clients} workers, ${otherSeconds} s…`);
    out.queue = await run(otherSeconds, clients, () => raw.with((c) => queueSql(c, areaId, new Date())));
  }
  if (only.has('search')) {
    console.log(`county: baseline, exact-name search in SQL, ${clients} workers, ${otherSeconds} s…`);
    const nextTerm = cycle(searches);
    out.search = await run(otherSeconds, clients, () => raw.with((c) => {
      const term = nextTerm();
      return exactNameSearchSql(c, areaId, term.given, term.family);
    }));
  }
  if (only.has('intake')) {
    console.log(`county: baseline, notifications stored as one row each, ${Math.min(clients, 16)} workers, ${otherSeconds} s…`);
    await raw.with((c) => createTrivialInbox(c));
    const body = notificationSource([], 'BASELINE-', 2);
    out.intake = await run(otherSeconds, Math.min(clients, 16), (i) => raw.with((c) => trivialInsertSql(c, areaId, `BASELINE-${i}`, body())));
  }
  return out;
}

/**
 * The audit chain alone: transactions that do nothing but write their audit event, from as many
 * workers as there are clients on as many connections as the server has. Every audited request
 * of an area (each page view, each notification) waits its turn here: the area's chain head is
 * locked from the audit insert to the commit, so this is the most any mix of them can reach.
 */
async function measureAuditChain(handle: DatabaseHandle, areaId: string): Promise<Figures> {
  const user = await handle.db.selectFrom('app_user').select('id').where('area_id', '=', areaId).where('role', '=', 'mash_practitioner').where('kind', '=', 'person').executeTakeFirstOrThrow();
  const gate = new Gate(handle, (await loadActor(handle.db, user.id)) as Actor, { requestId: 'bench-audit', ip: '127.0.0.1' });
  console.log(`county: the audit chain alone, ${clients} workers, ${otherSeconds} s…`);
  return withCpu(() => closedLoop(clients, { durationMs: otherSeconds * 1000 }, (i) =>
    gate.run('person.view', async (scope) => scope.audit({ action: 'bench.audit_probe', details: { note: 'benchmark of the audit chain alone', i } }))));
}

async function signInAll(baseUrl: string, roleList: readonly string[], count: number, target: BenchTarget): Promise<SignedIn[]> {
  const sessions: SignedIn[] = [];
  for (let i = 0; i < count; i++) sessions.push(await signIn(baseUrl, emailOf(roleList[i % roleList.length] as string, target.areaCode), demoPassword));
  return sessions;
}

const cpuText = (cpu: CpuPerRequest | undefined) =>
  cpu ? `${f1(cpu.server)} + ${f1(cpu.database)} + ${f1(cpu.loadGenerator)}` : '';

function printTable(target: BenchTarget, measurements: readonly Measurement[]): void {
  console.log(`\nHearth at county scale: ${target.description}\n`);
  console.log('CPU is milliseconds per request: server + database + the load generator (for the SQL baselines, the SQL client).\n');
  console.log('| measure | Hearth | CPU | baseline in the same run | its CPU | ratio | target | met |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const m of measurements) {
    if (m.key === 'memory') {
      console.log(`| ${m.label} | ${f0(m.hearth.max / 2 ** 20)} MiB | | | | | ${m.target} | |`);
      continue;
    }
    const b = m.baseline?.figures;
    const ratio = b ? `${(m.hearth.p50 / b.p50).toFixed(1)}× p50, ${(b.perSecond / m.hearth.perSecond).toFixed(1)}× throughput` : '';
    const errors = m.hearth.errors > 0 ? ` (${m.hearth.errors} errors: ${JSON.stringify(m.hearth.statuses ?? {})})` : '';
    console.log(`| ${m.label} | ${describe(m.hearth)}${errors} | ${cpuText(m.hearth.cpu)} | ${b ? `${m.baseline?.label}: ${describe(b)}` : ''} | ${cpuText(b?.cpu)} | ${ratio} | ${m.target} | ${m.met === null ? '' : m.met ? 'met' : 'MISSED'} |`);
  }
  console.log(`\n(figures in: ${resultsDir})`);
}
