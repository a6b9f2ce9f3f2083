// Checking a sign-in attempt: the password, the lockout after repeated failures, and the audit
// of every outcome in the account's area.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { writeAudit } from '../access/audit';
import { hashPassword, verifyPassword } from './passwords';

export interface LockoutSettings {
  attempts: number;
  minutes: number;
}

export type SignInOutcome =
  | { ok: true; userId: string; areaId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; lockedUntil: Date };

// Verifying against a real hash when the email is unknown keeps the response time the same,
// so timing does not reveal which addresses have accounts.
let decoyHash: Promise<string> | undefined;

export async function attemptSignIn(
  db: Kysely<Database>,
  lockout: LockoutSettings,
  email: string,
  password: string,
  origin: { requestId: string; ip: string },
): Promise<SignInOutcome> {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'area_id', 'agency_id', 'role', 'password_hash', 'status', 'locked_until', 'kind'])
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();

  if (!user || !user.password_hash || user.kind !== 'person') {
    decoyHash ??= hashPassword('decoy password for timing');
    await verifyPassword(await decoyHash, password);
    return { ok: false, reason: 'invalid' };
  }

  const audit = (action: string, outcome: 'allowed' | 'refused', details?: Record<string, unknown>) =>
    writeAudit(db, { areaId: user.area_id, actorUserId: user.id, actorAgencyId: user.agency_id, actorRole: user.role, ...origin }, [
      { action, outcome, recordType: 'user', recordId: user.id, ...(details ? { details } : {}) },
    ]);

  if (user.locked_until && user.locked_until.getTime() > Date.now()) {
    await audit('auth.sign_in', 'refused', { because: 'locked' });
    return { ok: false, reason: 'locked', lockedUntil: user.locked_until };
  }

  const valid = await verifyPassword(user.password_hash, password);
  if (valid && user.status === 'active') {
    await db
      .updateTable('app_user')
      .set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: sql`now()` })
      .where('id', '=', user.id)
      .execute();
    await audit('auth.sign_in', 'allowed');
    return { ok: true, userId: user.id, areaId: user.area_id };
  }

  if (!valid) {
    const updated = await db
      .updateTable('app_user')
      .set({ failed_sign_ins: sql`failed_sign_ins + 1` })
      .where('id', '=', user.id)
      .returning(['failed_sign_ins'])
      .executeTakeFirstOrThrow();
    if (updated.failed_sign_ins >= lockout.attempts) {
      const lockedUntil = new Date(Date.now() + lockout.minutes * 60_000);
      await db.updateTable('app_user').set({ failed_sign_ins: 0, locked_until: lockedUntil }).where('id', '=', user.id).execute();
      await audit('auth.account_locked', 'refused', { failedAttempts: updated.failed_sign_ins, lockedUntil: lockedUntil.toISOString() });
      return { ok: false, reason: 'locked', lockedUntil };
    }
    await audit('auth.sign_in', 'refused', { because: 'wrong_password' });
  } else {
    await audit('auth.sign_in', 'refused', { because: 'disabled' });
  }
  return { ok: false, reason: 'invalid' };
}
