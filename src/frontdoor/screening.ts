// Screening a contact: its priority with the reason, and the agency checks it needs, each with a
// question and a deadline that follows from the priority on the area's working-hours calendar.
// Every check shares the child's details with another agency, so each records its consent
// decision, and where there is no consent the lawful basis and the justification, with who
// decided (information_share). Also: allocating a contact, and withdrawing a check.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { checkDeadline } from '../calendar/timescales';
import type { ContactPriority, ContactStage } from '../db/schema';
import { isUuid } from '../db/uuid';
import { HearthError, notFound, staleWrite, validationFailed, type FieldError } from '../server/errors';
import { recordHistory } from './history';
import { consents, lawfulBases, otherLawfulBasis, priorities } from './labels';
import { loadCalendarSettings, nowOf, type Clock } from './time';

const text = (max: number) => z.string().trim().max(max, `must be ${max} characters or fewer`);

export const checkRequestSchema = z.object({
  agencyId: z.string(),
  question: z.string().trim().max(2000, 'must be 2000 characters or fewer'),
  consent: z.string().optional(),
  lawfulBasis: z.string().optional(),
  lawfulBasisOther: text(500).optional(),
  justification: text(4000).optional(),
});

export interface ScreeningInput {
  version: number;
  priority: ContactPriority | string | undefined;
  priorityReason: string | undefined;
  checks: z.input<typeof checkRequestSchema>[];
}

export interface ScreeningResult {
  stage: ContactStage;
  checks: { id: string; agencyId: string; dueAt: Date }[];
}

interface LoadedContact {
  id: string;
  version: number;
  stage: ContactStage;
  child_person_id: string;
}

/** The contact, or "not found", with the refusal audited under `action`. */
async function loadContact(scope: Scope, id: string, action: string): Promise<LoadedContact> {
  const contact = isUuid(id)
    ? await scope.db.selectFrom('contact').select(['id', 'version', 'stage', 'child_person_id']).where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!contact) {
    scope.audit({ action, recordType: 'contact', recordId: id });
    throw notFound('The contact');
  }
  return contact;
}

function requireVersion(contact: { version: number }, version: number): void {
  if (contact.version !== version) throw staleWrite();
}

function wrongStage(message: string): HearthError {
  return new HearthError('conflict', message);
}

/** The agencies that can be asked, those suggested for this child first, with a question for each. */
export async function screeningChoices(scope: Scope, contactId: string) {
  const contact = await loadContact(scope, contactId, 'contact.screen');
  const child = await scope.db.selectFrom('person').select(['given_name']).where('id', '=', contact.child_person_id).executeTakeFirstOrThrow();
  // The child's own school and GP, from agency records and education.
  const [records, education] = await Promise.all([
    scope.db.selectFrom('agency_record').select(['school_agency_id', 'gp_agency_id', 'agency_id']).where('person_id', '=', contact.child_person_id).execute(),
    scope.db.selectFrom('education').select('school_agency_id').where('person_id', '=', contact.child_person_id).where('to_date', 'is', null).execute(),
  ]);
  const childs = new Set<string>();
  for (const r of records) {
    if (r.school_agency_id) childs.add(r.school_agency_id);
    if (r.gp_agency_id) childs.add(r.gp_agency_id);
  }
  for (const e of education) if (e.school_agency_id) childs.add(e.school_agency_id);
  const knownBy = new Set(records.map((r) => r.agency_id));

  const agencies = await scope.db.selectFrom('agency').select(['id', 'name', 'kind', 'service']).where('id', '<>', scope.actor.agencyId).orderBy('name').execute();
  const name = child.given_name ?? 'the child';
  const suggested = agencies
    .filter((a) => childs.has(a.id) || (a.kind !== 'school' && a.service !== 'gp'))
    .map((a) => ({
      ...a,
      childs: childs.has(a.id),
      knowsChild: knownBy.has(a.id),
      question: defaultQuestion(a.kind, a.service, name),
    }))
    .sort((x, y) => Number(y.childs) - Number(x.childs) || x.name.localeCompare(y.name));
  const others = agencies.filter((a) => !suggested.some((s) => s.id === a.id)).map((a) => ({ id: a.id, name: a.name }));
  return { suggested, others, defaultQuestion: defaultQuestion('other', null, name) };
}

export function defaultQuestion(kind: string, service: string | null, childName: string): string {
  switch (kind) {
    case 'police': return `What do police records show about ${childName} and the adults in the household: previous incidents, offending, bail conditions or orders?`;
    case 'health': return service === 'gp'
      ? `Is ${childName} registered with the practice? Any consultations, missed appointments or concerns about ${childName} or the parents?`
      : `What do health records show about ${childName} and the household: attendances, health visiting or midwifery involvement, concerns?`;
    case 'school': return `How is ${childName} at school: attendance, behaviour, presentation, anything ${childName} has said, and any safeguarding concerns?`;
    case 'probation': return `Is any adult in ${childName}’s household known to probation? Risk assessments, licence or order conditions, and concerns?`;
    case 'idva_service': return `Is the adult victim in ${childName}’s household known to your service? Current risk, safety planning and MARAC history?`;
    case 'housing': return `Is the household known to housing: tenancy, homelessness applications, moves because of domestic abuse, concerns?`;
    case 'adult_social_care': return `Is any adult in ${childName}’s household known to adult social care? Care and support needs, concerns?`;
    case 'education_safeguarding': return `Is ${childName} on a school roll, educated at home or missing education? Any education safeguarding history?`;
    default: return `What does your agency know about ${childName} and the household: current involvement, concerns, and relevant history?`;
  }
}

/** Checks each requested check and share, naming every field that is wrong. */
async function validateScreening(scope: Scope, input: ScreeningInput): Promise<{ priority: ContactPriority; priorityReason: string; checks: ValidCheck[] }> {
  const errors: FieldError[] = [];
  const priority = priorities.find((p) => p === input.priority);
  if (!priority) errors.push({ field: 'priority', message: 'Choose a priority: red, amber or green' });
  const priorityReason = (input.priorityReason ?? '').trim();
  if (!priorityReason) errors.push({ field: 'priorityReason', message: 'Give the reason for this priority' });
  else if (priorityReason.length > 4000) errors.push({ field: 'priorityReason', message: 'The reason for the priority must be 4000 characters or fewer' });

  const ids = input.checks.map((c) => c.agencyId).filter(isUuid);
  const agencies = ids.length
    ? await scope.db.selectFrom('agency').select(['id', 'name']).where('id', 'in', ids).execute()
    : [];
  const names = new Map(agencies.map((a) => [a.id, a.name]));
  const seen = new Set<string>();
  const checks: ValidCheck[] = [];
  input.checks.forEach((raw, i) => {
    const at = (name: string) => `checks.${i}.${name}`;
    const parsed = checkRequestSchema.safeParse(raw);
    const agencyName = names.get(raw.agencyId);
    if (!agencyName || raw.agencyId === scope.actor.agencyId) {
      errors.push({ field: at('agencyId'), message: 'Choose agencies from the list' });
      return;
    }
    if (seen.has(raw.agencyId)) {
      errors.push({ field: at('agencyId'), message: `${agencyName} is chosen twice: ask each agency once` });
      return;
    }
    seen.add(raw.agencyId);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ field: at(issue.path.map(String).join('.')), message: `${agencyName}: ${issue.message}` });
      return;
    }
    const c = parsed.data;
    let failed = false;
    const fail = (field: string, message: string) => {
      failed = true;
      errors.push({ field: at(field), message });
    };
    if (!c.question) fail('question', `Enter the question for ${agencyName}`);
    const consent = consents.find((x) => x === c.consent);
    if (!consent) fail('consent', `Say whether there is consent to share with ${agencyName}`);
    let lawfulBasis: string | null = null;
    let justification: string | null = c.justification || null;
    if (consent && consent !== 'given') {
      if (c.lawfulBasis === otherLawfulBasis) {
        if (!c.lawfulBasisOther) fail('lawfulBasisOther', `State the lawful basis for sharing with ${agencyName} without consent`);
        else lawfulBasis = `Other: ${c.lawfulBasisOther}`;
      } else if ((lawfulBases as readonly string[]).includes(c.lawfulBasis ?? '')) {
        lawfulBasis = c.lawfulBasis as string;
      } else {
        fail('lawfulBasis', `Choose the lawful basis for sharing with ${agencyName} without consent`);
      }
      if (!justification) fail('justification', `Explain why sharing with ${agencyName} without consent is justified`);
    }
    if (consent === 'given') lawfulBasis = null;
    if (!failed && consent) checks.push({ agencyId: raw.agencyId, agencyName, question: c.question, consent, lawfulBasis, justification });
  });
  if (errors.length || !priority) throw validationFailed(errors);
  return { priority, priorityReason, checks };
}

interface ValidCheck {
  agencyId: string;
  agencyName: string;
  question: string;
  consent: (typeof consents)[number];
  lawfulBasis: string | null;
  justification: string | null;
}

/**
 * Screens a contact in 'screening': sets the priority and reason, requests the checks with their
 * deadlines and records each share. Moves to 'checks', or to 'decision' when no check is asked.
 */
export async function screenContact(scope: Scope, contactId: string, input: ScreeningInput, clock?: Clock): Promise<ScreeningResult> {
  const now = nowOf(clock);
  const contact = await loadContact(scope, contactId, 'contact.screen');
  requireVersion(contact, input.version);
  if (contact.stage !== 'screening') throw wrongStage('This contact has already been screened.');
  const { priority, priorityReason, checks } = await validateScreening(scope, input);

  const settings = await loadCalendarSettings(scope.db, scope.actor.areaId);
  const dueAt = checkDeadline(priority, now, settings);
  const stage: ContactStage = checks.length ? 'checks' : 'decision';
  const updated = await scope.db
    .updateTable('contact')
    .set({
      priority, priority_reason: priorityReason, screened_by: scope.actor.userId, screened_at: now, stage,
      allocated_to: sql`coalesce(allocated_to, ${scope.actor.userId}::uuid)`,
      team_id: sql`coalesce(team_id, ${scope.actor.teamId}::uuid)`,
      version: sql`version + 1`,
    })
    .where('id', '=', contact.id)
    .where('version', '=', input.version)
    .where('stage', '=', 'screening')
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleWrite();

  const areaId = scope.actor.areaId;
  const created = checks.length
    ? await scope.db
        .insertInto('agency_check')
        .values(checks.map((c) => ({
          area_id: areaId, contact_id: contact.id, agency_id: c.agencyId, question: c.question, requested_by: scope.actor.userId,
          requested_at: now, due_at: dueAt,
        })))
        .returning(['id', 'agency_id'])
        .execute()
    : [];
  const checkIdByAgency = new Map(created.map((k) => [k.agency_id, k.id]));
  if (checks.length) {
    const shares = await scope.db
      .insertInto('information_share')
      .values(checks.map((c) => ({
        area_id: areaId, person_id: contact.child_person_id, contact_id: contact.id, agency_check_id: checkIdByAgency.get(c.agencyId) ?? null,
        from_agency_id: scope.actor.agencyId, to_agency_id: c.agencyId, consent: c.consent, lawful_basis: c.lawfulBasis,
        justification: c.justification, decided_by: scope.actor.userId, decided_at: now,
      })))
      .returning(['id', 'to_agency_id'])
      .execute();
    for (const s of shares) {
      const c = checks.find((x) => x.agencyId === s.to_agency_id)!;
      scope.audit({
        action: 'information_share.record', recordType: 'information_share', recordId: s.id, subjectPersonId: contact.child_person_id,
        details: { contactId: contact.id, toAgencyId: c.agencyId, consent: c.consent, lawfulBasis: c.lawfulBasis },
      });
    }
  }

  await recordHistory(scope.db, areaId, [
    { contactId: contact.id, action: 'screened', actorUserId: scope.actor.userId, at: now, comment: priorityReason, details: { priority } },
    ...checks.map((c) => ({
      contactId: contact.id, action: 'check_requested', actorUserId: scope.actor.userId, at: now, comment: c.question,
      details: { checkId: checkIdByAgency.get(c.agencyId), agencyName: c.agencyName, dueAt: dueAt.toISOString(), consent: c.consent, lawfulBasis: c.lawfulBasis },
    })),
  ]);
  scope.audit({
    action: 'contact.screen', recordType: 'contact', recordId: contact.id, subjectPersonId: contact.child_person_id,
    details: { priority, stage, checks: checks.length },
  });
  for (const k of created) {
    scope.audit({
      action: 'agency_check.request', recordType: 'agency_check', recordId: k.id, subjectPersonId: contact.child_person_id,
      details: { contactId: contact.id, agencyId: k.agency_id, dueAt: dueAt.toISOString() },
    });
  }
  return { stage, checks: created.map((k) => ({ id: k.id, agencyId: k.agency_id, dueAt })) };
}

/** The people a contact can be allocated to: the area's MASH practitioners and managers. */
export async function allocationChoices(scope: Scope) {
  return scope.db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'role'])
    .where('kind', '=', 'person')
    .where('status', '=', 'active')
    .where('role', 'in', ['mash_practitioner', 'mash_manager'])
    .orderBy('display_name')
    .execute();
}

/** Allocates an open contact to a MASH worker (and their team). */
export async function allocateContact(scope: Scope, contactId: string, input: { version: number; userId: string }, clock?: Clock): Promise<void> {
  const now = nowOf(clock);
  const contact = await loadContact(scope, contactId, 'contact.allocate');
  requireVersion(contact, input.version);
  if (contact.stage === 'closed') throw wrongStage('This contact is closed.');
  const worker = isUuid(input.userId)
    ? await scope.db.selectFrom('app_user').select(['id', 'display_name', 'team_id']).where('id', '=', input.userId)
        .where('kind', '=', 'person').where('status', '=', 'active').where('role', 'in', ['mash_practitioner', 'mash_manager']).executeTakeFirst()
    : undefined;
  if (!worker) throw validationFailed([{ field: 'userId', message: 'Choose a MASH worker from the list' }]);
  const updated = await scope.db
    .updateTable('contact')
    .set({ allocated_to: worker.id, team_id: sql`coalesce(${worker.team_id}::uuid, team_id)`, version: sql`version + 1` })
    .where('id', '=', contact.id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleWrite();
  await recordHistory(scope.db, scope.actor.areaId, [{
    contactId: contact.id, action: 'allocated', actorUserId: scope.actor.userId, at: now, details: { to: worker.id, toName: worker.display_name },
  }]);
  scope.audit({ action: 'contact.allocate', recordType: 'contact', recordId: contact.id, subjectPersonId: contact.child_person_id, details: { to: worker.id } });
}

/** A check and its contact, for the MASH (not the answering agency). */
export async function checkForWithdrawal(scope: Scope, checkId: string) {
  const check = isUuid(checkId)
    ? await scope.db
        .selectFrom('agency_check as k')
        .innerJoin('agency as g', 'g.id', 'k.agency_id')
        .innerJoin('contact as c', 'c.id', 'k.contact_id')
        .innerJoin('person as p', 'p.id', 'c.child_person_id')
        .select(['k.id', 'k.version', 'k.status', 'k.contact_id', 'k.question', 'k.due_at', 'g.name as agency_name', 'c.child_person_id', 'p.given_name', 'p.family_name'])
        .where('k.id', '=', checkId)
        .executeTakeFirst()
    : undefined;
  if (!check) {
    scope.audit({ action: 'agency_check.withdraw', recordType: 'agency_check', recordId: checkId });
    throw notFound('The agency check');
  }
  return check;
}

/** Withdraws an open check with a reason; the contact moves on to 'decision' once no check is open. */
export async function withdrawCheck(scope: Scope, checkId: string, input: { version: number; reason: string | undefined }, clock?: Clock): Promise<{ contactId: string; stage: ContactStage }> {
  const now = nowOf(clock);
  const check = await checkForWithdrawal(scope, checkId);
  await lockContact(scope, check.contact_id);
  if (check.version !== input.version) throw staleWrite();
  if (check.status !== 'open') throw wrongStage(check.status === 'answered' ? 'This check has already been answered.' : 'This check has already been withdrawn.');
  const reason = (input.reason ?? '').trim();
  if (!reason) throw validationFailed([{ field: 'reason', message: 'Give the reason for withdrawing the check' }]);
  if (reason.length > 2000) throw validationFailed([{ field: 'reason', message: 'The reason must be 2000 characters or fewer' }]);
  const updated = await scope.db
    .updateTable('agency_check')
    .set({ status: 'withdrawn', version: sql`version + 1` })
    .where('id', '=', check.id)
    .where('version', '=', input.version)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleWrite();
  await recordHistory(scope.db, scope.actor.areaId, [{
    contactId: check.contact_id, action: 'check_withdrawn', actorUserId: scope.actor.userId, at: now, comment: reason,
    details: { checkId: check.id, agencyName: check.agency_name },
  }]);
  scope.audit({
    action: 'agency_check.withdraw', recordType: 'agency_check', recordId: check.id, subjectPersonId: check.child_person_id, reason,
    details: { contactId: check.contact_id },
  });
  const stage = await advanceWhenChecksDone(scope, check.contact_id, now);
  return { contactId: check.contact_id, stage };
}

/**
 * Locks the contact for the rest of the transaction, so that two agencies answering its last two
 * checks at once cannot each see the other's check still open and leave it waiting in 'checks'.
 */
export async function lockContact(scope: Scope, contactId: string): Promise<void> {
  await scope.db.selectFrom('contact').select('id').where('id', '=', contactId).forUpdate().execute();
}

/** Moves a contact in 'checks' to 'decision' when every check is answered or withdrawn. */
export async function advanceWhenChecksDone(scope: Scope, contactId: string, now: Date): Promise<ContactStage> {
  const moved = await scope.db
    .updateTable('contact')
    .set({ stage: 'decision', version: sql`version + 1` })
    .where('id', '=', contactId)
    .where('stage', '=', 'checks')
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('agency_check').select('id').where('contact_id', '=', contactId).where('status', '=', 'open'),
    )))
    .returning(['stage', 'child_person_id'])
    .executeTakeFirst();
  if (moved) {
    await recordHistory(scope.db, scope.actor.areaId, [{ contactId, action: 'checks_complete', actorUserId: scope.actor.userId, at: now }]);
    scope.audit({ action: 'contact.checks_complete', recordType: 'contact', recordId: contactId, subjectPersonId: moved.child_person_id });
    return 'decision';
  }
  const current = await scope.db.selectFrom('contact').select('stage').where('id', '=', contactId).executeTakeFirstOrThrow();
  return current.stage;
}
