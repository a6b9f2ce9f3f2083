// The demo area's sign-ins: one person for each role, in the agency and team where that role
// works, all with the same published demo password; and the police records system account.
import type { Kysely } from 'kysely';
import type { Agency, AreaStructure, Team } from './agencies';
import type { Prng } from './prng';
import type { Role } from '../access/roles';
import { hashPassword } from '../auth/passwords';
import type { Database } from '../db/schema';

/** The password of every demo user. Demo areas are for trying Hearth out, never for real data. */
export const demoPassword = 'hearth-demo-password';

export interface DemoUser {
  email: string;
  role: Role;
  displayName: string;
}

type PersonRole = Exclude<Role, 'agency_system'>;

interface DemoUserSpec {
  role: PersonRole;
  displayName: string;
  agency: (area: AreaStructure) => Agency;
  team: (area: AreaStructure) => Team | null;
}

// Every role except agency_system, which belongs to system accounts only.
const demoUserSpecs: Record<PersonRole, DemoUserSpec> = {
  police_officer: { role: 'police_officer', displayName: 'DC Sam Whitfield', agency: (a) => a.police, team: (a) => a.teams.publicProtection },
  mash_practitioner: { role: 'mash_practitioner', displayName: 'Priya Sharma', agency: (a) => a.socialCare, team: (a) => a.teams.mash },
  mash_manager: { role: 'mash_manager', displayName: 'Helen Okafor', agency: (a) => a.socialCare, team: (a) => a.teams.mash },
  agency_researcher: { role: 'agency_researcher', displayName: 'Rachel Dunmore', agency: (a) => a.healthTrust, team: (a) => a.teams.healthSafeguarding },
  school_dsl: { role: 'school_dsl', displayName: 'Mark Ellison', agency: (a) => a.primarySchools[0] as Agency, team: () => null },
  social_worker: { role: 'social_worker', displayName: 'Aisha Rahman', agency: (a) => a.socialCare, team: (a) => a.teams.assessment },
  team_manager: { role: 'team_manager', displayName: 'Gareth Pryce', agency: (a) => a.socialCare, team: (a) => a.teams.childProtection },
  idva: { role: 'idva', displayName: 'Jo Kowalczyk', agency: (a) => a.idva, team: (a) => a.teams.idvaTeam },
  marac_coordinator: { role: 'marac_coordinator', displayName: 'Lorraine Campbell', agency: (a) => a.idva, team: (a) => a.teams.idvaTeam },
  qa_officer: { role: 'qa_officer', displayName: 'Fiona Marsh', agency: (a) => a.socialCare, team: (a) => a.teams.qualityAndPerformance },
  performance_officer: { role: 'performance_officer', displayName: 'Imran Siddiqui', agency: (a) => a.socialCare, team: (a) => a.teams.qualityAndPerformance },
  inspector: { role: 'inspector', displayName: 'Margaret Holloway', agency: (a) => a.socialCare, team: () => null },
  administrator: { role: 'administrator', displayName: 'Tom Ashby', agency: (a) => a.socialCare, team: () => null },
  information_governance: { role: 'information_governance', displayName: 'Nadia Brennan', agency: (a) => a.socialCare, team: () => null },
};

const systemAccountName = 'Police records system';

/** mash_practitioner → mash.practitioner@demo.hearth.test */
function demoEmail(role: PersonRole, areaCode: string): string {
  return `${role.replace(/_/g, '.')}@${areaCode}.hearth.test`;
}

export interface PreparedUsers {
  systemUserId: string;
  insert(db: Kysely<Database>, areaId: string, area: AreaStructure, createdAt: string): Promise<DemoUser[]>;
}

/** Hashes the passwords (about 50 ms each) before any transaction is open, and fixes the ids. */
export async function prepareDemoUsers(prng: Prng, idPrefix: number, areaCode: string): Promise<PreparedUsers> {
  const specs = Object.values(demoUserSpecs);
  const ids = specs.map(() => prng.uuid(idPrefix));
  const systemUserId = prng.uuid(idPrefix);
  const hashes = await Promise.all(specs.map(() => hashPassword(demoPassword)));
  return {
    systemUserId,
    async insert(db, areaId, area, createdAt) {
      const rows = specs.map((spec, i) => ({
        id: ids[i] as string,
        area_id: areaId,
        agency_id: spec.agency(area).id,
        team_id: spec.team(area)?.id ?? null,
        kind: 'person' as const,
        email: demoEmail(spec.role, areaCode),
        display_name: spec.displayName,
        role: spec.role,
        password_hash: hashes[i] as string,
        created_at: createdAt,
        updated_at: createdAt,
      }));
      await db.insertInto('app_user').values([
        ...rows,
        {
          id: systemUserId, area_id: areaId, agency_id: area.police.id, team_id: null, kind: 'system', email: null,
          display_name: systemAccountName, role: 'agency_system', password_hash: null, created_at: createdAt, updated_at: createdAt,
        },
      ]).execute();
      return specs.map((spec) => ({ email: demoEmail(spec.role, areaCode), role: spec.role, displayName: spec.displayName }));
    },
  };
}
