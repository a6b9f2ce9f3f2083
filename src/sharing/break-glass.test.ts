// Emergency access through the pages: asking with a reason, for the area's hours, audited;
// shown to the team holding the case; reviewed by another manager, never by oneself.
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/app';
import { gateForUser } from '../../test/support/factories';
import { sharingForPersonPage } from './present';
import { allocate } from './testing/factories';
import { clientsFor, versionIn } from './testing/clients';
import { sharingWorld } from './testing/world';

describeEachEngine('emergency access', (ctx) => {
  const signIn = clientsFor(() => ctx().app);

  it('opens a record for the area’s hours with a stated reason, audited, and refuses without one', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    await database.db.updateTable('area').set({ settings: JSON.stringify({ sharing: { breakGlassHours: 2 } }) }).where('id', '=', w.area.id).execute();
    const officer = await signIn(w.users.police_officer);

    const form = await officer.get(`/people/${w.mother.id}/break-glass`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Request emergency access');

    const tooShort = await officer.post(`/people/${w.mother.id}/break-glass`, { reason: 'urgent' });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.body).toContain('Say why you need emergency access, in at least 10 characters');
    expect(await database.db.selectFrom('break_glass').select('id').where('area_id', '=', w.area.id).execute()).toEqual([]);

    const before = Date.now();
    const opened = await officer.post(`/people/${w.mother.id}/break-glass`, { reason: 'Officers at the door now; need to know who lives there' });
    expect(opened.statusCode).toBe(302);
    expect(opened.headers.location).toBe(`/people/${w.mother.id}?done=break_glass`);
    const grant = await database.db.selectFrom('break_glass').selectAll().where('area_id', '=', w.area.id).executeTakeFirstOrThrow();
    expect(grant).toMatchObject({ user_id: w.users.police_officer.id, agency_id: w.area.agencies.police, person_id: w.mother.id, review_outcome: null });
    const hours = (grant.expires_at.getTime() - grant.started_at.getTime()) / 3_600_000;
    expect(hours).toBe(2);
    expect(grant.started_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const audit = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', w.area.id).where('action', '=', 'person.break_glass').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_user_id: w.users.police_officer.id, subject_person_id: w.mother.id, reason: 'Officers at the door now; need to know who lives there', outcome: 'allowed' });

    // Already open through the emergency access: asking again extends it; someone involved is told they need none.
    await allocate(database.db, w.area, w.mother.id, { teamId: w.idvaTeam, workerId: w.users.idva.id, by: w.users.team_manager.id });
    const idva = await signIn(w.users.idva);
    const needless = await idva.post(`/people/${w.mother.id}/break-glass`, { reason: 'Checking something on my own case' });
    expect(needless.statusCode).toBe(409);
    expect(needless.body).toContain('You already have access to this record');
  });

  it('is refused, as if the person did not exist, to roles that may not use it', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    for (const user of [w.users.information_governance, w.users.agency_researcher, w.users.qa_officer, w.users.administrator]) {
      const client = await signIn(user);
      expect((await client.get(`/people/${w.child.id}/break-glass`)).statusCode, user.role).toBe(404);
      expect((await client.post(`/people/${w.child.id}/break-glass`, { reason: 'I would like to look at this' })).statusCode, user.role).toBe(404);
    }
    expect(await database.db.selectFrom('break_glass').select('id').where('area_id', '=', w.area.id).execute()).toEqual([]);
    const refusals = await database.db.selectFrom('audit_event').select('actor_role').where('area_id', '=', w.area.id).where('action', '=', 'person.break_glass').where('outcome', '=', 'refused').execute();
    expect(refusals.length).toBe(8);
  });

  it('is shown to the team holding the case, and reviewed by another manager', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    await allocate(database.db, w.area, w.child.id, { teamId: w.assessmentTeam, workerId: w.users.social_worker.id, by: w.users.team_manager.id });
    const officer = await signIn(w.secondOfficer);
    expect((await officer.post(`/people/${w.child.id}/break-glass`, { reason: 'Child missing tonight; checking who she may be with' })).statusCode).toBe(302);

    // The notice on the child's page, for whoever has full access (the team holding the case).
    const notices = await (await gateForUser(database, w.colleague)).run('person.view', (scope) => sharingForPersonPage(scope, w.child.id));
    expect(notices.notices).toEqual([expect.objectContaining({ userName: 'Otto Officer', agencyName: 'Testshire Police', reason: 'Child missing tonight; checking who she may be with', active: true })]);
    const stranger = await (await gateForUser(database, w.loneSocialWorker)).run('person.view', (scope) => sharingForPersonPage(scope, w.child.id));
    expect(stranger.notices).toEqual([]);

    // The team's own page of emergency access to its cases.
    const team = await signIn(w.colleague);
    const page = await team.get('/emergency-access');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('To cases your team holds');
    expect(page.body).toContain('Otto Officer');
    expect(page.body).toContain('Child missing tonight');
    const other = await signIn(w.loneSocialWorker);
    expect((await other.get('/emergency-access')).body).not.toContain('Otto Officer');

    // Managers review; not justified needs a note.
    const manager = await signIn(w.users.team_manager);
    const list = await manager.get('/oversight/break-glass');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Waiting for review (1)');
    const grant = await database.db.selectFrom('break_glass').select(['id', 'version']).where('area_id', '=', w.area.id).executeTakeFirstOrThrow();
    const noNote = await manager.post(`/oversight/break-glass/${grant.id}/review`, { version: versionIn(list.body, grant.id), outcome: 'not_justified' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.body).toContain('Say why it was not justified');
    const reviewed = await manager.post(`/oversight/break-glass/${grant.id}/review`, { version: String(grant.version), outcome: 'justified', note: 'Missing child, out of hours' });
    expect(reviewed.statusCode).toBe(302);
    const after = await database.db.selectFrom('break_glass').selectAll().where('id', '=', grant.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ review_outcome: 'justified', reviewed_by: w.users.team_manager.id, review_note: 'Missing child, out of hours' });
    expect((await manager.get('/oversight/break-glass?status=reviewed')).body).toContain('Missing child, out of hours');
    const twice = await manager.post(`/oversight/break-glass/${grant.id}/review`, { version: String(after.version), outcome: 'justified' });
    expect(twice.statusCode).toBe(409);

    // A manager who broke the glass cannot review it; another can.
    const mashManager = await signIn(w.users.mash_manager);
    await mashManager.post(`/people/${w.stranger.id}/break-glass`, { reason: 'Out-of-hours call about this child' });
    const own = await database.db.selectFrom('break_glass').select(['id', 'version']).where('user_id', '=', w.users.mash_manager.id).executeTakeFirstOrThrow();
    const ownList = await mashManager.get('/oversight/break-glass');
    expect(ownList.body).toContain('You cannot review your own emergency access');
    const refused = await mashManager.post(`/oversight/break-glass/${own.id}/review`, { version: String(own.version), outcome: 'justified' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('You cannot review your own emergency access');
    expect((await manager.post(`/oversight/break-glass/${own.id}/review`, { version: String(own.version), outcome: 'justified' })).statusCode).toBe(302);

    // Practitioners may not review.
    const practitioner = await signIn(w.users.mash_practitioner);
    expect((await practitioner.get('/oversight/break-glass')).statusCode).toBe(403);
    const reviews = await database.db.selectFrom('audit_event').select(['actor_user_id', 'outcome']).where('area_id', '=', w.area.id).where('action', '=', 'break_glass.review').where('outcome', '=', 'allowed').execute();
    expect(reviews).toHaveLength(2);
  });
});
