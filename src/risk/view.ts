// What the pages show of risk: a person's flags (the child's own and their household's) with
// what raised them, the latest MARAC recommendation with the incidents it names, the DASH of the
// latest incident, how the child experienced it, their own words and their lived-experience
// summary; and the open flags shown on the front-door queue, a contact and a perpetrator's page.
// Each read runs inside the caller's gated transaction and is audited there.
import { sql, type Kysely } from 'kysely';
import type { Scope } from '../access/gate';
import { eventKinds, isEventKind } from '../chronology/event-kinds';
import { londonDate } from '../calendar/london';
import type { Database, FlagSource } from '../db/schema';
import { isUuid } from '../db/uuid';
import { safeEventText } from '../frontdoor/sealed';
import { aliasesCte, currentPersonId } from '../sharing/involvement';
import { safePeopleText, safePersonText } from '../sharing/sealed-text';
import { notFound } from '../server/errors';
import { addMonths, dateOf, dayOf } from './calendar';
import { ageStageLabels, assessChildExperience, type CareImpact } from './child-experience';
import { dashSets, type DashSet, type RiskLevel } from './dash';
import type { MaracCriterion } from './marac';
import { patternFlagLabels, type PatternFlagKind } from './patterns';
import { mentionsSomething } from './sources';
import { loadRiskSettings } from './settings';
import { dashOfDetails } from './store';

export const maracCriterionLabels: Record<MaracCriterion, string> = {
  visible_high_risk: 'Visible high risk',
  potential_escalation: 'Potential escalation',
  professional_judgement: 'Professional judgement',
  repeat: 'Repeat',
};

export const riskLevelLabels: Record<RiskLevel, string> = { standard: 'Standard', medium: 'Medium', high: 'High' };

export interface RaisedByView {
  date: string;
  /** "Domestic abuse incident (police)", or "Partner relationship recorded". */
  what: string;
  agencyName: string | null;
  reference: string | null;
}

export interface FlagView {
  id: string;
  kind: PatternFlagKind;
  label: string;
  explanation: string;
  /** The child's own flag, or one of the household they live in. */
  about: 'child' | 'household';
  personId: string | null;
  householdId: string | null;
  raisedAt: Date;
  raisedBy: RaisedByView[];
  clearedAt: Date | null;
  acknowledged: { by: string; at: Date; note: string } | null;
  version: number;
}

const kindLabel = (kind: string) => (isEventKind(kind) ? eventKinds[kind] : kind.replaceAll('_', ' '));

/** The events named by ids, as a list shows them: date, what, which agency, its reference. */
async function describeEvents(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, RaisedByView>> {
  const described = new Map<string, RaisedByView>();
  const wanted = [...new Set(ids)].filter(isUuid);
  if (wanted.length === 0) return described;
  const rows = await db
    .selectFrom('event as e')
    .innerJoin('agency as g', 'g.id', 'e.agency_id')
    .select(['e.id', 'e.kind', 'e.occurred_at', 'e.source_ref', 'g.name'])
    .where('e.id', 'in', wanted)
    .execute();
  for (const r of rows) described.set(r.id, { date: londonDate(r.occurred_at), what: kindLabel(r.kind), agencyName: r.name, reference: r.source_ref });
  return described;
}

type FlagRow = {
  id: string; kind: string; explanation: string; subject_kind: 'child' | 'household'; person_id: string | null; household_id: string | null;
  raised_at: Date; raised_by: FlagSource[]; cleared_at: Date | null; acknowledged_at: Date | null; acknowledgement_note: string | null;
  acknowledged_name: string | null; version: number;
};

async function flagViews(db: Kysely<Database>, rows: readonly FlagRow[]): Promise<FlagView[]> {
  const events = await describeEvents(db, rows.flatMap((r) => r.raised_by.flatMap((s) => ('eventId' in s ? [s.eventId] : []))));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as PatternFlagKind,
    label: patternFlagLabels[r.kind as PatternFlagKind] ?? r.kind,
    explanation: r.explanation,
    about: r.subject_kind,
    personId: r.person_id,
    householdId: r.household_id,
    raisedAt: r.raised_at,
    raisedBy: r.raised_by.map((s) =>
      'eventId' in s
        ? (events.get(s.eventId) ?? { date: s.date, what: 'An event', agencyName: null, reference: null })
        : { date: s.date, what: 'Partner relationship recorded', agencyName: null, reference: null }),
    clearedAt: r.cleared_at,
    acknowledged: r.acknowledged_at && r.acknowledgement_note ? { by: r.acknowledged_name ?? 'Someone', at: r.acknowledged_at, note: r.acknowledgement_note } : null,
    version: r.version,
  }));
}

/** Flags with who acknowledged them; an acknowledgement's note naming a sealed address is withheld from a viewer who may not see it. */
function flagQuery(db: Kysely<Database>, canSeeSealed: boolean) {
  // A child's flag is about the child; a household's, about each of its members.
  const about = sql`SELECT f.person_id WHERE f.person_id IS NOT NULL UNION ALL SELECT hm.person_id FROM household_member hm WHERE hm.household_id = f.household_id`;
  return db
    .selectFrom('risk_flag as f')
    .leftJoin('app_user as u', 'u.id', 'f.acknowledged_by')
    .select([
      'f.id', 'f.kind', 'f.explanation', 'f.subject_kind', 'f.person_id', 'f.household_id', 'f.raised_at', 'f.raised_by', 'f.cleared_at',
      'f.acknowledged_at', safePeopleText(canSeeSealed, sql.ref<string | null>('f.acknowledgement_note'), about).as('acknowledgement_note'),
      'u.display_name as acknowledged_name', 'f.version',
    ]);
}

const kindOrder = Object.keys(patternFlagLabels);
const byKind = (a: FlagView, b: FlagView) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || (a.about === b.about ? 0 : a.about === 'child' ? -1 : 1);

/** Households the person lives in on `day`. */
async function householdsOf(db: Kysely<Database>, personId: string, day: string): Promise<string[]> {
  const rows = await db
    .selectFrom('household_member')
    .select('household_id')
    .where('person_id', '=', personId)
    .where((eb) => eb.or([eb('from_date', 'is', null), eb('from_date', '<=', day)]))
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>', day)]))
    .execute();
  return [...new Set(rows.map((r) => r.household_id))];
}

// ---- Open flags for lists: the queue, a contact, a perpetrator's page

export interface OpenFlag {
  id: string;
  kind: PatternFlagKind;
  label: string;
  explanation: string;
  dates: string[];
  acknowledged: boolean;
}

/** The open flags of each child, in the order of kinds. */
export async function openFlagsOfChildren(db: Kysely<Database>, childIds: readonly string[]): Promise<Map<string, OpenFlag[]>> {
  const byChild = new Map<string, OpenFlag[]>();
  if (childIds.length === 0) return byChild;
  const rows = await db
    .selectFrom('risk_flag')
    .select(['id', 'person_id', 'kind', 'explanation', 'raised_by', 'acknowledged_at'])
    .where('subject_kind', '=', 'child')
    .where('person_id', 'in', [...new Set(childIds)])
    .where('cleared_at', 'is', null)
    .execute();
  rows.sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind));
  for (const r of rows) {
    const flag: OpenFlag = {
      id: r.id, kind: r.kind as PatternFlagKind, label: patternFlagLabels[r.kind as PatternFlagKind] ?? r.kind, explanation: r.explanation,
      dates: r.raised_by.map((s) => s.date), acknowledged: r.acknowledged_at !== null,
    };
    const list = byChild.get(r.person_id as string);
    if (list) list.push(flag);
    else byChild.set(r.person_id as string, [flag]);
  }
  return byChild;
}

/**
 * The open flags about a perpetrator's world: of the children and households linked to them,
 * and any flag that names them (linked to other victims, a new partner with a history, a breach).
 */
export async function flagsAroundPerpetrator(
  db: Kysely<Database>, perpetratorId: string, linked: { children: readonly string[]; households: readonly string[] }, canSeeSealed: boolean,
): Promise<FlagView[]> {
  const rows = await flagQuery(db, canSeeSealed)
    .where('f.cleared_at', 'is', null)
    .where((eb) => eb.or([
      // Flags name people by the ids they had when raised: ids since merged into the perpetrator count as theirs.
      sql<boolean>`f.person_ids && ARRAY(WITH RECURSIVE ${aliasesCte([perpetratorId])} SELECT id FROM aliases)`,
      ...(linked.children.length ? [eb('f.person_id', 'in', [...linked.children])] : []),
      ...(linked.households.length ? [eb('f.household_id', 'in', [...linked.households])] : []),
    ]))
    .orderBy('f.raised_at', 'desc')
    .execute();
  return (await flagViews(db, rows)).sort(byKind);
}

// ---- A person's risk, for their page

export interface MaracView {
  victim: { personId: string; name: string };
  asOf: string;
  recommended: boolean;
  computedAt: Date;
  criteria: { criterion: MaracCriterion; label: string; met: boolean; explanation: string; incidents: RaisedByView[] }[];
}

export interface DashView {
  id: string;
  eventId: string;
  reference: string | null;
  assessedAt: Date;
  setName: string;
  questionCount: number;
  score: number;
  threshold: number;
  scoredLevel: RiskLevel;
  level: RiskLevel;
  judgement: { reason: string; by: string | null; at: Date | null } | null;
  /** Questions answered, in order, with the answer and any note. */
  answers: { number: number; label: string; answer: 'yes' | 'no' | 'not_known'; note: string | null }[];
  notKnownOrUnasked: number;
  version: number;
}

export interface ExperienceView {
  eventId: string;
  date: string;
  reference: string | null;
  stage: string;
  priority: 'high' | 'medium' | 'standard';
  reasons: string[];
  childSaid: string | null;
  howTheySeemed: string | null;
}

export interface LivedExperienceView {
  id: string;
  summary: string;
  childWords: string | null;
  writtenBy: string;
  writtenAt: Date;
}

export interface PersonRisk {
  personId: string;
  name: string;
  isChild: boolean;
  /** Open and not yet acknowledged: the child's own, then their household's. */
  flags: FlagView[];
  /** Acknowledged, or no longer raised, newest first. */
  history: FlagView[];
  marac: MaracView | null;
  dash: DashView | null;
  experience: ExperienceView | null;
  /** The child's own words in incidents, newest first, exactly as given. */
  ownWords: { date: string; what: string; text: string }[];
  livedExperience: LivedExperienceView | null;
  livedExperienceHistory: LivedExperienceView[];
  can: { acknowledge: boolean; judge: boolean; writeLivedExperience: boolean };
}

const fullName = (p: { given_name: string | null; family_name: string | null }) => [p.given_name, p.family_name].filter(Boolean).join(' ') || 'Name not known';

/** Under 18 on the day, or not born yet. */
export function isChildOn(person: { date_of_birth: string | null; expected_date_of_birth: string | null }, day: string): boolean {
  if (person.date_of_birth) return dateOf(addMonths(dayOf(person.date_of_birth), 18 * 12)) > day;
  return person.expected_date_of_birth !== null;
}

/**
 * A person's risk for their page, or null when the viewer's role may not see risk. Records the
 * view against the person. Throws not found for a person outside the area.
 */
export async function loadPersonRisk(scope: Scope, requestedId: string, now = new Date()): Promise<PersonRisk | null> {
  if (!scope.can('risk.view')) return null;
  const db = scope.db;
  const personId = await currentPersonId(scope, requestedId);
  const person = personId
    ? await db.selectFrom('person').select(['id', 'given_name', 'family_name', 'date_of_birth', 'expected_date_of_birth']).where('id', '=', personId).executeTakeFirst()
    : undefined;
  if (!person) {
    scope.audit({ action: 'risk.view', recordType: 'person', recordId: requestedId });
    throw notFound('The person');
  }
  const today = londonDate(now);
  const isChild = isChildOn(person, today);
  const canSeeSealed = scope.can('address.view_confidential');
  const households = await householdsOf(db, person.id, today);

  const [flagRows, marac, dash, experience, ownWords, lived] = await Promise.all([
    flagQuery(db, canSeeSealed)
      .where((eb) => eb.or([eb('f.person_id', '=', person.id), ...(households.length ? [eb('f.household_id', 'in', households)] : [])]))
      .orderBy('f.raised_at', 'desc')
      .orderBy('f.id')
      .execute(),
    latestMarac(db, person.id, isChild),
    latestDash(db, person.id, isChild, canSeeSealed),
    isChild ? latestExperience(scope, person) : Promise.resolve(null),
    isChild ? childWords(db, person.id, canSeeSealed) : Promise.resolve([]),
    db.selectFrom('lived_experience as l').innerJoin('app_user as u', 'u.id', 'l.written_by')
      .select([
        'l.id', safePersonText(canSeeSealed, sql.ref<string>('l.summary'), sql.ref('l.person_id')).as('summary'),
        safePersonText(canSeeSealed, sql.ref<string | null>('l.child_words'), sql.ref('l.person_id')).as('child_words'), 'u.display_name', 'l.written_at',
      ])
      .where('l.person_id', '=', person.id)
      .orderBy('l.written_at', 'desc')
      .orderBy('l.id')
      .execute(),
  ]);
  const flags = await flagViews(db, flagRows);
  const current = flags.filter((f) => f.clearedAt === null && f.acknowledged === null);
  // A household flag already raised for the child themself says nothing more.
  const ownKinds = new Set(current.filter((f) => f.about === 'child').map((f) => f.kind));
  const livedViews = lived.map((l) => ({ id: l.id, summary: l.summary ?? '', childWords: l.child_words, writtenBy: l.display_name, writtenAt: l.written_at }));

  scope.audit({ action: 'risk.view', recordType: 'person', recordId: person.id, subjectPersonId: person.id, details: { flags: current.length } });
  return {
    personId: person.id,
    name: fullName(person),
    isChild,
    flags: current.filter((f) => f.about === 'child' || !ownKinds.has(f.kind)).sort(byKind),
    history: flags.filter((f) => f.clearedAt !== null || f.acknowledged !== null),
    marac,
    dash,
    experience,
    ownWords,
    livedExperience: livedViews[0] ?? null,
    livedExperienceHistory: livedViews.slice(1),
    can: {
      acknowledge: scope.can('risk.acknowledge_flag'),
      judge: scope.can('risk.judge_dash'),
      writeLivedExperience: isChild && scope.can('risk.write_lived_experience'),
    },
  };
}

/** The adults whose risk a child's page shows: victims of the child's incidents, and the child's parents and carers. */
async function victimsAround(db: Kysely<Database>, personId: string, isChild: boolean): Promise<string[]> {
  if (!isChild) return [personId];
  const { rows } = await sql<{ id: string }>`
    SELECT v.person_id AS id FROM event_person c JOIN event_person v ON v.event_id = c.event_id AND v.role = 'adult_victim'
    WHERE c.person_id = ${personId} AND c.role = 'child'
    UNION
    SELECT r.person_id FROM relationship r WHERE r.related_person_id = ${personId} AND r.kind IN ('parent_of', 'carer_of')`.execute(db);
  return rows.map((r) => r.id);
}

async function latestMarac(db: Kysely<Database>, personId: string, isChild: boolean): Promise<MaracView | null> {
  const victims = await victimsAround(db, personId, isChild);
  if (victims.length === 0) return null;
  const row = await db
    .selectFrom('marac_recommendation as m')
    .innerJoin('person as p', 'p.id', 'm.victim_person_id')
    .select(['m.victim_person_id', 'p.given_name', 'p.family_name', 'm.as_of', 'm.recommended', 'm.criteria', 'm.computed_at'])
    .where('m.victim_person_id', 'in', victims)
    .orderBy('m.as_of', 'desc')
    .orderBy('m.computed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const incidents = await describeEvents(db, row.criteria.flatMap((c) => c.incidentIds));
  return {
    victim: { personId: row.victim_person_id, name: fullName(row) },
    asOf: row.as_of,
    recommended: row.recommended,
    computedAt: row.computed_at,
    criteria: row.criteria.map((c) => ({
      criterion: c.criterion as MaracCriterion,
      label: maracCriterionLabels[c.criterion as MaracCriterion] ?? c.criterion,
      met: c.met,
      explanation: c.explanation,
      incidents: c.incidentIds.flatMap((id) => incidents.get(id) ?? []),
    })),
  };
}

type DashAnswers = Record<string, { answer: 'yes' | 'no' | 'not_known'; note?: string }>;

async function latestDash(db: Kysely<Database>, personId: string, isChild: boolean, canSeeSealed: boolean): Promise<DashView | null> {
  // The officer's notes and the judgement's reason are free text: withheld where they name the victim's sealed address.
  const victim = sql.ref<string | null>('d.victim_person_id');
  const safeAnswers = canSeeSealed ? sql.ref<DashAnswers>('d.answers') : sql<DashAnswers>`(
    SELECT coalesce(jsonb_object_agg(x.k, CASE WHEN x.v->>'note' IS NULL THEN x.v
      ELSE jsonb_set(x.v, '{note}', to_jsonb(${safePersonText(false, sql<string>`x.v->>'note'`, victim)})) END), '{}'::jsonb)
    FROM jsonb_each(d.answers) AS x(k, v))`;
  const row = await db
    .selectFrom('dash_assessment as d')
    .innerJoin('event as e', 'e.id', 'd.event_id')
    .leftJoin('app_user as u', 'u.id', 'd.judged_by')
    .select([
      'd.id', 'd.event_id', 'e.source_ref', 'd.assessed_at', 'd.question_set', safeAnswers.as('answers'), 'd.score', 'd.threshold', 'd.scored_level', 'd.level',
      safePersonText(canSeeSealed, sql.ref<string | null>('d.judgement_reason'), victim).as('judgement_reason'), 'u.display_name as judged_name', 'd.judged_at', 'd.version',
    ])
    .where((eb) => isChild
      ? eb.exists(eb.selectFrom('event_person as ep').select('ep.id').whereRef('ep.event_id', '=', 'd.event_id').where('ep.person_id', '=', personId).where('ep.role', '=', 'child'))
      : eb('d.victim_person_id', '=', personId))
    .orderBy('d.assessed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const set = dashSets[row.question_set as DashSet];
  const answers = set.questions.flatMap((q) => {
    const a = row.answers[String(q.number)];
    return a ? [{ number: q.number, label: q.label, answer: a.answer, note: a.note ?? null }] : [];
  });
  return {
    id: row.id, eventId: row.event_id, reference: row.source_ref, assessedAt: row.assessed_at, setName: set.name, questionCount: set.questions.length,
    score: row.score, threshold: row.threshold, scoredLevel: row.scored_level, level: row.level,
    judgement: row.judgement_reason ? { reason: row.judgement_reason, by: row.judged_name, at: row.judged_at } : null,
    answers, notKnownOrUnasked: set.questions.length - answers.filter((a) => a.answer !== 'not_known').length, version: row.version,
  };
}

/** The child's words in their incidents; words that mention a sealed address are withheld for a viewer who may not see it. */
export async function childWords(db: Kysely<Database>, personId: string, canSeeSealed: boolean): Promise<{ date: string; what: string; text: string }[]> {
  const rows = await db
    .selectFrom('event_person as ep')
    .innerJoin('event as e', 'e.id', 'ep.event_id')
    .select(['e.occurred_at', 'e.kind', safeEventText(canSeeSealed, sql<string | null>`ep.child_voice`).as('child_voice')])
    .where('ep.person_id', '=', personId)
    .where('ep.child_voice', 'is not', null)
    .orderBy('e.occurred_at', 'desc')
    .limit(20)
    .execute();
  return rows.map((r) => ({ date: londonDate(r.occurred_at), what: kindLabel(r.kind), text: r.child_voice as string }));
}

/**
 * How the child experienced their latest incident, weighed (child-experience.ts) from what was
 * recorded: present or not and where, how they seemed and what they said; directly harmed as
 * the police checklist's "children hurt" answer says; injuries or a weapon; their care affected
 * when a parent or carer was injured or arrested; missing episodes in the year before; and the
 * other agencies that know them. Where they were, how they seemed and what they said are
 * withheld in the query when they mention a sealed address the viewer may not see.
 */
async function latestExperience(scope: Scope, child: { id: string; date_of_birth: string | null; expected_date_of_birth: string | null }): Promise<ExperienceView | null> {
  const db = scope.db;
  const canSeeSealed = scope.can('address.view_confidential');
  // This child's entry in the incident's list of children, as the police recorded it.
  const childDetail = (key: 'where' | 'demeanour') => safeEventText(canSeeSealed, sql<string | null>`(
    SELECT c->>${sql.lit(key)} FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.details->'children') = 'array' THEN e.details->'children' ELSE '[]'::jsonb END) c
    WHERE c->>'personId' = ${child.id} AND jsonb_typeof(c->${sql.lit(key)}) = 'string' LIMIT 1)`);
  const incident = await db
    .selectFrom('event_person as ep')
    .innerJoin('event as e', 'e.id', 'ep.event_id')
    .select([
      'e.id', 'e.kind', 'e.occurred_at', 'e.source_ref', 'e.details', 'ep.child_present',
      safeEventText(canSeeSealed, sql<string | null>`ep.child_voice`).as('child_voice'), childDetail('where').as('child_where'), childDetail('demeanour').as('child_demeanour'),
    ])
    .where('ep.person_id', '=', child.id)
    .where('ep.role', '=', 'child')
    .where('e.kind', '=', 'police_da_incident')
    .orderBy('e.occurred_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!incident) return null;
  const date = londonDate(incident.occurred_at);
  const details = incident.details ?? {};
  const { rows: adults } = await sql<{ role: string; carer: boolean }>`
    SELECT ep.role, EXISTS (SELECT 1 FROM relationship r WHERE r.person_id = ep.person_id AND r.related_person_id = ${child.id} AND r.kind IN ('parent_of', 'carer_of')) AS carer
    FROM event_person ep WHERE ep.event_id = ${incident.id} AND ep.role IN ('adult_victim', 'alleged_perpetrator')`.execute(db);
  const injured = mentionsSomething(details['injuries']);
  const actions = Array.isArray(details['actions']) ? (details['actions'] as unknown[]) : [];
  const careImpacts: CareImpact[] = [];
  if (injured && adults.some((a) => a.role === 'adult_victim' && a.carer)) careImpacts.push('carer_injured');
  if (actions.includes('arrest') && adults.some((a) => a.role === 'alleged_perpetrator' && a.carer)) careImpacts.push('carer_arrested_or_removed');
  const missing = await db
    .selectFrom('event_person as ep')
    .innerJoin('event as e', 'e.id', 'ep.event_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ep.person_id', '=', child.id)
    .where('e.kind', '=', 'missing_episode')
    .where('e.occurred_at', '<=', incident.occurred_at)
    .where('e.occurred_at', '>', new Date(incident.occurred_at.getTime() - 365 * 86_400_000))
    .executeTakeFirstOrThrow();
  const agencies = await db
    .selectFrom('agency_record as r')
    .innerJoin('agency as g', 'g.id', 'r.agency_id')
    .select('g.name')
    .distinct()
    .where('r.person_id', '=', child.id)
    .where('g.kind', 'not in', ['police', 'childrens_social_care'])
    .orderBy('g.name')
    .execute();
  const settings = await loadRiskSettings(db, scope.actor.areaId);
  const dash = dashOfDetails(incident.kind, details, settings.dash);
  // The police checklist asks whether children or dependants were hurt (its question 11).
  const hurt = dash?.set === 'police_27' ? dash.answers[11]?.answer : undefined;
  const assessment = assessChildExperience({
    childId: child.id,
    incidentId: incident.id,
    incidentDate: date,
    ...(child.date_of_birth ? { dateOfBirth: child.date_of_birth } : { unborn: child.expected_date_of_birth !== null }),
    present: incident.child_present === true ? 'yes' : incident.child_present === false ? 'no' : 'not_known',
    ...(incident.child_where ? { where: incident.child_where } : {}),
    directlyHarmed: hurt === 'yes' ? 'yes' : hurt === 'no' ? 'no' : 'not_known',
    injuriesInIncident: mentionsSomething(details['injuries']),
    weaponInIncident: mentionsSomething(details['weapons']),
    ...(incident.child_voice ? { childSaid: incident.child_voice } : {}),
    ...(incident.child_demeanour ? { howTheySeemed: incident.child_demeanour } : {}),
    careImpacts,
    missingEpisodes: Number(missing.n),
    otherAgencies: agencies.map((a) => a.name),
  }, settings.childPriority);
  return {
    eventId: incident.id, date, reference: incident.source_ref, stage: ageStageLabels[assessment.stage], priority: assessment.priority,
    reasons: assessment.reasons, childSaid: assessment.childSaid, howTheySeemed: assessment.howTheySeemed,
  };
}

