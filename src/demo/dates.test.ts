import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addYears, ageOn, dayOf, isoDate, londonInstant, parseIsoDate, weekday } from './dates';

describe('generator dates', () => {
  it('round-trips every day between 1900 and 2100 (property)', () => {
    fc.assert(fc.property(fc.integer({ min: dayOf(1900, 1, 1), max: dayOf(2100, 12, 31) }), (day) => parseIsoDate(isoDate(day)) === day));
  });

  it('agrees with the JavaScript calendar', () => {
    fc.assert(fc.property(fc.integer({ min: -25_000, max: 50_000 }), (day) => isoDate(day) === new Date(day * 86_400_000).toISOString().slice(0, 10)));
  });

  it('rejects dates that do not exist', () => {
    expect(parseIsoDate('2025-02-29')).toBeNull();
    expect(parseIsoDate('2024-02-29')).not.toBeNull();
    expect(parseIsoDate('23/11/2026')).toBeNull();
  });

  it('counts ages and years as people do', () => {
    const birth = parseIsoDate('2010-06-15') as number;
    expect(ageOn(birth, parseIsoDate('2026-06-14') as number)).toBe(15);
    expect(ageOn(birth, parseIsoDate('2026-06-15') as number)).toBe(16);
    expect(isoDate(addYears(parseIsoDate('2024-02-29') as number, -3))).toBe('2021-02-28');
    expect(weekday(parseIsoDate('2026-11-23') as number)).toBe(1); // a Monday
  });

  it('turns local time in England into UTC, with British Summer Time', () => {
    expect(londonInstant(parseIsoDate('2026-01-15') as number, 21 * 60 + 30)).toBe('2026-01-15T21:30:00Z');
    expect(londonInstant(parseIsoDate('2026-07-15') as number, 21 * 60 + 30)).toBe('2026-07-15T20:30:00Z');
    expect(londonInstant(parseIsoDate('2026-07-15') as number, 30)).toBe('2026-07-14T23:30:00Z');
    expect(londonInstant(parseIsoDate('2026-07-15') as number, 9 * 60)).toBe('2026-07-15T08:00:00Z');
  });
});
