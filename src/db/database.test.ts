import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it.runIf(engine === 'postgres')('runs without the JIT compiler, which would spend longer compiling a look-up than running it', async () => {
    const { rows } = await sql<{ jit: string }>`SELECT current_setting('jit') AS jit`.execute(database.db);
    expect(rows[0]?.jit).toBe('off');
  });
});
