// Emergency ("break-glass") access: someone who may find people, but is not involved with this
// one, opens the record for a few hours, stating why. The access is audited, shown to the team
// holding the case, and listed for a manager to review (justified or not). A manager never
// reviews their own.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import type { BreakGlassOutcome } from '../db/schema';
import { isUuid } from '../db/uuid';
import { nowOf, type Clock } from '../frontdoor/time';
import { HearthError, notFound, staleWrite, validationFailed } from '../server/errors';
import { accessLevel, aliasesCte, currentPersonId, involvementIn } from './involvement';
import { safePersonText } from './sealed-text';
import { loadSharingSettings } from './settings';

export const breakGlassSchema = z.object({
  reason: z
    .string({ error: 'Say why you need emergency access' })
    .trim()
    .min(10, 'Say why you need emergency access, in at least 10 characters')
    .max(1000, 'Keep the reason to 1000 characters or fewer'),
});

export const alreadyInvolvedMessage = 'You already have access to this record: no emergency access is needed.';

/** Opens emergency access to a person for the area's break-glass hours. Returns the person's current id and the end. */
export async function startBreakGlass(scope: Scope, requestedId: string, input: { reason?: string | undefined }, clock?: Clock): Promise<{ personId: string; expiresAt: Date }> {
  const now = nowOf(clock);
  const id = await currentPersonId(scope, requestedId);
  const level = id ? await accessLevel(scope, id, clock) : 'none';
  if (!id || level === 'none') {
    scope.audit({ action: 'person.break_glass', recordType: 'person', recordId: requestedId });
    throw notFound('The person');
  }
  const parsed = breakGlassSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'reason', message: i.message })));
  // Already open through involvement: nothing to break. Open through an earlier emergency access: a new one extends it.
  if (level === 'full' && !(await involvementIn(scope, id, clock)).some((i) => i.kind === 'break_glass')) {
    throw new HearthError('conflict', alreadyInvolvedMessage);
  }
  const { breakGlassHours } = await loadSharingSettings(scope.db, scope.actor.areaId);
  const expiresAt = new Date(now.getTime() + breakGlassHours * 3_600_000);
  const row = await scope.db
    .insertInto('break_glass')
    .values({
      area_id: scope.actor.areaId, user_id: scope.actor.userId, agency_id: scope.actor.agencyId, team_id: scope.actor.teamId,
      person_id: id, reason: parsed.data.reason, started_at: now, expires_at: expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  scope.audit({
    action: 'person.break_glass', recordType: 'break_glass', recordId: row.id, subjectPersonId: id, reason: parsed.data.reason,
    details: { expiresAt: expiresAt.toISOString(), hours: breakGlassHours },
  });
  return { personId: id, expiresAt };
}

export interface BreakGlassEntry {
  id: string;
  version: number;
  personId: string;
  personName: string;
  userId: string;
  userName: string;
  role: string;
  agencyName: string;
  teamName: string | null;
  reason: string;
  startedAt: Date;
  expiresAt: Date;
  active: boolean;
  reviewOutcome: BreakGlassOutcome | null;
  reviewNote: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
}

interface EntryRow {
  id: string; version: number; person_id: string; given_name: string | null; family_name: string | null; user_id: string; user_name: string;
  role: string; agency_name: string; team_name: string | null; reason: string; started_at: Date; expires_at: Date;
  review_outcome: BreakGlassOutcome | null; review_note: string | null; reviewer: string | null; reviewed_at: Date | null;
}

const entryColumns = (canSeeSealed: boolean) => sql`b.id, b.version, b.person_id, p.given_name, p.family_name, b.user_id,
  u.display_name AS user_name, u.role, g.name AS agency_name, t.name AS team_name,
  ${safePersonText(canSeeSealed, sql`b.reason`, sql`b.person_id`)} AS reason, b.started_at, b.expires_at, b.review_outcome,
  ${safePersonText(canSeeSealed, sql`b.review_note`, sql`b.person_id`)} AS review_note, r.display_name AS reviewer, b.reviewed_at`;
const entryJoins = sql`JOIN person p ON p.id = b.person_id JOIN app_user u ON u.id = b.user_id JOIN agency g ON g.id = b.agency_id
  LEFT JOIN team t ON t.id = b.team_id LEFT JOIN app_user r ON r.id = b.reviewed_by`;

function entryOf(row: EntryRow, now: Date): BreakGlassEntry {
  return {
    id: row.id, version: row.version, personId: row.person_id,
    personName: [row.given_name, row.family_name].filter(Boolean).join(' ') || 'Name not known',
    userId: row.user_id, userName: row.user_name, role: row.role, agencyName: row.agency_name, teamName: row.team_name, reason: row.reason,
    startedAt: row.started_at, expiresAt: row.expires_at, active: row.started_at <= now && row.expires_at > now,
    reviewOutcome: row.review_outcome, reviewNote: row.review_note, reviewedBy: row.reviewer, reviewedAt: row.reviewed_at,
  };
}

/**
 * Emergency accesses to a person in the area's notice period, newest first: for the person's
 * page, shown to whoever has full access to it (the team holding the case among them). Part of
 * viewing the page, which is audited as such.
 */
export async function breakGlassNotices(scope: Scope, personId: string, clock?: Clock): Promise<BreakGlassEntry[]> {
  if (!isUuid(personId)) return [];
  const now = nowOf(clock);
  const { noticeDays } = await loadSharingSettings(scope.db, scope.actor.areaId);
  const since = new Date(now.getTime() - noticeDays * 86_400_000);
  const { rows } = await sql<EntryRow>`
    WITH RECURSIVE ${aliasesCte([personId])}
    SELECT ${entryColumns(scope.can('address.view_confidential'))} FROM break_glass b ${entryJoins}
    WHERE b.person_id IN (SELECT id FROM aliases) AND b.started_at >= ${since}
    ORDER BY b.started_at DESC, b.id`.execute(scope.db);
  return rows.map((r) => entryOf(r, now));
}

/**
 * The signed-in person's own emergency accesses, and those to cases their team (or they) hold,
 * in the area's notice period: the notice to the team holding the case.
 */
export async function emergencyAccessFor(scope: Scope, clock?: Clock): Promise<{ own: BreakGlassEntry[]; toOurCases: BreakGlassEntry[] }> {
  const now = nowOf(clock);
  const { noticeDays } = await loadSharingSettings(scope.db, scope.actor.areaId);
  const since = new Date(now.getTime() - noticeDays * 86_400_000);
  const { userId, teamId } = scope.actor;
  const [own, ours] = await Promise.all([
    sql<EntryRow>`SELECT ${entryColumns(scope.can('address.view_confidential'))} FROM break_glass b ${entryJoins}
      WHERE b.user_id = ${userId}::uuid AND b.started_at >= ${since} ORDER BY b.started_at DESC, b.id LIMIT 100`.execute(scope.db),
    sql<EntryRow>`SELECT ${entryColumns(scope.can('address.view_confidential'))} FROM break_glass b ${entryJoins}
      WHERE b.started_at >= ${since} AND b.user_id <> ${userId}::uuid AND b.person_id IN (
        SELECT ca.person_id FROM case_allocation ca WHERE ca.ended_at IS NULL AND (ca.team_id = ${teamId}::uuid OR ca.worker_id = ${userId}::uuid))
      ORDER BY b.started_at DESC, b.id LIMIT 100`.execute(scope.db),
  ]);
  const entries = { own: own.rows.map((r) => entryOf(r, now)), toOurCases: ours.rows.map((r) => entryOf(r, now)) };
  scope.audit({ action: 'break_glass.notices', details: { shown: [...entries.own, ...entries.toOurCases].map((e) => e.id) } });
  return entries;
}

export const reviewPageSize = 25;

export const reviewFilterSchema = z.object({
  status: z.enum(['unreviewed', 'reviewed']).catch('unreviewed'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type ReviewFilter = z.infer<typeof reviewFilterSchema>;

/** Emergency accesses for managers to review: waiting oldest first, or reviewed newest first. */
export async function listForReview(scope: Scope, filter: ReviewFilter, clock?: Clock): Promise<{ entries: BreakGlassEntry[]; total: number; waiting: number }> {
  const now = nowOf(clock);
  const waitingOnly = filter.status === 'unreviewed';
  const { rows } = await sql<EntryRow & { total: number }>`
    SELECT ${entryColumns(scope.can('address.view_confidential'))}, count(*) OVER () AS total FROM break_glass b ${entryJoins}
    WHERE (b.review_outcome IS NULL) = ${waitingOnly}
    ORDER BY ${waitingOnly ? sql`b.started_at` : sql`b.reviewed_at DESC`}, b.id
    LIMIT ${reviewPageSize} OFFSET ${(filter.page - 1) * reviewPageSize}`.execute(scope.db);
  const waiting = await scope.db.selectFrom('break_glass').select(sql<number>`count(*)`.as('n')).where('review_outcome', 'is', null).executeTakeFirstOrThrow();
  scope.audit({ action: 'break_glass.list', details: { status: filter.status, page: filter.page, shown: rows.map((r) => r.id) } });
  return { entries: rows.map((r) => entryOf(r, now)), total: Number(rows[0]?.total ?? 0), waiting: Number(waiting.n) };
}

export const reviewSchema = z
  .object({
    version: z.coerce.number().int().positive(),
    outcome: z.enum(['justified', 'not_justified'], { error: 'Say whether the emergency access was justified' }),
    note: z.string().trim().max(2000, 'Keep the note to 2000 characters or fewer').optional().transform((v) => v || undefined),
  })
  .refine((r) => r.outcome === 'justified' || r.note, { path: ['note'], message: 'Say why it was not justified and what happens next' });

export const ownAccessMessage = 'You cannot review your own emergency access: another manager must.';

/** A manager's review of one emergency access. */
export async function reviewBreakGlass(scope: Scope, id: string, input: Record<string, unknown>, clock?: Clock): Promise<void> {
  const now = nowOf(clock);
  const entry = isUuid(id)
    ? await scope.db.selectFrom('break_glass').select(['id', 'user_id', 'person_id', 'version', 'review_outcome']).where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!entry) {
    scope.audit({ action: 'break_glass.review', recordType: 'break_glass', recordId: id });
    throw notFound('The emergency access');
  }
  const parsed = reviewSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'outcome', message: i.message })));
  if (entry.user_id === scope.actor.userId) throw new HearthError('forbidden', ownAccessMessage);
  if (entry.review_outcome !== null) throw new HearthError('conflict', 'This emergency access has already been reviewed.');
  if (entry.version !== parsed.data.version) throw staleWrite();
  const updated = await scope.db
    .updateTable('break_glass')
    .set({ review_outcome: parsed.data.outcome, review_note: parsed.data.note ?? null, reviewed_by: scope.actor.userId, reviewed_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', parsed.data.version)
    .where('review_outcome', 'is', null)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleWrite();
  scope.audit({
    action: 'break_glass.review', recordType: 'break_glass', recordId: id, subjectPersonId: entry.person_id,
    ...(parsed.data.note ? { reason: parsed.data.note } : {}), details: { outcome: parsed.data.outcome },
  });
}
