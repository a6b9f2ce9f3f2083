import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { addAddress, createArea, createPerson, createUser, gateForUser, resolveRecord } from '../../test/support/factories';
import { viewPerson } from './person';
import { allocate, putInTeam } from '../sharing/testing/factories';

describeEachEngine('finding a person and opening their page', (ctx) => {
  it('finds a child by a misspelt name, shows their page, and records the view', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    // Records come in through identity resolution, which files them under the keys search uses.
    const child = await resolveRecord(database, area, { agencyId: area.agencies.health, givenName: 'Amelia', familyName: 'Whitfield', dateOfBirth: '2016-04-09', sex: 'F', nhsNumber: '9434765919' });
    const practitioner = await createUser(database.db, area, 'mash_practitioner');
    const manager = await createUser(database.db, area, 'mash_manager');
    const client = new TestClient(app);
    await client.signIn(practitioner.email, practitioner.password);

    // Not yet involved: the search finds her, and her page is the name-only view.
    const before = await client.get('/people?name=Amelia+Whitfeld');
    expect(before.body).toContain(`/people/${child.personId}`);
    expect(before.body).toContain('Name only');
    expect(before.body).not.toContain('9 April 2016');
    const nameOnly = await client.get(`/people/${child.personId}`);
    expect(nameOnly.statusCode).toBe(200);
    expect(nameOnly.body).toContain('Amelia Whitfield');
    expect(nameOnly.body).not.toContain('943 476 5919');

    // Her case allocated to the practitioner: the whole page.
    await allocate(database.db, area, child.personId, { teamId: area.mashTeamId, workerId: practitioner.id, by: manager.id });
    const search = await client.get('/people?name=Amelia+Whitfeld');
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain(`/people/${child.personId}`);

    const page = await client.get(`/people/${child.personId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Amelia Whitfield');
    expect(page.body).toContain('943 476 5919');

    const nameOnlyViews = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', area.id).where('action', '=', 'person.view_name_only').execute();
    expect(nameOnlyViews).toHaveLength(1);
    const views = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', area.id).where('action', '=', 'person.view').execute();
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ actor_user_id: practitioner.id, subject_person_id: child.personId, outcome: 'allowed' });
  });

  it("reads everything a person's page shows, in one view: records, addresses (sealed), relationships both ways, today's household and identity history", async () => {
    const { database } = ctx();
    const { db } = database;
    const area = await createArea(database.db);
    const child = await createPerson(db, area, { givenName: 'Nia', familyName: 'Hale', dateOfBirth: '2017-05-02', nhsNumber: '9434765919' });
    const mother = await createPerson(db, area, { givenName: 'Rhian', familyName: 'Hale', dateOfBirth: '1990-02-11' });
    const brother = await createPerson(db, area, { givenName: 'Owen', familyName: 'Hale', dateOfBirth: '2012-08-30' });
    const lodger = await createPerson(db, area, { givenName: 'Gary', familyName: 'Tate', dateOfBirth: '1975-01-01' });
    const refuge = await addAddress(db, area, child.id, { line1: '1 Refuge Way', postcode: 'TE3 9ZZ', confidential: true });
    const home = await db.insertInto('household').values({ area_id: area.id, address_id: child.addressId, from_date: '2020-01-01' }).returning('id').executeTakeFirstOrThrow();
    const ended = await db.insertInto('household').values({ area_id: area.id, address_id: null, from_date: '2015-01-01', to_date: '2019-12-31' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('household_member').values([
      { area_id: area.id, household_id: home.id, person_id: child.id, from_date: '2020-01-01' },
      { area_id: area.id, household_id: home.id, person_id: mother.id, from_date: '2020-01-01' },
      { area_id: area.id, household_id: home.id, person_id: brother.id, from_date: '2020-01-01' },
      { area_id: area.id, household_id: home.id, person_id: lodger.id, from_date: '2020-01-01', to_date: '2021-01-01' },
      { area_id: area.id, household_id: ended.id, person_id: child.id, from_date: '2015-01-01' },
    ]).execute();
    await db.insertInto('relationship').values([
      { area_id: area.id, person_id: mother.id, related_person_id: child.id, kind: 'parent_of' },
      { area_id: area.id, person_id: child.id, related_person_id: brother.id, kind: 'sibling_of' },
      { area_id: area.id, person_id: lodger.id, related_person_id: child.id, kind: 'alleged_perpetrator_of' },
    ]).execute();
    const old = await db.insertInto('person').values({ area_id: area.id, given_name: 'Nia', family_name: 'Hales', merged_into: child.id }).returning('id').executeTakeFirstOrThrow();
    const manager = await createUser(db, area, 'team_manager', { name: 'Pat Merge' });
    await db.insertInto('person_merge').values({
      area_id: area.id, kept_person_id: child.id, merged_person_id: old.id, reason: 'Same NHS number', merged_by: manager.id,
      merged_at: '2026-03-04T10:00:00Z', agency_record_ids: [], moved: '{}',
    }).execute();
    await db.insertInto('person_split').values({ area_id: area.id, from_person_id: child.id, to_person_id: brother.id, agency_record_ids: [randomUUID()], reason: 'Twin', split_by: manager.id, split_at: '2026-05-06T10:00:00Z' }).execute();

    const qa = await createUser(db, area, 'qa_officer');
    // Asked for by the merged id, the person it was merged into.
    const view = await (await gateForUser(database, qa)).run('person.view', (scope) => viewPerson(scope, old.id));
    expect(view).toMatchObject({ id: child.id, givenName: 'Nia', familyName: 'Hale', dateOfBirth: '2017-05-02', nhsNumber: '9434765919', isAllegedPerpetrator: false });
    expect(view.agencyRecords).toEqual([expect.objectContaining({ givenName: 'Nia', familyName: 'Hale', dateOfBirth: '2017-05-02' })]);
    // The refuge is withheld from someone who may not see confidential addresses, and the newest first.
    expect(view.addresses.map((a) => [a.id, a.sealed, a.line1, a.fromDate])).toEqual([[refuge, true, null, '2025-06-01'], [child.addressId, false, '12 Orchard Road', '2024-01-01']]);
    expect(view.relationships.map((r) => [r.personId, r.kind, r.direction]).sort()).toEqual([
      [brother.id, 'sibling_of', 'outgoing'], [lodger.id, 'alleged_perpetrator_of', 'incoming'], [mother.id, 'parent_of', 'incoming'],
    ].sort());
    // Today's household only, and in it everyone else living there today, oldest first.
    expect(view.households).toEqual([{
      id: home.id, sealed: false, confidential: false, address: '12 Orchard Road, Testbury, TE1 4AB', fromDate: '2020-01-01',
      members: [mother, brother].map((m) => ({ personId: m.id, givenName: m.givenName, familyName: m.familyName, dateOfBirth: m.dateOfBirth, expectedDateOfBirth: null, fromDate: '2020-01-01' })),
    }]);
    expect(view.identityHistory).toEqual([
      { kind: 'split_off', otherPersonId: brother.id, otherName: 'Owen Hale', by: 'Pat Merge', at: new Date('2026-05-06T10:00:00Z'), reason: 'Twin', undoneAt: null, undoneBy: null },
      { kind: 'merged_in', otherPersonId: old.id, otherName: 'Nia Hales', by: 'Pat Merge', at: new Date('2026-03-04T10:00:00Z'), reason: 'Same NHS number', undoneAt: null, undoneBy: null },
    ]);
    const perpetrator = await (await gateForUser(database, qa)).run('person.view', (scope) => viewPerson(scope, lodger.id));
    expect(perpetrator.isAllegedPerpetrator).toBe(true);
    expect(perpetrator.households).toEqual([]);
  });

  it('finds by date of birth with day and month swapped, by NHS number and by postcode', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const child = await createPerson(database.db, area, { givenName: 'Kai', familyName: 'Osei', dateOfBirth: '2014-03-07', nhsNumber: '4010232137', postcode: 'TE9 2QP' });
    const practitioner = await createUser(database.db, area, 'social_worker');
    const client = new TestClient(app);
    await client.signIn(practitioner.email, practitioner.password);
    for (const query of ['dateOfBirth=2014-07-03', 'nhsNumber=401+023+2137', 'postcode=te92qp']) {
      const response = await client.get(`/people?${query}`);
      expect(response.body, query).toContain(`/people/${child.id}`);
    }
  });

  it('never shows or finds a confidential address for someone without access', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const victim = await createPerson(database.db, area, { givenName: 'Rosa', familyName: 'Marchetti', dateOfBirth: '1990-11-02' });
    const canary = `Canary Refuge ${Date.now()}`;
    await addAddress(database.db, area, victim.id, { line1: canary, postcode: 'TE7 1ZZ', town: 'Sealedtown', confidential: true });
    const worker = await createUser(database.db, area, 'social_worker');
    const manager = await createUser(database.db, area, 'team_manager');
    // Both work with her: the case is allocated to the social worker, in the manager's team.
    await putInTeam(database.db, manager.id, area.mashTeamId);
    await allocate(database.db, area, victim.id, { teamId: area.mashTeamId, workerId: worker.id, by: manager.id });

    const workerClient = new TestClient(app);
    await workerClient.signIn(worker.email, worker.password);
    const workerView = await workerClient.get(`/people/${victim.id}`);
    expect(workerView.statusCode).toBe(200);
    expect(workerView.body).toContain('Confidential address: withheld');
    for (const secret of [canary, 'TE7 1ZZ', 'Sealedtown']) expect(workerView.body).not.toContain(secret);
    const byPostcode = await workerClient.get('/people?postcode=TE7+1ZZ');
    expect(byPostcode.body).not.toContain(`/people/${victim.id}`);

    const managerClient = new TestClient(app);
    await managerClient.signIn(manager.email, manager.password);
    const managerView = await managerClient.get(`/people/${victim.id}`);
    expect(managerView.body).toContain(canary);
  });

  it('answers "not found" for a person of another area, and records the refusal', async () => {
    const { app, database } = ctx();
    const home = await createArea(database.db);
    const elsewhere = await createArea(database.db, 'Otherborough Partnership');
    const child = await createPerson(database.db, elsewhere, { givenName: 'Noah', familyName: 'Lindqvist', dateOfBirth: '2015-01-20' });
    const practitioner = await createUser(database.db, home, 'mash_practitioner');
    const client = new TestClient(app);
    await client.signIn(practitioner.email, practitioner.password);

    const page = await client.get(`/people/${child.id}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Page not found');
    expect(page.body).not.toContain('Lindqvist');
    const search = await client.get('/people?name=Noah+Lindqvist');
    expect(search.body).not.toContain(child.id);

    const refusal = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', home.id).where('action', '=', 'person.view').executeTakeFirstOrThrow();
    expect(refusal).toMatchObject({ outcome: 'refused', record_id: child.id });
  });

  it('tells the searcher what is wrong with their search', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const user = await createUser(database.db, area, 'mash_practitioner');
    const client = new TestClient(app);
    await client.signIn(user.email, user.password);
    const empty = await client.get('/people?name=&dateOfBirth=&nhsNumber=&postcode=');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter a name, date of birth, NHS number or postcode');
    const badDate = await client.get('/people?dateOfBirth=2015-02-30');
    expect(badDate.body).toContain('Date of birth must be a real date');
    const badNhs = await client.get('/people?nhsNumber=12345');
    expect(badNhs.body).toContain('NHS number must be 10 digits');
  });
});
