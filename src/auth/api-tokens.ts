// API tokens for agency systems. A token is shown once when issued; only its SHA-256 is kept.
// The visible prefix lets an administrator tell tokens apart without seeing them.
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../access/actor';
import type { Database } from '../db/schema';
import { actorFromRow, actorQuery } from './actors';
import { randomSecret, sha256Hex } from './secrets';

const tokenPattern = /^hth_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{32,64}$/;

export function newApiToken(): { token: string; prefix: string; hash: string } {
  const prefix = randomSecret(6);
  const token = `hth_${prefix}_${randomSecret(32)}`;
  return { token, prefix: `hth_${prefix}`, hash: sha256Hex(token) };
}

export async function actorForBearerToken(db: Kysely<Database>, token: string): Promise<Actor | null> {
  if (!tokenPattern.test(token)) return null;
  // The token and its user in one statement: every API request asks this first.
  const row = await actorQuery(db)
    .innerJoin('api_token as t', 't.user_id', 'u.id')
    .select(['t.id as token_id', 't.revoked_at', 't.last_used_at'])
    .where('t.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  const actor = await actorFromRow(db, row);
  if (!actor || actor.kind !== 'system') return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_token').set({ last_used_at: sql`now()` }).where('id', '=', row.token_id).execute();
  }
  return actor;
}
