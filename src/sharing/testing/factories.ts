// Factories for sharing's tests: teams, people in teams, allocations, inspection windows,
// emergency access and sensitive notes, written directly as the owner (no gate), so that each
// test sets up exactly the involvement it is about.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, SensitiveCategory } from '../../db/schema';
import type { TestArea } from '../../../test/support/factories';

const unique = () => randomBytes(3).toString('hex');

export async function addTeam(db: Kysely<Database>, area: TestArea, agencyId: string, name = `Team ${unique()}`): Promise<string> {
  const row = await db.insertInto('team').values({ area_id: area.id, agency_id: agencyId, name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function putInTeam(db: Kysely<Database>, userId: string, teamId: string | null): Promise<void> {
  await db.updateTable('app_user').set({ team_id: teamId }).where('id', '=', userId).execute();
}

export async function allocate(db: Kysely<Database>, area: TestArea, personId: string, to: { teamId: string; workerId?: string | null; by: string }): Promise<string> {
  const row = await db
    .insertInto('case_allocation')
    .values({ area_id: area.id, person_id: personId, team_id: to.teamId, worker_id: to.workerId ?? null, allocated_by: to.by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A window of access for an inspector, open from yesterday for a week unless given. */
export async function openInspectionWindow(
  db: Kysely<Database>, area: TestArea, inspectorId: string, window: { startsAt?: Date; endsAt?: Date; grantedBy?: string } = {},
): Promise<string> {
  const now = Date.now();
  const row = await db
    .insertInto('inspection_access')
    .values({
      area_id: area.id, inspector_id: inspectorId, reason: 'Joint targeted area inspection', starts_at: window.startsAt ?? new Date(now - 86_400_000),
      ends_at: window.endsAt ?? new Date(now + 7 * 86_400_000), granted_by: window.grantedBy ?? inspectorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Emergency access as it would have been opened (e.g. already expired, to test expiry). */
export async function breakGlassGrant(
  db: Kysely<Database>, area: TestArea, user: { id: string; agencyId: string }, personId: string, window: { startedAt: Date; expiresAt: Date; reason?: string },
): Promise<string> {
  const row = await db
    .insertInto('break_glass')
    .values({
      area_id: area.id, user_id: user.id, agency_id: user.agencyId, person_id: personId, reason: window.reason ?? 'Police at the address now',
      started_at: window.startedAt, expires_at: window.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function sensitiveNote(
  db: Kysely<Database>, area: TestArea, personId: string,
  note: { text: string; category?: SensitiveCategory; roles?: string[]; users?: string[]; recordedBy: string; agencyId: string },
): Promise<string> {
  const row = await db
    .insertInto('sensitive_note')
    .values({
      area_id: area.id, person_id: personId, category: note.category ?? 'child_disclosure', note: note.text, visible_to_roles: note.roles ?? [],
      visible_to_users: note.users ?? [], agency_id: note.agencyId, recorded_by: note.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
