import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { addAddress, createArea, createPerson, createUser, resolveRecord } from '../../test/support/factories';
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
