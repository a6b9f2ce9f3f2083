// Administration pages: users and system accounts of the administrator's own area.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { personRoles, roleLabels } from '../access/roles';
import type { Services } from '../server/app';
import { parseForm, withFormErrors, type PageErrors } from '../web/forms';
import { signedIn } from '../web/guards';
import {
  createSystemAccount, issueToken, listSystemAccounts, newSystemAccountSchema, newTokenSchema, revokeToken, setSystemAccountStatus,
} from './system-accounts';
import {
  agencyChoices, changeUser, changeUserSchema, changeUserStatus, createUser, getUser, listUsers, newUserSchema, usersPageSize,
} from './users';

const roleItems = personRoles.map((r) => ({ value: r, text: roleLabels[r] }));
const listFilter = z.object({
  role: z.enum(personRoles).optional().catch(undefined),
  status: z.enum(['active', 'disabled', 'locked']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
const statusForm = z.object({ action: z.enum(['disable', 'enable', 'unlock']), version: z.coerce.number().int().positive() });

export async function registerAdminRoutes(app: FastifyInstance, _services: Services): Promise<void> {
  const csrf = { preHandler: app.csrfProtection };

  app.get('/admin/users', async (request, reply) => {
    signedIn(request);
    const filter = listFilter.parse(request.query ?? {});
    const { users, total } = await request.gate.run('user.manage', (scope) => listUsers(scope, filter));
    const pages = Math.ceil(total / usersPageSize);
    const query = (page: number) => `/admin/users?${new URLSearchParams({ ...(filter.role ? { role: filter.role } : {}), ...(filter.status ? { status: filter.status } : {}), page: String(page) })}`;
    return reply.render('admin/pages/users.njk', {
      pageTitle: 'Users', total, filter, roleItems,
      users: users.map((u) => ({ ...u, locked: u.locked_until !== null && u.locked_until.getTime() > Date.now() })),
      pagination: pages > 1 ? {
        previous: filter.page > 1 ? { href: query(filter.page - 1) } : undefined,
        next: filter.page < pages ? { href: query(filter.page + 1) } : undefined,
      } : undefined,
    });
  });

  const showNewUser = async (reply: FastifyReply, values: Record<string, unknown>, errors?: PageErrors) => {
    const choices = await reply.request.gate.run('user.manage', (scope) => agencyChoices(scope));
    return reply.render('admin/pages/user-new.njk', {
      pageTitle: 'Add a user', backLink: '/admin/users', values, roleItems, ...choices,
      errors: errors?.list, fieldErrors: errors?.byField ?? {},
    });
  };

  app.get('/admin/users/new', async (request, reply) => {
    signedIn(request);
    return showNewUser(reply, {});
  });

  app.post('/admin/users/new', csrf, async (request, reply) => {
    signedIn(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { ...body, password: '' };
    const form = parseForm(newUserSchema, body);
    if (!form.ok) return showNewUser(reply.code(400), values, form.errors);
    return withFormErrors(
      reply,
      async () => {
        const id = await request.gate.run('user.manage', (scope) => createUser(scope, form.data));
        return reply.redirect(`/admin/users/${id}?done=created`);
      },
      (errors) => showNewUser(reply, values, errors),
    );
  });

  const showUser = async (reply: FastifyReply, id: string, errors?: PageErrors, flash?: string) => {
    const { user, choices } = await reply.request.gate.run('user.manage', async (scope) => ({ user: await getUser(scope, id), choices: await agencyChoices(scope) }));
    return reply.render('admin/pages/user.njk', {
      pageTitle: user.display_name, backLink: '/admin/users', user, roleItems, ...choices,
      locked: user.locked_until !== null && user.locked_until.getTime() > Date.now(),
      errors: errors?.list, fieldErrors: errors?.byField ?? {}, flash,
    });
  };

  const flashes: Record<string, string> = {
    created: 'User added. Give them their first password securely; they can change it after signing in.',
    changed: 'Changes saved. The user’s open sessions have ended, so their new role applies from their next sign-in.',
    disable: 'User disabled. They have been signed out and can no longer sign in.',
    enable: 'User enabled. They can sign in again.',
    unlock: 'Account unlocked. They can try signing in again.',
  };

  app.get('/admin/users/:id', async (request, reply) => {
    signedIn(request);
    const { id } = request.params as { id: string };
    const done = (request.query as { done?: string }).done;
    return showUser(reply, id, undefined, done ? flashes[done] : undefined);
  });

  app.post('/admin/users/:id', csrf, async (request, reply) => {
    signedIn(request);
    const { id } = request.params as { id: string };
    const form = parseForm(changeUserSchema, request.body);
    if (!form.ok) return showUser(reply.code(400), id, form.errors);
    return withFormErrors(
      reply,
      async () => {
        await request.gate.run('user.manage', (scope) => changeUser(scope, id, form.data));
        return reply.redirect(`/admin/users/${id}?done=changed`);
      },
      (errors) => showUser(reply, id, errors),
    );
  });

  app.post('/admin/users/:id/status', csrf, async (request, reply) => {
    signedIn(request);
    const { id } = request.params as { id: string };
    const form = statusForm.parse(request.body);
    return withFormErrors(
      reply,
      async () => {
        await request.gate.run('user.manage', (scope) => changeUserStatus(scope, id, form.action, form.version));
        return reply.redirect(`/admin/users/${id}?done=${form.action}`);
      },
      (errors) => showUser(reply, id, errors),
    );
  });

  const showSystemAccounts = async (reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const { accounts, choices } = await reply.request.gate.run('system_account.manage', async (scope) => ({
      accounts: await listSystemAccounts(scope),
      choices: await agencyChoices(scope),
    }));
    return reply.render('admin/pages/system-accounts.njk', { pageTitle: 'System accounts', accounts, ...choices, fieldErrors: {}, ...extra });
  };

  app.get('/admin/system-accounts', async (request, reply) => {
    signedIn(request);
    const done = (request.query as { done?: string }).done;
    const messages: Record<string, string> = { created: 'System account added. Issue a token for it below.', revoked: 'Token revoked. Calls using it are refused from now on.', disabled: 'System account disabled.', enabled: 'System account enabled.' };
    return showSystemAccounts(reply, { flash: done ? messages[done] : undefined });
  });

  app.post('/admin/system-accounts', csrf, async (request, reply) => {
    signedIn(request);
    const form = parseForm(newSystemAccountSchema, request.body);
    if (!form.ok) return showSystemAccounts(reply.code(400), { errors: form.errors.list, fieldErrors: form.errors.byField, values: request.body });
    await request.gate.run('system_account.manage', (scope) => createSystemAccount(scope, form.data));
    return reply.redirect('/admin/system-accounts?done=created');
  });

  app.post('/admin/system-accounts/:id/tokens', csrf, async (request, reply) => {
    signedIn(request);
    const { id } = request.params as { id: string };
    const form = parseForm(newTokenSchema, request.body);
    if (!form.ok) return showSystemAccounts(reply.code(400), { errors: form.errors.list, fieldErrors: { [`tokenName-${id}`]: form.errors.byField.name } });
    const issued = await request.gate.run('system_account.manage', (scope) => issueToken(scope, id, form.data.name));
    return reply.render('admin/pages/token-issued.njk', { pageTitle: 'Token issued', token: issued.token, backLink: '/admin/system-accounts' });
  });

  app.post('/admin/system-accounts/tokens/:tokenId/revoke', csrf, async (request, reply) => {
    signedIn(request);
    const { tokenId } = request.params as { tokenId: string };
    await request.gate.run('system_account.manage', (scope) => revokeToken(scope, tokenId));
    return reply.redirect('/admin/system-accounts?done=revoked');
  });

  app.post('/admin/system-accounts/:id/status', csrf, async (request, reply) => {
    signedIn(request);
    const { id } = request.params as { id: string };
    const { status } = z.object({ status: z.enum(['active', 'disabled']) }).parse(request.body);
    await request.gate.run('system_account.manage', (scope) => setSystemAccountStatus(scope, id, status));
    return reply.redirect(`/admin/system-accounts?done=${status === 'active' ? 'enabled' : 'disabled'}`);
  });
}
