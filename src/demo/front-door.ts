// The demo area's live work, made after its history: a busy front door (contacts at every stage,
// overdue ones among them) and Operation Encompass notifications for the last few days' police
// incidents, queued in the outbox as intake queues them, so the running server delivers them.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Gate } from '../access/gate';
import { loadActor } from '../auth/actors';
import { addDays } from '../calendar/dates';
import { londonInstant } from '../calendar/london';
import type { DatabaseHandle } from '../db/database';
import { planEncompassForIncident } from '../encompass/plan';
import { seedFrontDoorDemo, type FrontDoorDemoResult } from '../frontdoor';
import { seedSharingDemo } from '../sharing/demo';
import type { Prng } from './prng';

export interface DemoLiveWork {
  frontDoor: FrontDoorDemoResult;
  encompassNotifications: number;
}

/** Days of police incidents whose schools are (still) being told. */
const encompassDays = 4;

export async function seedDemoLiveWork(handle: DatabaseHandle, areaId: string, today: string, prng: Prng): Promise<DemoLiveWork> {
  await placeSchoolLeadAtBusiestSchool(handle, areaId, today);
  const frontDoor = await seedFrontDoorDemo(handle.db, areaId, { today, random: () => prng.float() });
  // Cases held by the demo teams, and the demo inspector's window of access (src/sharing).
  await seedSharingDemo(handle, areaId, today);

  const officer = await handle.db.selectFrom('app_user').select('id').where('area_id', '=', areaId).where('role', '=', 'police_officer')
    .where('kind', '=', 'person').orderBy('created_at').orderBy('id').executeTakeFirst();
  const actor = officer ? await loadActor(handle.db, officer.id) : null;
  if (!actor) return { frontDoor, encompassNotifications: 0 };
  const incidents = await handle.db.selectFrom('event').select(['id', 'recorded_at'])
    .where('area_id', '=', areaId).where('kind', '=', 'police_da_incident')
    .where('recorded_at', '>=', londonInstant(addDays(today, -encompassDays), '00:00'))
    .where('recorded_at', '<', londonInstant(today, '00:00'))
    .orderBy('recorded_at').execute();
  const gate = new Gate(handle, actor, { requestId: `demo-${randomBytes(4).toString('hex')}`, ip: '127.0.0.1' });
  let encompassNotifications = 0;
  for (const incident of incidents) {
    const planned = await gate.run('intake.notify_incident', (scope) => planEncompassForIncident(scope, incident.id, incident.recorded_at));
    encompassNotifications += planned.length;
  }
  return { frontDoor, encompassNotifications };
}

/**
 * The demo's school safeguarding lead works at the school with the most children in the
 * last three weeks' police incidents, so that their inbox and agency checks have work in them.
 */
async function placeSchoolLeadAtBusiestSchool(handle: DatabaseHandle, areaId: string, today: string): Promise<void> {
  const busiest = await sql<{ school_agency_id: string }>`
    SELECT ed.school_agency_id
    FROM event e
    JOIN event_person ep ON ep.event_id = e.id AND ep.role = 'child'
    JOIN education ed ON ed.person_id = ep.person_id AND ed.to_date IS NULL AND ed.school_agency_id IS NOT NULL
    JOIN agency s ON s.id = ed.school_agency_id AND s.kind = 'school'
    WHERE e.area_id = ${areaId} AND e.kind = 'police_da_incident' AND e.occurred_at >= ${londonInstant(addDays(today, -21), '00:00')}
    GROUP BY ed.school_agency_id
    ORDER BY count(*) DESC, ed.school_agency_id
    LIMIT 1`.execute(handle.db);
  const school = busiest.rows[0]?.school_agency_id;
  if (!school) return;
  await handle.db.updateTable('app_user').set({ agency_id: school })
    .where('area_id', '=', areaId).where('role', '=', 'school_dsl').where('kind', '=', 'person').execute();
}
