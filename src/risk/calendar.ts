// Calendar dates for risk rules, as whole days (days since 1970-01-01) so that windows are plain
// integer comparisons. Integer arithmetic rather than date-fns or Date objects, because pattern
// flags must be computed for hundreds of events in well under a millisecond.
import { isValidCalendarDate } from '../chronology/dates';
import { civilFromDay, dayFromCivil, isoOfDay, type Day } from '../calendar/day-numbers';

/** A calendar date written 'YYYY-MM-DD' (a day in England, not an instant). */
export type CalendarDate = string;

export type { Day };

const msPerDay = 86_400_000;
const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const civil = civilFromDay;

export function dayOf(date: CalendarDate): Day {
  if (!isValidCalendarDate(date)) throw new RangeError(`Not a calendar date: "${date}"`);
  return dayFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

export const dateOf: (day: Day) => CalendarDate = isoOfDay;

/**
 * The day `months` calendar months after `day` (before it when negative), clamped to the end of
 * a shorter month: 29 Feb 2024 minus 12 months is 28 Feb 2023.
 */
export function addMonths(day: Day, months: number): Day {
  const c = civil(day);
  const index = c.year * 12 + c.month - 1 + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const daysInMonth = dayFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - dayFromCivil(year, month, 1);
  return dayFromCivil(year, month, Math.min(c.day, daysInMonth));
}

/**
 * The first day of the `months` calendar months up to and including `end`: the same date
 * `months` earlier. So 12 months back from 14 Mar 2026 starts on 14 Mar 2025, 365 days before;
 * across a 29 February it is 366 days before.
 */
export function windowStart(end: Day, months: number): Day {
  return addMonths(end, -months);
}

/** Whether `day` is within the `months` calendar months up to and including `end`. */
export function isWithinMonthsTo(day: Day, end: Day, months: number): boolean {
  return day <= end && day >= windowStart(end, months);
}

// British Summer Time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
// Sunday of October (the rule since 1996), cached per year.
const summerTime = new Map<number, readonly [number, number]>();

function lastSundayAt1amUtc(year: number, month: number): number {
  const last = month === 12 ? dayFromCivil(year + 1, 1, 1) - 1 : dayFromCivil(year, month + 1, 1) - 1;
  const weekday = (((last + 4) % 7) + 7) % 7; // 1 January 1970 was a Thursday; 0 is Sunday
  return (last - weekday) * msPerDay + 3_600_000;
}

/** The London calendar day on which `instant` falls. */
export function londonDay(instant: Date): Day {
  const ms = instant.getTime();
  const year = instant.getUTCFullYear();
  let bst = summerTime.get(year);
  if (!bst) {
    bst = [lastSundayAt1amUtc(year, 3), lastSundayAt1amUtc(year, 10)];
    summerTime.set(year, bst);
  }
  const offset = ms >= bst[0] && ms < bst[1] ? 3_600_000 : 0;
  return Math.floor((ms + offset) / msPerDay);
}

/** "14 March 2026" */
export function longDate(day: Day): string {
  const c = civil(day);
  return `${c.day} ${monthNames[c.month - 1]} ${c.year}`;
}

/** "14 Mar", with the year added when it is not `yearOf`'s year: "3 Nov 2025". */
export function shortDate(day: Day, yearOf: Day): string {
  const c = civil(day);
  const short = `${c.day} ${monthNames[c.month - 1]?.slice(0, 3)}`;
  return c.year === civil(yearOf).year ? short : `${short} ${c.year}`;
}
