// Who holds a person's case: a team, and a worker in it once chosen. Allocation is what makes a
// social work team (or an IDVA) involved with a child and their family. A manager allocates; a
// new allocation to the same team replaces the last one; ending one keeps it in the history.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { isUuid } from '../db/uuid';
import { notFound, validationFailed } from '../server/errors';
import { accessLevel, aliasesCte, currentPersonId, isSearcher } from './involvement';
import { isRole } from '../access/roles';

export interface AllocationView {
  id: string;
  teamId: string;
  team: string;
  agency: string;
  worker: string | null;
  allocatedBy: string;
  allocatedAt: Date;
  endedAt: Date | null;
  endedBy: string | null;
}

/** A person's allocations (under any id merged into theirs): current first, then ended, newest first. */
export async function allocationsOf(scope: Scope, personId: string): Promise<AllocationView[]> {
  if (!isUuid(personId)) return [];
  const { rows } = await sql<{
    id: string; team_id: string; team: string; agency: string; worker: string | null; allocated_by: string; allocated_at: Date;
    ended_at: Date | null; ended_by: string | null;
  }>`
    WITH RECURSIVE ${aliasesCte([personId])}
    SELECT ca.id, ca.team_id, t.name AS team, g.name AS agency, w.display_name AS worker, b.display_name AS allocated_by, ca.allocated_at,
      ca.ended_at, e.display_name AS ended_by
    FROM case_allocation ca JOIN team t ON t.id = ca.team_id JOIN agency g ON g.id = t.agency_id
      JOIN app_user b ON b.id = ca.allocated_by LEFT JOIN app_user w ON w.id = ca.worker_id LEFT JOIN app_user e ON e.id = ca.ended_by
    WHERE ca.person_id IN (SELECT id FROM aliases)
    ORDER BY ca.ended_at IS NULL DESC, coalesce(ca.ended_at, ca.allocated_at) DESC, ca.id`.execute(scope.db);
  return rows.map((r) => ({
    id: r.id, teamId: r.team_id, team: r.team, agency: r.agency, worker: r.worker, allocatedBy: r.allocated_by, allocatedAt: r.allocated_at,
    endedAt: r.ended_at, endedBy: r.ended_by,
  }));
}

export interface AllocationChoice {
  /** "team" or "team:worker", the value of the form's one choice. */
  value: string;
  text: string;
}

/** Every team, alone or with one of its active workers who may hold a case (a role that finds people). */
export async function allocationChoices(scope: Scope): Promise<AllocationChoice[]> {
  const teams = await scope.db
    .selectFrom('team as t')
    .innerJoin('agency as g', 'g.id', 't.agency_id')
    .leftJoin('app_user as u', (join) => join.onRef('u.team_id', '=', 't.id').on('u.status', '=', 'active').on('u.kind', '=', 'person'))
    .select(['t.id as team_id', 't.name as team', 'g.name as agency', 'u.id as user_id', 'u.display_name', 'u.role'])
    .orderBy('g.name').orderBy('t.name').orderBy('u.display_name')
    .execute();
  const choices: AllocationChoice[] = [];
  for (const row of teams) {
    if (!choices.some((c) => c.value === row.team_id)) choices.push({ value: row.team_id, text: `${row.team}, ${row.agency} (no worker yet)` });
    if (row.user_id && row.role && isRole(row.role) && isSearcher(row.role)) {
      choices.push({ value: `${row.team_id}:${row.user_id}`, text: `${row.display_name}, ${row.team}, ${row.agency}` });
    }
  }
  return choices;
}

export const allocateSchema = z.object({
  allocation: z.string({ error: 'Choose a team or a worker' }).regex(/^[0-9a-f-]{36}(:[0-9a-f-]{36})?$/i, 'Choose a team or a worker'),
});

async function personInReach(scope: Scope, requestedId: string, action: string): Promise<string> {
  const id = await currentPersonId(scope, requestedId);
  if (!id || (await accessLevel(scope, id)) === 'none') {
    scope.audit({ action, recordType: 'person', recordId: requestedId });
    throw notFound('The person');
  }
  return id;
}

/** Allocates the person's case to a team, and a worker in it when chosen; replaces the team's current allocation. */
export async function allocateCase(scope: Scope, requestedId: string, input: Record<string, unknown>): Promise<string> {
  const id = await personInReach(scope, requestedId, 'person.allocate');
  const parsed = allocateSchema.safeParse(input);
  if (!parsed.success) throw validationFailed([{ field: 'allocation', message: parsed.error.issues[0]?.message ?? 'Choose a team or a worker' }]);
  const [teamId, workerId] = parsed.data.allocation.split(':') as [string, string | undefined];
  const choice = (await allocationChoices(scope)).find((c) => c.value === parsed.data.allocation);
  if (!choice) throw validationFailed([{ field: 'allocation', message: 'Choose a team or a worker from the list' }]);
  const now = new Date();
  await scope.db
    .updateTable('case_allocation')
    .set({ ended_at: now, ended_by: scope.actor.userId })
    .where('person_id', '=', id)
    .where('team_id', '=', teamId)
    .where('ended_at', 'is', null)
    .execute();
  const row = await scope.db
    .insertInto('case_allocation')
    .values({ area_id: scope.actor.areaId, person_id: id, team_id: teamId, worker_id: workerId ?? null, allocated_by: scope.actor.userId, allocated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  scope.audit({ action: 'person.allocate', recordType: 'case_allocation', recordId: row.id, subjectPersonId: id, details: { teamId, workerId: workerId ?? null } });
  return id;
}

/** Ends a current allocation of the person's case. */
export async function endAllocation(scope: Scope, requestedId: string, allocationId: string): Promise<string> {
  const id = await personInReach(scope, requestedId, 'person.end_allocation');
  const current = (await allocationsOf(scope, id)).find((a) => a.id === allocationId && a.endedAt === null);
  if (!current) throw notFound('The allocation');
  await scope.db.updateTable('case_allocation').set({ ended_at: new Date(), ended_by: scope.actor.userId }).where('id', '=', allocationId).where('ended_at', 'is', null).execute();
  scope.audit({ action: 'person.end_allocation', recordType: 'case_allocation', recordId: allocationId, subjectPersonId: id });
  return id;
}
