/**
 * NHS number check: 10 digits; the first nine weighted 10 down to 2, the remainder of the sum
 * by 11 taken from 11 gives the check digit (11 becomes 0; 10 means the number was never issued).
 * Spaces and hyphens as people write them ("943 476 5919") are ignored.
 */
export function isValidNhsNumber(text: string): boolean {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === digits.charCodeAt(9) - 48;
}

/** True when the text looks like an NHS number (10 digits once spaces are removed), valid or not. */
export function looksLikeNhsNumber(text: string): boolean {
  return /^\d{10}$/.test(text.replace(/[\s-]/g, ''));
}
