// Between instants (JS Dates, UTC) and London wall-clock time, which moves between GMT and BST.
import { tzOffset } from '@date-fns/tz';
import { validationFailed } from '../server/errors';
import { assertCalendarDate } from './dates';

export const londonTimeZone = 'Europe/London';

const timeOfDayPattern = /^([01]\d|2[0-3]):[0-5]\d$/;
const msPerHour = 3_600_000;

/** How far London clocks are ahead of UTC at `utcMs`, in milliseconds: 0 (GMT) or one hour (BST). */
function londonOffset(utcMs: number): number {
  return tzOffset(londonTimeZone, new Date(utcMs)) * 60_000;
}

/** Whether `value` is a time of day written 'HH:MM' (00:00–23:59). */
export function isTimeOfDay(value: string): boolean {
  return timeOfDayPattern.test(value);
}

/** Throws a validation error naming `field` unless `value` is a time of day written 'HH:MM'. */
export function assertTimeOfDay(value: string, field: string): void {
  if (!isTimeOfDay(value)) throw validationFailed([{ field, message: `must be a time of day written HH:MM (24-hour), got "${value}"` }]);
}

/** The London calendar date ('YYYY-MM-DD') on which `instant` falls. */
export function londonDate(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw validationFailed([{ field: 'instant', message: 'must be a valid date and time' }]);
  return new Date(instant.getTime() + londonOffset(instant.getTime())).toISOString().slice(0, 10);
}

/**
 * The instant at which London clocks show `time` ('HH:MM', 24-hour) on `date`. The only times that
 * do not exist or occur twice are between 01:00 and 02:00 on the clock-change Sundays: a missing
 * time (March) moves an hour later, and a repeated one (October) means its first, BST, occurrence.
 */
export function londonInstant(date: string, time: string): Date {
  assertCalendarDate(date, 'date');
  assertTimeOfDay(time, 'time');
  const wallClock = Date.parse(`${date}T${time}:00Z`);
  const bstReading = wallClock - msPerHour;
  if (londonOffset(bstReading) === msPerHour) return new Date(bstReading);
  return new Date(wallClock); // GMT, or in the March gap the wall-clock time read as GMT (an hour later in BST)
}

/** The last millisecond of `date` in London (23:59:59.999 London time). */
export function londonEndOfDay(date: string): Date {
  return new Date(londonInstant(date, '23:59').getTime() + 59_999);
}

/**
 * Whether `now` is past `deadline`. A deadline given as a calendar date runs to the end of that day
 * in London; the deadline instant itself is still in time.
 */
export function isOverdue(deadline: Date | string, now: Date): boolean {
  const due = typeof deadline === 'string' ? londonEndOfDay(deadline) : deadline;
  return now.getTime() > due.getTime();
}
