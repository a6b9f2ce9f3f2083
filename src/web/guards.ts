// Small guards shared by page routes.
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor';
import { HearthError } from '../server/errors';

/** The signed-in person; otherwise the error handler sends them to sign in. */
export function signedIn(request: FastifyRequest): Actor {
  if (!request.actor || request.actor.kind !== 'person') throw new HearthError('unauthenticated', 'Sign in to continue.');
  return request.actor;
}

/** Only ever redirect to a path on this site. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}
