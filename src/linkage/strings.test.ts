import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistanceWithin, jaro, jaroWinkler, jaroWinklerAtLeast } from './strings';

describe('jaroWinkler', () => {
  it('matches the published examples', () => {
    expect(jaro('martha', 'marhta')).toBeCloseTo(0.944, 3);
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
  });

  it('is 1 for equal strings, 0 with an empty one, symmetric and within [0, 1]', () => {
    expect(jaroWinkler('smith', 'smith')).toBe(1);
    expect(jaroWinkler('', 'smith')).toBe(0);
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), (a, b) => {
        const x = jaroWinkler(a, b);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1 + 1e-12);
        expect(jaroWinkler(b, a)).toBeCloseTo(x, 12);
      }),
    );
  });
});

describe('jaroWinklerAtLeast', () => {
  it('agrees with jaroWinkler whenever the similarity reaches the minimum', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b, minimum) => {
        const exact = jaroWinkler(a, b);
        const quick = jaroWinklerAtLeast(a, b, minimum);
        if (exact >= minimum) expect(quick).toBe(exact);
        else expect(quick === 0 || quick === exact).toBe(true);
      }),
    );
    expect(jaroWinklerAtLeast('8 stanley street miami', '12 pinkerton circuit bega flats', 0.8)).toBe(0);
  });
});

describe('editDistanceWithin', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    expect(editDistanceWithin('4086030', '4086030', 1)).toBe(0);
    expect(editDistanceWithin('4086030', '4086300', 1)).toBe(1);
    expect(editDistanceWithin('4086030', '4080630', 1)).toBe(1);
    expect(editDistanceWithin('smith', 'smth', 1)).toBe(1);
    expect(editDistanceWithin('smith', 'smiths', 1)).toBe(1);
    expect(editDistanceWithin('smith', 'jones', 2)).toBe(3);
  });
});
