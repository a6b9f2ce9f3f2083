import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './dates';
import { londonDate, londonInstant } from './london';
import { nextSchoolDayStart } from './school-day';
import { isWorkingDay } from './working-days';

const next = (iso: string, schoolDayStart = '08:30', nonSchoolDays?: string[]) =>
  nextSchoolDayStart(new Date(iso), { schoolDayStart, nonSchoolDays }).toISOString();

describe('nextSchoolDayStart (Operation Encompass)', () => {
  it('Friday evening before a bank-holiday Monday → Tuesday 08:30', () => {
    // Fri 22 May 2026 19:30 BST; Mon 25 May is the Spring bank holiday.
    expect(next('2026-05-22T18:30:00Z')).toBe('2026-05-26T07:30:00.000Z'); // Tue 26 May 08:30 BST
  });

  it('Christmas Eve evening 2026 → Tuesday 29 December (25, 26, 27 and the substitute 28th are not school days)', () => {
    expect(next('2026-12-24T20:00:00Z')).toBe('2026-12-29T08:30:00.000Z'); // 08:30 GMT
  });

  it('before the start on a school day → that day’s start', () => {
    expect(next('2026-07-14T06:00:00Z')).toBe('2026-07-14T07:30:00.000Z'); // Tue 07:00 BST → 08:30 BST
    expect(next('2026-07-14T07:29:59.999Z')).toBe('2026-07-14T07:30:00.000Z');
    expect(next('2026-07-13T23:30:00Z')).toBe('2026-07-14T07:30:00.000Z'); // Tue 00:30 BST (Monday in UTC)
  });

  it('exactly at the start time, the day has begun → the next school day', () => {
    expect(next('2026-07-14T07:30:00Z')).toBe('2026-07-15T07:30:00.000Z'); // Tue 08:30 BST → Wed 08:30 BST
  });

  it('during or after the school day → the next school day', () => {
    expect(next('2026-07-14T11:00:00Z')).toBe('2026-07-15T07:30:00.000Z');
    expect(next('2026-07-17T11:00:00Z')).toBe('2026-07-20T07:30:00.000Z'); // Friday → Monday
  });

  it('over the clock-change weekends', () => {
    expect(next('2026-03-28T22:00:00Z')).toBe('2026-03-30T07:30:00.000Z'); // Sat 22:00 GMT → Mon 08:30 BST
    expect(next('2026-03-29T00:30:00Z')).toBe('2026-03-30T07:30:00.000Z'); // Sun 00:30 GMT, just before the change
    expect(next('2026-10-24T19:00:00Z')).toBe('2026-10-26T08:30:00.000Z'); // Sat 20:00 BST → Mon 08:30 GMT
    expect(next('2026-10-23T18:00:00Z')).toBe('2026-10-26T08:30:00.000Z'); // Fri 19:00 BST → Mon 08:30 GMT
  });

  it('skips the school’s own closures such as INSET days', () => {
    // Sun 30 Aug 2026; Mon 31 Aug is the Summer bank holiday and Tue 1 Sep an INSET day.
    expect(next('2026-08-30T12:00:00Z', '08:30', ['2026-09-01'])).toBe('2026-09-02T07:30:00.000Z');
    expect(next('2026-08-30T12:00:00Z')).toBe('2026-09-01T07:30:00.000Z');
  });

  it('uses the area’s school-day start', () => {
    expect(next('2026-07-14T07:40:00Z', '08:45')).toBe('2026-07-14T07:45:00.000Z'); // 08:40 BST is before 08:45
  });

  it('names bad options', () => {
    expect(() => next('2026-07-14T07:40:00Z', '8.45')).toThrow(expect.objectContaining({ fields: [expect.objectContaining({ field: 'schoolDayStart' })] }));
    expect(() => next('2026-07-14T07:40:00Z', '08:30', ['2026-09-31'])).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'nonSchoolDays.0' })] }),
    );
  });

  it('is always after the notification, at the start time of a working day, with no earlier school-day start between', () => {
    const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true });
    const time = fc.tuple(fc.integer({ min: 5, max: 10 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(instant, time, (notifiedAt, schoolDayStart) => {
        const start = nextSchoolDayStart(notifiedAt, { schoolDayStart });
        const day = londonDate(start);
        expect(start.getTime()).toBeGreaterThan(notifiedAt.getTime());
        expect(isWorkingDay(day)).toBe(true);
        expect(start).toEqual(londonInstant(day, schoolDayStart));
        for (let earlier = londonDate(notifiedAt); earlier < day; earlier = addDays(earlier, 1)) {
          expect(isWorkingDay(earlier) && londonInstant(earlier, schoolDayStart) > notifiedAt).toBe(false);
        }
      }),
    );
  });
});
