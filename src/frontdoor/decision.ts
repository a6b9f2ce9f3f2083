// The decision on a contact, with written reasons and whether to refer to MARAC, and a manager's
// authorisation of it or return with a comment. A manager cannot authorise their own decision:
// the point of authorisation is a second pair of eyes.
import { sql } from 'kysely';
import type { Scope } from '../access/gate';
import type { ContactDecision, ContactStage } from '../db/schema';
import { isUuid } from '../db/uuid';
import { HearthError, notFound, staleWrite, validationFailed, type FieldError } from '../server/errors';
import { recordHistory } from './history';
import { decisionLabels, decisions } from './labels';
import { nowOf, type Clock } from './time';

async function loadForDecision(scope: Scope, id: string, action: string) {
  const contact = isUuid(id)
    ? await scope.db.selectFrom('contact').select(['id', 'version', 'stage', 'child_person_id', 'decided_by', 'decision']).where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!contact) {
    scope.audit({ action, recordType: 'contact', recordId: id });
    throw notFound('The contact');
  }
  return contact;
}

const stageProblems: Partial<Record<ContactStage, string>> = {
  screening: 'This contact has not been screened yet.',
  checks: 'Agency checks are still outstanding: wait for the answers or withdraw the checks first.',
  authorisation: 'A decision has already been recorded and is waiting for a manager.',
  closed: 'This contact is closed.',
};

export interface DecisionInput {
  version: number;
  decision: string | undefined;
  reasons: string | undefined;
  maracReferral: string | boolean | undefined;
}

/** Records the decision on a contact in 'decision', which then waits for a manager's authorisation. */
export async function decideContact(scope: Scope, id: string, input: DecisionInput, clock?: Clock): Promise<void> {
  const now = nowOf(clock);
  const contact = await loadForDecision(scope, id, 'contact.decide');
  if (contact.version !== input.version) throw staleWrite();
  if (contact.stage !== 'decision') throw new HearthError('conflict', stageProblems[contact.stage] ?? 'This contact is not waiting for a decision.');

  const errors: FieldError[] = [];
  const decision = decisions.find((d) => d === input.decision) as ContactDecision | undefined;
  if (!decision) errors.push({ field: 'decision', message: 'Choose a decision' });
  const reasons = (input.reasons ?? '').trim();
  if (!reasons) errors.push({ field: 'reasons', message: 'Write the reasons for the decision' });
  else if (reasons.length > 8000) errors.push({ field: 'reasons', message: 'The reasons must be 8000 characters or fewer' });
  const marac = input.maracReferral === true || input.maracReferral === 'yes' ? true : input.maracReferral === false || input.maracReferral === 'no' ? false : null;
  if (marac === null) errors.push({ field: 'maracReferral', message: 'Say whether the adult victim is to be referred to MARAC' });
  if (errors.length || !decision || marac === null) throw validationFailed(errors);

  const updated = await scope.db
    .updateTable('contact')
    .set({
      decision, decision_reasons: reasons, marac_referral: marac, decided_by: scope.actor.userId, decided_at: now, stage: 'authorisation',
      version: sql`version + 1`,
    })
    .where('id', '=', contact.id)
    .where('version', '=', input.version)
    .where('stage', '=', 'decision')
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleWrite();
  await recordHistory(scope.db, scope.actor.areaId, [{
    contactId: contact.id, action: 'decided', actorUserId: scope.actor.userId, at: now, comment: reasons,
    details: { decision, decisionLabel: decisionLabels[decision], maracReferral: marac },
  }]);
  scope.audit({
    action: 'contact.decide', recordType: 'contact', recordId: contact.id, subjectPersonId: contact.child_person_id,
    details: { decision, maracReferral: marac },
  });
}

export interface AuthorisationInput {
  version: number;
  outcome: string | undefined;
  comment: string | undefined;
}

export type AuthorisationResult =
  | { ok: true; outcome: 'authorised' | 'returned' }
  /** Refused (and the refusal audited): the manager made the decision themselves. */
  | { ok: false; error: HearthError };

export const ownDecisionMessage = 'You recorded this decision, so you cannot authorise it: another manager must look at it (a second pair of eyes).';

/**
 * Authorises the decision (the contact closes) or returns it to 'decision' with a comment. A
 * manager's attempt to authorise their own decision is refused and the refusal is audited; it is
 * returned rather than thrown, so that the audit event is kept.
 */
export async function authoriseContact(scope: Scope, id: string, input: AuthorisationInput, clock?: Clock): Promise<AuthorisationResult> {
  const now = nowOf(clock);
  const contact = await loadForDecision(scope, id, 'contact.authorise');
  if (contact.version !== input.version) throw staleWrite();
  if (contact.stage !== 'authorisation') {
    throw new HearthError('conflict', contact.stage === 'closed' ? 'This decision has already been authorised.' : 'There is no decision waiting for authorisation.');
  }
  const outcome = input.outcome === 'authorise' ? 'authorised' : input.outcome === 'return' ? 'returned' : null;
  const comment = (input.comment ?? '').trim();
  const errors: FieldError[] = [];
  if (!outcome) errors.push({ field: 'outcome', message: 'Choose whether to authorise the decision or return it' });
  if (outcome === 'returned' && !comment) errors.push({ field: 'comment', message: 'Write a comment saying what needs to change' });
  if (comment.length > 4000) errors.push({ field: 'comment', message: 'The comment must be 4000 characters or fewer' });
  if (errors.length || !outcome) throw validationFailed(errors);

  if (contact.decided_by === scope.actor.userId) {
    scope.audit({
      action: outcome === 'authorised' ? 'contact.authorise' : 'contact.return', outcome: 'refused', recordType: 'contact', recordId: contact.id,
      subjectPersonId: contact.child_person_id, details: { why: 'own_decision' },
    });
    return { ok: false, error: new HearthError('forbidden', ownDecisionMessage, [{ field: 'outcome', message: ownDecisionMessage }]) };
  }

  const updated = await scope.db
    .updateTable('contact')
    .set(outcome === 'authorised'
      ? { stage: 'closed', authorised_by: scope.actor.userId, authorised_at: now, closed_at: now, version: sql`version + 1` }
      : { stage: 'decision', returned_comment: comment, returned_by: scope.actor.userId, returned_at: now, version: sql`version + 1` })
    .where('id', '=', contact.id)
    .where('version', '=', input.version)
    .where('stage', '=', 'authorisation')
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleWrite();
  await recordHistory(scope.db, scope.actor.areaId, [{
    contactId: contact.id, action: outcome, actorUserId: scope.actor.userId, at: now, comment: comment || null,
    details: { decision: contact.decision },
  }]);
  scope.audit({
    action: outcome === 'authorised' ? 'contact.authorise' : 'contact.return', recordType: 'contact', recordId: contact.id,
    subjectPersonId: contact.child_person_id, ...(comment ? { reason: comment } : {}), details: { decision: contact.decision },
  });
  return { ok: true, outcome };
}
