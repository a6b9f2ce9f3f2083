// Retention: the area's rules say, for each kind of record, when it comes up for review (the
// periods and their sources are in README.md). Nothing is deleted by itself: an information
// governance officer reviews each record due and either keeps it until a later review, or
// deletes it, each with a reason, written to retention_decision (insert-only) and to the audit
// chain. A deletion takes the record's own parts with it (a contact's history, checks and
// shares), detaches what merely pointed at it, and is refused, naming them, while other records
// still refer to it; the audit chain itself is never pruned (it holds ids, not the records).
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { addDays } from '../calendar/dates';
import { londonDate } from '../calendar/london';
import { isValidCalendarDate } from '../chronology/dates';
import { isUuid } from '../db/uuid';
import { eventKindText } from '../frontdoor/present';
import { decisionLabels } from '../frontdoor/labels';
import type { ContactDecision, RetentionRecordType } from '../db/schema';
import { nowOf, type Clock } from '../frontdoor/time';
import { HearthError, notFound, validationFailed } from '../server/errors';
import { retentionTypeLabels } from './labels';
import { loadRetentionSettings, type RetentionSettings } from './settings';

export const retentionTypes = ['contact', 'event', 'notification', 'sensitive_note'] as const satisfies readonly RetentionRecordType[];

const years = (n: number) => sql`make_interval(years => ${n}::int)`;
const londonDay = (instant: RawBuilder<unknown>) => sql`(${instant} AT TIME ZONE 'Europe/London')::date`;

/**
 * For each record type, a query of (type, id, person_id, from_date, review_due, rule, what): when
 * each record comes up for review under the settings, and why.
 */
function dueQueries(s: RetentionSettings): Record<RetentionRecordType, RawBuilder<unknown>> {
  const c = s.contact;
  const e = s.event;
  const n = s.notification;
  const sn = s.sensitive_note;
  return {
    contact: sql`
      SELECT 'contact' AS type, x.id, x.child_person_id AS person_id, x.closed AS from_date, x.due AS review_due, x.rule, x.decision AS what
      FROM (
        SELECT k.id, k.child_person_id, ${londonDay(sql`k.closed_at`)} AS closed, k.decision,
          CASE
            WHEN k.decision = 'strategy_discussion' THEN (${londonDay(sql`k.closed_at`)} + ${years(c.childProtectionYears)})::date
            WHEN k.decision IN ('early_help', 'child_in_need_assessment') THEN greatest(
              (${londonDay(sql`k.closed_at`)} + ${years(c.noServicesYears)})::date,
              (coalesce(p.date_of_birth, p.expected_date_of_birth) + ${years(c.servicesUntilAge)})::date)
            ELSE (${londonDay(sql`k.closed_at`)} + ${years(c.noServicesYears)})::date
          END AS due,
          CASE
            WHEN k.decision = 'strategy_discussion' THEN ${`Strategy discussion: ${c.childProtectionYears} years after closing`}
            WHEN k.decision IN ('early_help', 'child_in_need_assessment') THEN ${`Services for the child: until their ${c.servicesUntilAge}th birthday (at least ${c.noServicesYears} years after closing)`}
            ELSE ${`No services: ${c.noServicesYears} years after closing`}
          END AS rule
        FROM contact k JOIN person p ON p.id = k.child_person_id
        WHERE k.stage = 'closed' AND k.closed_at IS NOT NULL) x`,
    event: sql`
      SELECT 'event' AS type, x.id, x.youngest_id AS person_id, x.day AS from_date,
        greatest((x.day + make_interval(years => x.years))::date, (x.youngest + ${years(e.childUntilAge)})::date) AS review_due,
        CASE WHEN x.youngest IS NOT NULL AND (x.youngest + ${years(e.childUntilAge)})::date > (x.day + make_interval(years => x.years))::date
          THEN ${`A child in it: until the youngest child's ${e.childUntilAge}th birthday`}
          ELSE x.agency_rule END AS rule,
        x.kind AS what
      FROM (
        SELECT ev.id, ev.kind, ${londonDay(sql`ev.occurred_at`)} AS day,
          CASE g.kind WHEN 'police' THEN ${e.policeYears}::int WHEN 'health' THEN ${e.healthYears}::int ELSE ${e.otherYears}::int END AS years,
          CASE g.kind WHEN 'police' THEN ${`Police record: ${e.policeYears} years after it happened`}
            WHEN 'health' THEN ${`Health record: ${e.healthYears} years after it happened`}
            ELSE ${`${e.otherYears} years after it happened`} END AS agency_rule,
          y.person_id AS youngest_id, y.born AS youngest
        FROM event ev JOIN agency g ON g.id = ev.agency_id
        LEFT JOIN LATERAL (
          SELECT p.id AS person_id, coalesce(p.date_of_birth, p.expected_date_of_birth) AS born FROM event_person ep JOIN person p ON p.id = ep.person_id
          WHERE ep.event_id = ev.id AND ep.role = 'child' ORDER BY born DESC NULLS LAST LIMIT 1) y ON true) x`,
    notification: sql`
      SELECT 'notification' AS type, nt.id, nt.person_id, ${londonDay(sql`nt.created_at`)} AS from_date,
        coalesce((p.date_of_birth + ${years(n.untilAge)})::date, (${londonDay(sql`nt.created_at`)} + ${years(n.fallbackYears)})::date) AS review_due,
        CASE WHEN p.date_of_birth IS NOT NULL THEN ${`Until the child's ${n.untilAge}th birthday`} ELSE ${`Date of birth not known: ${n.fallbackYears} years after it was sent`} END AS rule,
        nt.kind AS what
      FROM notification nt LEFT JOIN person p ON p.id = nt.person_id`,
    sensitive_note: sql`
      SELECT 'sensitive_note' AS type, sn.id, sn.person_id, ${londonDay(sql`sn.recorded_at`)} AS from_date,
        CASE WHEN p.date_of_birth IS NOT NULL AND (p.date_of_birth + ${years(18)})::date > ${londonDay(sql`sn.recorded_at`)}
          THEN (p.date_of_birth + ${years(sn.childUntilAge)})::date
          ELSE (${londonDay(sql`sn.recorded_at`)} + ${years(sn.adultYears)})::date END AS review_due,
        CASE WHEN p.date_of_birth IS NOT NULL AND (p.date_of_birth + ${years(18)})::date > ${londonDay(sql`sn.recorded_at`)}
          THEN ${`About a child: until their ${sn.childUntilAge}th birthday`} ELSE ${`About an adult: ${sn.adultYears} years after it was recorded`} END AS rule,
        sn.category AS what
      FROM sensitive_note sn JOIN person p ON p.id = sn.person_id`,
  };
}

interface DueRow {
  type: RetentionRecordType; id: string; person_id: string | null; from_date: string; review_due: string; rule: string; what: string | null;
  given_name: string | null; family_name: string | null;
}

export interface DueRecord {
  type: RetentionRecordType;
  typeText: string;
  id: string;
  personId: string | null;
  personName: string | null;
  description: string;
  fromDate: string;
  reviewDue: string;
  rule: string;
}

function describe(type: RetentionRecordType, what: string | null): string {
  switch (type) {
    case 'contact': return `Closed: ${what ? decisionLabels[what as ContactDecision] ?? what : 'no decision recorded'}`;
    case 'event': return eventKindText(what ?? '');
    case 'notification': return what === 'operation_encompass' ? 'Operation Encompass notification' : (what ?? '').replaceAll('_', ' ');
    case 'sensitive_note': return 'Sensitive note';
  }
}

function dueRecordOf(r: DueRow): DueRecord {
  return {
    type: r.type, typeText: retentionTypeLabels[r.type], id: r.id, personId: r.person_id,
    personName: r.person_id ? [r.given_name, r.family_name].filter(Boolean).join(' ') || 'Name not known' : null,
    description: describe(r.type, r.what), fromDate: r.from_date, reviewDue: r.review_due, rule: r.rule,
  };
}

export const retentionPageSize = 50;

export const dueFilterSchema = z.object({
  type: z.enum(retentionTypes).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type DueFilter = z.infer<typeof dueFilterSchema>;

/** Records due for review today (London), oldest due first, unless a decision keeps them until later. */
export async function listDue(scope: Scope, filter: DueFilter, clock?: Clock): Promise<{ records: DueRecord[]; total: number }> {
  const today = londonDate(nowOf(clock));
  const queries = dueQueries(await loadRetentionSettings(scope.db, scope.actor.areaId));
  const chosen = filter.type ? [queries[filter.type]] : retentionTypes.map((t) => queries[t]);
  const { rows } = await sql<DueRow & { total: number }>`
    SELECT d.*, p.given_name, p.family_name, count(*) OVER () AS total
    FROM (${sql.join(chosen, sql` UNION ALL `)}) d
    LEFT JOIN person p ON p.id = d.person_id
    WHERE d.review_due <= ${today}::date
      AND NOT EXISTS (SELECT 1 FROM retention_decision r WHERE r.record_type = d.type AND r.record_id = d.id AND r.decision = 'retain' AND r.retain_until > ${today}::date)
    ORDER BY d.review_due, d.type, d.id
    LIMIT ${retentionPageSize} OFFSET ${(filter.page - 1) * retentionPageSize}`.execute(scope.db);
  scope.audit({ action: 'retention.list', details: { type: filter.type ?? null, page: filter.page, shown: rows.map((r) => r.id) } });
  return { records: rows.map(dueRecordOf), total: Number(rows[0]?.total ?? 0) };
}

/** What deleting a record of each type takes with it, and what it detaches (sets to null). */
const deletionPlans: Record<RetentionRecordType, { table: string; parts: { table: string; column: string }[]; detach: { table: string; column: string }[] }> = {
  contact: {
    table: 'contact',
    parts: [{ table: 'information_share', column: 'contact_id' }, { table: 'contact_history', column: 'contact_id' }, { table: 'agency_check', column: 'contact_id' }],
    detach: [],
  },
  event: {
    table: 'event',
    parts: [{ table: 'event_person', column: 'event_id' }, { table: 'dash_assessment', column: 'event_id' }, { table: 'marac_recommendation', column: 'event_id' }],
    detach: [{ table: 'relationship', column: 'source_event_id' }, { table: 'risk_flag', column: 'raised_on_event_id' }],
  },
  notification: { table: 'notification', parts: [], detach: [] },
  sensitive_note: { table: 'sensitive_note', parts: [], detach: [] },
};

interface Reference {
  table: string;
  column: string;
  referenced: string;
}

/** Every foreign key into these tables, from the catalogue: new tables are covered without a change here. */
async function referencesInto(scope: Scope, tables: string[]): Promise<Reference[]> {
  const { rows } = await sql<Reference>`
    SELECT c.conrelid::regclass::text AS table, a.attname AS column, c.confrelid::regclass::text AS referenced
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(${tables}::text[])`.execute(scope.db);
  return rows;
}

async function existingTables(scope: Scope, tables: string[]): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`SELECT t AS name FROM unnest(${tables}::text[]) t WHERE to_regclass(t) IS NOT NULL`.execute(scope.db);
  return new Set(rows.map((r) => r.name));
}

const count = async (scope: Scope, table: string, column: string, ids: string[]): Promise<number> => {
  if (ids.length === 0) return 0;
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ANY(${ids}::uuid[])`.execute(scope.db);
  return Number(rows[0]?.n ?? 0);
};

export interface DeletionPlan {
  /** Rows that would go, or be detached, per table. */
  rows: Record<string, number>;
  /** Other records still referring to it: deletion is refused while there are any. */
  blockers: { table: string; count: number }[];
}

async function planDeletion(scope: Scope, type: RetentionRecordType, id: string): Promise<DeletionPlan> {
  const plan = deletionPlans[type];
  const present = await existingTables(scope, [...plan.parts, ...plan.detach].map((p) => p.table));
  const parts = plan.parts.filter((p) => present.has(p.table));
  const detach = plan.detach.filter((p) => present.has(p.table));
  const rows: Record<string, number> = { [plan.table]: 1 };
  const partIds = new Map<string, string[]>([[plan.table, [id]]]);
  for (const part of parts) {
    const { rows: found } = await sql<{ id: string }>`SELECT id FROM ${sql.table(part.table)} WHERE ${sql.ref(part.column)} = ${id}::uuid`.execute(scope.db);
    rows[part.table] = (rows[part.table] ?? 0) + found.length;
    partIds.set(part.table, [...(partIds.get(part.table) ?? []), ...found.map((r) => r.id)]);
  }
  for (const link of detach) {
    const n = await count(scope, link.table, link.column, [id]);
    if (n) rows[`${link.table}.${link.column} (detached)`] = n;
  }
  const handled = new Set([...parts, ...detach].map((p) => `${p.table}.${p.column}`));
  const partTables = new Set(parts.map((p) => p.table));
  const blockers: { table: string; count: number }[] = [];
  for (const ref of await referencesInto(scope, [...partIds.keys()])) {
    // A part referring to another part of the same record goes with it.
    if (handled.has(`${ref.table}.${ref.column}`) || partTables.has(ref.table)) continue;
    const n = await count(scope, ref.table, ref.column, partIds.get(ref.referenced) ?? []);
    if (n) blockers.push({ table: ref.table, count: n });
  }
  return { rows, blockers };
}

export interface RetentionRecordView {
  record: DueRecord;
  deletion: DeletionPlan;
  due: boolean;
  decisions: { decision: 'retain' | 'delete'; reason: string; retainUntil: string | null; decidedBy: string; decidedAt: Date }[];
}

async function findDue(scope: Scope, type: RetentionRecordType, id: string): Promise<DueRecord | null> {
  const query = dueQueries(await loadRetentionSettings(scope.db, scope.actor.areaId))[type];
  const { rows } = await sql<DueRow>`
    SELECT d.*, p.given_name, p.family_name FROM (${query}) d LEFT JOIN person p ON p.id = d.person_id WHERE d.id = ${id}::uuid`.execute(scope.db);
  return rows[0] ? dueRecordOf(rows[0]) : null;
}

const isRetentionType = (value: string): value is RetentionRecordType => (retentionTypes as readonly string[]).includes(value);

/** One record under review: its rule and due date, what deleting it would take, and earlier decisions. */
export async function viewRetentionRecord(scope: Scope, type: string, id: string, clock?: Clock): Promise<RetentionRecordView> {
  const record = isRetentionType(type) && isUuid(id) ? await findDue(scope, type, id) : null;
  scope.audit({ action: 'retention.view', recordType: type, recordId: id, ...(record?.personId ? { subjectPersonId: record.personId } : {}) });
  if (!record || !isRetentionType(type)) throw notFound('The record');
  const decisions = await scope.db
    .selectFrom('retention_decision as r')
    .innerJoin('app_user as u', 'u.id', 'r.decided_by')
    .select(['r.decision', 'r.reason', 'r.retain_until', 'u.display_name', 'r.decided_at'])
    .where('r.record_type', '=', type)
    .where('r.record_id', '=', id)
    .orderBy('r.decided_at', 'desc')
    .execute();
  const today = londonDate(nowOf(clock));
  const keptUntil = decisions.find((d) => d.decision === 'retain' && d.retain_until && d.retain_until > today);
  return {
    record,
    deletion: await planDeletion(scope, type, id),
    due: record.reviewDue <= today && !keptUntil,
    decisions: decisions.map((d) => ({ decision: d.decision, reason: d.reason, retainUntil: d.retain_until, decidedBy: d.display_name, decidedAt: d.decided_at })),
  };
}

export const decisionSchema = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('retain'),
    reason: z.string({ error: 'Say why it should be kept' }).trim().min(10, 'Say why it should be kept, in at least 10 characters').max(2000, 'Keep the reason to 2000 characters or fewer'),
    retainUntil: z.string({ error: 'Enter the date of the next review, like 2030-03-27' }).trim().refine(isValidCalendarDate, 'Enter the date of the next review, like 2030-03-27'),
  }),
  z.object({
    decision: z.literal('delete'),
    reason: z.string({ error: 'Say why it can be deleted' }).trim().min(10, 'Say why it can be deleted, in at least 10 characters').max(2000, 'Keep the reason to 2000 characters or fewer'),
    confirm: z.literal('yes', { error: 'Confirm that the record is to be deleted for good' }),
  }),
], { error: 'Choose whether to keep the record or delete it' });

/** Keeps a record due for review until a later date, or deletes it; either way explained and recorded for good. */
export async function decideRetention(scope: Scope, type: string, id: string, input: Record<string, unknown>, clock?: Clock): Promise<'retain' | 'delete'> {
  const view = await viewRetentionRecord(scope, type, id, clock);
  const recordType = view.record.type;
  const parsed = decisionSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'decision', message: i.message })));
  if (!view.due) throw new HearthError('conflict', `This record is not due for review until ${view.record.reviewDue}.`);
  const today = londonDate(nowOf(clock));
  const base = {
    area_id: scope.actor.areaId, record_type: recordType, record_id: id, reason: parsed.data.reason, rule: view.record.rule,
    review_due: view.record.reviewDue, decided_by: scope.actor.userId,
  };
  const subject = view.record.personId ? { subjectPersonId: view.record.personId } : {};
  if (parsed.data.decision === 'retain') {
    const until = parsed.data.retainUntil;
    if (until <= today || until > addDays(today, 36_525)) throw validationFailed([{ field: 'retainUntil', message: 'The next review must be after today and within 100 years' }]);
    await scope.db.insertInto('retention_decision').values({ ...base, decision: 'retain', retain_until: until }).execute();
    scope.audit({ action: 'retention.retain', recordType, recordId: id, reason: parsed.data.reason, ...subject, details: { retainUntil: until, rule: view.record.rule } });
    return 'retain';
  }
  if (view.deletion.blockers.length) {
    throw new HearthError('conflict', `Other records still refer to it: ${view.deletion.blockers.map((b) => `${b.count} in ${b.table}`).join(', ')}. Review those first.`);
  }
  const plan = deletionPlans[recordType];
  const present = await existingTables(scope, [...plan.parts, ...plan.detach].map((p) => p.table));
  for (const link of plan.detach.filter((p) => present.has(p.table))) {
    await sql`UPDATE ${sql.table(link.table)} SET ${sql.ref(link.column)} = NULL WHERE ${sql.ref(link.column)} = ${id}::uuid`.execute(scope.db);
  }
  for (const part of plan.parts.filter((p) => present.has(p.table))) {
    await sql`DELETE FROM ${sql.table(part.table)} WHERE ${sql.ref(part.column)} = ${id}::uuid`.execute(scope.db);
  }
  await sql`DELETE FROM ${sql.table(plan.table)} WHERE id = ${id}::uuid`.execute(scope.db);
  await scope.db.insertInto('retention_decision').values({ ...base, decision: 'delete', deleted_rows: JSON.stringify(view.deletion.rows) }).execute();
  scope.audit({ action: 'retention.delete', recordType, recordId: id, reason: parsed.data.reason, ...subject, details: { deletedRows: view.deletion.rows, rule: view.record.rule } });
  return 'delete';
}

/** The latest decisions, newest first, for the review page. */
export async function recentDecisions(scope: Scope): Promise<{ type: RetentionRecordType; typeText: string; recordId: string; decision: 'retain' | 'delete'; reason: string; retainUntil: string | null; decidedBy: string; decidedAt: Date }[]> {
  const rows = await scope.db
    .selectFrom('retention_decision as r')
    .innerJoin('app_user as u', 'u.id', 'r.decided_by')
    .select(['r.record_type', 'r.record_id', 'r.decision', 'r.reason', 'r.retain_until', 'u.display_name', 'r.decided_at'])
    .orderBy('r.decided_at', 'desc')
    .limit(20)
    .execute();
  return rows.map((r) => ({
    type: r.record_type, typeText: retentionTypeLabels[r.record_type], recordId: r.record_id, decision: r.decision, reason: r.reason,
    retainUntil: r.retain_until, decidedBy: r.display_name, decidedAt: r.decided_at,
  }));
}
