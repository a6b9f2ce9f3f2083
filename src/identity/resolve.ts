// Linking an agency record on arrival, inside the caller's transaction (intake calls it for every
// person in a notification). The record is stored with its features and blocking keys; its
// candidates come from one indexed look-up of those keys (the most specific first); each is
// scored with the area's model.
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
  /** How many records the candidate's person has in all. */
  personRecords: number;
}

interface Lookup {
  existing: { id: string; personId: string | null } | null;
  modelId: string | null;
  settings: IdentitySettings;
  candidates: Candidate[];
}

interface CandidateRow {
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
 * One statement: whether the agency already holds this record, the area's model and settings, and
 * the candidate records sharing the most keys (each key's block read up to the cap, oversized
 * blocks skipped), with what scoring needs.
 */
async function lookUp(db: Kysely<Database>, areaId: string, data: AgencyRecordData, keys: readonly string[]): Promise<Lookup> {
  const { rows } = await sql<CandidateRow>`
    WITH hits AS (
      SELECT h.agency_record_id, h.block_size
      FROM unnest(${keys}::text[]) AS q(key)
      CROSS JOIN LATERAL (
        SELECT s.agency_record_id, count(*) OVER () AS block_size
        FROM (SELECT k.agency_record_id FROM identity_key k WHERE k.area_id = ${areaId} AND k.key = q.key LIMIT ${blockCap + 1}) s
      ) h
      WHERE h.block_size <= ${blockCap}
    ),
    top AS (
      SELECT agency_record_id AS id FROM hits GROUP BY agency_record_id
      ORDER BY sum(1.0 / block_size) DESC, agency_record_id LIMIT ${maxCandidates}
    ),
    candidates AS (
      SELECT top.id, r.person_id, r.given_name, r.family_name, r.date_of_birth, r.expected_date_of_birth, r.sex, r.nhs_number,
        r.agency_id, f.features, (SELECT count(*)::int FROM agency_record o WHERE o.person_id = r.person_id) AS person_records
      FROM top
      JOIN agency_record r ON r.id = top.id
      JOIN identity_features f ON f.agency_record_id = top.id
      WHERE r.person_id IS NOT NULL
    )
    SELECT e.id AS existing_id, e.person_id AS existing_person_id,
      (SELECT m.id FROM identity_model m WHERE m.area_id = ${areaId} AND m.active) AS model_id,
      (SELECT a.settings -> 'identity' FROM area a WHERE a.id = ${areaId}) AS settings,
      c.*
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
      SELECT r.id, r.person_id FROM agency_record r WHERE r.area_id = ${areaId} AND r.agency_id = ${data.agencyId} AND r.source_ref = ${data.sourceRef}
    ) e ON true
    LEFT JOIN candidates c ON true`.execute(db);
  const first = rows[0];
  await loadAgencies(db, rows.flatMap((r) => (r.agency_id ? [r.agency_id] : [])));
  return {
    existing: first?.existing_id ? { id: first.existing_id, personId: first.existing_person_id } : null,
    modelId: first?.model_id ?? null,
    settings: settingsFrom(first?.settings),
    candidates: rows.filter((r) => r.id !== null).map((r) => ({
      id: r.id as string,
      personId: r.person_id as string,
      features: r.features as RecordFeatures,
      personRecords: r.person_records ?? 0,
      display: displayOfRow(r),
    })),
  };
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

/** Records of a person not among the candidates, scored the same way (for the conflict check). */
async function restOfPerson(db: Kysely<Database>, areaId: string, match: PersonMatch, scorer: Scorer, incoming: readonly NormalisedRecord[]): Promise<Scored[]> {
  if (match.records.length >= match.best.candidate.personRecords) return [];
  const known = match.records.map((r) => r.candidate.id);
  const { rows } = await sql<Omit<CandidateRow, 'existing_id' | 'existing_person_id' | 'model_id' | 'settings'>>`
    SELECT r.id, r.person_id, r.given_name, r.family_name, r.date_of_birth, r.expected_date_of_birth, r.sex, r.nhs_number,
      r.agency_id, f.features, ${match.best.candidate.personRecords}::int AS person_records
    FROM agency_record r LEFT JOIN identity_features f ON f.agency_record_id = r.id
    WHERE r.area_id = ${areaId} AND r.person_id = ${match.personId} AND r.id <> ALL(${known}::uuid[])`.execute(db);
  await loadAgencies(db, rows.flatMap((r) => (r.agency_id ? [r.agency_id] : [])));
  return rows.map((r) => {
    const features = r.features ?? featuresOf({
      givenName: r.given_name, middleNames: null, familyName: r.family_name, aliases: [], dateOfBirth: r.date_of_birth,
      expectedDateOfBirth: r.expected_date_of_birth, sex: r.sex, nhsNumber: r.nhs_number, addresses: [], phone: null, email: null,
    });
    const candidate: Candidate = {
      id: r.id as string, personId: match.personId, features, personRecords: r.person_records ?? 0, display: displayOfRow(r),
    };
    const score = bestScore(scorer, incoming, normalisedVariants(candidate.id, features, scorer.attributeNames));
    return { candidate, ...score };
  });
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

function scoreCandidates(scorer: Scorer, incoming: readonly NormalisedRecord[], candidates: readonly Candidate[]): PersonMatch[] {
  return personMatches(candidates.map((candidate): Scored => ({ candidate, ...bestScore(scorer, incoming, normalisedVariants(candidate.id, candidate.features, scorer.attributeNames)) })));
}

async function decide(
  db: Kysely<Database>, areaId: string, scorer: Scorer, settings: IdentitySettings, incoming: readonly NormalisedRecord[],
  matches: readonly PersonMatch[], distinctFrom: readonly string[],
): Promise<Decision> {
  const closest = matches[0] ?? null;
  let review: Decision['review'] = null;
  for (const match of matches) {
    if (match.best.probability < settings.autoLinkThreshold) break;
    const records = [...match.records, ...(await restOfPerson(db, areaId, match, scorer, incoming))];
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

/**
 * The statements (CTEs, after one named "rec" holding the record's id) that store the addresses
 * a record holds: an address already known (same postcode and first line, equally sealed) is
 * shared, so that households meet; any other is added.
 */
function addressStatements(areaId: string, personId: string, addresses: readonly AddressInput[]) {
  const given = addresses.map((a) => ({ ...a, id: randomUUID() }));
  const col = <T>(pick: (a: (typeof given)[number]) => T) => given.map(pick);
  return sql`
    given AS (
      SELECT * FROM unnest(${col((a) => a.id)}::uuid[], ${col((a) => a.line1)}::text[], ${col((a) => a.line2)}::text[], ${col((a) => a.town)}::text[],
        ${col((a) => a.postcode)}::text[], ${col((a) => a.uprn)}::text[], ${col((a) => a.confidential)}::boolean[], ${col((a) => a.from)}::date[],
        ${col((a) => a.to)}::date[]) AS a(new_id, line1, line2, town, postcode, uprn, confidential, from_date, to_date)
    ),
    matched AS (
      SELECT g.*, (SELECT ad.id FROM address ad WHERE ad.area_id = ${areaId} AND g.postcode IS NOT NULL AND ad.postcode = g.postcode
        AND lower(ad.line1) = lower(g.line1) AND ad.confidential = g.confidential ORDER BY ad.created_at, ad.id LIMIT 1) AS known_id
      FROM given g
    ),
    new_addresses AS (
      INSERT INTO address (id, area_id, line1, line2, town, postcode, uprn, confidential)
      SELECT m.new_id, ${areaId}, m.line1, m.line2, m.town, m.postcode, m.uprn, m.confidential FROM matched m, rec WHERE m.known_id IS NULL
    ),
    lived AS (
      INSERT INTO person_address (area_id, person_id, agency_record_id, address_id, from_date, to_date)
      SELECT ${areaId}, ${personId}, rec.id, coalesce(m.known_id, m.new_id), m.from_date, m.to_date FROM matched m, rec
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

function reviewStatement(areaId: string, review: ReviewWrite | null) {
  return sql`
    review AS (
      INSERT INTO identity_review (id, area_id, agency_record_id, candidate_person_id, candidate_record_id, match_probability, evidence, cause)
      SELECT ${review?.id ?? null}::uuid, ${areaId}, rec.id, ${review?.candidatePersonId ?? null}::uuid, ${review?.candidateRecordId ?? null}::uuid,
        ${review?.probability ?? null}::double precision, ${review ? JSON.stringify(review.evidence) : null}::jsonb, ${review?.cause ?? null}
      FROM rec WHERE ${review !== null}
    )`;
}

function personStatements(areaId: string, personId: string, newPerson: PersonDisplay | null, update: PersonDisplay | null) {
  return sql`
    new_person AS (
      INSERT INTO person (id, area_id, given_name, family_name, date_of_birth, expected_date_of_birth, sex, nhs_number)
      SELECT ${personId}, ${areaId}, ${newPerson?.given_name ?? null}, ${newPerson?.family_name ?? null}, ${newPerson?.date_of_birth ?? null}::date,
        ${newPerson?.expected_date_of_birth ?? null}::date, ${newPerson?.sex ?? null}, ${newPerson?.nhs_number ?? null}
      FROM rec WHERE ${newPerson !== null}
    ),
    shown AS (
      UPDATE person SET given_name = ${update?.given_name ?? null}, family_name = ${update?.family_name ?? null},
        date_of_birth = ${update?.date_of_birth ?? null}::date, expected_date_of_birth = ${update?.expected_date_of_birth ?? null}::date,
        sex = ${update?.sex ?? null}, nhs_number = ${update?.nhs_number ?? null}, updated_at = now(), version = version + 1
      WHERE id = ${personId} AND ${update !== null} AND EXISTS (SELECT 1 FROM rec)
    )`;
}

interface LinkWrite {
  method: 'automatic' | 'new_person';
  probability: number | null;
  evidence: StoredEvidence | null;
}

function linkStatement(areaId: string, personId: string, link: LinkWrite) {
  return sql`
    link AS (
      INSERT INTO person_link (area_id, agency_record_id, person_id, method, match_probability, evidence)
      SELECT ${areaId}, rec.id, ${personId}, ${link.method}, ${link.probability}::double precision, ${link.evidence ? JSON.stringify(link.evidence) : null}::jsonb
      FROM rec
    )`;
}

interface NewRecordWrite {
  areaId: string;
  recordId: string;
  personId: string;
  /** A new person to insert, or null when the record joins an existing one. */
  newPerson: PersonDisplay | null;
  /** New display fields for the person joined, when this record changes them. */
  personDisplayUpdate: PersonDisplay | null;
  data: AgencyRecordData;
  features: RecordFeatures;
  keys: readonly string[];
  link: LinkWrite;
  review: ReviewWrite | null;
}

/**
 * Everything a new record writes, in one statement: the record, its person (new, or the display
 * fields of the one it joins), its features and keys, the link with its evidence, its addresses
 * and a review when one is asked for. Every part hangs on the record's insert: if the agency's
 * record appeared meanwhile (the same record sent twice at once), nothing is written and the
 * caller updates it instead.
 */
async function writeNewRecord(db: Kysely<Database>, w: NewRecordWrite): Promise<boolean> {
  const d = w.data;
  const { rows } = await sql<{ inserted: number }>`
    WITH rec AS (
      INSERT INTO agency_record (id, area_id, agency_id, person_id, source_ref, given_name, middle_names, family_name, aliases,
        date_of_birth, expected_date_of_birth, sex, nhs_number, school_agency_id, gp_agency_id, phone, email)
      VALUES (${w.recordId}, ${w.areaId}, ${d.agencyId}, ${w.personId}, ${d.sourceRef}, ${d.givenName}, ${d.middleNames}, ${d.familyName},
        ${d.aliases}::text[], ${d.dateOfBirth}::date, ${d.expectedDateOfBirth}::date, ${d.sex}, ${d.nhsNumber}, ${d.schoolAgencyId}::uuid,
        ${d.gpAgencyId}::uuid, ${d.phone}, ${d.email})
      ON CONFLICT (area_id, agency_id, source_ref) DO NOTHING
      RETURNING id
    ),
    ${personStatements(w.areaId, w.personId, w.newPerson, w.personDisplayUpdate)},
    features AS (
      INSERT INTO identity_features (agency_record_id, area_id, features) SELECT id, ${w.areaId}, ${JSON.stringify(w.features)}::jsonb FROM rec
    ),
    keys AS (
      INSERT INTO identity_key (area_id, key, agency_record_id) SELECT ${w.areaId}, k.key, rec.id FROM rec CROSS JOIN unnest(${w.keys}::text[]) AS k(key)
    ),
    ${linkStatement(w.areaId, w.personId, w.link)},
    ${addressStatements(w.areaId, w.personId, d.addresses)},
    ${reviewStatement(w.areaId, w.review)}
    SELECT count(*)::int AS inserted FROM rec`.execute(db);
  return (rows[0]?.inserted ?? 0) > 0;
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

/** New display fields for a person joined by a record, or null when the record changes nothing shown. */
function displayAfterJoining(decision: Decision, own: DisplaySource): PersonDisplay | null {
  const others = decision.linkedRecords.map((r) => r.candidate.display);
  const after = displayFrom([...others, own]);
  return sameDisplay(displayFrom(others), after) ? null : after;
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

/**
 * Links one agency record on arrival (see the top of this file). Runs inside the caller's gate
 * transaction, which must hold an intake permission; the resolution is audited there.
 */
export async function resolveAgencyRecord(scope: Scope, input: AgencyRecordInput): Promise<Resolution> {
  requireIntake(scope);
  const data = parseAgencyRecordInput(input);
  const areaId = scope.actor.areaId;
  const features = featuresOf(data);
  const variants = normalisedVariants('incoming', features, []);
  const prepared: Prepared = { data, agency: await checkAgencies(scope.db, areaId, data), features, keys: storedKeys(variants), lookup: lookupKeys(variants) };

  let resolution: Resolution | null = null;
  for (let attempt = 0; attempt < 2 && !resolution; attempt++) {
    const lookup = await lookUp(scope.db, areaId, data, prepared.lookup);
    resolution = lookup.existing
      ? await updateExistingRecord(scope.db, areaId, prepared, lookup, lookup.existing)
      : await linkNewRecord(scope.db, areaId, prepared, lookup);
  }
  // Two tries are enough: the second finds the record the first lost the race to.
  if (!resolution) throw new HearthError('conflict', `The record ${data.sourceRef} was being changed by another request at the same time. Send it again.`);
  scope.audit({
    action: 'identity.resolve', recordType: 'agency_record', recordId: resolution.agencyRecordId, subjectPersonId: resolution.personId,
    details: {
      outcome: resolution.outcome, probability: Math.round(resolution.probability * 1e6) / 1e6, agencyId: data.agencyId, sourceRef: data.sourceRef,
      ...(resolution.reviewId ? { reviewId: resolution.reviewId } : {}),
    },
  });
  return resolution;
}

/** A record the agency never sent before; null when it turns out to have been sent meanwhile. */
async function linkNewRecord(db: Kysely<Database>, areaId: string, p: Prepared, lookup: Lookup): Promise<Resolution | null> {
  const { scorer } = await modelOf(db, areaId, lookup.modelId);
  const recordId = randomUUID();
  const incoming = normalisedVariants(recordId, p.features, scorer.attributeNames);
  const matches = scoreCandidates(scorer, incoming, lookup.candidates);
  const decision = await decide(db, areaId, scorer, lookup.settings, incoming, matches, p.data.distinctFrom);
  const own = displaySourceOf(p.data, p.agency);
  const personId = decision.link?.personId ?? randomUUID();
  const evidenceFrom = decision.link ?? decision.closest;
  const review = reviewOf(scorer, decision.review);
  const written = await writeNewRecord(db, {
    areaId, recordId, personId, data: p.data, features: p.features, keys: p.keys,
    newPerson: decision.link ? null : displayFrom([own]),
    personDisplayUpdate: decision.link ? displayAfterJoining(decision, own) : null,
    link: {
      method: decision.link ? 'automatic' : 'new_person',
      probability: evidenceFrom?.best.probability ?? null,
      evidence: evidenceFrom ? explainMatch(scorer, evidenceFrom) : null,
    },
    review,
  });
  if (!written) return null;
  return {
    agencyRecordId: recordId, personId,
    outcome: decision.link ? 'linked' : review ? 'review' : 'new_person',
    probability: evidenceFrom?.best.probability ?? 0,
    ...(review ? { reviewId: review.id } : {}),
  };
}

/**
 * A record the agency sent before, sent again with what it holds now. Its details, features, keys
 * and addresses are replaced; it stays with its person (a reviewer may have put it there), and if
 * it now matches another person well, a reviewer is asked, unless one already said they are
 * different people. A held record without a person (stored before identity resolution) is linked
 * as a new one would be.
 */
async function updateExistingRecord(db: Kysely<Database>, areaId: string, p: Prepared, lookup: Lookup, existing: { id: string }): Promise<Resolution> {
  const d = p.data;
  const { rows } = await sql<{ person_id: string | null; features: RecordFeatures | null }>`
    SELECT r.person_id, f.features FROM agency_record r LEFT JOIN identity_features f ON f.agency_record_id = r.id
    WHERE r.id = ${existing.id} FOR UPDATE OF r`.execute(db);
  const held = rows[0];
  if (!held) throw new HearthError('conflict', `The record ${d.sourceRef} changed while it was being updated. Send it again.`);
  const { scorer } = await modelOf(db, areaId, lookup.modelId);
  const incoming = normalisedVariants(existing.id, p.features, scorer.attributeNames);
  const matches = scoreCandidates(scorer, incoming, lookup.candidates.filter((c) => c.id !== existing.id && c.personId !== held.person_id));
  const own = displaySourceOf(d, p.agency);

  let personId = held.person_id;
  let outcome: ResolutionOutcome = 'updated';
  let review: ReviewWrite | null = null;
  let link: LinkWrite | null = null;
  let newPerson: PersonDisplay | null = null;
  const closest = matches[0] ?? null;
  if (personId === null) {
    const decision = await decide(db, areaId, scorer, lookup.settings, incoming, matches, d.distinctFrom);
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
  await sql`
    WITH rec AS (
      UPDATE agency_record SET person_id = ${personId}, given_name = ${d.givenName}, middle_names = ${d.middleNames}, family_name = ${d.familyName},
        aliases = ${d.aliases}::text[], date_of_birth = ${d.dateOfBirth}::date, expected_date_of_birth = ${d.expectedDateOfBirth}::date, sex = ${d.sex},
        nhs_number = ${d.nhsNumber}, school_agency_id = ${d.schoolAgencyId}::uuid, gp_agency_id = ${d.gpAgencyId}::uuid, phone = ${d.phone},
        email = ${d.email}, updated_at = now(), version = version + 1
      WHERE id = ${existing.id}
      RETURNING id
    ),
    ${personStatements(areaId, personId, newPerson, null)},
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
    ${link ? linkStatement(areaId, personId, link) : sql`no_link AS (SELECT 1)`},
    ${addressStatements(areaId, personId, d.addresses)},
    ${reviewStatement(areaId, review)}
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
