import { sql, type Kysely } from 'kysely';
import { Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from './schema';
import { freshDatabase, testEngines, type TestDatabase } from '../../test/support/database';

describe.each(testEngines())('the database [%s]', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(engine);
  });
  afterAll(() => database.dispose());

  it('follows merges in hearth_person_aliases: each id with the ids merged into it, however deep', async () => {
    const area = await database.db.insertInto('area').values({ code: 'aliases', name: 'Aliases', settings: '{}' }).returning('id').executeTakeFirstOrThrow();
    const person = (merged_into: string | null) =>
      database.db.insertInto('person').values({ area_id: area.id, given_name: 'A', family_name: 'B', merged_into }).returning('id').executeTakeFirstOrThrow();
    const kept = await person(null);
    const first = await person(kept.id);
    const second = await person(first.id);
    const apart = await person(null);
    const { rows } = await sql<{ target: string; id: string }>`SELECT target, id FROM hearth_person_aliases(${[kept.id, apart.id]}::uuid[]) ORDER BY target, id`.execute(database.db);
    expect(rows).toEqual(
      [
        ...[kept.id, first.id, second.id].map((id) => ({ target: kept.id, id })),
        { target: apart.id, id: apart.id },
      ].sort((a, b) => a.target.localeCompare(b.target) || a.id.localeCompare(b.id)),
    );
  });

  it.runIf(engine === 'postgres')('prepares a statement with parameters once per connection and reuses it', async () => {
    const marker = `prepared-${Date.now()}`;
    const prepared = await database.db.connection().execute(async (connection) => {
      for (let i = 0; i < 3; i++) await sql`SELECT ${marker}::text AS marker, ${i}::int AS i`.execute(connection);
      // Without parameters a statement is sent as it is (several statements at once are allowed).
      await sql`SELECT 1`.execute(connection);
      return (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(connection)).rows.map((r) => r.statement);
    });
    expect(prepared.filter((s) => s.includes('AS marker'))).toHaveLength(1);
    expect(prepared.filter((s) => s === 'SELECT 1')).toHaveLength(0);
  });

  it.runIf(engine === 'postgres')("sends a transaction's BEGIN in the same message as its first statement, and keeps it a transaction", async () => {
    const area = await database.db.insertInto('area').values({ code: `begin-${Date.now()}`, name: 'Begin', settings: '{}' }).returning('id').executeTakeFirstOrThrow();
    const sent = vi.spyOn(pg.Client.prototype, 'query');
    try {
      const setting = await database.db.transaction().execute(async (trx) => {
        await sql`SELECT set_config('hearth.test_begin', 'inside', true)`.execute(trx);
        return (await sql<{ v: string }>`SELECT current_setting('hearth.test_begin') AS v WHERE ${1}::int = 1`.execute(trx)).rows[0]?.v;
      });
      expect(setting).toBe('inside');
      // BEGIN with the setting, the read, COMMIT: three messages where there were four.
      expect(sent.mock.calls.map((c) => (typeof c[0] === 'string' ? c[0] : (c[0] as { text: string }).text))).toEqual([
        "BEGIN;SELECT set_config('hearth.test_begin', 'inside', true)",
        expect.stringContaining('current_setting'),
        'commit',
      ]);
    } finally {
      sent.mockRestore();
    }

    // A transaction whose first statements have parameters, and run together, is still one transaction.
    const failed = database.db.transaction().execute(async (trx) => {
      await Promise.all(['first', 'second'].map((name) => trx.insertInto('person').values({ area_id: area.id, given_name: name, family_name: 'Begin' }).execute()));
      throw new Error('undo');
    });
    await expect(failed).rejects.toThrow('undo');
    // One that fails before its first statement leaves its connection out of any transaction.
    await expect(database.db.transaction().execute(async () => { throw new Error('nothing sent'); })).rejects.toThrow('nothing sent');
    await database.db.insertInto('person').values({ area_id: area.id, given_name: 'after', family_name: 'Begin' }).execute();
    const names = await database.db.selectFrom('person').select('given_name').where('area_id', '=', area.id).execute();
    expect(names.map((n) => n.given_name)).toEqual(['after']);
    // This test's own database only: other test files' connections, on the same server, may be between two statements of a transaction.
    const { rows } = await sql<{ open: number }>`SELECT count(*) AS open FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'hearth' AND state LIKE 'idle in transaction%'`.execute(database.db);
    expect(rows[0]?.open).toBe(0);
  });

  it.runIf(engine === 'postgres')('sends the statements a transaction starts together in one write, without waiting for answers, each with its own answer', async () => {
    // A socket's writes reach the system through _write (one chunk) or _writev (several, gathered).
    const socket = Socket.prototype as unknown as { _write(...args: unknown[]): void; _writev(...args: unknown[]): void };
    const writes = { single: vi.spyOn(socket, '_write'), gathered: vi.spyOn(socket, '_writev') };
    try {
      const together = (trx: Kysely<Database>, second: unknown) => Promise.allSettled([
        sql<{ n: number }>`SELECT ${1}::int AS n`.execute(trx),
        sql<{ n: number }>`SELECT ${second}::int AS n, pg_sleep(0.05)`.execute(trx),
        sql<{ n: number }>`SELECT 3 AS n`.execute(trx),
      ]).then((settled) => settled.map((a) => (a.status === 'fulfilled' ? a.value.rows[0]?.n : (a.reason as Error).message)));
      const answers = await database.transaction(async (trx) => {
        // A statement first: the transaction begins and its prepared statements are made before counting.
        await together(trx, 2);
        writes.single.mockClear();
        writes.gathered.mockClear();
        const answered = await together(trx, 2);
        return { answered, writes: writes.single.mock.calls.length + writes.gathered.mock.calls.length };
      });
      expect(answers.answered).toEqual([1, 2, 3]);
      expect(answers.writes).toBe(1);
      // One failing statement fails the transaction: those sent behind it are refused, the work rolled back.
      const failing = await database.transaction((trx) => together(trx, 'two'));
      expect(failing).toEqual([1, 'invalid input syntax for type integer: "two"', 'current transaction is aborted, commands ignored until end of transaction block']);
      expect(await database.transaction((trx) => together(trx, 2))).toEqual([1, 2, 3]);
    } finally {
      writes.single.mockRestore();
      writes.gathered.mockRestore();
    }
  });

  it.runIf(engine === 'postgres')('runs without the JIT compiler, which would spend longer compiling a look-up than running it', async () => {
    const { rows } = await sql<{ jit: string }>`SELECT current_setting('jit') AS jit`.execute(database.db);
    expect(rows[0]?.jit).toBe('off');
  });
});
