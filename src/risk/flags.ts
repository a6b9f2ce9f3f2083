// Pattern flags for children and households, from their circles' events: computed with the pure
// rules (patterns.ts), then stored so that each flag keeps its history. A flag still raised is
// brought up to date; one no longer raised is cleared; one acknowledged stays as it was unless
// new events raise it again, which clears it and raises a new one for someone to look at.
import { sql, type Kysely } from 'kysely';
import type { Database, FlagSource } from '../db/schema';
import { londonDate } from '../calendar/london';
import { computePatternFlags, patternFlagLabels, type PatternConfig, type PatternEvent, type PatternFlag, type PatternFlagKind } from './patterns';
import {
  childCircles, eventIdsOf, householdCircles, loadEvents, newPartners, partnerEvent, subjectKey, toPatternEvent,
  type Circle, type StoredEvent, type Subject,
} from './sources';

export interface SubjectFlags {
  subject: Subject;
  flags: PatternFlag[];
}

const kindOrder = Object.keys(patternFlagLabels) as PatternFlagKind[];
/** Flags that look beyond the circle's own events: at the perpetrator's other victims, and a new partner's past. */
const lookingOutward: readonly PatternFlagKind[] = ['perpetrator_linked', 'new_partner_history'];

/**
 * The flags of each circle as at `asOf`. Most rules read the circle's own events; "perpetrator
 * linked" also reads every event of the alleged perpetrators in them, and "new partner with a
 * history" reads a recent partner's events outside the circle (their history elsewhere).
 */
export async function computeCircleFlags(
  db: Kysely<Database>, areaId: string, circles: readonly Circle[], asOf: Date, config: PatternConfig,
): Promise<SubjectFlags[]> {
  if (circles.length === 0) return [];
  const asOfDate = londonDate(asOf);
  const ownByPerson = await eventIdsOf(db, areaId, circles.flatMap((c) => c.members), true);
  const ownIds = new Map(circles.map((c) => [subjectKey(c.subject), new Set(c.members.flatMap((m) => ownByPerson.get(m) ?? []))]));
  const events = await loadEvents(db, areaId, [...ownIds.values()].flatMap((ids) => [...ids]));

  const perpetrators = new Map<string, string[]>();
  for (const circle of circles) {
    const found = new Set<string>();
    for (const id of ownIds.get(subjectKey(circle.subject)) ?? []) {
      for (const p of events.get(id)?.people ?? []) if (p.role === 'alleged_perpetrator') found.add(p.personId);
    }
    perpetrators.set(subjectKey(circle.subject), [...found]);
  }
  const partners = await newPartners(db, areaId, circles, asOfDate, config.newPartner.withinMonths);
  const outward = [...new Set([...[...perpetrators.values()].flat(), ...[...partners.values()].flat().map((p) => p.partnerId)])];
  const outwardByPerson = await eventIdsOf(db, areaId, outward, false);
  const missing = [...new Set([...outwardByPerson.values()].flat())].filter((id) => !events.has(id));
  for (const [id, event] of await loadEvents(db, areaId, missing)) events.set(id, event);

  return circles.map((circle) => {
    const key = subjectKey(circle.subject);
    const own = [...(ownIds.get(key) ?? [])].map((id) => events.get(id)).filter((e): e is StoredEvent => e !== undefined);
    const context = {
      victims: new Set(own.flatMap((e) => e.people.filter((p) => p.role === 'adult_victim').map((p) => p.personId))),
      carers: new Set(circle.carers),
    };
    const asRules = (list: Iterable<StoredEvent>) => [...list].map((e) => toPatternEvent(e, context)).filter((e): e is PatternEvent => e !== null);
    const ownEvents = asRules(own);
    const flags = new Map<PatternFlagKind, PatternFlag>();
    for (const f of computePatternFlags(ownEvents, asOf, config)) if (!lookingOutward.includes(f.kind)) flags.set(f.kind, f);

    const ownSet = new Set(own.map((e) => e.id));
    const elsewhere = (people: readonly string[]) =>
      [...new Set(people.flatMap((p) => outwardByPerson.get(p) ?? []))].filter((id) => !ownSet.has(id)).map((id) => events.get(id)).filter((e): e is StoredEvent => e !== undefined);
    const linked = computePatternFlags([...ownEvents, ...asRules(elsewhere(perpetrators.get(key) ?? []))], asOf, config).find((f) => f.kind === 'perpetrator_linked');
    if (linked) flags.set('perpetrator_linked', linked);
    const recent = partners.get(key) ?? [];
    if (recent.length > 0) {
      const history = asRules(elsewhere(recent.map((p) => p.partnerId)));
      const partner = computePatternFlags([...recent.map(partnerEvent), ...history], asOf, config).find((f) => f.kind === 'new_partner_history');
      if (partner) flags.set('new_partner_history', partner);
    }
    return { subject: circle.subject, flags: kindOrder.flatMap((k) => flags.get(k) ?? []) };
  });
}

/** Children and households, as circles on the day of `asOf`. */
export async function circlesOf(db: Kysely<Database>, areaId: string, subjects: { children: readonly string[]; households: readonly string[] }, asOf: Date): Promise<Circle[]> {
  const day = londonDate(asOf);
  const [children, households] = await Promise.all([childCircles(db, areaId, subjects.children, day), householdCircles(db, areaId, subjects.households, day)]);
  return [...children, ...households];
}

// ---- Storing

const sourcesOf = (flag: PatternFlag): FlagSource[] =>
  flag.eventIds.map((id, i) => {
    const date = flag.dates[i] ?? '';
    return id.startsWith('relationship:') ? { relationshipId: id.slice('relationship:'.length), date } : { eventId: id, date };
  });
const sourceKey = (s: FlagSource) => ('eventId' in s ? s.eventId : `relationship:${s.relationshipId}`);

export interface StoreOptions {
  now: Date;
  /** The event whose arrival is being recomputed, or null for a bulk computation. */
  eventId: string | null;
  /** Serialise recomputations of the same child or household (skipped by the single-writer demo seed). */
  lock: boolean;
}

export interface StoreOutcome {
  raised: number;
  updated: number;
  cleared: number;
}

/** Stores the flags computed for each subject against its open flags, as the module comment says. */
export async function storeFlags(db: Kysely<Database>, areaId: string, results: readonly SubjectFlags[], options: StoreOptions): Promise<StoreOutcome> {
  const outcome: StoreOutcome = { raised: 0, updated: 0, cleared: 0 };
  if (results.length === 0) return outcome;
  if (options.lock) {
    // One statement, taking the locks in the order of the keys (as every writer does, so two never wait on each other).
    const keys = results.map((r) => subjectKey(r.subject)).sort();
    await sql`SELECT count(pg_advisory_xact_lock(hashtextextended(k, 7235005))) FROM unnest(${keys}::text[]) WITH ORDINALITY AS u(k, n)`.execute(db);
  }
  const children = results.flatMap((r) => (r.subject.kind === 'child' ? [r.subject.personId] : []));
  const households = results.flatMap((r) => (r.subject.kind === 'household' ? [r.subject.householdId] : []));
  const open = await db
    .selectFrom('risk_flag')
    .select(['id', 'person_id', 'household_id', 'kind', 'raised_by', 'explanation', 'person_ids', 'acknowledged_at', 'raised_at'])
    .where('area_id', '=', areaId)
    .where('cleared_at', 'is', null)
    .where((eb) => eb.or([
      ...(children.length ? [eb('person_id', 'in', children)] : []),
      ...(households.length ? [eb('household_id', 'in', households)] : []),
    ]))
    .orderBy('raised_at', 'desc')
    .orderBy('id')
    .execute();

  const inserts: Parameters<typeof insertFlags>[1] = [];
  const updates: { id: string; explanation: string; raised_by: FlagSource[]; person_ids: readonly string[] }[] = [];
  const clear: string[] = [];
  for (const { subject, flags } of results) {
    const mine = open.filter((f) => (subject.kind === 'child' ? f.person_id === subject.personId : f.household_id === subject.householdId));
    for (const kind of kindOrder) {
      const [current, ...duplicates] = mine.filter((f) => f.kind === kind);
      clear.push(...duplicates.map((d) => d.id));
      const flag = flags.find((f) => f.kind === kind);
      if (!flag) {
        if (current) clear.push(current.id);
        continue;
      }
      const sources = sourcesOf(flag);
      const fresh = { subject, flag, sources };
      if (!current) {
        inserts.push(fresh);
        continue;
      }
      if (current.acknowledged_at) {
        const seen = new Set(current.raised_by.map(sourceKey));
        if (sources.some((s) => !seen.has(sourceKey(s)))) {
          clear.push(current.id);
          inserts.push(fresh);
        }
        continue;
      }
      // Compared field by field: jsonb gives an object's keys back in its own order, not the writer's.
      const same = current.explanation === flag.explanation
        && current.raised_by.length === sources.length
        && current.raised_by.every((s, i) => sourceKey(s) === sourceKey(sources[i] as FlagSource) && s.date === sources[i]?.date)
        && current.person_ids.length === flag.personIds.length && current.person_ids.every((id, i) => id === flag.personIds[i]);
      if (!same) updates.push({ id: current.id, explanation: flag.explanation, raised_by: sources, person_ids: flag.personIds });
    }
  }
  if (updates.length) {
    await sql`
      UPDATE risk_flag f SET explanation = u.explanation, raised_by = u.raised_by,
        person_ids = ARRAY(SELECT x.id::uuid FROM jsonb_array_elements_text(u.person_ids) WITH ORDINALITY AS x(id, n) ORDER BY x.n), updated_at = ${options.now}, version = f.version + 1
      FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS u(id uuid, explanation text, raised_by jsonb, person_ids jsonb)
      WHERE f.id = u.id`.execute(db);
    outcome.updated += updates.length;
  }
  if (clear.length) {
    await db.updateTable('risk_flag').set((eb) => ({ cleared_at: options.now, version: eb('version', '+', 1) })).where('id', 'in', clear).execute();
    outcome.cleared += clear.length;
  }
  outcome.raised += await insertFlags(db, inserts, areaId, options);
  return outcome;
}

async function insertFlags(
  db: Kysely<Database>, rows: { subject: Subject; flag: PatternFlag; sources: FlagSource[] }[], areaId: string, options: StoreOptions,
): Promise<number> {
  // In slices: one statement's parameters are limited (65,535 in PostgreSQL's protocol).
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insertInto('risk_flag')
      .values(rows.slice(i, i + 2000).map(({ subject, flag, sources }) => ({
        area_id: areaId,
        subject_kind: subject.kind,
        person_id: subject.kind === 'child' ? subject.personId : null,
        household_id: subject.kind === 'household' ? subject.householdId : null,
        kind: flag.kind,
        explanation: flag.explanation,
        raised_by: JSON.stringify(sources),
        person_ids: flag.personIds,
        raised_at: options.now,
        raised_on_event_id: options.eventId,
        updated_at: options.now,
      })))
      .execute();
  }
  return rows.length;
}
