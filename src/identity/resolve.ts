// Linking agency records on arrival, inside the caller's transaction (intake links the people of a
// notification together). Each record is stored with its features and blocking keys; its
// candidates come from an indexed look-up of those keys (the most specific first), one statement
// for all the records that arrive together; each is scored with the area's model. Records that
// arrive together are decided in order, each seeing those before it, and written in one statement.
// Above the automatic threshold the record joins the best person, unless hard evidence is against
// (two different valid NHS numbers, a record of that person strongly unlike this one, or the
// person named apart in the same notification): then, as in the review band, it becomes a new
// person and a reviewer is asked. Below the band it is a new person.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Scope } from '../access/gate';
import type { Database } from '../db/schema';
import { DEFAULT_CONFLICT_EVIDENCE, differentNhsNumbers, type NormalisedRecord, type Scorer } from '../linkage';
import { HearthError, validationFailed } from '../server/errors';
import { displayFrom, type DisplaySource, type PersonDisplay } from './display';
import { storedEvidence, type StoredEvidence } from './evidence';
import { featuresOf, lookupKeys, normalisedVariants, parseAgencyRecordInput, storedKeys, type AddressInput, type AgencyRecordData, type AgencyRecordInput, type RecordFeatures } from './features';
import { firstModel, storedModel, type AreaModel } from './model';
import { refreshDisplay } from './persons';
import { parseIdentitySettings, type IdentitySettings } from './settings';

export type ResolutionOutcome = 'linked' | 'review' | 'new_person' | 'updated';

export interface Resolution {
  agencyRecordId: string;
  personId: string;
  /** linked: joined an existing person; review: a new person, and a reviewer asked whether it is the candidate; new_person: nobody like them; updated: a record already held, changed. */
  outcome: ResolutionOutcome;
  /** Probability that the record is the best candidate person (0 when there was no candidate). */
  probability: number;
  reviewId?: string;
}

/** Keys in a block bigger than this are skipped: they would find half the county's Smiths. */
const blockCap = 500;
/**
 * At most this many candidate records are scored, the most specific first: each key shared counts
 * for one over the size of its block, so sharing a name found three times in the county outranks
 * sharing a date of birth found two hundred times (and its day-month swap, which always comes with it).
 */
const maxCandidates = 24;

// Agencies are never deleted and rarely added, so what resolution needs of them is kept per
// process; a miss reads again. The read is limited to the caller's area by row-level security.
const agencyCache = new Map<string, { areaId: string; kind: string; service: string | null }>();

/** Reads into the cache the agencies not yet in it (limited to the caller's area by row-level security). */
async function loadAgencies(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => !agencyCache.has(id));
  if (missing.length === 0) return;
  const rows = await db.selectFrom('agency').select(['id', 'area_id', 'kind', 'service']).where('id', 'in', missing).execute();
  for (const row of rows) agencyCache.set(row.id, { areaId: row.area_id, kind: row.kind, service: row.service });
}

/** Checks the agencies a record names are of the area (and a school, a GP practice); returns the sender's. */
async function checkAgencies(db: Kysely<Database>, areaId: string, data: AgencyRecordData): Promise<{ kind: string; service: string | null }> {
  await loadAgencies(db, [data.agencyId, data.schoolAgencyId, data.gpAgencyId].filter((id): id is string => id !== null));
  const inArea = (id: string | null) => (id ? agencyCache.get(id) : undefined)?.areaId === areaId ? agencyCache.get(id as string) : undefined;
  const agency = inArea(data.agencyId);
  const fields: { field: string; message: string }[] = [];
  if (!agency) fields.push({ field: 'agencyId', message: 'agencyId is not an agency of this area' });
  if (data.schoolAgencyId && inArea(data.schoolAgencyId)?.kind !== 'school') fields.push({ field: 'schoolAgencyId', message: 'schoolAgencyId is not a school of this area' });
  if (data.gpAgencyId && inArea(data.gpAgencyId)?.service !== 'gp') fields.push({ field: 'gpAgencyId', message: 'gpAgencyId is not a GP practice of this area' });
  if (!agency || fields.length > 0) throw validationFailed(fields);
  return agency;
}

interface Candidate {
  id: string;
  personId: string;
  display: DisplaySource;
  features: RecordFeatures;
  /** How many records the database holds of the candidate's person (records of the batch aside). */
  personRecords: number;
}

/** What the look-up found for one record of a batch. */
interface Found {
  existing: { id: string; personId: string | null } | null;
  candidates: Candidate[];
}

interface Lookup {
  modelId: string | null;
  settings: IdentitySettings;
  /** In the order of the records looked up. */
  found: Found[];
}

interface CandidateRow {
  i: number;
  existing_id: string | null;
  existing_person_id: string | null;
  model_id: string | null;
  settings: unknown;
  id: string | null;
  person_id: string | null;
  given_name: string | null;
  family_name: string | null;
  date_of_birth: string | null;
  expected_date_of_birth: string | null;
  sex: 'F' | 'M' | 'U' | null;
  nhs_number: string | null;
  agency_id: string | null;
  features: RecordFeatures | null;
  person_records: number | null;
}

const settingsCache = new Map<string, IdentitySettings>();

function settingsFrom(value: unknown): IdentitySettings {
  const text = JSON.stringify(value ?? {});
  let settings = settingsCache.get(text);
  if (!settings) {
    settings = parseIdentitySettings(value ?? {});
    if (settingsCache.size > 100) settingsCache.clear();
    settingsCache.set(text, settings);
  }
  return settings;
}

/**
 * One statement for a batch of records: whether the agency already holds each, the area's model
 * and settings, and each record's candidates, those sharing the most specific keys with it (each
 * key's block read once for the batch, up to the cap; oversized blocks skipped), with what
 * scoring needs.
 */
async function lookUp(db: Kysely<Database>, areaId: string, records: readonly Prepared[]): Promise<Lookup> {
  const keys = records.flatMap((p) => p.lookup);
  const owners = records.flatMap((p, i) => p.lookup.map(() => i + 1));
  const { rows } = await sql<CandidateRow>`
    WITH wanted AS (
      SELECT * FROM unnest(${keys}::text[], ${owners}::int[]) AS q(key, i)
    ),
    blocks AS (
      SELECT b.key, h.agency_record_id, h.block_size
      FROM (SELECT DISTINCT key FROM wanted) b
      CROSS JOIN LATERAL (
        SELECT s.agency_record_id, count(*) OVER () AS block_size
        FROM (SELECT k.agency_record_id FROM identity_key k WHERE k.area_id = ${areaId} AND k.key = b.key LIMIT ${blockCap + 1}) s
      ) h
      WHERE h.block_size <= ${blockCap}
    ),
    ranked AS (
      SELECT w.i, b.agency_record_id AS id,
        row_number() OVER (PARTITION BY w.i ORDER BY sum(1.0 / b.block_size) DESC, b.agency_record_id) AS rank
      FROM wanted w JOIN blocks b ON b.key = w.key
      GROUP BY w.i, b.agency_record_id
    ),
    candidates AS (
      SELECT t.i, t.id, r.person_id, r.given_name, r.family_name, r.date_of_birth, r.expected_date_of_birth, r.sex, r.nhs_number,
        r.agency_id, f.features, (SELECT count(*)::int FROM agency_record o WHERE o.person_id = r.person_id) AS person_records
      FROM ranked t
      JOIN agency_record r ON r.id = t.id
      JOIN identity_features f ON f.agency_record_id = t.id
      WHERE t.rank <= ${maxCandidates} AND r.person_id IS NOT NULL
    )
    SELECT x.i::int AS i, e.id AS existing_id, e.person_id AS existing_person_id,
      (SELECT m.id FROM identity_model m WHERE m.area_id = ${areaId} AND m.active) AS model_id,
      (SELECT a.settings -> 'identity' FROM area a WHERE a.id = ${areaId}) AS settings,
      c.id, c.person_id, c.given_name, c.family_name, c.date_of_birth, c.expected_date_of_birth, c.sex, c.nhs_number,
      c.agency_id, c.features, c.person_records
    FROM unnest(${records.map((p) => p.data.agencyId)}::uuid[], ${records.map((p) => p.data.sourceRef)}::text[]) WITH ORDINALITY AS x(agency_id, source_ref, i)
    LEFT JOIN LATERAL (
      SELECT r.id, r.person_id FROM agency_record r WHERE r.area_id = ${areaId} AND r.agency_id = x.agency_id AND r.source_ref = x.source_ref
    ) e ON true
    LEFT JOIN candidates c ON c.i = x.i`.execute(db);
  await loadAgencies(db, rows.flatMap((r) => (r.agency_id ? [r.agency_id] : [])));
  const found: Found[] = records.map(() => ({ existing: null, candidates: [] }));
  for (const r of rows) {
    const f = found[r.i - 1]!;
    if (r.existing_id) f.existing = { id: r.existing_id, personId: r.existing_person_id };
    if (r.id !== null) {
      f.candidates.push({ id: r.id, personId: r.person_id as string, features: r.features as RecordFeatures, personRecords: r.person_records ?? 0, display: displayOfRow(r) });
    }
  }
  return { modelId: rows[0]?.model_id ?? null, settings: settingsFrom(rows[0]?.settings), found };
}

/** What a candidate row gives for choosing a person's display fields (its agency from the cache). */
function displayOfRow(r: Pick<CandidateRow, 'given_name' | 'family_name' | 'date_of_birth' | 'expected_date_of_birth' | 'sex' | 'nhs_number' | 'agency_id'>): DisplaySource {
  const agency = r.agency_id ? agencyCache.get(r.agency_id) : undefined;
  return {
    givenName: r.given_name, familyName: r.family_name, dateOfBirth: r.date_of_birth, expectedDateOfBirth: r.expected_date_of_birth,
    sex: r.sex, nhsNumber: r.nhs_number, agencyKind: agency?.kind ?? '', agencyService: agency?.service ?? null,
  };
}

async function modelOf(db: Kysely<Database>, areaId: string, modelId: string | null): Promise<AreaModel> {
  return modelId ? storedModel(db, modelId) : firstModel(db, areaId);
}

interface Scored {
  candidate: Candidate;
  weight: number;
  probability: number;
  /** The variants that scored best (a record's aliases are variants). */
  pair: readonly [NormalisedRecord, NormalisedRecord];
}

/** The best score over both records' variants (as recorded, and under each alias). */
function bestScore(scorer: Scorer, incoming: readonly NormalisedRecord[], other: readonly NormalisedRecord[]): { weight: number; probability: number; pair: readonly [NormalisedRecord, NormalisedRecord] } {
  let best = { weight: -Infinity, probability: 0, pair: [incoming[0]!, other[0]!] as const };
  for (const a of incoming) {
    for (const b of other) {
      const score = scorer.score(a, b);
      if (score.weight > best.weight) best = { ...score, pair: [a, b] as const };
    }
  }
  return best;
}

const scoreOne = (scorer: Scorer, incoming: readonly NormalisedRecord[], candidate: Candidate): Scored =>
  ({ candidate, ...bestScore(scorer, incoming, normalisedVariants(candidate.id, candidate.features, scorer.attributeNames)) });

export type ReviewCause = 'uncertain' | 'different_nhs_numbers' | 'different_dates_of_birth' | 'evidence_against' | 'named_apart';

interface PersonMatch {
  personId: string;
  best: Scored;
  records: Scored[];
}

/** Candidates grouped by person, best person first. */
function personMatches(scored: readonly Scored[]): PersonMatch[] {
  const byPerson = new Map<string, PersonMatch>();
  for (const s of scored) {
    const match = byPerson.get(s.candidate.personId);
    if (!match) byPerson.set(s.candidate.personId, { personId: s.candidate.personId, best: s, records: [s] });
    else {
      match.records.push(s);
      if (s.weight > match.best.weight) match.best = s;
    }
  }
  return [...byPerson.values()].sort((a, b) => b.best.weight - a.best.weight);
}

/** The list under `key`, made empty the first time. */
function listIn<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/**
 * Records decided earlier in the same batch, written with it at the end: candidates for the
 * records after them (the database cannot find them yet), and part of their person.
 */
class BatchRecords {
  private readonly byKey = new Map<string, Candidate[]>();
  private readonly byPerson = new Map<string, Candidate[]>();

  add(candidate: Candidate, keys: readonly string[]): void {
    for (const key of keys) listIn(this.byKey, key).push(candidate);
    listIn(this.byPerson, candidate.personId).push(candidate);
  }

  /** Those sharing one of these look-up keys, each once. */
  sharing(keys: readonly string[]): Candidate[] {
    return [...new Set(keys.flatMap((k) => this.byKey.get(k) ?? []))];
  }

  of(personId: string): Candidate[] {
    return this.byPerson.get(personId) ?? [];
  }
}

/** Records of a person not among the candidates (in the database and earlier in the batch), scored the same way. */
async function restOfPerson(
  db: Kysely<Database>, areaId: string, match: PersonMatch, scorer: Scorer, incoming: readonly NormalisedRecord[], batch: BatchRecords,
): Promise<Scored[]> {
  const known = new Set(match.records.map((r) => r.candidate.id));
  const inBatch = batch.of(match.personId);
  const batchIds = new Set(inBatch.map((c) => c.id));
  const fromBatch = inBatch.filter((c) => !known.has(c.id)).map((c) => scoreOne(scorer, incoming, c));
  const knownHeld = [...known].filter((id) => !batchIds.has(id));
  if (knownHeld.length >= match.best.candidate.personRecords) return fromBatch;
  const { rows } = await sql<Omit<CandidateRow, 'i' | 'existing_id' | 'existing_person_id' | 'model_id' | 'settings'>>`
    SELECT r.id, r.person_id, r.given_name, r.family_name, r.date_of_birth, r.expected_date_of_birth, r.sex, r.nhs_number,
      r.agency_id, f.features, ${match.best.candidate.personRecords}::int AS person_records
    FROM agency_record r LEFT JOIN identity_features f ON f.agency_record_id = r.id
    WHERE r.area_id = ${areaId} AND r.person_id = ${match.personId} AND r.id <> ALL(${knownHeld}::uuid[])`.execute(db);
  await loadAgencies(db, rows.flatMap((r) => (r.agency_id ? [r.agency_id] : [])));
  return [...rows.map((r) => {
    const features = r.features ?? featuresOf({
      givenName: r.given_name, middleNames: null, familyName: r.family_name, aliases: [], dateOfBirth: r.date_of_birth,
      expectedDateOfBirth: r.expected_date_of_birth, sex: r.sex, nhsNumber: r.nhs_number, addresses: [], phone: null, email: null,
    });
    return scoreOne(scorer, incoming, { id: r.id as string, personId: match.personId, features, personRecords: r.person_records ?? 0, display: displayOfRow(r) });
  }), ...fromBatch];
}

/**
 * Whether the person was born on a date unlike this record's: every record of theirs that gives a
 * date of birth is more than a year apart from it and not by a keying slip (a digit, the day and
 * month swapped), and none shares an identifier with it. A shared name, however rare, does not
 * outweigh that without a person looking: linking on it would put a stranger's events, or a
 * mother's, on this person's record.
 */
function bornApart(scorer: Scorer, records: readonly Scored[]): boolean {
  let dated = 0;
  for (const r of records) {
    const fields = scorer.explain(r.pair[0], r.pair[1]).fields;
    const level = (comparison: string) => fields.find((f) => f.comparison === comparison)?.level ?? null;
    if (level('identifier') === 'exact') return false;
    const dob = level('dob');
    if (dob === null) continue;
    if (dob !== 'else') return false;
    dated++;
  }
  return dated > 0;
}

/** Why the record must not join this person, or null when nothing stands against it. */
function conflictWith(records: readonly Scored[], scorer: Scorer, incoming: NormalisedRecord, personId: string, distinctFrom: readonly string[]): ReviewCause | null {
  if (distinctFrom.includes(personId)) return 'named_apart';
  for (const r of records) if (differentNhsNumbers(incoming, r.pair[1])) return 'different_nhs_numbers';
  if (bornApart(scorer, records)) return 'different_dates_of_birth';
  for (const r of records) if (r.weight - scorer.priorWeight < DEFAULT_CONFLICT_EVIDENCE) return 'evidence_against';
  return null;
}

interface Decision {
  /** The person to join, or null for a new person. */
  link: PersonMatch | null;
  /** What to ask a reviewer about, if anything. */
  review: { match: PersonMatch; cause: ReviewCause } | null;
  /** The closest candidate person (for the link's evidence), whatever was decided. */
  closest: PersonMatch | null;
  /** Every record of the linked person (candidates and the rest), for its display fields. */
  linkedRecords: Scored[];
}

async function decide(
  db: Kysely<Database>, areaId: string, scorer: Scorer, settings: IdentitySettings, incoming: readonly NormalisedRecord[],
  matches: readonly PersonMatch[], distinctFrom: readonly string[], batch: BatchRecords,
): Promise<Decision> {
  const closest = matches[0] ?? null;
  let review: Decision['review'] = null;
  for (const match of matches) {
    if (match.best.probability < settings.autoLinkThreshold) break;
    const records = [...match.records, ...(await restOfPerson(db, areaId, match, scorer, incoming, batch))];
    const cause = conflictWith(records, scorer, incoming[0]!, match.personId, distinctFrom);
    if (!cause) return { link: match, review: null, closest, linkedRecords: records };
    review ??= { match, cause };
  }
  if (!review) {
    const uncertain = matches.find((m) => m.best.probability >= settings.reviewThreshold && !distinctFrom.includes(m.personId));
    if (uncertain && uncertain.best.probability < settings.autoLinkThreshold) review = { match: uncertain, cause: 'uncertain' };
  }
  return { link: null, review, closest, linkedRecords: [] };
}

const sameDisplay = (a: PersonDisplay, b: PersonDisplay) => (Object.keys(a) as (keyof PersonDisplay)[]).every((k) => a[k] === b[k]);

function displaySourceOf(data: AgencyRecordData, agency: { kind: string; service: string | null }): DisplaySource {
  return {
    givenName: data.givenName, familyName: data.familyName, dateOfBirth: data.dateOfBirth, expectedDateOfBirth: data.expectedDateOfBirth,
    sex: data.sex, nhsNumber: data.nhsNumber, agencyKind: agency.kind, agencyService: agency.service,
  };
}

// The writes below take their rows as one JSON parameter each (jsonb_to_recordset), so that one
// statement stores a whole batch, and each is guarded by a condition on what the statement's
// first part wrote.

interface AddressRow {
  record_id: string;
  person_id: string;
  /** Shared by identical new addresses of the batch, so that it is added once. */
  new_id: string;
  line1: string;
  line2: string | null;
  town: string | null;
  postcode: string | null;
  uprn: string | null;
  confidential: boolean;
  from_date: string | null;
  to_date: string | null;
}

function addressRows(records: readonly { recordId: string; personId: string; addresses: readonly AddressInput[] }[]): AddressRow[] {
  const newIds = new Map<string, string>();
  return records.flatMap((r) => r.addresses.map((a) => {
    // Same postcode, first line and sealing is the same place (as the match on known addresses below).
    const same = a.postcode ? `${a.postcode}|${a.line1.toLowerCase()}|${a.confidential}` : null;
    let newId = same ? newIds.get(same) : undefined;
    if (!newId) {
      newId = randomUUID();
      if (same) newIds.set(same, newId);
    }
    return {
      record_id: r.recordId, person_id: r.personId, new_id: newId, line1: a.line1, line2: a.line2, town: a.town, postcode: a.postcode,
      uprn: a.uprn, confidential: a.confidential, from_date: a.from, to_date: a.to,
    };
  }));
}

/**
 * The statements that store the addresses records hold: an address already known (same
 * postcode and first line, equally sealed) is shared, so that households meet; any other is added.
 */
function addressStatements(areaId: string, rows: readonly AddressRow[], guard: ReturnType<typeof sql>) {
  return sql`
    given AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS a(record_id uuid, person_id uuid, new_id uuid, line1 text, line2 text,
        town text, postcode text, uprn text, confidential boolean, from_date date, to_date date)
    ),
    matched AS (
      SELECT g.*, (SELECT ad.id FROM address ad WHERE ad.area_id = ${areaId} AND g.postcode IS NOT NULL AND ad.postcode = g.postcode
        AND lower(ad.line1) = lower(g.line1) AND ad.confidential = g.confidential ORDER BY ad.created_at, ad.id LIMIT 1) AS known_id
      FROM given g
    ),
    new_addresses AS (
      INSERT INTO address (id, area_id, line1, line2, town, postcode, uprn, confidential)
      SELECT DISTINCT ON (m.new_id) m.new_id, ${areaId}, m.line1, m.line2, m.town, m.postcode, m.uprn, m.confidential
      FROM matched m WHERE m.known_id IS NULL AND ${guard}
    ),
    lived AS (
      INSERT INTO person_address (area_id, person_id, agency_record_id, address_id, from_date, to_date)
      SELECT ${areaId}, m.person_id, m.record_id, coalesce(m.known_id, m.new_id), m.from_date, m.to_date FROM matched m WHERE ${guard}
    )`;
}

interface ReviewWrite {
  id: string;
  candidatePersonId: string;
  candidateRecordId: string;
  probability: number;
  evidence: StoredEvidence;
  cause: ReviewCause | 'updated_record';
}

function reviewStatement(areaId: string, reviews: readonly (ReviewWrite & { recordId: string })[], guard: ReturnType<typeof sql>) {
  const rows = reviews.map((r) => ({
    id: r.id, agency_record_id: r.recordId, candidate_person_id: r.candidatePersonId, candidate_record_id: r.candidateRecordId,
    match_probability: r.probability, evidence: r.evidence, cause: r.cause,
  }));
  return sql`
    review AS (
      INSERT INTO identity_review (id, area_id, agency_record_id, candidate_person_id, candidate_record_id, match_probability, evidence, cause)
      SELECT r.id, ${areaId}, r.agency_record_id, r.candidate_person_id, r.candidate_record_id, r.match_probability, r.evidence, r.cause
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id uuid, agency_record_id uuid, candidate_person_id uuid, candidate_record_id uuid,
        match_probability double precision, evidence jsonb, cause text)
      WHERE ${guard}
    )`;
}

const displayColumns = sql`given_name text, family_name text, date_of_birth date, expected_date_of_birth date, sex text, nhs_number text`;

/** New people, and new display fields for people joined, each given with its id. */
function personStatements(areaId: string, newPeople: readonly PersonRow[], updates: readonly PersonRow[], guard: ReturnType<typeof sql>) {
  return sql`
    new_person AS (
      INSERT INTO person (id, area_id, given_name, family_name, date_of_birth, expected_date_of_birth, sex, nhs_number)
      SELECT p.id, ${areaId}, p.given_name, p.family_name, p.date_of_birth, p.expected_date_of_birth, p.sex, p.nhs_number
      FROM jsonb_to_recordset(${JSON.stringify(newPeople)}::jsonb) AS p(id uuid, ${displayColumns})
      WHERE ${guard}
    ),
    shown AS (
      UPDATE person SET given_name = u.given_name, family_name = u.family_name, date_of_birth = u.date_of_birth,
        expected_date_of_birth = u.expected_date_of_birth, sex = u.sex, nhs_number = u.nhs_number, updated_at = now(), version = person.version + 1
      FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS u(id uuid, ${displayColumns})
      WHERE person.id = u.id AND ${guard}
    )`;
}

type PersonRow = PersonDisplay & { id: string };

interface LinkWrite {
  method: 'automatic' | 'new_person';
  probability: number | null;
  evidence: StoredEvidence | null;
}

function linkStatement(areaId: string, links: readonly (LinkWrite & { recordId: string; personId: string })[], guard: ReturnType<typeof sql>) {
  const rows = links.map((l) => ({ agency_record_id: l.recordId, person_id: l.personId, method: l.method, match_probability: l.probability, evidence: l.evidence }));
  return sql`
    link AS (
      INSERT INTO person_link (area_id, agency_record_id, person_id, method, match_probability, evidence)
      SELECT ${areaId}, l.agency_record_id, l.person_id, l.method, l.match_probability, l.evidence
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS l(agency_record_id uuid, person_id uuid, method text, match_probability double precision, evidence jsonb)
      WHERE ${guard}
    )`;
}

interface NewRecordWrite {
  recordId: string;
  personId: string;
  data: AgencyRecordData;
  features: RecordFeatures;
  keys: readonly string[];
  link: LinkWrite;
  review: ReviewWrite | null;
}

/**
 * Everything new records write, in one statement: the records, their people (new, or the display
 * fields of those they join), their features and keys, the links with their evidence, their
 * addresses and the reviews asked for. Every part waits on all the records being inserted: if an
 * agency's record appeared meanwhile (the same record sent twice at once), the answer is false;
 * for one record nothing was written, for more the caller rolls back what was.
 */
async function writeNewRecords(db: Kysely<Database>, areaId: string, writes: readonly NewRecordWrite[], newPeople: readonly PersonRow[], updates: readonly PersonRow[]): Promise<boolean> {
  // In the order of the unique key, so that two requests sending the same records at once wait on
  // each other in the same order rather than each holding one the other needs.
  const ordered = [...writes].sort((a, b) => (a.data.agencyId + a.data.sourceRef < b.data.agencyId + b.data.sourceRef ? -1 : 1));
  const records = ordered.map(({ recordId, personId, data: d, features }) => ({
    id: recordId, agency_id: d.agencyId, person_id: personId, source_ref: d.sourceRef, given_name: d.givenName, middle_names: d.middleNames,
    family_name: d.familyName, aliases: d.aliases, date_of_birth: d.dateOfBirth, expected_date_of_birth: d.expectedDateOfBirth, sex: d.sex,
    nhs_number: d.nhsNumber, school_agency_id: d.schoolAgencyId, gp_agency_id: d.gpAgencyId, phone: d.phone, email: d.email, features,
  }));
  const keys = writes.flatMap((w) => w.keys);
  const keyOwners = writes.flatMap((w) => w.keys.map(() => w.recordId));
  const complete = sql`(SELECT ok FROM complete)`;
  const { rows } = await sql<{ ok: boolean }>`
    WITH given_records AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS r(id uuid, agency_id uuid, person_id uuid, source_ref text, given_name text,
        middle_names text, family_name text, aliases text[], date_of_birth date, expected_date_of_birth date, sex text, nhs_number text,
        school_agency_id uuid, gp_agency_id uuid, phone text, email text, features jsonb)
    ),
    rec AS (
      INSERT INTO agency_record (id, area_id, agency_id, person_id, source_ref, given_name, middle_names, family_name, aliases,
        date_of_birth, expected_date_of_birth, sex, nhs_number, school_agency_id, gp_agency_id, phone, email)
      SELECT r.id, ${areaId}, r.agency_id, r.person_id, r.source_ref, r.given_name, r.middle_names, r.family_name, coalesce(r.aliases, '{}'),
        r.date_of_birth, r.expected_date_of_birth, r.sex, r.nhs_number, r.school_agency_id, r.gp_agency_id, r.phone, r.email
      FROM given_records r
      ON CONFLICT (area_id, agency_id, source_ref) DO NOTHING
      RETURNING id
    ),
    complete AS (SELECT count(*) = ${writes.length} AS ok FROM rec),
    ${personStatements(areaId, newPeople, updates, complete)},
    features AS (
      INSERT INTO identity_features (agency_record_id, area_id, features) SELECT r.id, ${areaId}, r.features FROM given_records r WHERE ${complete}
    ),
    keys AS (
      INSERT INTO identity_key (area_id, key, agency_record_id)
      SELECT ${areaId}, k.key, k.agency_record_id FROM unnest(${keys}::text[], ${keyOwners}::uuid[]) AS k(key, agency_record_id) WHERE ${complete}
    ),
    ${linkStatement(areaId, writes.map((w) => ({ ...w.link, recordId: w.recordId, personId: w.personId })), complete)},
    ${addressStatements(areaId, addressRows(writes.map((w) => ({ recordId: w.recordId, personId: w.personId, addresses: w.data.addresses }))), complete)},
    ${reviewStatement(areaId, writes.flatMap((w) => (w.review ? [{ ...w.review, recordId: w.recordId }] : [])), complete)}
    SELECT ok FROM complete`.execute(db);
  return rows[0]?.ok ?? false;
}

function requireIntake(scope: Scope): void {
  if (!scope.can('intake.notify_incident') && !scope.can('intake.refer')) {
    throw new HearthError('forbidden', 'You do not have access to this.');
  }
}

const explainMatch = (scorer: Scorer, match: PersonMatch): StoredEvidence =>
  storedEvidence(match.best.candidate.id, scorer.explain(match.best.pair[0], match.best.pair[1]));

function reviewOf(scorer: Scorer, review: { match: PersonMatch; cause: ReviewCause | 'updated_record' } | null): ReviewWrite | null {
  if (!review) return null;
  return {
    id: randomUUID(), candidatePersonId: review.match.personId, candidateRecordId: review.match.best.candidate.id,
    probability: review.match.best.probability, evidence: explainMatch(scorer, review.match), cause: review.cause,
  };
}

interface Prepared {
  data: AgencyRecordData;
  agency: { kind: string; service: string | null };
  features: RecordFeatures;
  /** Stored with the record. */
  keys: string[];
  /** Looked up to find its candidates. */
  lookup: string[];
}

export interface ResolveOptions {
  /**
   * The records are of different people (a notification names each person once): none joins a
   * person another of them holds or joins.
   */
  namedApart?: boolean;
}

/**
 * Links one agency record on arrival (see the top of this file). Runs inside the caller's gate
 * transaction, which must hold an intake permission; the resolution is audited there.
 */
export async function resolveAgencyRecord(scope: Scope, input: AgencyRecordInput): Promise<Resolution> {
  return (await resolveAgencyRecords(scope, [input]))[0]!;
}

/**
 * Links agency records that arrive together (a notification's people, a batch of arrivals), as
 * each would be linked alone in this order, with one look-up and one write for the batch: each
 * record's candidates include those of the batch before it. Each resolution is audited. Records
 * the agency already holds, and any record sent meanwhile by another request, are then resolved
 * one at a time.
 */
export async function resolveAgencyRecords(scope: Scope, inputs: readonly AgencyRecordInput[], options: ResolveOptions = {}): Promise<Resolution[]> {
  requireIntake(scope);
  if (inputs.length === 0) return [];
  const areaId = scope.actor.areaId;
  const records = inputs.map((input) => parseAgencyRecordInput(input));
  await loadAgencies(scope.db, records.flatMap((d) => [d.agencyId, d.schoolAgencyId, d.gpAgencyId].filter((id): id is string => id !== null)));
  const prepared: Prepared[] = [];
  for (const data of records) {
    const features = featuresOf(data);
    const variants = normalisedVariants('incoming', features, []);
    prepared.push({ data, agency: await checkAgencies(scope.db, areaId, data), features, keys: storedKeys(variants), lookup: lookupKeys(variants) });
  }

  const results: (Resolution | null)[] = prepared.map(() => null);
  const lookup = await lookUp(scope.db, areaId, prepared);
  const apart = (i: number, p: Prepared): Prepared =>
    (options.namedApart ? { ...p, data: { ...p.data, distinctFrom: [...p.data.distinctFrom, ...otherPeople(i, lookup, results)] } } : p);
  // A record sent twice in one batch is linked once, then updated.
  const seen = new Set<string>();
  const once = prepared.map((p) => {
    const ref = `${p.data.agencyId} ${p.data.sourceRef}`;
    const first = !seen.has(ref);
    seen.add(ref);
    return first;
  });
  const fresh = prepared.flatMap((p, i) => (once[i] && !lookup.found[i]!.existing ? [i] : []));
  if (fresh.length > 0) {
    const linked = await linkNewRecords(scope.db, areaId, lookup, fresh.map((i) => ({ prepared: apart(i, prepared[i]!), found: lookup.found[i]! })), options.namedApart ?? false);
    if (linked) linked.forEach((resolution, n) => (results[fresh[n]!] = resolution));
  }
  for (let i = 0; i < prepared.length; i++) {
    const found = lookup.found[i]!;
    if (once[i] && found.existing) results[i] = await updateExistingRecord(scope.db, areaId, apart(i, prepared[i]!), lookup, found, found.existing);
    else if (!results[i]) results[i] = await resolveAlone(scope.db, areaId, apart(i, prepared[i]!));
  }

  return results.map((resolution, i) => {
    const r = resolution!;
    const data = prepared[i]!.data;
    scope.audit({
      action: 'identity.resolve', recordType: 'agency_record', recordId: r.agencyRecordId, subjectPersonId: r.personId,
      details: {
        outcome: r.outcome, probability: Math.round(r.probability * 1e6) / 1e6, agencyId: data.agencyId, sourceRef: data.sourceRef,
        ...(r.reviewId ? { reviewId: r.reviewId } : {}),
      },
    });
    return r;
  });
}

/** The people the other records of a batch hold or were linked to so far. */
function otherPeople(i: number, lookup: Lookup, results: readonly (Resolution | null)[]): string[] {
  const people = new Set<string>();
  results.forEach((r, j) => {
    const held = lookup.found[j]!.existing?.personId;
    const person = r?.personId ?? held;
    if (j !== i && person) people.add(person);
  });
  return [...people];
}

/** One record, looked up again: linked, or updated when the agency holds it (two tries: the second finds the record the first lost the race to). */
async function resolveAlone(db: Kysely<Database>, areaId: string, p: Prepared): Promise<Resolution> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const lookup = await lookUp(db, areaId, [p]);
    const found = lookup.found[0]!;
    if (found.existing) return updateExistingRecord(db, areaId, p, lookup, found, found.existing);
    const linked = await linkNewRecords(db, areaId, lookup, [{ prepared: p, found }], false);
    if (linked) return linked[0]!;
  }
  throw new HearthError('conflict', `The record ${p.data.sourceRef} was being changed by another request at the same time. Send it again.`);
}

/**
 * New records, decided in order (each seeing those before it, and, when they are named apart,
 * kept from their people) and written in one statement. Null when a record turned out to have
 * been sent meanwhile: nothing is then written.
 */
async function linkNewRecords(
  db: Kysely<Database>, areaId: string, lookup: Lookup, records: readonly { prepared: Prepared; found: Found }[], namedApart: boolean,
): Promise<Resolution[] | null> {
  const { scorer } = await modelOf(db, areaId, lookup.modelId);
  const batch = new BatchRecords();
  /** The display of each person the batch makes or joins: as the database holds it (null for a new person), and after. */
  const displays = new Map<string, { before: PersonDisplay | null; after: PersonDisplay }>();
  const writes: NewRecordWrite[] = [];
  const resolutions: Resolution[] = [];
  for (const { prepared: p, found } of records) {
    const recordId = randomUUID();
    const incoming = normalisedVariants(recordId, p.features, scorer.attributeNames);
    const candidates = [...found.candidates, ...batch.sharing(p.lookup)];
    const matches = personMatches(candidates.map((c) => scoreOne(scorer, incoming, c)));
    const distinctFrom = namedApart ? [...p.data.distinctFrom, ...resolutions.map((r) => r.personId)] : p.data.distinctFrom;
    const decision = await decide(db, areaId, scorer, lookup.settings, incoming, matches, distinctFrom, batch);
    const own = displaySourceOf(p.data, p.agency);
    const personId = decision.link?.personId ?? randomUUID();
    if (decision.link) {
      // Every record of the person: those the database holds, and those of the batch that joined it before.
      const others = decision.linkedRecords.map((r) => r.candidate.display);
      const shown = displays.get(personId);
      displays.set(personId, { before: shown ? shown.before : displayFrom(others), after: displayFrom([...others, own]) });
    } else {
      displays.set(personId, { before: null, after: displayFrom([own]) });
    }
    const heldRecords = decision.link?.best.candidate.personRecords ?? 0;
    batch.add({ id: recordId, personId, features: p.features, display: own, personRecords: heldRecords }, p.keys);
    const evidenceFrom = decision.link ?? decision.closest;
    const review = reviewOf(scorer, decision.review);
    writes.push({
      recordId, personId, data: p.data, features: p.features, keys: p.keys, review,
      link: {
        method: decision.link ? 'automatic' : 'new_person',
        probability: evidenceFrom?.best.probability ?? null,
        evidence: evidenceFrom ? explainMatch(scorer, evidenceFrom) : null,
      },
    });
    resolutions.push({
      agencyRecordId: recordId, personId,
      outcome: decision.link ? 'linked' : review ? 'review' : 'new_person',
      probability: evidenceFrom?.best.probability ?? 0,
      ...(review ? { reviewId: review.id } : {}),
    });
  }
  const newPeople: PersonRow[] = [];
  const updates: PersonRow[] = [];
  for (const [id, { before, after }] of displays) {
    if (before === null) newPeople.push({ id, ...after });
    else if (!sameDisplay(before, after)) updates.push({ id, ...after });
  }
  // In one order, so that two batches updating the same people lock them in the same order.
  updates.sort((a, b) => (a.id < b.id ? -1 : 1));
  // With more than one record, a record sent meanwhile would leave the others half-written.
  if (writes.length > 1) await sql`SAVEPOINT link_batch`.execute(db);
  const written = await writeNewRecords(db, areaId, writes, newPeople, updates).catch(async (error: unknown) => {
    // A record joining a new person whose own record was sent meanwhile: that person was not stored.
    if (writes.length > 1 && (error as { code?: string }).code === '23503') return false;
    throw error;
  });
  if (written) return resolutions;
  if (writes.length > 1) await sql`ROLLBACK TO SAVEPOINT link_batch`.execute(db);
  return null;
}

/**
 * A record the agency sent before, sent again with what it holds now. Its details, features, keys
 * and addresses are replaced; it stays with its person (a reviewer may have put it there), and if
 * it now matches another person well, a reviewer is asked, unless one already said they are
 * different people. A held record without a person (stored before identity resolution) is linked
 * as a new one would be.
 */
async function updateExistingRecord(db: Kysely<Database>, areaId: string, p: Prepared, lookup: Lookup, found: Found, existing: { id: string }): Promise<Resolution> {
  const d = p.data;
  const { rows } = await sql<{ person_id: string | null; features: RecordFeatures | null }>`
    SELECT r.person_id, f.features FROM agency_record r LEFT JOIN identity_features f ON f.agency_record_id = r.id
    WHERE r.id = ${existing.id} FOR UPDATE OF r`.execute(db);
  const held = rows[0];
  if (!held) throw new HearthError('conflict', `The record ${d.sourceRef} changed while it was being updated. Send it again.`);
  const { scorer } = await modelOf(db, areaId, lookup.modelId);
  const incoming = normalisedVariants(existing.id, p.features, scorer.attributeNames);
  const matches = personMatches(found.candidates.filter((c) => c.id !== existing.id && c.personId !== held.person_id).map((c) => scoreOne(scorer, incoming, c)));
  const own = displaySourceOf(d, p.agency);

  let personId = held.person_id;
  let outcome: ResolutionOutcome = 'updated';
  let review: ReviewWrite | null = null;
  let link: LinkWrite | null = null;
  let newPerson: PersonDisplay | null = null;
  const closest = matches[0] ?? null;
  if (personId === null) {
    const decision = await decide(db, areaId, scorer, lookup.settings, incoming, matches, d.distinctFrom, new BatchRecords());
    personId = decision.link?.personId ?? randomUUID();
    newPerson = decision.link ? null : displayFrom([own]);
    review = reviewOf(scorer, decision.review);
    const evidenceFrom = decision.link ?? decision.closest;
    link = { method: decision.link ? 'automatic' : 'new_person', probability: evidenceFrom?.best.probability ?? null, evidence: evidenceFrom ? explainMatch(scorer, evidenceFrom) : null };
    outcome = decision.link ? 'linked' : review ? 'review' : 'new_person';
  } else {
    const other = matches.find((m) => m.best.probability >= lookup.settings.reviewThreshold && !d.distinctFrom.includes(m.personId));
    if (other && !(await alreadyAsked(db, existing.id, other.personId))) review = reviewOf(scorer, { match: other, cause: 'updated_record' });
  }

  const oldKeys = held.features ? storedKeys(normalisedVariants(existing.id, held.features, [])) : [];
  const gone = oldKeys.filter((k) => !p.keys.includes(k));
  const updated = sql`EXISTS (SELECT 1 FROM rec)`;
  await sql`
    WITH rec AS (
      UPDATE agency_record SET person_id = ${personId}, given_name = ${d.givenName}, middle_names = ${d.middleNames}, family_name = ${d.familyName},
        aliases = ${d.aliases}::text[], date_of_birth = ${d.dateOfBirth}::date, expected_date_of_birth = ${d.expectedDateOfBirth}::date, sex = ${d.sex},
        nhs_number = ${d.nhsNumber}, school_agency_id = ${d.schoolAgencyId}::uuid, gp_agency_id = ${d.gpAgencyId}::uuid, phone = ${d.phone},
        email = ${d.email}, updated_at = now(), version = version + 1
      WHERE id = ${existing.id}
      RETURNING id
    ),
    ${personStatements(areaId, newPerson ? [{ id: personId, ...newPerson }] : [], [], updated)},
    features AS (
      INSERT INTO identity_features (agency_record_id, area_id, features) SELECT id, ${areaId}, ${JSON.stringify(p.features)}::jsonb FROM rec
      ON CONFLICT (agency_record_id) DO UPDATE SET features = EXCLUDED.features, updated_at = now()
    ),
    old_keys AS (
      DELETE FROM identity_key WHERE area_id = ${areaId} AND agency_record_id = ${existing.id} AND key = ANY(${gone}::text[])
    ),
    keys AS (
      INSERT INTO identity_key (area_id, key, agency_record_id) SELECT ${areaId}, k.key, rec.id FROM rec CROSS JOIN unnest(${p.keys}::text[]) AS k(key)
      ON CONFLICT DO NOTHING
    ),
    old_addresses AS (
      DELETE FROM person_address WHERE agency_record_id = ${existing.id}
    ),
    ${linkStatement(areaId, link ? [{ ...link, recordId: existing.id, personId }] : [], updated)},
    ${addressStatements(areaId, addressRows([{ recordId: existing.id, personId, addresses: d.addresses }]), updated)},
    ${reviewStatement(areaId, review ? [{ ...review, recordId: existing.id }] : [], updated)}
    SELECT 1`.execute(db);
  await refreshDisplay(db, [personId]);
  return {
    agencyRecordId: existing.id, personId, outcome,
    probability: (link?.probability ?? closest?.best.probability) ?? 0,
    ...(review ? { reviewId: review.id } : {}),
  };
}

/** Whether a reviewer already decided this record and that person are different, or is being asked. */
async function alreadyAsked(db: Kysely<Database>, recordId: string, personId: string): Promise<boolean> {
  const { rows } = await sql<{ asked: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM identity_review v
      WHERE (v.status = 'open' AND v.agency_record_id = ${recordId} AND v.candidate_person_id = ${personId})
         OR (v.decision = 'different' AND v.agency_record_id = ${recordId} AND v.candidate_record_id IN (SELECT id FROM agency_record WHERE person_id = ${personId}))
         OR (v.decision = 'different' AND v.candidate_record_id = ${recordId} AND v.agency_record_id IN (SELECT id FROM agency_record WHERE person_id = ${personId}))
    ) AS asked`.execute(db);
  return rows[0]?.asked ?? false;
}
