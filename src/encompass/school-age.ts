// Compulsory-school-age-and-beyond for Operation Encompass: from reception to 17. In England a
// child starts reception in the school year (1 September to 31 August) in which they turn 5, and
// Encompass covers them until their 18th birthday.
import { assertCalendarDate } from '../calendar/dates';

/** 1 September of the school year in which a child born on `dateOfBirth` turns 5. */
export function receptionStartDate(dateOfBirth: string): string {
  assertCalendarDate(dateOfBirth, 'dateOfBirth');
  const year = Number(dateOfBirth.slice(0, 4));
  const month = Number(dateOfBirth.slice(5, 7));
  // Born September to December: the fifth birthday falls after 1 September of that year.
  return `${month >= 9 ? year + 5 : year + 4}-09-01`;
}

/** Whole years of age on `date`; someone born on 29 February turns a year older on 1 March in other years. */
export function ageInYearsOn(dateOfBirth: string, date: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * Whether a child born on `dateOfBirth` is of school age for Operation Encompass on `date`: in
 * or after their reception year, and not yet 18. No date of birth (an unborn child) is not.
 */
export function schoolAgeOn(dateOfBirth: string | null, date: string): boolean {
  assertCalendarDate(date, 'date');
  if (dateOfBirth === null) return false;
  return date >= receptionStartDate(dateOfBirth) && ageInYearsOn(dateOfBirth, date) < 18;
}
