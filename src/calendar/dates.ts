// Arithmetic on calendar dates ('YYYY-MM-DD' strings). No time zone is involved: a calendar date
// is a day, not an instant, so the arithmetic runs on UTC midnights and never shifts.
import { isValidCalendarDate } from '../chronology/dates';
import { validationFailed } from '../server/errors';

const msPerDay = 86_400_000;

/** Throws a validation error naming `field` unless `value` is a real 'YYYY-MM-DD' date (1900–2100). */
export function assertCalendarDate(value: string, field: string): void {
  if (!isValidCalendarDate(value)) {
    throw validationFailed([{ field, message: `must be a calendar date written YYYY-MM-DD between 1900 and 2100, got "${value}"` }]);
  }
}

function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(utcMidnight: Date): string {
  return utcMidnight.toISOString().slice(0, 10);
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  return fromUtc(new Date(toUtc(date).getTime() + days * msPerDay));
}

/** Day of the week of `date`: 0 is Sunday, 6 is Saturday. */
export function dayOfWeek(date: string): number {
  return toUtc(date).getUTCDay();
}

/** The date `months` calendar months after `date`, clamped to the month's end (31 Aug + 6 → 28 or 29 Feb). */
export function addMonths(date: string, months: number): string {
  const start = toUtc(date);
  const firstOfTarget = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  const daysInTarget = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
  firstOfTarget.setUTCDate(Math.min(start.getUTCDate(), daysInTarget));
  return fromUtc(firstOfTarget);
}
