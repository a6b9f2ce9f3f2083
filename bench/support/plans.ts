// The plans of the hot queries, exactly as Hearth sends them: the child's page (as its route
// reads it: the person, the chronology, the risk), the front-door queue, a search and a police
// notification are run through the gate (as a MASH practitioner; the notification as the police
// records system) with every query recorded
// (SQL, parameters, time), then each is explained with EXPLAIN (ANALYZE, BUFFERS) under the
// application's role and area, so row-level security is in the plan as it is in production.
// Written to bench/results/plans-<time>.json for docs/performance.md.
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { Gate } from '../../src/access/gate';
import type { Actor } from '../../src/access/actor';
import { loadActor } from '../../src/auth/actors';
import { noFilter, personChronology } from '../../src/chronology/chronology';
import type { DatabaseHandle } from '../../src/db/database';
import type { Database } from '../../src/db/schema';
import { listQueue, queueFilterSchema } from '../../src/frontdoor/queue';
import { receivePoliceNotification } from '../../src/intake/receive';
import { policeNotificationSchema } from '../../src/intake/schemas';
import { viewPerson } from '../../src/people/person';
import { loadPersonRisk } from '../../src/risk';
import { searchPeople } from '../../src/people/search';
import type { BenchTarget } from './area';
import { writeResult } from './results';

interface Recorded {
  step: string;
  query: CompiledQuery;
  ms: number;
}

// The same type parsing as Hearth's own pool (src/db/database.ts): counts as numbers, dates as text.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;
const typeParser = ((oid: number, format?: 'text' | 'binary') => {
  if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
  if (oid === DATE) return (v: string) => v;
  return pg.types.getTypeParser(oid, format);
}) as typeof pg.types.getTypeParser;

export async function writePlans(target: BenchTarget, areaId: string, childId: string, notification: string): Promise<string> {
  const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 2, options: '-c TimeZone=UTC', types: { getTypeParser: typeParser } });
  const recorded: Recorded[] = [];
  let step = '';
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query' && step) recorded.push({ step, query: event.query, ms: event.queryDurationMillis });
    },
  });
  const handle: DatabaseHandle = {
    db, engine: 'postgres', transaction: (work) => db.transaction().execute(work), runScript: async () => undefined, bulkTransaction: async () => { throw new Error('not used by the plans'); }, close: () => db.destroy(),
  };
  try {
    const user = await db.selectFrom('app_user').select('id').where('area_id', '=', areaId).where('role', '=', 'mash_practitioner').where('kind', '=', 'person').executeTakeFirstOrThrow();
    const actor = (await loadActor(db, user.id)) as Actor;
    const gate = new Gate(handle, actor, { requestId: 'bench-plans', ip: '127.0.0.1' });
    const name = await db.selectFrom('person').select(['given_name', 'family_name']).where('id', '=', childId).executeTakeFirstOrThrow();

    step = "child's page";
    await gate.run('person.view', async (scope) => {
      const person = await viewPerson(scope, childId);
      await Promise.all([personChronology(scope, person.id, noFilter), loadPersonRisk(scope, person.id)]);
    });
    step = 'front-door queue';
    await gate.run('contact.view', (scope) => listQueue(scope, queueFilterSchema.parse({})));
    step = 'person search';
    await gate.run('person.search', (scope) => searchPeople(scope, { name: `${name.given_name} ${(name.family_name ?? '').slice(0, -1)}`, dateOfBirth: undefined, nhsNumber: undefined, postcode: undefined, page: 1 }));
    const system = await db.selectFrom('app_user').select('id').where('area_id', '=', areaId).where('kind', '=', 'system').executeTakeFirstOrThrow();
    const police = new Gate(handle, (await loadActor(db, system.id)) as Actor, { requestId: 'bench-plans', ip: '127.0.0.1' });
    step = 'police notification';
    await police.run('intake.notify_incident', (scope) => receivePoliceNotification(scope, policeNotificationSchema.parse(JSON.parse(notification)), new Date()));
    step = '';

    const queries: { step: string; ms: number; sql: string; plan: string[] }[] = [];
    for (const r of recorded) {
      if (/^\s*select set_config/i.test(r.query.sql)) continue;
      // What a notification writes is already written: only its reads are explained.
      if (r.step === 'police notification' && !/^\s*(select|with)/i.test(r.query.sql)) {
        queries.push({ step: r.step, ms: r.ms, sql: r.query.sql, plan: [] });
        continue;
      }
      const client = await pool.connect();
      let plan: string[];
      try {
        await client.query('BEGIN');
        await client.query(`SELECT set_config('role', 'hearth_app', true), set_config('hearth.area_id', $1, true)`, [areaId]);
        const explained = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${r.query.sql}`, r.query.parameters as unknown[]);
        plan = explained.rows.map((row: Record<string, string>) => row['QUERY PLAN'] as string);
      } catch (error) {
        plan = [`(not explained: ${(error as Error).message})`];
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
      queries.push({ step: r.step, ms: r.ms, sql: r.query.sql, plan });
    }
    return writeResult('plans', { engine: 'postgres', database: target.description, queries });
  } finally {
    await db.destroy();
  }
}
