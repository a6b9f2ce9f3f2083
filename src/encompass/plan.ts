// Planning Operation Encompass for a police domestic abuse incident, inside intake's transaction:
// for each child of school age, who must be told (the school; the local authority for a child
// educated at home; the MASH when no school is known) and by when (before the start of the next
// school day). Each notification is queued in the outbox, so it is sent only if the incident is
// stored, exactly once, and survives a crash.
import type { Scope } from '../access/gate';
import { londonDate } from '../calendar/london';
import { nextSchoolDayStart } from '../calendar/school-day';
import { areaSettings } from '../db/area-settings';
import { isUuid } from '../db/uuid';
import { calendarSettingsOf } from '../frontdoor/time';
import { enqueue } from '../outbox/enqueue';
import { HearthError, notFound } from '../server/errors';
import { schoolAgeOn } from './school-age';
import { deliverTopic, type DeliverPayload, type EncompassRoute } from './topics';

export interface PlannedNotification {
  childPersonId: string;
  recipientAgencyId: string;
  route: EncompassRoute;
  dueAt: Date;
  outboxId: number;
}

/** The area's education safeguarding lead and its MASH, the oldest of each kind when there are several (ties by id, as mashAgencyId): one statement for both. */
async function leadAndMash(scope: Scope) {
  const rows = await scope.db
    .selectFrom('agency')
    .select(['id', 'name', 'kind'])
    .where('kind', 'in', ['education_safeguarding', 'childrens_social_care'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return { educationLead: rows.find((r) => r.kind === 'education_safeguarding'), mash: rows.find((r) => r.kind === 'childrens_social_care') };
}

export async function planEncompassForIncident(scope: Scope, eventId: string, notifiedAt: Date): Promise<PlannedNotification[]> {
  if (!isUuid(eventId)) throw notFound('The incident');
  const event = await scope.db.selectFrom('event').select(['id', 'kind', 'occurred_at']).where('id', '=', eventId).executeTakeFirst();
  if (!event) throw notFound('The incident');
  if (event.kind !== 'police_da_incident') {
    throw new HearthError('bad_request', 'Operation Encompass applies to police domestic abuse incidents only.');
  }
  // The area's settings hold more than its calendar (identity, risk): only the calendar is read here.
  const { schoolDayStart } = calendarSettingsOf(await areaSettings(scope.db, scope.actor.areaId));
  const dueAt = nextSchoolDayStart(notifiedAt, { schoolDayStart });
  const incidentDate = londonDate(event.occurred_at);

  const children = await scope.db
    .selectFrom('event_person as ep')
    .innerJoin('person as p', 'p.id', 'ep.person_id')
    .select(['p.id', 'p.date_of_birth', 'p.expected_date_of_birth'])
    .where('ep.event_id', '=', eventId)
    .where('ep.role', '=', 'child')
    .orderBy('p.date_of_birth')
    .execute();
  // A child whose date of birth is not recorded may be of school age, so a school or the MASH is
  // told rather than no one; an unborn child (an expected date only) is not of school age.
  const toTell = children.filter((c) => (c.date_of_birth === null ? c.expected_date_of_birth === null : schoolAgeOn(c.date_of_birth, incidentDate)));
  if (toTell.length === 0) return [];

  const education = await scope.db
    .selectFrom('education as e')
    .leftJoin('agency as school', 'school.id', 'e.school_agency_id')
    .select(['e.person_id', 'e.school_agency_id', 'school.name as school_name', 'e.home_educated'])
    .where('e.person_id', 'in', toTell.map((c) => c.id))
    .where((w) => w.or([w('e.from_date', 'is', null), w('e.from_date', '<=', incidentDate)]))
    .where((w) => w.or([w('e.to_date', 'is', null), w('e.to_date', '>=', incidentDate)]))
    .execute();
  const { educationLead, mash } = await leadAndMash(scope);

  const planned: { childPersonId: string; recipientAgencyId: string; route: EncompassRoute }[] = [];
  for (const child of toTell) {
    const current = education.filter((e) => e.person_id === child.id);
    // A child registered at two schools (dual registration) is notified to both.
    const schools = [...new Set(current.flatMap((e) => (e.school_agency_id && !e.home_educated ? [e.school_agency_id] : [])))];
    const recipients: { recipientAgencyId: string; route: EncompassRoute }[] = schools.map((id) => ({ recipientAgencyId: id, route: 'school' }));
    // Educated at home: the local authority is told, through its children's services when it
    // has no education safeguarding lead in Hearth.
    const authority = educationLead ?? mash;
    if (current.some((e) => e.home_educated) && authority) recipients.push({ recipientAgencyId: authority.id, route: 'home_educated' });
    if (recipients.length === 0) {
      if (!mash) throw new HearthError('conflict', 'This area has no children’s social care agency to tell that a child’s school is not known. An administrator must add it.');
      recipients.push({ recipientAgencyId: mash.id, route: 'no_school_known' });
    }
    planned.push(...recipients.map((r) => ({ childPersonId: child.id, ...r })));
  }

  const agencyNames = new Map<string, string>([
    ...education.flatMap((e) => (e.school_agency_id && e.school_name ? [[e.school_agency_id, e.school_name] as const] : [])),
    ...[educationLead, mash].flatMap((a) => (a ? [[a.id, a.name] as const] : [])),
  ]);
  const result: PlannedNotification[] = [];
  for (const p of planned) {
    const payload: DeliverPayload = { eventId, ...p, dueAt: dueAt.toISOString() };
    const { id } = await enqueue(scope.db, {
      areaId: scope.actor.areaId,
      topic: deliverTopic,
      dedupeKey: `${eventId}:${p.childPersonId}:${p.recipientAgencyId}`,
      payload,
      summary: summaryOf(p.route, agencyNames.get(p.recipientAgencyId) ?? 'an agency'),
    });
    result.push({ ...p, dueAt, outboxId: id });
  }
  for (const child of toTell) {
    const mine = result.filter((r) => r.childPersonId === child.id);
    scope.audit({
      action: 'encompass.plan', recordType: 'event', recordId: eventId, subjectPersonId: child.id,
      details: { recipients: mine.map((r) => ({ agencyId: r.recipientAgencyId, route: r.route })), dueAt: dueAt.toISOString() },
    });
  }
  return result;
}

function summaryOf(route: EncompassRoute, agencyName: string): string {
  if (route === 'no_school_known') return `Operation Encompass: tell ${agencyName} (MASH) that no school is known for a child in a police incident`;
  if (route === 'home_educated') return `Operation Encompass: notify ${agencyName} of a police incident involving a child educated at home`;
  return `Operation Encompass: notify ${agencyName} of a police incident involving a pupil`;
}
