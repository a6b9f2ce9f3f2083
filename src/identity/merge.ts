// Merging two people into one, and splitting a person back into the agency records they were made
// of (unmerge). Both keep full history (person_merge, person_split, person_link) and are audited.
// A merge is refused when hard evidence says they are two people. What moves: every row that
// refers to the person; on a split, the rows that came with the records split off (addresses and
// events through their agency record; contacts, shares, notifications, relationships, DASH assessments
// and MARAC criteria through those events), and, when the split undoes a merge exactly, the rows that merge moved.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Scope } from '../access/gate';
import type { Database } from '../db/schema';
import { isUuid } from '../db/uuid';
import { isValidNhsNumber } from '../linkage';
import { HearthError, notFound, validationFailed } from '../server/errors';
import { refreshDisplay } from './persons';

/**
 * Every column that refers to a person, other than history (person.merged_into, person_merge,
 * person_split). A merge re-points them all; merge.test.ts checks this list against the schema,
 * so a new table referring to people cannot be forgotten.
 */
export const personReferences = [
  ['agency_record', 'person_id'],
  ['person_address', 'person_id'],
  ['event_person', 'person_id'],
  ['household_member', 'person_id'],
  ['relationship', 'person_id'],
  ['relationship', 'related_person_id'],
  ['education', 'person_id'],
  ['contact', 'child_person_id'],
  ['information_share', 'person_id'],
  ['notification', 'person_id'],
  ['identity_review', 'candidate_person_id'],
  ['dash_assessment', 'victim_person_id'],
  ['marac_recommendation', 'victim_person_id'],
  ['risk_flag', 'person_id'],
  ['lived_experience', 'person_id'],
  ['case_allocation', 'person_id'],
  ['break_glass', 'person_id'],
  ['sensitive_note', 'person_id'],
] as const;

/** The key in person_merge.moved of the allocations a merge ended (see endDuplicateAllocations). */
const endedAllocations = 'case_allocation.ended';

/** The person a (possibly merged) person now is, or null when there is no such person in scope. */
export async function livePersonId(db: Kysely<Database>, id: string): Promise<string | null> {
  if (!isUuid(id)) return null;
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE chain(id, merged_into, hops) AS (
      SELECT id, merged_into, 0 FROM person WHERE id = ${id}
      UNION ALL
      SELECT p.id, p.merged_into, c.hops + 1 FROM person p JOIN chain c ON p.id = c.merged_into WHERE c.hops < 20
    )
    SELECT id FROM chain WHERE merged_into IS NULL`.execute(db);
  return rows[0]?.id ?? null;
}

function formatNhs(n: string): string {
  return `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
}

/**
 * Why two people must not be made one, in plain words, or null when nothing hard stands against
 * it: different valid NHS numbers, a reviewer's decision that they are different people, both
 * named in one event, or a relationship between them.
 */
export async function hardEvidenceAgainst(db: Kysely<Database>, a: string, b: string): Promise<string | null> {
  const { rows } = await sql<{ person_id: string; nhs_number: string }>`
    SELECT DISTINCT person_id, nhs_number FROM agency_record WHERE person_id IN (${a}, ${b}) AND nhs_number IS NOT NULL`.execute(db);
  const valid = (id: string) => new Set(rows.filter((r) => r.person_id === id && isValidNhsNumber(r.nhs_number)).map((r) => r.nhs_number));
  const [nhsA, nhsB] = [valid(a), valid(b)];
  if (nhsA.size > 0 && nhsB.size > 0 && ![...nhsA].some((n) => nhsB.has(n))) {
    return `They have different NHS numbers (${[...nhsA].map(formatNhs).join(', ')} and ${[...nhsB].map(formatNhs).join(', ')}), so they are two people. If one number is wrong, the agency that holds it must correct it first.`;
  }
  const { rows: facts } = await sql<{ decided: string | null; decided_at: Date | null; together: number; related: string | null }>`
    SELECT
      (SELECT v.decision_reason FROM identity_review v
        JOIN agency_record x ON x.id = v.agency_record_id JOIN agency_record y ON y.id = v.candidate_record_id
        WHERE v.decision = 'different' AND ((x.person_id = ${a} AND y.person_id = ${b}) OR (x.person_id = ${b} AND y.person_id = ${a}))
        ORDER BY v.decided_at DESC LIMIT 1) AS decided,
      (SELECT v.decided_at FROM identity_review v
        JOIN agency_record x ON x.id = v.agency_record_id JOIN agency_record y ON y.id = v.candidate_record_id
        WHERE v.decision = 'different' AND ((x.person_id = ${a} AND y.person_id = ${b}) OR (x.person_id = ${b} AND y.person_id = ${a}))
        ORDER BY v.decided_at DESC LIMIT 1) AS decided_at,
      (SELECT count(*)::int FROM event_person p JOIN event_person q ON q.event_id = p.event_id WHERE p.person_id = ${a} AND q.person_id = ${b}) AS together,
      (SELECT kind FROM relationship WHERE (person_id = ${a} AND related_person_id = ${b}) OR (person_id = ${b} AND related_person_id = ${a}) LIMIT 1) AS related`.execute(db);
  const f = facts[0];
  if (f?.decided_at) return `A reviewer decided on ${f.decided_at.toISOString().slice(0, 10)} that they are different people: "${f.decided}". Record them as different, or ask that reviewer.`;
  if (f && f.together > 0) return 'They are both named in the same event, as two different people.';
  if (f?.related) return `They are recorded as related to each other (${f.related.replace(/_/g, ' ')}), so they are two people.`;
  return null;
}

interface LivePair {
  kept: string;
  merged: string;
}

/** Locks both people (in a fixed order, so two merges of the same pair cannot deadlock) and checks they are live. */
async function lockPair(db: Kysely<Database>, keepId: string, mergeId: string): Promise<LivePair> {
  const kept = await livePersonId(db, keepId);
  const merged = await livePersonId(db, mergeId);
  if (!kept) throw notFound('The person');
  if (!merged) throw notFound('The other person');
  if (kept === merged) throw new HearthError('conflict', 'These are already the same person.');
  const locked = await db.selectFrom('person').select(['id', 'merged_into']).where('id', 'in', [kept, merged]).orderBy('id').forUpdate().execute();
  if (locked.length !== 2 || locked.some((p) => p.merged_into !== null)) throw new HearthError('conflict', 'One of these people was merged by someone else just now. Reload the page and try again.');
  return { kept, merged };
}

export interface MergeInput {
  keepPersonId: string;
  mergePersonId: string;
  reason: string;
  /** The review whose "same person" decision this merge carries out. */
  reviewId?: string;
}

export interface Merged {
  mergeId: string;
  keptPersonId: string;
  mergedPersonId: string;
}

/**
 * Makes two people one: everything that refers to the merged person moves to the kept one, the
 * merged person points at the kept one (their page redirects), and the history says which rows
 * moved, so the merge can be undone exactly. Refused with the reason when hard evidence is against.
 */
export async function mergePersons(scope: Scope, input: MergeInput): Promise<Merged> {
  const reason = input.reason.trim();
  if (!reason) throw validationFailed([{ field: 'reason', message: 'Enter why these are the same person' }]);
  const { kept, merged } = await lockPair(scope.db, input.keepPersonId, input.mergePersonId);
  const against = await hardEvidenceAgainst(scope.db, kept, merged);
  if (against) throw new HearthError('conflict', `These people cannot be merged. ${against}`);

  const records = await scope.db.selectFrom('agency_record').select('id').where('person_id', '=', merged).execute();
  const moved: Record<string, string[]> = {};
  const ended = await endDuplicateAllocations(scope, kept, merged);
  if (ended.length > 0) moved[endedAllocations] = ended;
  for (const [table, column] of personReferences) {
    const key = `${table}.${column}`;
    const { rows } = await sql<{ id: string }>`
      UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${kept} WHERE ${sql.ref(column)} = ${merged} RETURNING id::text AS id`.execute(scope.db);
    if (rows.length > 0) moved[key] = rows.map((r) => r.id);
  }
  const recordIds = records.map((r) => r.id);
  await relink(scope, recordIds, kept, 'merge', reason);
  await scope.db.updateTable('person').set((eb) => ({ merged_into: kept, updated_at: new Date(), version: eb('version', '+', 1) })).where('id', '=', merged).execute();
  await refreshDisplay(scope.db, [kept]);
  const row = await scope.db
    .insertInto('person_merge')
    .values({
      area_id: scope.actor.areaId, kept_person_id: kept, merged_person_id: merged, review_id: input.reviewId ?? null, reason,
      merged_by: scope.actor.userId, agency_record_ids: recordIds, moved: JSON.stringify(moved),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const subject of [kept, merged]) {
    scope.audit({
      action: 'identity.merge', recordType: 'person_merge', recordId: row.id, subjectPersonId: subject, reason,
      details: { keptPersonId: kept, mergedPersonId: merged, agencyRecords: recordIds.length, ...(input.reviewId ? { reviewId: input.reviewId } : {}) },
    });
  }
  return { mergeId: row.id, keptPersonId: kept, mergedPersonId: merged };
}

/**
 * A team holding both people's cases holds one case after the merge: the merged person's
 * allocation to that team ends (and moves with the rest, as history). Returns the ones ended, so
 * that undoing the merge opens them again.
 */
async function endDuplicateAllocations(scope: Scope, kept: string, merged: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    UPDATE case_allocation m SET ended_at = now(), ended_by = ${scope.actor.userId}
    WHERE m.person_id = ${merged} AND m.ended_at IS NULL
      AND EXISTS (SELECT 1 FROM case_allocation k WHERE k.person_id = ${kept} AND k.team_id = m.team_id AND k.ended_at IS NULL)
    RETURNING m.id::text AS id`.execute(scope.db);
  return rows.map((r) => r.id);
}

/** Ends the current links of the records and links them to the person, with who decided and why. */
async function relink(scope: Scope, recordIds: readonly string[], personId: string, method: 'merge' | 'unmerge' | 'reviewed', reason: string): Promise<void> {
  if (recordIds.length === 0) return;
  await scope.db.updateTable('person_link').set({ ended_at: new Date() }).where('agency_record_id', 'in', recordIds).where('ended_at', 'is', null).execute();
  await scope.db.updateTable('agency_record').set({ person_id: personId }).where('id', 'in', recordIds).execute();
  await scope.db
    .insertInto('person_link')
    .values(recordIds.map((id) => ({ area_id: scope.actor.areaId, agency_record_id: id, person_id: personId, method, decided_by: scope.actor.userId, reason })))
    .execute();
}

export interface SplitInput {
  personId: string;
  agencyRecordIds: readonly string[];
  reason: string;
}

export interface Split {
  splitId: string;
  fromPersonId: string;
  toPersonId: string;
  /** The merge this split undid, when the records were exactly those it brought. */
  undidMergeId: string | null;
}

/**
 * Splits agency records off a person into another: the person a merge brought them from (undoing
 * it) when they are exactly what it brought, else a new person. Rows follow the records they came
 * from; rows that no record vouches for (household memberships, relationships recorded without an
 * event, education) stay, unless the split undoes a merge that moved them.
 */
export async function splitPerson(scope: Scope, input: SplitInput): Promise<Split> {
  const reason = input.reason.trim();
  const from = await livePersonId(scope.db, input.personId);
  if (!from) throw notFound('The person');
  await scope.db.selectFrom('person').select('id').where('id', '=', from).forUpdate().execute();
  const records = await scope.db.selectFrom('agency_record').select('id').where('person_id', '=', from).execute();
  const chosen = [...new Set(input.agencyRecordIds)];
  const problems: { field: string; message: string }[] = [];
  if (chosen.length === 0) problems.push({ field: 'records', message: 'Choose the records that belong to another person' });
  else if (chosen.some((id) => !records.some((r) => r.id === id))) problems.push({ field: 'records', message: 'Choose only records of this person' });
  else if (chosen.length === records.length) problems.push({ field: 'records', message: 'Leave at least one record with this person' });
  if (!reason) problems.push({ field: 'reason', message: 'Enter why these records are a different person' });
  if (problems.length > 0) throw validationFailed(problems);

  const undone = await mergeUndoneBy(scope.db, from, chosen);
  const to = undone?.merged_person_id ?? randomUUID();
  if (undone) {
    await scope.db.updateTable('person').set((eb) => ({ merged_into: null, updated_at: new Date(), version: eb('version', '+', 1) })).where('id', '=', to).execute();
    for (const [key, ids] of Object.entries(undone.moved)) {
      const [table, column] = key.split('.') as [string, string];
      if (!personReferences.some(([t, c]) => t === table && c === column)) continue;
      await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${to} WHERE ${sql.ref(column)} = ${from} AND id::text = ANY(${ids}::text[])`.execute(scope.db);
    }
    const reopen = undone.moved[endedAllocations] ?? [];
    if (reopen.length > 0) await sql`UPDATE case_allocation SET ended_at = NULL, ended_by = NULL WHERE person_id = ${to} AND id::text = ANY(${reopen}::text[])`.execute(scope.db);
    await scope.db.updateTable('person_merge').set({ undone_at: new Date(), undone_by: scope.actor.userId, undo_reason: reason }).where('id', '=', undone.id).execute();
  } else {
    await scope.db.insertInto('person').values({ id: to, area_id: scope.actor.areaId }).execute();
  }
  await moveWithRecords(scope.db, from, to, chosen);
  await relink(scope, chosen, to, 'unmerge', reason);
  await refreshDisplay(scope.db, [from, to]);
  const row = await scope.db
    .insertInto('person_split')
    .values({ area_id: scope.actor.areaId, from_person_id: from, to_person_id: to, agency_record_ids: chosen, undoes_merge_id: undone?.id ?? null, reason, split_by: scope.actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const subject of [from, to]) {
    scope.audit({
      action: 'identity.split', recordType: 'person_split', recordId: row.id, subjectPersonId: subject, reason,
      details: { fromPersonId: from, toPersonId: to, agencyRecords: chosen.length, ...(undone ? { undidMergeId: undone.id } : {}) },
    });
  }
  return { splitId: row.id, fromPersonId: from, toPersonId: to, undidMergeId: undone?.id ?? null };
}

/** The merge into this person that brought exactly these records (and is not undone), if any. */
async function mergeUndoneBy(db: Kysely<Database>, personId: string, recordIds: readonly string[]) {
  const merges = await db
    .selectFrom('person_merge')
    .select(['id', 'merged_person_id', 'agency_record_ids', 'moved'])
    .where('kept_person_id', '=', personId)
    .where('undone_at', 'is', null)
    .orderBy('merged_at', 'desc')
    .execute();
  const wanted = [...recordIds].sort().join();
  return merges.find((m) => [...m.agency_record_ids].sort().join() === wanted) ?? null;
}

/** Re-points what came with the records: their addresses and event roles, and what hangs on those events. */
async function moveWithRecords(db: Kysely<Database>, from: string, to: string, recordIds: readonly string[]): Promise<void> {
  await sql`
    WITH addresses AS (
      UPDATE person_address SET person_id = ${to} WHERE person_id = ${from} AND agency_record_id = ANY(${recordIds}::uuid[])
    ),
    events AS (
      UPDATE event_person SET person_id = ${to} WHERE person_id = ${from} AND agency_record_id = ANY(${recordIds}::uuid[]) RETURNING event_id
    ),
    reviews AS (
      UPDATE identity_review SET candidate_person_id = ${to} WHERE candidate_person_id = ${from} AND candidate_record_id = ANY(${recordIds}::uuid[])
    ),
    outgoing AS (
      UPDATE relationship SET person_id = ${to} WHERE person_id = ${from} AND source_event_id IN (SELECT event_id FROM events)
    ),
    incoming AS (
      UPDATE relationship SET related_person_id = ${to} WHERE related_person_id = ${from} AND source_event_id IN (SELECT event_id FROM events)
    )
    SELECT 1`.execute(db);
  // Contacts, a victim's risk assessment and MARAC criteria hang on the event; shares and notifications on the contact or the event.
  await sql`
    WITH moved_events AS (SELECT event_id FROM event_person WHERE person_id = ${to} AND agency_record_id = ANY(${recordIds}::uuid[])),
    dash AS (
      UPDATE dash_assessment SET victim_person_id = ${to} WHERE victim_person_id = ${from} AND event_id IN (SELECT event_id FROM moved_events)
    ),
    marac AS (
      UPDATE marac_recommendation SET victim_person_id = ${to} WHERE victim_person_id = ${from} AND event_id IN (SELECT event_id FROM moved_events)
    ),
    contacts AS (
      UPDATE contact SET child_person_id = ${to} WHERE child_person_id = ${from} AND event_id IN (SELECT event_id FROM moved_events) RETURNING id
    ),
    shares AS (
      UPDATE information_share SET person_id = ${to} WHERE person_id = ${from} AND contact_id IN (SELECT id FROM contacts)
    ),
    notifications AS (
      UPDATE notification SET person_id = ${to}
      WHERE person_id = ${from} AND (contact_id IN (SELECT id FROM contacts) OR event_id IN (SELECT event_id FROM moved_events))
    )
    SELECT 1`.execute(db);
}
