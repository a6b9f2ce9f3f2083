// Queueing work in the durable outbox. The entry is written in the caller's transaction, so the
// work exists only if the change that asked for it commits, and is lost with it if it does not.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface OutboxEntry {
  areaId: string;
  /** Which handler does the work, e.g. "encompass.deliver". */
  topic: string;
  /** Identifies the work within its topic and area: enqueuing the same key again adds nothing. */
  dedupeKey: string;
  /** What the handler needs: identifiers, not personal data (the handler reads the rest when it runs). */
  payload: Record<string, unknown>;
  /** Not before this instant; now by default. */
  availableAt?: Date;
  /** What the entry is for, shown to administrators on the outbox page; never personal data. */
  summary?: string;
}

export interface Enqueued {
  id: number;
  /** False when the same work (area, topic, dedupe key) was already queued. */
  created: boolean;
}

export async function enqueue(db: Kysely<Database>, entry: OutboxEntry): Promise<Enqueued> {
  const inserted = await db
    .insertInto('outbox')
    .values({
      area_id: entry.areaId,
      topic: entry.topic,
      dedupe_key: entry.dedupeKey,
      payload: JSON.stringify(entry.payload),
      summary: entry.summary ?? null,
      ...(entry.availableAt ? { available_at: entry.availableAt } : {}),
    })
    .onConflict((oc) => oc.columns(['area_id', 'topic', 'dedupe_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('outbox')
    .select('id')
    .where('area_id', '=', entry.areaId)
    .where('topic', '=', entry.topic)
    .where('dedupe_key', '=', entry.dedupeKey)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}
