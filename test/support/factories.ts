// Factories: each test builds the little world it needs in its own area.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Gate } from '../../src/access/gate';
import type { Role } from '../../src/access/roles';
import { loadActor } from '../../src/auth/actors';
import { newApiToken } from '../../src/auth/api-tokens';
import { hashPassword } from '../../src/auth/passwords';
import type { DatabaseHandle } from '../../src/db/database';
import type { Database } from '../../src/db/schema';
import { nhsCheckDigit } from '../../src/demo/nhs-number';
import { resolveAgencyRecord, type AgencyRecordInput, type Resolution } from '../../src/identity';

export const testPassword = 'correct horse battery staple';
let testPasswordHash: Promise<string> | undefined;

export const unique = () => randomBytes(4).toString('hex');

/** A valid NHS number (modulus 11) from nine digits. */
export function nhsNumber(nine: string): string {
  const check = nhsCheckDigit(nine);
  if (check === null) throw new Error(`${nine} has no valid check digit`);
  return `${nine}${check}`;
}

export interface TestArea {
  id: string;
  code: string;
  name: string;
  agencies: { police: string; socialCare: string; health: string; school: string; idva: string };
  mashTeamId: string;
}

export async function createArea(db: Kysely<Database>, name = 'Testshire Safeguarding Partnership'): Promise<TestArea> {
  const code = `t-${unique()}`;
  const area = await db.insertInto('area').values({ code, name }).returning('id').executeTakeFirstOrThrow();
  const agency = async (kind: string, agencyName: string, service: string | null = null) =>
    (await db.insertInto('agency').values({ area_id: area.id, kind, name: agencyName, service, code: `${kind}-${unique()}` }).returning('id').executeTakeFirstOrThrow()).id;
  const agencies = {
    police: await agency('police', 'Testshire Police'),
    socialCare: await agency('childrens_social_care', 'Testshire Children’s Services'),
    health: await agency('health', 'Testshire Hospital Emergency Department', 'emergency_department'),
    school: await agency('school', 'Meadow Lane Primary School'),
    idva: await agency('idva_service', 'Testshire IDVA Service'),
  };
  const team = await db.insertInto('team').values({ area_id: area.id, agency_id: agencies.socialCare, name: 'MASH' }).returning('id').executeTakeFirstOrThrow();
  return { id: area.id, code, name, agencies, mashTeamId: team.id };
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

export async function createUser(db: Kysely<Database>, area: TestArea, role: Role, options: { agencyId?: string; name?: string } = {}): Promise<TestUser> {
  testPasswordHash ??= hashPassword(testPassword);
  const email = `${role.replaceAll('_', '.')}.${unique()}@test.hearth.test`;
  const user = await db
    .insertInto('app_user')
    .values({
      area_id: area.id,
      agency_id: options.agencyId ?? (role === 'police_officer' ? area.agencies.police : area.agencies.socialCare),
      team_id: role.startsWith('mash') ? area.mashTeamId : null,
      email,
      display_name: options.name ?? `Test ${role.replaceAll('_', ' ')}`,
      role,
      password_hash: await testPasswordHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: user.id, email, password: testPassword, role };
}

export interface TestPerson {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  addressId: string;
}

export async function createPerson(
  db: Kysely<Database>,
  area: TestArea,
  details: { givenName: string; familyName: string; dateOfBirth: string; sex?: 'F' | 'M'; nhsNumber?: string; postcode?: string; addressLine?: string; confidential?: boolean },
): Promise<TestPerson> {
  const person = await db
    .insertInto('person')
    .values({ area_id: area.id, given_name: details.givenName, family_name: details.familyName, date_of_birth: details.dateOfBirth, sex: details.sex ?? 'F', nhs_number: details.nhsNumber ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const record = await db
    .insertInto('agency_record')
    .values({
      area_id: area.id, agency_id: area.agencies.police, person_id: person.id, source_ref: `P-${unique()}`,
      given_name: details.givenName, family_name: details.familyName, date_of_birth: details.dateOfBirth, sex: details.sex ?? 'F', nhs_number: details.nhsNumber ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const address = await db
    .insertInto('address')
    .values({ area_id: area.id, line1: details.addressLine ?? '12 Orchard Road', town: 'Testbury', postcode: details.postcode ?? 'TE1 4AB', confidential: details.confidential ?? false })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('person_address').values({ area_id: area.id, person_id: person.id, agency_record_id: record.id, address_id: address.id, from_date: '2024-01-01' }).execute();
  return { id: person.id, givenName: details.givenName, familyName: details.familyName, dateOfBirth: details.dateOfBirth, addressId: address.id };
}

/** Adds an address to a person (e.g. a confidential refuge address). */
export async function addAddress(db: Kysely<Database>, area: TestArea, personId: string, address: { line1: string; postcode: string; town?: string; confidential?: boolean }): Promise<string> {
  const row = await db
    .insertInto('address')
    .values({ area_id: area.id, line1: address.line1, town: address.town ?? 'Testbury', postcode: address.postcode, confidential: address.confidential ?? false })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('person_address').values({ area_id: area.id, person_id: personId, address_id: row.id, from_date: '2025-06-01' }).execute();
  return row.id;
}

/** Adds an agency to the area, e.g. the local authority's education safeguarding lead or a second school. */
export async function addAgency(db: Kysely<Database>, area: TestArea, kind: string, name: string, options: { email?: string } = {}): Promise<string> {
  const row = await db
    .insertInto('agency')
    .values({ area_id: area.id, kind, name, code: `${kind}-${unique()}`, email: options.email ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records where a child is educated: a school, or at home. */
export async function addEducation(
  db: Kysely<Database>, area: TestArea, personId: string,
  education: { schoolAgencyId?: string; homeEducated?: boolean; fromDate?: string; toDate?: string },
): Promise<void> {
  await db
    .insertInto('education')
    .values({
      area_id: area.id, person_id: personId, school_agency_id: education.schoolAgencyId ?? null, home_educated: education.homeEducated ?? false,
      from_date: education.fromDate ?? '2020-09-01', to_date: education.toDate ?? null,
    })
    .execute();
}

export interface PoliceIncidentInput {
  occurredAt: Date;
  children: { personId: string; present?: boolean | null; voice?: string | null }[];
  adults?: { personId: string; role: 'adult_victim' | 'alleged_perpetrator' | 'other' }[];
  /** The police details (location, circumstances, injuries, weapons, actions…); the reference is added. */
  details?: Record<string, unknown>;
  addressId?: string | null;
}

/** A police domestic abuse incident and the people in it, on the chronology as intake records it. */
export async function createPoliceIncident(db: Kysely<Database>, area: TestArea, input: PoliceIncidentInput): Promise<{ id: string; policeReference: string }> {
  const policeReference = `TP/${unique()}/26`;
  const event = await db
    .insertInto('event')
    .values({
      area_id: area.id, agency_id: area.agencies.police, kind: 'police_da_incident', occurred_at: input.occurredAt, source_ref: policeReference,
      summary: 'Domestic abuse incident', details: JSON.stringify({ policeReference, ...input.details }), address_id: input.addressId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('event_person')
    .values([
      ...input.children.map((c) => ({ area_id: area.id, event_id: event.id, person_id: c.personId, role: 'child' as const, child_present: c.present ?? null, child_voice: c.voice ?? null })),
      ...(input.adults ?? []).map((a) => ({ area_id: area.id, event_id: event.id, person_id: a.personId, role: a.role })),
    ])
    .execute();
  return { id: event.id, policeReference };
}

/** The gate a user's requests get, to call domain functions directly as a route would. */
export async function gateForUser(handle: DatabaseHandle, user: { id: string }): Promise<Gate> {
  const actor = await loadActor(handle.db, user.id);
  if (!actor) throw new Error(`No active user ${user.id}`);
  return new Gate(handle, actor, { requestId: `test-${unique()}`, ip: '127.0.0.1' });
}

/** A system account of an agency with a working API token, for API tests. */
export async function createSystemToken(db: Kysely<Database>, area: TestArea, agencyId: string): Promise<string> {
  const account = await db
    .insertInto('app_user')
    .values({ area_id: area.id, agency_id: agencyId, kind: 'system', display_name: `System ${unique()}`, role: 'agency_system' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { token, prefix, hash } = newApiToken();
  await db.insertInto('api_token').values({ area_id: area.id, user_id: account.id, name: 'Test', token_hash: hash, prefix }).execute();
  return token;
}

const intakeUsers = new Map<string, TestUser>();

/**
 * Sends one person's agency record through identity resolution as intake does, in its own gated
 * transaction (as a police officer of the area, so with the police as the sending agency unless
 * `agencyId` says otherwise).
 */
export async function resolveRecord(
  handle: DatabaseHandle, area: TestArea, record: Omit<AgencyRecordInput, 'agencyId' | 'sourceRef'> & { agencyId?: string; sourceRef?: string },
): Promise<Resolution> {
  let officer = intakeUsers.get(area.id);
  if (!officer) {
    officer = await createUser(handle.db, area, 'police_officer');
    intakeUsers.set(area.id, officer);
  }
  const gate = await gateForUser(handle, officer);
  return gate.run('intake.notify_incident', (scope) =>
    resolveAgencyRecord(scope, { agencyId: area.agencies.police, sourceRef: `SR-${unique()}`, ...record }));
}
