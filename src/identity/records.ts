// Agency records as a reviewer sees them, two side by side, field by field. Sealed addresses are
// withheld in the query itself for someone who may not see them (as on the person page).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { formatCalendarDate } from '../web/views';
import { notFound } from '../server/errors';

export interface RecordView {
  id: string;
  personId: string | null;
  personName: string;
  personRecords: number;
  agencyName: string;
  sourceRef: string;
  recordedAt: Date;
  givenName: string | null;
  middleNames: string | null;
  familyName: string | null;
  aliases: string[];
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  sex: string | null;
  nhsNumber: string | null;
  school: string | null;
  phone: string | null;
  email: string | null;
  addresses: { text: string; sealed: boolean; confidential: boolean; from: string | null; to: string | null }[];
  hasSealedAddress: boolean;
}

interface RecordRow {
  id: string;
  person_id: string | null;
  person_given_name: string | null;
  person_family_name: string | null;
  person_records: number;
  agency_name: string;
  source_ref: string;
  recorded_at: Date;
  given_name: string | null;
  middle_names: string | null;
  family_name: string | null;
  aliases: string[];
  date_of_birth: string | null;
  expected_date_of_birth: string | null;
  sex: string | null;
  nhs_number: string | null;
  school: string | null;
  phone: string | null;
  email: string | null;
}

const sexWords: Record<string, string> = { F: 'Female', M: 'Male', U: 'Not known' };

/** The agency records, in the order asked, with their addresses (sealed ones withheld unless allowed). */
export async function readRecords(db: Kysely<Database>, ids: readonly string[], canSeeSealed: boolean): Promise<RecordView[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<RecordRow>`
    SELECT r.id, r.person_id, p.given_name AS person_given_name, p.family_name AS person_family_name,
      (SELECT count(*)::int FROM agency_record o WHERE o.person_id = r.person_id) AS person_records,
      g.name AS agency_name, r.source_ref, r.recorded_at, r.given_name, r.middle_names, r.family_name, r.aliases, r.date_of_birth,
      r.expected_date_of_birth, r.sex, r.nhs_number, s.name AS school, r.phone, r.email
    FROM agency_record r
    JOIN agency g ON g.id = r.agency_id
    LEFT JOIN person p ON p.id = r.person_id
    LEFT JOIN agency s ON s.id = r.school_agency_id
    WHERE r.id = ANY(${ids}::uuid[])`.execute(db);
  const withheld = (column: string) =>
    canSeeSealed ? sql<string | null>`${sql.ref(column)}` : sql<string | null>`CASE WHEN a.confidential THEN NULL ELSE ${sql.ref(column)} END`;
  const addresses = await db
    .selectFrom('person_address as pa')
    .innerJoin('address as a', 'a.id', 'pa.address_id')
    .select(['pa.agency_record_id', 'a.confidential', 'pa.from_date', 'pa.to_date', withheld('a.line1').as('line1'), withheld('a.line2').as('line2'), withheld('a.town').as('town'), withheld('a.postcode').as('postcode')])
    .where('pa.agency_record_id', 'in', ids)
    .orderBy('pa.from_date')
    .orderBy('pa.id')
    .execute();
  return ids.map((id) => {
    const r = rows.find((row) => row.id === id);
    if (!r) throw notFound('The record');
    const own = addresses.filter((a) => a.agency_record_id === id);
    return {
      id: r.id, personId: r.person_id,
      personName: [r.person_given_name, r.person_family_name].filter(Boolean).join(' ') || 'Name not known',
      personRecords: r.person_records, agencyName: r.agency_name, sourceRef: r.source_ref, recordedAt: r.recorded_at,
      givenName: r.given_name, middleNames: r.middle_names, familyName: r.family_name, aliases: r.aliases, dateOfBirth: r.date_of_birth,
      expectedDateOfBirth: r.expected_date_of_birth, sex: r.sex, nhsNumber: r.nhs_number, school: r.school, phone: r.phone, email: r.email,
      addresses: own.map((a) => ({
        sealed: a.confidential && !canSeeSealed,
        confidential: a.confidential,
        text: a.confidential && !canSeeSealed ? 'Confidential address: withheld' : [a.line1, a.line2, a.town, a.postcode].filter(Boolean).join(', '),
        from: a.from_date, to: a.to_date,
      })),
      hasSealedAddress: own.some((a) => a.confidential),
    };
  });
}

const nhs = (n: string | null) => (n && n.length === 10 ? `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : (n ?? ''));
const normal = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The two records and a row per field: each side's value, and whether they agree (null when either is missing). */
export async function recordsSideBySide(db: Kysely<Database>, incomingId: string, candidateId: string, canSeeSealed: boolean) {
  const [incoming, candidate] = (await readRecords(db, [incomingId, candidateId], canSeeSealed)) as [RecordView, RecordView];
  const row = (label: string, pick: (r: RecordView) => string, comparable = true) => {
    const [a, b] = [pick(incoming), pick(candidate)];
    return { label, incoming: a, candidate: b, same: !comparable || a === '' || b === '' ? null : normal(a) === normal(b) };
  };
  const addressText = (r: RecordView) => r.addresses.map((a) => a.text).join('; ');
  const fields = [
    row('Agency', (r) => r.agencyName, false),
    row('Their reference', (r) => r.sourceRef, false),
    row('First name', (r) => r.givenName ?? ''),
    row('Middle names', (r) => r.middleNames ?? ''),
    row('Last name', (r) => r.familyName ?? ''),
    row('Also known as', (r) => r.aliases.join(', ')),
    row('Date of birth', (r) => formatCalendarDate(r.dateOfBirth)),
    row('Expected date of birth', (r) => formatCalendarDate(r.expectedDateOfBirth)),
    row('Sex', (r) => (r.sex ? (sexWords[r.sex] ?? r.sex) : '')),
    row('NHS number', (r) => nhs(r.nhsNumber)),
    // Whether a sealed address agrees with the other side is itself a clue to where it is.
    row('Addresses', addressText, !(incoming.addresses.some((a) => a.sealed) || candidate.addresses.some((a) => a.sealed))),
    row('School', (r) => r.school ?? ''),
    row('Phone', (r) => r.phone ?? ''),
    row('Email', (r) => r.email ?? ''),
  ];
  return { incoming, candidate, fields };
}
