// Sharing's other pages: what was shared about a child and the report of sharing without consent,
// sensitive notes and who may read them, allocating a case, inspectors' windows, the oversight
// hub, and the name-only summary and person-page section the person page includes.
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/app';
import { gateForUser } from '../../test/support/factories';
import { createContacts, createIncident } from '../../test/support/frontdoor';
import { createViewEnvironment } from '../web/views';
import { accessLevel } from './involvement';
import { nameOnlyView } from './name-only';
import { nameOnlyPage, sharingForPersonPage } from './present';
import { allocate, openInspectionWindow } from './testing/factories';
import { clientsFor } from './testing/clients';
import { sharingWorld, type SharingWorld } from './testing/world';
import type { TestDatabase } from '../../test/support/database';

async function shares(database: TestDatabase, w: SharingWorld) {
  const share = (consent: 'given' | 'refused' | 'not_sought', to: string, decidedAt: string, justification: string | null = null) => ({
    area_id: w.area.id, person_id: w.child.id, from_agency_id: w.area.agencies.socialCare, to_agency_id: to, consent,
    lawful_basis: consent === 'given' ? null : 'Children Act 1989 s47', justification, decided_by: w.users.mash_practitioner.id, decided_at: decidedAt,
  });
  await database.db.insertInto('information_share').values([
    share('given', w.area.agencies.school, '2026-01-05T10:00:00Z'),
    share('refused', w.area.agencies.health, '2026-02-10T10:00:00Z', 'Mother refused; child at risk of significant harm'),
    share('not_sought', w.area.agencies.police, '2026-03-20T10:00:00Z', 'Seeking consent would alert the alleged perpetrator'),
  ]).execute();
}

const levelFor = async (database: TestDatabase, user: { id: string }, personId: string) =>
  (await gateForUser(database, user)).run('self.view', (scope) => accessLevel(scope, personId));

describeEachEngine('sharing’s pages', (ctx) => {
  const signIn = clientsFor(() => ctx().app);

  it('shows what was shared with whom and on what basis, and reports shares without consent by date and agency', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    await shares(database, w);
    await allocate(database.db, w.area, w.child.id, { teamId: w.assessmentTeam, workerId: w.users.social_worker.id, by: w.users.team_manager.id });

    const worker = await signIn(w.users.social_worker);
    const page = await worker.get(`/people/${w.child.id}/shares`);
    expect(page.statusCode).toBe(200);
    for (const text of ['Consent given', 'Consent refused', 'Consent not sought', 'Children Act 1989 s47', 'Mother refused; child at risk of significant harm', 'Meadow Lane Primary School']) {
      expect(page.body, text).toContain(text);
    }
    // Not involved: as if there were nothing.
    expect((await (await signIn(w.loneSocialWorker)).get(`/people/${w.child.id}/shares`)).statusCode).toBe(404);

    const manager = await signIn(w.users.mash_manager);
    const all = await manager.get('/oversight/shares-without-consent');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('2 shares without consent');
    expect(all.body).not.toContain('Consent given');
    const march = await manager.get('/oversight/shares-without-consent?from=2026-03-01&to=2026-03-31');
    expect(march.body).toContain('1 share without consent');
    expect(march.body).toContain('Seeking consent would alert the alleged perpetrator');
    const health = await manager.get(`/oversight/shares-without-consent?agency=${w.area.agencies.health}`);
    expect(health.body).toContain('1 share without consent');
    expect(health.body).toContain('Mother refused');
    const backwards = await manager.get('/oversight/shares-without-consent?from=2026-03-31&to=2026-03-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('To must be the same as or after From');
    const report = await database.db.selectFrom('audit_event').select('details').where('area_id', '=', w.area.id).where('action', '=', 'share.report').where('actor_user_id', '=', w.users.mash_manager.id).execute();
    expect(report[0]?.details).toMatchObject({ people: [w.child.id] });

    // Oversight roles only; an inspector only within a window.
    expect((await (await signIn(w.users.social_worker)).get('/oversight/shares-without-consent')).statusCode).toBe(403);
    // Outside a window an inspector holds nothing: no report, queue or search, and the home page says why.
    const inspector = await signIn(w.users.inspector);
    for (const path of ['/oversight/shares-without-consent', '/front-door', '/people?name=Smith']) expect((await inspector.get(path)).statusCode, path).toBe(403);
    const home = await inspector.get('/');
    expect(home.body).toContain('You have no window of access at the moment');
    expect(home.body).not.toContain('href="/front-door"');
    await openInspectionWindow(database.db, w.area, w.users.inspector.id);
    for (const path of ['/oversight/shares-without-consent', '/front-door', '/people?name=Smith']) expect((await inspector.get(path)).statusCode, path).toBe(200);
    const inWindow = await inspector.get('/');
    expect(inWindow.body).not.toContain('You have no window of access');
    expect(inWindow.body).toContain('href="/front-door"');
  });

  it('shows a closed contact only to those with full access to the child, and lists the front door’s closed contacts of the last frontDoorDays', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    const incident = await createIncident(database.db, w.area, { occurredAt: new Date(Date.now() - 3_600_000), children: [{ person: w.child, present: true }] });
    const [contactId] = await createContacts(database, w.area, w.users.police_officer, incident.id, [w.child], new Date());
    const closedDaysAgo = (days: number) => database.db.updateTable('contact')
      .set({ stage: 'closed', closed_at: new Date(Date.now() - days * 86_400_000) }).where('id', '=', contactId as string).execute();
    const mash = await signIn(w.users.mash_practitioner);
    const closedList = '/front-door?stage=closed';

    await closedDaysAgo(3);
    expect((await mash.get(`/front-door/contacts/${contactId}`)).statusCode).toBe(200);
    expect((await mash.get(closedList)).body).toContain(`/front-door/contacts/${contactId}`);

    await closedDaysAgo(40);
    const old = await mash.get(`/front-door/contacts/${contactId}`);
    expect(old.statusCode).toBe(404);
    expect(old.body).not.toContain(w.child.familyName);
    expect((await mash.get(closedList)).body).not.toContain(`/front-door/contacts/${contactId}`);
    const refused = await database.db.selectFrom('audit_event').select('outcome').where('area_id', '=', w.area.id)
      .where('action', '=', 'contact.view').where('record_id', '=', contactId as string).where('actor_user_id', '=', w.users.mash_practitioner.id).orderBy('id').execute();
    expect(refused.map((r) => r.outcome)).toEqual(['allowed', 'refused']);

    // Full access another way opens it again; quality assurance sees every closed contact.
    await allocate(database.db, w.area, w.child.id, { teamId: w.area.mashTeamId, workerId: w.users.mash_practitioner.id, by: w.users.mash_manager.id });
    expect((await mash.get(`/front-door/contacts/${contactId}`)).statusCode).toBe(200);
    const qa = await signIn(w.users.qa_officer);
    expect((await qa.get(`/front-door/contacts/${contactId}`)).statusCode).toBe(200);
    expect((await qa.get(closedList)).body).toContain(`/front-door/contacts/${contactId}`);
  });

  it('keeps a sensitive note to its recorder and the roles and people named, among those with full access', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    await allocate(database.db, w.area, w.child.id, { teamId: w.assessmentTeam, workerId: w.users.social_worker.id, by: w.users.team_manager.id });
    const secret = `Told her teacher ${Date.now().toString(36)}`;
    const worker = await signIn(w.users.social_worker);
    const form = await worker.get(`/people/${w.child.id}/sensitive-notes`);
    expect(form.statusCode).toBe(200);
    const invalid = await worker.post(`/people/${w.child.id}/sensitive-notes`, { note: '', people: 'nobody@nowhere.test' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Choose what kind of sensitive information it is');
    expect(invalid.body).toContain('Enter the note');
    const unknown = await worker.post(`/people/${w.child.id}/sensitive-notes`, { category: 'child_disclosure', note: secret, people: 'nobody@nowhere.test' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('No one in this area signs in as nobody@nowhere.test');
    const saved = await worker.post(`/people/${w.child.id}/sensitive-notes`, { category: 'child_disclosure', note: secret, roles: ['team_manager'], people: w.users.idva.email });
    expect(saved.statusCode).toBe(302);
    const audit = await database.db.selectFrom('audit_event').select(['details', 'subject_person_id']).where('area_id', '=', w.area.id).where('action', '=', 'sensitive_note.record').executeTakeFirstOrThrow();
    expect(JSON.stringify(audit)).not.toContain(secret);

    const sees = async (user: typeof w.colleague) => {
      const section = await (await gateForUser(database, user)).run('person.view', (scope) => sharingForPersonPage(scope, w.child.id));
      return { reads: section.sensitive.notes.some((n) => n.note === secret), withheld: section.sensitive.withheld };
    };
    expect(await sees(w.users.social_worker)).toEqual({ reads: true, withheld: 0 });
    expect(await sees(w.users.team_manager)).toEqual({ reads: true, withheld: 0 });
    // In the team, but neither the recorder nor named.
    expect(await sees(w.colleague)).toEqual({ reads: false, withheld: 1 });
    // Named, but not involved with the child: nothing at all.
    expect(await sees(w.users.idva)).toEqual({ reads: false, withheld: 0 });
    await allocate(database.db, w.area, w.child.id, { teamId: w.idvaTeam, workerId: w.users.idva.id, by: w.users.team_manager.id });
    expect(await sees(w.users.idva)).toEqual({ reads: true, withheld: 0 });
    expect((await (await signIn(w.colleague)).get(`/people/${w.child.id}/sensitive-notes`)).body).not.toContain(secret);
    expect((await (await signIn(w.loneSocialWorker)).get(`/people/${w.child.id}/sensitive-notes`)).statusCode).toBe(404);
  });

  it('lets a manager allocate a case, which opens it to the worker and team', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    const manager = await signIn(w.users.team_manager);
    const page = await manager.get(`/people/${w.child.id}/allocation`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Colin Colleague, Assessment team');
    expect((await manager.post(`/people/${w.child.id}/allocation`, { allocation: '' })).statusCode).toBe(400);
    const done = await manager.post(`/people/${w.child.id}/allocation`, { allocation: `${w.assessmentTeam}:${w.colleague.id}` });
    expect(done.statusCode).toBe(302);
    const section = await (await gateForUser(database, w.colleague)).run('person.view', (scope) => sharingForPersonPage(scope, w.child.id));
    expect(section.allocations).toEqual([expect.objectContaining({ worker: 'Colin Colleague', team: 'Assessment team' })]);
    // The mother's own case is not allocated, but through her daughter's she is open to the worker.
    expect(await levelFor(database, w.colleague, w.mother.id)).toBe('full');
    // Reallocating within the team replaces the worker; ending it closes the record again.
    await manager.post(`/people/${w.child.id}/allocation`, { allocation: `${w.assessmentTeam}:${w.users.social_worker.id}` });
    const current = await database.db.selectFrom('case_allocation').selectAll().where('person_id', '=', w.child.id).where('ended_at', 'is', null).execute();
    expect(current).toEqual([expect.objectContaining({ worker_id: w.users.social_worker.id })]);
    const ended = await manager.post(`/people/${w.child.id}/allocation/${current[0]?.id}/end`, {});
    expect(ended.statusCode).toBe(302);
    expect(await database.db.selectFrom('case_allocation').select('id').where('person_id', '=', w.child.id).where('ended_at', 'is', null).execute()).toEqual([]);
    expect((await (await signIn(w.users.social_worker)).get(`/people/${w.child.id}/allocation`)).statusCode).toBe(404);
  });

  it('lets an administrator give an inspector a window of access, at most the area’s days, and end it', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    const admin = await signIn(w.users.administrator);
    const page = await admin.get('/admin/inspections');
    expect(page.statusCode).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const tooLong = await admin.post('/admin/inspections', { inspectorId: w.users.inspector.id, from: today, to: '2099-12-31', reason: 'JTAI domestic abuse' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('A window lasts at most 42 days');
    const notInspector = await admin.post('/admin/inspections', { inspectorId: w.users.social_worker.id, from: today, to: today, reason: 'JTAI domestic abuse' });
    expect(notInspector.body).toContain('Choose an inspector from the list');
    const granted = await admin.post('/admin/inspections', { inspectorId: w.users.inspector.id, from: today, to: today, reason: 'JTAI domestic abuse' });
    expect(granted.statusCode).toBe(302);
    expect(await levelFor(database, w.users.inspector, w.child.id)).toBe('full');
    const window = await database.db.selectFrom('inspection_access').select('id').where('area_id', '=', w.area.id).executeTakeFirstOrThrow();
    expect((await admin.get('/admin/inspections')).body).toContain('Open');
    expect((await admin.post(`/admin/inspections/${window.id}/end`, {})).statusCode).toBe(302);
    expect((await admin.post(`/admin/inspections/${window.id}/end`, {})).statusCode).toBe(409);
    expect(await levelFor(database, w.users.inspector, w.child.id)).toBe('none');
    expect((await (await signIn(w.users.information_governance)).get('/admin/inspections')).statusCode).toBe(403);
  });

  it('renders the name-only summary and the oversight hub', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    const gate = await gateForUser(database, w.users.police_officer);
    const view = await gate.run('person.view', (scope) => nameOnlyView(scope, w.mother.id));
    const html = createViewEnvironment().render('sharing/pages/name-only.njk', { ...nameOnlyPage(view, gate), navigation: [] });
    expect(html).toContain('Dawn Hartley');
    expect(html).toContain('Born in 1990.');
    expect(html).toContain(`/people/${w.mother.id}/break-glass`);
    expect(html).not.toContain('11 February 1990');
    expect(html).not.toContain('Sanctuary Close');

    const hub = await (await signIn(w.users.information_governance)).get('/oversight');
    expect(hub.statusCode).toBe(200);
    expect(hub.body).toContain('/retention');
    expect(hub.body).toContain('/oversight/shares-without-consent');
    expect(hub.body).not.toContain('/oversight/break-glass');
    expect((await (await signIn(w.users.social_worker)).get('/oversight')).statusCode).toBe(403);
  });
});
