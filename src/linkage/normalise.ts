import { doubleMetaphone } from 'double-metaphone';
import { parseDate, parseYear } from './dates';
import { isValidNhsNumber, looksLikeNhsNumber } from './nhs';
import { defaultNicknameIndex, formalNamesOf, type NicknameIndex } from './nicknames';
import { parsePostcode } from './postcode';
import type { NormalisedRecord, Postcode, RawRecord } from './types';

export interface NormaliseOptions {
  /** Names of the attribute columns, fixing the order of `NormalisedRecord.attributes`. */
  readonly attributeNames?: readonly string[];
  readonly nicknames?: NicknameIndex;
}

const TITLES = new Set(['mr', 'mrs', 'miss', 'ms', 'mx', 'dr', 'prof', 'sir', 'dame', 'rev', 'master']);

// Common street-type abbreviations, so "12 High St" and "12 High Street" agree exactly.
const ADDRESS_WORDS: ReadonlyMap<string, string> = new Map([
  ['st', 'street'],
  ['rd', 'road'],
  ['ave', 'avenue'],
  ['av', 'avenue'],
  ['ln', 'lane'],
  ['dr', 'drive'],
  ['cl', 'close'],
  ['ct', 'court'],
  ['cres', 'crescent'],
  ['pl', 'place'],
  ['sq', 'square'],
  ['gdns', 'gardens'],
  ['tce', 'terrace'],
  ['flt', 'flat'],
]);

const NO_SOUND: readonly [string, string] = ['', ''];

/** Lower case ASCII letter tokens: accents folded, apostrophes dropped (O'Brien → obrien), other marks split. */
export function nameTokens(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim()
    .split(' ')
    .filter((token) => token.length > 0);
}

// Names repeat a great deal across records, so their codes are worked out once per distinct name.
const soundCache = new Map<string, readonly [string, string]>();
const SOUND_CACHE_LIMIT = 200_000;

function sound(name: string): readonly [string, string] {
  if (name === '') return NO_SOUND;
  let codes = soundCache.get(name);
  if (!codes) {
    const [primary, alternate] = doubleMetaphone(name);
    codes = [primary, alternate === primary ? '' : alternate];
    if (soundCache.size >= SOUND_CACHE_LIMIT) soundCache.clear();
    soundCache.set(name, codes);
  }
  return codes;
}

function joined(values: readonly string[] | undefined): string {
  return values ? values.filter((v) => v.trim() !== '').join(' ') : '';
}

function firstValue(values: readonly string[] | undefined): string {
  return values?.find((v) => v.trim() !== '')?.trim() ?? '';
}

/**
 * Splits "Smith, John Paul" or "Mr John Paul Smith-Jones" into given, middle and family tokens;
 * a hyphenated surname stays one surname with parts.
 */
function splitFullName(text: string): { given: string[]; middle: string[]; family: string[] } {
  const words = (part: string): string[][] =>
    part
      .split(/\s+/)
      .map(nameTokens)
      .filter((tokens) => tokens.length > 0 && !(tokens.length === 1 && TITLES.has(tokens[0]!)));
  const comma = text.indexOf(',');
  if (comma >= 0) {
    const rest = words(text.slice(comma + 1));
    return { given: rest[0] ?? [], middle: rest.slice(1).flat(), family: nameTokens(text.slice(0, comma)) };
  }
  const all = words(text);
  if (all.length <= 1) return { given: all[0] ?? [], middle: [], family: [] };
  return { given: all[0]!, middle: all.slice(1, -1).flat(), family: all.at(-1)! };
}

export function normaliseSex(text: string): NormalisedRecord['sex'] {
  switch (text.trim().toLowerCase()) {
    case 'm':
    case 'male':
    case 'man':
    case 'boy':
    case '1':
      return 'm';
    case 'f':
    case 'female':
    case 'woman':
    case 'girl':
    case '2':
      return 'f';
    case 'x':
    case 'i':
    case 'indeterminate':
    case 'intersex':
    case 'other':
    case '9':
      return 'x';
    default:
      return '';
  }
}

export function normaliseAddress(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 0)
    .map((t) => ADDRESS_WORDS.get(t) ?? t)
    .join(' ');
}

/** UK numbers with +44 or 0044 become national (0…); too short to identify anyone is missing. */
export function normalisePhone(text: string): string {
  let digits = text.replace(/\D/g, '');
  if (text.trim().startsWith('+44') || digits.startsWith('0044')) digits = '0' + digits.slice(digits.startsWith('0044') ? 4 : 2);
  return digits.length >= 6 ? digits : '';
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

export function normaliseRecord(raw: RawRecord, options: NormaliseOptions = {}): NormalisedRecord {
  const f = raw.fields;
  const nicknames = options.nicknames ?? defaultNicknameIndex();

  let givenTokens = nameTokens(joined(f.given_name));
  let middleTokens = nameTokens(joined(f.middle_name));
  let familyTokens = nameTokens(joined(f.family_name));
  const full = joined(f.full_name);
  if (full !== '') {
    const split = splitFullName(full);
    if (givenTokens.length === 0) givenTokens = split.given;
    if (middleTokens.length === 0) middleTokens = split.middle;
    if (familyTokens.length === 0) familyTokens = split.family;
  }
  const given = givenTokens.join('');
  const givenFirst = givenTokens[0] ?? '';
  const family = familyTokens.join('');

  const dob = parseDate(firstValue(f.dob));
  const birthYear = dob?.year ?? parseYear(firstValue(f.birth_year));

  const postcodes: Postcode[] = [];
  for (const value of f.postcode ?? []) {
    const postcode = parsePostcode(value);
    if (postcode && !postcodes.some((p) => p.full === postcode.full)) postcodes.push(postcode);
  }

  const nhsNumbers: string[] = [];
  const otherIds: string[] = [];
  for (const value of f.identifier ?? []) {
    if (looksLikeNhsNumber(value)) {
      // An NHS number that fails its check digit is treated as missing, never as evidence.
      if (isValidNhsNumber(value)) nhsNumbers.push(value.replace(/\D/g, ''));
    } else {
      const id = value.toUpperCase().replace(/[^A-Z0-9]/g, '');
      if (id !== '') otherIds.push(id);
    }
  }

  const attributeNames = options.attributeNames ?? [];
  return {
    id: raw.id,
    source: raw.source,
    given,
    givenFirst,
    middle: middleTokens.join(''),
    family,
    familyParts: familyTokens.length > 1 ? familyTokens : [],
    givenSound: sound(given),
    familySound: sound(family),
    givenFormal: formalNamesOf(nicknames, givenFirst),
    dob,
    birthYear,
    sex: normaliseSex(firstValue(f.sex)),
    postcodes,
    address: normaliseAddress(joined(f.address)),
    locality: nameTokens(firstValue(f.locality)).join(' '),
    nhsNumbers: unique(nhsNumbers),
    otherIds: unique(otherIds),
    emails: unique((f.email ?? []).map((e) => e.trim().toLowerCase().replace(/\s+/g, '')).filter((e) => e !== '')),
    phones: unique((f.phone ?? []).map(normalisePhone).filter((p) => p !== '')),
    attributes: attributeNames.map((name) => (raw.attributes?.[name] ?? '').trim().toLowerCase().replace(/\s+/g, ' ')),
  };
}
