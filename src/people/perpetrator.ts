// The alleged perpetrator as a first-class person: every victim, household and child linked to
// them over time, with dates, from the relationships recorded and the incidents in which they
// were named. Sealed addresses are withheld in the query itself, as on the person page: this is
// the page where a victim's new address must least of all appear.
import { sql } from 'kysely';
import type { Scope } from '../access/gate';
import { londonDate } from '../calendar/london';
import { livePersonId } from '../identity/merge';
import { flagsAroundPerpetrator, type FlagView } from '../risk';
import { notFound } from '../server/errors';

interface Named {
  personId: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
}

export interface LinkedVictim extends Named {
  /** Relationships recorded between them (partner, ex-partner, alleged perpetrator of), with dates. */
  relationships: { kind: string; fromDate: string | null; toDate: string | null }[];
  incidents: number;
  firstIncident: Date | null;
  lastIncident: Date | null;
}

export interface LinkedChild extends Named {
  /** Why the child is linked: their own child, a child they lived with, a child in their incidents. */
  links: string[];
  incidents: number;
  present: number;
  firstIncident: Date | null;
  lastIncident: Date | null;
}

export interface LinkedHousehold {
  id: string;
  sealed: boolean;
  address: string | null;
  /** When they themself lived there. */
  fromDate: string | null;
  toDate: string | null;
  members: (Named & { fromDate: string | null; toDate: string | null; child: boolean })[];
}

export interface Incident {
  eventId: string;
  occurredAt: Date;
  summary: string;
  sealedPlace: boolean;
  place: string | null;
  victims: Named[];
  children: (Named & { present: boolean | null })[];
}

/** A pattern flag of a child or household linked to them, or one naming them. */
export interface PerpetratorFlag extends FlagView {
  /** Whom it is about: the child's name, or the household's children. */
  aboutText: string;
  aboutPersonId: string | null;
}

export interface PerpetratorView extends Named {
  isAllegedPerpetrator: boolean;
  /** Open flags (for roles that may see risk). */
  flags: PerpetratorFlag[];
  victims: LinkedVictim[];
  children: LinkedChild[];
  households: LinkedHousehold[];
  incidents: Incident[];
}

interface PersonRow {
  id: string;
  given_name: string | null;
  family_name: string | null;
  date_of_birth: string | null;
}

const named = (p: PersonRow): Named => ({ personId: p.id, givenName: p.given_name, familyName: p.family_name, dateOfBirth: p.date_of_birth });
const minDate = (a: Date | null, b: Date) => (a === null || b < a ? b : a);
const maxDate = (a: Date | null, b: Date) => (a === null || b > a ? b : a);

/** Under 18 on the day (or at any time when no day is given), or not yet born. */
function isChild(dateOfBirth: string | null, on: string | null): boolean {
  if (dateOfBirth === null) return false;
  const day = on ?? new Date().toISOString().slice(0, 10);
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = day.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0) < 18;
}

export async function viewAllegedPerpetrator(scope: Scope, requestedId: string): Promise<PerpetratorView> {
  scope.audit({ action: 'person.view_alleged_perpetrator', recordType: 'person', recordId: requestedId });
  const id = await livePersonId(scope.db, requestedId);
  if (!id) throw notFound('The person');
  const person = await scope.db.selectFrom('person').select(['id', 'given_name', 'family_name', 'date_of_birth']).where('id', '=', id).executeTakeFirstOrThrow();
  const canSeeSealed = scope.can('address.view_confidential');
  const withheld = (column: string) => (canSeeSealed ? sql<string | null>`${sql.ref(column)}` : sql<string | null>`CASE WHEN a.confidential THEN NULL ELSE ${sql.ref(column)} END`);

  const [relationships, incidents, memberships] = await Promise.all([
    sql<PersonRow & { kind: string; from_date: string | null; to_date: string | null; outgoing: boolean }>`
      SELECT o.id, o.given_name, o.family_name, o.date_of_birth, r.kind, r.from_date, r.to_date, r.person_id = ${id} AS outgoing
      FROM relationship r JOIN person o ON o.id = CASE WHEN r.person_id = ${id} THEN r.related_person_id ELSE r.person_id END
      WHERE (r.person_id = ${id} AND r.kind IN ('alleged_perpetrator_of', 'partner_of', 'ex_partner_of', 'parent_of', 'carer_of'))
         OR (r.related_person_id = ${id} AND r.kind IN ('partner_of', 'ex_partner_of'))
      ORDER BY r.from_date NULLS FIRST`.execute(scope.db),
    sql<{ event_id: string; occurred_at: Date; summary: string; confidential: boolean | null; place: string | null }>`
      SELECT e.id AS event_id, e.occurred_at, e.summary, a.confidential,
        ${canSeeSealed ? sql`concat_ws(', ', a.line1, a.town, a.postcode)` : sql`CASE WHEN a.confidential THEN NULL ELSE concat_ws(', ', a.line1, a.town, a.postcode) END`} AS place
      FROM event_person ep JOIN event e ON e.id = ep.event_id LEFT JOIN address a ON a.id = e.address_id
      WHERE ep.person_id = ${id} AND ep.role = 'alleged_perpetrator'
      ORDER BY e.occurred_at`.execute(scope.db),
    scope.db
      .selectFrom('household_member as m')
      .innerJoin('household as h', 'h.id', 'm.household_id')
      .leftJoin('address as a', 'a.id', 'h.address_id')
      .select(['h.id', 'm.from_date', 'm.to_date', 'a.confidential', withheld('a.line1').as('line1'), withheld('a.town').as('town'), withheld('a.postcode').as('postcode')])
      .where('m.person_id', '=', id)
      .orderBy('m.from_date')
      .execute(),
  ]);

  const eventIds = incidents.rows.map((e) => e.event_id);
  const householdIds = memberships.map((m) => m.id);
  const [participants, members] = await Promise.all([
    eventIds.length === 0 ? [] : scope.db
      .selectFrom('event_person as ep')
      .innerJoin('person as p', 'p.id', 'ep.person_id')
      .select(['ep.event_id', 'ep.role', 'ep.child_present', 'p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth'])
      .where('ep.event_id', 'in', eventIds)
      .where('ep.person_id', '<>', id)
      .execute(),
    householdIds.length === 0 ? [] : scope.db
      .selectFrom('household_member as m')
      .innerJoin('person as p', 'p.id', 'm.person_id')
      .select(['m.household_id', 'm.from_date', 'm.to_date', 'p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth'])
      .where('m.household_id', 'in', householdIds)
      .where('m.person_id', '<>', id)
      .orderBy('m.from_date')
      .execute(),
  ]);

  const victims = new Map<string, LinkedVictim>();
  const victim = (p: PersonRow): LinkedVictim => {
    let v = victims.get(p.id);
    if (!v) victims.set(p.id, (v = { ...named(p), relationships: [], incidents: 0, firstIncident: null, lastIncident: null }));
    return v;
  };
  const children = new Map<string, LinkedChild>();
  const child = (p: PersonRow, link: string): LinkedChild => {
    let c = children.get(p.id);
    if (!c) children.set(p.id, (c = { ...named(p), links: [], incidents: 0, present: 0, firstIncident: null, lastIncident: null }));
    if (!c.links.includes(link)) c.links.push(link);
    return c;
  };

  // Partners and ex-partners are gathered here and kept below only if they were harmed.
  for (const r of relationships.rows) {
    if (r.kind === 'parent_of' || r.kind === 'carer_of') child(r, r.kind === 'parent_of' ? 'Their child' : 'A child in their care');
    else victim(r).relationships.push({ kind: r.kind, fromDate: r.from_date, toDate: r.to_date });
  }
  const incidentViews: Incident[] = incidents.rows.map((e) => {
    const here = participants.filter((p) => p.event_id === e.event_id);
    for (const p of here) {
      if (p.role === 'adult_victim') {
        const v = victim(p);
        v.incidents++;
        v.firstIncident = minDate(v.firstIncident, e.occurred_at);
        v.lastIncident = maxDate(v.lastIncident, e.occurred_at);
      } else if (p.role === 'child') {
        const c = child(p, 'In incidents they were named in');
        c.incidents++;
        if (p.child_present) c.present++;
        c.firstIncident = minDate(c.firstIncident, e.occurred_at);
        c.lastIncident = maxDate(c.lastIncident, e.occurred_at);
      }
    }
    return {
      eventId: e.event_id, occurredAt: e.occurred_at, summary: e.summary, sealedPlace: e.confidential === true && !canSeeSealed, place: e.place,
      victims: here.filter((p) => p.role === 'adult_victim').map(named),
      children: here.filter((p) => p.role === 'child').map((p) => ({ ...named(p), present: p.child_present })),
    };
  });
  for (const [key, v] of victims) if (v.incidents === 0 && !v.relationships.some((r) => r.kind === 'alleged_perpetrator_of')) victims.delete(key);

  const households: LinkedHousehold[] = memberships.map((m) => ({
    id: m.id,
    sealed: m.confidential === true && !canSeeSealed,
    address: m.confidential && !canSeeSealed ? null : [m.line1, m.town, m.postcode].filter(Boolean).join(', ') || null,
    fromDate: m.from_date,
    toDate: m.to_date,
    members: members.filter((x) => x.household_id === m.id).map((x) => {
      const isMinor = isChild(x.date_of_birth, x.from_date);
      if (isMinor) child(x, 'Lived in their household');
      return { ...named(x), fromDate: x.from_date, toDate: x.to_date, child: isMinor };
    }),
  }));

  const flags = scope.can('risk.view') ? await flagsAbout(scope, id, [...children.keys()], householdIds) : [];

  const isAllegedPerpetrator = incidents.rows.length > 0 || relationships.rows.some((r) => r.kind === 'alleged_perpetrator_of' && r.outgoing);
  // Each person shown here is a read of that person's information, recorded against them too.
  const shown = new Set([...victims.keys(), ...children.keys(), ...flags.flatMap((f) => (f.aboutPersonId ? [f.aboutPersonId] : []))]);
  scope.audit({ action: 'person.view_alleged_perpetrator', recordType: 'person', recordId: id, subjectPersonId: id, details: { victims: victims.size, children: children.size, incidents: incidents.rows.length } });
  for (const subject of shown) scope.audit({ action: 'person.view_linked', recordType: 'person', recordId: subject, subjectPersonId: subject, details: { via: 'alleged_perpetrator', perpetratorId: id } });

  return {
    ...named(person),
    isAllegedPerpetrator,
    flags,
    victims: [...victims.values()],
    children: [...children.values()].sort((a, b) => (a.dateOfBirth ?? '').localeCompare(b.dateOfBirth ?? '')),
    households,
    incidents: incidentViews,
  };
}

/**
 * The open flags of the children and households linked to them, and those naming them, each
 * with whom it is about: a child by name, a household by the children living there today.
 */
async function flagsAbout(scope: Scope, id: string, childIds: string[], householdIds: string[]): Promise<PerpetratorFlag[]> {
  const flags = await flagsAroundPerpetrator(scope.db, id, { children: childIds, households: householdIds }, scope.can('address.view_confidential'));
  const childSubjects = [...new Set(flags.flatMap((f) => (f.personId ? [f.personId] : [])))];
  const householdSubjects = [...new Set(flags.flatMap((f) => (f.householdId ? [f.householdId] : [])))];
  const today = londonDate(new Date());
  const [people, members] = await Promise.all([
    childSubjects.length === 0 ? [] : scope.db.selectFrom('person').select(['id', 'given_name', 'family_name', 'date_of_birth']).where('id', 'in', childSubjects).execute(),
    householdSubjects.length === 0 ? [] : scope.db
      .selectFrom('household_member as m')
      .innerJoin('person as p', 'p.id', 'm.person_id')
      .select(['m.household_id', 'p.given_name', 'p.date_of_birth'])
      .where('m.household_id', 'in', householdSubjects)
      .where((eb) => eb.or([eb('m.to_date', 'is', null), eb('m.to_date', '>', today)]))
      .orderBy('p.date_of_birth')
      .execute(),
  ]);
  return flags.map((f) => {
    if (f.personId) {
      const p = people.find((x) => x.id === f.personId);
      return { ...f, aboutText: p ? [p.given_name, p.family_name].filter(Boolean).join(' ') : 'A child', aboutPersonId: f.personId };
    }
    const kids = members.filter((m) => m.household_id === f.householdId && isChild(m.date_of_birth, today)).map((m) => m.given_name ?? 'a child');
    return { ...f, aboutText: kids.length ? `The household of ${kids.join(', ')}` : 'A household', aboutPersonId: null };
  });
}
