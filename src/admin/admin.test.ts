import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { createArea, createUser } from '../../test/support/factories';

const versionOf = (body: string) => /name="version" value="(\d+)"/.exec(body)![1]!;

describeEachEngine('administering users and system accounts', (ctx) => {
  it('adds a user in the browser, who can then sign in with the chosen role', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const admin = await createUser(database.db, area, 'administrator');
    const client = new TestClient(app);
    await client.signIn(admin.email, admin.password);
    await client.get('/admin/users/new');

    const invalid = await client.post('/admin/users/new', { displayName: '', email: 'not-an-email', agencyId: '', role: 'wizard', password: 'short' });
    expect(invalid.statusCode).toBe(400);
    for (const message of ['Enter the person’s full name', 'Enter an email address in the correct format', 'Choose from the list', 'Choose a role']) {
      expect(invalid.body).toContain(message);
    }
    const weak = await client.post('/admin/users/new', { displayName: 'Priya Shah', email: 'priya.shah@council.test', agencyId: area.agencies.socialCare, role: 'social_worker', password: 'short' });
    expect(weak.body).toContain('at least 12 characters');
    expect(await database.db.selectFrom('app_user').select('id').where('email', '=', 'priya.shah@council.test').execute()).toHaveLength(0);

    const created = await client.post('/admin/users/new', { displayName: 'Priya Shah', email: 'Priya.Shah@council.test', agencyId: area.agencies.socialCare, role: 'social_worker', password: 'four random words together' });
    expect(created.statusCode).toBe(302);
    const duplicate = await client.post('/admin/users/new', { displayName: 'Priya Again', email: 'priya.shah@council.test', agencyId: area.agencies.socialCare, role: 'social_worker', password: 'four random words together' }, { csrf: undefined });
    expect(duplicate.body).toContain('A user with this email address already exists');

    const priya = new TestClient(app);
    expect((await priya.signIn('priya.shah@council.test', 'four random words together')).statusCode).toBe(302);
    expect((await priya.get('/')).body).toContain('Social worker');
    const audit = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', area.id).where('action', '=', 'user.create').execute();
    expect(audit).toHaveLength(1);
  });

  it('re-roles a user, ending their sessions, and refuses a change made from a stale page', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const admin = await createUser(database.db, area, 'administrator');
    const worker = await createUser(database.db, area, 'social_worker');
    const workerClient = new TestClient(app);
    await workerClient.signIn(worker.email, worker.password);

    const client = new TestClient(app);
    await client.signIn(admin.email, admin.password);
    const page = await client.get(`/admin/users/${worker.id}`);
    const version = versionOf(page.body);
    const saved = await client.post(`/admin/users/${worker.id}`, { agencyId: area.agencies.socialCare, teamId: area.mashTeamId, role: 'mash_manager', version });
    expect(saved.statusCode).toBe(302);
    expect((await client.get(`/admin/users/${worker.id}?done=changed`)).body).toContain('Changes saved');
    expect((await workerClient.get('/')).statusCode).toBe(302);

    const stale = await client.post(`/admin/users/${worker.id}`, { agencyId: area.agencies.socialCare, teamId: '', role: 'idva', version });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this record');
    const row = await database.db.selectFrom('app_user').select(['role']).where('id', '=', worker.id).executeTakeFirstOrThrow();
    expect(row.role).toBe('mash_manager');

    const wrongTeam = await client.post(`/admin/users/${worker.id}`, { agencyId: area.agencies.police, teamId: area.mashTeamId, role: 'idva', version: String(Number(version) + 1) });
    expect(wrongTeam.body).toContain('The team must belong to the chosen agency');
  });

  it('disables and enables a user, but not oneself', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const admin = await createUser(database.db, area, 'administrator');
    const officer = await createUser(database.db, area, 'police_officer');
    const client = new TestClient(app);
    await client.signIn(admin.email, admin.password);
    let page = await client.get(`/admin/users/${officer.id}`);
    await client.post(`/admin/users/${officer.id}/status`, { action: 'disable', version: versionOf(page.body) });
    expect((await new TestClient(app).signIn(officer.email, officer.password)).statusCode).toBe(401);
    page = await client.get(`/admin/users/${officer.id}`);
    expect(page.body).toContain('Enable user');
    await client.post(`/admin/users/${officer.id}/status`, { action: 'enable', version: versionOf(page.body) });
    expect((await new TestClient(app).signIn(officer.email, officer.password)).statusCode).toBe(302);

    page = await client.get(`/admin/users/${admin.id}`);
    const self = await client.post(`/admin/users/${admin.id}/status`, { action: 'disable', version: versionOf(page.body) });
    expect(self.body).toContain('You cannot disable your own account');
  });

  it('lists only the users of the administrator’s own area', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const other = await createArea(database.db, 'Elsewhere Partnership');
    const admin = await createUser(database.db, area, 'administrator', { name: 'Home Admin' });
    const stranger = await createUser(database.db, other, 'social_worker', { name: 'Stranger Danger' });
    const client = new TestClient(app);
    await client.signIn(admin.email, admin.password);
    const list = await client.get('/admin/users');
    expect(list.body).toContain('Home Admin');
    expect(list.body).not.toContain('Stranger Danger');
    expect((await client.get(`/admin/users/${stranger.id}`)).statusCode).toBe(404);
  });

  it('issues an API token shown once, which works until revoked', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const admin = await createUser(database.db, area, 'administrator');
    const client = new TestClient(app);
    await client.signIn(admin.email, admin.password);
    await client.get('/admin/system-accounts');
    await client.post('/admin/system-accounts', { name: 'Police records system', agencyId: area.agencies.police });
    const list = await client.get('/admin/system-accounts?done=created');
    const accountId = /action="\/admin\/system-accounts\/([0-9a-f-]+)\/tokens"/.exec(list.body)![1]!;
    const issued = await client.post(`/admin/system-accounts/${accountId}/tokens`, { name: 'Production' });
    const token = /id="token" readonly value="([^"]+)"/.exec(issued.body)![1]!;
    expect(token).toMatch(/^hth_/);

    const stored = await database.db.selectFrom('api_token').select(['token_hash', 'prefix']).where('user_id', '=', accountId).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(token.startsWith(stored.prefix)).toBe(true);
    const afterwards = await client.get('/admin/system-accounts');
    expect(afterwards.body).not.toContain(token);

    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'system', role: 'agency_system', agency: { name: 'Testshire Police' } });

    const tokenId = /action="\/admin\/system-accounts\/tokens\/([0-9a-f-]+)\/revoke"/.exec(afterwards.body)![1]!;
    await client.post(`/admin/system-accounts/tokens/${tokenId}/revoke`, {});
    const refused = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });
});
