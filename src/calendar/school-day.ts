// Operation Encompass: the school's designated safeguarding lead must be told of a domestic abuse
// incident before the start of the next school day.
import { defaultSchoolDayStart } from './area-settings';
import { addDays, assertCalendarDate } from './dates';
import { assertTimeOfDay, londonDate, londonInstant } from './london';
import { isWorkingDay } from './working-days';

export interface SchoolDayOptions {
  /** When the school day starts, 'HH:MM' London time. */
  schoolDayStart: string;
  /** Extra days the school is closed ('YYYY-MM-DD'): INSET days, school holidays. */
  nonSchoolDays?: readonly string[];
}

/**
 * The start of the next school day after `notifiedAt`: that same day's start if notified on a
 * school day before the start time, otherwise the next school day's start. Notified at the start
 * time exactly, the day has begun, so it is the following school day. Weekends and bank holidays
 * are never school days. The school must be told before the returned instant.
 */
export function nextSchoolDayStart(notifiedAt: Date, options: SchoolDayOptions = { schoolDayStart: defaultSchoolDayStart }): Date {
  assertTimeOfDay(options.schoolDayStart, 'schoolDayStart');
  const closed = options.nonSchoolDays ?? [];
  closed.forEach((date, index) => assertCalendarDate(date, `nonSchoolDays.${index}`));
  const closedDays = new Set(closed);
  for (let day = londonDate(notifiedAt); ; day = addDays(day, 1)) {
    const start = londonInstant(day, options.schoolDayStart);
    if (notifiedAt < start && isWorkingDay(day) && !closedDays.has(day)) return start;
  }
}
