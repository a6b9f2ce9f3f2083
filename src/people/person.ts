// A person's page: who they are, which agencies know them and under what details, where they
// have lived, who they live with now, and the people around them. Sealed addresses are withheld
// in the query itself, so their content never leaves the database for someone who may not see it.
// Their chronology is beside this, in src/chronology.
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Scope } from '../access/gate';
import { londonDate } from '../calendar/london';
import { isUuid } from '../db/uuid';
import { notFound } from '../server/errors';
import { currentPersonId } from '../sharing/involvement';

export interface AddressView {
  id: string;
  sealed: boolean;
  confidential: boolean;
  line1: string | null;
  line2: string | null;
  town: string | null;
  postcode: string | null;
  fromDate: string | null;
  toDate: string | null;
  recordedBy: string | null;
}

export interface PersonView {
  id: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  sex: string | null;
  nhsNumber: string | null;
  agencyRecords: {
    agencyName: string;
    sourceRef: string;
    givenName: string | null;
    familyName: string | null;
    dateOfBirth: string | null;
    nhsNumber: string | null;
  }[];
  addresses: AddressView[];
  relationships: {
    personId: string;
    givenName: string | null;
    familyName: string | null;
    dateOfBirth: string | null;
    kind: string;
    direction: 'outgoing' | 'incoming';
    fromDate: string | null;
    toDate: string | null;
  }[];
  /** The households they live in now, with everyone else living there. */
  households: CurrentHousehold[];
  /** Named as the alleged perpetrator in an incident or a relationship: their own page shows whom. */
  isAllegedPerpetrator: boolean;
  /** Merges into this person and splits from or to them, newest first. */
  identityHistory: IdentityHistoryEntry[];
}

export interface CurrentHousehold {
  id: string;
  /** A confidential address this viewer may not see: only that it is withheld is said. */
  sealed: boolean;
  confidential: boolean;
  address: string | null;
  /** When they joined it. */
  fromDate: string | null;
  members: {
    personId: string;
    givenName: string | null;
    familyName: string | null;
    dateOfBirth: string | null;
    expectedDateOfBirth: string | null;
    fromDate: string | null;
  }[];
}

export interface IdentityHistoryEntry {
  kind: 'merged_in' | 'split_off' | 'split_from';
  otherPersonId: string;
  otherName: string;
  by: string;
  at: Date;
  reason: string;
  undoneAt: Date | null;
  undoneBy: string | null;
}

/**
 * The person and everything their page shows about them, in one statement: each part is a JSON
 * array built by its own indexed look-up. On this kind of machine a statement's round trip costs
 * more than most of these look-ups, and the page used to send ten.
 */
export async function viewPerson(scope: Scope, requestedId: string, reason?: string): Promise<PersonView> {
  scope.audit({ action: 'person.view', recordType: 'person', recordId: requestedId, subjectPersonId: isUuid(requestedId) ? requestedId : undefined, ...(reason ? { reason } : {}) });
  if (!isUuid(requestedId)) throw notFound('The person');
  // A person merged into another is shown as the one they were merged into.
  const id = await currentPersonId(scope, requestedId);
  if (!id) throw notFound('The person');

  const canSeeSealed = scope.can('address.view_confidential');
  const withheld = (column: string) =>
    canSeeSealed ? sql<string | null>`${sql.ref(column)}` : sql<string | null>`CASE WHEN a.confidential THEN NULL ELSE ${sql.ref(column)} END`;
  const today = londonDate(new Date());
  const db = scope.db;
  const current = (table: 'm' | 'o' | 'h') => sql<boolean>`(${sql.ref(`${table}.to_date`)} IS NULL OR ${sql.ref(`${table}.to_date`)} > ${today})`;
  const related = (own: 'person_id' | 'related_person_id', other: 'person_id' | 'related_person_id') => jsonArrayFrom(
    db.selectFrom('relationship as rel')
      .innerJoin('person as other', 'other.id', `rel.${other}`)
      .select(['other.id', 'other.given_name', 'other.family_name', 'other.date_of_birth', 'rel.kind', 'rel.from_date', 'rel.to_date'])
      .where(`rel.${own}`, '=', id),
  );

  const person = await db
    .selectFrom('person as p')
    .select([
      'p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.expected_date_of_birth', 'p.sex', 'p.nhs_number',
      jsonArrayFrom(
        db.selectFrom('agency_record as r')
          .innerJoin('agency as g', 'g.id', 'r.agency_id')
          .select(['g.name as agency_name', 'r.source_ref', 'r.given_name', 'r.family_name', 'r.date_of_birth', 'r.nhs_number'])
          .where('r.person_id', '=', id)
          .orderBy('g.name'),
      ).as('agency_records'),
      jsonArrayFrom(
        db.selectFrom('person_address as pa')
          .innerJoin('address as a', 'a.id', 'pa.address_id')
          .leftJoin('agency_record as r', 'r.id', 'pa.agency_record_id')
          .leftJoin('agency as g', 'g.id', 'r.agency_id')
          .select([
            'a.id', 'a.confidential', 'pa.from_date', 'pa.to_date', 'g.name as recorded_by',
            withheld('a.line1').as('line1'), withheld('a.line2').as('line2'), withheld('a.town').as('town'), withheld('a.postcode').as('postcode'),
          ])
          .where('pa.person_id', '=', id)
          .orderBy(sql`pa.to_date IS NULL`, 'desc')
          .orderBy('pa.from_date', 'desc'),
      ).as('addresses'),
      related('person_id', 'related_person_id').as('outgoing'),
      related('related_person_id', 'person_id').as('incoming'),
      sql<boolean>`EXISTS (SELECT 1 FROM event_person WHERE person_id = ${id} AND role = 'alleged_perpetrator')
        OR EXISTS (SELECT 1 FROM relationship WHERE person_id = ${id} AND kind = 'alleged_perpetrator_of')`.as('named'),
      jsonArrayFrom(
        db.selectFrom('person_merge as m')
          .innerJoin('person as o', 'o.id', 'm.merged_person_id')
          .innerJoin('app_user as u', 'u.id', 'm.merged_by')
          .leftJoin('app_user as x', 'x.id', 'm.undone_by')
          .select(['m.merged_person_id as other', 'o.given_name', 'o.family_name', 'u.display_name as by', 'm.merged_at as at', 'm.reason', 'm.undone_at', 'x.display_name as undone_by'])
          .where('m.kept_person_id', '=', id),
      ).as('merges'),
      jsonArrayFrom(
        db.selectFrom('person_split as s')
          .innerJoin('person as f', 'f.id', 's.from_person_id')
          .innerJoin('person as t', 't.id', 's.to_person_id')
          .innerJoin('app_user as u', 'u.id', 's.split_by')
          .select(['s.from_person_id', 's.to_person_id', 'f.given_name as from_given', 'f.family_name as from_family', 't.given_name as to_given', 't.family_name as to_family', 'u.display_name as by', 's.split_at as at', 's.reason'])
          .where((eb) => eb.or([eb('s.from_person_id', '=', id), eb('s.to_person_id', '=', id)])),
      ).as('splits'),
      // The households they live in today (London), and who else lives there today.
      jsonArrayFrom(
        db.selectFrom('household_member as m')
          .innerJoin('household as h', 'h.id', 'm.household_id')
          .leftJoin('address as a', 'a.id', 'h.address_id')
          .select((eb) => [
            'h.id', 'm.from_date', 'a.confidential', withheld('a.line1').as('line1'), withheld('a.town').as('town'), withheld('a.postcode').as('postcode'),
            jsonArrayFrom(
              eb.selectFrom('household_member as o')
                .innerJoin('person as op', 'op.id', 'o.person_id')
                .select(['o.from_date', 'op.id', 'op.given_name', 'op.family_name', 'op.date_of_birth', 'op.expected_date_of_birth'])
                .whereRef('o.household_id', '=', 'h.id')
                .where('o.person_id', '<>', id)
                .where(current('o'))
                // Oldest first: the adults, then the children by age.
                .orderBy('op.date_of_birth', (ob) => ob.asc().nullsLast())
                .orderBy('op.id'),
            ).as('members'),
          ])
          .where('m.person_id', '=', id)
          .where(current('m'))
          .where(current('h'))
          .orderBy('m.from_date', (ob) => ob.desc().nullsLast()),
      ).as('households'),
    ])
    .where('p.id', '=', id)
    .executeTakeFirstOrThrow();

  // Inside JSON, instants arrive as text: made Dates again here.
  const history: IdentityHistoryEntry[] = [
    ...person.merges.map((m) => ({
      kind: 'merged_in' as const, otherPersonId: m.other, otherName: nameOf(m), by: m.by, at: new Date(m.at), reason: m.reason,
      undoneAt: m.undone_at ? new Date(m.undone_at) : null, undoneBy: m.undone_by,
    })),
    ...person.splits.map((s) => s.from_person_id === id
      ? { kind: 'split_off' as const, otherPersonId: s.to_person_id, otherName: nameOf({ given_name: s.to_given, family_name: s.to_family }), by: s.by, at: new Date(s.at), reason: s.reason, undoneAt: null, undoneBy: null }
      : { kind: 'split_from' as const, otherPersonId: s.from_person_id, otherName: nameOf({ given_name: s.from_given, family_name: s.from_family }), by: s.by, at: new Date(s.at), reason: s.reason, undoneAt: null, undoneBy: null }),
  ];
  // A merge can leave someone listed twice in one household: each household and member once.
  const seen = new Set<string>();
  const households = person.households
    .filter((h) => !seen.has(h.id) && seen.add(h.id))
    .map((h): CurrentHousehold => {
      const sealed = h.confidential === true && !canSeeSealed;
      const here = new Set<string>();
      return {
        id: h.id,
        sealed,
        confidential: h.confidential === true,
        address: sealed ? null : [h.line1, h.town, h.postcode].filter(Boolean).join(', ') || null,
        fromDate: h.from_date,
        members: h.members
          .filter((m) => !here.has(m.id) && here.add(m.id))
          .map((m) => ({ personId: m.id, givenName: m.given_name, familyName: m.family_name, dateOfBirth: m.date_of_birth, expectedDateOfBirth: m.expected_date_of_birth, fromDate: m.from_date })),
      };
    });

  return {
    id: person.id,
    givenName: person.given_name,
    familyName: person.family_name,
    dateOfBirth: person.date_of_birth,
    expectedDateOfBirth: person.expected_date_of_birth,
    sex: person.sex,
    nhsNumber: person.nhs_number,
    agencyRecords: person.agency_records.map((r) => ({
      agencyName: r.agency_name, sourceRef: r.source_ref, givenName: r.given_name, familyName: r.family_name, dateOfBirth: r.date_of_birth, nhsNumber: r.nhs_number,
    })),
    addresses: dedupeAddresses(
      person.addresses.map((a) => ({
        id: a.id, confidential: a.confidential, sealed: a.confidential && !canSeeSealed,
        line1: a.line1, line2: a.line2, town: a.town, postcode: a.postcode, fromDate: a.from_date, toDate: a.to_date, recordedBy: a.recorded_by,
      })),
    ),
    relationships: [
      ...person.outgoing.map((r) => ({ ...relationshipFields(r), direction: 'outgoing' as const })),
      ...person.incoming.map((r) => ({ ...relationshipFields(r), direction: 'incoming' as const })),
    ],
    households,
    isAllegedPerpetrator: person.named,
    identityHistory: history.sort((a, b) => b.at.getTime() - a.at.getTime()),
  };
}

const nameOf = (p: { given_name: string | null; family_name: string | null }) => [p.given_name, p.family_name].filter(Boolean).join(' ') || 'Name not known';

function relationshipFields(r: { id: string; given_name: string | null; family_name: string | null; date_of_birth: string | null; kind: string; from_date: string | null; to_date: string | null }) {
  return { personId: r.id, givenName: r.given_name, familyName: r.family_name, dateOfBirth: r.date_of_birth, kind: r.kind, fromDate: r.from_date, toDate: r.to_date };
}

/** Several agencies often record the same address; show it once, with the widest period. */
function dedupeAddresses(addresses: AddressView[]): AddressView[] {
  const byId = new Map<string, AddressView>();
  for (const a of addresses) {
    const seen = byId.get(a.id);
    if (!seen) {
      byId.set(a.id, { ...a });
      continue;
    }
    if (a.fromDate && (!seen.fromDate || a.fromDate < seen.fromDate)) seen.fromDate = a.fromDate;
    if (!a.toDate || (seen.toDate && a.toDate > seen.toDate)) seen.toDate = a.toDate;
    if (a.recordedBy && seen.recordedBy && !seen.recordedBy.includes(a.recordedBy)) seen.recordedBy += `, ${a.recordedBy}`;
  }
  return [...byId.values()];
}
