// A contact's history: what happened and who did it, for the timeline on the contact's page.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface HistoryEntry {
  contactId: string;
  action: string;
  actorUserId: string | null;
  at: Date;
  comment?: string | null;
  details?: Record<string, unknown> | null;
}

export async function recordHistory(db: Kysely<Database>, areaId: string, entries: HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('contact_history')
    .values(entries.map((e) => ({
      area_id: areaId,
      contact_id: e.contactId,
      action: e.action,
      actor_user_id: e.actorUserId,
      at: e.at,
      comment: e.comment ?? null,
      details: e.details ? JSON.stringify(e.details) : null,
    })))
    .execute();
}
