// A subject access export: everything Hearth holds about a person (under any id merged into
// theirs), for a subject access request, as a readable document and as JSON with the same
// content. Withheld for the requester, always and without saying so item by item (saying that
// something was withheld can itself tell where a victim lives):
//   * third parties: other people are never named; their names are replaced in free text, they
//     are described only by their relationship, and their own words and answers are left out;
//   * sensitive items: confidential addresses (also in free text), sensitive notes;
//   * the details of incidents (the adult victim's DASH answers, where each child was).
// The information governance officer reads it before it is sent: free text can hold third-party
// information no rule recognises.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { roleLabels, isRole } from '../access/roles';
import { eventKindText, sourceText } from '../frontdoor/present';
import { consentLabels, decisionLabels, knownToAgencyLabels, stageLabels } from '../frontdoor/labels';
import type { Consent, ContactDecision, ContactStage } from '../db/schema';
import { relationshipLabel, sexLabels } from '../people/relationship-labels';
import { notFound, validationFailed } from '../server/errors';
import { actionText } from './labels';
import { aliasesCte, currentPersonId } from './involvement';

export const subjectAccessReferenceSchema = z.object({
  reference: z
    .string({ error: 'Enter the subject access request’s reference' })
    .trim()
    .min(3, 'Enter the subject access request’s reference')
    .max(50, 'The reference must be 50 characters or fewer')
    .regex(/^[A-Za-z0-9/_-]+$/, 'The reference may contain only letters, numbers, / _ and -'),
});

export const withheldStatement =
  'Information about other people, and information whose disclosure could cause serious harm to anyone, is not included, as the Data Protection Act 2018 allows.';

export interface SubjectAccessDocument {
  reference: string;
  generatedAt: Date;
  area: string;
  person: { givenName: string | null; familyName: string | null; dateOfBirth: string | null; expectedDateOfBirth: string | null; sex: string | null; nhsNumber: string | null };
  agencyRecords: { agency: string; reference: string; givenName: string | null; familyName: string | null; dateOfBirth: string | null }[];
  addresses: { address: string; from: string | null; to: string | null }[];
  relationships: { relationship: string; from: string | null; to: string | null }[];
  events: { occurredAt: Date; kind: string; agency: string; role: string; summary: string; present: boolean | null; ownWords: string | null }[];
  contacts: { receivedAt: Date; source: string; stage: string; decision: string | null; reasons: string | null; closedAt: Date | null }[];
  agencyChecks: {
    agency: string; requestedAt: Date; status: string; knownToAgency: string | null; involvement: string | null; concerns: string | null;
    history: string | null; answeredAt: Date | null;
  }[];
  shares: { decidedAt: Date; from: string; to: string; consent: string; lawfulBasis: string | null; justification: string | null }[];
  notifications: { kind: string; to: string; sentAt: Date; acknowledgedAt: Date | null }[];
  risk: {
    dash: { assessedAt: Date; score: number; level: string }[];
    flags: { kind: string; explanation: string; raisedAt: Date; clearedAt: Date | null }[];
    livedExperience: { writtenAt: Date; summary: string; ownWords: string | null }[];
  };
  seenBy: { agency: string; role: string; action: string; times: number; last: Date }[];
  withheld: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces third parties' names and confidential addresses in free text. */
export function redactor(names: readonly string[], places: readonly string[]): (text: string | null) => string | null {
  const nameList = [...new Set(names.map((n) => n.trim()).filter((n) => n.replace(/[^\p{L}]/gu, '').length >= 2))].sort((a, b) => b.length - a.length);
  const placeList = [...new Set(places.map((p) => p.trim()).filter((p) => p.length >= 3))].sort((a, b) => b.length - a.length);
  const namePattern = nameList.length ? new RegExp(`(?<![\\p{L}])(?:${nameList.map(escape).join('|')})(?![\\p{L}])`, 'giu') : null;
  // A postcode or address line matches whatever its spacing.
  const placePattern = placeList.length ? new RegExp(placeList.map((p) => p.split(/\s+/).map(escape).join('\\s*')).join('|'), 'giu') : null;
  return (text) => {
    if (text === null) return null;
    let out = text;
    if (placePattern) out = out.replace(placePattern, '[address withheld]');
    if (namePattern) out = out.replace(namePattern, '[name withheld]');
    return out;
  };
}

const name = (p: { given_name: string | null; family_name: string | null }) => [p.given_name, p.family_name].filter(Boolean).join(' ');

/** The export for one person, audited as a subject access export with its reference. */
export async function subjectAccessExport(scope: Scope, requestedId: string, reference: string, format: 'html' | 'json'): Promise<SubjectAccessDocument> {
  const parsed = subjectAccessReferenceSchema.safeParse({ reference });
  if (!parsed.success) throw validationFailed(parsed.error.issues.map((i) => ({ field: 'reference', message: i.message })));
  const id = await currentPersonId(scope, requestedId);
  scope.audit({
    action: 'person.subject_access', recordType: 'person', recordId: requestedId, reason: `Subject access request ${parsed.data.reference}`,
    ...(id ? { subjectPersonId: id } : {}), details: { format },
  });
  if (!id) throw notFound('The person');
  const db = scope.db;
  const withAliases = sql`WITH RECURSIVE ${aliasesCte([id])}`;
  const own = sql`(SELECT id FROM aliases)`;

  const person = await db.selectFrom('person').select(['given_name', 'family_name', 'date_of_birth', 'expected_date_of_birth', 'sex', 'nhs_number']).where('id', '=', id).executeTakeFirstOrThrow();
  const area = await db.selectFrom('area').select('name').where('id', '=', scope.actor.areaId).executeTakeFirstOrThrow();

  const [records, addresses, relationships, events, contacts, checks, shares, notifications, others, places, seenBy] = await Promise.all([
    sql<{ agency: string; source_ref: string; given_name: string | null; family_name: string | null; date_of_birth: string | null }>`${withAliases}
      SELECT g.name AS agency, r.source_ref, r.given_name, r.family_name, r.date_of_birth FROM agency_record r JOIN agency g ON g.id = r.agency_id
      WHERE r.person_id IN ${own} ORDER BY g.name, r.source_ref`.execute(db),
    // Their own addresses, never a confidential one.
    sql<{ line1: string; line2: string | null; town: string | null; postcode: string | null; from_date: string | null; to_date: string | null }>`${withAliases}
      SELECT a.line1, a.line2, a.town, a.postcode, min(pa.from_date) AS from_date, CASE WHEN bool_or(pa.to_date IS NULL) THEN NULL ELSE max(pa.to_date) END AS to_date
      FROM person_address pa JOIN address a ON a.id = pa.address_id
      WHERE pa.person_id IN ${own} AND NOT a.confidential
      GROUP BY a.id, a.line1, a.line2, a.town, a.postcode ORDER BY min(pa.from_date) NULLS FIRST`.execute(db),
    sql<{ kind: string; outgoing: boolean; from_date: string | null; to_date: string | null }>`${withAliases}
      SELECT kind, person_id IN ${own} AS outgoing, from_date, to_date FROM relationship
      WHERE person_id IN ${own} OR related_person_id IN ${own} ORDER BY from_date NULLS FIRST, kind`.execute(db),
    sql<{ occurred_at: Date; kind: string; agency: string; role: string; summary: string; child_present: boolean | null; child_voice: string | null }>`${withAliases}
      SELECT e.occurred_at, e.kind, g.name AS agency, ep.role, e.summary, ep.child_present, ep.child_voice
      FROM event_person ep JOIN event e ON e.id = ep.event_id JOIN agency g ON g.id = e.agency_id
      WHERE ep.person_id IN ${own} ORDER BY e.occurred_at, e.id`.execute(db),
    sql<{ received_at: Date; source: string; stage: ContactStage; decision: ContactDecision | null; decision_reasons: string | null; closed_at: Date | null }>`${withAliases}
      SELECT received_at, source, stage, decision, decision_reasons, closed_at FROM contact WHERE child_person_id IN ${own} ORDER BY received_at`.execute(db),
    sql<{ agency: string; requested_at: Date; status: string; known_to_agency: 'yes' | 'no' | 'not_known' | null; involvement: string | null; concerns: string | null; history: string | null; answered_at: Date | null }>`${withAliases}
      SELECT g.name AS agency, k.requested_at, k.status, k.known_to_agency, k.involvement, k.concerns, k.history, k.answered_at
      FROM agency_check k JOIN contact c ON c.id = k.contact_id JOIN agency g ON g.id = k.agency_id
      WHERE c.child_person_id IN ${own} ORDER BY k.requested_at, g.name`.execute(db),
    sql<{ decided_at: Date; from_agency: string; to_agency: string; consent: Consent; lawful_basis: string | null; justification: string | null }>`${withAliases}
      SELECT s.decided_at, gf.name AS from_agency, gt.name AS to_agency, s.consent, s.lawful_basis, s.justification
      FROM information_share s JOIN agency gf ON gf.id = s.from_agency_id JOIN agency gt ON gt.id = s.to_agency_id
      WHERE s.person_id IN ${own} ORDER BY s.decided_at, gt.name`.execute(db),
    sql<{ kind: string; agency: string; created_at: Date; acknowledged_at: Date | null }>`${withAliases}
      SELECT n.kind, g.name AS agency, n.created_at, n.acknowledged_at FROM notification n JOIN agency g ON g.id = n.recipient_agency_id
      WHERE n.person_id IN ${own} ORDER BY n.created_at`.execute(db),
    // Third parties: everyone in their events, relationships and households, under every name agencies hold.
    sql<{ given_name: string | null; family_name: string | null; aliases: string[] | null }>`${withAliases},
      third(id) AS (
        SELECT ep2.person_id FROM event_person ep JOIN event_person ep2 ON ep2.event_id = ep.event_id WHERE ep.person_id IN ${own}
        UNION SELECT related_person_id FROM relationship WHERE person_id IN ${own}
        UNION SELECT person_id FROM relationship WHERE related_person_id IN ${own}
        UNION SELECT m2.person_id FROM household_member m JOIN household_member m2 ON m2.household_id = m.household_id WHERE m.person_id IN ${own})
      SELECT p.given_name, p.family_name, NULL::text[] AS aliases FROM person p WHERE p.id IN (SELECT id FROM third) AND p.id NOT IN ${own}
      UNION ALL
      SELECT r.given_name, r.family_name, r.aliases FROM agency_record r WHERE r.person_id IN (SELECT id FROM third) AND r.person_id NOT IN ${own}`.execute(db),
    // Confidential addresses of anyone in their events, and the events' own sealed places.
    sql<{ line1: string; postcode: string | null }>`${withAliases},
      people(id) AS (SELECT ep2.person_id FROM event_person ep JOIN event_person ep2 ON ep2.event_id = ep.event_id WHERE ep.person_id IN ${own}
        UNION SELECT id FROM aliases)
      SELECT a.line1, a.postcode FROM address a WHERE a.confidential AND (
        a.id IN (SELECT pa.address_id FROM person_address pa WHERE pa.person_id IN (SELECT id FROM people))
        OR a.id IN (SELECT e.address_id FROM event e JOIN event_person ep ON ep.event_id = e.id WHERE ep.person_id IN ${own}))`.execute(db),
    // Who has seen their record: agencies and roles, never the names of staff.
    sql<{ agency: string | null; role: string | null; action: string; times: number; last: Date }>`${withAliases}
      SELECT g.name AS agency, e.actor_role AS role, e.action, count(*) AS times, max(e.occurred_at) AS last
      FROM audit_event e LEFT JOIN agency g ON g.id = e.actor_agency_id
      WHERE e.area_id = ${scope.actor.areaId}::uuid AND e.subject_person_id IN ${own} AND e.outcome = 'allowed'
      GROUP BY g.name, e.actor_role, e.action ORDER BY max(e.occurred_at) DESC`.execute(db),
  ]);
  const [dash, flags, lived] = await Promise.all([
    sql<{ assessed_at: Date; score: number; level: string }>`${withAliases}
      SELECT assessed_at, score, level FROM dash_assessment WHERE victim_person_id IN ${own} ORDER BY assessed_at`.execute(db),
    sql<{ kind: string; explanation: string; raised_at: Date; cleared_at: Date | null }>`${withAliases}
      SELECT kind, explanation, raised_at, cleared_at FROM risk_flag WHERE person_id IN ${own} ORDER BY raised_at`.execute(db),
    sql<{ written_at: Date; summary: string; child_words: string | null }>`${withAliases}
      SELECT written_at, summary, child_words FROM lived_experience WHERE person_id IN ${own} ORDER BY written_at`.execute(db),
  ]);

  const ownNames = new Set([person.given_name, person.family_name, ...records.rows.flatMap((r) => [r.given_name, r.family_name])].filter(Boolean).map((n) => (n as string).toLowerCase()));
  const thirdNames = others.rows.flatMap((o) => [name(o), o.given_name, o.family_name, ...(o.aliases ?? [])])
    .filter((n): n is string => Boolean(n))
    // A relative's family name is often the person's own: their own name is theirs to see.
    .filter((n) => !ownNames.has(n.toLowerCase()));
  const redact = redactor(thirdNames, places.rows.flatMap((p) => [p.line1, p.postcode ?? '']));
  const text = (value: string | null) => redact(value);
  const roleText = (role: string | null) => (role && isRole(role) ? roleLabels[role] : role ?? 'Hearth (automatic)');

  return {
    reference: parsed.data.reference,
    generatedAt: new Date(),
    area: area.name,
    person: {
      givenName: person.given_name, familyName: person.family_name, dateOfBirth: person.date_of_birth, expectedDateOfBirth: person.expected_date_of_birth,
      sex: person.sex ? sexLabels[person.sex] ?? person.sex : null, nhsNumber: person.nhs_number,
    },
    agencyRecords: records.rows.map((r) => ({ agency: r.agency, reference: r.source_ref, givenName: r.given_name, familyName: r.family_name, dateOfBirth: r.date_of_birth })),
    addresses: addresses.rows.map((a) => ({ address: [a.line1, a.line2, a.town, a.postcode].filter(Boolean).join(', '), from: a.from_date, to: a.to_date })),
    relationships: relationships.rows.map((r) => ({ relationship: `${relationshipLabel(r.kind, r.outgoing ? 'outgoing' : 'incoming')} (another person)`, from: r.from_date, to: r.to_date })),
    events: events.rows.map((e) => ({
      occurredAt: e.occurred_at, kind: eventKindText(e.kind), agency: e.agency, role: e.role.replaceAll('_', ' '), summary: text(e.summary) ?? '',
      present: e.role === 'child' ? e.child_present : null, ownWords: e.role === 'child' ? text(e.child_voice) : null,
    })),
    contacts: contacts.rows.map((c) => ({
      receivedAt: c.received_at, source: sourceText(c.source), stage: stageLabels[c.stage], decision: c.decision ? decisionLabels[c.decision] : null,
      reasons: text(c.decision_reasons), closedAt: c.closed_at,
    })),
    agencyChecks: checks.rows.map((k) => ({
      agency: k.agency, requestedAt: k.requested_at, status: k.status, knownToAgency: k.known_to_agency ? knownToAgencyLabels[k.known_to_agency] : null,
      involvement: text(k.involvement), concerns: text(k.concerns), history: text(k.history), answeredAt: k.answered_at,
    })),
    shares: shares.rows.map((s) => ({
      decidedAt: s.decided_at, from: s.from_agency, to: s.to_agency, consent: consentLabels[s.consent], lawfulBasis: s.lawful_basis, justification: text(s.justification),
    })),
    notifications: notifications.rows.map((n) => ({ kind: n.kind === 'operation_encompass' ? 'Operation Encompass' : n.kind.replaceAll('_', ' '), to: n.agency, sentAt: n.created_at, acknowledgedAt: n.acknowledged_at })),
    risk: {
      dash: dash.rows.map((d) => ({ assessedAt: d.assessed_at, score: d.score, level: d.level })),
      flags: flags.rows.map((f) => ({ kind: f.kind.replaceAll('_', ' '), explanation: text(f.explanation) ?? '', raisedAt: f.raised_at, clearedAt: f.cleared_at })),
      livedExperience: lived.rows.map((l) => ({ writtenAt: l.written_at, summary: text(l.summary) ?? '', ownWords: text(l.child_words) })),
    },
    seenBy: seenBy.rows.map((s) => ({ agency: s.agency ?? 'Hearth', role: roleText(s.role), action: actionText(s.action), times: Number(s.times), last: s.last })),
    withheld: withheldStatement,
  };
}
