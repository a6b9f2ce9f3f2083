// The kinds of event on a person's multi-agency chronology, with the label practitioners see.

export const eventKinds = {
  police_da_incident: 'Domestic abuse incident (police)',
  police_other_incident: 'Police incident',
  arrest: 'Arrest',
  bail_breach: 'Breach of bail conditions',
  protection_order: 'Protection order made',
  protection_order_breach: 'Breach of a protection order',
  ed_attendance: 'Emergency department attendance',
  midwifery_disclosure: 'Disclosure to midwife',
  midwifery_booking: 'Pregnancy booked with midwifery',
  health_visitor_contact: 'Health visitor contact',
  gp_consultation: 'GP consultation',
  school_concern: 'Concern raised by school',
  school_absence: 'School absence',
  missing_episode: 'Missing from home',
  probation_contact: 'Probation supervision',
  housing_contact: 'Housing contact',
  adult_social_care_contact: 'Adult social care contact',
  idva_contact: 'IDVA contact',
  referral: 'Referral to children\u2019s social care',
  separation: 'Separation recorded',
} as const;

export type EventKind = keyof typeof eventKinds;

export function isEventKind(value: string): value is EventKind {
  return Object.hasOwn(eventKinds, value);
}
