import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../calendar/dates';
import { ageInYearsOn, receptionStartDate, schoolAgeOn } from './school-age';

describe('school age for Operation Encompass (reception to 17)', () => {
  it('starts on 1 September of the school year in which the child turns 5', () => {
    // Born 31 August: the youngest in the year, starting reception just after turning 4.
    expect(receptionStartDate('2021-08-31')).toBe('2025-09-01');
    // Born 1 September: the oldest in the next year, starting reception at 5.
    expect(receptionStartDate('2021-09-01')).toBe('2026-09-01');
    expect(receptionStartDate('2020-12-31')).toBe('2025-09-01');
    expect(receptionStartDate('2021-01-01')).toBe('2025-09-01');
    expect(schoolAgeOn('2021-08-31', '2025-08-31')).toBe(false);
    expect(schoolAgeOn('2021-08-31', '2025-09-01')).toBe(true);
    expect(schoolAgeOn('2021-09-01', '2026-08-31')).toBe(false);
    expect(schoolAgeOn('2021-09-01', '2026-09-01')).toBe(true);
  });

  it('covers 17-year-olds up to the day before their 18th birthday', () => {
    expect(schoolAgeOn('2008-05-23', '2026-05-22')).toBe(true);
    expect(schoolAgeOn('2008-05-23', '2026-05-23')).toBe(false);
    expect(schoolAgeOn('2000-01-01', '2026-05-23')).toBe(false);
  });

  it('turns a child born on 29 February 18 on 1 March in a common year', () => {
    expect(ageInYearsOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(schoolAgeOn('2008-02-29', '2026-02-28')).toBe(true);
    expect(schoolAgeOn('2008-02-29', '2026-03-01')).toBe(false);
    expect(receptionStartDate('2020-02-29')).toBe('2024-09-01');
  });

  it('does not count an unborn child or one born after the date', () => {
    expect(schoolAgeOn(null, '2026-05-22')).toBe(false);
    expect(schoolAgeOn('2027-01-01', '2026-05-22')).toBe(false);
  });

  it('refuses dates that are not calendar dates, naming the field', () => {
    expect(() => schoolAgeOn('2010-02-30', '2026-05-22')).toThrow(/dateOfBirth/);
    expect(() => schoolAgeOn('2010-02-01', '22/05/2026')).toThrow(/date/);
  });

  it('holds for every birthday: school age exactly from reception to the 18th birthday', () => {
    const day = fc.integer({ min: 0, max: 365 * 30 }).map((n) => addDays('1995-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 365 * 20 }), (dateOfBirth, offset) => {
        const date = addDays(dateOfBirth, offset);
        if (date > '2100-12-31') return;
        // Independently: has the child turned 5 by the end of this school year (31 August)?
        const year = Number(date.slice(0, 4)) + (Number(date.slice(5, 7)) >= 9 ? 1 : 0);
        const fiveBySchoolYearEnd = ageInYearsOn(dateOfBirth, `${year}-08-31`) >= 5;
        expect(schoolAgeOn(dateOfBirth, date)).toBe(fiveBySchoolYearEnd && ageInYearsOn(dateOfBirth, date) < 18);
        // Reception starts between the 4th and 5th birthdays.
        const start = receptionStartDate(dateOfBirth);
        expect(ageInYearsOn(dateOfBirth, start)).toBeGreaterThanOrEqual(4);
        expect(ageInYearsOn(dateOfBirth, start)).toBeLessThanOrEqual(5);
      }),
    );
  });
});
