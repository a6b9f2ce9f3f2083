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
      await tamper(database, `UPDATE audit_event SET reason = 'nothing to see' WHERE area_id = '${area.id}' AND seq = 3`);
      const result = await verifyAuditChain(database);
      expect(result.ok).toBe(false);
      expect(result.firstBreak).toMatchObject({ areaId: area.id, seq: 3 });
      expect(result.firstBreak!.problem).toMatch(/content does not match/);
      await tamper(database, `DELETE FROM audit_event WHERE area_id = '${area.id}'; DELETE FROM audit_head WHERE area_id = '${area.id}'`);
    });

    it('notices a deleted row and a removed tail', async () => {
      const area = await auditedArea(database, 4);
      await tamper(database, `DELETE FROM audit_event WHERE area_id = '${area.id}' AND seq = 2`);
      const gap = await verifyAuditChain(database);
      expect(gap.firstBreak).toMatchObject({ areaId: area.id, seq: 2 });
      expect(gap.firstBreak!.problem).toMatch(/missing/);
      await tamper(database, `DELETE FROM audit_event WHERE area_id = '${area.id}'; DELETE FROM audit_head WHERE area_id = '${area.id}'`);

      const other = await auditedArea(database, 4);
      await tamper(database, `DELETE FROM audit_event WHERE area_id = '${other.id}' AND seq = 4`);
      const tail = await verifyAuditChain(database);
      expect(tail.firstBreak).toMatchObject({ areaId: other.id, seq: 4 });
      await tamper(database, `DELETE FROM audit_event WHERE area_id = '${other.id}'; DELETE FROM audit_head WHERE area_id = '${other.id}'`);
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
    await tamper(again, `UPDATE audit_event SET action = 'nothing' WHERE seq = 2`);
    await again.close();
    const broken = await run('node', ['bin/hearth.js', 'audit', 'verify'], { env }).catch((e: { code: number; stdout: string }) => e);
    expect(broken).toMatchObject({ code: 1 });
    expect(broken.stdout).toMatch(/BROKEN: area t-[0-9a-f]+, audit event 2: its content does not match its hash/);
  });
});
