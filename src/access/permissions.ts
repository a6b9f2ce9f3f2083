// Who may do what: the one place that says so. A permission here is necessary, not sufficient:
// record-level rules (the area, involvement, sealed fields) are applied by the gate and by
// the policies beside each domain. The matrix test in permissions.test.ts holds the expected
// table; changing a line here without changing it there fails the build on purpose.
import type { Actor } from './actor';
import type { Role } from './roles';

const caseWorkers = ['mash_practitioner', 'mash_manager', 'social_worker', 'team_manager'] as const satisfies readonly Role[];
const riskWorkers = ['idva', 'marac_coordinator'] as const satisfies readonly Role[];
const oversight = ['qa_officer', 'inspector'] as const satisfies readonly Role[];

export const permissions = {
  /** Find people by name, date of birth, NHS number or postcode (what each result shows follows involvement: src/sharing). */
  'person.search': ['police_officer', ...caseWorkers, ...riskWorkers, ...oversight, 'information_governance'],
  /** Open a person's page: in full when involved with them, else their name-only summary (src/sharing/README.md). */
  'person.view': ['police_officer', ...caseWorkers, ...riskWorkers, ...oversight, 'information_governance'],
  /** Emergency access to a person one is not involved with, with a stated reason, for a few hours; reviewed by a manager. */
  'person.break_glass': ['police_officer', ...caseWorkers, ...riskWorkers],
  /** Review emergency accesses: justified or not. */
  'break_glass.review': ['mash_manager', 'team_manager'],
  /** Who has seen a person's record: managers and oversight with full access, and the person's own allocated worker. */
  'person.access_log': [...caseWorkers, ...riskWorkers, 'qa_officer', 'information_governance'],
  /** Export everything held about a person for a subject access request, third parties and sensitive items withheld. */
  'person.subject_access': ['information_governance'],
  /** Record a sensitive note (sexual health, health, a child's disclosure) on a person one has full access to. */
  'sensitive_note.record': ['police_officer', ...caseWorkers, ...riskWorkers],
  /** Allocate a person's case to a team and worker, or end the allocation. */
  'case.allocate': ['mash_manager', 'team_manager'],
  /** The report of information shared without consent, for oversight. */
  'share.report': ['mash_manager', 'team_manager', ...oversight, 'information_governance'],
  /** Records due for review under the retention rules: keep them longer or delete them, explained. */
  'retention.manage': ['information_governance'],
  /** Give an inspector a time-limited window of read-only access, or end it early. */
  'inspection.manage': ['administrator'],
  /** See a sealed (confidential) address: a refuge, a victim's new home. */
  'address.view_confidential': ['mash_manager', 'team_manager', 'idva'],
  /** Create, disable, enable, unlock and re-role users of the area. */
  'user.manage': ['administrator'],
  /** Create system accounts for agency systems and issue or revoke their API tokens. */
  'system_account.manage': ['administrator'],
  /** The front-door queue of contacts, and a contact's page. */
  'contact.view': ['mash_practitioner', 'mash_manager', 'team_manager', ...oversight],
  /** Screen a contact: priority with reason, agency checks, consent and lawful basis for sharing. */
  'contact.screen': ['mash_practitioner', 'mash_manager'],
  /** Record the decision on a contact, with reasons. */
  'contact.decide': ['mash_practitioner', 'mash_manager'],
  /** Authorise a decision, or return it with a comment. */
  'contact.authorise': ['mash_manager', 'team_manager'],
  /** Answer agency checks addressed to one's own agency (sees only the child and the question). */
  'agency_check.answer': ['agency_researcher', 'school_dsl', 'police_officer', 'idva'],
  /** Read and acknowledge one's own agency's notifications (Operation Encompass). */
  'notification.receive': ['school_dsl', 'agency_researcher', 'mash_practitioner', 'mash_manager'],
  /** Send a police domestic abuse incident notification (form, CSV import or API). */
  'intake.notify_incident': ['police_officer', 'agency_system'],
  /** Refer a concern about a child to the front door (form or API). */
  'intake.refer': [
    'police_officer', 'mash_practitioner', 'mash_manager', 'agency_researcher', 'school_dsl', 'social_worker', 'idva',
    'marac_coordinator', 'agency_system',
  ],
  /** See and retry undelivered messages (dead letters of the outbox). */
  'outbox.manage': ['administrator'],
  /** Review uncertain identity matches: same person, different people, not sure. */
  'identity.review': ['mash_practitioner', 'mash_manager', 'team_manager'],
  /** Merge two people into one, and undo a merge. */
  'identity.merge': ['mash_manager', 'team_manager'],
  /** See risk: pattern flags on children and households, DASH checklists, MARAC recommendations, a child's lived experience. */
  'risk.view': ['police_officer', ...caseWorkers, ...riskWorkers, ...oversight],
  /** Acknowledge a pattern flag with a note (it stays in the history). */
  'risk.acknowledge_flag': [...caseWorkers, ...riskWorkers],
  /** Record professional judgement on a DASH checklist: raise the level, with the reason. */
  'risk.judge_dash': ['police_officer', ...caseWorkers, ...riskWorkers],
  /** Write a child's lived-experience summary, from the child's point of view. */
  'risk.write_lived_experience': [...caseWorkers],
  /** Read the caller's own identity through the API. */
  'self.view': [
    'police_officer', ...caseWorkers, 'agency_researcher', 'school_dsl', ...riskWorkers, ...oversight,
    'performance_officer', 'administrator', 'information_governance', 'agency_system',
  ],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export const allPermissions = Object.keys(permissions) as Permission[];

export function roleCan(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

/**
 * What this actor may do now: their role's permissions, except that an inspector outside a window
 * of access holds none but their own identity (no queue, no report, no search).
 */
export function actorCan(actor: Pick<Actor, 'role' | 'inspectionWindowOpen'>, permission: Permission): boolean {
  if (actor.role === 'inspector' && !actor.inspectionWindowOpen && permission !== 'self.view') return false;
  return roleCan(actor.role, permission);
}
