// Pages: the inbox of the signed-in person's agency, a notification, its acknowledgement and the
// support being given.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { registerOutboxRoutes } from '../outbox/routes';
import type { Services } from '../server/app';
import { HearthError } from '../server/errors';
import { pageErrorsFrom, parseForm, type PageErrors } from '../web/forms';
import { signedIn } from '../web/guards';
import {
  acknowledgeNotification, acknowledgeSchema, inboxPageSize, listInbox, recordSupport, supportSchema, viewNotification,
} from './inbox';
import { kindLabels, listEntryOf, readContent, statusTags, yesNoUnknown } from './presentation';

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });
const idParams = z.object({ id: z.string().max(100) });

const flashes: Record<string, string> = {
  acknowledged: 'Notification acknowledged.',
  already_acknowledged: 'This notification had already been acknowledged.',
  support: 'Support recorded.',
};

/** The inbox pages, and the administrators' page of the outbox that delivers to it. */
export async function registerEncompassRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await registerOutboxRoutes(app, services);
  const csrf = { preHandler: app.csrfProtection };

  app.get('/inbox', async (request, reply) => {
    const actor = signedIn(request);
    const { page } = pageQuery.parse(request.query ?? {});
    const { notifications, total } = await request.gate.run('notification.receive', (scope) => listInbox(scope, page));
    const now = new Date();
    const pages = Math.ceil(total / inboxPageSize);
    const link = (n: number) => `/inbox?page=${n}`;
    return reply.render('encompass/pages/inbox.njk', {
      pageTitle: 'Inbox',
      agencyName: actor.agencyName,
      total,
      notifications: notifications.map((n) => ({
        id: n.id,
        ...listEntryOf(n.kind, n.content),
        dueAt: n.due_at,
        receivedAt: n.created_at,
        tags: statusTags(n, now),
      })),
      pagination: pages > 1
        ? {
            previous: page > 1 ? { href: link(page - 1) } : undefined,
            next: page < pages ? { href: link(page + 1) } : undefined,
            items: Array.from({ length: Math.min(pages, 10) }, (_, i) => ({ number: i + 1, href: link(i + 1), current: i + 1 === page })),
          }
        : undefined,
    });
  });

  const showNotification = async (reply: FastifyReply, id: string, extra: { errors?: PageErrors; values?: Record<string, unknown>; flash?: string | undefined } = {}) => {
    const request = reply.request;
    const notification = await request.gate.run('notification.receive', (scope) => viewNotification(scope, id));
    const { kind, content } = readContent(notification.kind, notification.content);
    return reply.render('encompass/pages/notification.njk', {
      pageTitle: `${kindLabels[kind]}: ${content.child.name}`,
      backLink: '/inbox',
      notification,
      kind,
      content,
      childPresent: kind === 'operation_encompass' ? yesNoUnknown(content.childPresent) : undefined,
      tags: statusTags(notification, new Date()),
      canViewPerson: request.gate.can('person.view') && notification.person_id !== null,
      values: extra.values ?? { supportNote: notification.support_note ?? '' },
      errors: extra.errors?.list,
      fieldErrors: extra.errors?.byField ?? {},
      flash: extra.flash,
    });
  };

  app.get('/inbox/:id', async (request, reply) => {
    signedIn(request);
    const { id } = idParams.parse(request.params);
    const done = (request.query as { done?: string }).done;
    return showNotification(reply, id, { flash: done ? flashes[done] : undefined });
  });

  app.post('/inbox/:id/acknowledge', csrf, async (request, reply) => {
    signedIn(request);
    const { id } = idParams.parse(request.params);
    const form = acknowledgeSchema.safeParse(request.body ?? {});
    if (!form.success) throw new HearthError('bad_request', 'The form was incomplete. Reload the page and try again.');
    try {
      const outcome = await request.gate.run('notification.receive', (scope) => acknowledgeNotification(scope, id, form.data.version));
      return reply.redirect(`/inbox/${id}?done=${outcome}`);
    } catch (error) {
      if (error instanceof HearthError && error.code === 'stale_write') return showNotification(reply.code(409), id, { errors: pageErrorsFrom(error) });
      throw error;
    }
  });

  app.post('/inbox/:id/support', csrf, async (request, reply) => {
    signedIn(request);
    const { id } = idParams.parse(request.params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(supportSchema, body);
    if (!form.ok) return showNotification(reply.code(400), id, { errors: form.errors, values: body });
    try {
      await request.gate.run('notification.receive', (scope) => recordSupport(scope, id, form.data));
      return reply.redirect(`/inbox/${id}?done=support`);
    } catch (error) {
      if (error instanceof HearthError && ['stale_write', 'validation_failed'].includes(error.code)) {
        return showNotification(reply.code(error.status), id, { errors: pageErrorsFrom(error), values: body });
      }
      throw error;
    }
  });
}
