// A local area's calendar settings: statutory timescales (Working Together to Safeguard Children),
// which an area may make stricter but never laxer, plus working hours, agency-check deadlines and
// the school-day start used for Operation Encompass.
import { z } from 'zod';
import { HearthError } from '../server/errors';
import { isTimeOfDay } from './london';
import { defaultWorkingHours } from './working-hours';

/** The statutory maximums; an area's own timescales must lie within them. */
export const statutoryTimescales = {
  /** Referral decision: by the end of the next working day after the contact is received. */
  referralDecisionWorkingDays: 1,
  /** Assessment completed within 45 working days of the referral. */
  assessmentWorkingDays: 45,
  /** Initial child protection conference within 15 working days of the (last) strategy discussion. */
  initialConferenceWorkingDays: 15,
  /** First review conference within 3 calendar months of the initial conference. */
  firstReviewMonths: 3,
  /** Later review conferences at most 6 calendar months apart. */
  laterReviewMonths: 6,
} as const;

export type CheckPriority = 'red' | 'amber' | 'green';

/** How long an agency has to answer a check: working hours, or working days of the area's working hours. */
export interface CheckTimescale {
  amount: number;
  unit: 'workingHours' | 'workingDays';
}

/** Default agency-check deadlines by priority. */
export const defaultCheckDeadlines: Record<CheckPriority, CheckTimescale> = {
  red: { amount: 4, unit: 'workingHours' },
  amber: { amount: 1, unit: 'workingDays' },
  green: { amount: 3, unit: 'workingDays' },
};

export const defaultSchoolDayStart = '08:30';

function statutoryTimescale(field: keyof typeof statutoryTimescales, min: number, unit: string) {
  const max = statutoryTimescales[field];
  const message = `${field} must be a whole number of ${unit} from ${min} to ${max}: an area may set a stricter timescale than statute, never a laxer one`;
  return z.int({ error: message }).min(min, { error: message }).max(max, { error: message }).default(max);
}

function timeOfDay(field: string, fallback: string) {
  const message = `${field} must be a time of day written HH:MM (24-hour), e.g. 09:00`;
  return z.string({ error: message }).refine(isTimeOfDay, { error: message }).default(fallback);
}

function checkTimescale(priority: CheckPriority) {
  const field = `checkDeadlines.${priority}`;
  return z
    .strictObject({
      amount: z.number({ error: `${field}.amount must be a number` }).positive({ error: `${field}.amount must be more than 0` }),
      unit: z.enum(['workingHours', 'workingDays'], { error: `${field}.unit must be workingHours or workingDays` }),
    })
    .default(defaultCheckDeadlines[priority]);
}

export const areaCalendarSettingsSchema = z.strictObject({
  referralDecisionWorkingDays: statutoryTimescale('referralDecisionWorkingDays', 0, 'working days'),
  assessmentWorkingDays: statutoryTimescale('assessmentWorkingDays', 1, 'working days'),
  initialConferenceWorkingDays: statutoryTimescale('initialConferenceWorkingDays', 1, 'working days'),
  firstReviewMonths: statutoryTimescale('firstReviewMonths', 1, 'months'),
  laterReviewMonths: statutoryTimescale('laterReviewMonths', 1, 'months'),
  workingHours: z
    .strictObject({
      dayStart: timeOfDay('workingHours.dayStart', defaultWorkingHours.dayStart),
      dayEnd: timeOfDay('workingHours.dayEnd', defaultWorkingHours.dayEnd),
    })
    .refine(({ dayStart, dayEnd }) => !isTimeOfDay(dayStart) || !isTimeOfDay(dayEnd) || dayEnd > dayStart, {
      path: ['dayEnd'],
      error: 'workingHours.dayEnd must be later than workingHours.dayStart',
    })
    .prefault({}),
  checkDeadlines: z
    .strictObject({ red: checkTimescale('red'), amber: checkTimescale('amber'), green: checkTimescale('green') })
    .prefault({}),
  schoolDayStart: timeOfDay('schoolDayStart', defaultSchoolDayStart),
});

/** What an area writes in its configuration: every field optional, defaulting to statute and the defaults above. */
export type AreaCalendarSettingsInput = z.input<typeof areaCalendarSettingsSchema>;
export type AreaCalendarSettings = z.output<typeof areaCalendarSettingsSchema>;

/** An area's settings, checked; throws a validation error naming every field that is wrong. */
export function parseAreaCalendarSettings(input: unknown): AreaCalendarSettings {
  const parsed = areaCalendarSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || 'settings', message: issue.message }));
  throw new HearthError('validation_failed', `The area's calendar settings are not valid: ${fields.map((f) => f.message).join('; ')}.`, fields);
}

/** The settings of an area that keeps to statute and the defaults. */
export const defaultAreaCalendarSettings: AreaCalendarSettings = parseAreaCalendarSettings({});
