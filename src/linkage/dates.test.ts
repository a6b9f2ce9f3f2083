import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactDate, dayNumber, makeDate, parseDate, parseYear } from './dates';

describe('parseDate', () => {
  it('reads ISO, compact and British dates', () => {
    expect(parseDate('2015-03-03')).toEqual({ year: 2015, month: 3, day: 3 });
    expect(parseDate('2015-03-03T10:00:00Z')).toEqual({ year: 2015, month: 3, day: 3 });
    expect(parseDate('19151111')).toEqual({ year: 1915, month: 11, day: 11 });
    expect(parseDate('03/04/2012')).toEqual({ year: 2012, month: 4, day: 3 });
    expect(parseDate(' 3/4/2012 ')).toEqual({ year: 2012, month: 4, day: 3 });
  });

  it('treats impossible or unknown dates as missing', () => {
    for (const text of ['', 'unknown', '2015-02-29', '19991301', '31/04/2020', '00/01/2020', '1700-01-01', '2015/03/03', '201503']) {
      expect(parseDate(text), text).toBeNull();
    }
    expect(parseDate('2016-02-29')).toEqual({ year: 2016, month: 2, day: 29 });
  });

  it('never throws, and returns missing or a real calendar date', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const date = parseDate(text);
        if (date === null) return true;
        return makeDate(date.year, date.month, date.day) !== null;
      }),
    );
  });

  it('reads back every date it writes', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1850-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }), (instant) => {
        const date = { year: instant.getUTCFullYear(), month: instant.getUTCMonth() + 1, day: instant.getUTCDate() };
        expect(parseDate(compactDate(date))).toEqual(date);
        expect(dayNumber(date)).toBe(Math.floor(instant.getTime() / 86_400_000));
      }),
    );
  });
});

describe('parseYear', () => {
  it('accepts four-digit years in range only', () => {
    expect(parseYear('1984')).toBe(1984);
    expect(parseYear('84')).toBe(0);
    expect(parseYear('3000')).toBe(0);
    fc.assert(fc.property(fc.string(), (text) => parseYear(text) === 0 || (parseYear(text) >= 1850 && parseYear(text) <= 2100)));
  });
});
