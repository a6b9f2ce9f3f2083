import type { Postcode } from './types';

// Outward code (area letters, district digit, optional letter or digit) and inward code.
const UK_POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;

/**
 * Splits a postcode into full, sector and district. UK postcodes use their real structure
 * ("SW1A 1AA": sector "SW1A1", district "SW1A"); anything else (overseas, test data such as
 * FEBRL's four digits) drops one and two trailing characters. Null when nothing is left.
 */
export function parsePostcode(text: string): Postcode | null {
  const full = text.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (full.length < 2) return null;
  const uk = UK_POSTCODE.exec(full);
  if (uk) {
    const outward = uk[1] ?? '';
    const inward = uk[2] ?? '';
    return { full, sector: outward + inward.charAt(0), district: outward };
  }
  return { full, sector: full.slice(0, -1), district: full.length > 3 ? full.slice(0, -2) : '' };
}
