import type { DateParts } from './types';

// Dates of birth outside this range are data-entry errors, not people.
const MIN_YEAR = 1850;
const MAX_YEAR = 2100;

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const BRITISH = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The parts if they make a real calendar date in range, else null. */
export function makeDate(year: number, month: number, day: number): DateParts | null {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return null;
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/**
 * Parses ISO (yyyy-mm-dd, with or without a time), compact (yyyymmdd) and British (dd/mm/yyyy)
 * dates. Anything else, or an impossible date, is missing (null): a wrong date must never look
 * like evidence.
 */
export function parseDate(text: string): DateParts | null {
  const value = text.trim();
  const match = ISO.exec(value) ?? COMPACT.exec(value);
  if (match) return makeDate(Number(match[1]), Number(match[2]), Number(match[3]));
  const british = BRITISH.exec(value);
  if (british) return makeDate(Number(british[3]), Number(british[2]), Number(british[1]));
  return null;
}

/** A four-digit year in range, else 0 (unknown). */
export function parseYear(text: string): number {
  const value = text.trim();
  if (!/^\d{4}$/.test(value)) return 0;
  const year = Number(value);
  return year >= MIN_YEAR && year <= MAX_YEAR ? year : 0;
}

/** Days since 1 January 1970, for "how far apart" comparisons (plain arithmetic: no Date objects in the hot loop). */
export function dayNumber(date: DateParts): number {
  // Counting years from March puts the leap day at the end of the year.
  const year = date.month <= 2 ? date.year - 1 : date.year;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const monthFromMarch = (date.month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + date.day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** yyyymmdd, the form blocking keys and digit comparisons use. */
export function compactDate(date: DateParts): string {
  return `${date.year}${String(date.month).padStart(2, '0')}${String(date.day).padStart(2, '0')}`;
}
