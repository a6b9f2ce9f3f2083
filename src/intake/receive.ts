// Receiving notifications and referrals at the front door, in one gated transaction: the item
// becomes an event on the chronology (idempotent on the sender's reference), each person in it is
// resolved to a person Hearth knows or a new one, relationships are recorded, each child gets a
// contact for the MASH, and for a police incident the children's schools are told (Operation
// Encompass) through the outbox. If any step fails, nothing is stored.
import { sql } from 'kysely';
import type { Scope } from '../access/gate';
import { londonInstant } from '../calendar/london';
import type { EventPersonRole, RelationshipKind } from '../db/schema';
import { planEncompassForIncident } from '../encompass/plan';
import { createContactsForEvent, mashAgencyId, type ContactSource } from '../frontdoor';
import { resolveAgencyRecords } from '../identity';
import { recomputeRiskForEvent } from '../risk';
import { HearthError } from '../server/errors';
import type { PersonInput, PoliceNotification, Referral } from './schemas';

export interface ReceivedPerson {
  sourceRef: string;
  role: PersonInput['role'];
  personId: string;
  outcome: string;
}

export interface Received {
  eventId: string;
  /** True when the sender's reference had already been received: nothing new was stored. */
  duplicate: boolean;
  people: ReceivedPerson[];
  contacts: { contactId: string; childPersonId: string; decisionDueAt: Date }[];
  schoolsNotified: number;
}

/** Stores the event unless the same agency already sent this reference; null when it had. */
async function insertEventOnce(
  scope: Scope,
  values: { kind: string; sourceRef: string; occurredAt: Date; summary: string; details: Record<string, unknown>; addressId: string | null },
): Promise<string | null> {
  const inserted = await scope.db
    .insertInto('event')
    .values({
      area_id: scope.actor.areaId,
      agency_id: scope.actor.agencyId,
      kind: values.kind,
      occurred_at: values.occurredAt,
      source_ref: values.sourceRef,
      summary: values.summary,
      details: JSON.stringify(values.details),
      address_id: values.addressId,
      recorded_by: scope.actor.userId,
    })
    .onConflict((oc) => oc.columns(['area_id', 'agency_id', 'kind', 'source_ref']).where('source_ref', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

async function existingEvent(scope: Scope, kind: string, sourceRef: string): Promise<Received> {
  const event = await scope.db
    .selectFrom('event')
    .select('id')
    .where('agency_id', '=', scope.actor.agencyId)
    .where('kind', '=', kind)
    .where('source_ref', '=', sourceRef)
    .executeTakeFirstOrThrow();
  const [people, contacts] = await Promise.all([
    scope.db
      .selectFrom('event_person as ep')
      .leftJoin('agency_record as r', 'r.id', 'ep.agency_record_id')
      .select(['ep.person_id', 'ep.role', 'r.source_ref'])
      .where('ep.event_id', '=', event.id)
      .execute(),
    scope.db.selectFrom('contact').select(['id', 'child_person_id', 'decision_due_at']).where('event_id', '=', event.id).execute(),
  ]);
  scope.audit({ action: 'intake.duplicate', recordType: 'event', recordId: event.id, details: { sourceRef } });
  return {
    eventId: event.id,
    duplicate: true,
    people: people.map((p) => ({ sourceRef: p.source_ref ?? '', role: p.role === 'subject' ? 'other' : p.role, personId: p.person_id, outcome: 'already_received' })),
    contacts: contacts.map((c) => ({ contactId: c.id, childPersonId: c.child_person_id, decisionDueAt: c.decision_due_at })),
    schoolsNotified: 0,
  };
}

async function resolvePeople(scope: Scope, eventId: string, people: PersonInput[]): Promise<ReceivedPerson[]> {
  // Two people named in one notification are two people.
  const results = await resolveAgencyRecords(scope, people.map((p) => ({
    agencyId: scope.actor.agencyId,
    sourceRef: p.sourceRef,
    givenName: p.givenName,
    middleNames: p.middleNames ?? null,
    familyName: p.familyName,
    aliases: p.aliases,
    dateOfBirth: p.dateOfBirth ?? null,
    expectedDateOfBirth: p.expectedDateOfBirth ?? null,
    sex: p.sex ?? null,
    nhsNumber: p.nhsNumber ?? null,
    addresses: p.address ? [{ ...p.address, line2: p.address.line2 ?? null, town: p.address.town ?? null, postcode: p.address.postcode ?? null }] : [],
    phone: p.phone ?? null,
    email: p.email ?? null,
  })), { namedApart: true });
  const resolved = people.map((p, i): ReceivedPerson => ({ sourceRef: p.sourceRef, role: p.role, personId: results[i]!.personId, outcome: results[i]!.outcome }));
  const recordIds = results.map((r) => r.agencyRecordId);
  await scope.db
    .insertInto('event_person')
    .values(people.map((p, i) => ({
      area_id: scope.actor.areaId,
      event_id: eventId,
      person_id: resolved[i]!.personId,
      agency_record_id: recordIds[i]!,
      role: p.role as EventPersonRole,
      child_present: p.role === 'child' ? (p.present ?? null) : null,
      child_voice: p.role === 'child' ? (p.childVoice ?? null) : null,
    })))
    // Two records of one notification resolving to one person: keep the first role.
    .onConflict((oc) => oc.columns(['event_id', 'person_id']).doNothing())
    .execute();
  return resolved;
}

/** Relationships stored once, in either direction. */
const symmetric: readonly RelationshipKind[] = ['partner_of', 'ex_partner_of', 'sibling_of'];

/** Records the relationships a notification states, once each. */
async function recordRelationships(scope: Scope, eventId: string, on: string, people: PersonInput[], resolved: ReceivedPerson[]): Promise<void> {
  const victimIndex = people.findIndex((p) => p.role === 'adult_victim');
  const victim = resolved[victimIndex];
  if (!victim) return;
  const wanted: { from: string; to: string; kind: RelationshipKind }[] = [];
  people.forEach((p, i) => {
    const person = resolved[i]!;
    if (person.personId === victim.personId) return;
    if (p.role === 'alleged_perpetrator') wanted.push({ from: person.personId, to: victim.personId, kind: 'alleged_perpetrator_of' });
    if (p.relationshipToVictim === 'partner') wanted.push({ from: person.personId, to: victim.personId, kind: 'partner_of' });
    if (p.relationshipToVictim === 'ex_partner') wanted.push({ from: person.personId, to: victim.personId, kind: 'ex_partner_of' });
    if (p.relationshipToVictim === 'child') wanted.push({ from: victim.personId, to: person.personId, kind: 'parent_of' });
    if (p.relationshipToVictim === 'parent') wanted.push({ from: person.personId, to: victim.personId, kind: 'parent_of' });
    if (p.relationshipToVictim === 'sibling') wanted.push({ from: person.personId, to: victim.personId, kind: 'sibling_of' });
  });
  const keyOf = (r: (typeof wanted)[number]) => (symmetric.includes(r.kind) && r.to < r.from ? `${r.to} ${r.from} ${r.kind}` : `${r.from} ${r.to} ${r.kind}`);
  const unique = [...new Map(wanted.map((r) => [keyOf(r), r])).values()];
  if (unique.length === 0) return;
  // One statement for all of them, each inserted unless already current.
  await sql`
    INSERT INTO relationship (area_id, person_id, related_person_id, kind, from_date, source_event_id)
    SELECT ${scope.actor.areaId}::uuid, w.from_id, w.to_id, w.kind, ${on}::date, ${eventId}::uuid
    FROM unnest(${unique.map((r) => r.from)}::uuid[], ${unique.map((r) => r.to)}::uuid[], ${unique.map((r) => r.kind)}::text[]) AS w(from_id, to_id, kind)
    WHERE NOT EXISTS (
      SELECT 1 FROM relationship r WHERE r.kind = w.kind AND r.to_date IS NULL
        AND ((r.person_id = w.from_id AND r.related_person_id = w.to_id)
          OR (w.kind = ANY(${symmetric}::text[]) AND r.person_id = w.to_id AND r.related_person_id = w.from_id)))`.execute(scope.db);
}

function incidentSummary(n: PoliceNotification): string {
  const children = n.people.filter((p) => p.role === 'child');
  const present = children.filter((c) => c.present).length;
  const childText = children.length === 0 ? 'no children' : `${children.length} ${children.length === 1 ? 'child' : 'children'}, ${present} present`;
  return `Domestic abuse incident reported by police: ${n.riskGrade} risk; ${childText}.`;
}

export async function receivePoliceNotification(scope: Scope, n: PoliceNotification, receivedAt: Date): Promise<Received> {
  if (scope.actor.agencyKind !== 'police') {
    throw new HearthError('forbidden', 'Only a police force sends domestic abuse incident notifications; refer the concern instead.');
  }
  const occurredOn = n.occurredAt.toISOString().slice(0, 10);
  let addressId: string | null = null;
  if (n.locationConfidential) {
    const address = await scope.db
      .insertInto('address')
      .values({ area_id: scope.actor.areaId, line1: n.location, confidential: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    addressId = address.id;
  }
  const dashYes = n.dash ? Object.values(n.dash.answers).filter((a) => a.answer === 'yes').length : null;
  const details = {
    policeReference: n.policeReference,
    // A confidential place is kept only as a sealed address, never as text that travels.
    location: n.locationConfidential ? null : n.location,
    attendingOfficer: n.attendingOfficer,
    circumstances: n.circumstances,
    injuries: n.injuries ?? 'none recorded',
    weapons: n.weapons ?? 'none recorded',
    dash: n.dash ?? null,
    dashYes,
    riskGrade: n.riskGrade,
    actions: [n.actions.arrest && 'arrest', n.actions.dvpn && 'dvpn', n.actions.idvaReferral && 'idva_referral'].filter(Boolean),
    victimConsent: n.victimConsent,
  };
  const eventId = await insertEventOnce(scope, {
    kind: 'police_da_incident', sourceRef: n.policeReference, occurredAt: n.occurredAt, summary: incidentSummary(n), details, addressId,
  });
  if (!eventId) return existingEvent(scope, 'police_da_incident', n.policeReference);

  const people = await resolvePeople(scope, eventId, n.people);
  const children = n.people.map((p, i) => ({ p, person: people[i]! })).filter(({ p }) => p.role === 'child');
  await scope.db
    .updateTable('event')
    .set({
      details: JSON.stringify({
        ...details,
        children: children.map(({ p, person }) => ({ personId: person.personId, where: p.whereDuringIncident ?? null, demeanour: p.demeanour ?? null })),
      }),
    })
    .where('id', '=', eventId)
    .execute();
  await recordRelationships(scope, eventId, occurredOn, n.people, people);

  const contacts = children.length
    ? await createContactsForEvent(scope, {
        eventId, childPersonIds: children.map((c) => c.person.personId), sourceAgencyId: scope.actor.agencyId, source: 'police_notification', receivedAt,
      })
    : [];
  const planned = children.length ? await planEncompassForIncident(scope, eventId, receivedAt) : [];
  await recomputeRiskForEvent(scope, eventId, receivedAt);
  scope.audit({
    action: 'intake.police_notification', recordType: 'event', recordId: eventId,
    details: { policeReference: n.policeReference, people: people.length, children: children.length, encompass: planned.length },
  });
  return {
    eventId, duplicate: false, people,
    contacts: contacts.map((c) => ({ contactId: c.contactId, childPersonId: c.childPersonId, decisionDueAt: c.decisionDueAt })),
    schoolsNotified: planned.length,
  };
}

const contactSourceOf: Record<Referral['source'], ContactSource> = {
  emergency_department: 'emergency_department', midwifery: 'midwifery', health_visiting: 'health_visiting', gp: 'gp', school: 'school',
  probation: 'probation', housing: 'housing', adult_social_care: 'adult_social_care', self_or_family: 'self_or_family', other: 'other',
};

export async function receiveReferral(scope: Scope, r: Referral, receivedAt: Date): Promise<Received> {
  const details = {
    reference: r.reference, source: r.source, concernDate: r.concernDate, concern: r.concern, domesticAbuse: r.domesticAbuse,
    referrer: r.referrer, consent: r.consent, lawfulBasis: r.lawfulBasis ?? null, justification: r.justification ?? null,
  };
  const childCount = r.people.filter((p) => p.role === 'child').length;
  const eventId = await insertEventOnce(scope, {
    kind: 'referral',
    sourceRef: r.reference,
    occurredAt: londonInstant(r.concernDate, '12:00'),
    summary: `Referral to children’s social care (${r.source.replaceAll('_', ' ')}): ${childCount} ${childCount === 1 ? 'child' : 'children'}${r.domesticAbuse ? ', domestic abuse' : ''}.`,
    details,
    addressId: null,
  });
  if (!eventId) return existingEvent(scope, 'referral', r.reference);

  const people = await resolvePeople(scope, eventId, r.people);
  await recordRelationships(scope, eventId, r.concernDate, r.people, people);
  const childIds = r.people.map((p, i) => (p.role === 'child' ? people[i]!.personId : null)).filter((id): id is string => id !== null);

  // The referral shares these children's information with children's social care.
  const mashId = await mashAgencyId(scope.db);
  if (mashId && mashId !== scope.actor.agencyId) {
    await scope.db
      .insertInto('information_share')
      .values(
        childIds.map((personId) => ({
          area_id: scope.actor.areaId, person_id: personId, from_agency_id: scope.actor.agencyId, to_agency_id: mashId, consent: r.consent,
          lawful_basis: r.lawfulBasis ?? null, justification: r.justification ?? null, decided_by: scope.actor.userId,
        })),
      )
      .execute();
  }
  const contacts = await createContactsForEvent(scope, {
    eventId, childPersonIds: childIds, sourceAgencyId: scope.actor.agencyId, source: contactSourceOf[r.source], receivedAt,
  });
  await recomputeRiskForEvent(scope, eventId, receivedAt);
  scope.audit({ action: 'intake.referral', recordType: 'event', recordId: eventId, details: { reference: r.reference, source: r.source, children: childIds.length } });
  return {
    eventId, duplicate: false, people,
    contacts: contacts.map((c) => ({ contactId: c.contactId, childPersonId: c.childPersonId, decisionDueAt: c.decisionDueAt })),
    schoolsNotified: 0,
  };
}
