// Contacts: one for each child in a notification or referral, as the MASH works it. Intake calls
// createContactsForEvent inside its own gated transaction once the event and its people exist.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { referralDecisionDue } from '../calendar/timescales';
import { notFound, validationFailed } from '../server/errors';
import { recordHistory } from './history';
import { contactSources, type ContactSource } from './labels';
import { loadCalendarSettings, nowOf, type Clock } from './time';

export interface NewContactsInput {
  eventId: string;
  childPersonIds: string[];
  sourceAgencyId: string;
  source: ContactSource;
  receivedAt: Date;
}

export interface CreatedContact {
  contactId: string;
  childPersonId: string;
  /** False when the contact already existed (the same event and child sent again). */
  created: boolean;
  decisionDueAt: Date;
}

const inputSchema = z.object({
  eventId: z.guid('must be the id of an event'),
  childPersonIds: z.array(z.guid('must be the id of a person')).min(1, 'must name at least one child'),
  sourceAgencyId: z.guid('must be the id of an agency'),
  source: z.enum(contactSources, { error: `must be one of ${contactSources.join(', ')}` }),
  receivedAt: z.date({ error: 'must be a date and time' }).refine((d) => !Number.isNaN(d.getTime()), 'must be a valid date and time'),
});

/**
 * The area's MASH team, which new contacts join: a team called MASH in children's social care,
 * the MASH agency's own first (agencies in the order of mashAgencyId).
 */
async function mashTeamId(scope: Scope): Promise<string | null> {
  const team = await scope.db
    .selectFrom('team as t')
    .innerJoin('agency as g', 'g.id', 't.agency_id')
    .select('t.id')
    .where('g.kind', '=', 'childrens_social_care')
    .where(sql<boolean>`lower(t.name) = 'mash'`)
    .orderBy('g.created_at')
    .orderBy('g.id')
    .orderBy('t.created_at')
    .orderBy('t.id')
    .executeTakeFirst();
  return team?.id ?? null;
}

/**
 * One contact for each child of the event, due for decision one working day after receipt on the
 * area's calendar; idempotent on (event, child), so a notification sent twice adds nothing. Each
 * new contact gets a 'received' history entry and a 'contact.create' audit event.
 */
export async function createContactsForEvent(scope: Scope, input: NewContactsInput, clock?: Clock): Promise<CreatedContact[]> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'input', message: i.message })));
  const { eventId, sourceAgencyId, source, receivedAt } = parsed.data;
  const childPersonIds = [...new Set(parsed.data.childPersonIds)];
  const areaId = scope.actor.areaId;

  // Foreign keys do not see row-level security, so everything referred to is checked to be in the area.
  const [event, agency, children] = await Promise.all([
    scope.db.selectFrom('event').select('id').where('id', '=', eventId).executeTakeFirst(),
    scope.db.selectFrom('agency').select('id').where('id', '=', sourceAgencyId).executeTakeFirst(),
    scope.db.selectFrom('person').select('id').where('id', 'in', childPersonIds).execute(),
  ]);
  if (!event) throw notFound('The event');
  if (!agency) throw notFound('The source agency');
  if (children.length !== childPersonIds.length) throw notFound('The child');

  const settings = await loadCalendarSettings(scope.db, areaId);
  const decisionDueAt = referralDecisionDue(receivedAt, settings);
  const teamId = await mashTeamId(scope);
  const now = nowOf(clock);

  const inserted = await scope.db
    .insertInto('contact')
    .values(childPersonIds.map((childPersonId) => ({
      area_id: areaId,
      child_person_id: childPersonId,
      event_id: eventId,
      source_agency_id: sourceAgencyId,
      source,
      received_at: receivedAt,
      decision_due_at: decisionDueAt,
      team_id: teamId,
      created_at: now,
    })))
    .onConflict((oc) => oc.columns(['area_id', 'event_id', 'child_person_id']).doNothing())
    .returning(['id', 'child_person_id', 'decision_due_at'])
    .execute();
  const existing = inserted.length === childPersonIds.length
    ? []
    : await scope.db
        .selectFrom('contact')
        .select(['id', 'child_person_id', 'decision_due_at'])
        .where('event_id', '=', eventId)
        .where('child_person_id', 'in', childPersonIds)
        .where('id', 'not in', inserted.length ? inserted.map((c) => c.id) : ['00000000-0000-0000-0000-000000000000'])
        .execute();

  await recordHistory(scope.db, areaId, inserted.map((c) => ({
    contactId: c.id, action: 'received', actorUserId: scope.actor.userId, at: receivedAt, details: { source, eventId },
  })));
  for (const c of inserted) {
    scope.audit({
      action: 'contact.create', recordType: 'contact', recordId: c.id, subjectPersonId: c.child_person_id,
      details: { eventId, source, decisionDueAt: c.decision_due_at.toISOString() },
    });
  }
  return [
    ...inserted.map((c) => ({ contactId: c.id, childPersonId: c.child_person_id, created: true, decisionDueAt: c.decision_due_at })),
    ...existing.map((c) => ({ contactId: c.id, childPersonId: c.child_person_id, created: false, decisionDueAt: c.decision_due_at })),
  ];
}
