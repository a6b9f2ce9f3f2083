// Escalation: an Operation Encompass notification still unacknowledged at its due time (the start
// of the school day) is escalated to the MASH, the area's children's social care, which gets a
// notification of its own in its inbox. The background worker checks every minute; tests call
// the check with the time they want. Escalating twice adds nothing: the notification is claimed
// by a guarded update and the escalation's link to it is unique.
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { writeAudit } from '../access/audit';
import { enterArea } from '../access/gate';
import type { DatabaseHandle } from '../db/database';
import type { Database } from '../db/schema';
import { mashAgencyId } from '../frontdoor/mash';
import type { WorkLogger } from '../outbox/worker';

export interface EscalationContent {
  child: { name: string; dateOfBirth: string | null };
  policeReference: string | null;
  occurredAt: string | null;
  /** The agency that did not acknowledge in time (the school, or the local authority's lead). */
  notAcknowledgedBy: string;
  /** When it was due (ISO instant). */
  dueAt: string | null;
  escalatedAt: string;
}

/** The parts of the original notification the escalation repeats. */
const originalContent = z
  .object({
    child: z.object({ name: z.string(), dateOfBirth: z.string().nullable() }).catch({ name: 'Name not recorded', dateOfBirth: null }),
    policeReference: z.string().nullable().catch(null),
    occurredAt: z.string().nullable().catch(null),
  })
  .catch({ child: { name: 'Name not recorded', dateOfBirth: null }, policeReference: null, occurredAt: null });

export interface EscalationSummary {
  escalated: number;
  failed: number;
}

const noLog: Pick<WorkLogger, 'error'> = { error() {} };

export async function escalateOverdueNotifications(
  database: DatabaseHandle,
  now: Date,
  options: { limit?: number; log?: Pick<WorkLogger, 'error'> } = {},
): Promise<EscalationSummary> {
  // Found on the owner connection, as they may belong to several areas; each is escalated in its own area.
  const overdue = await database.db
    .selectFrom('notification as n')
    .innerJoin('agency as g', 'g.id', 'n.recipient_agency_id')
    .select(['n.id', 'n.area_id'])
    .where('n.kind', '=', 'operation_encompass')
    .where('n.acknowledged_at', 'is', null)
    .where('n.escalated_at', 'is', null)
    .where('n.due_at', '<=', now)
    // The MASH itself was told (no school known): there is no one above it to escalate to.
    .where('g.kind', '<>', 'childrens_social_care')
    .orderBy('n.due_at')
    .limit(options.limit ?? 200)
    .execute();
  const summary: EscalationSummary = { escalated: 0, failed: 0 };
  for (const notification of overdue) {
    try {
      const escalated = await database.db.transaction().execute(async (db) => {
        await enterArea(db, notification.area_id);
        return escalate(db, notification.area_id, notification.id, now);
      });
      if (escalated) summary.escalated++;
    } catch (error) {
      summary.failed++;
      (options.log ?? noLog).error({ err: error, notificationId: notification.id }, 'could not escalate an Operation Encompass notification');
    }
  }
  return summary;
}

async function escalate(db: Transaction<Database>, areaId: string, notificationId: string, now: Date): Promise<boolean> {
  // Not a change to what its readers edit, so its version stays: a school acknowledging late is not refused.
  const original = await db
    .updateTable('notification')
    .set({ escalated_at: now })
    .where('id', '=', notificationId)
    .where('acknowledged_at', 'is', null)
    .where('escalated_at', 'is', null)
    .returning(['id', 'person_id', 'event_id', 'contact_id', 'due_at', 'content', 'recipient_agency_id'])
    .executeTakeFirst();
  if (!original) return false;
  const mashId = await mashAgencyId(db);
  if (!mashId) throw new Error('The area has no children’s social care agency to escalate to.');
  const recipient = await db.selectFrom('agency').select('name').where('id', '=', original.recipient_agency_id).executeTakeFirstOrThrow();
  const repeated = originalContent.parse(original.content);
  const content: EscalationContent = {
    ...repeated,
    notAcknowledgedBy: recipient.name,
    dueAt: original.due_at?.toISOString() ?? null,
    escalatedAt: now.toISOString(),
  };
  const escalation = await db
    .insertInto('notification')
    .values({
      area_id: areaId,
      kind: 'encompass_escalation',
      recipient_agency_id: mashId,
      person_id: original.person_id,
      event_id: original.event_id,
      contact_id: original.contact_id,
      escalation_of: original.id,
      content: JSON.stringify(content),
    })
    .onConflict((oc) => oc.column('escalation_of').doNothing())
    .returning('id')
    .executeTakeFirst();
  await writeAudit(db, { areaId, requestId: `escalation:${original.id}` }, [
    {
      action: 'notification.escalate', recordType: 'notification', recordId: original.id, subjectPersonId: original.person_id ?? undefined,
      details: { escalationId: escalation?.id ?? null, toAgencyId: mashId, dueAt: content.dueAt, performedBy: 'system: Operation Encompass escalation check' },
    },
  ]);
  return true;
}
