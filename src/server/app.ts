// Builds the Hearth web application: security headers, sessions and tokens, CSRF protection,
// the gate on every request, the design-system assets, the pages and the JSON API.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { Gate } from '../access/gate';
import { registerAdminRoutes } from '../admin/routes';
import { actorForBearerToken } from '../auth/api-tokens';
import { registerAuthRoutes } from '../auth/routes';
import { SessionStore, sessionCookieName } from '../auth/sessions';
import type { DatabaseHandle } from '../db/database';
import { registerEncompassRoutes } from '../encompass/routes';
import { registerFrontDoorRoutes } from '../frontdoor/routes';
import { registerHomeRoutes } from '../home/routes';
import { registerIdentityRoutes } from '../identity/routes';
import { registerIntakeRoutes } from '../intake/routes';
import { registerPeopleRoutes } from '../people/routes';
import { registerSharingRoutes } from '../sharing/routes';
import { registerRiskRoutes } from '../risk';
import { registerApiRoutes } from '../api/routes';
import { createViewEnvironment, govukDir, mojDir } from '../web/views';
import { navigationFor } from '../web/navigation';
import type { Config } from './config';
import { HearthError } from './errors';
import { registerHealthRoutes } from './health';
import { registerMetrics } from './metrics';
import './http';

export interface AppDependencies {
  config: Config;
  database: DatabaseHandle;
  /** Secret for signing cookies and CSRF tokens. */
  secret: string;
}

export interface Services {
  config: Config;
  database: DatabaseHandle;
  sessions: SessionStore;
}

const webAssetsDir = fileURLToPath(new URL('../web/assets/', import.meta.url));

export async function buildApp({ config, database, secret }: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    logger: {
      level: config.logLevel,
      // Logs never carry personal data: no query strings (searches hold names), no bodies,
      // no cookies or tokens.
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({ method: req.method, url: req.url.split('?')[0], id: req.id }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const sessions = new SessionStore(database.db, {
    idleMinutes: config.sessionIdleMinutes,
    absoluteHours: config.sessionAbsoluteHours,
  });
  const services: Services = { config, database, sessions };
  const views = createViewEnvironment();

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only makes sense behind HTTPS, which a proxy terminates.
    hsts: config.trustProxy,
  });
  await app.register(fastifyCookie, { secret });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', signed: true },
    getUserInfo: (req) => req.sessionId ?? 'signed-out',
    csrfOpts: { hmacKey: secret, userInfo: true },
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Hearth API', version: '1', description: 'The JSON API for agency systems. Authenticate with a bearer token issued to a system account.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    hideUntagged: true,
  });

  await app.register(fastifyStatic, { root: join(govukDir, 'govuk'), prefix: '/assets/govuk/', decorateReply: false, index: false, maxAge: '1h' });
  await app.register(fastifyStatic, { root: join(govukDir, 'govuk', 'assets'), prefix: '/assets/', decorateReply: false, index: false, maxAge: '1d' });
  await app.register(fastifyStatic, { root: join(mojDir, 'moj'), prefix: '/assets/moj/', decorateReply: false, index: false, maxAge: '1h' });
  await app.register(fastifyStatic, { root: webAssetsDir, prefix: '/assets/app/', decorateReply: false, index: false, maxAge: '1h' });

  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('gate', {
    getter(this: FastifyRequest): Gate {
      if (!this.actor) throw new HearthError('unauthenticated', 'Sign in to continue.');
      return new Gate(database, this.actor, { requestId: String(this.id), ip: this.ip });
    },
  });
  app.decorateReply('render', async function (this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const request = this.request;
    const csrfToken = this.generateCsrf({ userInfo: request.sessionId ?? 'signed-out' });
    const html = views.render(template, {
      actor: request.actor,
      navigation: navigationFor(request.actor, request.url.split('?')[0] ?? '/'),
      csrfToken,
      cspNonce: this.cspNonce?.script,
      ...context,
    });
    return this.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });

  // Who is asking: a bearer token (agency systems, API only) or a browser session cookie.
  app.addHook('onRequest', async (request) => {
    request.headers['x-request-id'] = String(request.id);
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ') && request.url.startsWith('/api/')) {
      request.actor = await actorForBearerToken(database.db, authorization.slice(7).trim());
      return;
    }
    const cookie = request.cookies[sessionCookieName];
    if (cookie) {
      const session = await sessions.resolve(cookie);
      if (session) {
        request.actor = session.actor;
        request.sessionId = session.id;
      }
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });

  // Error handlers first: routes take the handler in force when they are registered.
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send(new HearthError('not_found', 'There is nothing at this address.').toJSON());
    return reply.code(404).render('web/templates/not-found.njk', { pageTitle: 'Page not found' });
  });

  app.setErrorHandler(async (error, request, reply) => {
    const hearthError = toHearthError(error);
    if (hearthError.status >= 500) request.log.error({ err: error }, 'request failed');
    if (request.url.startsWith('/api/')) return reply.code(hearthError.status).send(hearthError.toJSON());
    if (hearthError.code === 'unauthenticated') return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`);
    const page = hearthError.status === 404 ? 'web/templates/not-found.njk' : 'web/templates/error.njk';
    return reply.code(hearthError.status).render(page, {
      pageTitle: hearthError.status === 404 ? 'Page not found' : hearthError.status === 403 ? 'You do not have access' : 'Sorry, there is a problem',
      error: hearthError,
      requestId: request.id,
    });
  });

  registerMetrics(app);
  registerHealthRoutes(app, services);
  await registerAuthRoutes(app, services);
  registerHomeRoutes(app);
  await registerPeopleRoutes(app, services);
  await registerRiskRoutes(app, services);
  await registerIdentityRoutes(app, services);
  await registerIntakeRoutes(app, services);
  await registerFrontDoorRoutes(app, services);
  await registerEncompassRoutes(app, services);
  await registerSharingRoutes(app, services);
  await registerAdminRoutes(app, services);
  await app.register((api, _opts, done) => {
    registerApiRoutes(api, services);
    done();
  }, { prefix: '/api/v1' });

  return app;
}

function toHearthError(error: unknown): HearthError {
  if (error instanceof HearthError) return error;
  if (error instanceof ZodError) {
    const fields = error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'input', message: i.message }));
    return new HearthError('validation_failed', `Some fields are not valid: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, fields);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields = error.validation.map((v) => ({
      field: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || (error.validationContext ?? 'body'),
      message: v.message ?? 'is not valid',
    }));
    return new HearthError('validation_failed', `Some fields are not valid: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, fields);
  }
  const status = (error as { statusCode?: number }).statusCode;
  const code = (error as { code?: string }).code;
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') {
    return new HearthError('forbidden', 'This form has expired. Go back, reload the page and try again.');
  }
  if (status === 429) return new HearthError('rate_limited', 'Too many requests. Wait a minute and try again.');
  if (status && status >= 400 && status < 500) return new HearthError('bad_request', (error as Error).message);
  return new HearthError('internal', 'Sorry, something went wrong. The problem has been logged.');
}
