// The review queue: uncertain matches waiting for a person to decide, oldest first; one match
// side by side with the evidence; and the decision. "Same person" merges the record's person
// into the candidate; "different people" closes it and keeps the pair apart for good (merges of
// them are refused, and it is not proposed again); "not sure" keeps it open with the note.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import type { IdentityDecision } from '../db/schema';
import { HearthError, notFound, staleWrite } from '../server/errors';
import { describeEvidence, type EvidenceLine, type StoredEvidence } from './evidence';
import { hardEvidenceAgainst, livePersonId, mergePersons } from './merge';
import { recordsSideBySide, type RecordView } from './records';

export const reviewPageSize = 20;

export interface QueueItem {
  id: string;
  createdAt: Date;
  probability: number;
  cause: string;
  notSure: { note: string | null; by: string; at: Date } | null;
  record: { agencyName: string; givenName: string | null; familyName: string | null; dateOfBirth: string | null };
  candidate: { personId: string; givenName: string | null; familyName: string | null; dateOfBirth: string | null };
}

export async function listOpenReviews(scope: Scope, page: number): Promise<{ items: QueueItem[]; total: number }> {
  const rows = await scope.db
    .selectFrom('identity_review as v')
    .innerJoin('agency_record as r', 'r.id', 'v.agency_record_id')
    .innerJoin('agency as g', 'g.id', 'r.agency_id')
    .innerJoin('person as c', 'c.id', 'v.candidate_person_id')
    .leftJoin('app_user as u', 'u.id', 'v.decided_by')
    .select([
      'v.id', 'v.created_at', 'v.match_probability', 'v.cause', 'v.decision', 'v.decision_reason', 'v.decided_at', 'u.display_name as decided_by_name',
      'g.name as agency_name', 'r.given_name', 'r.family_name', 'r.date_of_birth',
      'c.id as candidate_id', 'c.given_name as candidate_given_name', 'c.family_name as candidate_family_name', 'c.date_of_birth as candidate_date_of_birth',
      sql<number>`count(*) OVER ()`.as('total'),
    ])
    .where('v.status', '=', 'open')
    .orderBy('v.created_at')
    .orderBy('v.id')
    .limit(reviewPageSize)
    .offset((page - 1) * reviewPageSize)
    .execute();
  const items = rows.map((r): QueueItem => ({
    id: r.id,
    createdAt: r.created_at,
    probability: r.match_probability,
    cause: r.cause,
    notSure: r.decision === 'not_sure' && r.decided_at ? { note: r.decision_reason, by: r.decided_by_name ?? 'Someone', at: r.decided_at } : null,
    record: { agencyName: r.agency_name, givenName: r.given_name, familyName: r.family_name, dateOfBirth: r.date_of_birth },
    candidate: { personId: r.candidate_id, givenName: r.candidate_given_name, familyName: r.candidate_family_name, dateOfBirth: r.candidate_date_of_birth },
  }));
  if (items.length > 0) scope.audit({ action: 'identity.review_queue.view', details: { page, reviews: items.map((i) => i.id) } });
  return { items, total: rows[0]?.total ?? 0 };
}

export interface ReviewView {
  id: string;
  version: number;
  status: 'open' | 'closed';
  cause: string;
  probability: number;
  createdAt: Date;
  decision: IdentityDecision | null;
  incoming: RecordView;
  candidate: RecordView;
  /** Field by field: the two records' values, side by side. */
  fields: { label: string; incoming: string; candidate: string; same: boolean | null }[];
  evidence: EvidenceLine[];
  /** Why "same person" would be refused, when it would. */
  blockedBecause: string | null;
  history: { decision: IdentityDecision; reason: string | null; by: string; at: Date }[];
}

export async function viewReview(scope: Scope, id: string): Promise<ReviewView> {
  scope.audit({ action: 'identity.review.view', recordType: 'identity_review', recordId: id });
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('The review');
  const review = await scope.db.selectFrom('identity_review').selectAll().where('id', '=', id).executeTakeFirst();
  if (!review) throw notFound('The review');
  const canSeeSealed = scope.can('address.view_confidential');
  const side = await recordsSideBySide(scope.db, review.agency_record_id, review.candidate_record_id, canSeeSealed);
  // Merges and splits move records and reviews together, so the candidate record's person is the candidate now.
  const candidatePerson = side.candidate.personId ?? review.candidate_person_id;
  const blockedBecause = side.incoming.personId && side.incoming.personId !== candidatePerson
    ? await hardEvidenceAgainst(scope.db, side.incoming.personId, candidatePerson)
    : null;
  const history = await scope.db
    .selectFrom('identity_review_decision as d')
    .innerJoin('app_user as u', 'u.id', 'd.decided_by')
    .select(['d.decision', 'd.reason', 'u.display_name', 'd.decided_at'])
    .where('d.review_id', '=', id)
    .orderBy('d.decided_at')
    .execute();
  for (const subject of new Set([side.incoming.personId, candidatePerson].filter((p): p is string => p !== null))) {
    scope.audit({ action: 'identity.review.view', recordType: 'identity_review', recordId: id, subjectPersonId: subject });
  }
  // A sealed address on either side may have counted; someone who may not see it is not told how.
  const withholdAddresses = !canSeeSealed && (side.incoming.hasSealedAddress || side.candidate.hasSealedAddress);
  return {
    id, version: review.version, status: review.status, cause: review.cause, probability: review.match_probability, createdAt: review.created_at,
    decision: review.decision, incoming: side.incoming, candidate: side.candidate, fields: side.fields,
    evidence: describeEvidence(review.evidence as StoredEvidence, { withholdAddresses }),
    blockedBecause,
    history: history.map((h) => ({ decision: h.decision, reason: h.reason, by: h.display_name, at: h.decided_at })),
  };
}

export const decisionSchema = z
  .object({
    decision: z.enum(['same', 'different', 'not_sure'], { error: 'Choose same person, different people or not sure' }),
    reason: z.string().trim().max(2000, { error: 'The reason must be 2,000 characters or fewer' }).optional().transform((v) => v || null),
    version: z.coerce.number().int().positive(),
  })
  .refine((d) => d.decision === 'not_sure' || d.reason !== null, { path: ['reason'], error: 'Enter the reason for your decision' });

export type DecisionInput = z.output<typeof decisionSchema>;

/** Records the decision; "same person" carries it out by merging. Returns the person to show next. */
export async function decideReview(scope: Scope, id: string, input: DecisionInput): Promise<{ personId: string | null }> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('The review');
  const review = await scope.db.selectFrom('identity_review').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!review) throw notFound('The review');
  if (review.version !== input.version) throw staleWrite();
  if (review.status !== 'open') throw new HearthError('conflict', 'This match has already been decided.');

  const record = await scope.db.selectFrom('agency_record').select('person_id').where('id', '=', review.agency_record_id).executeTakeFirstOrThrow();
  const own = record.person_id ? await livePersonId(scope.db, record.person_id) : null;
  const candidate = await livePersonId(scope.db, review.candidate_person_id);
  let personId: string | null = own;
  if (input.decision === 'same' && own && candidate && own !== candidate) {
    // The person already known is kept; the one made for the arriving record joins them.
    const merged = await mergePersons(scope, { keepPersonId: candidate, mergePersonId: own, reason: input.reason ?? '', reviewId: id });
    personId = merged.keptPersonId;
  } else if (input.decision === 'same') {
    personId = candidate ?? own;
  }

  const now = new Date();
  await scope.db
    .updateTable('identity_review')
    .set((eb) => ({
      status: input.decision === 'not_sure' ? 'open' : 'closed',
      decision: input.decision, decision_reason: input.reason, decided_by: scope.actor.userId, decided_at: now, version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute();
  await scope.db
    .insertInto('identity_review_decision')
    .values({ area_id: scope.actor.areaId, review_id: id, decision: input.decision, reason: input.reason, decided_by: scope.actor.userId, decided_at: now })
    .execute();
  for (const subject of new Set([own, candidate].filter((p): p is string => p !== null))) {
    scope.audit({
      action: 'identity.review.decide', recordType: 'identity_review', recordId: id, subjectPersonId: subject, ...(input.reason ? { reason: input.reason } : {}),
      details: { decision: input.decision, agencyRecordId: review.agency_record_id, candidateRecordId: review.candidate_record_id },
    });
  }
  return { personId };
}
