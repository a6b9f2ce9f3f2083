// The administrators' view of the outbox of their own area: what is waiting, what failed for good
// (dead letters) and why, and retrying a dead entry. Entries are shown by their summary, which
// holds no personal data; payloads are never shown.
import { sql } from 'kysely';
import type { Scope } from '../access/gate';
import { HearthError, notFound } from '../server/errors';

export const outboxPageSize = 50;

/** Dead entries first (they need someone), the latest failure first; then what is waiting, soonest first. */
export async function listOutbox(scope: Scope, page: number) {
  const rows = await scope.db
    .selectFrom('outbox')
    .select([
      'id', 'topic', 'summary', 'status', 'attempts', 'available_at', 'locked_until', 'last_error', 'created_at',
      sql<number>`count(*) OVER ()`.as('total'),
    ])
    .where('status', '<>', 'done')
    .orderBy(sql`status = 'dead'`, 'desc')
    .orderBy(sql`CASE WHEN status = 'dead' THEN created_at END`, (ob) => ob.desc().nullsLast())
    .orderBy('available_at')
    .orderBy('id')
    .limit(outboxPageSize)
    .offset((page - 1) * outboxPageSize)
    .execute();
  const counts = await scope.db
    .selectFrom('outbox')
    .select(['status', sql<number>`count(*)`.as('count')])
    .where('status', '<>', 'done')
    .groupBy('status')
    .execute();
  scope.audit({ action: 'outbox.list', details: { page, shown: rows.length } });
  const countOf = (status: string) => counts.find((c) => c.status === status)?.count ?? 0;
  return { entries: rows, total: rows[0]?.total ?? 0, pending: countOf('pending'), dead: countOf('dead') };
}

/** Gives a dead entry a fresh set of attempts, from now. */
export async function retryDeadEntry(scope: Scope, id: number): Promise<void> {
  const entry = await scope.db.selectFrom('outbox').select(['status', 'topic', 'attempts', 'last_error']).where('id', '=', id).executeTakeFirst();
  if (!entry) throw notFound('The outbox entry');
  if (entry.status !== 'dead') throw new HearthError('conflict', 'Only an entry that has failed for good can be retried; this one is not dead.');
  await scope.db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, available_at: sql`now()`, locked_until: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .execute();
  scope.audit({ action: 'outbox.retry', recordType: 'outbox', recordId: String(id), details: { topic: entry.topic, previousAttempts: entry.attempts, lastError: entry.last_error } });
}
