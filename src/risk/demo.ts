// Risk for the demo area, computed after its history is loaded, as if each event had been
// recomputed on arrival: the DASH of every incident that carries one, the MARAC recommendation
// for each victim at each incident, and the flags of every child and household as at the start
// of the demo's today. Runs on the owner connection (the demo generator's), in batches.
import { sql, type Kysely } from 'kysely';
import { addDays } from '../calendar/dates';
import { londonInstant } from '../calendar/london';
import type { Database } from '../db/schema';
import { circlesOf, computeCircleFlags, storeFlags } from './flags';
import { patternFlagLabels, type PatternConfig, type PatternFlagKind } from './patterns';
import { riskSettingsOf } from './settings';
import { storeDashOfEvents, storeMaracRecommendations } from './store';

export interface RiskDemoResult {
  livedExperiences: number;
  dashAssessments: number;
  maracRecommendations: number;
  maracRecommended: number;
  /** Open flags by kind, of children and of households. */
  childFlags: Record<PatternFlagKind, number>;
  householdFlags: Record<PatternFlagKind, number>;
}

const batch = 1000;
/**
 * Batches run this many at a time, each on its own pooled connection, so that one batch's SQL
 * overlaps another's JavaScript (the embedded database's single connection takes them in turn).
 * Batches never share a subject, so they write disjoint rows.
 */
const lanes = 3;

async function inLanes<T>(batches: readonly T[], work: (batch: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < batches.length) await work(batches[next++] as T);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function seedRiskDemo(db: Kysely<Database>, areaId: string, options: { today: string }): Promise<RiskDemoResult> {
  const area = await db.selectFrom('area').select('settings').where('id', '=', areaId).executeTakeFirstOrThrow();
  const settings = riskSettingsOf(area.settings);
  const asOf = londonInstant(options.today, '00:00');

  const incidents = await db.selectFrom('event').select('id').where('area_id', '=', areaId).where('kind', '=', 'police_da_incident')
    .where('occurred_at', '<', asOf).orderBy('id').execute();
  let dashAssessments = 0;
  await inLanes(chunks(incidents.map((e) => e.id), batch), async (ids) => {
    dashAssessments += await storeDashOfEvents(db, areaId, ids, settings.dash);
  });

  const { rows: judged } = await sql<{ victimId: string; eventId: string }>`
    SELECT ep.person_id AS "victimId", e.id AS "eventId" FROM event e JOIN event_person ep ON ep.event_id = e.id
    WHERE e.area_id = ${areaId} AND e.kind = ANY(${settings.patterns.incidentKinds}::text[]) AND e.occurred_at < ${asOf}
      AND (ep.role = 'adult_victim' OR (ep.role = 'subject' AND e.kind <> 'police_da_incident'))
    ORDER BY ep.person_id, e.id`.execute(db);
  // Judgements are ordered by victim: each batch takes whole victims.
  const byVictim: (typeof judged)[] = [];
  for (const j of judged) {
    const last = byVictim.at(-1);
    const lastVictim = last?.at(-1)?.victimId;
    if (last && (last.length < batch || j.victimId === lastVictim)) last.push(j);
    else byVictim.push([j]);
  }
  let maracRecommended = 0;
  await inLanes(byVictim, async (part) => {
    const results = await storeMaracRecommendations(db, areaId, part, settings, asOf);
    maracRecommended += results.filter((r) => r.recommended).length;
  });

  // Every child of the area today, and every household with a child living in it today.
  const { rows: subjects } = await sql<{ kind: 'child' | 'household'; id: string }>`
    WITH children AS (
      SELECT id FROM person WHERE area_id = ${areaId} AND merged_into IS NULL
        AND (date_of_birth > (${options.today}::date - interval '18 years') OR (date_of_birth IS NULL AND expected_date_of_birth IS NOT NULL))
    )
    SELECT 'child' AS kind, id FROM children
    UNION
    SELECT 'household', m.household_id FROM household_member m JOIN children c ON c.id = m.person_id
    WHERE m.area_id = ${areaId} AND (m.from_date IS NULL OR m.from_date <= ${options.today}::date) AND (m.to_date IS NULL OR m.to_date > ${options.today}::date)
    ORDER BY 1, 2`.execute(db);
  const children = subjects.filter((s) => s.kind === 'child').map((s) => s.id);
  const households = subjects.filter((s) => s.kind === 'household').map((s) => s.id);
  await inLanes(chunks(children, batch), (part) => flagBatch(db, areaId, { children: part, households: [] }, asOf, settings.patterns));
  await inLanes(chunks(households, batch), (part) => flagBatch(db, areaId, { children: [], households: part }, asOf, settings.patterns));

  const livedExperiences = await writeLivedExperiences(db, areaId, options.today);

  const counts = await db.selectFrom('risk_flag').select(['subject_kind', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('area_id', '=', areaId).where('cleared_at', 'is', null).groupBy(['subject_kind', 'kind']).execute();
  const tally = (subject: 'child' | 'household') => Object.fromEntries((Object.keys(patternFlagLabels) as PatternFlagKind[])
    .map((kind) => [kind, Number(counts.find((c) => c.subject_kind === subject && c.kind === kind)?.n ?? 0)])) as Record<PatternFlagKind, number>;
  return { livedExperiences, dashAssessments, maracRecommendations: judged.length, maracRecommended, childFlags: tally('child'), householdFlags: tally('household') };
}

async function flagBatch(
  db: Kysely<Database>, areaId: string, subjects: { children: string[]; households: string[] }, asOf: Date, config: PatternConfig,
): Promise<void> {
  const circles = await circlesOf(db, areaId, subjects, asOf);
  const results = await computeCircleFlags(db, areaId, circles, asOf, config);
  await storeFlags(db, areaId, results.filter((r) => r.flags.length > 0), { now: asOf, eventId: null, lock: false });
}

/**
 * The demo social worker's lived-experience summaries for a few children whose abuse is
 * escalating and who said something the police recorded: who they live with, in the child's
 * voice, with their own words quoted as recorded. All fictional, like the rest of the area.
 */
async function writeLivedExperiences(db: Kysely<Database>, areaId: string, today: string): Promise<number> {
  const writer = await db.selectFrom('app_user').select('id').where('area_id', '=', areaId).where('role', '=', 'social_worker').where('kind', '=', 'person')
    .orderBy('id').executeTakeFirst();
  if (!writer) return 0;
  const { rows } = await sql<{ id: string; given_name: string; voice: string; carers: string[]; siblings: string[]; age: number }>`
    SELECT p.id, p.given_name, date_part('year', age(${today}::date, p.date_of_birth))::int AS age,
      (SELECT ep.child_voice FROM event_person ep JOIN event e ON e.id = ep.event_id
        WHERE ep.person_id = p.id AND ep.child_voice IS NOT NULL ORDER BY e.occurred_at DESC LIMIT 1) AS voice,
      coalesce((SELECT array_agg(CASE c.sex WHEN 'M' THEN 'Dad' ELSE 'Mum' END ORDER BY c.sex) FROM relationship r JOIN person c ON c.id = r.person_id
        WHERE r.related_person_id = p.id AND r.kind = 'parent_of' AND EXISTS (
          SELECT 1 FROM household_member a JOIN household_member b ON b.household_id = a.household_id
          WHERE a.person_id = p.id AND b.person_id = c.id AND a.to_date IS NULL AND b.to_date IS NULL)), '{}') AS carers,
      coalesce((SELECT array_agg(s.given_name ORDER BY s.date_of_birth) FROM relationship r
        JOIN person s ON s.id = CASE WHEN r.person_id = p.id THEN r.related_person_id ELSE r.person_id END
        WHERE r.kind = 'sibling_of' AND (r.person_id = p.id OR r.related_person_id = p.id) AND s.given_name IS NOT NULL), '{}') AS siblings
    FROM person p JOIN risk_flag f ON f.person_id = p.id AND f.kind = 'escalation' AND f.cleared_at IS NULL
    WHERE p.area_id = ${areaId} AND p.given_name IS NOT NULL AND p.date_of_birth <= (${today}::date - interval '6 years')
      AND EXISTS (SELECT 1 FROM event_person ep WHERE ep.person_id = p.id AND ep.child_voice IS NOT NULL)
    ORDER BY p.id
    LIMIT 5`.execute(db);
  const values = rows.map((child, i) => {
    const family = [...new Set(child.carers)].join(' and ') || 'my family';
    const brothersAndSisters = child.siblings.length ? ` and ${child.siblings.slice(0, 2).join(' and ')}` : '';
    const school = child.age < 11 ? 'I like school most days because it is quiet there.' : 'School is OK but I find it hard to concentrate after a bad night.';
    return {
      area_id: areaId, person_id: child.id, supersedes: null, written_by: writer.id, written_at: londonInstant(addDays(today, -(3 + i * 4)), '15:30'),
      summary: `I live with ${family}${brothersAndSisters}. When there is shouting at night I stay in my room and wait for it to stop. ${school} I want everyone at home to be safe.`,
      child_words: child.voice,
    };
  });
  if (values.length) await db.insertInto('lived_experience').values(values).execute();
  return values.length;
}
