// Kysely's view of the tables in src/db/migrations. Keep in step with the SQL: a column added
// there is added here in the same change.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamptz column: read as a Date, written as a Date or an ISO string. */
export type Instant = ColumnType<Date, Date | string, Date | string>;
/** A timestamptz column with a default. */
export type InstantDefault = ColumnType<Date, Date | string | undefined, Date | string>;
/** A date column, kept as 'YYYY-MM-DD' text so that no time zone can shift it. */
export type CalendarDate = string;
export type Json = ColumnType<unknown, string, string>;

export interface AreaTable {
  id: Generated<string>;
  area_id: ColumnType<string, never, never>;
  code: string;
  name: string;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: InstantDefault;
  version: Generated<number>;
}

export interface AgencyTable {
  id: Generated<string>;
  area_id: string;
  kind: string;
  service: string | null;
  parent_agency_id: string | null;
  name: string;
  code: string | null;
  email: string | null;
  phone: string | null;
  created_at: InstantDefault;
}

export interface TeamTable {
  id: Generated<string>;
  area_id: string;
  agency_id: string;
  name: string;
  created_at: InstantDefault;
}

export interface AppUserTable {
  id: Generated<string>;
  area_id: string;
  agency_id: string;
  team_id: string | null;
  kind: ColumnType<'person' | 'system', 'person' | 'system' | undefined, never>;
  email: string | null;
  display_name: string;
  role: string;
  password_hash: string | null;
  status: ColumnType<'active' | 'disabled', 'active' | 'disabled' | undefined, 'active' | 'disabled'>;
  failed_sign_ins: Generated<number>;
  locked_until: Instant | null;
  last_sign_in_at: Instant | null;
  created_at: InstantDefault;
  updated_at: InstantDefault;
  version: Generated<number>;
}

export interface UserSessionTable {
  id: string;
  area_id: string;
  user_id: string;
  created_at: InstantDefault;
  last_seen_at: InstantDefault;
  expires_at: Instant;
  ended_at: Instant | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<string>;
  area_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_by: string | null;
  created_at: InstantDefault;
  last_used_at: Instant | null;
  revoked_at: Instant | null;
  revoked_by: string | null;
}

export interface PersonTable {
  id: Generated<string>;
  area_id: string;
  given_name: string | null;
  family_name: string | null;
  date_of_birth: CalendarDate | null;
  expected_date_of_birth: CalendarDate | null;
  sex: 'F' | 'M' | 'U' | null;
  nhs_number: string | null;
  merged_into: string | null;
  created_at: InstantDefault;
  updated_at: InstantDefault;
  version: Generated<number>;
}

export interface AgencyRecordTable {
  id: Generated<string>;
  area_id: string;
  agency_id: string;
  person_id: string | null;
  source_ref: string;
  given_name: string | null;
  middle_names: string | null;
  family_name: string | null;
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  date_of_birth: CalendarDate | null;
  expected_date_of_birth: CalendarDate | null;
  sex: 'F' | 'M' | 'U' | null;
  nhs_number: string | null;
  school_agency_id: string | null;
  gp_agency_id: string | null;
  phone: string | null;
  email: string | null;
  search_name: ColumnType<string, never, never>;
  recorded_at: InstantDefault;
  updated_at: InstantDefault;
  version: Generated<number>;
}

export interface PersonLinkTable {
  id: Generated<string>;
  area_id: string;
  agency_record_id: string;
  person_id: string;
  method: 'new_person' | 'automatic' | 'reviewed' | 'merge' | 'unmerge' | 'imported';
  match_probability: number | null;
  evidence: Json | null;
  decided_by: string | null;
  reason: string | null;
  linked_at: InstantDefault;
  ended_at: Instant | null;
}

export interface AddressTable {
  id: Generated<string>;
  area_id: string;
  line1: string;
  line2: string | null;
  town: string | null;
  postcode: string | null;
  uprn: string | null;
  confidential: Generated<boolean>;
  created_at: InstantDefault;
}

export interface PersonAddressTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  agency_record_id: string | null;
  address_id: string;
  from_date: CalendarDate | null;
  to_date: CalendarDate | null;
}

export interface HouseholdTable {
  id: Generated<string>;
  area_id: string;
  address_id: string | null;
  from_date: CalendarDate | null;
  to_date: CalendarDate | null;
  created_at: InstantDefault;
}

export interface HouseholdMemberTable {
  id: Generated<string>;
  area_id: string;
  household_id: string;
  person_id: string;
  from_date: CalendarDate | null;
  to_date: CalendarDate | null;
}

export type RelationshipKind =
  | 'parent_of'
  | 'carer_of'
  | 'partner_of'
  | 'ex_partner_of'
  | 'sibling_of'
  | 'household_member_of'
  | 'alleged_perpetrator_of';

export interface RelationshipTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  related_person_id: string;
  kind: RelationshipKind;
  from_date: CalendarDate | null;
  to_date: CalendarDate | null;
  source_event_id: string | null;
  created_at: InstantDefault;
}

export interface EventTable {
  id: Generated<string>;
  area_id: string;
  agency_id: string;
  kind: string;
  occurred_at: Instant;
  source_ref: string | null;
  summary: string;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  address_id: string | null;
  recorded_at: InstantDefault;
  recorded_by: string | null;
}

export type EventPersonRole = 'subject' | 'adult_victim' | 'alleged_perpetrator' | 'child' | 'other';

export interface EventPersonTable {
  id: Generated<string>;
  area_id: string;
  event_id: string;
  person_id: string;
  agency_record_id: string | null;
  role: EventPersonRole;
  child_present: boolean | null;
  child_voice: string | null;
}

export interface EducationTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  school_agency_id: string | null;
  home_educated: Generated<boolean>;
  from_date: CalendarDate | null;
  to_date: CalendarDate | null;
}

export type ContactStage = 'screening' | 'checks' | 'decision' | 'authorisation' | 'closed';
export type ContactPriority = 'red' | 'amber' | 'green';
export type ContactDecision = 'no_further_action' | 'information_and_advice' | 'early_help' | 'child_in_need_assessment' | 'strategy_discussion';

export interface ContactTable {
  id: Generated<string>;
  area_id: string;
  child_person_id: string;
  event_id: string;
  source_agency_id: string;
  source: string;
  received_at: Instant;
  decision_due_at: Instant;
  stage: ColumnType<ContactStage, ContactStage | undefined, ContactStage>;
  priority: ContactPriority | null;
  priority_reason: string | null;
  screened_by: string | null;
  screened_at: Instant | null;
  team_id: string | null;
  allocated_to: string | null;
  decision: ContactDecision | null;
  decision_reasons: string | null;
  marac_referral: boolean | null;
  decided_by: string | null;
  decided_at: Instant | null;
  authorised_by: string | null;
  authorised_at: Instant | null;
  returned_comment: string | null;
  returned_by: string | null;
  returned_at: Instant | null;
  closed_at: Instant | null;
  created_at: InstantDefault;
  version: Generated<number>;
}

export interface ContactHistoryTable {
  id: Generated<string>;
  area_id: string;
  contact_id: string;
  action: string;
  actor_user_id: string | null;
  at: InstantDefault;
  comment: string | null;
  details: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

export interface AgencyCheckTable {
  id: Generated<string>;
  area_id: string;
  contact_id: string;
  agency_id: string;
  question: string;
  requested_by: string;
  requested_at: InstantDefault;
  due_at: Instant;
  status: ColumnType<'open' | 'answered' | 'withdrawn', 'open' | 'answered' | 'withdrawn' | undefined, 'open' | 'answered' | 'withdrawn'>;
  known_to_agency: 'yes' | 'no' | 'not_known' | null;
  involvement: string | null;
  concerns: string | null;
  history: string | null;
  answered_by: string | null;
  answered_at: Instant | null;
  version: Generated<number>;
}

export type Consent = 'given' | 'refused' | 'not_sought' | 'not_possible';

export interface InformationShareTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  contact_id: string | null;
  agency_check_id: string | null;
  from_agency_id: string;
  to_agency_id: string;
  consent: Consent;
  lawful_basis: string | null;
  justification: string | null;
  decided_by: string;
  decided_at: InstantDefault;
}

export interface OutboxTable {
  id: Generated<number>;
  area_id: string;
  topic: string;
  dedupe_key: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: ColumnType<'pending' | 'done' | 'dead', 'pending' | 'done' | 'dead' | undefined, 'pending' | 'done' | 'dead'>;
  attempts: Generated<number>;
  available_at: InstantDefault;
  locked_until: Instant | null;
  last_error: string | null;
  created_at: InstantDefault;
  completed_at: Instant | null;
  summary: string | null;
}

export interface NotificationTable {
  id: Generated<string>;
  area_id: string;
  kind: 'operation_encompass' | 'encompass_escalation' | 'new_incident';
  recipient_agency_id: string;
  person_id: string | null;
  contact_id: string | null;
  event_id: string | null;
  outbox_id: number | null;
  due_at: Instant | null;
  content: ColumnType<Record<string, unknown>, string, string>;
  created_at: InstantDefault;
  emailed_at: Instant | null;
  acknowledged_by: string | null;
  acknowledged_at: Instant | null;
  support_note: string | null;
  escalated_at: Instant | null;
  escalation_of: string | null;
  version: Generated<number>;
}

export interface IdentityFeaturesTable {
  agency_record_id: string;
  area_id: string;
  features: ColumnType<Record<string, string[]>, string, string>;
  updated_at: InstantDefault;
}

export interface IdentityKeyTable {
  area_id: string;
  key: string;
  agency_record_id: string;
}

export interface IdentityModelTable {
  id: Generated<string>;
  area_id: string;
  model: ColumnType<unknown, string, string>;
  source: 'estimated' | 'starter';
  record_count: number;
  estimated_at: InstantDefault;
  estimated_by: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
}

export type IdentityReviewCause = 'uncertain' | 'different_nhs_numbers' | 'different_dates_of_birth' | 'evidence_against' | 'named_apart' | 'updated_record';
export type IdentityDecision = 'same' | 'different' | 'not_sure';

export interface IdentityReviewTable {
  id: Generated<string>;
  area_id: string;
  agency_record_id: string;
  candidate_person_id: string;
  candidate_record_id: string;
  match_probability: number;
  evidence: ColumnType<unknown, string, string>;
  cause: IdentityReviewCause;
  status: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined, 'open' | 'closed'>;
  decision: IdentityDecision | null;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Instant | null;
  created_at: InstantDefault;
  version: Generated<number>;
}

export interface IdentityReviewDecisionTable {
  id: Generated<string>;
  area_id: string;
  review_id: string;
  decision: IdentityDecision;
  reason: string | null;
  decided_by: string;
  decided_at: InstantDefault;
}

export interface PersonMergeTable {
  id: Generated<string>;
  area_id: string;
  kept_person_id: string;
  merged_person_id: string;
  review_id: string | null;
  reason: string;
  merged_by: string;
  merged_at: InstantDefault;
  agency_record_ids: string[];
  moved: ColumnType<Record<string, string[]>, string, string>;
  undone_at: Instant | null;
  undone_by: string | null;
  undo_reason: string | null;
}

export interface PersonSplitTable {
  id: Generated<string>;
  area_id: string;
  from_person_id: string;
  to_person_id: string;
  agency_record_ids: string[];
  undoes_merge_id: string | null;
  reason: string;
  split_by: string;
  split_at: InstantDefault;
}

export type RiskLevel = 'standard' | 'medium' | 'high';

export interface DashAssessmentTable {
  id: Generated<string>;
  area_id: string;
  event_id: string;
  victim_person_id: string | null;
  question_set: 'safelives_24' | 'police_27';
  answers: ColumnType<Record<string, { answer: 'yes' | 'no' | 'not_known'; note?: string }>, string, string>;
  score: number;
  threshold: number;
  scored_level: RiskLevel;
  level: RiskLevel;
  judgement_reason: string | null;
  judged_by: string | null;
  judged_at: Instant | null;
  assessed_at: Instant;
  recorded_by: string | null;
  created_at: InstantDefault;
  version: Generated<number>;
}

export interface MaracRecommendationTable {
  id: Generated<string>;
  area_id: string;
  victim_person_id: string;
  event_id: string;
  as_of: CalendarDate;
  recommended: boolean;
  criteria: ColumnType<{ criterion: string; met: boolean; explanation: string; incidentIds: string[] }[], string, string>;
  computed_at: InstantDefault;
}

/** What raised a flag: an event, or a partner relationship recorded. */
export type FlagSource = { eventId: string; date: CalendarDate } | { relationshipId: string; date: CalendarDate };

export interface RiskFlagTable {
  id: Generated<string>;
  area_id: string;
  subject_kind: 'child' | 'household';
  person_id: string | null;
  household_id: string | null;
  kind: string;
  explanation: string;
  raised_by: ColumnType<FlagSource[], string, string>;
  person_ids: ColumnType<string[], string[] | undefined, string[]>;
  raised_at: Instant;
  raised_on_event_id: string | null;
  updated_at: Instant;
  cleared_at: Instant | null;
  acknowledged_by: string | null;
  acknowledged_at: Instant | null;
  acknowledgement_note: string | null;
  version: Generated<number>;
}

export interface LivedExperienceTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  supersedes: string | null;
  summary: string;
  child_words: string | null;
  written_by: string;
  written_at: InstantDefault;
}

export interface CaseAllocationTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  team_id: string;
  worker_id: string | null;
  allocated_by: string;
  allocated_at: InstantDefault;
  ended_at: Instant | null;
  ended_by: string | null;
}

export interface InspectionAccessTable {
  id: Generated<string>;
  area_id: string;
  inspector_id: string;
  reason: string;
  starts_at: Instant;
  ends_at: Instant;
  granted_by: string;
  granted_at: InstantDefault;
  ended_early_at: Instant | null;
  ended_early_by: string | null;
}

export type BreakGlassOutcome = 'justified' | 'not_justified';

export interface BreakGlassTable {
  id: Generated<string>;
  area_id: string;
  user_id: string;
  agency_id: string;
  team_id: string | null;
  person_id: string;
  reason: string;
  started_at: InstantDefault;
  expires_at: Instant;
  review_outcome: BreakGlassOutcome | null;
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: Instant | null;
  version: Generated<number>;
}

export type SensitiveCategory = 'sexual_health' | 'health' | 'child_disclosure' | 'other';

export interface SensitiveNoteTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  category: SensitiveCategory;
  note: string;
  visible_to_roles: ColumnType<string[], string[] | undefined, string[]>;
  visible_to_users: ColumnType<string[], string[] | undefined, string[]>;
  agency_id: string;
  recorded_by: string;
  recorded_at: InstantDefault;
}

export type RetentionRecordType = 'contact' | 'event' | 'notification' | 'sensitive_note';

export interface RetentionDecisionTable {
  id: Generated<string>;
  area_id: string;
  record_type: RetentionRecordType;
  record_id: string;
  decision: 'retain' | 'delete';
  reason: string;
  rule: string;
  review_due: CalendarDate;
  retain_until: CalendarDate | null;
  deleted_rows: ColumnType<Record<string, number> | null, string | null, never>;
  decided_by: string;
  decided_at: InstantDefault;
}

export interface AuditEventTable {
  /** The order rows were written in, across the area's lanes. */
  id: ColumnType<number, never, never>;
  area_id: string;
  /** Which of the area's chains the row is in (0 to 31); seq and prev_hash run within it. */
  lane: ColumnType<number, never, never>;
  seq: ColumnType<number, never, never>;
  occurred_at: InstantDefault;
  actor_user_id: string | null;
  actor_agency_id: string | null;
  actor_role: string | null;
  action: string;
  outcome: ColumnType<'allowed' | 'refused' | 'failed', 'allowed' | 'refused' | 'failed' | undefined, never>;
  record_type: string | null;
  record_id: string | null;
  subject_person_id: string | null;
  reason: string | null;
  request_id: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown> | null, string | null | undefined, never>;
  prev_hash: ColumnType<Uint8Array, never, never>;
  hash: ColumnType<Uint8Array, never, never>;
}

export interface RiskRefreshRunTable {
  area_id: string;
  /** The London calendar day refreshed, 'YYYY-MM-DD'. */
  day: string;
  started_at: InstantDefault;
  finished_at: Instant | null;
}

export interface AuditHeadTable {
  area_id: string;
  lane: number;
  seq: number;
  hash: Uint8Array;
}

export interface RecordTruthTable {
  area_id: string;
  agency_record_id: string;
  true_person_key: string;
}

export interface SchemaMigrationTable {
  name: string;
  checksum: string;
  applied_at: InstantDefault;
}

export interface Database {
  area: AreaTable;
  agency: AgencyTable;
  team: TeamTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  person: PersonTable;
  agency_record: AgencyRecordTable;
  person_link: PersonLinkTable;
  address: AddressTable;
  person_address: PersonAddressTable;
  household: HouseholdTable;
  household_member: HouseholdMemberTable;
  relationship: RelationshipTable;
  event: EventTable;
  event_person: EventPersonTable;
  education: EducationTable;
  contact: ContactTable;
  contact_history: ContactHistoryTable;
  agency_check: AgencyCheckTable;
  information_share: InformationShareTable;
  outbox: OutboxTable;
  notification: NotificationTable;
  identity_features: IdentityFeaturesTable;
  identity_key: IdentityKeyTable;
  identity_model: IdentityModelTable;
  identity_review: IdentityReviewTable;
  identity_review_decision: IdentityReviewDecisionTable;
  person_merge: PersonMergeTable;
  person_split: PersonSplitTable;
  dash_assessment: DashAssessmentTable;
  marac_recommendation: MaracRecommendationTable;
  risk_flag: RiskFlagTable;
  lived_experience: LivedExperienceTable;
  case_allocation: CaseAllocationTable;
  inspection_access: InspectionAccessTable;
  break_glass: BreakGlassTable;
  sensitive_note: SensitiveNoteTable;
  retention_decision: RetentionDecisionTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  risk_refresh_run: RiskRefreshRunTable;
  'synthetic.record_truth': RecordTruthTable;
  schema_migration: SchemaMigrationTable;
}

export type Person = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type AgencyRecord = Selectable<AgencyRecordTable>;
export type AppUser = Selectable<AppUserTable>;
export type AppUserUpdate = Updateable<AppUserTable>;
export type Address = Selectable<AddressTable>;
export type Agency = Selectable<AgencyTable>;
