import Holidays from 'date-holidays';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { addWorkingDays, bankHolidaysBetween, isWorkingDay, workingDaysBetween } from './working-days';

const invalid = (field: string) => expect.objectContaining({ code: 'validation_failed', fields: [expect.objectContaining({ field })] });
const calendarDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

describe('isWorkingDay', () => {
  it('is true on ordinary weekdays and false at weekends', () => {
    expect(isWorkingDay('2026-05-22')).toBe(true); // Friday
    expect(isWorkingDay('2026-05-23')).toBe(false); // Saturday
    expect(isWorkingDay('2026-05-24')).toBe(false); // Sunday
    expect(isWorkingDay('2026-05-26')).toBe(true); // Tuesday
  });

  it('is false on England-and-Wales bank holidays', () => {
    expect(isWorkingDay('2026-05-25')).toBe(false); // Spring bank holiday
    expect(isWorkingDay('2026-04-03')).toBe(false); // Good Friday
    expect(isWorkingDay('2026-04-06')).toBe(false); // Easter Monday
    expect(isWorkingDay('2026-08-31')).toBe(false); // Summer bank holiday
    expect(isWorkingDay('2026-12-25')).toBe(false); // Christmas Day (Friday)
    expect(isWorkingDay('2026-12-28')).toBe(false); // Boxing Day substitute (Monday)
    expect(isWorkingDay('2026-12-24')).toBe(true); // Christmas Eve is not a bank holiday
    expect(isWorkingDay('2026-12-29')).toBe(true);
  });

  it('knows substitute days and one-off bank holidays', () => {
    expect(isWorkingDay('2027-12-27')).toBe(false); // Christmas Day substitute
    expect(isWorkingDay('2027-12-28')).toBe(false); // Boxing Day substitute
    expect(isWorkingDay('2022-01-03')).toBe(false); // New Year's Day substitute
    expect(isWorkingDay('2022-06-03')).toBe(false); // Platinum Jubilee
    expect(isWorkingDay('2022-09-19')).toBe(false); // State funeral of Queen Elizabeth II
    expect(isWorkingDay('2023-05-08')).toBe(false); // Coronation of King Charles III
    expect(isWorkingDay('2020-05-08')).toBe(false); // Early May bank holiday moved for VE Day
    expect(isWorkingDay('2020-05-04')).toBe(true); // … so the first Monday of May 2020 was a working day
  });

  it('refuses a date that is not YYYY-MM-DD or does not exist', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(invalid('date'));
    expect(() => isWorkingDay('22/05/2026')).toThrow(invalid('date'));
  });

  it('computes each year’s bank holidays once', () => {
    const getHolidays = vi.spyOn(Holidays.prototype, 'getHolidays');
    isWorkingDay('2099-06-01');
    isWorkingDay('2099-12-25');
    expect(getHolidays).toHaveBeenCalledTimes(1);
    getHolidays.mockRestore();
  });
});

describe('bankHolidaysBetween', () => {
  it('lists the eight bank holidays of 2026 with their names', () => {
    expect(bankHolidaysBetween('2026-01-01', '2026-12-31')).toEqual([
      { date: '2026-01-01', name: "New Year's Day" },
      { date: '2026-04-03', name: 'Good Friday' },
      { date: '2026-04-06', name: 'Easter Monday' },
      { date: '2026-05-04', name: 'Early May bank holiday' },
      { date: '2026-05-25', name: 'Spring bank holiday' },
      { date: '2026-08-31', name: 'Summer bank holiday' },
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
    ]);
  });

  it('spans years, includes both ends, and lists substitutes rather than weekend days', () => {
    expect(bankHolidaysBetween('2022-12-25', '2023-01-02')).toEqual([
      { date: '2022-12-26', name: 'Boxing Day' },
      { date: '2022-12-27', name: 'Christmas Day (substitute day)' },
      { date: '2023-01-02', name: "New Year's Day (substitute day)" },
    ]);
  });

  it('includes one-off days', () => {
    expect(bankHolidaysBetween('2023-05-01', '2023-05-31')).toEqual([
      { date: '2023-05-01', name: 'Early May bank holiday' },
      { date: '2023-05-08', name: "King Charles III's Coronation" },
      { date: '2023-05-29', name: 'Spring bank holiday' },
    ]);
  });

  it('is empty when there are none or the range is back to front', () => {
    expect(bankHolidaysBetween('2026-06-01', '2026-08-30')).toEqual([]);
    expect(bankHolidaysBetween('2026-12-31', '2026-01-01')).toEqual([]);
  });

  it('names the bad argument', () => {
    expect(() => bankHolidaysBetween('2026-01-01', '2026-13-01')).toThrow(invalid('to'));
  });
});

describe('addWorkingDays', () => {
  it('counts forward from the day after the date', () => {
    expect(addWorkingDays('2026-05-19', 1)).toBe('2026-05-20'); // Tuesday → Wednesday
    expect(addWorkingDays('2026-05-15', 1)).toBe('2026-05-18'); // Friday → Monday
    expect(addWorkingDays('2026-05-22', 1)).toBe('2026-05-26'); // Friday → Tuesday over the bank holiday
    expect(addWorkingDays('2026-05-23', 1)).toBe('2026-05-26'); // Saturday → Tuesday
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-29'); // Thursday → Tuesday over Christmas
    expect(addWorkingDays('2026-12-23', 2)).toBe('2026-12-29');
  });

  it('with n = 0 gives the date itself if it is a working day, otherwise the next one', () => {
    expect(addWorkingDays('2026-05-26', 0)).toBe('2026-05-26');
    expect(addWorkingDays('2026-05-23', 0)).toBe('2026-05-26'); // Saturday
    expect(addWorkingDays('2026-05-25', 0)).toBe('2026-05-26'); // bank holiday
  });

  it('adds 45 working days across Christmas and New Year', () => {
    // 1 Dec 2025 + 45: nine weeks of weekdays reach Mon 2 Feb, and 25 Dec, 26 Dec and 1 Jan push it three days on.
    expect(addWorkingDays('2025-12-01', 45)).toBe('2026-02-05');
    // 16 Nov 2026 + 45: nine weeks reach Mon 18 Jan 2027; 25 Dec, 28 Dec (substitute) and 1 Jan push it to Thursday.
    expect(addWorkingDays('2026-11-16', 45)).toBe('2027-01-21');
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-05-19', -1)).toThrow(invalid('n'));
    expect(() => addWorkingDays('2026-05-19', 1.5)).toThrow(invalid('n'));
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after `from` up to and including `to`', () => {
    expect(workingDaysBetween('2026-05-19', '2026-05-19')).toBe(0);
    expect(workingDaysBetween('2026-05-19', '2026-05-20')).toBe(1);
    expect(workingDaysBetween('2026-05-22', '2026-05-25')).toBe(0); // Friday → bank-holiday Monday
    expect(workingDaysBetween('2026-05-22', '2026-05-26')).toBe(1);
    expect(workingDaysBetween('2025-12-01', '2026-02-05')).toBe(45);
  });

  it('is negative when `to` is before `from`', () => {
    expect(workingDaysBetween('2026-05-26', '2026-05-22')).toBe(-1);
  });

  it('finds 253 working days in 2026 (261 weekdays less 8 bank holidays)', () => {
    expect(workingDaysBetween('2025-12-31', '2026-12-31')).toBe(253);
  });
});

describe('working-day properties', () => {
  it('addWorkingDays always lands on a working day, never before the date', () => {
    fc.assert(
      fc.property(calendarDate, fc.integer({ min: 0, max: 60 }), (date, n) => {
        const result = addWorkingDays(date, n);
        expect(isWorkingDay(result)).toBe(true);
        expect(n === 0 ? result >= date : result > date).toBe(true);
      }),
    );
  });

  it('workingDaysBetween undoes addWorkingDays (from a working day, or for n ≥ 1 from any day)', () => {
    fc.assert(
      fc.property(calendarDate, fc.integer({ min: 0, max: 60 }), (date, n) => {
        fc.pre(n >= 1 || isWorkingDay(date));
        expect(workingDaysBetween(date, addWorkingDays(date, n))).toBe(n);
      }),
    );
  });

  it('workingDaysBetween adds up over consecutive spans', () => {
    fc.assert(
      fc.property(calendarDate, fc.integer({ min: -40, max: 40 }), fc.integer({ min: -40, max: 40 }), (a, x, y) => {
        const b = new Date(Date.parse(a) + x * 86_400_000).toISOString().slice(0, 10);
        const c = new Date(Date.parse(b) + y * 86_400_000).toISOString().slice(0, 10);
        expect(workingDaysBetween(a, b) + workingDaysBetween(b, c)).toBe(workingDaysBetween(a, c));
      }),
    );
  });

  it('every year has at least the eight regular bank holidays, all on weekdays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1980, max: 2090 }), (year) => {
        const holidays = bankHolidaysBetween(`${year}-01-01`, `${year}-12-31`);
        expect(holidays.length).toBeGreaterThanOrEqual(8);
        for (const { date } of holidays) expect([0, 6]).not.toContain(new Date(date).getUTCDay());
      }),
    );
  });
});
