// The front door's pages through HTTP: the queue, the contact page and its sealed addresses,
// screening's form errors, each agency's own checks (and nothing else), the decision and the
// manager's authorisation, stale forms.
import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { addAddress, createArea, createPerson, createUser, type TestArea, type TestUser } from '../../test/support/factories';
import { createContacts, createIncident, sampleIncidentDetails } from '../../test/support/frontdoor';
import type { TestDatabase } from '../../test/support/database';
import type { FastifyInstance } from 'fastify';

interface World {
  area: TestArea;
  police: TestUser;
  practitioner: TestUser;
  manager: TestUser;
  health: TestUser;
  school: TestUser;
}

async function world(database: TestDatabase): Promise<World> {
  const area = await createArea(database.db);
  return {
    area,
    police: await createUser(database.db, area, 'police_officer'),
    practitioner: await createUser(database.db, area, 'mash_practitioner', { name: 'Priya Practitioner' }),
    manager: await createUser(database.db, area, 'mash_manager', { name: 'Helen Manager' }),
    health: await createUser(database.db, area, 'agency_researcher', { agencyId: area.agencies.health, name: 'Rachel Health' }),
    school: await createUser(database.db, area, 'school_dsl', { agencyId: area.agencies.school, name: 'Mark School' }),
  };
}

async function client(app: FastifyInstance, user: TestUser): Promise<TestClient> {
  const c = new TestClient(app);
  await c.signIn(user.email, user.password);
  return c;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
/** The version a form was opened at, as the browser would send it back. */
const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? 'none';

describeEachEngine('the front door’s pages', (ctx) => {
  it('lists open contacts with overdue ones standing out, counts by stage and filters; empty when clear', async () => {
    const { app, database } = ctx();
    const w = await world(database);
    const mash = await client(app, w.practitioner);
    const empty = await mash.get('/front-door');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('The front door is clear');

    const late = await createPerson(database.db, w.area, { givenName: 'Oliver', familyName: 'Late', dateOfBirth: '2016-02-02' });
    const fresh = await createPerson(database.db, w.area, { givenName: 'Freya', familyName: 'Fresh', dateOfBirth: '2020-06-06' });
    const old = await createIncident(database.db, w.area, { children: [{ person: late }], occurredAt: hoursAgo(24 * 8) });
    const recent = await createIncident(database.db, w.area, { children: [{ person: fresh }], occurredAt: hoursAgo(1) });
    const [lateId] = await createContacts(database, w.area, w.police, old.id, [late], hoursAgo(24 * 8));
    await createContacts(database, w.area, w.police, recent.id, [fresh], hoursAgo(1));

    const page = await mash.get('/front-door');
    expect(page.body).toContain('Oliver Late');
    expect(page.body).toContain('Freya Fresh');
    expect(page.body.indexOf('Oliver Late')).toBeLessThan(page.body.indexOf('Freya Fresh'));
    expect(page.body).toMatch(/overdue by \d+ days/);
    expect(page.body).toContain('hearth-row--overdue');
    expect(page.body).toMatch(/hearth-counts__number">2<\/span> Screening/);
    expect(page.body).toContain('Police notification');

    const overdue = await mash.get('/front-door?overdue=yes');
    expect(overdue.body).toContain('Oliver Late');
    expect(overdue.body).not.toContain('Freya Fresh');
    expect(overdue.body).toContain('Remove this filter');
    const none = await mash.get('/front-door?priority=red');
    expect(none.body).toContain('No contacts match these filters');

    const audit = await database.db.selectFrom('audit_event').select('details').where('area_id', '=', w.area.id).where('action', '=', 'contact.list').execute();
    expect(audit.some((a) => JSON.stringify(a.details).includes(lateId!))).toBe(true);

    const researcher = await client(app, w.health);
    expect((await researcher.get('/front-door')).statusCode).toBe(403);
  });

  it('shows the contact: child, notification, the child’s voice, chronology; audited as a view of the child; sealed addresses withheld', async () => {
    const { app, database } = ctx();
    const w = await world(database);
    const child = await createPerson(database.db, w.area, { givenName: 'Amelia', familyName: 'Whitfield', dateOfBirth: '2017-04-09' });
    const canary = `Refuge Canary ${Date.now()}`;
    const refuge = await addAddress(database.db, w.area, child.id, { line1: canary, postcode: 'TE7 9ZZ', town: 'Sealedtown', confidential: true });
    const event = await createIncident(database.db, w.area, {
      children: [{ person: child, present: true, voice: 'I hid under my bed.' }], occurredAt: hoursAgo(3), addressId: refuge,
      summary: 'Domestic assault at the home address; 1 child present; medium risk.',
      details: { ...sampleIncidentDetails, location: `${canary}, Sealedtown TE7 9ZZ`, circumstances: 'Suspect pushed victim against a wall.' },
    });
    const [id] = await createContacts(database, w.area, w.police, event.id, [child], hoursAgo(2));

    const mash = await client(app, w.practitioner);
    const page = await mash.get(`/front-door/contacts/${id}`);
    expect(page.statusCode).toBe(200);
    for (const text of ['Amelia Whitfield', 'I hid under my bed.', 'Suspect pushed victim against a wall.', 'Officer’s risk grade', '11 “yes”', 'Referral to IDVA', 'Present']) {
      expect(page.body, text).toContain(text);
    }
    expect(page.body).toContain('Confidential address: withheld');
    for (const secret of [canary, 'TE7 9ZZ', 'Sealedtown']) expect(page.body, secret).not.toContain(secret);

    const manager = await client(app, w.manager);
    const managerPage = await manager.get(`/front-door/contacts/${id}`);
    expect(managerPage.body).toContain(canary);

    const views = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', w.area.id).where('action', '=', 'contact.view').orderBy('id').execute();
    expect(views.map((v) => [v.actor_user_id, v.subject_person_id, v.outcome])).toEqual([
      [w.practitioner.id, child.id, 'allowed'], [w.manager.id, child.id, 'allowed'],
    ]);
    expect((await mash.get('/front-door/contacts/not-a-contact')).statusCode).toBe(404);
  });

  it('walks screening, agency answers, decision and authorisation through the forms, with errors named', async () => {
    const { app, database } = ctx();
    const w = await world(database);
    const child = await createPerson(database.db, w.area, { givenName: 'Noah', familyName: 'Reid', dateOfBirth: '2015-01-20' });
    const canary = `Secret Flat ${Date.now()}`;
    await addAddress(database.db, w.area, child.id, { line1: canary, postcode: 'TE8 1QQ', confidential: true });
    const event = await createIncident(database.db, w.area, { children: [{ person: child, present: true }], occurredAt: hoursAgo(3) });
    const [id] = await createContacts(database, w.area, w.police, event.id, [child], hoursAgo(2));
    const { health, school } = w.area.agencies;

    const mash = await client(app, w.practitioner);
    const form = await mash.get(`/front-door/contacts/${id}/screen`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Testshire Hospital Emergency Department');

    const bad = await mash.post(`/front-door/contacts/${id}/screen`, {
      version: '1', priority: 'red', priorityReason: 'Child present; injuries.', agencies: health,
      [`question-${health}`]: 'Health involvement?', [`consent-${health}`]: 'not_sought',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose the lawful basis for sharing with Testshire Hospital Emergency Department without consent');
    expect(bad.body).toContain(`href="#lawfulBasis-${health}"`);
    expect(bad.body).toContain(`href="#justification-${health}"`);

    // One agency ticked, and another school chosen from the list of all agencies.
    const screened = await mash.post(`/front-door/contacts/${id}/screen`, {
      version: '1', priority: 'red', priorityReason: 'Child present; injuries. <script>alert(1)</script>', agencies: [health, 'extra'],
      [`question-${health}`]: 'Health involvement?', [`consent-${health}`]: 'not_sought', [`lawfulBasis-${health}`]: 'Children Act 1989 s47',
      [`justification-${health}`]: 'Asking could alert the suspect.',
      extraAgency: school, 'question-extra': 'How is Noah at school?', 'consent-extra': 'given',
    });
    expect(screened.statusCode).toBe(302);
    const afterScreen = await mash.get(`/front-door/contacts/${id}?done=screened`);
    expect(afterScreen.body).toContain('Contact screened');
    expect(afterScreen.body).toContain('Children Act 1989 s47');
    expect(afterScreen.body).toContain('Asking could alert the suspect.');
    expect(afterScreen.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(afterScreen.body).not.toContain('<script>alert(1)');

    const checks = await database.db.selectFrom('agency_check').select(['id', 'agency_id']).where('contact_id', '=', id!).execute();
    const healthCheck = checks.find((k) => k.agency_id === health)!.id;
    const schoolCheck = checks.find((k) => k.agency_id === school)!.id;

    // The school answers; its words are a canary the health researcher must never see.
    const dsl = await client(app, w.school);
    const schoolQueue = await dsl.get('/checks');
    expect(schoolQueue.body).toContain('Noah Reid');
    await dsl.get(`/checks/${schoolCheck}`);
    const schoolWords = `Attendance canary ${Date.now()}`;
    const answeredBySchool = await dsl.post(`/checks/${schoolCheck}`, { version: '1', knownToAgency: 'yes', involvement: 'On roll', concerns: schoolWords, history: 'None' });
    expect(answeredBySchool.statusCode).toBe(302);

    const researcher = await client(app, w.health);
    const list = await researcher.get('/checks');
    expect(list.body).toContain(`/checks/${healthCheck}`);
    expect(list.body).not.toContain(schoolCheck);
    for (const path of [`/checks/${schoolCheck}`, `/front-door/contacts/${id}`, `/front-door/contacts/${id}/screen`]) {
      const response = await researcher.get(path);
      expect(response.statusCode, path).toBe(path.endsWith('/screen') ? 403 : 404);
      expect(response.body).not.toContain('Noah');
    }
    const answerPage = await researcher.get(`/checks/${healthCheck}`);
    expect(answerPage.statusCode).toBe(200);
    expect(answerPage.body).toContain('Noah Reid');
    expect(answerPage.body).toContain('20 January 2015');
    expect(answerPage.body).toContain('Health involvement?');
    for (const hidden of [schoolWords, 'Suspect pushed victim', 'Domestic assault', canary, 'TE8 1QQ', 'How is Noah at school?', 'Children Act 1989 s47']) {
      expect(answerPage.body, hidden).not.toContain(hidden);
    }
    const invalid = await researcher.post(`/checks/${healthCheck}`, { version: '1', knownToAgency: 'yes', involvement: '', concerns: '', history: '' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Describe your agency’s involvement with the child and family');
    expect(invalid.body).toContain('href="#history"');
    const answered = await researcher.post(`/checks/${healthCheck}`, { version: '1', knownToAgency: 'no', involvement: '', concerns: '', history: '' });
    expect(answered.statusCode).toBe(302);
    expect((await researcher.get(`/checks/${healthCheck}?done=answered`)).body).toContain('Your agency’s answer');

    // All answered: the decision, first without reasons.
    const decidePage = await mash.get(`/front-door/contacts/${id}/decide`);
    expect(decidePage.body).toContain(schoolWords);
    const v = versionIn(decidePage.body);
    const noReasons = await mash.post(`/front-door/contacts/${id}/decide`, { version: v, decision: 'strategy_discussion', reasons: '', maracReferral: 'yes' });
    expect(noReasons.statusCode).toBe(400);
    expect(noReasons.body).toContain('Write the reasons for the decision');
    const stale = await mash.post(`/front-door/contacts/${id}/decide`, { version: String(Number(v) - 1), decision: 'strategy_discussion', reasons: 'Serious.', maracReferral: 'yes' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this record since you opened it');
    const decided = await mash.post(`/front-door/contacts/${id}/decide`, { version: v, decision: 'strategy_discussion', reasons: 'Noah present at an escalating assault.', maracReferral: 'yes' });
    expect(decided.statusCode).toBe(302);

    // The practitioner cannot authorise; the manager returns it, then authorises the revised decision.
    expect((await mash.get(`/front-door/contacts/${id}/authorise`)).statusCode).toBe(403);
    const manager = await client(app, w.manager);
    const authorisePage = await manager.get(`/front-door/contacts/${id}/authorise`);
    const returned = await manager.post(`/front-door/contacts/${id}/authorise`, { version: versionIn(authorisePage.body), outcome: 'return', comment: 'Say how Noah’s school concerns weigh.' });
    expect(returned.statusCode).toBe(302);
    const returnedPage = await mash.get(`/front-door/contacts/${id}`);
    expect(returnedPage.body).toContain('Returned with a comment');
    expect(returnedPage.body).toContain('Say how Noah’s school concerns weigh.');
    const redecide = await mash.get(`/front-door/contacts/${id}/decide`);
    expect(redecide.body).toContain('Noah present at an escalating assault.');
    await mash.post(`/front-door/contacts/${id}/decide`, { version: versionIn(redecide.body), decision: 'strategy_discussion', reasons: 'Noah present; school reports distress. Section 47.', maracReferral: 'yes' });
    const again = await manager.get(`/front-door/contacts/${id}/authorise`);
    const authorised = await manager.post(`/front-door/contacts/${id}/authorise`, { version: versionIn(again.body), outcome: 'authorise', comment: '' });
    expect(authorised.statusCode).toBe(302);
    const closed = await manager.get(`/front-door/contacts/${id}?done=authorised`);
    expect(closed.body).toContain('Decision authorised');
    expect(closed.body).toContain('Strategy discussion (section 47)');
  });

  it('refuses a manager’s authorisation of their own decision with a clear message', async () => {
    const { app, database } = ctx();
    const w = await world(database);
    const child = await createPerson(database.db, w.area, { givenName: 'Isla', familyName: 'Grant', dateOfBirth: '2018-03-03' });
    const event = await createIncident(database.db, w.area, { children: [{ person: child }], occurredAt: hoursAgo(3) });
    const [id] = await createContacts(database, w.area, w.police, event.id, [child], hoursAgo(2));
    const manager = await client(app, w.manager);
    await manager.get(`/front-door/contacts/${id}/screen`);
    expect((await manager.post(`/front-door/contacts/${id}/screen`, { version: '1', priority: 'green', priorityReason: 'No concerns known.' })).statusCode).toBe(302);
    await manager.get(`/front-door/contacts/${id}/decide`);
    expect((await manager.post(`/front-door/contacts/${id}/decide`, { version: '2', decision: 'information_and_advice', reasons: 'Advice to mother.', maracReferral: 'no' })).statusCode).toBe(302);
    const page = await manager.get(`/front-door/contacts/${id}/authorise`);
    expect(page.body).toContain('you cannot authorise it');
    const refused = await manager.post(`/front-door/contacts/${id}/authorise`, { version: '3', outcome: 'authorise', comment: '' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('There is a problem');
    expect(refused.body).toContain('You recorded this decision, so you cannot authorise it');
    const stage = await database.db.selectFrom('contact').select('stage').where('id', '=', id!).executeTakeFirstOrThrow();
    expect(stage.stage).toBe('authorisation');
  });

  it('answers "not found" for a contact or check of another area', async () => {
    const { app, database } = ctx();
    const w = await world(database);
    const other = await world(database);
    const child = await createPerson(database.db, other.area, { givenName: 'Zed', familyName: 'Away', dateOfBirth: '2016-01-01' });
    const event = await createIncident(database.db, other.area, { children: [{ person: child }], occurredAt: hoursAgo(3) });
    const [id] = await createContacts(database, other.area, other.police, event.id, [child], hoursAgo(2));
    const mash = await client(app, w.practitioner);
    const response = await mash.get(`/front-door/contacts/${id}`);
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('Zed');
    const refusal = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', w.area.id).where('action', '=', 'contact.view').executeTakeFirstOrThrow();
    expect(refusal).toMatchObject({ outcome: 'refused', record_id: id });
  });
});
