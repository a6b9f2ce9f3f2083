// System accounts let an agency's own system (the police records system, a hospital's) call the
// API. Each belongs to one agency; its tokens are shown once when issued and can be revoked.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { newApiToken } from '../auth/api-tokens';
import { notFound } from '../server/errors';

export const newSystemAccountSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name for the system, like “Police records system”').max(120, 'Name must be 120 characters or fewer'),
  agencyId: z.guid('Choose the agency the system belongs to'),
});

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, 'Enter what the token is for, like “Production”').max(80, 'Name must be 80 characters or fewer'),
});

export async function listSystemAccounts(scope: Scope) {
  const accounts = await scope.db
    .selectFrom('app_user as u')
    .innerJoin('agency as g', 'g.id', 'u.agency_id')
    .select(['u.id', 'u.display_name', 'u.status', 'g.name as agency_name', 'u.created_at'])
    .where('u.kind', '=', 'system')
    .orderBy('u.display_name')
    .execute();
  const tokens = accounts.length
    ? await scope.db
        .selectFrom('api_token')
        .select(['id', 'user_id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
        .where('user_id', 'in', accounts.map((a) => a.id))
        .orderBy('created_at', 'desc')
        .execute()
    : [];
  scope.audit({ action: 'system_account.list' });
  return accounts.map((a) => ({ ...a, tokens: tokens.filter((t) => t.user_id === a.id) }));
}

export async function createSystemAccount(scope: Scope, input: z.infer<typeof newSystemAccountSchema>): Promise<string> {
  const agency = await scope.db.selectFrom('agency').select('id').where('id', '=', input.agencyId).executeTakeFirst();
  if (!agency) throw notFound('The agency');
  const created = await scope.db
    .insertInto('app_user')
    .values({ area_id: scope.actor.areaId, agency_id: input.agencyId, kind: 'system', display_name: input.name, role: 'agency_system' })
    .returning('id')
    .executeTakeFirstOrThrow();
  scope.audit({ action: 'system_account.create', recordType: 'user', recordId: created.id, details: { agencyId: input.agencyId } });
  return created.id;
}

/** Issues a token and returns it: the only time it is ever visible. */
export async function issueToken(scope: Scope, accountId: string, name: string): Promise<{ token: string; prefix: string }> {
  const account = await scope.db.selectFrom('app_user').select(['id', 'status']).where('id', '=', accountId).where('kind', '=', 'system').executeTakeFirst();
  if (!account || account.status !== 'active') throw notFound('The system account');
  const { token, prefix, hash } = newApiToken();
  const row = await scope.db
    .insertInto('api_token')
    .values({ area_id: scope.actor.areaId, user_id: accountId, name, token_hash: hash, prefix, created_by: scope.actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  scope.audit({ action: 'api_token.issue', recordType: 'api_token', recordId: row.id, details: { systemAccountId: accountId, prefix } });
  return { token, prefix };
}

export async function revokeToken(scope: Scope, tokenId: string): Promise<void> {
  if (!z.guid().safeParse(tokenId).success) throw notFound('The token');
  const revoked = await scope.db
    .updateTable('api_token')
    .set({ revoked_at: sql`now()`, revoked_by: scope.actor.userId })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'prefix'])
    .executeTakeFirst();
  if (!revoked) throw notFound('The token');
  scope.audit({ action: 'api_token.revoke', recordType: 'api_token', recordId: tokenId, details: { prefix: revoked.prefix } });
}

export async function setSystemAccountStatus(scope: Scope, accountId: string, status: 'active' | 'disabled'): Promise<void> {
  const updated = await scope.db
    .updateTable('app_user')
    .set({ status, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', accountId)
    .where('kind', '=', 'system')
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw notFound('The system account');
  scope.audit({ action: status === 'disabled' ? 'system_account.disable' : 'system_account.enable', recordType: 'user', recordId: accountId });
}
