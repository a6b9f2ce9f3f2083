// The roles a user can hold. What each may do is declared in permissions.ts.

export const roles = [
  'police_officer',
  'mash_practitioner',
  'mash_manager',
  'agency_researcher',
  'school_dsl',
  'social_worker',
  'team_manager',
  'idva',
  'marac_coordinator',
  'qa_officer',
  'performance_officer',
  'inspector',
  'administrator',
  'information_governance',
  'agency_system',
] as const;

export type Role = (typeof roles)[number];

/** Roles a person can be given in the browser; agency_system belongs to system accounts only. */
export const personRoles = roles.filter((r): r is Exclude<Role, 'agency_system'> => r !== 'agency_system');

export const roleLabels: Record<Role, string> = {
  police_officer: 'Police officer',
  mash_practitioner: 'MASH practitioner',
  mash_manager: 'MASH manager',
  agency_researcher: 'Agency researcher',
  school_dsl: 'School designated safeguarding lead',
  social_worker: 'Social worker',
  team_manager: 'Team manager',
  idva: 'IDVA',
  marac_coordinator: 'MARAC coordinator',
  qa_officer: 'Quality assurance officer',
  performance_officer: 'Performance officer',
  inspector: 'Inspector',
  administrator: 'Administrator',
  information_governance: 'Information governance officer',
  agency_system: 'Agency system (API)',
};

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
