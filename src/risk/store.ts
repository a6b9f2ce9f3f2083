// Storing what the rules find about adult victims: the DASH checklist of each incident (from the
// answers the police sent with it), and the MARAC recommendation judged at each incident. Every
// query names the area, for the gate and the owner connection of the demo seed alike.
import { sql, type Kysely } from 'kysely';
import { londonDate } from '../calendar/london';
import type { Database } from '../db/schema';
import { assessDash, dashAnswersSchema, type DashAnswers, type DashAssessment, type DashConfig, type DashSet } from './dash';
import { evaluateMarac, type MaracConfig, type MaracRecommendation } from './marac';
import type { RiskSettings } from './settings';

// ---- DASH

/**
 * The DASH checklist an event's details carry, in either stored shape: as intake stores it
 * ({set, answers: {"1": {answer, note}}}) or as answers alone ({"1": "yes"}), scored on the
 * area's thresholds. Null when there is none, or it cannot be read.
 */
export function dashOfDetails(kind: string, details: Record<string, unknown>, config: DashConfig): { set: DashSet; answers: DashAnswers; assessment: DashAssessment } | null {
  const dash = details['dash'];
  if (!dash || typeof dash !== 'object' || Array.isArray(dash)) return null;
  const given = dash as { set?: unknown; answers?: unknown };
  const raw = (given.answers && typeof given.answers === 'object' ? given.answers : dash) as Record<string, unknown>;
  const entries = Object.entries(raw).map(([q, a]) => [q, typeof a === 'string' ? { answer: a } : a] as const);
  if (entries.length === 0) return null;
  const set: DashSet = given.set === 'safelives_24' || given.set === 'police_27'
    ? given.set
    : kind.startsWith('police') || entries.some(([q]) => Number(q) > 24) ? 'police_27' : 'safelives_24';
  const parsed = dashAnswersSchema(set).safeParse(Object.fromEntries(entries));
  if (!parsed.success) return null;
  return { set, answers: parsed.data, assessment: assessDash(set, parsed.data, { config }) };
}

/** Stores the DASH of each of these events that carries one (once per event), for its adult victim. */
export async function storeDashOfEvents(db: Kysely<Database>, areaId: string, eventIds: readonly string[], config: DashConfig): Promise<number> {
  if (eventIds.length === 0) return 0;
  const { rows } = await sql<{ id: string; kind: string; occurred_at: Date; dash: unknown; recorded_by: string | null; victim: string | null }>`
    SELECT e.id, e.kind, e.occurred_at, e.details -> 'dash' AS dash, e.recorded_by,
      (SELECT ep.person_id FROM event_person ep WHERE ep.event_id = e.id AND ep.role = 'adult_victim' ORDER BY ep.id LIMIT 1) AS victim
    FROM event e
    WHERE e.area_id = ${areaId} AND e.id = ANY(${[...eventIds]}::uuid[]) AND e.details ? 'dash' AND jsonb_typeof(e.details -> 'dash') = 'object'`.execute(db);
  const values = rows.flatMap((r) => {
    const found = dashOfDetails(r.kind, { dash: r.dash }, config);
    if (!found) return [];
    const a = found.assessment;
    return [{
      area_id: areaId, event_id: r.id, victim_person_id: r.victim, question_set: found.set, answers: JSON.stringify(found.answers),
      score: a.score, threshold: a.threshold, scored_level: a.scoredLevel, level: a.level, assessed_at: r.occurred_at, recorded_by: r.recorded_by,
    }];
  });
  for (let i = 0; i < values.length; i += 2000) {
    await db.insertInto('dash_assessment').values(values.slice(i, i + 2000)).onConflict((oc) => oc.column('event_id').doNothing()).execute();
  }
  return values.length;
}

// ---- MARAC

interface VictimHistory {
  incidents: { id: string; date: string; agency: string }[];
  /** DASH checklists, oldest first. */
  dash: { eventId: string; on: string; score: number; threshold: number; level: string; scoredLevel: string; judgementReason: string | null }[];
  /** Days on which a MARAC referral of theirs was authorised at the front door. */
  maracs: string[];
}

/** Each victim's incidents (as victim, or as the subject of another agency's disclosure), checklists and MARAC referrals. */
async function victimHistories(db: Kysely<Database>, areaId: string, victimIds: readonly string[], incidentKinds: readonly string[]): Promise<Map<string, VictimHistory>> {
  const histories = new Map<string, VictimHistory>(victimIds.map((v) => [v, { incidents: [], dash: [], maracs: [] }]));
  if (victimIds.length === 0) return histories;
  const victims = [...new Set(victimIds)];
  const [incidents, dash, maracs] = await Promise.all([
    sql<{ victim: string; id: string; occurred_at: Date; agency: string }>`
      SELECT DISTINCT ep.person_id AS victim, e.id, e.occurred_at, g.name AS agency
      FROM event_person ep JOIN event e ON e.id = ep.event_id JOIN agency g ON g.id = e.agency_id
      WHERE ep.area_id = ${areaId} AND ep.person_id = ANY(${victims}::uuid[]) AND e.kind = ANY(${[...incidentKinds]}::text[])
        AND (ep.role = 'adult_victim' OR (ep.role = 'subject' AND e.kind <> 'police_da_incident'))
      ORDER BY e.occurred_at, e.id`.execute(db),
    db.selectFrom('dash_assessment')
      .select(['victim_person_id', 'event_id', 'assessed_at', 'score', 'threshold', 'level', 'scored_level', 'judgement_reason'])
      .where('area_id', '=', areaId)
      .where('victim_person_id', 'in', victims)
      .orderBy('assessed_at')
      .orderBy('id')
      .execute(),
    sql<{ victim: string; decided_at: Date }>`
      SELECT v.person_id AS victim, c.decided_at FROM contact c JOIN event_person v ON v.event_id = c.event_id AND v.role = 'adult_victim'
      WHERE c.area_id = ${areaId} AND c.marac_referral AND c.authorised_at IS NOT NULL AND c.decided_at IS NOT NULL AND v.person_id = ANY(${victims}::uuid[])`.execute(db),
  ]);
  for (const r of incidents.rows) histories.get(r.victim)?.incidents.push({ id: r.id, date: londonDate(r.occurred_at), agency: r.agency });
  for (const r of dash) {
    if (!r.victim_person_id) continue;
    histories.get(r.victim_person_id)?.dash.push({
      eventId: r.event_id, on: londonDate(r.assessed_at), score: r.score, threshold: r.threshold, level: r.level, scoredLevel: r.scored_level, judgementReason: r.judgement_reason,
    });
  }
  for (const r of maracs.rows) histories.get(r.victim)?.maracs.push(londonDate(r.decided_at));
  return histories;
}

/**
 * The MARAC criteria for a victim as at a day: their latest checklist by then (its score, and a
 * professional judgement that raised it to high), their incidents, and their last MARAC referral.
 */
function maracAt(history: VictimHistory, asOf: string, config: MaracConfig): MaracRecommendation {
  const latest = history.dash.filter((d) => d.on <= asOf).at(-1);
  const lastMarac = history.maracs.filter((d) => d <= asOf).sort().at(-1);
  return evaluateMarac({
    asOf,
    incidents: history.incidents,
    dash: latest ? { score: latest.score, threshold: latest.threshold, assessedOn: latest.on, incidentId: latest.eventId } : null,
    professionalJudgement: latest && latest.level === 'high' && latest.scoredLevel !== 'high' && latest.judgementReason
      ? { reason: latest.judgementReason, incidentId: latest.eventId }
      : null,
    lastMaracOn: lastMarac ?? null,
  }, config);
}

/**
 * Judges and stores the MARAC recommendation of each victim at each incident given (judged on the
 * incident's London date); judging the same incident again replaces its recommendation.
 */
export async function storeMaracRecommendations(
  db: Kysely<Database>, areaId: string, judged: readonly { victimId: string; eventId: string }[], settings: RiskSettings, now: Date,
): Promise<MaracRecommendation[]> {
  if (judged.length === 0) return [];
  const histories = await victimHistories(db, areaId, judged.map((j) => j.victimId), settings.patterns.incidentKinds);
  const results: MaracRecommendation[] = [];
  const values = judged.flatMap(({ victimId, eventId }) => {
    const history = histories.get(victimId);
    const incident = history?.incidents.find((i) => i.id === eventId);
    if (!history || !incident) return [];
    const recommendation = maracAt(history, incident.date, settings.marac);
    results.push(recommendation);
    return [{
      area_id: areaId, victim_person_id: victimId, event_id: eventId, as_of: incident.date, recommended: recommendation.recommended,
      criteria: JSON.stringify(recommendation.criteria), computed_at: now,
    }];
  });
  for (let i = 0; i < values.length; i += 2000) {
    await db
      .insertInto('marac_recommendation')
      .values(values.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(['event_id', 'victim_person_id']).doUpdateSet((eb) => ({
        recommended: eb.ref('excluded.recommended'), criteria: eb.ref('excluded.criteria'), computed_at: eb.ref('excluded.computed_at'), as_of: eb.ref('excluded.as_of'),
      })))
      .execute();
  }
  return results;
}
