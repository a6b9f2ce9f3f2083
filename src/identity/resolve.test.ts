import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/app';
import { addAgency, createArea, createUser, gateForUser, nhsNumber, resolveRecord, type TestArea } from '../../test/support/factories';
import type { TestDatabase } from '../../test/support/database';
import { fillRegistry } from './registry';
import { resolveAgencyRecord } from './resolve';
import type { StoredEvidence } from './evidence';

const amelia = {
  givenName: 'Amelia', middleNames: 'Rose', familyName: 'Whitfield', dateOfBirth: '2016-04-09', sex: 'F' as const,
  addresses: [{ line1: '12 Orchard Road', town: 'Testbury', postcode: 'te14ab' }],
};

async function auditOf(database: TestDatabase, area: TestArea, action: string) {
  return database.db.selectFrom('audit_event').selectAll().where('area_id', '=', area.id).where('action', '=', action).orderBy('id').execute();
}

describeEachEngine('identity resolution on arrival', (ctx) => {
  it('links a second record of the same child automatically, with its evidence, sharing the address', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const first = await resolveRecord(database, area, { ...amelia, agencyId: area.agencies.health, nhsNumber: nhsNumber('943476591') });
    expect(first).toMatchObject({ outcome: 'new_person', probability: 0 });

    // The police hold her nickname, the surname in capitals, the date American-style and the address abbreviated.
    const second = await resolveRecord(database, area, {
      givenName: 'Millie', familyName: 'WHITFIELD', dateOfBirth: '2016-09-04', sex: 'F', addresses: [{ line1: '12 orchard road', postcode: 'TE1 4AB' }],
    });
    expect(second.outcome).toBe('linked');
    expect(second.personId).toBe(first.personId);
    expect(second.probability).toBeGreaterThan(0.95);

    const link = await database.db.selectFrom('person_link').selectAll().where('agency_record_id', '=', second.agencyRecordId).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ method: 'automatic', person_id: first.personId, ended_at: null });
    const evidence = link.evidence as StoredEvidence;
    expect(evidence.candidateRecordId).toBe(first.agencyRecordId);
    expect(evidence.fields.find((f) => f.comparison === 'given_name')?.level).toBe('nickname');
    expect(evidence.fields.find((f) => f.comparison === 'dob')?.level).toBe('day_month_swapped');

    // The health record (with the NHS number) stays the one the person is shown by.
    const person = await database.db.selectFrom('person').selectAll().where('id', '=', first.personId).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ given_name: 'Amelia', family_name: 'Whitfield', date_of_birth: '2016-04-09', nhs_number: nhsNumber('943476591') });
    const addresses = await database.db.selectFrom('address').select('id').where('area_id', '=', area.id).where('postcode', '=', 'TE1 4AB').execute();
    expect(addresses).toHaveLength(1);
    const lived = await database.db.selectFrom('person_address').select(['person_id', 'address_id']).where('person_id', '=', first.personId).execute();
    expect(lived).toHaveLength(2);

    const audits = await auditOf(database, area, 'identity.resolve');
    expect(audits.map((a) => [a.subject_person_id, (a.details as { outcome: string }).outcome])).toEqual([[first.personId, 'new_person'], [first.personId, 'linked']]);
  });

  it('makes a new person of someone unlike anyone known', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    await resolveRecord(database, area, { ...amelia, nhsNumber: nhsNumber('943476591') });
    const stranger = await resolveRecord(database, area, { givenName: 'Oliver', familyName: 'Quartermaine', dateOfBirth: '1985-02-17', sex: 'M', addresses: [{ line1: '3 Mill Lane', postcode: 'TE9 9ZZ' }] });
    expect(stranger.outcome).toBe('new_person');
    expect(stranger.reviewId).toBeUndefined();
    const reviews = await database.db.selectFrom('identity_review').select('id').where('area_id', '=', area.id).execute();
    expect(reviews).toEqual([]);
  });

  it('sends an uncertain match to review, giving the record a person of its own meanwhile', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const known = await resolveRecord(database, area, { givenName: 'Kai', familyName: 'Osei', dateOfBirth: '2014-03-07', sex: 'M', addresses: [{ line1: '4 Elm Grove', postcode: 'TE2 7QP' }] });
    // Same name; a date of birth a year out; another address in the same district.
    const uncertain = await resolveRecord(database, area, { givenName: 'Kai', familyName: 'Osei', dateOfBirth: '2013-03-07', sex: 'M', addresses: [{ line1: '88 Canal Street', postcode: 'TE2 1AA' }] });
    expect(uncertain.outcome).toBe('review');
    expect(uncertain.personId).not.toBe(known.personId);
    expect(uncertain.probability).toBeGreaterThanOrEqual(0.5);
    expect(uncertain.probability).toBeLessThan(0.95);
    const review = await database.db.selectFrom('identity_review').selectAll().where('id', '=', uncertain.reviewId as string).executeTakeFirstOrThrow();
    expect(review).toMatchObject({
      agency_record_id: uncertain.agencyRecordId, candidate_person_id: known.personId, candidate_record_id: known.agencyRecordId, cause: 'uncertain', status: 'open',
    });
    expect((review.evidence as StoredEvidence).fields.find((f) => f.comparison === 'dob')?.level).toBe('one_digit');
  });

  it('finds a known child among many sharing her date of birth, by the rarer keys she shares', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const skye = await resolveRecord(database, area, { givenName: 'Skye', familyName: 'Curtis', dateOfBirth: '2015-04-01', sex: 'F', addresses: [{ line1: '1 Willow Terrace', postcode: 'TE2 3YP' }] });
    // Forty other girls called Skye born that day: each shares three keys with the arrival below
    // (date of birth, its day-month swap, first name with birthday), Skye Curtis only two (name,
    // name sounds). Counting shared keys would score them first and leave her out.
    await sql`
      WITH p AS (INSERT INTO person (area_id, given_name, family_name, date_of_birth) SELECT ${area.id}, 'Skye', 'Other' || n, date '2015-04-11' FROM generate_series(1, 40) n RETURNING id, family_name)
      INSERT INTO agency_record (area_id, agency_id, person_id, source_ref, given_name, family_name, date_of_birth, sex)
      SELECT ${area.id}, ${area.agencies.school}, p.id, 'SKYE-' || p.family_name, 'Skye', (ARRAY['Abbott','Baker','Carter','Dixon','Evans'])[1 + length(p.family_name) % 5] || p.family_name, date '2015-04-11', 'F' FROM p`.execute(database.db);
    expect(await fillRegistry(database.db, area.id)).toBe(40);
    // The hospital has her date of birth one digit out, and no address.
    const arrived = await resolveRecord(database, area, { agencyId: area.agencies.health, givenName: 'Skye', familyName: 'Curtis', dateOfBirth: '2015-04-11', sex: 'F' });
    expect(arrived).toMatchObject({ outcome: 'linked', personId: skye.personId });
  });

  it('uses the area\u2019s own thresholds', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    await database.db.updateTable('area').set({ settings: JSON.stringify({ identity: { autoLinkThreshold: 0.5, reviewThreshold: 0.2 } }) }).where('id', '=', area.id).execute();
    const known = await resolveRecord(database, area, { givenName: 'Kai', familyName: 'Osei', dateOfBirth: '2014-03-07', sex: 'M', addresses: [{ line1: '4 Elm Grove', postcode: 'TE2 7QP' }] });
    const again = await resolveRecord(database, area, { givenName: 'Kai', familyName: 'Osei', dateOfBirth: '2013-03-07', sex: 'M', addresses: [{ line1: '88 Canal Street', postcode: 'TE2 1AA' }] });
    expect(again).toMatchObject({ outcome: 'linked', personId: known.personId });

    await database.db.updateTable('area').set({ settings: JSON.stringify({ identity: { autoLinkThreshold: 0.4, reviewThreshold: 0.6 } }) }).where('id', '=', area.id).execute();
    await expect(resolveRecord(database, area, { givenName: 'Kai', familyName: 'Osei' })).rejects.toThrow(/identity.reviewThreshold must be lower than identity.autoLinkThreshold/);
  });

  it('never chains: a strong match to a person holding another valid NHS number goes to review', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const twin = { familyName: 'Okafor', dateOfBirth: '2016-04-11', sex: 'F' as const, addresses: [{ line1: '14 Elm Grove', postcode: 'TE7 2QP' }] };
    const a = await resolveRecord(database, area, { ...twin, givenName: 'Amelia', agencyId: area.agencies.health, nhsNumber: nhsNumber('943476591') });
    const b = await resolveRecord(database, area, { ...twin, givenName: 'Amelia' });
    expect(b).toMatchObject({ outcome: 'linked', personId: a.personId });
    // Everything agrees with the person made of A and B, except a different valid NHS number.
    const c = await resolveRecord(database, area, { ...twin, givenName: 'Amelia', agencyId: area.agencies.health, sourceRef: 'ED-2', nhsNumber: nhsNumber('401023213') });
    expect(c.outcome).toBe('review');
    expect(c.personId).not.toBe(a.personId);
    const review = await database.db.selectFrom('identity_review').selectAll().where('id', '=', c.reviewId as string).executeTakeFirstOrThrow();
    expect(review).toMatchObject({ cause: 'different_nhs_numbers', candidate_person_id: a.personId });
    expect(review.match_probability).toBeGreaterThan(0.95);
    const holders = await database.db.selectFrom('agency_record').select('person_id').where('nhs_number', 'is not', null).where('area_id', '=', area.id).execute();
    expect(new Set(holders.map((h) => h.person_id)).size).toBe(2);
  });

  it('does not link on a shared name when the dates of birth are years apart: a mother and daughter of one name go to review', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const home = { familyName: 'Powell', sex: 'F' as const, addresses: [{ line1: '9 Quarry Lane', postcode: 'TE5 8LD' }] };
    const mother = await resolveRecord(database, area, { ...home, givenName: 'Nadine', dateOfBirth: '1956-07-22', agencyId: area.agencies.health, nhsNumber: nhsNumber('943476591') });
    // Another agency's record of her gives no date of birth: the closest record need not hold the date that tells them apart.
    const undated = await resolveRecord(database, area, { ...home, givenName: 'Nadine', middleNames: 'Joy', sourceRef: 'HOUSING-1' });
    expect(undated).toMatchObject({ outcome: 'linked', personId: mother.personId });
    const daughter = await resolveRecord(database, area, { ...home, givenName: 'Nadine', dateOfBirth: '1975-04-25' });
    expect(daughter.outcome).toBe('review');
    expect(daughter.personId).not.toBe(mother.personId);
    const review = await database.db.selectFrom('identity_review').selectAll().where('id', '=', daughter.reviewId as string).executeTakeFirstOrThrow();
    expect(review).toMatchObject({ cause: 'different_dates_of_birth', candidate_person_id: mother.personId });
    // A keying slip in the year is not "born apart": the same woman, one digit off, still links.
    const slip = await resolveRecord(database, area, { ...home, givenName: 'Nadine', dateOfBirth: '1956-07-23', sourceRef: 'GP-9' });
    expect(slip).toMatchObject({ outcome: 'linked', personId: mother.personId });
  });

  it('keeps apart people named side by side in one notification', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const first = await resolveRecord(database, area, { givenName: 'Lily', familyName: 'Carter', dateOfBirth: '2019-06-02', sex: 'F', addresses: [{ line1: '2 Bell Close', postcode: 'TE3 3BB' }] });
    const second = await resolveRecord(database, area, {
      givenName: 'Lily', familyName: 'Carter', dateOfBirth: '2019-06-02', sex: 'F', addresses: [{ line1: '2 Bell Close', postcode: 'TE3 3BB' }], distinctFrom: [first.personId],
    });
    expect(second.outcome).toBe('review');
    expect(second.personId).not.toBe(first.personId);
    const review = await database.db.selectFrom('identity_review').select('cause').where('id', '=', second.reviewId as string).executeTakeFirstOrThrow();
    expect(review.cause).toBe('named_apart');
  });

  it('updates a record sent again, keeping its person, and asks a reviewer if it now matches someone else', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const other = await resolveRecord(database, area, { givenName: 'Noah', familyName: 'Lindqvist', dateOfBirth: '2015-01-20', sex: 'M', addresses: [{ line1: '9 Pine Walk', postcode: 'TE5 5PW' }] });
    const sent = await resolveRecord(database, area, { sourceRef: 'PN-1', givenName: 'Noel', familyName: 'Brandt', dateOfBirth: '2011-11-11', sex: 'M' });
    expect(sent.outcome).toBe('new_person');
    const again = await resolveRecord(database, area, {
      sourceRef: 'PN-1', givenName: 'Noah', familyName: 'Lindqvist', dateOfBirth: '2015-01-20', sex: 'M', addresses: [{ line1: '9 Pine Walk', postcode: 'TE5 5PW' }],
    });
    expect(again).toMatchObject({ outcome: 'updated', agencyRecordId: sent.agencyRecordId, personId: sent.personId });
    expect(again.reviewId).toBeDefined();
    const review = await database.db.selectFrom('identity_review').selectAll().where('id', '=', again.reviewId as string).executeTakeFirstOrThrow();
    expect(review).toMatchObject({ cause: 'updated_record', candidate_person_id: other.personId });
    // Its keys follow its new details: the old date of birth no longer finds it.
    const keys = await database.db.selectFrom('identity_key').select('key').where('agency_record_id', '=', sent.agencyRecordId).execute();
    expect(keys.map((k) => k.key)).toContain('dob:20150120');
    expect(keys.map((k) => k.key)).not.toContain('dob:20111111');
    const person = await database.db.selectFrom('person').select(['given_name', 'date_of_birth']).where('id', '=', sent.personId).executeTakeFirstOrThrow();
    expect(person).toEqual({ given_name: 'Noah', date_of_birth: '2015-01-20' });
    // Sent a third time, the same open question is not asked twice.
    const third = await resolveRecord(database, area, { sourceRef: 'PN-1', givenName: 'Noah', familyName: 'Lindqvist', dateOfBirth: '2015-01-20', sex: 'M' });
    expect(third.reviewId).toBeUndefined();
  });

  it('refuses a record naming an agency of another area, or without a name, saying which field', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const elsewhere = await createArea(database.db, 'Otherborough Partnership');
    await expect(resolveRecord(database, area, { givenName: 'Ada', familyName: 'Lovelace', agencyId: elsewhere.agencies.police })).rejects.toMatchObject({
      code: 'validation_failed', fields: [{ field: 'agencyId', message: 'agencyId is not an agency of this area' }],
    });
    const gp = await addAgency(database.db, area, 'school', 'Hilltop Academy');
    await expect(resolveRecord(database, area, { givenName: 'Ada', familyName: 'Lovelace', gpAgencyId: gp })).rejects.toMatchObject({ fields: [{ field: 'gpAgencyId' }] });
    await expect(resolveRecord(database, area, { dateOfBirth: '2015-02-30' })).rejects.toMatchObject({
      code: 'validation_failed', fields: expect.arrayContaining([expect.objectContaining({ field: 'dateOfBirth' }), expect.objectContaining({ field: 'familyName' })]),
    });
    const nothing = await database.db.selectFrom('agency_record').select('id').where('area_id', '=', area.id).execute();
    expect(nothing).toEqual([]);
  });

  it('is only for those who may send records in', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const inspector = await createUser(database.db, area, 'inspector');
    const gate = await gateForUser(database, inspector);
    await expect(gate.run('person.view', (scope) => resolveAgencyRecord(scope, { agencyId: area.agencies.police, sourceRef: 'X', familyName: 'Smith' }))).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('estimates the area\u2019s own model from its records when it has enough and none yet', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    // A thousand records the agencies held before identity resolution (no features, no keys).
    await sql`
      INSERT INTO agency_record (area_id, agency_id, source_ref, given_name, family_name, date_of_birth, sex)
      SELECT ${area.id}, ${area.agencies.police}, 'OLD-' || n, (ARRAY['Amelia','Oliver','Isla','Jack','Ava','Noah','Mia','Leo'])[1 + n % 8],
        (ARRAY['Smith','Jones','Taylor','Brown','Khan','Patel','Evans','Wilson','Okafor','Nowak'])[1 + (n / 8) % 10],
        date '2005-01-01' + (n * 7919) % 6000, CASE WHEN n % 2 = 0 THEN 'F' ELSE 'M' END
      FROM generate_series(1, 1000) AS n`.execute(database.db);
    await resolveRecord(database, area, { givenName: 'Isla', familyName: 'Taylor', dateOfBirth: '2010-05-05', sex: 'F' });
    const models = await database.db.selectFrom('identity_model').selectAll().where('area_id', '=', area.id).execute();
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ source: 'estimated', record_count: 1000, active: true });
    const indexed = await database.db.selectFrom('identity_features').select('agency_record_id').where('area_id', '=', area.id).execute();
    expect(indexed).toHaveLength(1001);
  });
});
