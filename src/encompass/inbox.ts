// An agency's inbox: the notifications sent to the signed-in person's own agency. A notification
// of another agency answers "not found", exactly as one that does not exist. Reading one is
// recorded as a read of the child's information; acknowledging it and recording the support given
// are audited and refused when made from an out-of-date page.
import { sql } from 'kysely';
import { z } from 'zod';
import type { AuditEntry } from '../access/audit';
import type { Scope } from '../access/gate';
import { isUuid } from '../db/uuid';
import { notFound, staleWrite, validationFailed } from '../server/errors';

export const inboxPageSize = 25;

export const supportNoteMaxLength = 5000;

export const supportSchema = z.object({
  supportNote: z
    .string({ error: 'Enter the support being given' })
    .trim()
    .min(1, 'Enter the support being given')
    .max(supportNoteMaxLength, `The support must be ${supportNoteMaxLength} characters or fewer`),
  version: z.coerce.number().int().positive(),
});
export type SupportForm = z.infer<typeof supportSchema>;

export const acknowledgeSchema = z.object({ version: z.coerce.number().int().positive() });

/** Unacknowledged first, the soonest due first (escalations, which have no due time, at the top); then the newest. */
export async function listInbox(scope: Scope, page: number) {
  const rows = await scope.db
    .selectFrom('notification as n')
    .leftJoin('person as p', 'p.id', 'n.person_id')
    .select([
      'n.id', 'n.kind', 'n.due_at', 'n.created_at', 'n.acknowledged_at', 'n.escalated_at', 'n.person_id', 'n.content',
      'p.given_name', 'p.family_name', 'p.date_of_birth', sql<number>`count(*) OVER ()`.as('total'),
    ])
    .where('n.recipient_agency_id', '=', scope.actor.agencyId)
    .orderBy(sql`n.acknowledged_at IS NULL`, 'desc')
    .orderBy(sql`CASE WHEN n.acknowledged_at IS NULL THEN n.due_at END`, (ob) => ob.asc().nullsFirst())
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id')
    .limit(inboxPageSize)
    .offset((page - 1) * inboxPageSize)
    .execute();
  scope.audit({ action: 'notification.list', details: { page, shown: rows.map((r) => r.id) } });
  return { notifications: rows, total: rows[0]?.total ?? 0 };
}

async function findOwn(scope: Scope, id: string) {
  if (!isUuid(id)) throw notFound('The notification');
  const row = await scope.db
    .selectFrom('notification as n')
    .leftJoin('app_user as u', 'u.id', 'n.acknowledged_by')
    .select([
      'n.id', 'n.kind', 'n.person_id', 'n.event_id', 'n.due_at', 'n.content', 'n.created_at', 'n.emailed_at', 'n.acknowledged_at',
      'n.support_note', 'n.escalated_at', 'n.version', 'u.display_name as acknowledged_by_name',
    ])
    .where('n.id', '=', id)
    .where('n.recipient_agency_id', '=', scope.actor.agencyId)
    .executeTakeFirst();
  if (!row) throw notFound('The notification');
  return row;
}

export async function viewNotification(scope: Scope, id: string) {
  // Recorded before the read, so that a refusal is audited with what was asked for; the child is
  // added once known (the entry is written when the work ends).
  const entry: AuditEntry = { action: 'notification.view', recordType: 'notification', recordId: id };
  scope.audit(entry);
  const notification = await findOwn(scope, id);
  if (notification.person_id) entry.subjectPersonId = notification.person_id;
  return notification;
}

export type AcknowledgeOutcome = 'acknowledged' | 'already_acknowledged';

export async function acknowledgeNotification(scope: Scope, id: string, version: number): Promise<AcknowledgeOutcome> {
  const notification = await findOwn(scope, id);
  if (notification.acknowledged_at) return 'already_acknowledged';
  const updated = await scope.db
    .updateTable('notification')
    .set({ acknowledged_at: sql`now()`, acknowledged_by: scope.actor.userId, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleWrite();
  scope.audit({
    action: 'notification.acknowledge', recordType: 'notification', recordId: id, subjectPersonId: notification.person_id ?? undefined,
    details: { kind: notification.kind, late: notification.escalated_at !== null },
  });
  return 'acknowledged';
}

/** Records (or updates) the support being given; recording it acknowledges the notification too. */
export async function recordSupport(scope: Scope, id: string, form: SupportForm): Promise<void> {
  const notification = await findOwn(scope, id);
  if (notification.kind !== 'operation_encompass') {
    throw validationFailed([{ field: 'supportNote', message: 'Support is recorded on an Operation Encompass notification, not on an escalation' }]);
  }
  const updated = await scope.db
    .updateTable('notification')
    .set({
      support_note: form.supportNote,
      acknowledged_at: sql`coalesce(acknowledged_at, now())`,
      acknowledged_by: sql`coalesce(acknowledged_by, ${scope.actor.userId}::uuid)`,
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', form.version)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleWrite();
  scope.audit({
    action: 'notification.record_support', recordType: 'notification', recordId: id, subjectPersonId: notification.person_id ?? undefined,
    details: { acknowledgedNow: notification.acknowledged_at === null, changed: notification.support_note !== null },
  });
}
