// The demo area's sharing: cases held by the demo teams (so the social worker, the team manager
// and the IDVA have children and victims they are involved with), and a window of access for
// the demo inspector. Runs on the owner connection after the front door is seeded; the same
// area gives the same allocations.
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/database';
import { addDays } from '../calendar/dates';
import { londonInstant } from '../calendar/london';

export interface SharingDemoResult {
  allocations: number;
  inspectionWindows: number;
}

/** Demo users by role, with their team. */
async function demoUsers(handle: DatabaseHandle, areaId: string) {
  const rows = await handle.db.selectFrom('app_user').select(['id', 'role', 'team_id']).where('area_id', '=', areaId).where('kind', '=', 'person').orderBy('created_at').orderBy('id').execute();
  return (role: string) => rows.find((r) => r.role === role);
}

export async function seedSharingDemo(handle: DatabaseHandle, areaId: string, today: string): Promise<SharingDemoResult> {
  const userOf = await demoUsers(handle, areaId);
  const socialWorker = userOf('social_worker');
  const teamManager = userOf('team_manager');
  const idva = userOf('idva');
  const inspector = userOf('inspector');
  const administrator = userOf('administrator');
  const allocator = userOf('team_manager') ?? userOf('mash_manager');
  let allocations = 0;
  const allocate = async (decisions: string[], worker: typeof socialWorker, limit: number) => {
    if (!worker?.team_id || !allocator) return;
    // Children whose latest contact was decided into services, and not yet held by the team.
    const { rows } = await sql<{ child_person_id: string }>`
      SELECT DISTINCT ON (c.child_person_id) c.child_person_id FROM contact c
      WHERE c.area_id = ${areaId} AND c.stage = 'closed' AND c.decision = ANY(${decisions}::text[])
        AND NOT EXISTS (SELECT 1 FROM case_allocation ca WHERE ca.person_id = c.child_person_id AND ca.ended_at IS NULL)
      ORDER BY c.child_person_id, c.decided_at DESC
      LIMIT ${limit}`.execute(handle.db);
    if (rows.length === 0) return;
    await handle.db.insertInto('case_allocation').values(rows.map((r) => ({
      area_id: areaId, person_id: r.child_person_id, team_id: worker.team_id as string, worker_id: worker.id, allocated_by: allocator.id,
      allocated_at: londonInstant(today, '09:00'),
    }))).execute();
    allocations += rows.length;
  };
  await allocate(['child_in_need_assessment', 'early_help'], socialWorker, 12);
  await allocate(['strategy_discussion'], teamManager, 8);
  // The IDVA holds the cases of adult victims in incidents the front door referred to MARAC.
  if (idva?.team_id && allocator) {
    const { rows } = await sql<{ person_id: string }>`
      SELECT DISTINCT ep.person_id FROM contact c JOIN event_person ep ON ep.event_id = c.event_id AND ep.role = 'adult_victim'
      WHERE c.area_id = ${areaId} AND c.marac_referral
        AND NOT EXISTS (SELECT 1 FROM case_allocation ca WHERE ca.person_id = ep.person_id AND ca.ended_at IS NULL)
      ORDER BY ep.person_id LIMIT 8`.execute(handle.db);
    if (rows.length) {
      await handle.db.insertInto('case_allocation').values(rows.map((r) => ({
        area_id: areaId, person_id: r.person_id, team_id: idva.team_id as string, worker_id: idva.id, allocated_by: allocator.id, allocated_at: londonInstant(today, '09:00'),
      }))).execute();
      allocations += rows.length;
    }
  }
  let inspectionWindows = 0;
  if (inspector && administrator) {
    await handle.db.insertInto('inspection_access').values({
      area_id: areaId, inspector_id: inspector.id, reason: 'Joint targeted area inspection: children living with domestic abuse (demo)',
      starts_at: londonInstant(addDays(today, -1), '00:00'), ends_at: londonInstant(addDays(today, 14), '00:00'), granted_by: administrator.id,
    }).execute();
    inspectionWindows = 1;
  }
  return { allocations, inspectionWindows };
}
