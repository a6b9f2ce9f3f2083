// Verifies the audit chain of every area, lane by lane (an area's chain is 32 lanes written side by
// side, migration 0007): each row's hash must be the SHA-256 of the previous row's hash in its
// lane and of the row's own content, sequence numbers must run without gaps, and each lane's last
// row must be the head the database recorded (so a truncated tail is caught too). The content is
// rebuilt here independently of the database's audit_canonical function.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/database';

export interface ChainBreak {
  areaId: string;
  areaCode: string;
  /** The area's chain (0 to 31) in which the break is. */
  lane: number;
  seq: number;
  problem: string;
}

export interface VerifyResult {
  ok: boolean;
  rows: number;
  areas: number;
  firstBreak?: ChainBreak;
}

interface CanonicalRow {
  seq: number;
  area_id: string;
  occurred: string;
  actor_user_id: string | null;
  actor_agency_id: string | null;
  actor_role: string | null;
  action: string;
  outcome: string;
  record_type: string | null;
  record_id: string | null;
  subject_person_id: string | null;
  reason: string | null;
  request_id: string | null;
  ip: string | null;
  details: string | null;
  prev_hash: Uint8Array;
  hash: Uint8Array;
}

const NULL_MARK = '\x1e';
const SEPARATOR = '\x1f';

export function canonicalText(row: CanonicalRow): string {
  const v = (x: string | null) => (x === null ? NULL_MARK : x);
  return [
    row.area_id, String(row.seq), row.occurred, v(row.actor_user_id), v(row.actor_agency_id), v(row.actor_role),
    row.action, row.outcome, v(row.record_type), v(row.record_id), v(row.subject_person_id), v(row.reason),
    v(row.request_id), v(row.ip), v(row.details),
  ].join(SEPARATOR);
}

function chainHash(prev: Uint8Array, text: string): Buffer {
  return createHash('sha256').update(prev).update(text, 'utf8').digest();
}

const BATCH = 5_000;
/** Chains per area (migration 0007): each is walked on its own. */
export const auditLanes = 32;

export async function verifyAuditChain(handle: DatabaseHandle): Promise<VerifyResult> {
  const { db } = handle;
  const areas = await db.selectFrom('area').select(['id', 'code']).orderBy('code').execute();
  let rows = 0;
  for (const area of areas) {
    const heads = await db.selectFrom('audit_head').select(['lane', 'seq', 'hash']).where('area_id', '=', area.id).execute();
    const headOf = new Map(heads.map((h) => [h.lane, h]));
    for (let lane = 0; lane < auditLanes; lane++) {
      const fail = (seq: number, problem: string): VerifyResult => ({
        ok: false, rows, areas: areas.length, firstBreak: { areaId: area.id, areaCode: area.code, lane, seq, problem },
      });
      let expectedSeq = 1;
      let prevHash: Uint8Array = new Uint8Array(0);
      for (;;) {
        const batch = await sql<CanonicalRow>`
          SELECT seq, area_id::text, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred,
            actor_user_id::text, actor_agency_id::text, actor_role, action, outcome, record_type, record_id,
            subject_person_id::text, reason, request_id, ip, details::text AS details, prev_hash, hash
          FROM audit_event WHERE area_id = ${area.id} AND lane = ${lane} AND seq >= ${expectedSeq}
          ORDER BY seq LIMIT ${BATCH}`.execute(db);
        for (const row of batch.rows) {
          if (row.seq !== expectedSeq) return fail(expectedSeq, `row ${expectedSeq} is missing (deleted)`);
          if (Buffer.compare(Buffer.from(row.prev_hash), Buffer.from(prevHash)) !== 0) {
            return fail(row.seq, 'its link to the previous row does not match (a row before it was changed or removed)');
          }
          const expected = chainHash(prevHash, canonicalText(row));
          if (Buffer.compare(expected, Buffer.from(row.hash)) !== 0) {
            return fail(row.seq, 'its content does not match its hash (changed after it was written)');
          }
          prevHash = row.hash;
          expectedSeq += 1;
          rows += 1;
        }
        if (batch.rows.length < BATCH) break;
      }
      const lastSeq = expectedSeq - 1;
      const head = headOf.get(lane);
      // A lane with rows and no head had its head removed; a head ahead of the rows, its tail.
      if (lastSeq > 0 && !head) return fail(lastSeq + 1, `the chain's head is missing, so rows removed from its end would go unnoticed`);
      if (head && (head.seq !== lastSeq || Buffer.compare(Buffer.from(head.hash), Buffer.from(prevHash)) !== 0)) {
        return fail(lastSeq + 1, `the chain ends at row ${lastSeq} but ${head.seq} rows were written (rows removed from the end)`);
      }
    }
  }
  return { ok: true, rows, areas: areas.length };
}
