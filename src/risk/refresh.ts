// The daily refresh of open flags. Flags are recomputed when an event arrives, but some end with
// time alone: "3 incidents in 12 months" no longer holds once the first is 13 months old, and a
// baby grows past 18 months. Once a day the background work recomputes every child and household
// with an open flag, as of that moment, so such a flag is cleared (it stays in the history) even
// when no new event comes. Each area is refreshed in its own transactions, a batch of subjects at
// a time, and audited as the system's work.
import { writeAudit } from '../access/audit';
import { enterArea } from '../access/gate';
import type { DatabaseHandle } from '../db/database';
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
}

/** Subjects recomputed per transaction: short enough not to hold their locks long. */
const batchSize = 200;

export async function refreshOpenFlags(
  database: DatabaseHandle, now: Date, options: { log?: Pick<WorkLogger, 'error'> } = {},
): Promise<RefreshSummary> {
  // Found on the owner connection, as they belong to every area; each area is refreshed in its own.
  const open = await database.db
    .selectFrom('risk_flag')
    .select(['area_id', 'person_id', 'household_id'])
    .distinct()
    .where('cleared_at', 'is', null)
    .orderBy('area_id')
    .execute();
  const byArea = new Map<string, { children: Set<string>; households: Set<string> }>();
  for (const row of open) {
    const area = byArea.get(row.area_id) ?? { children: new Set<string>(), households: new Set<string>() };
    if (row.person_id) area.children.add(row.person_id);
    if (row.household_id) area.households.add(row.household_id);
    byArea.set(row.area_id, area);
  }

  const summary: RefreshSummary = { areas: byArea.size, subjects: 0, updated: 0, cleared: 0, failedAreas: 0 };
  for (const [areaId, subjects] of byArea) {
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
    } catch (error) {
      summary.failedAreas++;
      options.log?.error({ err: error, areaId }, 'could not refresh the open flags of an area; it is tried again tomorrow');
    }
    summary.subjects += outcome.subjects;
    summary.updated += outcome.updated;
    summary.cleared += outcome.cleared;
  }
  return summary;
}
