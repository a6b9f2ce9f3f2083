// A small area for sharing's tests: a family (a child, her mother, the mother's ex-partner named
// as the alleged perpetrator, living apart), the mother's refuge address (sealed), and one user
// of every role in their usual agency, the social workers in an assessment team.
import type { Kysely } from 'kysely';
import type { Role } from '../../access/roles';
import type { Database } from '../../db/schema';
import { addAddress, createArea, createPerson, createUser, type TestArea, type TestPerson, type TestUser } from '../../../test/support/factories';
import { addTeam, putInTeam } from './factories';

export interface SharingUser extends TestUser {
  agencyId: string;
  teamId: string | null;
}

export interface SharingWorld {
  area: TestArea;
  assessmentTeam: string;
  idvaTeam: string;
  child: TestPerson;
  mother: TestPerson;
  father: TestPerson;
  stranger: TestPerson;
  refuge: { id: string; line1: string; postcode: string };
  householdId: string;
  users: Record<Exclude<Role, 'agency_system'>, SharingUser>;
  /** A second social worker in the same team, and one in no team. */
  colleague: SharingUser;
  loneSocialWorker: SharingUser;
  secondOfficer: SharingUser;
}

const agencyFor = (area: TestArea, role: Role): string => {
  switch (role) {
    case 'police_officer': return area.agencies.police;
    case 'agency_researcher': return area.agencies.health;
    case 'school_dsl': return area.agencies.school;
    case 'idva': case 'marac_coordinator': return area.agencies.idva;
    default: return area.agencies.socialCare;
  }
};

export async function sharingWorld(db: Kysely<Database>, names: { refugeLine?: string } = {}): Promise<SharingWorld> {
  const area = await createArea(db);
  const assessmentTeam = await addTeam(db, area, area.agencies.socialCare, 'Assessment team');
  const idvaTeam = await addTeam(db, area, area.agencies.idva, 'IDVA team');
  const user = async (role: Exclude<Role, 'agency_system'>, teamId: string | null = null, name?: string): Promise<SharingUser> => {
    const agencyId = agencyFor(area, role);
    const created = await createUser(db, area, role, { agencyId, ...(name ? { name } : {}) });
    const team = role.startsWith('mash') ? area.mashTeamId : teamId;
    await putInTeam(db, created.id, team);
    return { ...created, agencyId, teamId: team };
  };
  const users = {
    police_officer: await user('police_officer', null, 'Dana Police'),
    mash_practitioner: await user('mash_practitioner', null, 'Priya Mash'),
    mash_manager: await user('mash_manager', null, 'Helen Mash'),
    agency_researcher: await user('agency_researcher', null, 'Rachel Health'),
    school_dsl: await user('school_dsl', null, 'Mark School'),
    social_worker: await user('social_worker', assessmentTeam, 'Aisha Social'),
    team_manager: await user('team_manager', assessmentTeam, 'Gareth Manager'),
    idva: await user('idva', idvaTeam, 'Jo Idva'),
    marac_coordinator: await user('marac_coordinator', idvaTeam, 'Lorraine Marac'),
    qa_officer: await user('qa_officer', null, 'Fiona Quality'),
    performance_officer: await user('performance_officer', null, 'Imran Figures'),
    inspector: await user('inspector', null, 'Margaret Inspector'),
    administrator: await user('administrator', null, 'Tom Admin'),
    information_governance: await user('information_governance', null, 'Nadia Governance'),
  } satisfies Record<Exclude<Role, 'agency_system'>, SharingUser>;

  const child = await createPerson(db, area, { givenName: 'Evie', familyName: 'Hartley', dateOfBirth: '2016-05-04', postcode: 'TE1 4AB' });
  const mother = await createPerson(db, area, { givenName: 'Dawn', familyName: 'Hartley', dateOfBirth: '1990-02-11', postcode: 'TE1 4AB' });
  const father = await createPerson(db, area, { givenName: 'Craig', familyName: 'Maddox', dateOfBirth: '1987-09-30', sex: 'M', postcode: 'TE3 9XY', addressLine: '4 Mill Lane' });
  const stranger = await createPerson(db, area, { givenName: 'Nobody', familyName: 'Related', dateOfBirth: '2012-01-01', postcode: 'TE5 5EE', addressLine: '9 Far Street' });
  const refugeLine = names.refugeLine ?? '7 Sanctuary Close';
  const refugeId = await addAddress(db, area, mother.id, { line1: refugeLine, postcode: 'TE8 8RF', town: 'Havenbury', confidential: true });
  await db.insertInto('relationship').values([
    { area_id: area.id, person_id: mother.id, related_person_id: child.id, kind: 'parent_of' },
    { area_id: area.id, person_id: father.id, related_person_id: child.id, kind: 'parent_of' },
    { area_id: area.id, person_id: father.id, related_person_id: mother.id, kind: 'alleged_perpetrator_of' },
  ]).execute();
  const household = await db.insertInto('household').values({ area_id: area.id, address_id: refugeId, from_date: '2025-06-01' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('household_member').values([
    { area_id: area.id, household_id: household.id, person_id: mother.id, from_date: '2025-06-01' },
    { area_id: area.id, household_id: household.id, person_id: child.id, from_date: '2025-06-01' },
  ]).execute();
  return {
    area, assessmentTeam, idvaTeam, child, mother, father, stranger, householdId: household.id, users,
    refuge: { id: refugeId, line1: refugeLine, postcode: 'TE8 8RF' },
    colleague: await user('social_worker', assessmentTeam, 'Colin Colleague'),
    loneSocialWorker: await user('social_worker', null, 'Lena Alone'),
    secondOfficer: await user('police_officer', null, 'Otto Officer'),
  };
}
