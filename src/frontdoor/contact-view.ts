// A contact's page: the child, the notification or referral that brought them to the front door,
// their recent chronology, the agency checks and their answers, the sharing decisions, the
// decision and its authorisation, and the history. Recorded as a view of the child.
import { sql } from 'kysely';
import type { Scope } from '../access/gate';
import type { ContactDecision, ContactPriority, ContactStage, Consent, EventPersonRole } from '../db/schema';
import { isUuid } from '../db/uuid';
import { openFlagsOfChildren, type OpenFlag } from '../risk';
import { notFound } from '../server/errors';
import { accessLevel } from '../sharing/involvement';
import { safePersonText } from '../sharing/sealed-text';
import { addressColumn, safeDetails, safeEventText, safeSummary } from './sealed';
import { nowOf, type Clock } from './time';

export interface ContactAddress {
  sealed: boolean;
  line1: string | null;
  line2: string | null;
  town: string | null;
  postcode: string | null;
}

export interface ContactView {
  id: string;
  version: number;
  stage: ContactStage;
  priority: ContactPriority | null;
  priorityReason: string | null;
  source: string;
  sourceAgencyName: string;
  receivedAt: Date;
  decisionDueAt: Date;
  teamName: string | null;
  allocatedToId: string | null;
  allocatedTo: string | null;
  screenedBy: string | null;
  screenedAt: Date | null;
  decision: ContactDecision | null;
  decisionReasons: string | null;
  maracReferral: boolean | null;
  decidedById: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  authorisedBy: string | null;
  authorisedAt: Date | null;
  returnedComment: string | null;
  returnedBy: string | null;
  returnedAt: Date | null;
  closedAt: Date | null;
  child: {
    id: string;
    givenName: string | null;
    familyName: string | null;
    dateOfBirth: string | null;
    expectedDateOfBirth: string | null;
    sex: string | null;
    nhsNumber: string | null;
    addresses: ContactAddress[];
  };
  event: {
    id: string;
    kind: string;
    agencyName: string;
    occurredAt: Date;
    recordedAt: Date;
    sourceRef: string | null;
    summary: string;
    details: Record<string, unknown>;
    address: ContactAddress | null;
    people: {
      personId: string;
      givenName: string | null;
      familyName: string | null;
      dateOfBirth: string | null;
      role: EventPersonRole;
      childPresent: boolean | null;
      childVoice: string | null;
    }[];
  };
  chronology: {
    id: string;
    kind: string;
    agencyName: string;
    occurredAt: Date;
    summary: string;
    role: EventPersonRole;
    childPresent: boolean | null;
    childVoice: string | null;
  }[];
  otherContacts: { id: string; receivedAt: Date; stage: ContactStage; decision: ContactDecision | null }[];
  checks: {
    id: string;
    version: number;
    agencyId: string;
    agencyName: string;
    question: string;
    requestedBy: string | null;
    requestedAt: Date;
    dueAt: Date;
    status: 'open' | 'answered' | 'withdrawn';
    knownToAgency: 'yes' | 'no' | 'not_known' | null;
    involvement: string | null;
    concerns: string | null;
    history: string | null;
    answeredBy: string | null;
    answeredAt: Date | null;
    withdrawnReason: string | null;
  }[];
  shares: {
    id: string;
    fromAgencyName: string;
    toAgencyName: string;
    consent: Consent;
    lawfulBasis: string | null;
    justification: string | null;
    decidedBy: string;
    decidedAt: Date;
  }[];
  history: { id: string; action: string; actor: string | null; at: Date; comment: string | null; details: Record<string, unknown> | null }[];
  /** The child's open pattern flags (for roles that may see risk). */
  flags: OpenFlag[];
  now: Date;
}

const recentEvents = 15;

export async function viewContact(scope: Scope, id: string, clock?: Clock): Promise<ContactView> {
  const now = nowOf(clock);
  const refuse = () => {
    scope.audit({ action: 'contact.view', recordType: 'contact', recordId: id });
    return notFound('The contact');
  };
  if (!isUuid(id)) throw refuse();
  const c = await scope.db
    .selectFrom('contact as c')
    .innerJoin('person as p', 'p.id', 'c.child_person_id')
    .innerJoin('agency as g', 'g.id', 'c.source_agency_id')
    .leftJoin('team as t', 't.id', 'c.team_id')
    .leftJoin('app_user as ua', 'ua.id', 'c.allocated_to')
    .leftJoin('app_user as us', 'us.id', 'c.screened_by')
    .leftJoin('app_user as ud', 'ud.id', 'c.decided_by')
    .leftJoin('app_user as uo', 'uo.id', 'c.authorised_by')
    .leftJoin('app_user as ur', 'ur.id', 'c.returned_by')
    .select([
      'c.id', 'c.version', 'c.stage', 'c.priority', 'c.priority_reason', 'c.source', 'g.name as source_agency_name', 'c.received_at',
      'c.decision_due_at', 't.name as team_name', 'c.allocated_to', 'ua.display_name as allocated_name', 'us.display_name as screened_name',
      'c.screened_at', 'c.decision', 'c.decision_reasons', 'c.marac_referral', 'c.decided_by', 'ud.display_name as decided_name',
      'c.decided_at', 'uo.display_name as authorised_name', 'c.authorised_at', 'c.returned_comment', 'ur.display_name as returned_name',
      'c.returned_at', 'c.closed_at', 'c.event_id',
      'p.id as child_id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.expected_date_of_birth', 'p.sex', 'p.nhs_number',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!c) throw refuse();
  // Open contacts are the front door's work; a closed one is the child's record, seen only with full access to the child.
  if (c.stage === 'closed' && (await accessLevel(scope, c.child_id, clock)) !== 'full') throw refuse();
  scope.audit({ action: 'contact.view', recordType: 'contact', recordId: id, subjectPersonId: c.child_id });

  const canSeeSealed = scope.can('address.view_confidential');
  const childId = c.child_id;

  const event = await scope.db
    .selectFrom('event as e')
    .innerJoin('agency as g', 'g.id', 'e.agency_id')
    .leftJoin('address as a', 'a.id', 'e.address_id')
    .select([
      'e.id', 'e.kind', 'g.name as agency_name', 'e.occurred_at', 'e.recorded_at', 'e.source_ref', 'a.id as address_id', 'a.confidential',
      safeSummary(canSeeSealed).as('summary'), safeDetails(canSeeSealed).as('details'),
      addressColumn(canSeeSealed, 'line1').as('line1'), addressColumn(canSeeSealed, 'line2').as('line2'),
      addressColumn(canSeeSealed, 'town').as('town'), addressColumn(canSeeSealed, 'postcode').as('postcode'),
    ])
    .where('e.id', '=', c.event_id)
    .executeTakeFirstOrThrow();

  const people = await scope.db
    .selectFrom('event_person as ep')
    .innerJoin('person as p', 'p.id', 'ep.person_id')
    .innerJoin('event as e', 'e.id', 'ep.event_id')
    .select(['p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'ep.role', 'ep.child_present', safeEventText(canSeeSealed, sql`ep.child_voice`).as('child_voice')])
    .where('ep.event_id', '=', c.event_id)
    .orderBy(sql`CASE ep.role WHEN 'child' THEN 0 WHEN 'adult_victim' THEN 1 WHEN 'alleged_perpetrator' THEN 2 ELSE 3 END`)
    .orderBy('p.date_of_birth')
    .execute();

  const addresses = await scope.db
    .selectFrom('person_address as pa')
    .innerJoin('address as a', 'a.id', 'pa.address_id')
    .select([
      'a.id', 'a.confidential',
      addressColumn(canSeeSealed, 'line1').as('line1'), addressColumn(canSeeSealed, 'line2').as('line2'),
      addressColumn(canSeeSealed, 'town').as('town'), addressColumn(canSeeSealed, 'postcode').as('postcode'),
      sql<string | null>`max(pa.from_date)`.as('from_date'),
    ])
    .where('pa.person_id', '=', childId)
    .where('pa.to_date', 'is', null)
    .groupBy(['a.id', 'a.confidential', 'a.line1', 'a.line2', 'a.town', 'a.postcode'])
    .orderBy(sql`max(pa.from_date)`, (ob) => ob.desc().nullsLast())
    .limit(3)
    .execute();

  const chronology = await scope.db
    .selectFrom('event_person as ep')
    .innerJoin('event as e', 'e.id', 'ep.event_id')
    .innerJoin('agency as g', 'g.id', 'e.agency_id')
    .select(['e.id', 'e.kind', 'g.name as agency_name', 'e.occurred_at', safeSummary(canSeeSealed).as('summary'), 'ep.role', 'ep.child_present', safeEventText(canSeeSealed, sql`ep.child_voice`).as('child_voice')])
    .where('ep.person_id', '=', childId)
    .orderBy('e.occurred_at', 'desc')
    .limit(recentEvents)
    .execute();

  const otherContacts = await scope.db
    .selectFrom('contact')
    .select(['id', 'received_at', 'stage', 'decision'])
    .where('child_person_id', '=', childId)
    .where('id', '<>', id)
    .orderBy('received_at', 'desc')
    .limit(10)
    .execute();

  const history = await scope.db
    .selectFrom('contact_history as h')
    .leftJoin('app_user as u', 'u.id', 'h.actor_user_id')
    .select(['h.id', 'h.action', 'u.display_name', 'h.at', 'h.comment', 'h.details'])
    .where('h.contact_id', '=', id)
    .orderBy('h.at', 'desc')
    .orderBy('h.id')
    .execute();

  const checks = await scope.db
    .selectFrom('agency_check as k')
    .innerJoin('agency as g', 'g.id', 'k.agency_id')
    .leftJoin('app_user as ur', 'ur.id', 'k.requested_by')
    .leftJoin('app_user as ua', 'ua.id', 'k.answered_by')
    .select([
      'k.id', 'k.version', 'k.agency_id', 'g.name as agency_name', 'k.question', 'ur.display_name as requested_name', 'k.requested_at',
      'k.due_at', 'k.status', 'k.known_to_agency', 'k.involvement', 'k.concerns', 'k.history', 'ua.display_name as answered_name', 'k.answered_at',
    ])
    .where('k.contact_id', '=', id)
    .orderBy('g.name')
    .execute();

  const shares = await scope.db
    .selectFrom('information_share as s')
    .innerJoin('agency as gf', 'gf.id', 's.from_agency_id')
    .innerJoin('agency as gt', 'gt.id', 's.to_agency_id')
    .innerJoin('app_user as u', 'u.id', 's.decided_by')
    .select(['s.id', 'gf.name as from_name', 'gt.name as to_name', 's.consent', 's.lawful_basis', safePersonText(canSeeSealed, sql`s.justification`, sql`s.person_id`).as('justification'), 'u.display_name', 's.decided_at'])
    .where('s.contact_id', '=', id)
    .orderBy('s.decided_at')
    .orderBy('gt.name')
    .execute();

  const flags = scope.can('risk.view') ? ((await openFlagsOfChildren(scope.db, [childId])).get(childId) ?? []) : [];

  const withdrawnReasons = new Map<string, string | null>();
  for (const h of history) {
    const checkId = h.details?.['checkId'];
    if (h.action === 'check_withdrawn' && typeof checkId === 'string') withdrawnReasons.set(checkId, h.comment);
  }
  const address = (a: { confidential: boolean | null; line1: string | null; line2: string | null; town: string | null; postcode: string | null }): ContactAddress => ({
    sealed: Boolean(a.confidential) && !canSeeSealed, line1: a.line1, line2: a.line2, town: a.town, postcode: a.postcode,
  });

  return {
    id: c.id, version: c.version, stage: c.stage, priority: c.priority, priorityReason: c.priority_reason, source: c.source,
    sourceAgencyName: c.source_agency_name, receivedAt: c.received_at, decisionDueAt: c.decision_due_at, teamName: c.team_name,
    allocatedToId: c.allocated_to, allocatedTo: c.allocated_name, screenedBy: c.screened_name, screenedAt: c.screened_at,
    decision: c.decision, decisionReasons: c.decision_reasons, maracReferral: c.marac_referral, decidedById: c.decided_by,
    decidedBy: c.decided_name, decidedAt: c.decided_at, authorisedBy: c.authorised_name, authorisedAt: c.authorised_at,
    returnedComment: c.returned_comment, returnedBy: c.returned_name, returnedAt: c.returned_at, closedAt: c.closed_at,
    child: {
      id: childId, givenName: c.given_name, familyName: c.family_name, dateOfBirth: c.date_of_birth, expectedDateOfBirth: c.expected_date_of_birth,
      sex: c.sex, nhsNumber: c.nhs_number, addresses: addresses.map(address),
    },
    event: {
      id: event.id, kind: event.kind, agencyName: event.agency_name, occurredAt: event.occurred_at, recordedAt: event.recorded_at,
      sourceRef: event.source_ref, summary: event.summary, details: event.details ?? {},
      address: event.address_id ? address(event) : null,
      people: people.map((p) => ({
        personId: p.id, givenName: p.given_name, familyName: p.family_name, dateOfBirth: p.date_of_birth, role: p.role,
        childPresent: p.child_present, childVoice: p.child_voice,
      })),
    },
    chronology: chronology.map((e) => ({
      id: e.id, kind: e.kind, agencyName: e.agency_name, occurredAt: e.occurred_at, summary: e.summary, role: e.role,
      childPresent: e.child_present, childVoice: e.child_voice,
    })),
    otherContacts: otherContacts.map((o) => ({ id: o.id, receivedAt: o.received_at, stage: o.stage, decision: o.decision })),
    checks: checks.map((k) => ({
      id: k.id, version: k.version, agencyId: k.agency_id, agencyName: k.agency_name, question: k.question, requestedBy: k.requested_name,
      requestedAt: k.requested_at, dueAt: k.due_at, status: k.status, knownToAgency: k.known_to_agency, involvement: k.involvement,
      concerns: k.concerns, history: k.history, answeredBy: k.answered_name, answeredAt: k.answered_at,
      withdrawnReason: withdrawnReasons.get(k.id) ?? null,
    })),
    shares: shares.map((s) => ({
      id: s.id, fromAgencyName: s.from_name, toAgencyName: s.to_name, consent: s.consent, lawfulBasis: s.lawful_basis,
      justification: s.justification, decidedBy: s.display_name, decidedAt: s.decided_at,
    })),
    history: history.map((h) => ({ id: h.id, action: h.action, actor: h.display_name, at: h.at, comment: h.comment, details: h.details })),
    flags,
    now,
  };
}
