import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, mistypeNhsNumber, nhsCheckDigit, NhsNumberAllocator } from './nhs-number';
import { Prng } from './prng';

describe('NHS numbers', () => {
  it('computes the modulus-11 check digit', () => {
    // The NHS's own published example.
    expect(nhsCheckDigit('943476591')).toBe(9);
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
  });

  it('hands out distinct valid numbers from the 999 test range', () => {
    const allocator = new NhsNumberAllocator();
    const seen = new Set<string>();
    const wrong: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const n = allocator.next();
      if (!n.startsWith('999') || !isValidNhsNumber(n)) wrong.push(n);
      seen.add(n);
    }
    expect(wrong).toEqual([]);
    expect(seen.size).toBe(100_000);
  });

  it('moves to the next unissued block once the 999 range is used up', () => {
    const allocator = new NhsNumberAllocator();
    let last = '';
    for (let i = 0; i < 920_000; i++) last = allocator.next();
    expect(last.startsWith('998')).toBe(true);
    expect(isValidNhsNumber(last)).toBe(true);
  });

  it('makes keying slips that always fail the check (property)', () => {
    const allocator = new NhsNumberAllocator();
    const numbers = Array.from({ length: 500 }, () => allocator.next());
    fc.assert(
      fc.property(fc.constantFrom(...numbers), fc.integer(), (n, seed) => {
        const typed = mistypeNhsNumber(new Prng([seed]), n);
        return typed !== n && /^\d{10}$/.test(typed) && !isValidNhsNumber(typed);
      }),
    );
  });
});
