import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeDate } from './dates';
import { isValidNhsNumber } from './nhs';
import { normaliseRecord } from './normalise';
import { parsePostcode } from './postcode';
import { person, rawPerson } from './testing/records';
import { FIELD_NAMES } from './types';

describe('normaliseRecord', () => {
  it('splits a full name, dropping titles, in either order', () => {
    expect(person({ full_name: 'Mrs Mary Ann Smith-Jones' })).toMatchObject({ given: 'mary', middle: 'ann', family: 'smithjones', familyParts: ['smith', 'jones'] });
    expect(person({ full_name: 'SMITH, John Paul' })).toMatchObject({ given: 'john', middle: 'paul', family: 'smith' });
  });

  it('keeps valid NHS numbers, drops invalid ones, and keeps other identifiers apart', () => {
    const record = person({ identifier: ['943 476 5919', '9434765918', 'ab-123'] });
    expect(record.nhsNumbers).toEqual(['9434765919']);
    expect(record.otherIds).toEqual(['AB123']);
  });

  it('parses UK postcodes into full, sector and district', () => {
    expect(parsePostcode('sw1a 1aa')).toEqual({ full: 'SW1A1AA', sector: 'SW1A1', district: 'SW1A' });
    expect(parsePostcode('M1 1AE')).toEqual({ full: 'M11AE', sector: 'M11', district: 'M1' });
    expect(parsePostcode(' ')).toBeNull();
  });

  it('never throws on arbitrary values, and every value is missing or valid', () => {
    const fields = FIELD_NAMES.filter((f) => f !== 'attribute');
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: fields.length, maxLength: fields.length }), fc.string(), (values, attribute) => {
        const raw = rawPerson(Object.fromEntries(fields.map((f, i) => [f, values[i]!])), { attributes: { a: attribute } });
        const record = normaliseRecord(raw, { attributeNames: ['a'] });
        expect(record.dob === null || makeDate(record.dob.year, record.dob.month, record.dob.day) !== null).toBe(true);
        expect(record.birthYear === 0 || (record.birthYear >= 1850 && record.birthYear <= 2100)).toBe(true);
        for (const nhs of record.nhsNumbers) expect(isValidNhsNumber(nhs)).toBe(true);
        for (const phone of record.phones) expect(phone).toMatch(/^\d{6,}$/);
        for (const postcode of record.postcodes) expect(postcode.full).toMatch(/^[A-Z0-9]{2,}$/);
        expect(record.given).toMatch(/^[a-z]*$/);
        expect(record.family).toMatch(/^[a-z]*$/);
        expect(['', 'f', 'm', 'x']).toContain(record.sex);
      }),
    );
  });
});
