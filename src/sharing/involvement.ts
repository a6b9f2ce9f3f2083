// Need to know: how the signed-in person is involved with a person, and so what of that person's
// record they may see (full, name only, or nothing). The rules are the table in README.md; the
// facts come from the database in one query for any number of people (a page of search results).
//
// Involvement is with a case, and a case is a family: being allocated a child's case, working
// the child's contact at the front door (open, or closed within the area's frontDoorDays), or being on the MARAC for the family makes one
// involved with the child and the people around them (relationships and current household).
// Other involvement is with the one person only: an agency check about the child, the school of
// the child, an incident one notified, emergency (break-glass) access.
import { sql, type RawBuilder } from 'kysely';
import type { Scope } from '../access/gate';
import type { Role } from '../access/roles';
import { addMonths } from '../calendar/dates';
import { londonDate } from '../calendar/london';
import { isUuid } from '../db/uuid';
import { nowOf, type Clock } from '../frontdoor/time';
import { livePersonId } from '../identity/merge';
import { notFound } from '../server/errors';
import { loadSharingSettings } from './settings';

export const involvementKinds = ['allocated_self', 'allocated_team', 'front_door', 'agency_check', 'school_dsl', 'marac', 'notified', 'break_glass'] as const;
export type InvolvementKind = (typeof involvementKinds)[number];

export interface Involvement {
  kind: InvolvementKind;
  /** Whose case it is: the person themselves or someone in their family (the child of the contact, allocation or MARAC referral). */
  throughPersonId: string;
}

export type AccessLevel = 'full' | 'name_only' | 'none';

/**
 * The roles that find people, and the involvement that opens a person's whole record to each.
 * Without it they see the name-only summary. Roles not here see no one's record (their windows
 * are their own: an agency check, an inbox), except the oversight roles below.
 */
export const fullAccessThrough = {
  police_officer: ['allocated_self', 'allocated_team', 'agency_check', 'notified', 'break_glass'],
  mash_practitioner: ['allocated_self', 'allocated_team', 'front_door', 'break_glass'],
  mash_manager: ['allocated_self', 'allocated_team', 'front_door', 'break_glass'],
  social_worker: ['allocated_self', 'allocated_team', 'break_glass'],
  team_manager: ['allocated_self', 'allocated_team', 'front_door', 'break_glass'],
  idva: ['allocated_self', 'allocated_team', 'agency_check', 'marac', 'break_glass'],
  marac_coordinator: ['allocated_self', 'allocated_team', 'marac', 'break_glass'],
} as const satisfies Partial<Record<Role, readonly InvolvementKind[]>>;

type Searcher = keyof typeof fullAccessThrough;

export function isSearcher(role: Role): role is Searcher {
  return Object.hasOwn(fullAccessThrough, role);
}

/** Roles "on the MARAC" of every case the front door referred to it. */
const maracRoles: readonly Role[] = ['idva', 'marac_coordinator'];

/**
 * Follows merges: the person an id now belongs to, or null when there is no such person in the
 * area. A read-only page asks this about the same id from each of its panels: it is answered once.
 */
export async function currentPersonId(scope: Scope, id: string): Promise<string | null> {
  const memo = remembered.get(scope.db)?.currentIds;
  if (!memo) return livePersonId(scope.db, id);
  let current = memo.get(id);
  if (!current) memo.set(id, (current = livePersonId(scope.db, id)));
  return current;
}

/**
 * A person and everyone merged into them (their old ids), for each of `ids`: rows recorded
 * against an old id still belong to the person. As SQL: a CTE `aliases(target, id)`.
 */
export function aliasesCte(ids: readonly string[]): RawBuilder<unknown> {
  return sql`aliases(target, id) AS (SELECT a.target, a.id FROM hearth_person_aliases(CAST(${[...ids]} AS uuid[])) AS a)`;
}

/**
 * Transactions that only read (a page): a page asks about the same person several times (the
 * page itself, its sharing panel, its sensitive notes, its access-log link), and the answer
 * cannot change while nothing is written, so it is worked out once. Transactions that write
 * never remember: their own writes can change who is involved.
 */
const remembered = new WeakMap<Scope['db'], { involvements: Map<string, Promise<Involvement[]>>; currentIds: Map<string, Promise<string | null>> }>();

/** Marks the scope's transaction as read-only work whose access decisions can be remembered. */
export function rememberAccessDecisions(scope: Scope): void {
  if (!remembered.has(scope.db)) remembered.set(scope.db, { involvements: new Map(), currentIds: new Map() });
}

/** Each person's involvements for the actor, by person id (merged ids not followed: pass current ids). */
export async function involvementsOf(scope: Scope, personIds: readonly string[], clock?: Clock): Promise<Map<string, Involvement[]>> {
  const memo = remembered.get(scope.db)?.involvements;
  if (!memo) return findInvolvements(scope, personIds, clock);
  const keyOf = (id: string) => `${clock ? nowOf(clock).toISOString() : 'now'} ${id}`;
  const ids = [...new Set(personIds)];
  const missing = ids.filter((id) => !memo.has(keyOf(id)));
  if (missing.length > 0) {
    const finding = findInvolvements(scope, missing, clock);
    for (const id of missing) memo.set(keyOf(id), finding.then((found) => found.get(id) ?? []));
  }
  const found = new Map<string, Involvement[]>();
  for (const id of ids) found.set(id, await (memo.get(keyOf(id)) as Promise<Involvement[]>));
  return found;
}

async function findInvolvements(scope: Scope, personIds: readonly string[], clock?: Clock): Promise<Map<string, Involvement[]>> {
  const ids = [...new Set(personIds.filter(isUuid))];
  const found = new Map<string, Involvement[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return found;
  const { actor } = scope;
  const now = nowOf(clock);
  const today = londonDate(now);
  const settings = await loadSharingSettings(scope.db, actor.areaId);
  const notifiedSince = new Date(now.getTime() - settings.notifierDays * 86_400_000);
  const frontDoorSince = new Date(now.getTime() - settings.frontDoorDays * 86_400_000);
  const maracSince = `${addMonths(today, -settings.maracMonths)}T00:00:00Z`;
  const openContactNaming = (kindCondition: RawBuilder<boolean>) => sql`
    SELECT f.target, c.child_person_id FROM family f JOIN contact c ON c.child_person_id = f.id AND ${kindCondition}
    UNION
    SELECT a.target, c.child_person_id FROM aliases a
      JOIN event_person ep ON ep.person_id = a.id JOIN contact c ON c.event_id = ep.event_id AND ${kindCondition}`;

  const facts: RawBuilder<unknown>[] = [
    sql`SELECT f.target, CASE WHEN ca.worker_id = ${actor.userId}::uuid THEN 'allocated_self' ELSE 'allocated_team' END, ca.person_id
      FROM family f JOIN case_allocation ca ON ca.person_id = f.id AND ca.ended_at IS NULL
      WHERE ca.worker_id = ${actor.userId}::uuid OR ca.team_id = ${actor.teamId}::uuid`,
    sql`SELECT x.target, 'front_door', x.child_person_id FROM (${openContactNaming(sql<boolean>`(c.stage <> 'closed' OR c.closed_at >= ${frontDoorSince})`)}) x`,
    sql`SELECT a.target, 'agency_check', c.child_person_id FROM aliases a
      JOIN contact c ON c.child_person_id = a.id
      JOIN agency_check k ON k.contact_id = c.id AND k.status = 'open' AND k.agency_id = ${actor.agencyId}::uuid`,
    sql`SELECT a.target, 'notified', ep.person_id FROM aliases a
      JOIN event_person ep ON ep.person_id = a.id
      JOIN event e ON e.id = ep.event_id AND e.recorded_by = ${actor.userId}::uuid AND e.recorded_at >= ${notifiedSince}`,
    sql`SELECT a.target, 'break_glass', b.person_id FROM aliases a
      JOIN break_glass b ON b.person_id = a.id AND b.user_id = ${actor.userId}::uuid AND b.started_at <= ${now} AND b.expires_at > ${now}`,
  ];
  if (actor.role === 'school_dsl') {
    facts.push(sql`SELECT a.target, 'school_dsl', ed.person_id FROM aliases a
      JOIN education ed ON ed.person_id = a.id AND ed.school_agency_id = ${actor.agencyId}::uuid
        AND (ed.from_date IS NULL OR ed.from_date <= ${today}) AND (ed.to_date IS NULL OR ed.to_date > ${today})`);
  }
  if (maracRoles.includes(actor.role)) {
    facts.push(sql`SELECT x.target, 'marac', x.child_person_id FROM (${openContactNaming(sql<boolean>`c.marac_referral AND c.decided_at >= ${maracSince}`)}) x`);
  }
  const { rows } = await sql<{ target: string; kind: InvolvementKind; through: string }>`
    WITH RECURSIVE ${aliasesCte(ids)},
    family(target, id) AS (
      SELECT target, id FROM aliases
      UNION SELECT a.target, r.related_person_id FROM aliases a JOIN relationship r ON r.person_id = a.id
      UNION SELECT a.target, r.person_id FROM aliases a JOIN relationship r ON r.related_person_id = a.id
      UNION SELECT a.target, o.person_id FROM aliases a
        JOIN household_member m ON m.person_id = a.id AND (m.to_date IS NULL OR m.to_date > ${today})
        JOIN household h ON h.id = m.household_id AND (h.to_date IS NULL OR h.to_date > ${today})
        JOIN household_member o ON o.household_id = m.household_id AND (o.to_date IS NULL OR o.to_date > ${today}))
    SELECT DISTINCT target, kind, through FROM (${sql.join(facts, sql` UNION ALL `)}) AS fact(target, kind, through)
    ORDER BY target, kind, through`.execute(scope.db);
  for (const row of rows) found.get(row.target)?.push({ kind: row.kind, throughPersonId: row.through });
  return found;
}

/** How the actor is involved with a person (after following merges); empty when not at all. */
export async function involvementIn(scope: Scope, personId: string, clock?: Clock): Promise<Involvement[]> {
  const id = await currentPersonId(scope, personId);
  if (!id) return [];
  return (await involvementsOf(scope, [id], clock)).get(id) ?? [];
}

/** Whether an inspector is inside a window of access now. */
export async function inspectionOpen(scope: Scope, clock?: Clock): Promise<boolean> {
  const now = nowOf(clock);
  const window = await scope.db
    .selectFrom('inspection_access')
    .select('id')
    .where('inspector_id', '=', scope.actor.userId)
    .where('starts_at', '<=', now)
    .where('ends_at', '>', now)
    .where('ended_early_at', 'is', null)
    .executeTakeFirst();
  return window !== undefined;
}

/** Oversight roles read every record: quality assurance always, an inspector within a window of access. */
export const fullAccessToAll = (role: Role): boolean => role === 'qa_officer' || role === 'inspector';

/** The access level a role has with these involvements (the table in README.md). */
function levelFor(role: Role, involvements: readonly Involvement[]): AccessLevel {
  if (!isSearcher(role)) return 'none';
  const opening: readonly InvolvementKind[] = fullAccessThrough[role];
  return involvements.some((i) => opening.includes(i.kind)) ? 'full' : 'name_only';
}

/**
 * What the actor may see of each person: 'full' (their page), 'name_only' (the name-only
 * summary) or 'none' (as if they did not exist). For a page of search results: one query.
 * Pass current ids (search results are); accessLevel() follows merges for one id.
 */
export async function accessLevels(scope: Scope, personIds: readonly string[], clock?: Clock): Promise<Map<string, AccessLevel>> {
  const ids = [...new Set(personIds)];
  const role = scope.actor.role;
  const all = (level: AccessLevel) => new Map(ids.map((id) => [id, level]));
  // Oversight reads everything or nothing; information governance finds people for subject access.
  if (role === 'qa_officer') return all('full');
  if (role === 'inspector') return all((await inspectionOpen(scope, clock)) ? 'full' : 'none');
  if (role === 'information_governance') return all('name_only');
  if (!isSearcher(role)) return all('none');
  const involvements = await involvementsOf(scope, ids, clock);
  return new Map(ids.map((id) => [id, levelFor(role, involvements.get(id) ?? [])]));
}

/** What the actor may see of one person (after following merges); 'none' when there is no such person. */
export async function accessLevel(scope: Scope, personId: string, clock?: Clock): Promise<AccessLevel> {
  const id = await currentPersonId(scope, personId);
  if (!id) return 'none';
  return (await accessLevels(scope, [id], clock)).get(id) ?? 'none';
}

/**
 * For pages about a person that show their record (a perpetrator's page, risk, lived
 * experience): "not found", the refusal audited by the gate as `action`, unless the actor has
 * full access. Returns the person's current id.
 */
export async function requireFullAccess(scope: Scope, personId: string, action: string, clock?: Clock): Promise<string> {
  const id = await currentPersonId(scope, personId);
  if (!id || (await accessLevel(scope, id, clock)) !== 'full') {
    scope.audit({ action, recordType: 'person', recordId: personId });
    throw notFound('The person');
  }
  return id;
}
