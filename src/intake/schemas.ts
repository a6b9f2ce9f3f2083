// What agencies send to the front door, validated at the boundary: police domestic abuse
// incident notifications and referrals from other agencies. The same schemas serve the JSON API
// (and its OpenAPI document), the web forms and the CSV import, so a field is judged the same
// way however it arrives.
import { z } from 'zod';
import { isValidCalendarDate } from '../chronology/dates';
import { dashAnswersSchema, type DashSet } from '../risk/dash';

const text = (label: string, max: number) =>
  z.string({ error: `Enter ${label}` }).trim().min(1, `Enter ${label}`).max(max, `${capitalise(label)} must be ${max} characters or fewer`);
const optionalText = (label: string, max: number) =>
  z.string().trim().max(max, `${capitalise(label)} must be ${max} characters or fewer`).optional().transform((v) => v || undefined);

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const calendarDate = (label: string) =>
  z.string({ error: `Enter ${label}` }).trim().refine(isValidCalendarDate, `${capitalise(label)} must be a real date in the form YYYY-MM-DD`);

/** An instant with its offset, e.g. 2026-11-20T21:40:00Z or 2026-11-20T21:40:00+00:00. */
export const instant = (label: string) =>
  z.iso
    .datetime({ offset: true, error: `${capitalise(label)} must be a date and time with its offset, like 2026-11-20T21:40:00Z` })
    .transform((v) => new Date(v));

export const addressSchema = z.object({
  line1: text('the first line of the address', 200),
  line2: optionalText('the second line of the address', 200),
  town: optionalText('the town', 100),
  postcode: z
    .string()
    .trim()
    .toUpperCase()
    .max(10, 'Postcode must be 10 characters or fewer')
    .regex(/^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/, 'Enter a real postcode, like NB1 4AB')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** A refuge or a victim's new home: sealed from anyone without a need for it. */
  confidential: z.boolean().default(false),
});

export const personRoles = ['adult_victim', 'alleged_perpetrator', 'child', 'other'] as const;
export const relationshipsToVictim = ['partner', 'ex_partner', 'child', 'parent', 'sibling', 'other_family', 'other'] as const;

export const personSchema = z
  .object({
    role: z.enum(personRoles, { error: `Role must be one of ${personRoles.join(', ')}` }),
    /** The sender's own identifier for the person (e.g. the police nominal number). */
    sourceRef: text('the sender’s reference for the person', 100),
    givenName: text('the first name', 100),
    middleNames: optionalText('the middle names', 100),
    familyName: text('the last name', 100),
    aliases: z.array(z.string().trim().min(1).max(200)).max(10, 'Give at most 10 other names').default([]),
    dateOfBirth: calendarDate('the date of birth').optional(),
    expectedDateOfBirth: calendarDate('the expected date of birth').optional(),
    sex: z.enum(['F', 'M', 'U'], { error: 'Sex must be F, M or U' }).optional(),
    nhsNumber: z
      .string()
      .transform((v) => v.replace(/\s+/g, ''))
      .pipe(z.string().regex(/^\d{10}$/, 'NHS number must be 10 digits'))
      .optional(),
    address: addressSchema.optional(),
    phone: optionalText('the phone number', 30),
    email: z.email('Enter an email address in the correct format').optional(),
    relationshipToVictim: z.enum(relationshipsToVictim, { error: `Relationship to the victim must be one of ${relationshipsToVictim.join(', ')}` }).optional(),
    /** Children: whether they were there when it happened. */
    present: z.boolean().optional(),
    whereDuringIncident: optionalText('where the child was', 300),
    /** The child's own words, kept exactly as given. */
    childVoice: z.string().max(2000, 'The child’s words must be 2000 characters or fewer').optional().transform((v) => v || undefined),
    demeanour: optionalText('how the child seemed', 1000),
  })
  .superRefine((p, ctx) => {
    if (p.role === 'child') {
      if (!p.dateOfBirth && !p.expectedDateOfBirth) {
        ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'Enter the child’s date of birth (or expected date of birth for an unborn baby)' });
      }
    }
    if (p.dateOfBirth && p.dateOfBirth > new Date().toISOString().slice(0, 10)) {
      ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'Date of birth must be in the past' });
    }
  });

export type PersonInput = z.output<typeof personSchema>;

/** In a police notification, each child's presence at the incident must be stated. */
const policePersonSchema = personSchema.superRefine((p, ctx) => {
  if (p.role === 'child' && p.present === undefined) ctx.addIssue({ code: 'custom', path: ['present'], message: 'Say whether the child was present' });
});

const riskGrades = ['standard', 'medium', 'high'] as const;

const dashSchema = z
  .object({
    set: z.enum(['safelives_24', 'police_27'], { error: 'DASH set must be safelives_24 or police_27' }).default('police_27'),
    answers: z.record(z.string(), z.unknown()),
  })
  .transform((d, ctx) => {
    const parsed = dashAnswersSchema(d.set as DashSet).safeParse(d.answers);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['answers', ...issue.path.map(String)], message: issue.message });
      return z.NEVER;
    }
    return { set: d.set as DashSet, answers: parsed.data };
  });

// A few minutes' grace for clocks that disagree.
const notInFuture = (d: Date) => d.getTime() <= Date.now() + 5 * 60_000;

export const policeNotificationSchema = z
  .object({
    policeReference: z
      .string({ error: 'Enter the police reference' })
      .trim()
      .min(3, 'Police reference must be at least 3 characters')
      .max(50, 'Police reference must be 50 characters or fewer')
      .regex(/^[A-Za-z0-9/_-]+$/, 'Police reference may contain only letters, numbers, / _ and -'),
    occurredAt: instant('when the incident happened').refine(notInFuture, 'When the incident happened must not be in the future'),
    location: text('where the incident happened', 300),
    /** The place is a confidential address (a refuge): stored sealed, never passed on. */
    locationConfidential: z.boolean().default(false),
    attendingOfficer: z.object({ name: text('the attending officer’s name', 120), collarNumber: optionalText('the collar number', 20) }),
    people: z.array(policePersonSchema).min(1, 'Give the people involved').max(30, 'Give at most 30 people'),
    circumstances: text('what happened, in brief', 4000),
    injuries: optionalText('the injuries', 1000),
    weapons: optionalText('the weapons', 1000),
    dash: dashSchema.optional(),
    riskGrade: z.enum(riskGrades, { error: 'Risk grade must be standard, medium or high' }),
    actions: z
      .object({ arrest: z.boolean().default(false), dvpn: z.boolean().default(false), idvaReferral: z.boolean().default(false) })
      .default({ arrest: false, dvpn: false, idvaReferral: false }),
    victimConsent: z.boolean({ error: 'Say whether the victim consented to share information' }),
  })
  .superRefine((n, ctx) => {
    if (!n.people.some((p) => p.role === 'adult_victim')) {
      ctx.addIssue({ code: 'custom', path: ['people'], message: 'Name the adult victim (a person with role adult_victim)' });
    }
    const seen = new Set<string>();
    n.people.forEach((p, i) => {
      if (seen.has(p.sourceRef)) ctx.addIssue({ code: 'custom', path: ['people', i, 'sourceRef'], message: 'Each person needs a different reference' });
      seen.add(p.sourceRef);
    });
  });

export type PoliceNotification = z.output<typeof policeNotificationSchema>;

export const referralSources = [
  'emergency_department', 'midwifery', 'health_visiting', 'gp', 'school', 'probation', 'housing', 'adult_social_care', 'self_or_family', 'other',
] as const;
export type ReferralSource = (typeof referralSources)[number];

export const consentValues = ['given', 'refused', 'not_sought', 'not_possible'] as const;

export const referralSchema = z
  .object({
    /** The referrer's own reference; sending the same one again adds nothing. */
    reference: z
      .string({ error: 'Enter your reference for this referral' })
      .trim()
      .min(3, 'Reference must be at least 3 characters')
      .max(50, 'Reference must be 50 characters or fewer')
      .regex(/^[A-Za-z0-9/_-]+$/, 'Reference may contain only letters, numbers, / _ and -'),
    source: z.enum(referralSources, { error: `Source must be one of ${referralSources.join(', ')}` }),
    concernDate: calendarDate('the date of the concern'),
    concern: text('the concern', 4000),
    domesticAbuse: z.boolean({ error: 'Say whether domestic abuse is part of the concern' }),
    people: z.array(personSchema).min(1, 'Name the child').max(30, 'Give at most 30 people'),
    referrer: z.object({
      name: text('the referrer’s name', 120),
      role: text('the referrer’s role', 120),
      phone: optionalText('the referrer’s phone number', 30),
      email: z.email('Enter an email address in the correct format').optional(),
    }),
    consent: z.enum(consentValues, { error: 'Consent must be given, refused, not_sought or not_possible' }),
    lawfulBasis: optionalText('the lawful basis', 200),
    justification: optionalText('why it is shared without consent', 2000),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.people.forEach((p, i) => {
      if (seen.has(p.sourceRef)) ctx.addIssue({ code: 'custom', path: ['people', i, 'sourceRef'], message: 'Each person needs a different reference' });
      seen.add(p.sourceRef);
    });
    if (!r.people.some((p) => p.role === 'child')) ctx.addIssue({ code: 'custom', path: ['people'], message: 'Name at least one child (a person with role child)' });
    if (r.consent !== 'given') {
      if (!r.lawfulBasis) ctx.addIssue({ code: 'custom', path: ['lawfulBasis'], message: 'Give the lawful basis for sharing without consent' });
      if (!r.justification) ctx.addIssue({ code: 'custom', path: ['justification'], message: 'Say why it is shared without consent' });
    }
  });

export type Referral = z.output<typeof referralSchema>;

/** zod issues as Hearth's field errors: "people.2.dateOfBirth". */
export function fieldErrors(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message }));
}
