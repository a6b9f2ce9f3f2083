// The words of sharing's pages: what an audited action means when someone asks "who has seen
// this", sensitive-note categories, review outcomes, retention record types.
import type { BreakGlassOutcome, RetentionRecordType, SensitiveCategory } from '../db/schema';

/** Audited actions about a person, in words; an action not listed is shown by its code. */
export const actionLabels: Record<string, string> = {
  'person.view': 'Opened their page',
  'person.view_name_only': 'Saw their name-only summary',
  'person.search': 'Found them in a search',
  'person.view_alleged_perpetrator': 'Opened their page as an alleged perpetrator',
  'person.view_linked': 'Saw them linked to someone else',
  'person.break_glass': 'Emergency access',
  'person.access_log': 'Looked at who has seen their record',
  'person.subject_access': 'Exported their record for a subject access request',
  'person.allocate': 'Allocated their case',
  'person.end_allocation': 'Ended an allocation of their case',
  'risk.view': 'Looked at their risk',
  'risk.recompute': 'Risk recomputed',
  'risk.dash_judgement': 'Recorded a professional judgement on a DASH',
  'risk.acknowledge_flag': 'Acknowledged a risk flag',
  'risk.write_lived_experience': 'Wrote their lived experience',
  'contact.view': 'Opened a front-door contact',
  'contact.create': 'A front-door contact was made',
  'contact.screen': 'Screened a front-door contact',
  'contact.decide': 'Decided a front-door contact',
  'contact.authorise': 'Authorised a front-door decision',
  'contact.allocate': 'Allocated a front-door contact',
  'contact.checks_complete': 'Agency checks completed',
  'agency_check.request': 'Asked an agency what it knows',
  'agency_check.view': 'Opened an agency check',
  'agency_check.answer': 'Answered an agency check',
  'agency_check.withdraw': 'Withdrew an agency check',
  'information_share.record': 'Recorded sharing of their information',
  'notification.view': 'Read a notification',
  'notification.acknowledge': 'Acknowledged a notification',
  'notification.record_support': 'Recorded support given',
  'notification.deliver': 'A notification was delivered',
  'notification.escalate': 'An unread notification was escalated',
  'identity.merge': 'Merged two records of them',
  'identity.split': 'Split records off them',
  'identity.review.decide': 'Decided whether two records are them',
  'break_glass.review': 'Reviewed an emergency access',
  'sensitive_note.record': 'Recorded a sensitive note',
  'sensitive_note.view': 'Read sensitive notes',
  'retention.retain': 'Kept a record longer after review',
  'retention.delete': 'Deleted a record after review',
};

export const actionText = (action: string): string => actionLabels[action] ?? action;

export const outcomeLabels: Record<string, string> = { allowed: 'Allowed', refused: 'Refused', failed: 'Failed' };

export const sensitiveCategories = ['sexual_health', 'health', 'child_disclosure', 'other'] as const satisfies readonly SensitiveCategory[];

export const sensitiveCategoryLabels: Record<SensitiveCategory, string> = {
  sexual_health: 'Sexual health',
  health: 'Health',
  child_disclosure: 'The child’s own disclosure',
  other: 'Other sensitive information',
};

export const reviewOutcomeLabels: Record<BreakGlassOutcome, string> = {
  justified: 'Justified',
  not_justified: 'Not justified',
};

export const retentionTypeLabels: Record<RetentionRecordType, string> = {
  contact: 'Front-door contact',
  event: 'Chronology event',
  notification: 'Notification',
  sensitive_note: 'Sensitive note',
};
