// Recomputing risk when an event arrives, in the same transaction that stores it: the incident's
// DASH checklist, the MARAC recommendation for its adult victims, and the pattern flags of every
// child and household whose picture the event changes. Nothing here waits for a job: the flags
// are there as soon as the notification is received.
import { sql, type Kysely } from 'kysely';
import type { Scope } from '../access/gate';
import { londonDate } from '../calendar/london';
import type { Database } from '../db/schema';
import { circlesOf, computeCircleFlags, storeFlags, type StoreOutcome } from './flags';
import { loadRiskSettings } from './settings';
import { storeDashOfEvents, storeMaracRecommendations } from './store';

export interface Affected {
  children: string[];
  households: string[];
}

/**
 * The children and households whose flags an event may change: the children in it; the
 * children of its people (other than its alleged perpetrators), those living with them and
 * those in incidents where they were the victim; the children of the alleged perpetrators'
 * incidents anywhere (their "linked to other victims" flag); and the children's households.
 */
export async function affectedBy(db: Kysely<Database>, areaId: string, eventId: string, asOf: string): Promise<Affected> {
  const { rows } = await sql<{ kind: 'child' | 'household'; id: string }>`
    WITH inside AS (SELECT person_id, role FROM event_person WHERE area_id = ${areaId} AND event_id = ${eventId}),
    candidates AS (
      SELECT person_id FROM inside
      UNION SELECT r.related_person_id FROM relationship r JOIN inside i ON i.person_id = r.person_id
        WHERE r.area_id = ${areaId} AND r.kind IN ('parent_of', 'carer_of') AND i.role <> 'alleged_perpetrator'
      UNION SELECT o.person_id FROM household_member m JOIN inside i ON i.person_id = m.person_id
        JOIN household_member o ON o.household_id = m.household_id
        WHERE m.area_id = ${areaId} AND i.role <> 'alleged_perpetrator' AND (m.to_date IS NULL OR m.to_date > ${asOf}::date)
          AND (o.to_date IS NULL OR o.to_date > ${asOf}::date)
      UNION SELECT c.person_id FROM event_person v JOIN inside i ON i.person_id = v.person_id AND i.role <> 'alleged_perpetrator'
        JOIN event_person c ON c.event_id = v.event_id AND c.role = 'child'
        WHERE v.area_id = ${areaId} AND v.role = 'adult_victim'
      UNION SELECT c.person_id FROM event_person x JOIN inside i ON i.person_id = x.person_id AND i.role = 'alleged_perpetrator'
        JOIN event_person c ON c.event_id = x.event_id AND c.role = 'child'
        WHERE x.area_id = ${areaId} AND x.role = 'alleged_perpetrator'
    ),
    children AS (
      SELECT p.id FROM candidates k JOIN person p ON p.id = k.person_id
      WHERE p.merged_into IS NULL
        AND (p.date_of_birth > (${asOf}::date - interval '18 years') OR (p.date_of_birth IS NULL AND p.expected_date_of_birth IS NOT NULL))
    )
    SELECT 'child' AS kind, id FROM children
    UNION
    SELECT 'household', m.household_id FROM household_member m JOIN children c ON c.id = m.person_id
    WHERE m.area_id = ${areaId} AND (m.from_date IS NULL OR m.from_date <= ${asOf}::date) AND (m.to_date IS NULL OR m.to_date > ${asOf}::date)
    ORDER BY 1, 2`.execute(db);
  return { children: rows.filter((r) => r.kind === 'child').map((r) => r.id), households: rows.filter((r) => r.kind === 'household').map((r) => r.id) };
}

export interface RecomputeOutcome extends StoreOutcome {
  children: number;
  households: number;
  maracRecommended: number;
}

/**
 * Everything that follows from a new event: called by intake after storing it, in the gate's
 * transaction. Judged at `receivedAt` (or at the event, when a sender's clock runs slightly ahead).
 */
export async function recomputeRiskForEvent(scope: Scope, eventId: string, receivedAt: Date): Promise<RecomputeOutcome> {
  const { db } = scope;
  const areaId = scope.actor.areaId;
  const settings = await loadRiskSettings(db, areaId);
  const event = await db.selectFrom('event').select(['kind', 'occurred_at']).where('id', '=', eventId).executeTakeFirstOrThrow();
  const asOf = new Date(Math.max(receivedAt.getTime(), event.occurred_at.getTime()));

  await storeDashOfEvents(db, areaId, [eventId], settings.dash);
  const incident = (settings.patterns.incidentKinds as readonly string[]).includes(event.kind);
  // The victim of a police incident is named so; another agency's disclosure is the subject's own.
  const victims = incident
    ? (await db.selectFrom('event_person').select(['person_id', 'role']).where('event_id', '=', eventId).execute())
      .filter((p) => p.role === 'adult_victim' || (p.role === 'subject' && event.kind !== 'police_da_incident'))
    : [];
  // Who the event affects does not depend on the MARAC recommendations: both are sent together.
  const [marac, affected] = await Promise.all([
    storeMaracRecommendations(db, areaId, victims.map((v) => ({ victimId: v.person_id, eventId })), settings, receivedAt),
    affectedBy(db, areaId, eventId, londonDate(asOf)),
  ]);
  const circles = await circlesOf(db, areaId, affected, asOf);
  const results = await computeCircleFlags(db, areaId, circles, asOf, settings.patterns);
  const stored = await storeFlags(db, areaId, results, { now: receivedAt, eventId, lock: true });
  const outcome = { ...stored, children: affected.children.length, households: affected.households.length, maracRecommended: marac.filter((m) => m.recommended).length };
  scope.audit({ action: 'risk.recompute', recordType: 'event', recordId: eventId, details: { ...outcome } });
  return outcome;
}
