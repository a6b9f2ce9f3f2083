// "Who has seen this" through its page: views, changes, searches and refusals from the audit
// chain, with role, agency and reason, newest first and paged; only for those allowed to look.
import { expect, it } from 'vitest';
import { writeAudit } from '../access/audit';
import { enterArea } from '../access/gate';
import { describeEachEngine } from '../../test/support/app';
import { resolveRecord } from '../../test/support/factories';
import { allocate, openInspectionWindow } from './testing/factories';
import { clientsFor } from './testing/clients';
import { sharingWorld } from './testing/world';

describeEachEngine('who has seen this', (ctx) => {
  const signIn = clientsFor(() => ctx().app);

  it('lists who viewed, changed or found the person, from which agency and why', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    // A record that search can find (it files the registry's keys), merged into the child below.
    const found = await resolveRecord(database, w.area, { agencyId: w.area.agencies.health, givenName: 'Evangeline', familyName: 'Hartley-Byrne', dateOfBirth: '2016-05-04', sex: 'F' });
    await allocate(database.db, w.area, w.child.id, { teamId: w.assessmentTeam, workerId: w.users.social_worker.id, by: w.users.team_manager.id });

    const officer = await signIn(w.secondOfficer);
    expect((await officer.get(`/people?name=Evangeline+Hartley-Byrne`)).body).toContain(`/people/${found.personId}`);
    await database.db.updateTable('person').set({ merged_into: w.child.id }).where('id', '=', found.personId).execute();
    await officer.post(`/people/${w.child.id}/break-glass`, { reason: 'Concern for welfare call at 2am' });
    await officer.get(`/people/${w.child.id}`);
    const researcher = await signIn(w.users.agency_researcher);
    await researcher.get(`/people/${w.child.id}/access-log`);

    const worker = await signIn(w.users.social_worker);
    const page = await worker.get(`/people/${w.child.id}/access-log`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Who has seen this record');
    const body = page.body.slice(page.body.indexOf('<tbody'));
    for (const text of [
      'Otto Officer', 'Police officer, Testshire Police', 'Found them in a search', 'Emergency access', 'Concern for welfare call at 2am', 'Opened their page',
    ]) expect(body, text).toContain(text);
    // A refused attempt names who tried, without telling them anything.
    expect(body).toContain('Rachel Health');
    expect(body).toContain('Refused');
    // Newest first: the officer's page view comes before their emergency access, which comes before the search.
    expect(body.indexOf('Opened their page')).toBeLessThan(body.indexOf('Emergency access'));
    expect(body.indexOf('Emergency access')).toBeLessThan(body.indexOf('Found them in a search'));
    const recorded = await database.db.selectFrom('audit_event').select(['subject_person_id', 'actor_user_id']).where('area_id', '=', w.area.id).where('action', '=', 'person.access_log').where('outcome', '=', 'allowed').execute();
    expect(recorded).toEqual([{ subject_person_id: w.child.id, actor_user_id: w.users.social_worker.id }]);
  });

  it('pages through a long history, 25 at a time', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    await database.db.transaction().execute(async (tx) => {
      await enterArea(tx, w.area.id);
      await writeAudit(tx, { areaId: w.area.id, actorUserId: w.users.qa_officer.id, actorAgencyId: w.area.agencies.socialCare, actorRole: 'qa_officer' },
        Array.from({ length: 30 }, (_, i) => ({ action: 'person.view', recordType: 'person', recordId: w.mother.id, subjectPersonId: w.mother.id, reason: `Audit sample ${i + 1}` })));
    });
    const qa = await signIn(w.users.qa_officer);
    const first = await qa.get(`/people/${w.mother.id}/access-log`);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('30 entries');
    expect(first.body).toContain(`/people/${w.mother.id}/access-log?page=2`);
    expect((first.body.match(/Audit sample \d+/g) ?? []).length).toBe(25);
    const second = await qa.get(`/people/${w.mother.id}/access-log?page=2`);
    // Looking at the first page was recorded too (now the newest), so the second page holds the 6 oldest.
    expect((second.body.match(/Audit sample \d+/g) ?? []).sort()).toEqual(['Audit sample 1', 'Audit sample 2', 'Audit sample 3', 'Audit sample 4', 'Audit sample 5', 'Audit sample 6']);
  });

  it('is shown only to information governance, managers and quality assurance with full access, and the allocated worker', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    await allocate(database.db, w.area, w.child.id, { teamId: w.assessmentTeam, workerId: w.users.social_worker.id, by: w.users.team_manager.id });
    await openInspectionWindow(database.db, w.area, w.users.inspector.id);
    const path = `/people/${w.child.id}/access-log`;
    const outcomes: Record<string, number> = {};
    for (const user of [...Object.values(w.users), w.colleague, w.loneSocialWorker]) {
      outcomes[`${user.role}${user === w.colleague ? ' (same team)' : user === w.loneSocialWorker ? ' (no team)' : ''}`] = (await (await signIn(user)).get(path)).statusCode;
    }
    expect(outcomes).toEqual({
      police_officer: 404, mash_practitioner: 404, mash_manager: 404, agency_researcher: 404, school_dsl: 404, social_worker: 200, team_manager: 200,
      idva: 404, marac_coordinator: 404, qa_officer: 200, performance_officer: 404, inspector: 404, administrator: 404, information_governance: 200,
      'social_worker (same team)': 404, 'social_worker (no team)': 404,
    });
  });
});
