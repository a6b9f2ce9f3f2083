// "Who has seen this": from the audit chain, everyone who viewed or changed anything about a
// person (under any id later merged into theirs), or found them in a search, when, in which role
// and agency, and why when they gave a reason; refusals included. Newest first, paged.
//
// Who may look (README.md): information governance; managers and quality assurance with full
// access to the person; and the worker the person's case (or their family's) is allocated to.
import { sql } from 'kysely';
import type { Scope } from '../access/gate';
import { notFound } from '../server/errors';
import { actionText } from './labels';
import { safePersonText } from './sealed-text';
import { accessLevel, aliasesCte, currentPersonId, involvementIn } from './involvement';

export const accessLogPageSize = 25;

export interface AccessLogEntry {
  at: Date;
  seq: number;
  who: string;
  role: string | null;
  agency: string | null;
  action: string;
  actionText: string;
  recordType: string | null;
  outcome: string;
  reason: string | null;
}

export interface AccessLog {
  personId: string;
  personName: string;
  entries: AccessLogEntry[];
  total: number;
  page: number;
}

/** Whether the actor may see who has seen this person (the current id), by the rule above. */
export async function mayViewAccessLog(scope: Scope, personId: string): Promise<boolean> {
  const role = scope.actor.role;
  if (!scope.can('person.access_log')) return false;
  if (role === 'information_governance') return true;
  if (role === 'mash_manager' || role === 'team_manager' || role === 'qa_officer') return (await accessLevel(scope, personId)) === 'full';
  return (await involvementIn(scope, personId)).some((i) => i.kind === 'allocated_self');
}

export async function viewAccessLog(scope: Scope, requestedId: string, page: number): Promise<AccessLog> {
  const id = await currentPersonId(scope, requestedId);
  const allowed = id !== null && (await mayViewAccessLog(scope, id));
  scope.audit({ action: 'person.access_log', recordType: 'person', recordId: requestedId, ...(id && allowed ? { subjectPersonId: id, details: { page } } : {}) });
  if (!id || !allowed) throw notFound('The person');
  const person = await scope.db.selectFrom('person').select(['given_name', 'family_name']).where('id', '=', id).executeTakeFirstOrThrow();
  // Each part has its index: the subject's, searches' results, refusals by record.
  const { rows } = await sql<{
    seq: number; occurred_at: Date; who: string | null; role: string | null; agency: string | null; action: string;
    record_type: string | null; outcome: string; reason: string | null; total: number;
  }>`
    WITH RECURSIVE ${aliasesCte([id])},
    seen AS (
      SELECT e.* FROM audit_event e WHERE e.area_id = ${scope.actor.areaId}::uuid AND e.subject_person_id IN (SELECT id FROM aliases)
      UNION ALL
      SELECT e.* FROM audit_event e, aliases a
      WHERE e.area_id = ${scope.actor.areaId}::uuid AND e.action = 'person.search' AND (e.details -> 'results') @> jsonb_build_array(a.id::text)
      UNION ALL
      -- Refused attempts name the person asked for only as the record.
      SELECT e.* FROM audit_event e, aliases a
      WHERE e.area_id = ${scope.actor.areaId}::uuid AND e.outcome = 'refused' AND e.record_type = 'person' AND e.record_id = a.id::text AND e.subject_person_id IS NULL)
    SELECT s.seq, s.occurred_at, u.display_name AS who, s.actor_role AS role, g.name AS agency, s.action, s.record_type, s.outcome,
      ${safePersonText(scope.can('address.view_confidential'), sql`s.reason`, sql`${id}::uuid`)} AS reason,
      count(*) OVER () AS total
    FROM seen s LEFT JOIN app_user u ON u.id = s.actor_user_id LEFT JOIN agency g ON g.id = s.actor_agency_id
    ORDER BY s.occurred_at DESC, s.id DESC
    LIMIT ${accessLogPageSize} OFFSET ${(page - 1) * accessLogPageSize}`.execute(scope.db);
  return {
    personId: id,
    personName: [person.given_name, person.family_name].filter(Boolean).join(' ') || 'Name not known',
    page,
    total: Number(rows[0]?.total ?? 0),
    entries: rows.map((r) => ({
      at: r.occurred_at, seq: Number(r.seq), who: r.who ?? 'Hearth (automatic)', role: r.role, agency: r.agency, action: r.action,
      actionText: actionText(r.action), recordType: r.record_type, outcome: r.outcome, reason: r.reason,
    })),
  };
}
