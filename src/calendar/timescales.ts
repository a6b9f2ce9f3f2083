// Statutory deadlines (Working Together to Safeguard Children) and agency-check deadlines, on the
// area's settings. Deadlines counted in days are London calendar dates; isOverdue treats such a
// date as running to the end of that day.
import { type AreaCalendarSettings, type CheckPriority, defaultAreaCalendarSettings } from './area-settings';
import { addMonths, assertCalendarDate } from './dates';
import { londonDate, londonEndOfDay } from './london';
import { addWorkingDays } from './working-days';
import { addWorkingHours, workingDayHours } from './working-hours';

/**
 * When the decision on a referral is due: the end (23:59:59.999 London) of the next working day
 * after the London date on which the contact was received, whatever the hour of receipt (Friday
 * evening or Saturday → end of Monday, unless Monday is a bank holiday). With an area setting of 0
 * working days it is the end of the day of receipt, or of the next working day if that is not one.
 */
export function referralDecisionDue(contactReceivedAt: Date, settings: AreaCalendarSettings = defaultAreaCalendarSettings): Date {
  return londonEndOfDay(addWorkingDays(londonDate(contactReceivedAt), settings.referralDecisionWorkingDays));
}

/** The last day for completing the assessment: 45 working days (or the area's fewer) after the referral date. */
export function assessmentDue(referralDate: string, settings: AreaCalendarSettings = defaultAreaCalendarSettings): string {
  return addWorkingDays(referralDate, settings.assessmentWorkingDays);
}

/** The last day for the initial child protection conference: 15 working days (or fewer) after the last strategy discussion. */
export function initialConferenceDue(lastStrategyDiscussionDate: string, settings: AreaCalendarSettings = defaultAreaCalendarSettings): string {
  return addWorkingDays(lastStrategyDiscussionDate, settings.initialConferenceWorkingDays);
}

/**
 * The last day for the first review conference: 3 calendar months (or fewer) after the initial
 * conference, clamped to the month's end. Not moved off weekends or bank holidays: moving it later
 * would be laxer than statute.
 */
export function firstReviewConferenceDue(initialConferenceDate: string, settings: AreaCalendarSettings = defaultAreaCalendarSettings): string {
  assertCalendarDate(initialConferenceDate, 'initialConferenceDate');
  return addMonths(initialConferenceDate, settings.firstReviewMonths);
}

/** The last day for the next review conference: 6 calendar months (or fewer) after the previous review, clamped to the month's end. */
export function nextReviewConferenceDue(previousReviewDate: string, settings: AreaCalendarSettings = defaultAreaCalendarSettings): string {
  assertCalendarDate(previousReviewDate, 'previousReviewDate');
  return addMonths(previousReviewDate, settings.laterReviewMonths);
}

/**
 * When an agency's answer to a check of this priority is due, counted in the area's working hours
 * from the request. A working day is the length of the area's working day, so 1 working day from
 * Tuesday 14:00 is Wednesday 14:00.
 */
export function checkDeadline(priority: CheckPriority, requestedAt: Date, settings: AreaCalendarSettings = defaultAreaCalendarSettings): Date {
  const { amount, unit } = settings.checkDeadlines[priority];
  const hours = unit === 'workingHours' ? amount : amount * workingDayHours(settings.workingHours);
  return addWorkingHours(requestedAt, hours, settings.workingHours);
}
