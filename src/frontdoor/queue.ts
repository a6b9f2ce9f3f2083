// The front-door queue: open contacts, most urgent first (unscreened and red, then amber, then
// green; within each, the earliest decision deadline first), with filters and counts by stage.
// The list is one query on the partial index of open contacts (contact_open_queue).
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import type { ContactPriority, ContactStage } from '../db/schema';
import { openFlagsOfChildren, type OpenFlag } from '../risk';
import { fullAccessToAll } from '../sharing/involvement';
import { loadSharingSettings } from '../sharing/settings';
import { openStages, priorities, stages } from './labels';
import { nowOf, type Clock } from './time';

export const queuePageSize = 25;

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : [v]), z.array(item));

/** The queue's filters, from a query string; anything unrecognised is ignored rather than refused. */
export const queueFilterSchema = z.object({
  priority: oneOrMany(z.enum([...priorities, 'unscreened'])).catch([]),
  stage: oneOrMany(z.enum(stages)).catch([]),
  team: z.guid().optional().catch(undefined),
  overdue: z.preprocess((v) => v === 'yes' || v === 'true' || v === true, z.boolean()).catch(false),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type QueueFilter = z.infer<typeof queueFilterSchema>;

export interface QueueRow {
  id: string;
  childPersonId: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  source: string;
  sourceAgencyName: string;
  receivedAt: Date;
  decisionDueAt: Date;
  stage: ContactStage;
  priority: ContactPriority | null;
  returned: boolean;
  allocatedTo: string | null;
  teamName: string | null;
  openChecks: number;
  overdueChecks: number;
  /** The child's open pattern flags (for roles that may see risk). */
  flags: OpenFlag[];
}

export interface Queue {
  rows: QueueRow[];
  total: number;
  /** Open contacts in each stage, whatever the filters. */
  counts: Record<(typeof openStages)[number], number>;
  overdueCount: number;
}

export async function listQueue(scope: Scope, filter: QueueFilter, clock?: Clock): Promise<Queue> {
  const now = nowOf(clock);
  const areaId = scope.actor.areaId;
  const onlyClosed = filter.stage.length > 0 && filter.stage.every((s) => s === 'closed');

  // The page of contacts is chosen on the contact table alone (the partial index of open contacts
  // serves it); names, workers and check counts are then looked up for that page only.
  let query = scope.db.selectFrom('contact as c').where('c.area_id', '=', areaId);
  if (filter.stage.length) query = query.where('c.stage', 'in', filter.stage);
  if (!filter.stage.includes('closed')) query = query.where('c.stage', '<>', 'closed');
  else if (!fullAccessToAll(scope.actor.role)) {
    // Closed contacts are the child's record: the front door lists those it is still involved with.
    const { frontDoorDays } = await loadSharingSettings(scope.db, areaId);
    const since = new Date(now.getTime() - frontDoorDays * 86_400_000);
    query = query.where((eb) => eb.or([eb('c.stage', '<>', 'closed'), eb('c.closed_at', '>=', since)]));
  }
  if (filter.priority.length) {
    const chosen = filter.priority.filter((p): p is ContactPriority => p !== 'unscreened');
    const unscreened = filter.priority.includes('unscreened');
    query = query.where((eb) => eb.or([
      ...(chosen.length ? [eb('c.priority', 'in', chosen)] : []),
      ...(unscreened ? [eb('c.priority', 'is', null)] : []),
    ]));
  }
  if (filter.team) query = query.where('c.team_id', '=', filter.team);
  if (filter.overdue) {
    query = query.where('c.stage', '<>', 'closed').where((eb) => eb.or([
      eb('c.decision_due_at', '<', now),
      eb.exists(eb.selectFrom('agency_check as k').select('k.id').whereRef('k.contact_id', '=', 'c.id').where('k.status', '=', 'open').where('k.due_at', '<', now)),
    ]));
  }
  // Unscreened and red share the first tier; closed contacts (only when asked for) newest first.
  const rank = onlyClosed ? sql<number>`0` : sql<number>`CASE c.priority WHEN 'amber' THEN 1 WHEN 'green' THEN 2 ELSE 0 END`;
  const page = query
    .select(['c.id', rank.as('rank'), 'c.decision_due_at as due', 'c.received_at as received', 'c.closed_at as closed', sql<number>`count(*) OVER ()`.as('total')])
    .orderBy('rank')
    .orderBy(onlyClosed ? 'c.closed_at' : 'c.decision_due_at', onlyClosed ? 'desc' : 'asc')
    .orderBy('c.received_at')
    .limit(queuePageSize)
    .offset((filter.page - 1) * queuePageSize);

  const pageRows = scope.db
    .selectFrom(page.as('q'))
    .innerJoin('contact as c', 'c.id', 'q.id')
    .innerJoin('person as p', 'p.id', 'c.child_person_id')
    .innerJoin('agency as g', 'g.id', 'c.source_agency_id')
    .leftJoin('app_user as u', 'u.id', 'c.allocated_to')
    .leftJoin('team as t', 't.id', 'c.team_id')
    .select([
      'c.id', 'c.child_person_id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.expected_date_of_birth', 'c.source',
      'g.name as source_agency_name', 'c.received_at', 'c.decision_due_at', 'c.stage', 'c.priority', 'u.display_name as allocated_to',
      't.name as team_name', 'q.total',
      sql<boolean>`c.returned_at IS NOT NULL AND c.stage = 'decision'`.as('returned'),
      sql<number>`(SELECT count(*) FROM agency_check k WHERE k.contact_id = c.id AND k.status = 'open')`.as('open_checks'),
      sql<number>`(SELECT count(*) FROM agency_check k WHERE k.contact_id = c.id AND k.status = 'open' AND k.due_at < ${now})`.as('overdue_checks'),
    ])
    .orderBy('q.rank')
    .orderBy(onlyClosed ? 'q.closed' : 'q.due', onlyClosed ? 'desc' : 'asc')
    .orderBy('q.received')
    .execute();
  const byStage = scope.db
    .selectFrom('contact as c')
    .select(['c.stage', sql<number>`count(*)`.as('n'), sql<number>`count(*) FILTER (WHERE c.decision_due_at < ${now})`.as('overdue')])
    .where('c.area_id', '=', areaId)
    .where('c.stage', '<>', 'closed')
    .groupBy('c.stage')
    .execute();
  // Read together: one round trip for both.
  const [rows, countRows] = await Promise.all([pageRows, byStage]);
  const counts = { screening: 0, checks: 0, decision: 0, authorisation: 0 };
  let overdueCount = 0;
  for (const r of countRows) {
    if (r.stage in counts) counts[r.stage as keyof typeof counts] = Number(r.n);
    overdueCount += Number(r.overdue);
  }

  const flags = scope.can('risk.view') ? await openFlagsOfChildren(scope.db, rows.map((r) => r.child_person_id)) : new Map<string, OpenFlag[]>();
  scope.audit({ action: 'contact.list', details: { filter, shown: rows.map((r) => r.id) } });
  return {
    rows: rows.map((r) => ({
      id: r.id, childPersonId: r.child_person_id, givenName: r.given_name, familyName: r.family_name, dateOfBirth: r.date_of_birth,
      expectedDateOfBirth: r.expected_date_of_birth, source: r.source, sourceAgencyName: r.source_agency_name, receivedAt: r.received_at,
      decisionDueAt: r.decision_due_at, stage: r.stage, priority: r.priority, returned: r.returned, allocatedTo: r.allocated_to,
      teamName: r.team_name, openChecks: Number(r.open_checks), overdueChecks: Number(r.overdue_checks), flags: flags.get(r.child_person_id) ?? [],
    })),
    total: Number(rows[0]?.total ?? 0),
    counts,
    overdueCount,
  };
}

/** The teams a contact can belong to: those of children's social care. */
export async function queueTeams(scope: Scope): Promise<{ id: string; name: string }[]> {
  return scope.db
    .selectFrom('team as t')
    .innerJoin('agency as g', 'g.id', 't.agency_id')
    .select(['t.id', 't.name'])
    .where('g.kind', '=', 'childrens_social_care')
    .orderBy('t.name')
    .execute();
}
