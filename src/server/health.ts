// /health: the process is alive. /ready: the database answers and every migration is applied,
// so a load balancer sends traffic only to nodes that can serve it.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pendingMigrations } from '../db/migrate';
import type { Services } from './app';

export function registerHealthRoutes(app: FastifyInstance, { database }: Services): void {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(database.db);
      const pending = await pendingMigrations(database);
      if (pending.length > 0) return reply.code(503).send({ status: 'not_ready', database: 'ok', pendingMigrations: pending });
      return { status: 'ready', database: database.engine };
    } catch {
      return reply.code(503).send({ status: 'not_ready', database: 'unreachable' });
    }
  });
}
