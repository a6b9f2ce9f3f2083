// Sign in, sign out, and changing one's own password.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatInstant } from '../web/views';
import { parseForm, singleError } from '../web/forms';
import { safeReturnPath, signedIn } from '../web/guards';
import { writeAudit } from '../access/audit';
import type { Services } from '../server/app';
import { attemptSignIn } from './sign-in';
import { sessionCookieName } from './sessions';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';

const signInForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(320, 'Email address must be 320 characters or fewer'),
  password: z.string().min(1, 'Enter your password').max(256, 'Password must be 256 characters or fewer'),
  returnTo: z.string().optional(),
});

const changePasswordForm = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password'),
    newPassword: z.string().min(1, 'Enter a new password'),
    confirmPassword: z.string().min(1, 'Confirm your new password'),
  })
  .refine((f) => f.newPassword === f.confirmPassword, { path: ['confirmPassword'], message: 'The passwords do not match' });

export async function registerAuthRoutes(app: FastifyInstance, { config, database, sessions }: Services): Promise<void> {
  const { db } = database;
  const cookieOptions = (maxAgeSeconds: number) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: 'auto' as const,
    maxAge: maxAgeSeconds,
  });

  app.get('/sign-in', async (request, reply) => {
    if (request.actor) return reply.redirect('/');
    const { returnTo } = request.query as { returnTo?: string };
    return reply.render('auth/pages/sign-in.njk', { pageTitle: 'Sign in', returnTo: safeReturnPath(returnTo) });
  });

  app.post(
    '/sign-in',
    { preHandler: app.csrfProtection, config: { rateLimit: { max: 100, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const form = parseForm(signInForm, request.body);
      const returnTo = safeReturnPath((request.body as { returnTo?: unknown } | undefined)?.returnTo);
      const values = { email: (request.body as { email?: string } | undefined)?.email ?? '' };
      if (!form.ok) return reply.code(400).render('auth/pages/sign-in.njk', { pageTitle: 'Sign in', errors: form.errors.list, fieldErrors: form.errors.byField, values, returnTo });

      const outcome = await attemptSignIn(db, { attempts: config.lockoutAttempts, minutes: config.lockoutMinutes }, form.data.email, form.data.password, {
        requestId: String(request.id),
        ip: request.ip,
      });
      if (!outcome.ok) {
        const message =
          outcome.reason === 'locked'
            ? `This account is locked after too many failed attempts. Try again after ${formatInstant(outcome.lockedUntil)}, or ask an administrator to unlock it.`
            : 'Enter a correct email address and password';
        const errors = singleError('email', message);
        return reply.code(outcome.reason === 'locked' ? 423 : 401).render('auth/pages/sign-in.njk', {
          pageTitle: 'Sign in', errors: errors.list, fieldErrors: errors.byField, values, returnTo,
        });
      }
      // A new session on every sign-in, so an earlier cookie cannot be fixed on the victim.
      if (request.sessionId) await sessions.end(request.sessionId);
      const session = await sessions.create({ id: outcome.userId, areaId: outcome.areaId }, { ip: request.ip, userAgent: request.headers['user-agent'] });
      reply.setCookie(sessionCookieName, session.cookieValue, cookieOptions(config.sessionAbsoluteHours * 3600));
      return reply.redirect(returnTo);
    },
  );

  app.post('/sign-out', { preHandler: app.csrfProtection }, async (request, reply) => {
    if (request.sessionId && request.actor) {
      await sessions.end(request.sessionId);
      await writeAudit(db, { areaId: request.actor.areaId, actorUserId: request.actor.userId, actorAgencyId: request.actor.agencyId, actorRole: request.actor.role, requestId: String(request.id), ip: request.ip }, [
        { action: 'auth.sign_out', recordType: 'user', recordId: request.actor.userId },
      ]);
    }
    reply.clearCookie(sessionCookieName, { path: '/' });
    return reply.redirect('/sign-in?signedOut=1');
  });

  app.get('/account/password', async (request, reply) => {
    signedIn(request);
    return reply.render('auth/pages/change-password.njk', { pageTitle: 'Change your password', backLink: '/' });
  });

  app.post('/account/password', { preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = signedIn(request);
    const form = parseForm(changePasswordForm, request.body);
    const page = (errors: { list: unknown[]; byField: unknown }, code = 400) =>
      reply.code(code).render('auth/pages/change-password.njk', { pageTitle: 'Change your password', backLink: '/', errors: errors.list, fieldErrors: errors.byField });
    if (!form.ok) return page(form.errors);
    const user = await db.selectFrom('app_user').select(['password_hash']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
    if (!user.password_hash || !(await verifyPassword(user.password_hash, form.data.currentPassword))) {
      return page(singleError('currentPassword', 'Your current password is not correct'));
    }
    const problem = passwordProblem(form.data.newPassword, { email: actor.email ?? undefined, name: actor.displayName });
    if (problem) return page(singleError('newPassword', problem));
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('app_user').set({ password_hash: await hashPassword(form.data.newPassword), updated_at: new Date() }).where('id', '=', actor.userId).execute();
      await writeAudit(tx, { areaId: actor.areaId, actorUserId: actor.userId, actorAgencyId: actor.agencyId, actorRole: actor.role, requestId: String(request.id), ip: request.ip }, [
        { action: 'auth.password_changed', recordType: 'user', recordId: actor.userId },
      ]);
    });
    return reply.render('auth/pages/change-password.njk', { pageTitle: 'Change your password', backLink: '/', flash: 'Your password has been changed.' });
  });
}
