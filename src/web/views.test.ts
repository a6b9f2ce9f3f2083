import { describe, expect, it } from 'vitest';
import { ageOn, formatCalendarDate, formatInstant } from './views';

describe('dates as pages show them', () => {
  it('shows an instant in UK time, in winter and in summer, at midnight and at noon', () => {
    expect(formatInstant('2026-01-15T16:05:00Z')).toBe('15 January 2026 at 4:05pm');
    expect(formatInstant(new Date('2026-07-15T16:05:00Z'))).toBe('15 July 2026 at 5:05pm');
    expect(formatInstant('2026-03-04T00:00:00Z')).toBe('4 March 2026 at 12:00am');
    expect(formatInstant('2026-06-30T23:30:00Z')).toBe('1 July 2026 at 12:30am');
    expect(formatInstant('2026-03-04T12:07:00Z')).toBe('4 March 2026 at 12:07pm');
    // The clocks go forward at 01:00 UTC on 29 March 2026.
    expect(formatInstant('2026-03-29T00:59:00Z')).toBe('29 March 2026 at 12:59am');
    expect(formatInstant('2026-03-29T01:00:00Z')).toBe('29 March 2026 at 2:00am');
  });

  it('shows nothing for a missing or unreadable instant', () => {
    expect(formatInstant(null)).toBe('');
    expect(formatInstant(undefined)).toBe('');
    expect(formatInstant('not a date')).toBe('');
  });

  it('shows a calendar date as it is, and an age in whole years', () => {
    expect(formatCalendarDate('2016-03-03')).toBe('3 March 2016');
    expect(ageOn('2016-03-03', '2026-03-02')).toBe(9);
    expect(ageOn('2016-03-03', '2026-03-03')).toBe(10);
    const today = new Date().toISOString().slice(0, 10);
    expect(ageOn(today)).toBeLessThanOrEqual(0);
  });
});

describe('short instants for tables', async () => {
  const { shortInstant } = await import('../frontdoor/present');
  it('shows the weekday, day, month and time in UK time, with the year only when it is not this year', () => {
    const now = new Date('2026-11-17T12:00:00Z');
    expect(shortInstant(new Date('2026-11-17T22:15:00Z'), now)).toBe('Tue 17 Nov, 10:15pm');
    expect(shortInstant(new Date('2026-09-03T08:05:00Z'), now)).toBe('Thu 3 Sep, 9:05am');
    expect(shortInstant(new Date('2025-12-31T23:59:00Z'), now)).toBe('Wed 31 Dec 2025, 11:59pm');
    expect(shortInstant(new Date('2026-12-31T23:59:00Z'), new Date('2027-01-01T00:30:00Z'))).toBe('Thu 31 Dec 2026, 11:59pm');
  });
});
