import { describe, expect, it } from 'vitest';
import {
  compareAddress,
  compareAttribute,
  compareDob,
  compareEmails,
  compareFamilyName,
  compareGivenName,
  compareIdentifiers,
  compareLocality,
  compareMiddleName,
  compareNhsNumbers,
  comparePhones,
  comparePostcodes,
  compareSex,
  MISSING,
} from './compare';
import { LEVELS } from './comparisons';
import { person } from './testing/records';
import type { NormalisedRecord } from './types';

type Kind = keyof typeof LEVELS;

/** Every level some test below reached, as "kind:level". */
const reached = new Set<string>();

/** The label of the level two records reach, or 'missing'. */
function level<K extends Kind>(kind: K, compare: (a: NormalisedRecord, b: NormalisedRecord) => number, a: NormalisedRecord, b: NormalisedRecord): string {
  const index = compare(a, b);
  expect(compare(b, a), 'comparisons are symmetric').toBe(index);
  const label = index === MISSING ? 'missing' : (LEVELS[kind][index] ?? `unknown ${index}`);
  reached.add(`${kind}:${label}`);
  return label;
}


const given = (x: string, y: string, extra: { xFamily?: string; yFamily?: string } = {}): string =>
  level('given_name', compareGivenName, person({ given_name: x, family_name: extra.xFamily ?? '' }), person({ given_name: y, family_name: extra.yFamily ?? '' }));

const family = (x: string, y: string, extra: { xGiven?: string; yGiven?: string } = {}): string =>
  level('family_name', compareFamilyName, person({ family_name: x, given_name: extra.xGiven ?? '' }), person({ family_name: y, given_name: extra.yGiven ?? '' }));

describe('given name levels', () => {
  it('exact, ignoring case, accents and spacing', () => {
    expect(given('Zoë', 'ZOE')).toBe('exact');
    expect(given('Mary Ann', 'Maryann')).toBe('exact');
  });
  it('nickname or variant, from the shipped tables and the UK additions', () => {
    expect(given('Bob', 'Robert')).toBe('nickname');
    expect(given('Bob', 'Rob')).toBe('nickname');
    expect(given('Alfie', 'Alfred')).toBe('nickname');
    expect(given('Bex', 'Rebecca')).toBe('nickname');
    expect(given('Gaz', 'Gary')).toBe('nickname');
    expect(given('Mo', 'Muhammad')).toBe('nickname');
    expect(given('Mohammed', 'Muhammad')).toBe('nickname');
    expect(given('Jay', 'Jayden')).toBe('nickname');
    expect(given('Kate', 'Katie')).toBe('nickname');
    expect(given('Liz', 'Elizabeth')).toBe('nickname');
  });
  it('Jaro–Winkler bands for typos', () => {
    expect(given('Jonathan', 'Jonathna')).toBe('jaro_winkler_0.92');
    expect(given('Charlotte', 'Charlote')).toBe('jaro_winkler_0.92');
    expect(given('Teresa', 'Terence')).toBe('jaro_winkler_0.8');
  });
  it('phonetic when spelt differently but sounding alike', () => {
    expect(given('Phoebe', 'Febee')).toBe('phonetic');
  });
  it('swapped with the surname', () => {
    expect(given('Hall', 'Isla', { xFamily: 'Isla', yFamily: 'Hall' })).toBe('swapped');
  });
  it('an initial against the full name', () => {
    expect(given('J', 'John')).toBe('initial');
  });
  it('else, and missing carries no evidence', () => {
    expect(given('Oliver', 'Grace')).toBe('else');
    expect(given('', 'Grace')).toBe('missing');
  });
});

describe('middle name levels', () => {
  const middle = (x: string, y: string): string => level('middle_name', compareMiddleName, person({ middle_name: x }), person({ middle_name: y }));
  it('exact, initial, similar, else', () => {
    expect(middle('Paul', 'paul')).toBe('exact');
    expect(middle('P', 'Paul')).toBe('initial');
    expect(middle('Paul', 'Pual')).toBe('jaro_winkler_0.88');
    expect(middle('Paul', 'James')).toBe('else');
  });
});

describe('family name levels', () => {
  it('exact, part of a double-barrelled name, typos, sound, swap, else', () => {
    expect(family("O'Brien", 'OBRIEN')).toBe('exact');
    expect(family('Smith-Jones', 'Jones')).toBe('part');
    expect(family('Griffiths', 'Griffihs')).toBe('jaro_winkler_0.92');
    expect(family('Knight', 'Night')).toBe('jaro_winkler_0.92');
    expect(family('Thompson', 'Tomsen')).toBe('jaro_winkler_0.8');
    expect(family('Cooper', 'Kuper')).toBe('phonetic');
    expect(family('Philips', 'Fillips')).toBe('phonetic');
    expect(family('Caleb', 'Rowe', { xGiven: 'Rowe', yGiven: 'Caleb' })).toBe('swapped');
    expect(family('Smith', 'Okafor')).toBe('else');
    expect(family('Smith', '')).toBe('missing');
  });
});

describe('date of birth levels', () => {
  const dob = (x: string, y: string): string => level('dob', compareDob, person({ dob: x }), person({ dob: y }));
  it('exact across formats', () => {
    expect(dob('2015-03-04', '04/03/2015')).toBe('exact');
    expect(dob('20150304', '2015-03-04')).toBe('exact');
  });
  it('day and month swapped', () => {
    expect(dob('2015-03-04', '2015-04-03')).toBe('day_month_swapped');
  });
  it('one digit off', () => {
    expect(dob('1997-04-26', '1991-04-26')).toBe('one_digit');
    expect(dob('1971-06-24', '1971-05-24')).toBe('one_digit');
  });
  it('near: within a month, within a year', () => {
    expect(dob('2010-01-02', '2010-01-30')).toBe('within_month');
    expect(dob('1976-09-15', '1977-09-13')).toBe('within_year');
    expect(dob('1976-09-15', '1986-01-13')).toBe('else');
  });
  it('year only on one side', () => {
    const yearOnly = person({ birth_year: '1984' });
    expect(level('dob', compareDob, yearOnly, person({ dob: '1984-05-06' }))).toBe('same_year');
    expect(level('dob', compareDob, yearOnly, person({ dob: '1985-05-06' }))).toBe('else');
  });
  it('missing or impossible dates carry no evidence', () => {
    expect(dob('', '2015-03-04')).toBe('missing');
    expect(dob('2015-02-30', '2015-03-04')).toBe('missing');
  });
});

describe('postcode levels across the address history', () => {
  const postcode = (x: string[], y: string[]): string => level('postcode', comparePostcodes, person({ postcode: x }), person({ postcode: y }));
  it('full, sector, one edit, district, else', () => {
    expect(postcode(['NG1 5AB'], ['ng15ab'])).toBe('full');
    expect(postcode(['NG1 5AB'], ['NG1 5ZZ'])).toBe('sector');
    expect(postcode(['NG1 5AB'], ['NG2 5AB'])).toBe('one_edit');
    expect(postcode(['NG1 5AB'], ['NG1 7ZZ'])).toBe('district');
    expect(postcode(['NG1 5AB'], ['LE3 9QT'])).toBe('else');
  });
  it('takes the best agreement over every past and present postcode', () => {
    expect(postcode(['LE3 9QT', 'NG1 5AB'], ['DE22 1AA', 'NG1 5AB'])).toBe('full');
    expect(postcode(['LE3 9QT', 'NG1 5AB'], ['NG1 5ZZ', 'S1 2AB'])).toBe('sector');
  });
  it('works on non-UK postcodes by trailing characters', () => {
    expect(postcode(['4223'], ['4229'])).toBe('sector');
    expect(postcode(['4223'], ['4323'])).toBe('one_edit');
  });
});

describe('address', () => {
  it('is compared only where the postcodes do not already agree (one fact, counted once)', () => {
    const a = person({ address: '12 High St', postcode: 'NG1 5AB' });
    expect(level('address', compareAddress, a, person({ address: '12 High Street', postcode: 'LE1 1AA' }))).toBe('exact');
    expect(level('address', compareAddress, a, person({ address: '12 High Street', postcode: 'NG1 5AB' }))).toBe('missing');
    expect(level('address', compareAddress, a, person({ address: '12 Hihg Street' }))).toBe('jaro_winkler_0.92');
    expect(level('address', compareAddress, a, person({ address: '12 Highfield Rd' }))).toBe('jaro_winkler_0.8');
    expect(level('address', compareAddress, a, person({ address: 'Flat 3, Mill Lane' }))).toBe('else');
  });
});

describe('locality', () => {
  const town = (x: string, y: string): string => level('locality', compareLocality, person({ locality: x }), person({ locality: y }));
  it('exact, similar, else; missing carries no evidence', () => {
    expect(town('Newcastle-under-Lyme', 'NEWCASTLE UNDER LYME')).toBe('exact');
    expect(town('Loughborough', 'Loughbrough')).toBe('jaro_winkler_0.88');
    expect(town('Loughborough', 'Leicester')).toBe('else');
    expect(town('', 'Leicester')).toBe('missing');
  });
});

describe('NHS number', () => {
  const nhs = (x: string, y: string): string => level('nhs_number', compareNhsNumbers, person({ identifier: x }), person({ identifier: y }));
  it('same valid number agrees; two different valid numbers are evidence against', () => {
    expect(nhs('943 476 5919', '9434765919')).toBe('exact');
    expect(nhs('9434765919', '4010232137')).toBe('different');
  });
  it('an invalid number is missing, never a match', () => {
    expect(nhs('9434765918', '9434765918')).toBe('missing');
    expect(nhs('9434765918', '9434765919')).toBe('missing');
  });
});

describe('other identifiers, sex, email, phone, attributes', () => {
  it('identifiers: exact, one typo, else', () => {
    const id = (x: string, y: string): string => level('identifier', compareIdentifiers, person({ identifier: x }), person({ identifier: y }));
    expect(id('4086030', '4086030')).toBe('exact');
    expect(id('4086030', '4086300')).toBe('one_typo');
    expect(id('4086030', '9999999')).toBe('else');
  });
  it('sex: words and codes agree', () => {
    expect(level('sex', compareSex, person({ sex: 'F' }), person({ sex: 'female' }))).toBe('exact');
    expect(level('sex', compareSex, person({ sex: 'M' }), person({ sex: '2' }))).toBe('else');
    expect(level('sex', compareSex, person({ sex: 'unknown' }), person({ sex: 'F' }))).toBe('missing');
  });
  it('email: exact, same user, close, else', () => {
    const email = (x: string, y: string): string => level('email', compareEmails, person({ email: x }), person({ email: y }));
    expect(email('Grace.Kelly52@jones.com', 'grace.kelly52@jones.com')).toBe('exact');
    expect(email('e.rogers3@hopkins.org', 'e.rogers3@honkips.org')).toBe('same_user');
    expect(email('t.m39@brooks-sawyer.com', 't.m39@brooks-sawer.com')).toBe('same_user');
    expect(email('evied56@harris.net', 'evihd56@harris.net')).toBe('within_two_edits');
    expect(email('a@b.com', 'zzz@q.org')).toBe('else');
  });
  it('phone: UK formats agree; one typo; else', () => {
    const phone = (x: string, y: string): string => level('phone', comparePhones, person({ phone: x }), person({ phone: y }));
    expect(phone('+44 7700 900123', '07700900123')).toBe('exact');
    expect(phone('07700900123', '07700900124')).toBe('one_typo');
    expect(phone('07700900123', '01632960000')).toBe('else');
  });
  it('attributes compare exactly', () => {
    const attribute = (x: string, y: string): string =>
      level('attribute', (a, b) => compareAttribute(a, b, 0), person({}, { school: x }), person({}, { school: y }));
    expect(attribute('Hill Top Primary', 'hill top primary')).toBe('exact');
    expect(attribute('Hill Top Primary', 'Hilltop Primary')).toBe('else');
    expect(attribute('', 'Hilltop Primary')).toBe('missing');
  });
});

// Last in the file (tests run in order): a level no test above reaches is a level nobody checked.
describe('coverage of the levels', () => {
  it('reaches every level of every comparison above', () => {
    const all = (Object.keys(LEVELS) as Kind[]).flatMap((kind) => LEVELS[kind].map((l) => `${kind}:${l}`));
    expect(all.filter((l) => !reached.has(l))).toEqual([]);
  });
});
