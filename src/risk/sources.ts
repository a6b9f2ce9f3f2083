// What the pattern rules read, loaded from the chronology: for each child and household, the
// people whose events count (its "circle"), their events, the alleged perpetrators' events
// elsewhere and new partners' histories, turned into the rules' PatternEvents. Every query names
// the area, so this runs the same inside the gate (row-level security) and on the owner
// connection of the demo seed.
import { sql, type Kysely } from 'kysely';
import { isEventKind } from '../chronology/event-kinds';
import { isValidCalendarDate } from '../chronology/dates';
import type { Database, EventPersonRole } from '../db/schema';
import { addMonths, dateOf, dayOf, londonDay } from './calendar';
import type { RiskLevel } from './dash';
import type { EventDetails, EventPerson, EventRole, PatternEvent } from './patterns';

export type Subject = { kind: 'child'; personId: string } | { kind: 'household'; householdId: string };

export const subjectKey = (s: Subject): string => (s.kind === 'child' ? `child:${s.personId}` : `household:${s.householdId}`);

/** The people around a child or a household whose events count for its flags. */
export interface Circle {
  subject: Subject;
  /** Events where any of these appears, other than as the alleged perpetrator, are the subject's own. */
  members: string[];
  /** The children it is about: the child, or the household's children. */
  children: string[];
  /** Parents, carers and the adults living with them. */
  carers: string[];
}

export interface StoredParticipant {
  personId: string;
  role: EventPersonRole;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
}

export interface StoredEvent {
  id: string;
  kind: string;
  occurredAt: Date;
  details: Record<string, unknown>;
  people: StoredParticipant[];
}

/** A partner relationship recorded recently, naming a possible new partner of a carer. */
export interface PartnerRecord {
  relationshipId: string;
  carerId: string;
  partnerId: string;
  fromDate: string;
}

// ---- Circles

const adultOn = (asOf: string) => sql<boolean>`(p.date_of_birth IS NULL AND p.expected_date_of_birth IS NULL) OR p.date_of_birth <= (${asOf}::date - interval '18 years')`;
const currentOn = (alias: string, asOf: string) =>
  sql<boolean>`(${sql.ref(`${alias}.from_date`)} IS NULL OR ${sql.ref(`${alias}.from_date`)} <= ${asOf}::date) AND (${sql.ref(`${alias}.to_date`)} IS NULL OR ${sql.ref(`${alias}.to_date`)} > ${asOf}::date)`;

/**
 * A child's circle: the child; their parents and carers (a relationship ended in the last year
 * still counts); the adults of the households they live in on `asOf`; the adult victims of
 * incidents they were in.
 */
export async function childCircles(db: Kysely<Database>, areaId: string, childIds: readonly string[], asOf: string): Promise<Circle[]> {
  if (childIds.length === 0) return [];
  const { rows } = await sql<{ child_id: string; carer_id: string }>`
    SELECT r.related_person_id AS child_id, r.person_id AS carer_id FROM relationship r
    WHERE r.area_id = ${areaId} AND r.related_person_id = ANY(${childIds}::uuid[]) AND r.kind IN ('parent_of', 'carer_of')
      AND (r.to_date IS NULL OR r.to_date > (${asOf}::date - interval '12 months'))
    UNION
    SELECT c.person_id, m.person_id FROM household_member c
      JOIN household_member m ON m.household_id = c.household_id AND m.person_id <> c.person_id
      JOIN person p ON p.id = m.person_id
    WHERE c.area_id = ${areaId} AND c.person_id = ANY(${childIds}::uuid[]) AND ${currentOn('c', asOf)} AND ${currentOn('m', asOf)} AND (${adultOn(asOf)})
    UNION
    SELECT ep.person_id, v.person_id FROM event_person ep JOIN event_person v ON v.event_id = ep.event_id AND v.role = 'adult_victim'
    WHERE ep.area_id = ${areaId} AND ep.person_id = ANY(${childIds}::uuid[]) AND ep.role = 'child'`.execute(db);
  const carers = new Map<string, Set<string>>(childIds.map((id) => [id, new Set()]));
  for (const r of rows) if (r.carer_id !== r.child_id) carers.get(r.child_id)?.add(r.carer_id);
  return childIds.map((id) => {
    const around = [...(carers.get(id) ?? [])].sort();
    return { subject: { kind: 'child', personId: id }, members: [id, ...around], children: [id], carers: around };
  });
}

/** A household's circle: everyone living in it on `asOf`, children and adults. */
export async function householdCircles(db: Kysely<Database>, areaId: string, householdIds: readonly string[], asOf: string): Promise<Circle[]> {
  if (householdIds.length === 0) return [];
  const { rows } = await sql<{ household_id: string; person_id: string; adult: boolean }>`
    SELECT m.household_id, m.person_id, (${adultOn(asOf)}) AS adult
    FROM household_member m JOIN person p ON p.id = m.person_id
    WHERE m.area_id = ${areaId} AND m.household_id = ANY(${householdIds}::uuid[]) AND ${currentOn('m', asOf)}
    ORDER BY m.person_id`.execute(db);
  const byHousehold = new Map<string, typeof rows>();
  for (const r of rows) {
    const members = byHousehold.get(r.household_id);
    if (members) members.push(r);
    else byHousehold.set(r.household_id, [r]);
  }
  return householdIds.map((id) => {
    const members = byHousehold.get(id) ?? [];
    return {
      subject: { kind: 'household', householdId: id },
      members: [...new Set(members.map((m) => m.person_id))],
      children: members.filter((m) => !m.adult).map((m) => m.person_id),
      carers: members.filter((m) => m.adult).map((m) => m.person_id),
    };
  });
}

// ---- Events

/** The events each person appears in, other than as the alleged perpetrator (`ownOnly`), or in any role. */
export async function eventIdsOf(db: Kysely<Database>, areaId: string, personIds: readonly string[], ownOnly: boolean): Promise<Map<string, string[]>> {
  const byPerson = new Map<string, string[]>();
  if (personIds.length === 0) return byPerson;
  const { rows } = await sql<{ person_id: string; event_id: string }>`
    SELECT ep.person_id, ep.event_id FROM event_person ep
    WHERE ep.area_id = ${areaId} AND ep.person_id = ANY(${[...new Set(personIds)]}::uuid[])
      ${ownOnly ? sql`AND ep.role <> 'alleged_perpetrator'` : sql``}`.execute(db);
  for (const r of rows) {
    const list = byPerson.get(r.person_id);
    if (list) list.push(r.event_id);
    else byPerson.set(r.person_id, [r.event_id]);
  }
  return byPerson;
}

/** Only what the rules read of an event's details, so that long free text is not carried. */
const ruleDetails = sql<Record<string, unknown>>`jsonb_strip_nulls(jsonb_build_object(
  'dash', e.details -> 'dash', 'dashYes', e.details -> 'dashYes', 'riskGrade', e.details -> 'riskGrade', 'injuries', e.details -> 'injuries',
  'weapons', e.details -> 'weapons', 'expectedDateOfBirth', e.details -> 'expectedDateOfBirth', 'expectedDeliveryDate', e.details -> 'expectedDeliveryDate',
  'days', e.details -> 'days', 'sessionsMissed', e.details -> 'sessionsMissed', 'missingFrom', e.details -> 'missingFrom'))`;

export async function loadEvents(db: Kysely<Database>, areaId: string, eventIds: Iterable<string>): Promise<Map<string, StoredEvent>> {
  const ids = [...new Set(eventIds)];
  const events = new Map<string, StoredEvent>();
  if (ids.length === 0) return events;
  const [rows, people] = await Promise.all([
    sql<{ id: string; kind: string; occurred_at: Date; details: Record<string, unknown> }>`
      SELECT e.id, e.kind, e.occurred_at, ${ruleDetails} AS details FROM event e
      WHERE e.area_id = ${areaId} AND e.id = ANY(${ids}::uuid[])`.execute(db),
    sql<{ event_id: string; person_id: string; role: EventPersonRole; date_of_birth: string | null; expected_date_of_birth: string | null }>`
      SELECT ep.event_id, ep.person_id, ep.role, p.date_of_birth, p.expected_date_of_birth
      FROM event_person ep JOIN person p ON p.id = ep.person_id
      WHERE ep.area_id = ${areaId} AND ep.event_id = ANY(${ids}::uuid[])
      ORDER BY ep.event_id, ep.person_id`.execute(db),
  ]);
  for (const r of rows.rows) events.set(r.id, { id: r.id, kind: r.kind, occurredAt: r.occurred_at, details: r.details ?? {}, people: [] });
  for (const p of people.rows) {
    events.get(p.event_id)?.people.push({ personId: p.person_id, role: p.role, dateOfBirth: p.date_of_birth, expectedDateOfBirth: p.expected_date_of_birth });
  }
  return events;
}

/**
 * Partner relationships recorded with a carer in the `months` to `asOf` and still going on, with
 * someone who is not a parent of any of the circle's children: a new partner in the children's lives.
 */
export async function newPartners(db: Kysely<Database>, areaId: string, circles: readonly Circle[], asOf: string, months: number): Promise<Map<string, PartnerRecord[]>> {
  const byCircle = new Map<string, PartnerRecord[]>();
  const carers = [...new Set(circles.flatMap((c) => c.carers))];
  if (carers.length === 0) return byCircle;
  const { rows } = await sql<{ id: string; carer_id: string; partner_id: string; from_date: string; parent_of: string[] }>`
    SELECT r.id, c.carer_id, CASE WHEN r.person_id = c.carer_id THEN r.related_person_id ELSE r.person_id END AS partner_id, r.from_date,
      coalesce((SELECT array_agg(k.related_person_id) FROM relationship k
        WHERE k.person_id = CASE WHEN r.person_id = c.carer_id THEN r.related_person_id ELSE r.person_id END AND k.kind = 'parent_of'), '{}') AS parent_of
    FROM unnest(${carers}::uuid[]) AS c(carer_id)
      JOIN relationship r ON r.kind = 'partner_of' AND (r.person_id = c.carer_id OR r.related_person_id = c.carer_id)
    WHERE r.area_id = ${areaId} AND r.from_date IS NOT NULL AND r.from_date <= ${asOf}::date
      AND r.from_date >= (${asOf}::date - make_interval(months => ${months})) AND (r.to_date IS NULL OR r.to_date > ${asOf}::date)
    ORDER BY r.from_date, r.id`.execute(db);
  for (const circle of circles) {
    const found = rows
      .filter((r) => circle.carers.includes(r.carer_id) && !circle.children.includes(r.partner_id) && !circle.children.some((c) => r.parent_of.includes(c)))
      .map((r) => ({ relationshipId: r.id, carerId: r.carer_id, partnerId: r.partner_id, fromDate: r.from_date }));
    if (found.length) byCircle.set(subjectKey(circle.subject), found);
  }
  return byCircle;
}

// ---- Turning stored events into the rules' events

const noneWords = new Set(['', 'none', 'none visible', 'none recorded', 'no', 'nil', 'n/a', 'not known']);
/** Free text that records something: not empty, not "none". */
export const mentionsSomething = (value: unknown): boolean => typeof value === 'string' && !noneWords.has(value.trim().toLowerCase());

/** The number of "yes" answers of a DASH in either stored shape: {set, answers: {n: {answer}}} or {n: answer}. */
function dashYesCount(details: Record<string, unknown>): number | null {
  const dash = details['dash'];
  if (dash && typeof dash === 'object') {
    const answers = (dash as { answers?: unknown }).answers ?? dash;
    if (answers && typeof answers === 'object') {
      const values = Object.values(answers as Record<string, unknown>).map((a) => (a && typeof a === 'object' ? (a as { answer?: unknown }).answer : a));
      if (values.length > 0) return values.filter((a) => a === 'yes').length;
    }
  }
  return typeof details['dashYes'] === 'number' ? details['dashYes'] : null;
}

const riskGrades: readonly RiskLevel[] = ['standard', 'medium', 'high'];

function ruleDetailsOf(details: Record<string, unknown>): EventDetails {
  const out: EventDetails = {};
  const score = dashYesCount(details);
  if (score !== null) out.dashScore = score;
  const grade = details['riskGrade'];
  if (typeof grade === 'string' && (riskGrades as readonly string[]).includes(grade)) out.riskGrade = grade as RiskLevel;
  if ('injuries' in details) out.injuries = mentionsSomething(details['injuries']);
  if ('weapons' in details) out.weapons = mentionsSomething(details['weapons']);
  const due = details['expectedDeliveryDate'] ?? details['expectedDateOfBirth'];
  if (typeof due === 'string' && isValidCalendarDate(due)) out.expectedDeliveryDate = due;
  const sessions = typeof details['sessionsMissed'] === 'number' ? details['sessionsMissed'] : typeof details['days'] === 'number' ? details['days'] * 2 : undefined;
  if (sessions !== undefined) out.sessionsMissed = sessions;
  if (details['missingFrom'] === 'school') out.missingFrom = 'school';
  return out;
}

/** Under 18 on the day, or not born yet. */
function childOn(p: StoredParticipant, day: string): boolean {
  if (p.dateOfBirth) return p.dateOfBirth > day || dateOf(addMonths(dayOf(p.dateOfBirth), 18 * 12)) > day;
  return p.expectedDateOfBirth !== null;
}

/**
 * The stored event as the rules see it. Roles: the adult victim is the victim; a child, or any
 * other person under 18 on the day, is a child; anyone else is a victim when a victim in the
 * circle's own incidents, a parent when one of its carers, or other.
 */
export function toPatternEvent(event: StoredEvent, context: { victims: ReadonlySet<string>; carers: ReadonlySet<string> }): PatternEvent | null {
  if (!isEventKind(event.kind)) return null;
  const day = dateOf(londonDay(event.occurredAt));
  const people: EventPerson[] = event.people.map((p) => {
    let role: EventRole;
    if (p.role === 'adult_victim') role = 'victim';
    else if (p.role === 'alleged_perpetrator') role = 'alleged_perpetrator';
    else if (p.role === 'child' || childOn(p, day)) role = 'child';
    else if (context.victims.has(p.personId)) role = 'victim';
    else if (context.carers.has(p.personId)) role = 'parent';
    else role = 'other';
    return role === 'child' && p.dateOfBirth ? { personId: p.personId, role, dateOfBirth: p.dateOfBirth } : { personId: p.personId, role };
  });
  return { id: event.id, kind: event.kind, occurredAt: event.occurredAt, people, details: ruleDetailsOf(event.details) };
}

/** A partner relationship as the event that names the new partner, at noon on the day recorded. */
export function partnerEvent(record: PartnerRecord): PatternEvent {
  return {
    id: `relationship:${record.relationshipId}`,
    kind: 'partner_recorded',
    occurredAt: new Date(`${record.fromDate}T12:00:00Z`),
    people: [{ personId: record.carerId, role: 'parent' }, { personId: record.partnerId, role: 'new_partner' }],
  };
}
