// NHS numbers for synthetic people: 10 digits whose last is a modulus-11 check digit, taken from
// the range NHS England reserves for testing (starting 999) so that no real patient's number is
// ever printed by the demo.
import type { Prng } from './prng';

/** The check digit of nine digits, or null when it would be 10 (such numbers are never issued). */
export function nhsCheckDigit(firstNine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (firstNine.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  return check === 10 ? null : check;
}

export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  return nhsCheckDigit(value.slice(0, 9)) === value.charCodeAt(9) - 48;
}

const blockSize = 1_000_000;
// Any multiplier coprime to 10^6 permutes the block, so numbers look scattered but never repeat.
const stride = 611_953;
const offset = 104_729;

/**
 * Hands out distinct valid numbers. The 999 block holds about 909,000 valid numbers; a
 * county-scale area needs more, so later people continue in the 998, 997… blocks, which are
 * outside every range issued to patients in England, Wales and Northern Ireland.
 */
export class NhsNumberAllocator {
  private counter = 0;

  next(): string {
    for (;;) {
      const k = this.counter++;
      const block = 999 - Math.floor(k / blockSize);
      const inner = ((k % blockSize) * stride + offset) % blockSize;
      const nine = `${block}${inner.toString().padStart(6, '0')}`;
      const check = nhsCheckDigit(nine);
      if (check !== null) return nine + check;
    }
  }
}

/**
 * A keying slip in the first nine digits: two neighbours swapped, or one digit wrong. The check
 * digit exists to catch exactly these, so the result never passes the check.
 */
export function mistypeNhsNumber(prng: Prng, nhsNumber: string): string {
  const digits = nhsNumber.split('');
  const at = prng.int(0, 7);
  if (prng.chance(0.5) && digits[at] !== digits[at + 1]) {
    [digits[at], digits[at + 1]] = [digits[at + 1] as string, digits[at] as string];
  } else {
    const slip = prng.int(0, 8);
    digits[slip] = String((Number(digits[slip]) + prng.int(1, 9)) % 10);
  }
  return digits.join('');
}
