// Working days in England: Monday to Friday, except England-and-Wales bank holidays. The bank
// holidays come from the maintained `date-holidays` data (substitute days and one-off days such as
// 8 May 2023 included), computed once per year.
import Holidays from 'date-holidays';
import { validationFailed } from '../server/errors';
import { addDays, assertCalendarDate, dayOfWeek } from './dates';

export interface BankHoliday {
  date: string;
  name: string;
}

const england = new Holidays('GB', 'ENG', { languages: ['en'], types: ['public'] });
const bankHolidaysByYear = new Map<number, Map<string, string>>();

/** Weekday bank holidays of `year`, date → name (a holiday on a weekend is replaced by its substitute day). */
function bankHolidaysOf(year: number): Map<string, string> {
  let holidays = bankHolidaysByYear.get(year);
  if (!holidays) {
    holidays = new Map();
    for (const holiday of england.getHolidays(year)) {
      const date = holiday.date.slice(0, 10);
      if (!isWeekend(date)) holidays.set(date, holiday.name);
    }
    bankHolidaysByYear.set(year, holidays);
  }
  return holidays;
}

function isWeekend(date: string): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}

function isWorkingDayUnchecked(date: string): boolean {
  return !isWeekend(date) && !bankHolidaysOf(Number(date.slice(0, 4))).has(date);
}

/** Whether `date` is a working day in England (not a weekend, not a bank holiday). */
export function isWorkingDay(date: string): boolean {
  assertCalendarDate(date, 'date');
  return isWorkingDayUnchecked(date);
}

/** The bank holidays from `from` to `to`, both included, in date order; weekend days are not listed, their substitutes are. */
export function bankHolidaysBetween(from: string, to: string): BankHoliday[] {
  assertCalendarDate(from, 'from');
  assertCalendarDate(to, 'to');
  const found: BankHoliday[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const [date, name] of bankHolidaysOf(year)) {
      if (date >= from && date <= to) found.push({ date, name });
    }
  }
  return found.sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The `n`th working day after `date`, never counting `date` itself (Friday + 1 is Monday; Saturday
 * + 1 is also Monday). n = 0 gives `date` itself when it is a working day, otherwise the next one.
 */
export function addWorkingDays(date: string, n: number): string {
  assertCalendarDate(date, 'date');
  if (!Number.isInteger(n) || n < 0) throw validationFailed([{ field: 'n', message: `must be a whole number of working days, 0 or more, got ${n}` }]);
  let day = date;
  if (n === 0) {
    while (!isWorkingDayUnchecked(day)) day = addDays(day, 1);
    return day;
  }
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    if (isWorkingDayUnchecked(day)) counted++;
  }
  return day;
}

/**
 * The number of working days after `from` up to and including `to`: how many working days have
 * passed (Friday → Monday is 1). Negative when `to` is before `from`. For a working day d,
 * workingDaysBetween(d, addWorkingDays(d, n)) is n.
 */
export function workingDaysBetween(from: string, to: string): number {
  assertCalendarDate(from, 'from');
  assertCalendarDate(to, 'to');
  const [earlier, later, sign] = to < from ? [to, from, -1] : [from, to, 1];
  let count = 0;
  for (let day = addDays(earlier, 1); day <= later; day = addDays(day, 1)) {
    if (isWorkingDayUnchecked(day)) count += sign;
  }
  return count;
}
