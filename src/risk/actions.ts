// What practitioners do with risk, each in the gate's transaction and audited there:
// acknowledge a flag with a note, record professional judgement on a DASH checklist (which may
// raise the level, never lower it, and re-judges the MARAC criteria), and write a child's
// lived-experience summary. Forms are read at the version they were opened at: someone else's
// change in between is refused, not overwritten.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { londonDate } from '../calendar/london';
import { isUuid } from '../db/uuid';
import { withheldText } from '../frontdoor/sealed';
import { requireFullAccess } from '../sharing';
import { safePersonText } from '../sharing/sealed-text';
import { HearthError, notFound, staleWrite, validationFailed } from '../server/errors';
import { judgementSchema, riskLevelRank, type RiskLevel } from './dash';
import { patternFlagLabels, type PatternFlagKind } from './patterns';
import { loadRiskSettings } from './settings';
import { storeMaracRecommendations } from './store';
import { childWords, isChildOn } from './view';

/** The live person, recorded as viewed; or not found (which the gate audits as refused). */
async function personInScope(scope: Scope, requestedId: string): Promise<string> {
  // Need to know: only those with full access to the person may see or record their risk.
  const id = await requireFullAccess(scope, requestedId, 'risk.view');
  scope.audit({ action: 'risk.view', recordType: 'person', recordId: id, subjectPersonId: id });
  return id;
}

const fields = (parsed: z.ZodSafeParseError<unknown>) => parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'form', message: i.message }));

// ---- Acknowledging a flag

export interface FlagToAcknowledge {
  id: string;
  personId: string;
  kind: PatternFlagKind;
  label: string;
  explanation: string;
  raisedAt: Date;
  about: 'child' | 'household';
  version: number;
  open: boolean;
  acknowledged: boolean;
}

/** A flag of this person (theirs, or of a household they live in today), or not found. */
export async function flagOfPerson(scope: Scope, requestedPersonId: string, flagId: string): Promise<FlagToAcknowledge> {
  const personId = await personInScope(scope, requestedPersonId);
  if (!isUuid(flagId)) throw notFound('The flag');
  const today = londonDate(new Date());
  const flag = await scope.db
    .selectFrom('risk_flag as f')
    .select(['f.id', 'f.kind', 'f.explanation', 'f.raised_at', 'f.subject_kind', 'f.version', 'f.cleared_at', 'f.acknowledged_at'])
    .where('f.id', '=', flagId)
    .where((eb) => eb.or([
      eb('f.person_id', '=', personId),
      eb.exists(eb.selectFrom('household_member as m').select('m.id').whereRef('m.household_id', '=', 'f.household_id').where('m.person_id', '=', personId)
        .where((w) => w.or([w('m.from_date', 'is', null), w('m.from_date', '<=', today)]))
        .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>', today)]))),
    ]))
    .executeTakeFirst();
  if (!flag) throw notFound('The flag');
  return {
    id: flag.id, personId, kind: flag.kind as PatternFlagKind, label: patternFlagLabels[flag.kind as PatternFlagKind] ?? flag.kind,
    explanation: flag.explanation, raisedAt: flag.raised_at, about: flag.subject_kind, version: flag.version,
    open: flag.cleared_at === null, acknowledged: flag.acknowledged_at !== null,
  };
}

export const acknowledgementSchema = z.object({
  version: z.coerce.number().int().min(1),
  note: z.string({ error: 'Write a note: what you know of it and what is being done' }).trim()
    .min(1, 'Write a note: what you know of it and what is being done').max(2000, 'The note must be 2000 characters or fewer'),
});

/** Acknowledges an open flag with a note. The flag stays, with who acknowledged it, when and why. */
export async function acknowledgeFlag(scope: Scope, requestedPersonId: string, flagId: string, input: unknown): Promise<{ personId: string }> {
  const flag = await flagOfPerson(scope, requestedPersonId, flagId);
  const parsed = acknowledgementSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(fields(parsed));
  if (!flag.open) throw new HearthError('conflict', 'This flag is no longer raised, so there is nothing to acknowledge.');
  if (flag.acknowledged) throw new HearthError('conflict', 'Someone has already acknowledged this flag.');
  const updated = await scope.db
    .updateTable('risk_flag')
    .set((eb) => ({ acknowledged_by: scope.actor.userId, acknowledged_at: new Date(), acknowledgement_note: parsed.data.note, version: eb('version', '+', 1) }))
    .where('id', '=', flag.id)
    .where('version', '=', parsed.data.version)
    .where('cleared_at', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw staleWrite();
  scope.audit({
    action: 'risk.acknowledge_flag', recordType: 'risk_flag', recordId: flag.id, subjectPersonId: flag.personId,
    reason: parsed.data.note, details: { kind: flag.kind, about: flag.about },
  });
  return { personId: flag.personId };
}

// ---- Professional judgement on a DASH checklist

export interface DashToJudge {
  id: string;
  personId: string;
  eventId: string;
  reference: string | null;
  assessedAt: Date;
  score: number;
  threshold: number;
  scoredLevel: RiskLevel;
  level: RiskLevel;
  judgementReason: string | null;
  version: number;
}

/** A DASH checklist of an incident the person was in (as the victim or a child), or not found. */
export async function dashOfPerson(scope: Scope, requestedPersonId: string, dashId: string): Promise<DashToJudge> {
  const personId = await personInScope(scope, requestedPersonId);
  if (!isUuid(dashId)) throw notFound('The checklist');
  const row = await scope.db
    .selectFrom('dash_assessment as d')
    .innerJoin('event as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.event_id', 'e.source_ref', 'd.assessed_at', 'd.score', 'd.threshold', 'd.scored_level', 'd.level', 'd.judgement_reason', 'd.version'])
    .where('d.id', '=', dashId)
    .where((eb) => eb.exists(eb.selectFrom('event_person as ep').select('ep.id').whereRef('ep.event_id', '=', 'd.event_id').where('ep.person_id', '=', personId)))
    .executeTakeFirst();
  if (!row) throw notFound('The checklist');
  return {
    id: row.id, personId, eventId: row.event_id, reference: row.source_ref, assessedAt: row.assessed_at, score: row.score, threshold: row.threshold,
    scoredLevel: row.scored_level, level: row.level, judgementReason: row.judgement_reason, version: row.version,
  };
}

/**
 * Records a practitioner's professional judgement: a level and the reason. It may raise the level
 * or agree with it; lowering it (below the score's level or an earlier judgement) is refused.
 * The victim's MARAC criteria are judged again at that incident, so a judgement of high risk counts.
 */
export async function judgeDash(scope: Scope, requestedPersonId: string, dashId: string, input: unknown): Promise<{ personId: string }> {
  const dash = await dashOfPerson(scope, requestedPersonId, dashId);
  const parsed = judgementSchema.extend({ version: z.coerce.number().int().min(1) }).safeParse(input);
  if (!parsed.success) throw validationFailed(fields(parsed));
  const { level, reason, version } = parsed.data;
  if (riskLevelRank[level] < riskLevelRank[dash.level]) {
    throw validationFailed([{
      field: 'level',
      message: dash.scoredLevel === 'high'
        ? `Professional judgement cannot lower a visible high risk: the score is ${dash.score}, at or above the threshold of ${dash.threshold}`
        : `Professional judgement may raise the level but not lower it: it is ${dash.level} now`,
    }]);
  }
  const updated = await scope.db
    .updateTable('dash_assessment')
    .set((eb) => ({ level, judgement_reason: reason, judged_by: scope.actor.userId, judged_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', dash.id)
    .where('version', '=', version)
    .returning('victim_person_id')
    .executeTakeFirst();
  if (!updated) throw staleWrite();
  if (updated.victim_person_id) {
    const settings = await loadRiskSettings(scope.db, scope.actor.areaId);
    await storeMaracRecommendations(scope.db, scope.actor.areaId, [{ victimId: updated.victim_person_id, eventId: dash.eventId }], settings, new Date());
  }
  scope.audit({
    action: 'risk.dash_judgement', recordType: 'dash_assessment', recordId: dash.id, subjectPersonId: updated.victim_person_id ?? dash.personId,
    reason, details: { from: dash.level, to: level, scoredLevel: dash.scoredLevel },
  });
  return { personId: dash.personId };
}

// ---- The child's lived experience

export interface LivedExperienceToEdit {
  personId: string;
  name: string;
  current: { id: string; summary: string; childWords: string | null; withheld: boolean } | null;
  ownWords: { date: string; text: string }[];
}

export async function livedExperienceOf(scope: Scope, requestedPersonId: string): Promise<LivedExperienceToEdit> {
  const personId = await personInScope(scope, requestedPersonId);
  const person = await scope.db.selectFrom('person').select(['given_name', 'family_name', 'date_of_birth', 'expected_date_of_birth']).where('id', '=', personId).executeTakeFirstOrThrow();
  if (!isChildOn(person, londonDate(new Date()))) throw new HearthError('bad_request', 'A lived-experience summary is written for a child.');
  const canSeeSealed = scope.can('address.view_confidential');
  const [current, words] = await Promise.all([
    scope.db.selectFrom('lived_experience as l')
      .select([
        'l.id', safePersonText(canSeeSealed, sql.ref<string>('l.summary'), sql.ref('l.person_id')).as('summary'),
        safePersonText(canSeeSealed, sql.ref<string | null>('l.child_words'), sql.ref('l.person_id')).as('child_words'),
      ])
      .where('l.person_id', '=', personId)
      .orderBy('l.written_at', 'desc').orderBy('l.id').limit(1).executeTakeFirst(),
    // Withheld where they mention a sealed address the writer may not see.
    childWords(scope.db, personId, canSeeSealed),
  ]);
  // A summary the writer may not read is not put in the form: what they write replaces it.
  const withheld = current !== undefined && (current.summary === withheldText || current.child_words === withheldText);
  return {
    personId,
    name: [person.given_name, person.family_name].filter(Boolean).join(' ') || 'The child',
    current: current ? { id: current.id, summary: withheld ? '' : current.summary ?? '', childWords: withheld ? null : current.child_words, withheld } : null,
    ownWords: words.map((w) => ({ date: w.date, text: w.text })),
  };
}

export const livedExperienceSchema = z.object({
  /** The summary the writer saw (empty when there was none). */
  supersedes: z.string().optional().transform((v) => v || null),
  summary: z.string({ error: 'Write the summary, from the child’s point of view' }).trim()
    .min(1, 'Write the summary, from the child’s point of view').max(5000, 'The summary must be 5000 characters or fewer'),
  // The child's words are kept exactly as given; only a blank field means none.
  childWords: z.string().max(2000, 'The child’s words must be 2000 characters or fewer').optional().transform((v) => (v && v.trim() ? v : null)),
});

/** Writes a new version of the child's lived-experience summary; the earlier ones stay. */
export async function writeLivedExperience(scope: Scope, requestedPersonId: string, input: unknown): Promise<{ personId: string }> {
  const child = await livedExperienceOf(scope, requestedPersonId);
  const parsed = livedExperienceSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(fields(parsed));
  const { supersedes, summary, childWords } = parsed.data;
  if ((child.current?.id ?? null) !== supersedes) throw staleWrite();
  const written = await scope.db
    .insertInto('lived_experience')
    .values({ area_id: scope.actor.areaId, person_id: child.personId, supersedes, summary, child_words: childWords, written_by: scope.actor.userId })
    // Two writers replacing the same version: the second finds it taken.
    .onConflict((oc) => oc.column('supersedes').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!written) throw staleWrite();
  scope.audit({ action: 'risk.write_lived_experience', recordType: 'lived_experience', recordId: written.id, subjectPersonId: child.personId });
  return { personId: child.personId };
}
