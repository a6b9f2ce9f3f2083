import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { createArea, createUser, type TestArea } from '../../test/support/factories';
import { openDatabase, type DatabaseHandle } from '../db/database';
import { enterArea } from '../access/gate';
import { enqueue } from './enqueue';
import { OutboxWorker, retryDelayMs, type OutboxHandler, type OutboxWorkerOptions } from './worker';

describe('retry delays', () => {
  it('double with each failure up to a ceiling, half fixed and half random', () => {
    const options = { baseMs: 1000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, options, () => 0))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, options, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    const jittered = Array.from({ length: 50 }, () => retryDelayMs(3, options));
    expect(Math.min(...jittered)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...jittered)).toBeLessThanOrEqual(4000);
    expect(new Set(jittered).size).toBeGreaterThan(1);
  });
});

/** A handler that records each delivery as an audit event in the delivering transaction. */
function recordingHandler(options: { failTimes?: number; message?: string } = {}): OutboxHandler & { calls: number } {
  const handler = {
    calls: 0,
    async deliver({ job, audit }: Parameters<OutboxHandler['deliver']>[0]) {
      handler.calls++;
      audit({ action: 'test.delivered', recordType: 'outbox', recordId: String(job.id), details: { key: job.payload.key } });
      if (handler.calls <= (options.failTimes ?? 0)) throw new Error(options.message ?? `failure ${handler.calls}`);
    },
  };
  return handler;
}

async function queue(database: DatabaseHandle, area: TestArea, keys: string[], topic = 'test.record') {
  return database.db.transaction().execute(async (tx) => {
    await enterArea(tx, area.id);
    const ids: number[] = [];
    for (const key of keys) ids.push((await enqueue(tx, { areaId: area.id, topic, dedupeKey: key, payload: { key }, summary: `Test entry ${key}` })).id);
    return ids;
  });
}

async function deliveries(database: DatabaseHandle, area: TestArea) {
  return database.db.selectFrom('audit_event').select(['record_id', 'actor_user_id', 'details']).where('area_id', '=', area.id).where('action', '=', 'test.delivered').execute();
}

async function entry(database: DatabaseHandle, id: number) {
  return database.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function workerWith(database: DatabaseHandle, handler: OutboxHandler<unknown>, options: OutboxWorkerOptions = {}, topic = 'test.record') {
  const worker = new OutboxWorker(database, { retryBaseMs: 1000, retryMaxMs: 60_000, random: () => 0.5, ...options });
  worker.register(topic, handler);
  return worker;
}

const seconds = (from: Date, s: number) => new Date(from.getTime() + s * 1000);

describeEachEngine('the durable outbox', (ctx) => {
  // Workers claim across areas: leave no entry waiting for the next test's worker.
  afterEach(async () => {
    await ctx().database.db.updateTable('outbox').set({ status: 'done', locked_until: null }).where('status', '=', 'pending').execute();
  });

  it('queues work in the caller’s transaction, once per area, topic and key, and not at all if the transaction rolls back', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const other = await createArea(database.db, 'Elsewhere Partnership');
    const [first] = await queue(database, area, ['a']);
    const [again] = await queue(database, area, ['a']);
    expect(again).toBe(first);
    const [elsewhere] = await queue(database, other, ['a']);
    expect(elsewhere).not.toBe(first);
    await expect(
      database.db.transaction().execute(async (tx) => {
        await enterArea(tx, area.id);
        await enqueue(tx, { areaId: area.id, topic: 'test.record', dedupeKey: 'rolled-back', payload: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const keys = await database.db.selectFrom('outbox').select('dedupe_key').where('area_id', '=', area.id).execute();
    expect(keys.map((k) => k.dedupe_key)).toEqual(['a']);
    // The application role cannot queue work for another area.
    await expect(
      database.db.transaction().execute(async (tx) => {
        await enterArea(tx, area.id);
        await enqueue(tx, { areaId: other.id, topic: 'test.record', dedupeKey: 'b', payload: {} });
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it('delivers each due entry once, committing the handler’s writes with its completion, audited as the system', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const ids = await queue(database, area, ['a', 'b', 'c']);
    const handler = recordingHandler();
    const worker = workerWith(database, handler);
    const now = new Date();
    expect(await worker.runOnce(now)).toEqual({ claimed: 3, delivered: 3, retrying: 0, dead: 0, skipped: 0 });
    expect(await worker.runOnce(now)).toMatchObject({ claimed: 0 });
    for (const id of ids) expect(await entry(database, id)).toMatchObject({ status: 'done', attempts: 1, locked_until: null, completed_at: now });
    const delivered = await deliveries(database, area);
    expect(delivered.map((d) => Number(d.record_id)).sort()).toEqual([...ids].sort());
    expect(delivered.every((d) => d.actor_user_id === null && d.details?.performedBy === 'system: outbox worker')).toBe(true);
  });

  it('does not run an entry before it is available', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const now = new Date();
    const [id] = await database.db.transaction().execute(async (tx) => {
      await enterArea(tx, area.id);
      return [(await enqueue(tx, { areaId: area.id, topic: 'test.record', dedupeKey: 'later', payload: {}, availableAt: seconds(now, 3600) })).id];
    });
    const worker = workerWith(database, recordingHandler());
    expect(await worker.runOnce(now)).toMatchObject({ claimed: 0 });
    expect(await worker.runOnce(seconds(now, 3600))).toMatchObject({ delivered: 1 });
    expect((await entry(database, id!)).status).toBe('done');
  });

  it('runs an entry stamped by the database later within the millisecond the worker’s clock names', async () => {
    // The database stamps available_at in microseconds, JavaScript's clock reads milliseconds: an
    // entry queued within the millisecond before the worker looks is due, not left for the next poll.
    const { database } = ctx();
    const area = await createArea(database.db);
    const [id] = await queue(database, area, ['just queued']);
    await database.db.updateTable('outbox').set({ available_at: sql<Date>`'2026-12-07T10:00:00.000700Z'::timestamptz` }).where('id', '=', id!).execute();
    const worker = workerWith(database, recordingHandler());
    expect(await worker.runOnce(new Date('2026-12-07T09:59:59.999Z'))).toMatchObject({ claimed: 0 });
    expect(await worker.runOnce(new Date('2026-12-07T10:00:00.000Z'))).toMatchObject({ claimed: 1, delivered: 1 });
  });

  it('retries a failure after an exponential, jittered wait, and keeps nothing of the failed attempts', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const [id] = await queue(database, area, ['flaky']);
    const handler = recordingHandler({ failTimes: 2 });
    const worker = workerWith(database, handler);
    const start = new Date();

    expect(await worker.runOnce(start)).toMatchObject({ claimed: 1, retrying: 1 });
    // First failure: between half and all of the 1 s base; with this jitter, 750 ms.
    expect(await entry(database, id!)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'failure 1', available_at: new Date(start.getTime() + 750), locked_until: null });
    expect(await worker.runOnce(new Date(start.getTime() + 749))).toMatchObject({ claimed: 0 });
    const second = new Date(start.getTime() + 750);
    expect(await worker.runOnce(second)).toMatchObject({ retrying: 1 });
    // Second failure: double the wait.
    expect(await entry(database, id!)).toMatchObject({ attempts: 2, last_error: 'failure 2', available_at: new Date(second.getTime() + 1500) });
    expect(await worker.runOnce(new Date(second.getTime() + 1500))).toMatchObject({ delivered: 1 });
    expect(await entry(database, id!)).toMatchObject({ status: 'done', attempts: 3, last_error: null });
    // The handler wrote on every attempt; only the successful attempt's write committed.
    expect(handler.calls).toBe(3);
    expect(await deliveries(database, area)).toHaveLength(1);
  });

  it('marks an entry dead after its last attempt, with its error, and an administrator retries it', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const [id] = await queue(database, area, ['doomed']);
    const worker = workerWith(database, recordingHandler({ failTimes: 3, message: 'The mail server refused the connection' }), { maxAttempts: 3 });
    let now = new Date();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const run = await worker.runOnce(now);
      expect(run).toMatchObject(attempt < 3 ? { retrying: 1 } : { dead: 1 });
      now = seconds(now, 3600);
    }
    expect(await worker.runOnce(now)).toMatchObject({ claimed: 0 });
    expect(await entry(database, id!)).toMatchObject({ status: 'dead', attempts: 3, last_error: 'The mail server refused the connection' });
    const dead = await database.db.selectFrom('audit_event').select(['actor_user_id', 'record_id']).where('area_id', '=', area.id).where('action', '=', 'outbox.dead').execute();
    expect(dead).toEqual([{ actor_user_id: null, record_id: String(id) }]);

    const admin = await createUser(database.db, area, 'administrator');
    const client = new TestClient(app);
    await client.signIn(admin.email, admin.password);
    const page = await client.get('/admin/outbox');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Test entry doomed');
    expect(page.body).toContain('The mail server refused the connection');
    expect(page.body).toContain(`action="/admin/outbox/${id}/retry"`);
    expect((await client.post(`/admin/outbox/${id}/retry`, {}, { csrf: null })).statusCode).toBe(403);
    expect((await entry(database, id!)).status).toBe('dead');

    const elsewhere = await createArea(database.db, 'Elsewhere Partnership');
    const strangerAdmin = await createUser(database.db, elsewhere, 'administrator');
    const stranger = new TestClient(app);
    await stranger.signIn(strangerAdmin.email, strangerAdmin.password);
    await stranger.get('/admin/outbox');
    expect((await stranger.post(`/admin/outbox/${id}/retry`, {})).statusCode).toBe(404);
    expect((await stranger.get('/admin/outbox')).body).not.toContain('Test entry doomed');
    const practitioner = await createUser(database.db, area, 'mash_manager');
    const practitionerClient = new TestClient(app);
    await practitionerClient.signIn(practitioner.email, practitioner.password);
    expect((await practitionerClient.get('/admin/outbox')).statusCode).toBe(403);

    const retried = await client.post(`/admin/outbox/${id}/retry`, {});
    expect(retried.statusCode).toBe(302);
    expect((await client.get(retried.headers.location as string)).body).toContain('Entry queued again');
    expect(await entry(database, id!)).toMatchObject({ status: 'pending', attempts: 0 });
    const again = await client.post(`/admin/outbox/${id}/retry`, {});
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Only an entry that has failed for good can be retried');
    const audit = await database.db.selectFrom('audit_event').select(['actor_user_id', 'record_id']).where('area_id', '=', area.id).where('action', '=', 'outbox.retry').execute();
    expect(audit).toEqual([{ actor_user_id: admin.id, record_id: String(id) }]);

    const fixed = workerWith(database, recordingHandler(), { maxAttempts: 3 });
    expect(await fixed.runOnce()).toMatchObject({ delivered: 1 });
    expect(await entry(database, id!)).toMatchObject({ status: 'done', attempts: 1 });
    expect((await client.get('/admin/outbox')).body).toContain('Nothing is waiting and nothing has failed');
  });

  it('takes over an entry whose worker died once its lease has passed; the worker that outlived its lease then does nothing', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const [id] = await queue(database, area, ['slow']);
    const handler = recordingHandler();
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let beforeCalls = 0;
    // The first worker stalls before delivering (outside any transaction) past its lease.
    const stalling: OutboxHandler<void> = {
      beforeDelivery: async () => {
        if (++beforeCalls === 1) await firstHeld;
      },
      deliver: (scope) => handler.deliver(scope, undefined),
    };
    const now = new Date();
    const first = workerWith(database, stalling, { leaseMs: 60_000 });
    const second = workerWith(database, stalling, { leaseMs: 60_000 });
    const firstRun = first.runOnce(now);
    await expect.poll(() => beforeCalls).toBe(1);
    expect(await second.runOnce(seconds(now, 30))).toMatchObject({ claimed: 0 });
    expect(await second.runOnce(seconds(now, 60))).toMatchObject({ claimed: 1, delivered: 1 });
    releaseFirst();
    expect(await firstRun).toMatchObject({ claimed: 1, skipped: 1, delivered: 0 });
    expect(await entry(database, id!)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await deliveries(database, area)).toHaveLength(1);
  });

  it('buries an entry whose last attempt never finished, and on the embedded database releases claims left by a crash', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const [abandoned, interrupted] = await queue(database, area, ['abandoned', 'interrupted']);
    const now = new Date();
    await database.db.updateTable('outbox').set({ attempts: 3, locked_until: seconds(now, -1) }).where('id', '=', abandoned!).execute();
    await database.db.updateTable('outbox').set({ attempts: 1, locked_until: seconds(now, 600) }).where('id', '=', interrupted!).execute();
    const worker = workerWith(database, recordingHandler(), { maxAttempts: 3 });
    expect(await worker.runOnce(now)).toMatchObject({ dead: 1, claimed: 0 });
    expect(await entry(database, abandoned!)).toMatchObject({ status: 'dead', last_error: expect.stringContaining('the last attempt did not finish') });
    expect(await worker.releaseClaims()).toBe(1);
    expect(await worker.runOnce(now)).toMatchObject({ delivered: 1 });
    expect(await entry(database, interrupted!)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('fails an entry of an unknown topic with a clear error, to be retried', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const [id] = await queue(database, area, ['orphan'], 'test.unknown');
    const worker = workerWith(database, recordingHandler());
    expect(await worker.runOnce()).toMatchObject({ retrying: 1 });
    expect((await entry(database, id!)).last_error).toBe('No handler is registered for the topic "test.unknown".');
  });

  it('lets several workers run at once, each entry delivered exactly once', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
    const ids = await queue(database, area, keys);
    // On PostgreSQL each worker has its own connections, as separate servers would.
    const handles: DatabaseHandle[] = database.url
      ? await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: database.url, poolSize: 2 })))
      : [database, database, database];
    try {
      const workers = handles.map((h) => workerWith(h, recordingHandler(), { batchSize: 5 }));
      const drain = async (worker: OutboxWorker) => {
        let delivered = 0;
        for (;;) {
          const run = await worker.runOnce();
          delivered += run.delivered;
          if (run.claimed === 0) return delivered;
        }
      };
      const perWorker = await Promise.all(workers.map(drain));
      expect(perWorker.reduce((a, b) => a + b, 0)).toBe(60);
      if (database.url) expect(perWorker.filter((n) => n > 0).length).toBeGreaterThan(1);
    } finally {
      if (database.url) await Promise.all(handles.map((h) => h.close()));
    }
    const delivered = await deliveries(database, area);
    expect(delivered.map((d) => Number(d.record_id)).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    const counts = await database.db.selectFrom('outbox').select(sql<number>`count(*)`.as('n')).where('area_id', '=', area.id).where('status', '=', 'done').executeTakeFirstOrThrow();
    expect(counts.n).toBe(60);
  });
});
