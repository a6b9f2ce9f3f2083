// The intake API for agency systems: police incident notifications (JSON or CSV) and referrals.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from '../api/errors';
import { importPoliceNotifications } from './import';
import { receivePoliceNotification, receiveReferral, type Received } from './receive';
import { policeNotificationSchema, referralSchema } from './schemas';

const receivedSchema = z.object({
  eventId: z.string(),
  duplicate: z.boolean().describe('True when this reference had already been received; nothing new was stored'),
  people: z.array(z.object({ sourceRef: z.string(), role: z.string(), personId: z.string(), outcome: z.string() })),
  contacts: z.array(z.object({ contactId: z.string(), childPersonId: z.string(), decisionDueAt: z.string() })),
  schoolsNotified: z.number(),
});

const importResultSchema = z.object({
  imported: z.number(),
  duplicates: z.number(),
  skipped: z.number(),
  problems: z.array(z.object({ line: z.number(), column: z.string(), message: z.string() })),
});

function asJson(received: Received) {
  return { ...received, contacts: received.contacts.map((c) => ({ ...c, decisionDueAt: c.decisionDueAt.toISOString() })) };
}

export function registerIntakeApi(parent: FastifyInstance): void {
  const api = parent.withTypeProvider<ZodTypeProvider>();
  api.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  api.post(
    '/notifications',
    {
      schema: {
        tags: ['intake'],
        summary: 'Send a police domestic abuse incident notification',
        description: 'Idempotent on policeReference: sending the same reference again stores nothing new and answers 200 with duplicate: true.',
        body: policeNotificationSchema,
        response: { 200: receivedSchema, 201: receivedSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const received = await request.gate.run('intake.notify_incident', (scope) => receivePoliceNotification(scope, request.body, new Date()));
      return reply.code(received.duplicate ? 200 : 201).send(asJson(received));
    },
  );

  api.post(
    '/notifications/csv',
    {
      schema: {
        tags: ['intake'],
        summary: 'Import police notifications from CSV (text/csv, one row per person)',
        description: 'A file with problems imports nothing and answers 400 with every problem by line and column, unless acceptValid=true, which imports the valid notifications and lists the skipped ones.',
        querystring: z.object({ acceptValid: z.enum(['true', 'false']).default('false') }),
        response: { 200: importResultSchema, 400: importResultSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const content = typeof request.body === 'string' ? request.body : '';
      const result = await importPoliceNotifications(request.gate, content, { acceptValid: request.query.acceptValid === 'true' });
      return reply.code(result.imported === 0 && result.problems.length > 0 ? 400 : 200).send(result);
    },
  );

  api.post(
    '/referrals',
    {
      schema: {
        tags: ['intake'],
        summary: 'Refer a concern about a child to the front door',
        description: 'Idempotent on reference: sending the same reference again stores nothing new and answers 200 with duplicate: true.',
        body: referralSchema,
        response: { 200: receivedSchema, 201: receivedSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const received = await request.gate.run('intake.refer', (scope) => receiveReferral(scope, request.body, new Date()));
      return reply.code(received.duplicate ? 200 : 201).send(asJson(received));
    },
  );
}
