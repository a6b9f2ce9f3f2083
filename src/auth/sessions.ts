// Browser sessions. The cookie holds a random secret; the database holds only its SHA-256.
// A session ends on sign-out, after the idle period without a request, or at its absolute
// expiry, whichever comes first; a disabled user's sessions stop working at once.
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../access/actor';
import type { Database } from '../db/schema';
import { actorFromRow, actorQuery } from './actors';
import { randomSecret, sha256Hex } from './secrets';

export const sessionCookieName = 'hearth_session';

export interface SessionSettings {
  idleMinutes: number;
  absoluteHours: number;
}

export interface ActiveSession {
  id: string;
  actor: Actor;
}

/** Only refresh last_seen_at this often, so each page view does not write. */
const touchEverySeconds = 60;

export class SessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly settings: SessionSettings,
  ) {}

  async create(user: { id: string; areaId: string }, origin: { ip: string; userAgent: string | undefined }): Promise<{ cookieValue: string; id: string }> {
    const cookieValue = randomSecret();
    const id = sha256Hex(cookieValue);
    await this.db
      .insertInto('user_session')
      .values({
        id,
        area_id: user.areaId,
        user_id: user.id,
        expires_at: new Date(Date.now() + this.settings.absoluteHours * 3_600_000),
        ip: origin.ip,
        user_agent: origin.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    return { cookieValue, id };
  }

  async resolve(cookieValue: string): Promise<ActiveSession | null> {
    const id = sha256Hex(cookieValue);
    // The session and its user in one statement: every request asks this first.
    const session = await actorQuery(this.db)
      .innerJoin('user_session as s', 's.user_id', 'u.id')
      .select(['s.expires_at', 's.last_seen_at', 's.ended_at'])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!session || session.ended_at) return null;
    const now = Date.now();
    const idleLimit = session.last_seen_at.getTime() + this.settings.idleMinutes * 60_000;
    if (session.expires_at.getTime() <= now || idleLimit <= now) {
      await this.end(id);
      return null;
    }
    const actor = await actorFromRow(this.db, session);
    if (!actor) return null;
    if (now - session.last_seen_at.getTime() > touchEverySeconds * 1000) {
      await this.db.updateTable('user_session').set({ last_seen_at: new Date(now) }).where('id', '=', id).execute();
    }
    return { id, actor };
  }

  async end(id: string): Promise<void> {
    await this.db.updateTable('user_session').set({ ended_at: sql`now()` }).where('id', '=', id).where('ended_at', 'is', null).execute();
  }

  /** Ends every session of a user (disabled, re-roled, password changed). */
  async endAllFor(userId: string): Promise<void> {
    await this.db.updateTable('user_session').set({ ended_at: sql`now()` }).where('user_id', '=', userId).where('ended_at', 'is', null).execute();
  }
}
