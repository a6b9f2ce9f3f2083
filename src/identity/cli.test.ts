// `hearth identity estimate`: an area's model estimated again from its own records, stored and
// made active (the previous one kept), or written to a file without changing anything.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/app';
import { createArea, resolveRecord, type TestArea } from '../../test/support/factories';
import type { TestDatabase } from '../../test/support/database';
import { parseModel } from '../linkage';
import { estimateCommand, reindexCommand } from './cli';

async function addRecords(database: TestDatabase, area: TestArea, count: number): Promise<void> {
  await sql`
    INSERT INTO agency_record (area_id, agency_id, source_ref, given_name, family_name, date_of_birth, sex)
    SELECT ${area.id}, ${area.agencies.police}, 'EST-' || n, (ARRAY['Amelia','Oliver','Isla','Jack','Ava','Noah','Mia','Leo'])[1 + n % 8],
      (ARRAY['Smith','Jones','Taylor','Brown','Khan','Patel','Evans','Wilson','Okafor','Nowak'])[1 + (n / 8) % 10],
      date '2005-01-01' + (n * 7919) % 6000, CASE WHEN n % 2 = 0 THEN 'F' ELSE 'M' END
    FROM generate_series(1, ${count}) AS n`.execute(database.db);
}

describeEachEngine('hearth identity estimate', (ctx) => {
  it('estimates the area\u2019s model from its records, makes it the active one and keeps the previous', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    await addRecords(database, area, 1_200);
    const first = await estimateCommand(database, { area: area.code });
    expect(first).toMatchObject({ areaCode: area.code, records: 1_200, out: null });
    expect(first.lambda).toBeGreaterThan(0);
    const second = await estimateCommand(database, { area: area.code });
    const models = await database.db.selectFrom('identity_model').select(['id', 'active', 'source', 'record_count', 'model']).where('area_id', '=', area.id).execute();
    expect(models.map((m) => [m.id, m.active]).sort()).toEqual([[first.modelId, false], [second.modelId, true]].sort());
    expect(() => parseModel(models[0]?.model)).not.toThrow();
    const audits = await database.db.selectFrom('audit_event').select(['record_id', 'details']).where('area_id', '=', area.id).where('action', '=', 'identity.estimate').execute();
    expect(audits.map((a) => a.record_id).sort()).toEqual([first.modelId, second.modelId].sort());
  });

  it('with --out writes the model to a file and changes nothing', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    await addRecords(database, area, 1_000);
    const out = join(await mkdtemp(join(tmpdir(), 'hearth-estimate-')), 'model.json');
    const summary = await estimateCommand(database, { area: area.code, out });
    expect(summary).toMatchObject({ modelId: null, out, records: 1_000 });
    expect(parseModel(JSON.parse(await readFile(out, 'utf8'))).lambda).toBe(summary.lambda);
    expect(await database.db.selectFrom('identity_model').select('id').where('area_id', '=', area.id).execute()).toEqual([]);
  });

  it('names the problem: an unknown area, or too few records to learn from', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    await addRecords(database, area, 50);
    await createArea(database.db, 'Otherborough Partnership');
    await expect(estimateCommand(database, { area: 'no-such-area' })).rejects.toThrow(/There is no area with the code "no-such-area"/);
    await expect(estimateCommand(database, {})).rejects.toThrow(/Name the area with --area/);
    await expect(estimateCommand(database, { area: area.code })).rejects.toThrow(/has 50 agency records; at least 1,000 are needed/);
    expect(await database.db.selectFrom('identity_model').select('id').where('area_id', '=', area.id).execute()).toEqual([]);
  });

  it('reindex files the records already held under a rule added since, and records held before identity resolution', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const victoria = await resolveRecord(database, area, { givenName: 'Victoria', familyName: 'Dean', dateOfBirth: '2022-09-04', sex: 'F' });
    await resolveRecord(database, area, { givenName: 'Oliver', familyName: 'Quartermaine', dateOfBirth: '1985-02-17', sex: 'M' });
    await addRecords(database, area, 3);
    // As if filed before the family-and-date-of-birth rule existed.
    await sql`DELETE FROM identity_key WHERE area_id = ${area.id} AND key LIKE 'family_dob:%'`.execute(database.db);
    const summary = await reindexCommand(database, { area: area.code });
    expect(summary).toEqual({ areaCode: area.code, filled: 3, rules: ['family_dob'], keys: 2 });
    const keys = await database.db.selectFrom('identity_key').select(['key', 'agency_record_id']).where('area_id', '=', area.id).where('key', 'like', 'family_dob:%').orderBy('key').execute();
    expect(keys.map((k) => k.key)).toEqual(expect.arrayContaining(['family_dob:dean|20220904', 'family_dob:quartermaine|19850217']));
    expect(keys.find((k) => k.key === 'family_dob:dean|20220904')?.agency_record_id).toBe(victoria.agencyRecordId);
    expect(keys).toHaveLength(5);
    // A nickname arriving later is found through it.
    expect(await resolveRecord(database, area, { givenName: 'Vicky', familyName: 'Dean', dateOfBirth: '2022-09-04', sex: 'F', agencyId: area.agencies.school })).toMatchObject({ outcome: 'linked', personId: victoria.personId });
    expect(await reindexCommand(database, { area: area.code })).toEqual({ areaCode: area.code, filled: 0, rules: [], keys: 0 });
    const audits = await database.db.selectFrom('audit_event').select('details').where('area_id', '=', area.id).where('action', '=', 'identity.reindex').execute();
    expect(audits).toEqual([{ details: { filled: 3, rules: ['family_dob'], keys: 2 } }]);
  });
});
