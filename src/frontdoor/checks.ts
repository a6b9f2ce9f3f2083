// An agency's own queue of checks, and answering one. The agency sees only checks addressed to
// its own agency, and of each only the child (name, date of birth, a non-confidential current
// address at most) and the question: never the notification, other agencies' answers or the
// file. A check addressed to another agency answers "not found", as if it did not exist.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { isUuid } from '../db/uuid';
import { HearthError, notFound, staleWrite, validationFailed, type FieldError } from '../server/errors';
import { recordHistory } from './history';
import { knownToAgencyValues, type KnownToAgency } from './labels';
import { advanceWhenChecksDone, lockContact } from './screening';
import { nowOf, type Clock } from './time';

export const checksPageSize = 25;

export interface AgencyCheckRow {
  id: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  question: string;
  requestedAt: Date;
  dueAt: Date;
  status: 'open' | 'answered' | 'withdrawn';
  answeredAt: Date | null;
}

export const checksFilterSchema = z.object({
  status: z.enum(['open', 'answered']).catch('open'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type ChecksFilter = z.infer<typeof checksFilterSchema>;

/** The checks addressed to the actor's agency: open ones by due time, or answered ones newest first. */
export async function listAgencyChecks(scope: Scope, filter: ChecksFilter): Promise<{ rows: AgencyCheckRow[]; total: number; openCount: number }> {
  const base = scope.db
    .selectFrom('agency_check as k')
    .innerJoin('contact as c', 'c.id', 'k.contact_id')
    .innerJoin('person as p', 'p.id', 'c.child_person_id')
    .where('k.area_id', '=', scope.actor.areaId)
    .where('k.agency_id', '=', scope.actor.agencyId);
  const rows = await base
    .select([
      'k.id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.expected_date_of_birth', 'k.question', 'k.requested_at', 'k.due_at',
      'k.status', 'k.answered_at', sql<number>`count(*) OVER ()`.as('total'),
    ])
    .where('k.status', '=', filter.status)
    .orderBy(filter.status === 'open' ? 'k.due_at' : 'k.answered_at', filter.status === 'open' ? 'asc' : 'desc')
    .limit(checksPageSize)
    .offset((filter.page - 1) * checksPageSize)
    .execute();
  const open = await scope.db
    .selectFrom('agency_check')
    .select(sql<number>`count(*)`.as('n'))
    .where('area_id', '=', scope.actor.areaId)
    .where('agency_id', '=', scope.actor.agencyId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  scope.audit({ action: 'agency_check.list', details: { status: filter.status, page: filter.page, shown: rows.map((r) => r.id) } });
  return {
    rows: rows.map((r) => ({
      id: r.id, givenName: r.given_name, familyName: r.family_name, dateOfBirth: r.date_of_birth, expectedDateOfBirth: r.expected_date_of_birth,
      question: r.question, requestedAt: r.requested_at, dueAt: r.due_at, status: r.status, answeredAt: r.answered_at,
    })),
    total: Number(rows[0]?.total ?? 0),
    openCount: Number(open.n),
  };
}

export interface AgencyCheckView {
  id: string;
  version: number;
  status: 'open' | 'answered' | 'withdrawn';
  question: string;
  requestedAt: Date;
  requestedByAgency: string;
  requestedByTeam: string | null;
  dueAt: Date;
  child: {
    givenName: string | null;
    familyName: string | null;
    dateOfBirth: string | null;
    expectedDateOfBirth: string | null;
    /** A current address that is not confidential, or null. */
    address: { line1: string; line2: string | null; town: string | null; postcode: string | null } | null;
  };
  answer: {
    knownToAgency: KnownToAgency | null;
    involvement: string | null;
    concerns: string | null;
    history: string | null;
    answeredBy: string | null;
    answeredAt: Date | null;
  };
}

async function findOwnCheck(scope: Scope, id: string, action: string) {
  const check = isUuid(id)
    ? await scope.db
        .selectFrom('agency_check as k')
        .innerJoin('contact as c', 'c.id', 'k.contact_id')
        .innerJoin('person as p', 'p.id', 'c.child_person_id')
        .innerJoin('app_user as ur', 'ur.id', 'k.requested_by')
        .innerJoin('agency as gr', 'gr.id', 'ur.agency_id')
        .leftJoin('team as tr', 'tr.id', 'ur.team_id')
        .leftJoin('app_user as ua', 'ua.id', 'k.answered_by')
        .select([
          'k.id', 'k.version', 'k.status', 'k.question', 'k.requested_at', 'k.due_at', 'k.contact_id', 'k.known_to_agency', 'k.involvement',
          'k.concerns', 'k.history', 'k.answered_at', 'ua.display_name as answered_name', 'gr.name as requested_agency', 'tr.name as requested_team',
          'c.child_person_id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.expected_date_of_birth',
        ])
        .where('k.id', '=', id)
        .where('k.agency_id', '=', scope.actor.agencyId)
        .executeTakeFirst()
    : undefined;
  if (!check) {
    scope.audit({ action, recordType: 'agency_check', recordId: id });
    throw notFound('The agency check');
  }
  return check;
}

/** One check addressed to the actor's agency, recorded as a view of the child. */
export async function viewAgencyCheck(scope: Scope, id: string): Promise<AgencyCheckView> {
  const check = await findOwnCheck(scope, id, 'agency_check.view');
  // Only a current address that is not sealed is ever selected.
  const address = await scope.db
    .selectFrom('person_address as pa')
    .innerJoin('address as a', 'a.id', 'pa.address_id')
    .select(['a.line1', 'a.line2', 'a.town', 'a.postcode'])
    .where('pa.person_id', '=', check.child_person_id)
    .where('pa.to_date', 'is', null)
    .where('a.confidential', '=', false)
    .where(({ not, exists, selectFrom }) => not(exists(
      // A child with any current sealed address shows none: the open one may be out of date and
      // which one is current could be inferred.
      selectFrom('person_address as ps').innerJoin('address as s', 's.id', 'ps.address_id').select('s.id')
        .where('ps.person_id', '=', check.child_person_id).where('ps.to_date', 'is', null).where('s.confidential', '=', true),
    )))
    .orderBy('pa.from_date', (ob) => ob.desc().nullsLast())
    .limit(1)
    .executeTakeFirst();
  scope.audit({ action: 'agency_check.view', recordType: 'agency_check', recordId: check.id, subjectPersonId: check.child_person_id });
  return {
    id: check.id, version: check.version, status: check.status, question: check.question, requestedAt: check.requested_at,
    requestedByAgency: check.requested_agency, requestedByTeam: check.requested_team, dueAt: check.due_at,
    child: {
      givenName: check.given_name, familyName: check.family_name, dateOfBirth: check.date_of_birth, expectedDateOfBirth: check.expected_date_of_birth,
      address: address ?? null,
    },
    answer: {
      knownToAgency: check.known_to_agency, involvement: check.involvement, concerns: check.concerns, history: check.history,
      answeredBy: check.answered_name, answeredAt: check.answered_at,
    },
  };
}

export interface AnswerInput {
  version: number;
  knownToAgency: string | undefined;
  involvement: string | undefined;
  concerns: string | undefined;
  history: string | undefined;
}

const answerFieldLabels = {
  involvement: 'your agency’s involvement with the child and family',
  concerns: 'any concerns your agency has',
  history: 'relevant history your agency holds',
} as const;

function validateAnswer(input: AnswerInput) {
  const errors: FieldError[] = [];
  const knownToAgency = knownToAgencyValues.find((v) => v === input.knownToAgency);
  if (!knownToAgency) errors.push({ field: 'knownToAgency', message: 'Say whether the child or family is known to your agency' });
  const values = {} as Record<keyof typeof answerFieldLabels, string | null>;
  for (const field of ['involvement', 'concerns', 'history'] as const) {
    const value = (input[field] ?? '').trim();
    values[field] = value || null;
    if (value.length > 5000) errors.push({ field, message: `Keep ${answerFieldLabels[field]} to 5000 characters or fewer` });
    else if (knownToAgency === 'yes' && !value) errors.push({ field, message: `Describe ${answerFieldLabels[field]} (write “None” if there is nothing)` });
  }
  if (errors.length || !knownToAgency) throw validationFailed(errors);
  return { knownToAgency, ...values };
}

/**
 * Answers an open check addressed to the actor's agency. When it was the last open check of the
 * contact, the contact moves on to 'decision'.
 */
export async function answerAgencyCheck(scope: Scope, id: string, input: AnswerInput, clock?: Clock): Promise<void> {
  const now = nowOf(clock);
  const check = await findOwnCheck(scope, id, 'agency_check.answer');
  await lockContact(scope, check.contact_id);
  if (check.version !== input.version) throw staleWrite();
  if (check.status === 'withdrawn') throw new HearthError('conflict', 'The MASH withdrew this check, so no answer is needed.');
  if (check.status === 'answered') throw new HearthError('conflict', 'This check has already been answered.');
  const answer = validateAnswer(input);
  const updated = await scope.db
    .updateTable('agency_check')
    .set({
      status: 'answered', known_to_agency: answer.knownToAgency, involvement: answer.involvement, concerns: answer.concerns,
      history: answer.history, answered_by: scope.actor.userId, answered_at: now, version: sql`version + 1`,
    })
    .where('id', '=', check.id)
    .where('version', '=', input.version)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleWrite();
  await recordHistory(scope.db, scope.actor.areaId, [{
    contactId: check.contact_id, action: 'check_answered', actorUserId: scope.actor.userId, at: now,
    details: { checkId: check.id, agencyName: scope.actor.agencyName, knownToAgency: answer.knownToAgency },
  }]);
  scope.audit({
    action: 'agency_check.answer', recordType: 'agency_check', recordId: check.id, subjectPersonId: check.child_person_id,
    details: { knownToAgency: answer.knownToAgency, late: now.getTime() > check.due_at.getTime() },
  });
  await advanceWhenChecksDone(scope, check.contact_id, now);
}
