import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/app';
import { createArea, createUser, gateForUser, nhsNumber, resolveRecord, unique, type TestArea } from '../../test/support/factories';
import type { TestDatabase } from '../../test/support/database';
import type { AgencyRecordInput } from './features';
import { resolveAgencyRecords, type ResolveOptions } from './resolve';

type SentRecord = Omit<AgencyRecordInput, 'agencyId' | 'sourceRef'> & { agencyId?: string; sourceRef?: string };

/** Sends records together, in one gated transaction, as intake sends a notification's people. */
async function resolveTogether(database: TestDatabase, area: TestArea, records: readonly SentRecord[], options: ResolveOptions = {}) {
  const officer = await createUser(database.db, area, 'police_officer');
  const gate = await gateForUser(database, officer);
  return gate.run('intake.notify_incident', (scope) =>
    resolveAgencyRecords(scope, records.map((r) => ({ agencyId: area.agencies.police, sourceRef: `SR-${unique()}`, ...r })), options));
}

const home = { line1: '12 Orchard Road', town: 'Testbury', postcode: 'TE1 4AB' };
const amelia = { givenName: 'Amelia', familyName: 'Whitfield', dateOfBirth: '2016-04-09', sex: 'F' as const, addresses: [home] };

describeEachEngine('linking records that arrive together', (ctx) => {
  it('links a batch as it would link each record in turn: a later record joins the person an earlier one made', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const [first, second, stranger] = await resolveTogether(database, area, [
      { ...amelia, agencyId: area.agencies.health, nhsNumber: nhsNumber('943476591') },
      // Her nickname, the date keyed American-style, the same address in other capitals.
      { givenName: 'Millie', familyName: 'WHITFIELD', dateOfBirth: '2016-09-04', sex: 'F', addresses: [{ line1: '12 orchard road', postcode: 'te14ab' }] },
      { givenName: 'Oliver', familyName: 'Quartermaine', dateOfBirth: '1985-02-17', sex: 'M', addresses: [{ line1: '3 Mill Lane', postcode: 'TE9 9ZZ' }] },
    ]);
    expect(first).toMatchObject({ outcome: 'new_person' });
    expect(second).toMatchObject({ outcome: 'linked', personId: first!.personId });
    expect(second!.probability).toBeGreaterThan(0.95);
    expect(stranger!.outcome).toBe('new_person');
    expect(stranger!.personId).not.toBe(first!.personId);

    const people = await database.db.selectFrom('person').selectAll().where('area_id', '=', area.id).orderBy('family_name').execute();
    expect(people.map((p) => [p.given_name, p.family_name, p.nhs_number])).toEqual([['Oliver', 'Quartermaine', null], ['Amelia', 'Whitfield', nhsNumber('943476591')]]);
    // The address both records give is stored once, and both live there.
    const addresses = await database.db.selectFrom('address').select('id').where('area_id', '=', area.id).where('postcode', '=', 'TE1 4AB').execute();
    expect(addresses).toHaveLength(1);
    const lived = await database.db.selectFrom('person_address').select('address_id').where('person_id', '=', first!.personId).execute();
    expect(lived).toEqual([{ address_id: addresses[0]!.id }, { address_id: addresses[0]!.id }]);
    const link = await database.db.selectFrom('person_link').selectAll().where('agency_record_id', '=', second!.agencyRecordId).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ method: 'automatic', person_id: first!.personId });
    expect((link.evidence as { candidateRecordId: string }).candidateRecordId).toBe(first!.agencyRecordId);
    const keys = await database.db.selectFrom('identity_key').select('agency_record_id').where('area_id', '=', area.id).execute();
    expect(new Set(keys.map((k) => k.agency_record_id))).toEqual(new Set([first!.agencyRecordId, second!.agencyRecordId, stranger!.agencyRecordId]));

    const audits = await database.db.selectFrom('audit_event').select(['record_id', 'subject_person_id']).where('area_id', '=', area.id).where('action', '=', 'identity.resolve').orderBy('id').execute();
    expect(audits).toEqual([first, second, stranger].map((r) => ({ record_id: r!.agencyRecordId, subject_person_id: r!.personId })));
  });

  it('shows a known person by their most trusted record when two records of a batch join them', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const known = await resolveRecord(database, area, { givenName: 'Millie', familyName: 'Whitfield', dateOfBirth: '2016-04-09', sex: 'F', addresses: [home] });
    const [school, health] = await resolveTogether(database, area, [
      { ...amelia, givenName: 'Amelie', agencyId: area.agencies.school },
      { ...amelia, agencyId: area.agencies.health, nhsNumber: nhsNumber('943476591') },
    ]);
    expect([school!.outcome, health!.outcome]).toEqual(['linked', 'linked']);
    expect(new Set([school!.personId, health!.personId])).toEqual(new Set([known.personId]));
    const person = await database.db.selectFrom('person').selectAll().where('id', '=', known.personId).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ given_name: 'Amelia', nhs_number: nhsNumber('943476591'), version: 2 });
  });

  it('refuses within a batch what it refuses alone: a second NHS number is a second person', async () => {
    const { database } = ctx();
    const records = [
      { ...amelia, agencyId: '', nhsNumber: nhsNumber('943476591') },
      { ...amelia, agencyId: '', nhsNumber: nhsNumber('401023213') },
    ];
    const alone = await createArea(database.db);
    const one = await resolveRecord(database, alone, { ...records[0]!, agencyId: alone.agencies.health });
    const two = await resolveRecord(database, alone, { ...records[1]!, agencyId: alone.agencies.health });
    expect(two.personId).not.toBe(one.personId);

    const together = await createArea(database.db);
    const [first, second] = await resolveTogether(database, together, records.map((r) => ({ ...r, agencyId: together.agencies.health })));
    expect(second!.personId).not.toBe(first!.personId);
    expect([first!.outcome, second!.outcome]).toEqual([one.outcome, two.outcome]);
    expect(second!.probability).toBeCloseTo(two.probability, 6);
  });

  it('keeps apart the people a notification names side by side, the known and the new', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const held = await resolveRecord(database, area, { ...amelia, sourceRef: 'PN-7' });
    const [again, twin, other] = await resolveTogether(database, area, [
      { ...amelia, sourceRef: 'PN-7' },
      { ...amelia },
      { ...amelia },
    ], { namedApart: true });
    expect(again).toMatchObject({ outcome: 'updated', personId: held.personId, agencyRecordId: held.agencyRecordId });
    expect(twin!.outcome).toBe('review');
    expect(other!.outcome).toBe('review');
    expect(new Set([held.personId, twin!.personId, other!.personId]).size).toBe(3);
    const causes = await database.db.selectFrom('identity_review').select('cause').where('id', 'in', [twin!.reviewId as string, other!.reviewId as string]).execute();
    expect(causes).toEqual([{ cause: 'named_apart' }, { cause: 'named_apart' }]);
    // Without being named apart, the same records are one person.
    const [a, b] = await resolveTogether(database, area, [{ ...amelia, givenName: 'Ameliah' }, { ...amelia, givenName: 'Ameliah' }]);
    expect(b!.personId).toBe(a!.personId);
  });

  it('links a record sent twice in one batch once, then updates it', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const [first, again] = await resolveTogether(database, area, [{ ...amelia, sourceRef: 'PN-1' }, { ...amelia, sourceRef: 'PN-1', middleNames: 'Rose' }]);
    expect(first!.outcome).toBe('new_person');
    expect(again).toMatchObject({ outcome: 'updated', agencyRecordId: first!.agencyRecordId, personId: first!.personId });
    const records = await database.db.selectFrom('agency_record').select('middle_names').where('area_id', '=', area.id).execute();
    expect(records).toEqual([{ middle_names: 'Rose' }]);
  });

  it('stores nothing of a batch with a record in error, naming the field', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    await expect(resolveTogether(database, area, [{ ...amelia }, { ...amelia, dateOfBirth: '2016-02-30' }])).rejects.toMatchObject({
      code: 'validation_failed', fields: [expect.objectContaining({ field: 'dateOfBirth' })],
    });
    const records = await database.db.selectFrom('agency_record').select('id').where('area_id', '=', area.id).execute();
    expect(records).toEqual([]);
  });
});

describe('a batch meeting a record sent by another request at the same time', () => {
  describeEachEngine('(PostgreSQL, where requests run at once)', (ctx) => {
    it('rolls back what the batch wrote and links each record alone: the one sent meanwhile is updated', async () => {
      const { database } = ctx();
      if (database.engine !== 'postgres') return;
      const area = await createArea(database.db);
      const officer = await createUser(database.db, area, 'police_officer');
      const [holding, batching] = [await gateForUser(database, officer), await gateForUser(database, officer)];
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const wasWritten = new Promise<void>((resolve) => (written = resolve));
      // Another request writes PN-9 and holds its transaction open.
      const other = holding.run('intake.notify_incident', async (scope) => {
        const [r] = await resolveAgencyRecords(scope, [{ ...amelia, agencyId: area.agencies.police, sourceRef: 'PN-9' }]);
        written();
        await released;
        return r!;
      });
      await wasWritten;
      // The batch does not see PN-9 yet; its write waits on the other's insert, then finds it there.
      const batch = batching.run('intake.notify_incident', (scope) => resolveAgencyRecords(scope, [
        { givenName: 'Oliver', familyName: 'Quartermaine', dateOfBirth: '1985-02-17', sex: 'M', agencyId: area.agencies.police, sourceRef: 'PN-8' },
        { ...amelia, middleNames: 'Rose', agencyId: area.agencies.police, sourceRef: 'PN-9' },
      ]));
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      const [sent, [oliver, again]] = await Promise.all([other, batch]);
      expect(oliver!.outcome).toBe('new_person');
      expect(again).toMatchObject({ outcome: 'updated', agencyRecordId: sent.agencyRecordId, personId: sent.personId });
      const records = await database.db.selectFrom('agency_record').select(['source_ref', 'middle_names']).where('area_id', '=', area.id).orderBy('source_ref').execute();
      expect(records).toEqual([{ source_ref: 'PN-8', middle_names: null }, { source_ref: 'PN-9', middle_names: 'Rose' }]);
      const people = await database.db.selectFrom('person').select('id').where('area_id', '=', area.id).execute();
      expect(people).toHaveLength(2);
    });
  });
});
