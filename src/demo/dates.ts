// Calendar arithmetic for the generator on whole days (days since 1970-01-01), which is fast
// enough for millions of dates and cannot drift with time zones.

import { civilFromDay, dayFromCivil, dayOfIso, isoOfDay, type CivilDate, type Day } from '../calendar/day-numbers';

export type { CivilDate, Day };
export const dayOf = dayFromCivil;
export const civilOf = civilFromDay;

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

// Dates repeat endlessly in generated rows; sharing one string per day keeps the loader's
// buffers small and the garbage collector idle.
const isoCacheStart = dayOf(1900, 1, 1);
const isoCache: (string | undefined)[] = [];

export function isoDate(dayNumber: Day): string {
  const slot = dayNumber - isoCacheStart;
  const cached = isoCache[slot];
  if (cached !== undefined) return cached;
  const text = isoOfDay(dayNumber);
  if (slot >= 0 && slot < 80_000) isoCache[slot] = text;
  return text;
}

/** Parses 'YYYY-MM-DD'; null when it is not a real calendar date. */
export const parseIsoDate = dayOfIso;

/** The same calendar date `years` later (29 February falls back to the 28th). */
export function addYears(dayNumber: Day, years: number): Day {
  const { year, month, day } = civilOf(dayNumber);
  const target = dayOf(year + years, month, day);
  return civilOf(target).day === day ? target : dayOf(year + years, month, 28);
}

/** Age in whole years on a given day. */
export function ageOn(birth: Day, on: Day): number {
  const b = civilOf(birth);
  const o = civilOf(on);
  const age = o.year - b.year;
  return o.month < b.month || (o.month === b.month && o.day < b.day) ? age - 1 : age;
}

export const daysPerYear = 365.25;

/** A span of years as whole days, for date arithmetic that must stay on whole days. */
export function years(count: number): Day {
  return Math.round(count * daysPerYear);
}

const lastSundayCache = new Map<number, [Day, Day]>();

/** British Summer Time runs from the last Sunday of March to the last Sunday of October. */
function summerTime(year: number): [Day, Day] {
  let cached = lastSundayCache.get(year);
  if (!cached) {
    const lastSunday = (month: number) => {
      const last = dayOf(year, month, 31);
      const weekday = (last + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
      return last - weekday;
    };
    cached = [lastSunday(3), lastSunday(10)];
    lastSundayCache.set(year, cached);
  }
  return cached;
}

// Rows are stamped on the hour (records at 10:00, people at 09:00), so those strings are shared.
const onTheHour = new Map<number, string>();

/**
 * The UTC instant (ISO text) of a local time in England. The clocks change at 01:00 UTC; the
 * generator treats the whole changeover day as the later offset, which is close enough here.
 */
export function londonInstant(dayNumber: Day, minuteOfDay: number): string {
  const hourly = minuteOfDay % 60 === 0 && minuteOfDay >= 0 && minuteOfDay < 1440;
  const key = dayNumber * 24 + minuteOfDay / 60;
  if (hourly) {
    const cached = onTheHour.get(key);
    if (cached !== undefined) return cached;
  }
  const text = utcInstant(dayNumber, minuteOfDay);
  if (hourly) onTheHour.set(key, text);
  return text;
}

function utcInstant(dayNumber: Day, minuteOfDay: number): string {
  const { year } = civilOf(dayNumber);
  const [start, end] = summerTime(year);
  const offset = dayNumber >= start && dayNumber < end ? 60 : 0;
  const utcMinutes = dayNumber * 1440 + Math.floor(minuteOfDay) - offset;
  const utcDay = Math.floor(utcMinutes / 1440);
  const minute = utcMinutes - utcDay * 1440;
  return `${isoDate(utcDay)}T${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}:00Z`;
}

/** Day of the week, 0 = Sunday … 6 = Saturday. */
export function weekday(dayNumber: Day): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** Today's date in England, as 'YYYY-MM-DD'. */
export function todayInEngland(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
