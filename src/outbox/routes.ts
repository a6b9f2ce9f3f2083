// Pages: the outbox of the administrator's area, and retrying a dead entry.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Services } from '../server/app';
import { HearthError, notFound } from '../server/errors';
import { pageErrorsFrom, type PageErrors } from '../web/forms';
import { signedIn } from '../web/guards';
import { listOutbox, outboxPageSize, retryDeadEntry } from './admin';

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1), done: z.string().optional() });
const idParams = z.object({ id: z.string().regex(/^[0-9]{1,15}$/) });

export async function registerOutboxRoutes(app: FastifyInstance, _services: Services): Promise<void> {
  const showOutbox = async (reply: FastifyReply, page: number, extra: { flash?: string | undefined; errors?: PageErrors } = {}) => {
    const { entries, total, pending, dead } = await reply.request.gate.run('outbox.manage', (scope) => listOutbox(scope, page));
    const pages = Math.ceil(total / outboxPageSize);
    const link = (n: number) => `/admin/outbox?page=${n}`;
    const now = Date.now();
    return reply.render('outbox/pages/outbox.njk', {
      pageTitle: 'Outbox',
      entries: entries.map((e) => ({ ...e, inProgress: e.locked_until !== null && e.locked_until.getTime() > now })),
      pending, dead, total,
      flash: extra.flash,
      errors: extra.errors?.list,
      pagination: pages > 1
        ? {
            previous: page > 1 ? { href: link(page - 1) } : undefined,
            next: page < pages ? { href: link(page + 1) } : undefined,
            items: Array.from({ length: Math.min(pages, 10) }, (_, i) => ({ number: i + 1, href: link(i + 1), current: i + 1 === page })),
          }
        : undefined,
    });
  };

  app.get('/admin/outbox', async (request, reply) => {
    signedIn(request);
    const { page, done } = pageQuery.parse(request.query ?? {});
    return showOutbox(reply, page, { flash: done === 'retried' ? 'Entry queued again. The worker will try it within a few seconds.' : undefined });
  });

  app.post('/admin/outbox/:id/retry', { preHandler: app.csrfProtection }, async (request, reply) => {
    signedIn(request);
    const params = idParams.safeParse(request.params);
    if (!params.success) throw notFound('The outbox entry');
    try {
      await request.gate.run('outbox.manage', (scope) => retryDeadEntry(scope, Number(params.data.id)));
    } catch (error) {
      if (error instanceof HearthError && error.code === 'conflict') return showOutbox(reply.code(409), 1, { errors: pageErrorsFrom(error) });
      throw error;
    }
    return reply.redirect('/admin/outbox?done=retried');
  });
}
