// The daily refresh of open flags. Flags are recomputed when an event arrives, but some end with
// time alone: "3 incidents in 12 months" no longer holds once the first is 13 months old, and a
// baby grows past 18 months. Once a day the background work recomputes every child and household
// with an open flag, as of that moment, so such a flag is cleared (it stays in the history) even
// when no new event comes. Each area is refreshed in its own transactions, a batch of subjects at
// a time, and audited as the system's work. The daily run claims each area's day in
// risk_refresh_run first, so that a restarted server, or a second one, does not do it again.
import { sql, type Kysely } from 'kysely';
import { writeAudit } from '../access/audit';
import { enterArea } from '../access/gate';
import { londonDate } from '../calendar/london';
import type { DatabaseHandle } from '../db/database';
import type { Database } from '../db/schema';
import type { WorkLogger } from '../outbox/worker';
import { circlesOf, computeCircleFlags, storeFlags } from './flags';
import { loadRiskSettings } from './settings';
import { subjectKey, type Subject } from './sources';

export interface RefreshSummary {
  areas: number;
  subjects: number;
  updated: number;
  cleared: number;
  failedAreas: number;
  /** Areas whose day another run (this server before a restart, or another server) has claimed. */
  skippedAreas: number;
}

export interface RefreshOptions {
  log?: Pick<WorkLogger, 'error'>;
  /** The background work's once-a-day run: each area at most once per London day, across servers. */
  daily?: boolean;
}

/** A claim left unfinished this long belongs to a server that stopped mid-way: it may be taken over. */
const abandonedAfterMs = 3_600_000;

/** Claims an area's day for this run; false when another has it (finished, or still working). */
async function claimDay(db: Kysely<Database>, areaId: string, day: string, now: Date): Promise<boolean> {
  const claimed = await db
    .insertInto('risk_refresh_run')
    .values({ area_id: areaId, day, started_at: now })
    .onConflict((oc) => oc.columns(['area_id', 'day']).doUpdateSet({ started_at: now })
      .where('risk_refresh_run.finished_at', 'is', null)
      .where('risk_refresh_run.started_at', '<', new Date(now.getTime() - abandonedAfterMs)))
    .returning('area_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Subjects recomputed per transaction: short enough not to hold their locks long. */
const batchSize = 200;

export async function refreshOpenFlags(database: DatabaseHandle, now: Date, options: RefreshOptions = {}): Promise<RefreshSummary> {
  // Found on the owner connection, as they belong to every area; each area is refreshed in its own.
  const areas = await database.db.selectFrom('risk_flag').select('area_id').distinct().where('cleared_at', 'is', null).orderBy('area_id').execute();
  const day = londonDate(now);
  const summary: RefreshSummary = { areas: areas.length, subjects: 0, updated: 0, cleared: 0, failedAreas: 0, skippedAreas: 0 };
  for (const { area_id: areaId } of areas) {
    if (options.daily && !(await claimDay(database.db, areaId, day, now))) {
      summary.skippedAreas++;
      continue;
    }
    const open = await database.db
      .selectFrom('risk_flag')
      .select(['person_id', 'household_id'])
      .distinct()
      .where('area_id', '=', areaId)
      .where('cleared_at', 'is', null)
      .execute();
    const subjects = { children: new Set<string>(), households: new Set<string>() };
    for (const row of open) {
      if (row.person_id) subjects.children.add(row.person_id);
      if (row.household_id) subjects.households.add(row.household_id);
    }
    const all: Subject[] = [
      ...[...subjects.children].map((personId) => ({ kind: 'child' as const, personId })),
      ...[...subjects.households].map((householdId) => ({ kind: 'household' as const, householdId })),
    ];
    const outcome = { subjects: 0, updated: 0, cleared: 0, raised: 0 };
    try {
      for (let i = 0; i < all.length; i += batchSize) {
        const batch = all.slice(i, i + batchSize);
        const stored = await database.db.transaction().execute(async (db) => {
          await enterArea(db, areaId);
          const settings = await loadRiskSettings(db, areaId);
          const circles = await circlesOf(db, areaId, {
            children: batch.flatMap((s) => (s.kind === 'child' ? [s.personId] : [])),
            households: batch.flatMap((s) => (s.kind === 'household' ? [s.householdId] : [])),
          }, now);
          const results = await computeCircleFlags(db, areaId, circles, now, settings.patterns);
          // A subject with no circle today (a household that has ended) raises nothing: its open flags clear.
          const computed = new Set(results.map((r) => subjectKey(r.subject)));
          const gone = batch.filter((s) => !computed.has(subjectKey(s))).map((subject) => ({ subject, flags: [] }));
          return storeFlags(db, areaId, [...results, ...gone], { now, eventId: null, lock: true });
        });
        outcome.subjects += batch.length;
        outcome.updated += stored.updated;
        outcome.cleared += stored.cleared;
        outcome.raised += stored.raised;
      }
      await database.db.transaction().execute(async (db) => {
        await enterArea(db, areaId);
        await writeAudit(db, { areaId }, [{ action: 'risk.refresh', details: { ...outcome, asOf: now.toISOString() } }]);
      });
      await database.db.insertInto('risk_refresh_run').values({ area_id: areaId, day, started_at: now, finished_at: sql<Date>`now()` })
        .onConflict((oc) => oc.columns(['area_id', 'day']).doUpdateSet({ finished_at: sql<Date>`now()` }))
        .execute();
    } catch (error) {
      summary.failedAreas++;
      // Unclaimed again, so that another server, or this one restarted, can try.
      if (options.daily) await database.db.deleteFrom('risk_refresh_run').where('area_id', '=', areaId).where('day', '=', day).where('finished_at', 'is', null).execute();
      options.log?.error({ err: error, areaId }, 'could not refresh the open flags of an area; it is tried again tomorrow or when a server starts');
    }
    summary.subjects += outcome.subjects;
    summary.updated += outcome.updated;
    summary.cleared += outcome.cleared;
  }
  return summary;
}
