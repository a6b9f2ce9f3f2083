// Inspectors' windows of access: an administrator gives an inspector read-only access to the
// area's records from one day to another (a joint inspection), at most the area's
// inspectionMaxDays, and may end it early. Outside a window an inspector sees no one.
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { isValidCalendarDate } from '../chronology/dates';
import { addDays } from '../calendar/dates';
import { londonDate, londonInstant } from '../calendar/london';
import { isUuid } from '../db/uuid';
import { HearthError, notFound, validationFailed } from '../server/errors';
import { loadSharingSettings } from './settings';

export interface InspectionWindow {
  id: string;
  inspector: string;
  reason: string;
  startsAt: Date;
  endsAt: Date;
  grantedBy: string;
  endedEarlyAt: Date | null;
  open: boolean;
}

export async function listInspections(scope: Scope, now = new Date()): Promise<InspectionWindow[]> {
  const rows = await scope.db
    .selectFrom('inspection_access as i')
    .innerJoin('app_user as u', 'u.id', 'i.inspector_id')
    .innerJoin('app_user as g', 'g.id', 'i.granted_by')
    .select(['i.id', 'u.display_name as inspector', 'i.reason', 'i.starts_at', 'i.ends_at', 'g.display_name as granted_by', 'i.ended_early_at'])
    .orderBy('i.ends_at', 'desc')
    .limit(100)
    .execute();
  scope.audit({ action: 'inspection.list' });
  return rows.map((r) => ({
    id: r.id, inspector: r.inspector, reason: r.reason, startsAt: r.starts_at, endsAt: r.ends_at, grantedBy: r.granted_by, endedEarlyAt: r.ended_early_at,
    open: r.ended_early_at === null && r.starts_at <= now && r.ends_at > now,
  }));
}

/** The area's active inspectors, for the form. */
export async function inspectorChoices(scope: Scope): Promise<{ id: string; name: string }[]> {
  return scope.db.selectFrom('app_user').select(['id', 'display_name as name']).where('role', '=', 'inspector').where('status', '=', 'active').orderBy('display_name').execute();
}

const date = (label: string) => z.string({ error: `Enter ${label}` }).trim().refine(isValidCalendarDate, `Enter ${label} as a real date, like 2026-03-27`);

export const inspectionSchema = z.object({
  inspectorId: z.string({ error: 'Choose the inspector' }).refine(isUuid, 'Choose the inspector'),
  from: date('the first day'),
  to: date('the last day'),
  reason: z.string({ error: 'Say which inspection this is for' }).trim().min(5, 'Say which inspection this is for').max(500, 'Keep the reason to 500 characters or fewer'),
});

/** Gives an inspector access from the start of `from` to the end of `to` (London days). */
export async function grantInspection(scope: Scope, input: Record<string, unknown>, now = new Date()): Promise<string> {
  const parsed = inspectionSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'reason', message: i.message })));
  const { inspectorId, from, to, reason } = parsed.data;
  const { inspectionMaxDays } = await loadSharingSettings(scope.db, scope.actor.areaId);
  const errors = [];
  if (!(await inspectorChoices(scope)).some((i) => i.id === inspectorId)) errors.push({ field: 'inspectorId', message: 'Choose an inspector from the list' });
  if (to < from) errors.push({ field: 'to', message: 'The last day must be the same as or after the first day' });
  else if (addDays(from, inspectionMaxDays - 1) < to) errors.push({ field: 'to', message: `A window lasts at most ${inspectionMaxDays} days` });
  if (to < londonDate(now)) errors.push({ field: 'to', message: 'The last day must be today or later' });
  if (errors.length) throw validationFailed(errors);
  const row = await scope.db
    .insertInto('inspection_access')
    .values({
      area_id: scope.actor.areaId, inspector_id: inspectorId, reason, starts_at: londonInstant(from, '00:00'), ends_at: londonInstant(addDays(to, 1), '00:00'),
      granted_by: scope.actor.userId, granted_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  scope.audit({ action: 'inspection.grant', recordType: 'inspection_access', recordId: row.id, reason, details: { inspectorId, from, to } });
  return row.id;
}

export async function endInspection(scope: Scope, id: string, now = new Date()): Promise<void> {
  const window = isUuid(id) ? await scope.db.selectFrom('inspection_access').select(['id', 'ends_at', 'ended_early_at']).where('id', '=', id).executeTakeFirst() : undefined;
  if (!window) throw notFound('The inspection window');
  if (window.ended_early_at || window.ends_at <= now) throw new HearthError('conflict', 'This window has already ended.');
  await scope.db.updateTable('inspection_access').set({ ended_early_at: now, ended_early_by: scope.actor.userId }).where('id', '=', id).execute();
  scope.audit({ action: 'inspection.end', recordType: 'inspection_access', recordId: id });
}
