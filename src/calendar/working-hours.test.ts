import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { londonDate, londonInstant } from './london';
import { isWorkingDay } from './working-days';
import { addWorkingHours, workingDayHours } from './working-hours';

const invalid = (field: string) => expect.objectContaining({ code: 'validation_failed', fields: [expect.objectContaining({ field })] });
const add = (iso: string, hours: number, options?: { dayStart: string; dayEnd: string }) => addWorkingHours(new Date(iso), hours, options).toISOString();

describe('addWorkingHours (09:00–17:00 London)', () => {
  it('adds hours within one working day, in BST and in GMT', () => {
    expect(add('2026-07-14T09:00:00Z', 4)).toBe('2026-07-14T13:00:00.000Z'); // Tue 10:00 BST → 14:00 BST
    expect(add('2026-01-13T10:00:00Z', 4)).toBe('2026-01-13T14:00:00.000Z'); // Tue 10:00 GMT → 14:00 GMT
    expect(add('2026-07-14T09:00:00Z', 0.5)).toBe('2026-07-14T09:30:00.000Z');
  });

  it('stops at the day’s end when the hours run out exactly there', () => {
    expect(add('2026-07-14T12:00:00Z', 4)).toBe('2026-07-14T16:00:00.000Z'); // Tue 13:00 BST → 17:00 BST
  });

  it('starts counting at the next opening when given a time outside working hours', () => {
    expect(add('2026-07-14T05:00:00Z', 1)).toBe('2026-07-14T09:00:00.000Z'); // Tue 06:00 BST → 10:00 BST
    expect(add('2026-07-14T19:00:00Z', 1)).toBe('2026-07-15T09:00:00.000Z'); // Tue 20:00 BST → Wed 10:00 BST
    expect(add('2026-07-14T16:00:00Z', 1)).toBe('2026-07-15T09:00:00.000Z'); // Tue 17:00 BST exactly → Wed 10:00 BST
  });

  it('with 0 hours gives the instant itself in working hours, else the next opening', () => {
    expect(add('2026-07-14T10:15:00Z', 0)).toBe('2026-07-14T10:15:00.000Z');
    expect(add('2026-07-14T16:00:00Z', 0)).toBe('2026-07-15T08:00:00.000Z'); // 17:00 is closed: Wed 09:00 BST
  });

  it('spans a weekend', () => {
    expect(add('2026-07-17T14:00:00Z', 4)).toBe('2026-07-20T10:00:00.000Z'); // Fri 15:00 BST: 2 h Fri, 2 h Mon → 11:00 BST
  });

  it('spans a weekend and a bank holiday', () => {
    // Fri 22 May 2026 15:00 BST: 2 h on Friday; Sat, Sun and Monday 25 (Spring bank holiday) skipped; 2 h on Tuesday.
    expect(add('2026-05-22T14:00:00Z', 4)).toBe('2026-05-26T10:00:00.000Z');
    // Thu 24 Dec 2026 16:00 GMT: 1 h on Thursday; 25–28 Dec skipped; 3 h on Tue 29 Dec → 12:00 GMT.
    expect(add('2026-12-24T16:00:00Z', 4)).toBe('2026-12-29T12:00:00.000Z');
  });

  it('spans the clock changes on the last Sundays of March and October', () => {
    expect(add('2026-03-27T15:00:00Z', 4)).toBe('2026-03-30T10:00:00.000Z'); // Fri 15:00 GMT → Mon 11:00 BST
    expect(add('2026-10-23T14:00:00Z', 4)).toBe('2026-10-26T11:00:00.000Z'); // Fri 15:00 BST → Mon 11:00 GMT
  });

  it('runs over several days', () => {
    expect(add('2026-07-13T08:00:00Z', 20)).toBe('2026-07-15T12:00:00.000Z'); // Mon 09:00 BST: 8 + 8 + 4 → Wed 13:00 BST
  });

  it('uses the area’s own working hours', () => {
    const hours = { dayStart: '08:30', dayEnd: '17:30' };
    expect(add('2026-07-17T15:00:00Z', 2, hours)).toBe('2026-07-20T08:00:00.000Z'); // Fri 16:00 BST: 1.5 h, then Mon 08:30 + 0.5 h → 09:00 BST
    expect(workingDayHours(hours)).toBe(9);
    expect(workingDayHours()).toBe(8);
  });

  it('refuses negative hours and working hours that end before they start', () => {
    expect(() => add('2026-07-14T09:00:00Z', -1)).toThrow(invalid('hours'));
    expect(() => add('2026-07-14T09:00:00Z', Number.NaN)).toThrow(invalid('hours'));
    expect(() => add('2026-07-14T09:00:00Z', 1, { dayStart: '17:00', dayEnd: '09:00' })).toThrow(invalid('dayEnd'));
    expect(() => add('2026-07-14T09:00:00Z', 1, { dayStart: '9am', dayEnd: '17:00' })).toThrow(invalid('dayStart'));
  });
});

describe('working-hours properties', () => {
  const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true });
  const quarterHours = fc.integer({ min: 1, max: 80 }).map((quarters) => quarters / 4);

  it('ends within working hours on a working day, not before the start', () => {
    fc.assert(
      fc.property(instant, quarterHours, (start, hours) => {
        const end = addWorkingHours(start, hours);
        const day = londonDate(end);
        expect(end.getTime()).toBeGreaterThan(start.getTime());
        expect(isWorkingDay(day)).toBe(true);
        expect(end.getTime()).toBeGreaterThan(londonInstant(day, '09:00').getTime());
        expect(end.getTime()).toBeLessThanOrEqual(londonInstant(day, '17:00').getTime());
      }),
    );
  });

  it('adding a then b is adding a + b', () => {
    fc.assert(
      fc.property(instant, quarterHours, quarterHours, (start, a, b) => {
        expect(addWorkingHours(addWorkingHours(start, a), b).toISOString()).toBe(addWorkingHours(start, a + b).toISOString());
      }),
    );
  });
});
