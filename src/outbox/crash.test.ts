// A server killed during outbox delivery delivers each notification once after it restarts: a real
// `hearth serve` process is killed (SIGKILL, no chance to tidy up) after the delivery handler has
// written a notification and before the write commits, then started again.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { freshDatabase, testEngines, type TestDatabase } from '../../test/support/database';
import { addEducation, createArea, createPerson, createPoliceIncident, createUser, gateForUser, type TestUser } from '../../test/support/factories';
import { openDatabase, type DatabaseHandle, type Engine } from '../db/database';
import { planEncompassForIncident } from '../encompass/plan';
import { deliverTopic } from '../encompass/topics';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface RunningServer {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the address once the server listens. */
  baseUrl: Promise<string>;
  stop(): Promise<void>;
  output(): string;
}

function startServer(env: Record<string, string>): RunningServer {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['bin/hearth.js', 'serve'], {
    cwd: repoRoot,
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', HEARTH_OUTBOX_POLL_SECONDS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const baseUrl = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Hearth is running at http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`The server stopped before it listened:\n${output}`)));
  });
  baseUrl.catch(() => undefined);
  return {
    exited,
    baseUrl,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Signs in over real HTTP and returns a function reading the inbox's notification links. */
async function inboxReader(baseUrl: string, user: TestUser): Promise<() => Promise<string[]>> {
  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!, value.join('='));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const signInPage = await fetch(`${baseUrl}/sign-in`);
  remember(signInPage);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await signInPage.text())![1]!;
  const signedIn = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader() },
    body: new URLSearchParams({ email: user.email, password: user.password, _csrf: csrf, returnTo: '/inbox' }).toString(),
  });
  remember(signedIn);
  expect(signedIn.status).toBe(302);
  return async () => {
    const inbox = await fetch(`${baseUrl}/inbox`, { headers: { cookie: cookieHeader() } });
    expect(inbox.status).toBe(200);
    return [...new Set([...(await inbox.text()).matchAll(/href="\/inbox\/([0-9a-f-]{36})"/g)].map((m) => m[1]!))];
  };
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function deliveryState(handle: DatabaseHandle, areaId: string) {
  const notifications = await handle.db.selectFrom('notification').select(['person_id']).where('area_id', '=', areaId).execute();
  const outbox = await handle.db.selectFrom('outbox').select(['status', 'attempts']).where('area_id', '=', areaId).where('topic', '=', deliverTopic).orderBy('id').execute();
  return { notifications: notifications.map((n) => n.person_id).sort(), outbox };
}

interface CrashDatabase {
  /** Environment that points `hearth serve` at the database. */
  env: Record<string, string>;
  /** Opens the database from the test (the embedded one only while no server has it open). */
  open(): Promise<DatabaseHandle>;
  dispose(): Promise<void>;
}

async function crashDatabase(engine: Engine): Promise<CrashDatabase> {
  if (engine === 'postgres') {
    const database: TestDatabase = await freshDatabase('postgres');
    // A short lease: the restarted server takes over the killed server's claim after a second.
    return { env: { DATABASE_URL: database.url!, HEARTH_OUTBOX_LEASE_SECONDS: '1' }, open: async () => ({ ...database, close: async () => {} }), dispose: () => database.dispose() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'hearth-crash-'));
  const open = () => openDatabase({ dataDir: join(dir, 'pglite') });
  // Starts from the suite's migrated snapshot, much faster than creating and migrating a database.
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const snapshot = await readFile(inject('pgliteSnapshot'));
    const handle = await openDatabase({ dataDir: join(dir, 'pglite'), loadDataDir: new Blob([snapshot]) });
    await handle.close();
  } catch (error) {
    await dispose();
    throw error;
  }
  return { env: { HEARTH_DATA_DIR: dir }, open, dispose };
}

for (const engine of testEngines()) {
  describe(`a server killed during outbox delivery [${engine}]`, () => {
    it('delivers each notification exactly once to the inbox after it restarts', async () => {
      const database = await crashDatabase(engine);
      let server: RunningServer | undefined;
      try {
        let handle = await database.open();
        const area = await createArea(handle.db);
        const children = [
          await createPerson(handle.db, area, { givenName: 'Amelia', familyName: 'Whitfield', dateOfBirth: '2016-04-09' }),
          await createPerson(handle.db, area, { givenName: 'Jack', familyName: 'Whitfield', dateOfBirth: '2013-11-30' }),
        ];
        for (const child of children) await addEducation(handle.db, area, child.id, { schoolAgencyId: area.agencies.school });
        const incident = await createPoliceIncident(handle.db, area, { occurredAt: new Date(), children: children.map((c) => ({ personId: c.id, present: true })) });
        const police = await createUser(handle.db, area, 'police_officer');
        const dsl = await createUser(handle.db, area, 'school_dsl', { agencyId: area.agencies.school });
        const gate = await gateForUser(handle, police);
        await gate.run('intake.notify_incident', (scope) => planEncompassForIncident(scope, incident.id, new Date()));
        await handle.close();

        server = startServer({ ...database.env, HEARTH_TEST_KILL_DURING_DELIVERY: deliverTopic });
        const killed = await server.exited;
        expect(killed, server.output()).toEqual({ code: null, signal: 'SIGKILL' });
        handle = await database.open();
        const afterCrash = await deliveryState(handle, area.id);
        await handle.close();
        // The notification written before the kill never committed; the attempt was counted.
        expect(afterCrash.notifications).toEqual([]);
        expect(afterCrash.outbox.every((e) => e.status === 'pending')).toBe(true);
        expect(afterCrash.outbox.some((e) => e.attempts === 1)).toBe(true);

        server = startServer(database.env);
        const readInbox = await inboxReader(await server.baseUrl, dsl);
        const inbox = await waitFor(readInbox, (ids) => ids.length >= 2, 'both notifications in the school’s inbox');
        expect(inbox).toHaveLength(2);
        // Stopped politely, it finishes the work in hand and exits cleanly.
        await server.stop();
        expect(await server.exited).toEqual({ code: 0, signal: null });
        server = undefined;

        handle = await database.open();
        const afterRestart = await deliveryState(handle, area.id);
        await handle.close();
        expect(afterRestart.notifications).toEqual(children.map((c) => c.id).sort());
        expect(afterRestart.outbox.map((e) => e.status)).toEqual(['done', 'done']);
      } finally {
        await server?.stop();
        await database.dispose();
      }
    }, 120_000);
  });
}
