import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, dateOf, dayOf, isWithinMonthsTo, londonDay, longDate, shortDate } from './calendar';

const londonFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

describe('calendar days', () => {
  it('round-trips dates and refuses impossible ones', () => {
    expect(dateOf(dayOf('2024-02-29'))).toBe('2024-02-29');
    expect(() => dayOf('2023-02-29')).toThrow(RangeError);
  });

  it('adds months, clamping to the end of a shorter month', () => {
    expect(dateOf(addMonths(dayOf('2026-03-14'), -12))).toBe('2025-03-14');
    expect(dateOf(addMonths(dayOf('2024-02-29'), -12))).toBe('2023-02-28');
    expect(dateOf(addMonths(dayOf('2025-08-31'), 6))).toBe('2026-02-28');
  });

  it('counts 12 months back to the same date: day 365 in, 366 out, and across 29 February day 366 in, 367 out', () => {
    const end = dayOf('2026-03-14');
    expect(isWithinMonthsTo(end - 365, end, 12)).toBe(true);
    expect(isWithinMonthsTo(end - 366, end, 12)).toBe(false);
    const leap = dayOf('2024-03-14');
    expect(isWithinMonthsTo(leap - 366, leap, 12)).toBe(true);
    expect(dateOf(leap - 366)).toBe('2023-03-14');
    expect(isWithinMonthsTo(leap - 367, leap, 12)).toBe(false);
    expect(isWithinMonthsTo(end + 1, end, 12)).toBe(false);
  });

  it('agrees with Date arithmetic on every day and month offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayOf('1901-01-01'), max: dayOf('2099-12-31') }), fc.integer({ min: -60, max: 60 }), (day, months) => {
        const d = new Date(day * 86_400_000);
        expect(dateOf(day)).toBe(d.toISOString().slice(0, 10));
        expect(dayOf(dateOf(day))).toBe(day);
        const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
        const daysInTarget = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
        target.setUTCDate(Math.min(d.getUTCDate(), daysInTarget));
        expect(dateOf(addMonths(day, months))).toBe(target.toISOString().slice(0, 10));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes dates for people', () => {
    expect(longDate(dayOf('2026-03-14'))).toBe('14 March 2026');
    expect(shortDate(dayOf('2026-01-02'), dayOf('2026-03-14'))).toBe('2 Jan');
    expect(shortDate(dayOf('2025-11-03'), dayOf('2026-03-14'))).toBe('3 Nov 2025');
  });

});

describe('London days of instants', () => {
  it('moves late evening in summer to the next day, and not in winter', () => {
    expect(dateOf(londonDay(new Date('2026-07-01T23:30:00Z')))).toBe('2026-07-02');
    expect(dateOf(londonDay(new Date('2026-01-01T23:30:00Z')))).toBe('2026-01-01');
    // Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
    expect(dateOf(londonDay(new Date('2026-03-28T23:30:00Z')))).toBe('2026-03-28');
    expect(dateOf(londonDay(new Date('2026-10-24T23:30:00Z')))).toBe('2026-10-25');
    expect(dateOf(londonDay(new Date('2026-10-25T23:30:00Z')))).toBe('2026-10-25');
  });

  it('agrees with the time zone database for any instant from 1996 to 2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1996, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        expect(dateOf(londonDay(new Date(ms)))).toBe(londonFormat.format(new Date(ms)));
      }),
      { numRuns: 2000 },
    );
  });
});
