// Writing audit events. Rows are chained by a database trigger (see 0001_foundation.sql), so
// writers only say what happened; they cannot choose the sequence number or the hash.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface AuditEntry {
  /** What was done, e.g. "person.view", "auth.sign_in", "user.disable". */
  action: string;
  outcome?: 'allowed' | 'refused' | 'failed';
  recordType?: string;
  recordId?: string;
  /** The person whose information was read or changed, for "who has seen this". */
  subjectPersonId?: string;
  /** Why, where the user gave a reason. */
  reason?: string;
  /** Further facts about the action. Never passwords or tokens. */
  details?: Record<string, unknown>;
}

export interface AuditOrigin {
  areaId: string;
  actorUserId?: string | null;
  actorAgencyId?: string | null;
  actorRole?: string | null;
  requestId?: string | null;
  ip?: string | null;
}

export async function writeAudit(db: Kysely<Database>, origin: AuditOrigin, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_event')
    .values(
      entries.map((e) => ({
        area_id: origin.areaId,
        actor_user_id: origin.actorUserId ?? null,
        actor_agency_id: origin.actorAgencyId ?? null,
        actor_role: origin.actorRole ?? null,
        action: e.action,
        outcome: e.outcome ?? 'allowed',
        record_type: e.recordType ?? null,
        record_id: e.recordId ?? null,
        subject_person_id: e.subjectPersonId ?? null,
        reason: e.reason ?? null,
        request_id: origin.requestId ?? null,
        ip: origin.ip ?? null,
        details: e.details ? JSON.stringify(e.details) : null,
      })),
    )
    .execute();
}
