import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testEngines, type TestDatabase } from '../../test/support/database';
import { createArea, createUser } from '../../test/support/factories';
import { openDatabase, type DatabaseHandle } from '../db/database';
import { migrate } from '../db/migrate';
import { writeAudit } from './audit';
import { verifyAuditChain } from './audit-verify';
import { enterArea } from './gate';

const run = promisify(execFile);

async function auditedArea(handle: DatabaseHandle, events = 5) {
  const area = await createArea(handle.db);
  const user = await createUser(handle.db, area, 'mash_practitioner');
  for (let i = 1; i <= events; i++) {
    await handle.db.transaction().execute(async (tx) => {
      await enterArea(tx, area.id);
      await writeAudit(tx, { areaId: area.id, actorUserId: user.id, actorRole: 'mash_practitioner', requestId: `req-${i}`, ip: '127.0.0.1' }, [
        { action: 'person.view', recordType: 'person', recordId: `person-${i}`, reason: i === 3 ? 'Strategy discussion “today”' : undefined, details: { i, nested: { ok: true } } },
      ]);
    });
  }
  return area;
}

/** The area's audit rows in the order they were written. */
const written = (handle: DatabaseHandle, areaId: string) =>
  handle.db.selectFrom('audit_event').select(['id', 'lane', 'seq', 'record_id']).where('area_id', '=', areaId).orderBy('id').execute();

/** An attacker with the database owner's rights edits the log directly. */
async function tamper(handle: DatabaseHandle, statement: string) {
  await handle.runScript(`
    ALTER TABLE audit_event DISABLE TRIGGER audit_event_immutable;
    ${statement};
    ALTER TABLE audit_event ENABLE TRIGGER audit_event_immutable;`);
}

for (const engine of testEngines()) {
  describe(`the audit chain [${engine}]`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await freshDatabase(engine);
    });
    afterAll(async () => database.dispose());

    it('verifies an intact chain and counts its rows', async () => {
      await auditedArea(database, 5);
      const result = await verifyAuditChain(database);
      expect(result.ok).toBe(true);
      expect(result.rows).toBeGreaterThanOrEqual(5);
    });

    it('cannot be changed or deleted by the application role', async () => {
      const area = await auditedArea(database, 1);
      const attempt = (statement: string) =>
        database.db.transaction().execute(async (tx) => {
          await enterArea(tx, area.id);
          await sql.raw(statement).execute(tx);
        });
      await expect(attempt(`UPDATE audit_event SET reason = 'covered up' WHERE area_id = '${area.id}'`)).rejects.toThrow(/permission denied/);
      await expect(attempt(`DELETE FROM audit_event WHERE area_id = '${area.id}'`)).rejects.toThrow(/permission denied/);
      await expect(attempt(`UPDATE audit_head SET seq = 0`)).rejects.toThrow(/permission denied/);
      // Even the owner is stopped by the trigger.
      await expect(database.runScript(`DELETE FROM audit_event WHERE area_id = '${area.id}'`)).rejects.toThrow(/append-only/);
    });

    it('names the first changed row', async () => {
      const area = await auditedArea(database, 5);
      const third = (await written(database, area.id))[2]!;
      await tamper(database, `UPDATE audit_event SET reason = 'nothing to see' WHERE id = ${third.id}`);
      const result = await verifyAuditChain(database);
      expect(result.ok).toBe(false);
      expect(result.firstBreak).toMatchObject({ areaId: area.id, lane: third.lane, seq: third.seq });
      expect(result.firstBreak!.problem).toMatch(/content does not match/);
      await tamper(database, `DELETE FROM audit_event WHERE area_id = '${area.id}'; DELETE FROM audit_head WHERE area_id = '${area.id}'`);
    });

    it('notices a deleted row and a removed tail', async () => {
      const area = await auditedArea(database, 4);
      const rows = await written(database, area.id);
      // One connection writing in turn keeps to one lane.
      expect(new Set(rows.map((r) => r.lane)).size).toBe(1);
      await tamper(database, `DELETE FROM audit_event WHERE id = ${rows[1]!.id}`);
      const gap = await verifyAuditChain(database);
      expect(gap.firstBreak).toMatchObject({ areaId: area.id, lane: rows[1]!.lane, seq: rows[1]!.seq });
      expect(gap.firstBreak!.problem).toMatch(/missing/);
      await tamper(database, `DELETE FROM audit_event WHERE area_id = '${area.id}'; DELETE FROM audit_head WHERE area_id = '${area.id}'`);

      const other = await auditedArea(database, 4);
      const last = (await written(database, other.id))[3]!;
      await tamper(database, `DELETE FROM audit_event WHERE id = ${last.id}`);
      const tail = await verifyAuditChain(database);
      expect(tail.firstBreak).toMatchObject({ areaId: other.id, lane: last.lane, seq: last.seq });
      expect(tail.firstBreak!.problem).toMatch(/removed from the end/);
      await tamper(database, `DELETE FROM audit_event WHERE area_id = '${other.id}'; DELETE FROM audit_head WHERE area_id = '${other.id}'`);
    });

    it.skipIf(engine === 'pglite')('lets a second transaction audit while the first holds its lane, each in a lane of its own', async () => {
      const area = await auditedArea(database, 1);
      const user = await createUser(database.db, area, 'mash_practitioner');
      const origin = { areaId: area.id, actorUserId: user.id, actorRole: 'mash_practitioner' };
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let wrote!: () => void;
      const firstWrote = new Promise<void>((resolve) => (wrote = resolve));
      const first = database.db.transaction().execute(async (tx) => {
        await enterArea(tx, area.id);
        await writeAudit(tx, origin, [{ action: 'person.view', recordId: 'first' }]);
        wrote();
        await held;
      });
      await firstWrote;
      // With one chain per area this would wait for the first to commit, and give up after the lock timeout.
      await database.db.transaction().execute(async (tx) => {
        await sql`SET LOCAL lock_timeout = '5s'`.execute(tx);
        await enterArea(tx, area.id);
        await writeAudit(tx, origin, [{ action: 'person.view', recordId: 'second' }]);
      });
      release();
      await first;
      const rows = await written(database, area.id);
      expect(rows.map((r) => r.record_id)).toEqual(['person-1', 'first', 'second']);
      expect(rows[1]!.lane).not.toBe(rows[2]!.lane);
      expect((await verifyAuditChain(database)).ok).toBe(true);
    });
  });
}

describe('npx hearth audit verify', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hearth-audit-cli-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('prints OK with the row count, then the first broken row after tampering', async () => {
    const handle = await openDatabase({ dataDir: join(dataDir, 'pglite') });
    await migrate(handle);
    await auditedArea(handle, 3);
    await handle.close();
    const env = { ...process.env, HEARTH_DATA_DIR: dataDir, DATABASE_URL: '' };
    const ok = await run('node', ['bin/hearth.js', 'audit', 'verify'], { env });
    expect(ok.stdout).toMatch(/^OK: 3 audit events in 1 area, chain intact\./m);

    const again = await openDatabase({ dataDir: join(dataDir, 'pglite') });
    await tamper(again, `UPDATE audit_event SET action = 'nothing' WHERE id = (SELECT id FROM audit_event ORDER BY id OFFSET 1 LIMIT 1)`);
    await again.close();
    const broken = await run('node', ['bin/hearth.js', 'audit', 'verify'], { env }).catch((e: { code: number; stdout: string }) => e);
    expect(broken).toMatchObject({ code: 1 });
    expect(broken.stdout).toMatch(/BROKEN: area t-[0-9a-f]+, lane \d+, audit event 2: its content does not match its hash/);
  });
});
