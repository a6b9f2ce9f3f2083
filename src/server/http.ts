// What Hearth adds to Fastify's request and reply.
import type { Actor } from '../access/actor';
import type { Gate } from '../access/gate';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person or calling system, or null. */
    actor: Actor | null;
    /** The browser session's id, when signed in through the browser. */
    sessionId: string | null;
    /** The data gate for this request's actor; throws when no one is signed in. */
    gate: Gate;
  }
  interface FastifyReply {
    /** Renders a page template (named from src/) inside the layout's context. */
    render(template: string, context?: Record<string, unknown>): Promise<FastifyReply>;
  }
}

export {};
