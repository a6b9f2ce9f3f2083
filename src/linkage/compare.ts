import { LEVELS, type ComparisonKind, type ComparisonSpec } from './comparisons';
import { dayNumber } from './dates';
import { editDistanceWithin, jaroWinklerAtLeast, sortedIntersect } from './strings';
import type { DateParts, NormalisedRecord } from './types';

/** Level index meaning "missing on one side": no evidence. */
export const MISSING = -1;

function levelsOf<K extends ComparisonKind>(kind: K): Readonly<Record<(typeof LEVELS)[K][number], number>> {
  return Object.fromEntries(LEVELS[kind].map((label, index) => [label, index])) as Record<(typeof LEVELS)[K][number], number>;
}

const GIVEN = levelsOf('given_name');
const MIDDLE = levelsOf('middle_name');
const FAMILY = levelsOf('family_name');
const DOB = levelsOf('dob');
const SEX = levelsOf('sex');
const POSTCODE = levelsOf('postcode');
const ADDRESS = levelsOf('address');
const LOCALITY = levelsOf('locality');
const NHS = levelsOf('nhs_number');
const IDENTIFIER = levelsOf('identifier');
const EMAIL = levelsOf('email');
const PHONE = levelsOf('phone');
const ATTRIBUTE = levelsOf('attribute');

function soundsAlike(a: readonly [string, string], b: readonly [string, string]): boolean {
  const [a1, a2] = a;
  const [b1, b2] = b;
  if (a1 === '' || b1 === '') return false;
  return a1 === b1 || (a2 !== '' && (a2 === b1 || a2 === b2)) || (b2 !== '' && a1 === b2);
}

/**
 * The forename of one record is the surname of the other (entered the wrong way round), allowing
 * a small typo but not in the first letter: checking that letter first spares most of the work.
 */
function namesSwapped(a: NormalisedRecord, b: NormalisedRecord): boolean {
  return crossMatch(a.given, b.family) || crossMatch(a.family, b.given);
}

function crossMatch(x: string, y: string): boolean {
  return x !== '' && y !== '' && x.charCodeAt(0) === y.charCodeAt(0) && jaroWinklerAtLeast(x, y, 0.92) >= 0.92;
}

function isInitialOf(initial: string, name: string): boolean {
  return initial.length === 1 && name.charCodeAt(0) === initial.charCodeAt(0);
}

export function compareGivenName(a: NormalisedRecord, b: NormalisedRecord): number {
  const x = a.given;
  const y = b.given;
  if (x === '' || y === '') return MISSING;
  if (x === y) return GIVEN.exact;
  if (sortedIntersect(a.givenFormal, b.givenFormal)) return GIVEN.nickname;
  if (isInitialOf(x, y) || isInitialOf(y, x)) return GIVEN.initial;
  const similarity = jaroWinklerAtLeast(x, y, 0.8);
  if (similarity >= 0.92) return GIVEN['jaro_winkler_0.92'];
  if (soundsAlike(a.givenSound, b.givenSound)) return GIVEN.phonetic;
  if (similarity >= 0.8) return GIVEN['jaro_winkler_0.8'];
  if (namesSwapped(a, b)) return GIVEN.swapped;
  return GIVEN.else;
}

export function compareMiddleName(a: NormalisedRecord, b: NormalisedRecord): number {
  const x = a.middle;
  const y = b.middle;
  if (x === '' || y === '') return MISSING;
  if (x === y) return MIDDLE.exact;
  if (isInitialOf(x, y) || isInitialOf(y, x)) return MIDDLE.initial;
  return jaroWinklerAtLeast(x, y, 0.88) >= 0.88 ? MIDDLE['jaro_winkler_0.88'] : MIDDLE.else;
}

function sharesPart(a: NormalisedRecord, b: NormalisedRecord): boolean {
  const partsA = a.familyParts.length > 0 ? a.familyParts : [a.family];
  const partsB = b.familyParts.length > 0 ? b.familyParts : [b.family];
  if (partsA.length === 1 && partsB.length === 1) return false;
  return partsA.some((p) => p.length > 1 && partsB.includes(p));
}

export function compareFamilyName(a: NormalisedRecord, b: NormalisedRecord): number {
  const x = a.family;
  const y = b.family;
  if (x === '' || y === '') return MISSING;
  if (x === y) return FAMILY.exact;
  if (sharesPart(a, b)) return FAMILY.part;
  const similarity = jaroWinklerAtLeast(x, y, 0.8);
  if (similarity >= 0.92) return FAMILY['jaro_winkler_0.92'];
  if (soundsAlike(a.familySound, b.familySound)) return FAMILY.phonetic;
  if (similarity >= 0.8) return FAMILY['jaro_winkler_0.8'];
  if (namesSwapped(a, b)) return FAMILY.swapped;
  return FAMILY.else;
}

function digitDifferences(x: number, y: number, digits: number): number {
  let differences = 0;
  for (let i = 0; i < digits; i++) {
    if (x % 10 !== y % 10) differences++;
    x = Math.floor(x / 10);
    y = Math.floor(y / 10);
  }
  return differences;
}

function compareFullDates(x: DateParts, y: DateParts): number {
  if (x.year === y.year && x.month === y.month && x.day === y.day) return DOB.exact;
  if (x.year === y.year && x.month === y.day && x.day === y.month) return DOB.day_month_swapped;
  const digits = digitDifferences(x.year, y.year, 4) + digitDifferences(x.month, y.month, 2) + digitDifferences(x.day, y.day, 2);
  if (digits === 1) return DOB.one_digit;
  const days = Math.abs(dayNumber(x) - dayNumber(y));
  if (days <= 31) return DOB.within_month;
  if (days <= 366) return DOB.within_year;
  return DOB.else;
}

export function compareDob(a: NormalisedRecord, b: NormalisedRecord): number {
  if (a.dob && b.dob) return compareFullDates(a.dob, b.dob);
  // Only a year on at least one side: agreement on the year is all that can be said.
  if (a.birthYear === 0 || b.birthYear === 0) return MISSING;
  return a.birthYear === b.birthYear ? DOB.same_year : DOB.else;
}

export function compareSex(a: NormalisedRecord, b: NormalisedRecord): number {
  if (a.sex === '' || b.sex === '') return MISSING;
  return a.sex === b.sex ? SEX.exact : SEX.else;
}

function sharePostcode(a: NormalisedRecord, b: NormalisedRecord): boolean {
  for (const p of a.postcodes) for (const q of b.postcodes) if (p.full === q.full) return true;
  return false;
}

/** The best agreement between any postcode of one record and any of the other (address history). */
export function comparePostcodes(a: NormalisedRecord, b: NormalisedRecord): number {
  if (a.postcodes.length === 0 || b.postcodes.length === 0) return MISSING;
  let best: number = POSTCODE.else;
  for (const p of a.postcodes) {
    for (const q of b.postcodes) {
      let level: number = POSTCODE.else;
      if (p.full === q.full) return POSTCODE.full;
      if (p.sector !== '' && p.sector === q.sector) level = POSTCODE.sector;
      else if (editDistanceWithin(p.full, q.full, 1) <= 1) level = POSTCODE.one_edit;
      else if (p.district !== '' && p.district === q.district) level = POSTCODE.district;
      if (level < best) best = level;
    }
  }
  return best;
}

/**
 * The street address says much the same as a full postcode, and members of one household share
 * both: counting both would count one fact twice. So the address is compared only when the
 * records do not already share a full postcode.
 */
export function compareAddress(a: NormalisedRecord, b: NormalisedRecord): number {
  if (a.address === '' || b.address === '') return MISSING;
  if (sharePostcode(a, b)) return MISSING;
  if (a.address === b.address) return ADDRESS.exact;
  const similarity = jaroWinklerAtLeast(a.address, b.address, 0.8);
  if (similarity >= 0.92) return ADDRESS['jaro_winkler_0.92'];
  return similarity >= 0.8 ? ADDRESS['jaro_winkler_0.8'] : ADDRESS.else;
}

export function compareLocality(a: NormalisedRecord, b: NormalisedRecord): number {
  if (a.locality === '' || b.locality === '') return MISSING;
  if (a.locality === b.locality) return LOCALITY.exact;
  return jaroWinklerAtLeast(a.locality, b.locality, 0.88) >= 0.88 ? LOCALITY['jaro_winkler_0.88'] : LOCALITY.else;
}

/** Two records that both carry valid NHS numbers, none in common: almost certainly two people. */
export function differentNhsNumbers(a: NormalisedRecord, b: NormalisedRecord): boolean {
  return a.nhsNumbers.length > 0 && b.nhsNumbers.length > 0 && !a.nhsNumbers.some((n) => b.nhsNumbers.includes(n));
}

export function compareNhsNumbers(a: NormalisedRecord, b: NormalisedRecord): number {
  if (a.nhsNumbers.length === 0 || b.nhsNumbers.length === 0) return MISSING;
  // The check digit catches single-digit errors and transpositions, so a different valid
  // NHS number is not a typo of this one.
  return differentNhsNumbers(a, b) ? NHS.different : NHS.exact;
}

/** Identifiers other than NHS numbers (FEBRL's soc_sec_id, a local case number): typos happen. */
export function compareIdentifiers(a: NormalisedRecord, b: NormalisedRecord): number {
  if (a.otherIds.length === 0 || b.otherIds.length === 0) return MISSING;
  let best: number = IDENTIFIER.else;
  for (const x of a.otherIds) {
    for (const y of b.otherIds) {
      if (x === y) return IDENTIFIER.exact;
      if (editDistanceWithin(x, y, 1) <= 1) best = IDENTIFIER.one_typo;
    }
  }
  return best;
}

function userOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at > 0 ? email.slice(0, at) : '';
}

export function compareEmails(a: NormalisedRecord, b: NormalisedRecord): number {
  if (a.emails.length === 0 || b.emails.length === 0) return MISSING;
  let best: number = EMAIL.else;
  for (const x of a.emails) {
    for (const y of b.emails) {
      if (x === y) return EMAIL.exact;
      const user = userOf(x);
      if (user.length >= 3 && user === userOf(y)) best = Math.min(best, EMAIL.same_user);
      else if (editDistanceWithin(x, y, 2) <= 2) best = Math.min(best, EMAIL.within_two_edits);
    }
  }
  return best;
}

export function comparePhones(a: NormalisedRecord, b: NormalisedRecord): number {
  if (a.phones.length === 0 || b.phones.length === 0) return MISSING;
  let best: number = PHONE.else;
  for (const x of a.phones) {
    for (const y of b.phones) {
      if (x === y) return PHONE.exact;
      if (editDistanceWithin(x, y, 1) <= 1) best = PHONE.one_typo;
    }
  }
  return best;
}

export function compareAttribute(a: NormalisedRecord, b: NormalisedRecord, index: number): number {
  const x = a.attributes[index] ?? '';
  const y = b.attributes[index] ?? '';
  if (x === '' || y === '') return MISSING;
  return x === y ? ATTRIBUTE.exact : ATTRIBUTE.else;
}

export function compareField(spec: ComparisonSpec, a: NormalisedRecord, b: NormalisedRecord): number {
  switch (spec.kind) {
    case 'given_name':
      return compareGivenName(a, b);
    case 'middle_name':
      return compareMiddleName(a, b);
    case 'family_name':
      return compareFamilyName(a, b);
    case 'dob':
      return compareDob(a, b);
    case 'sex':
      return compareSex(a, b);
    case 'postcode':
      return comparePostcodes(a, b);
    case 'address':
      return compareAddress(a, b);
    case 'locality':
      return compareLocality(a, b);
    case 'nhs_number':
      return compareNhsNumbers(a, b);
    case 'identifier':
      return compareIdentifiers(a, b);
    case 'email':
      return compareEmails(a, b);
    case 'phone':
      return comparePhones(a, b);
    case 'attribute':
      return compareAttribute(a, b, spec.attributeIndex);
  }
}

/**
 * Writes the comparison vector of a pair (one level per comparison, MISSING when either side
 * lacks the value) into `out` at `offset`, so batch callers can fill one flat array.
 */
export function compareRecords(
  specs: readonly ComparisonSpec[],
  a: NormalisedRecord,
  b: NormalisedRecord,
  out: Int8Array = new Int8Array(specs.length),
  offset = 0,
): Int8Array {
  for (let k = 0; k < specs.length; k++) out[offset + k] = compareField(specs[k]!, a, b);
  return out;
}
