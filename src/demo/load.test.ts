import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testEngines, type TestDatabase } from '../../test/support/database';
import { ChunkBuffer } from './load';

describe.each(testEngines())('the bulk loader [%s]', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(engine);
  });
  afterAll(() => database.dispose());

  it('writes text that COPY must escape exactly as given, in one transaction with the statements around it', async () => {
    const areaId = '0a0a0a0a-0000-4000-8000-000000000001';
    const awkward = ['tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash', 'quote "marks"', "O'Brien", '\\N', 'comma, {brace}', 'Zoë'];
    const buffer = new ChunkBuffer();
    awkward.forEach((text, i) => buffer.add('address', {
      id: `0a0a0a0a-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`, area_id: areaId, line1: text, line2: i === 0 ? null : text.toUpperCase(),
      town: null, postcode: 'NB1 2AB', uprn: null, confidential: i % 2 === 0, created_at: '2026-01-01T09:00:00.000Z',
    }));
    buffer.add('person', {
      id: '0a0a0a0a-0000-4000-8000-000000000200', area_id: areaId, given_name: 'A', family_name: 'B', date_of_birth: '2015-03-04',
      expected_date_of_birth: null, sex: 'F', nhs_number: null, created_at: '2026-01-01T09:00:00.000Z', updated_at: '2026-01-01T09:00:00.000Z',
    });
    buffer.add('agency_record', {
      id: '0a0a0a0a-0000-4000-8000-000000000300', area_id: areaId, agency_id: '0a0a0a0a-0000-4000-8000-000000000400',
      person_id: '0a0a0a0a-0000-4000-8000-000000000200', source_ref: 'R1', given_name: 'A', middle_names: null, family_name: 'B',
      aliases: awkward, date_of_birth: null, sex: null, nhs_number: null, school_agency_id: null, gp_agency_id: null, email: null,
      recorded_at: '2026-01-01T09:00:00.000Z', updated_at: '2026-01-01T09:00:00.000Z', expected_date_of_birth: null,
    });

    await database.bulkTransaction(async (trx, copy) => {
      expect(copy === null).toBe(engine === 'pglite');
      await trx.insertInto('area').values({ id: areaId, code: 'loader', name: 'Loader', settings: '{}' }).execute();
      await trx.insertInto('agency').values({ id: '0a0a0a0a-0000-4000-8000-000000000400', area_id: areaId, kind: 'police', name: 'Police', code: 'P' }).execute();
      await buffer.write(trx, 4, copy);
    });

    const addresses = await database.db.selectFrom('address').select(['line1', 'line2', 'confidential']).where('area_id', '=', areaId).orderBy('id').execute();
    expect(addresses).toEqual(awkward.map((text, i) => ({ line1: text, line2: i === 0 ? null : text.toUpperCase(), confidential: i % 2 === 0 })));
    const record = await database.db.selectFrom('agency_record').select('aliases').where('area_id', '=', areaId).executeTakeFirstOrThrow();
    expect(record.aliases).toEqual(awkward);
  });

  it('writes nothing when the transaction fails after a write', async () => {
    const areaId = '0b0b0b0b-0000-4000-8000-000000000001';
    const buffer = new ChunkBuffer();
    buffer.add('address', {
      id: '0b0b0b0b-0000-4000-8000-000000000100', area_id: areaId, line1: '1 High Street', line2: null, town: null, postcode: null, uprn: null,
      confidential: false, created_at: '2026-01-01T09:00:00.000Z',
    });
    await expect(database.bulkTransaction(async (trx, copy) => {
      await trx.insertInto('area').values({ id: areaId, code: 'loader-failed', name: 'Loader', settings: '{}' }).execute();
      await buffer.write(trx, 10, copy);
      throw new Error('stopped part-way');
    })).rejects.toThrow('stopped part-way');
    expect(await database.db.selectFrom('address').select('id').where('area_id', '=', areaId).execute()).toEqual([]);
    expect(await database.db.selectFrom('area').select('id').where('code', '=', 'loader-failed').execute()).toEqual([]);
    // The connection that ran it went back usable (or was replaced): the pool still answers.
    expect(await database.db.selectFrom('area').select('code').where('code', '=', 'loader').executeTakeFirst()).toEqual({ code: 'loader' });
  });
});
