// The shapes shared by every part of the linkage engine.

/** What an input column can mean to the linker. */
export const FIELD_NAMES = [
  'given_name',
  'middle_name',
  'family_name',
  'full_name',
  'dob',
  'birth_year',
  'sex',
  'postcode',
  'address',
  'locality',
  'identifier',
  'email',
  'phone',
  'attribute',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/**
 * One record as it arrives, before normalisation. Each field holds the raw values of the columns
 * mapped to it, in mapping order: names and address parts are joined, postcodes, identifiers,
 * emails and phones are alternatives (an address history, several identifiers), the others take
 * the first non-empty value. Attributes are named (column name → value) and compared exactly.
 */
export interface RawRecord {
  readonly id: string;
  /** Which input the record came from; in link mode only records of different sources are paired. */
  readonly source: number;
  readonly fields: Readonly<Partial<Record<Exclude<FieldName, 'attribute'>, readonly string[]>>>;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A calendar date split into parts; month and day are 1-based. */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A postcode with the coarser areas it belongs to (UK: full "SW1A1AA", sector "SW1A1", district "SW1A"). */
export interface Postcode {
  readonly full: string;
  readonly sector: string;
  readonly district: string;
}

/** A record after normalisation, with everything the comparisons and blocking need precomputed. */
export interface NormalisedRecord {
  readonly id: string;
  readonly source: number;
  /** Given name letters (spaces removed), '' when missing. */
  readonly given: string;
  /** First token of the given name, for nickname look-up. */
  readonly givenFirst: string;
  readonly middle: string;
  /** Family name letters (spaces and hyphens removed). */
  readonly family: string;
  /** Family name parts, for double-barrelled names. */
  readonly familyParts: readonly string[];
  /** Double Metaphone codes, primary then alternate ('' when missing). */
  readonly givenSound: readonly [string, string];
  readonly familySound: readonly [string, string];
  /** Ids of the formal names the given name is a nickname or variant of (sorted, may be empty). */
  readonly givenFormal: Int32Array;
  readonly dob: DateParts | null;
  /** Birth year from the date of birth or the birth_year field; 0 when unknown. */
  readonly birthYear: number;
  readonly sex: '' | 'f' | 'm' | 'x';
  readonly postcodes: readonly Postcode[];
  readonly address: string;
  readonly locality: string;
  /** Valid NHS numbers (10 digits, modulus 11). */
  readonly nhsNumbers: readonly string[];
  /** Other identifiers, digits and letters only, upper case. */
  readonly otherIds: readonly string[];
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  /** Attribute values in the order of the attribute names the record set was normalised with. */
  readonly attributes: readonly string[];
}
