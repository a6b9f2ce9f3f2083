// The JSON API for agency systems, under /api/v1. Each route declares its zod schemas, which
// validate requests and describe the route in the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../server/app';
import { HearthError } from '../server/errors';
import { registerIntakeApi } from '../intake/api';
import { errorSchema } from './errors';


const meSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['person', 'system']),
  role: z.string(),
  agency: z.object({ id: z.string(), name: z.string() }),
  area: z.object({ id: z.string(), name: z.string() }),
});

export function registerApiRoutes(parent: FastifyInstance, _services: Services): void {
  const api = parent.withTypeProvider<ZodTypeProvider>();

  // Every API route needs a valid bearer token.
  api.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/v1/openapi.json')) return;
    if (!request.actor || request.actor.kind !== 'system') {
      throw new HearthError('unauthenticated', 'Send a valid API token as "Authorization: Bearer <token>".');
    }
  });

  api.get('/openapi.json', { schema: { hide: true } }, async () => parent.swagger());
  registerIntakeApi(api);

  api.get(
    '/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'Who the token belongs to',
        response: { 200: meSchema, 401: errorSchema },
      },
    },
    async (request) => {
      await request.gate.require('self.view');
      const actor = request.actor!;
      return {
        id: actor.userId,
        name: actor.displayName,
        kind: actor.kind,
        role: actor.role,
        agency: { id: actor.agencyId, name: actor.agencyName },
        area: { id: actor.areaId, name: actor.areaName },
      };
    },
  );
}
