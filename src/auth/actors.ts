// Loading the acting user with their area and agency. Authentication happens before the area
// is known, so these queries run on the owner connection, outside the gate; they read staff
// accounts, never safeguarding data.
import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor';
import { isRole } from '../access/roles';
import type { Database } from '../db/schema';

/**
 * The user with their agency and area, as one query to build on: a session or an API token joins
 * its own table to it, so that a request finds its credential and its user in one round trip.
 */
export function actorQuery(db: Kysely<Database>) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('agency as g', 'g.id', 'u.agency_id')
    .innerJoin('area as a', 'a.id', 'u.area_id')
    .select([
      'u.id', 'u.kind', 'u.display_name', 'u.email', 'u.role', 'u.status', 'u.area_id', 'u.agency_id', 'u.team_id',
      'g.name as agency_name', 'g.kind as agency_kind', 'a.name as area_name',
    ]);
}

type ActorRow = NonNullable<Awaited<ReturnType<ReturnType<typeof actorQuery>['executeTakeFirst']>>>;

/** The actor a row of actorQuery describes; null for a disabled user or an unknown role. */
export async function actorFromRow(db: Kysely<Database>, row: ActorRow | undefined, now = new Date()): Promise<Actor | null> {
  if (!row || row.status !== 'active' || !isRole(row.role)) return null;
  const inspectionWindowOpen = row.role === 'inspector' && (await db
    .selectFrom('inspection_access')
    .select('id')
    .where('inspector_id', '=', row.id)
    .where('starts_at', '<=', now)
    .where('ends_at', '>', now)
    .where('ended_early_at', 'is', null)
    .executeTakeFirst()) !== undefined;
  return {
    userId: row.id,
    kind: row.kind,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    areaId: row.area_id,
    areaName: row.area_name,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    agencyKind: row.agency_kind,
    teamId: row.team_id,
    inspectionWindowOpen,
  };
}

export async function loadActor(db: Kysely<Database>, userId: string, now = new Date()): Promise<Actor | null> {
  return actorFromRow(db, await actorQuery(db).where('u.id', '=', userId).executeTakeFirst(), now);
}
