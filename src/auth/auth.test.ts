import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { createArea, createUser } from '../../test/support/factories';
import { passwordProblem } from './passwords';

describeEachEngine('signing in and sessions', (ctx) => {
  it('signs in with the right password, sets a safe session cookie, and signs out', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const user = await createUser(database.db, area, 'social_worker');
    const client = new TestClient(app);
    const response = await client.signIn(user.email.toUpperCase(), user.password);
    expect(response.statusCode).toBe(302);
    const cookie = response.cookies.find((c) => c.name === 'hearth_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const home = await client.get('/');
    expect(home.body).toContain('Test social worker');

    // The database keeps only a hash of the cookie.
    const stored = await database.db.selectFrom('user_session').select('id').where('user_id', '=', user.id).execute();
    expect(stored.map((s) => s.id)).not.toContain(cookie!.value);

    await client.post('/sign-out', {});
    const after = await client.get('/');
    expect(after.statusCode).toBe(302);
    expect(after.headers.location).toBe('/sign-in?returnTo=%2F');
  });

  it('refuses a wrong password with the same message as an unknown email', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const user = await createUser(database.db, area, 'social_worker');
    const client = new TestClient(app);
    const wrong = await client.signIn(user.email, 'not the right password');
    const unknown = await client.signIn('nobody@nowhere.test', 'not the right password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toContain('Enter a correct email address and password');
    expect(unknown.body).toContain('Enter a correct email address and password');
    expect(client.hasSession()).toBe(false);
  });

  it('locks the account after repeated failures, audits it, and an administrator can unlock it', async () => {
    const { app, database, config } = ctx();
    const area = await createArea(database.db);
    const user = await createUser(database.db, area, 'police_officer');
    const admin = await createUser(database.db, area, 'administrator');
    const client = new TestClient(app);
    for (let i = 1; i < config.lockoutAttempts; i++) expect((await client.signIn(user.email, `wrong guess ${i}`)).statusCode).toBe(401);
    const locking = await client.signIn(user.email, 'wrong guess final');
    expect(locking.statusCode).toBe(423);
    expect(locking.body).toContain('This account is locked');
    // Even the right password is refused while locked.
    const right = await client.signIn(user.email, user.password);
    expect(right.statusCode).toBe(423);
    expect(client.hasSession()).toBe(false);

    const locked = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', area.id).where('action', '=', 'auth.account_locked').execute();
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({ actor_user_id: user.id, outcome: 'refused', record_id: user.id });

    const adminClient = new TestClient(app);
    await adminClient.signIn(admin.email, admin.password);
    const page = await adminClient.get(`/admin/users/${user.id}`);
    expect(page.body).toContain('Unlock account');
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    await adminClient.post(`/admin/users/${user.id}/status`, { action: 'unlock', version });
    expect((await client.signIn(user.email, user.password)).statusCode).toBe(302);
  });

  it('refuses a form without its CSRF token and changes nothing', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const admin = await createUser(database.db, area, 'administrator');
    const client = new TestClient(app);
    await client.signIn(admin.email, admin.password);
    await client.get('/admin/users/new');
    const fields = { displayName: 'Forged User', email: 'forged@test.hearth.test', agencyId: area.agencies.socialCare, role: 'administrator', password: 'a long enough forged password' };
    const noToken = await client.post('/admin/users/new', fields, { csrf: null });
    expect(noToken.statusCode).toBe(403);
    const badToken = await client.post('/admin/users/new', fields, { csrf: 'forged-token' });
    expect(badToken.statusCode).toBe(403);
    const created = await database.db.selectFrom('app_user').select('id').where('email', '=', 'forged@test.hearth.test').execute();
    expect(created).toHaveLength(0);
    // Sign-out needs the token too.
    expect((await client.post('/sign-out', {}, { csrf: null })).statusCode).toBe(403);
    expect((await client.get('/')).statusCode).toBe(200);
  });

  it('ends a session after the idle period and at its absolute expiry', async () => {
    const { app, database, config } = ctx();
    const area = await createArea(database.db);
    const user = await createUser(database.db, area, 'mash_manager');
    const idle = new TestClient(app);
    await idle.signIn(user.email, user.password);
    await database.db.updateTable('user_session').set({ last_seen_at: sql`now() - make_interval(mins => ${config.sessionIdleMinutes + 1})` }).where('user_id', '=', user.id).execute();
    expect((await idle.get('/')).statusCode).toBe(302);

    const absolute = new TestClient(app);
    await absolute.signIn(user.email, user.password);
    await database.db.updateTable('user_session').set({ expires_at: sql`now() - interval '1 second'` }).where('user_id', '=', user.id).where('ended_at', 'is', null).execute();
    expect((await absolute.get('/')).statusCode).toBe(302);
  });

  it('signs out a disabled user at once', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const user = await createUser(database.db, area, 'idva');
    const client = new TestClient(app);
    await client.signIn(user.email, user.password);
    expect((await client.get('/')).statusCode).toBe(200);
    await database.db.updateTable('app_user').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    expect((await client.get('/')).statusCode).toBe(302);
    expect((await client.signIn(user.email, user.password)).statusCode).toBe(401);
  });

  it('lets a user change their password, within the policy', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const user = await createUser(database.db, area, 'qa_officer');
    const client = new TestClient(app);
    await client.signIn(user.email, user.password);
    await client.get('/account/password');
    const short = await client.post('/account/password', { currentPassword: user.password, newPassword: 'short', confirmPassword: 'short' });
    expect(short.body).toContain('at least 12 characters');
    await client.get('/account/password');
    const changed = await client.post('/account/password', { currentPassword: user.password, newPassword: 'a brand new long passphrase', confirmPassword: 'a brand new long passphrase' });
    expect(changed.body).toContain('Your password has been changed');
    const again = new TestClient(app);
    expect((await again.signIn(user.email, user.password)).statusCode).toBe(401);
    expect((await again.signIn(user.email, 'a brand new long passphrase')).statusCode).toBe(302);
  });

  it('sends a signed-out visitor to sign in, then back where they were going', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const user = await createUser(database.db, area, 'mash_practitioner');
    const client = new TestClient(app);
    const first = await client.get('/people?name=Smith');
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe('/sign-in?returnTo=%2Fpeople%3Fname%3DSmith');
    await client.get(first.headers.location as string);
    const signIn = await client.post('/sign-in', { email: user.email, password: user.password, returnTo: '/people?name=Smith' });
    expect(signIn.headers.location).toBe('/people?name=Smith');
    const offsite = await new TestClient(app).signIn(user.email, user.password);
    expect(offsite.headers.location).toBe('/');
  });
});

it('judges passwords by length, not complexity', () => {
  expect(passwordProblem('Sh0rt!')).toMatch(/at least 12/);
  expect(passwordProblem('passwordpassword')).toMatch(/too common/);
  expect(passwordProblem('aaaaaaaaaaaaaa')).toMatch(/too common/);
  expect(passwordProblem('jo.bloggs.2026!', { email: 'jo.bloggs@council.test' })).toMatch(/email/);
  expect(passwordProblem('four random words together')).toBeNull();
});
