import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertUniqueIds, csvValue, LinkInputError, readCsvRecords, type ColumnMapping } from './csv';

const read = (text: string, mappings: ColumnMapping[], idColumn = 'rec_id') =>
  readCsvRecords(Readable.from([text]), { idColumn, mappings, source: 0, name: 'test.csv' });

describe('readCsvRecords', () => {
  it('reads FEBRL-style files separated by ", ", trimming values and treating empty as missing', async () => {
    const text = [
      'rec_id, given_name, surname, street_number, address_1, date_of_birth, soc_sec_id',
      'rec-561-dup-0, elton, , 3, light setreet, 19651013, 1551941',
      'rec-608-dup-0,  , white, 72, "lambrigg street, upper", 19620216, 9731855',
    ].join('\n');
    const records = await read(text, [
      { column: 'given_name', field: 'given_name' },
      { column: 'surname', field: 'family_name' },
      { column: 'street_number', field: 'address' },
      { column: 'address_1', field: 'address' },
      { column: 'date_of_birth', field: 'dob' },
    ]);
    expect(records).toEqual([
      { id: 'rec-561-dup-0', source: 0, fields: { given_name: ['elton'], address: ['3', 'light setreet'], dob: ['19651013'] } },
      { id: 'rec-608-dup-0', source: 0, fields: { family_name: ['white'], address: ['72', 'lambrigg street, upper'], dob: ['19620216'] } },
    ]);
  });

  it('keeps attributes by column name and never reads unmapped columns', async () => {
    const records = await read('id,name,school,secret\n1,Ann,Hill Top,do-not-read\n', [
      { column: 'name', field: 'full_name' },
      { column: 'school', field: 'attribute' },
    ], 'id');
    expect(records).toEqual([{ id: '1', source: 0, fields: { full_name: ['Ann'] }, attributes: { school: 'Hill Top' } }]);
    expect(JSON.stringify(records)).not.toContain('do-not-read');
  });

  it('names a missing column, an empty id and an empty file', async () => {
    await expect(read('id,name\n1,Ann\n', [{ column: 'surname', field: 'family_name' }], 'id')).rejects.toThrow(/no column "surname"/);
    await expect(read('id,name\n1,Ann\n', [], 'rec_id')).rejects.toThrow(/no column "rec_id"/);
    await expect(read('id,name\n,Ann\n', [], 'id')).rejects.toThrow(/row 2 has no value in id column "id"/);
    await expect(read('', [], 'id')).rejects.toBeInstanceOf(LinkInputError);
  });

  it('refuses ids used twice within or across inputs', () => {
    const record = (id: string, source: number) => ({ id, source, fields: {} });
    expect(() => assertUniqueIds([record('a', 0), record('b', 1)], ['a.csv', 'b.csv'])).not.toThrow();
    expect(() => assertUniqueIds([record('a', 0), record('a', 1)], ['a.csv', 'b.csv'])).toThrow(/"a" appears in both a.csv and b.csv/);
    expect(() => assertUniqueIds([record('a', 0), record('a', 0)], ['a.csv'])).toThrow(/twice in a.csv/);
  });

  it('reads back any value it writes, trimmed, or missing when blank', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (value) => {
        const records = await read(`id,v\n1,${csvValue(value)}\n`, [{ column: 'v', field: 'email' }], 'id');
        const trimmed = value.trim();
        expect(records[0]?.fields.email ?? []).toEqual(trimmed === '' ? [] : [trimmed]);
      }),
      { numRuns: 200 },
    );
  });

  it('on arbitrary text, returns records with ids or names the problem (never another error)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        try {
          const records = await read(`id,v\n${text}`, [{ column: 'v', field: 'given_name' }], 'id');
          for (const record of records) expect(record.id).not.toBe('');
        } catch (error) {
          expect(error).toBeInstanceOf(LinkInputError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
