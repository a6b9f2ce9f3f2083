// The front door's vocabulary: the values stored and the words practitioners see for them.
import type { ContactDecision, ContactPriority, ContactStage, Consent } from '../db/schema';

export const contactSources = [
  'police_notification', 'emergency_department', 'midwifery', 'health_visiting', 'gp', 'school', 'probation', 'housing',
  'adult_social_care', 'self_or_family', 'other',
] as const;
export type ContactSource = (typeof contactSources)[number];

export const sourceLabels: Record<ContactSource, string> = {
  police_notification: 'Police notification',
  emergency_department: 'Emergency department',
  midwifery: 'Midwifery',
  health_visiting: 'Health visiting',
  gp: 'GP',
  school: 'School',
  probation: 'Probation',
  housing: 'Housing',
  adult_social_care: 'Adult social care',
  self_or_family: 'Self or family',
  other: 'Other',
};

export const stages = ['screening', 'checks', 'decision', 'authorisation', 'closed'] as const satisfies readonly ContactStage[];
export const openStages = ['screening', 'checks', 'decision', 'authorisation'] as const satisfies readonly ContactStage[];

export const stageLabels: Record<ContactStage, string> = {
  screening: 'Screening',
  checks: 'Agency checks',
  decision: 'Decision',
  authorisation: 'Awaiting authorisation',
  closed: 'Closed',
};

export const priorities = ['red', 'amber', 'green'] as const satisfies readonly ContactPriority[];

export const priorityLabels: Record<ContactPriority, string> = { red: 'Red', amber: 'Amber', green: 'Green' };

/** What each priority means, shown as hints when screening. */
export const priorityHints: Record<ContactPriority, string> = {
  red: 'Immediate risk of significant harm: act today',
  amber: 'Risk of harm that needs a decision within the working day',
  green: 'No immediate risk: gather information and decide in time',
};

export const priorityTagClasses: Record<ContactPriority | 'unscreened', string> = {
  red: 'govuk-tag--red',
  amber: 'govuk-tag--orange',
  green: 'govuk-tag--green',
  unscreened: 'govuk-tag--grey',
};

export const decisions = [
  'no_further_action', 'information_and_advice', 'early_help', 'child_in_need_assessment', 'strategy_discussion',
] as const satisfies readonly ContactDecision[];

export const decisionLabels: Record<ContactDecision, string> = {
  no_further_action: 'No further action',
  information_and_advice: 'Information and advice',
  early_help: 'Early help',
  child_in_need_assessment: 'Child-in-need assessment (section 17)',
  strategy_discussion: 'Strategy discussion (section 47)',
};

export const decisionHints: Record<ContactDecision, string> = {
  no_further_action: 'No role for children’s services or early help',
  information_and_advice: 'Advice and signposting to the family or the referrer',
  early_help: 'Support from the early help service with the family’s agreement',
  child_in_need_assessment: 'A social work assessment under section 17 of the Children Act 1989',
  strategy_discussion: 'Reasonable cause to suspect significant harm: enquiries under section 47',
};

export const consents = ['given', 'refused', 'not_sought', 'not_possible'] as const satisfies readonly Consent[];

export const consentLabels: Record<Consent, string> = {
  given: 'Consent given',
  refused: 'Consent refused',
  not_sought: 'Consent not sought',
  not_possible: 'Consent not possible',
};

export const consentHints: Record<Consent, string> = {
  given: 'The parent or carer (or the child, if competent) agreed to this share',
  refused: 'They were asked and said no; share only with a lawful basis',
  not_sought: 'Asking could place the child at risk or prejudice an enquiry',
  not_possible: 'They could not be reached or cannot consent',
};

/** Lawful bases for sharing without consent; "Other" must be stated. */
export const lawfulBases = [
  'Children Act 1989 s47',
  'Children Act 2004 s11',
  'Crime and Disorder Act 1998 s115',
  'UK GDPR Art 6(1)(e) public task',
  'Data Protection Act 2018 Sch 1 para 18 safeguarding',
] as const;
export const otherLawfulBasis = 'other';

export const knownToAgencyValues = ['yes', 'no', 'not_known'] as const;
export type KnownToAgency = (typeof knownToAgencyValues)[number];
export const knownToAgencyLabels: Record<KnownToAgency, string> = {
  yes: 'Yes, known to us',
  no: 'No, not known to us',
  not_known: 'Not known: we cannot tell from our records',
};

export const checkStatusLabels: Record<'open' | 'answered' | 'withdrawn', string> = {
  open: 'Waiting for answer',
  answered: 'Answered',
  withdrawn: 'Withdrawn',
};

/** The words shown in the contact's timeline for each history action. */
export const historyLabels: Record<string, string> = {
  received: 'Contact received',
  allocated: 'Allocated',
  screened: 'Screened',
  check_requested: 'Agency check requested',
  check_answered: 'Agency check answered',
  check_withdrawn: 'Agency check withdrawn',
  checks_complete: 'All agency checks in',
  decided: 'Decision recorded',
  returned: 'Returned by manager',
  authorised: 'Decision authorised',
};

export const yesNo = (value: boolean | null | undefined): string => (value === true ? 'Yes' : value === false ? 'No' : 'Not recorded');
