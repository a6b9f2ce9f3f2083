// Delivering Operation Encompass notifications from the outbox: into the recipient agency's Hearth
// inbox (once: the notification's outbox_id is unique, and it commits with the outbox entry's
// completion), then, where email is configured, an email to the agency saying only that a
// notification is waiting, when it is due and where to read it.
import { enqueue } from '../outbox/enqueue';
import type { Mailer } from '../outbox/mail';
import type { OutboxHandler, OutboxWorker } from '../outbox/worker';
import { formatInstant } from '../web/views';
import { buildEncompassContent } from './content';
import { deliverPayloadSchema, deliverTopic, emailPayloadSchema, emailTopic } from './topics';

export interface EncompassDeliveryOptions {
  /** Present when an SMTP server is configured. */
  mailer?: Mailer | undefined;
  /** Where people open Hearth, for the link in the email. */
  publicUrl?: string | undefined;
}

export function registerEncompassHandlers(worker: OutboxWorker, options: EncompassDeliveryOptions): void {
  worker.register(deliverTopic, deliveryHandler(options));
  worker.register(emailTopic, emailHandler(options));
}

function deliveryHandler(options: EncompassDeliveryOptions): OutboxHandler {
  return {
    async deliver({ db, job, audit }) {
      const payload = deliverPayloadSchema.parse(job.payload);
      const content = await buildEncompassContent(db, payload);
      const notification = await db
        .insertInto('notification')
        .values({
          area_id: job.areaId,
          kind: 'operation_encompass',
          recipient_agency_id: payload.recipientAgencyId,
          person_id: payload.childPersonId,
          event_id: payload.eventId,
          outbox_id: job.id,
          due_at: payload.dueAt,
          content: JSON.stringify(content),
        })
        .onConflict((oc) => oc.column('outbox_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!notification) return;
      audit({
        action: 'notification.deliver', recordType: 'notification', recordId: notification.id, subjectPersonId: payload.childPersonId,
        details: { kind: 'operation_encompass', route: payload.route, recipientAgencyId: payload.recipientAgencyId, eventId: payload.eventId, outboxId: job.id },
      });
      if (!options.mailer) return;
      const recipient = await db.selectFrom('agency').select(['name', 'email']).where('id', '=', payload.recipientAgencyId).executeTakeFirstOrThrow();
      if (!recipient.email) return;
      await enqueue(db, {
        areaId: job.areaId,
        topic: emailTopic,
        dedupeKey: `notification:${notification.id}`,
        payload: { notificationId: notification.id },
        summary: `Email ${recipient.name} that an Operation Encompass notification is waiting in Hearth`,
      });
    },
  };
}

function emailHandler(options: EncompassDeliveryOptions): OutboxHandler<{ sentTo: string } | null> {
  return {
    async beforeDelivery(job, inArea) {
      const { mailer, publicUrl } = options;
      if (!mailer || !publicUrl) throw new Error('Email is not configured (HEARTH_SMTP_URL, HEARTH_MAIL_FROM and HEARTH_PUBLIC_URL), so this email cannot be sent.');
      const { notificationId } = emailPayloadSchema.parse(job.payload);
      const row = await inArea((db) =>
        db
          .selectFrom('notification as n')
          .innerJoin('agency as g', 'g.id', 'n.recipient_agency_id')
          .select(['n.id', 'n.due_at', 'n.emailed_at', 'g.name', 'g.email'])
          .where('n.id', '=', notificationId)
          .executeTakeFirst(),
      );
      if (!row) throw new Error('The notification this email is about was not found.');
      if (row.emailed_at || !row.email) return null;
      await mailer.send({
        to: row.email,
        subject: 'Hearth: an Operation Encompass notification is waiting',
        text: [
          `An Operation Encompass notification for ${row.name} is waiting in Hearth.`,
          '',
          row.due_at ? `Read it before ${formatInstant(row.due_at)} (UK time), the start of the school day:` : 'Read it here:',
          `${publicUrl}/inbox/${row.id}`,
          '',
          'This email does not say who the notification is about, because email can be read outside Hearth.',
          'Sign in to Hearth to read and acknowledge it.',
        ].join('\n'),
      });
      return { sentTo: row.email };
    },
    async deliver({ db, job, now, audit }, sent) {
      if (!sent) return;
      const { notificationId } = emailPayloadSchema.parse(job.payload);
      await db.updateTable('notification').set({ emailed_at: now }).where('id', '=', notificationId).where('emailed_at', 'is', null).execute();
      audit({ action: 'notification.email', recordType: 'notification', recordId: notificationId, details: { to: sent.sentTo } });
    },
  };
}
