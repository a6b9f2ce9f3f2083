import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dayOfWeek } from './dates';
import { isOverdue, londonDate, londonEndOfDay, londonInstant } from './london';

const invalid = (field: string) => expect.objectContaining({ code: 'validation_failed', fields: [expect.objectContaining({ field })] });

describe('calendar-date arithmetic', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30'); // across the clock change: still whole days
  });

  it('knows the day of the week (0 Sunday … 6 Saturday)', () => {
    expect(dayOfWeek('2026-05-22')).toBe(5); // Friday
    expect(dayOfWeek('2026-05-24')).toBe(0); // Sunday
    expect(dayOfWeek('2026-05-25')).toBe(1); // Monday
  });

  it('adds calendar months, clamped to the end of a shorter month', () => {
    expect(addMonths('2026-01-15', 3)).toBe('2026-04-15');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29'); // leap year
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-03-31', 6)).toBe('2026-09-30');
    expect(addMonths('2026-10-31', 3)).toBe('2027-01-31'); // no clamping needed
  });
});

describe('londonDate', () => {
  it('gives the London date, which in summer differs from the UTC date after 23:00Z', () => {
    expect(londonDate(new Date('2026-07-14T22:59:59.999Z'))).toBe('2026-07-14'); // 23:59:59 BST
    expect(londonDate(new Date('2026-07-14T23:00:00Z'))).toBe('2026-07-15'); // 00:00 BST
    expect(londonDate(new Date('2026-01-14T23:30:00Z'))).toBe('2026-01-14'); // 23:30 GMT
  });

  it('follows the clocks on the last Sundays of March and October', () => {
    expect(londonDate(new Date('2026-03-28T23:59:59.999Z'))).toBe('2026-03-28'); // GMT
    expect(londonDate(new Date('2026-03-29T00:00:00Z'))).toBe('2026-03-29'); // 00:00 GMT
    expect(londonDate(new Date('2026-03-29T23:00:00Z'))).toBe('2026-03-30'); // 00:00 BST
    expect(londonDate(new Date('2026-10-24T22:59:59.999Z'))).toBe('2026-10-24'); // 23:59 BST
    expect(londonDate(new Date('2026-10-24T23:00:00Z'))).toBe('2026-10-25'); // 00:00 BST
    expect(londonDate(new Date('2026-10-25T23:59:59.999Z'))).toBe('2026-10-25'); // 23:59 GMT
  });

  it('refuses an invalid Date', () => {
    expect(() => londonDate(new Date('nonsense'))).toThrow(invalid('instant'));
  });
});

describe('londonInstant', () => {
  it('is 09:00Z in winter and 08:00Z in summer for 09:00 London', () => {
    expect(londonInstant('2026-01-14', '09:00').toISOString()).toBe('2026-01-14T09:00:00.000Z');
    expect(londonInstant('2026-07-14', '09:00').toISOString()).toBe('2026-07-14T08:00:00.000Z');
  });

  it('handles the spring clock change (01:00 GMT becomes 02:00 BST on 29 March 2026)', () => {
    expect(londonInstant('2026-03-29', '00:30').toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(londonInstant('2026-03-29', '01:30').toISOString()).toBe('2026-03-29T01:30:00.000Z'); // does not exist: 02:30 BST
    expect(londonInstant('2026-03-29', '03:00').toISOString()).toBe('2026-03-29T02:00:00.000Z');
  });

  it('handles the autumn clock change (02:00 BST becomes 01:00 GMT on 25 October 2026)', () => {
    expect(londonInstant('2026-10-25', '00:30').toISOString()).toBe('2026-10-24T23:30:00.000Z');
    expect(londonInstant('2026-10-25', '01:30').toISOString()).toBe('2026-10-25T00:30:00.000Z'); // occurs twice: the first (BST) one
    expect(londonInstant('2026-10-25', '02:00').toISOString()).toBe('2026-10-25T02:00:00.000Z');
    expect(londonInstant('2026-10-25', '09:00').toISOString()).toBe('2026-10-25T09:00:00.000Z');
  });

  it('falls on the London date it was given, at any time of day (property)', () => {
    const date = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(fc.property(date, time, (d, t) => londonDate(londonInstant(d, t)) === d));
  });

  it('refuses bad dates and times, naming the argument', () => {
    expect(() => londonInstant('2026-02-30', '09:00')).toThrow(invalid('date'));
    expect(() => londonInstant('2026-07-14', '9:00')).toThrow(invalid('time'));
    expect(() => londonInstant('2026-07-14', '24:00')).toThrow(invalid('time'));
  });
});

describe('londonEndOfDay and isOverdue', () => {
  it('ends the day at 23:59:59.999 London time', () => {
    expect(londonEndOfDay('2026-01-14').toISOString()).toBe('2026-01-14T23:59:59.999Z');
    expect(londonEndOfDay('2026-07-14').toISOString()).toBe('2026-07-14T22:59:59.999Z');
    expect(londonEndOfDay('2026-03-29').toISOString()).toBe('2026-03-29T22:59:59.999Z'); // BST by the evening
    expect(londonEndOfDay('2026-10-25').toISOString()).toBe('2026-10-25T23:59:59.999Z'); // GMT by the evening
  });

  it('is overdue only after the deadline instant', () => {
    const deadline = new Date('2026-07-14T07:30:00Z');
    expect(isOverdue(deadline, new Date('2026-07-14T07:29:59.999Z'))).toBe(false);
    expect(isOverdue(deadline, deadline)).toBe(false);
    expect(isOverdue(deadline, new Date('2026-07-14T07:30:00.001Z'))).toBe(true);
  });

  it('treats a calendar-date deadline as running to the end of that London day', () => {
    expect(isOverdue('2026-07-14', new Date('2026-07-14T22:59:59.999Z'))).toBe(false);
    expect(isOverdue('2026-07-14', new Date('2026-07-14T23:00:00Z'))).toBe(true); // midnight BST
    expect(isOverdue('2026-01-14', new Date('2026-01-14T23:59:59.999Z'))).toBe(false);
    expect(isOverdue('2026-01-14', new Date('2026-01-15T00:00:00Z'))).toBe(true);
  });
});
