import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber } from './nhs';

/** The check digit by the modulus 11 rule, or null when the number cannot be issued. */
function checkDigit(nine: string): number | null {
  const sum = [...nine].reduce((total, d, i) => total + Number(d) * (10 - i), 0);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check === 10 ? null : check;
}

describe('isValidNhsNumber (modulus 11)', () => {
  it('accepts a valid number, with or without spaces', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('943-476-5919')).toBe(true);
  });

  it('rejects a wrong check digit, wrong length and non-digits', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('94347659A9')).toBe(false);
    expect(isValidNhsNumber('')).toBe(false);
  });

  it('rejects numbers whose check digit would be 10', () => {
    // 1 0 0 0 0 0 0 0 1: sum 10 + 2 = 12, 12 mod 11 = 1, 11 - 1 = 10: never issued.
    expect(checkDigit('100000001')).toBeNull();
    for (let d = 0; d < 10; d++) expect(isValidNhsNumber(`100000001${d}`)).toBe(false);
  });

  it('agrees with the rule on any nine digits, and catches every single-digit error', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (nine, position, delta) => {
        const check = checkDigit(nine);
        if (check === null) return;
        const number = nine + String(check);
        expect(isValidNhsNumber(number)).toBe(true);
        const wrong = number.slice(0, position) + String((Number(number[position]) + delta) % 10) + number.slice(position + 1);
        expect(isValidNhsNumber(wrong)).toBe(false);
      }),
    );
  });
});
