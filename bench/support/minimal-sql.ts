// The baselines: the same data read (or the same notification stored) by the fewest plain SQL
// statements that can do it, with no gate, no row-level security, no audit event, no rendering
// and no HTTP, on the same database at the same concurrency. The difference between these and
// Hearth's figures is what the gate, the audit, the rendering and the web server cost.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PreparingClient } from '../../src/db/database';
import type { BenchTarget } from './area';

/** One connection's worth of queries: a pooled PostgreSQL client, or the embedded database. */
export interface RawConnection {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface RawSql {
  /** Runs `work` on one connection (as a page's queries run on one transaction's connection). */
  with<T>(work: (connection: RawConnection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function rawSql(target: BenchTarget, poolSize: number, pglite?: PGlite): RawSql {
  if (target.engine === 'pglite') {
    if (!pglite) throw new Error('The embedded database is not open');
    const connection: RawConnection = { query: async <T>(text: string, params?: unknown[]) => (await pglite.query<T>(text, params)).rows };
    return { with: (work) => work(connection), close: async () => undefined };
  }
  // The same client as Hearth's, preparing each statement once per connection, as any careful use of SQL would.
  const pool = new pg.Pool({ Client: PreparingClient, connectionString: target.databaseUrl, max: poolSize, options: '-c TimeZone=UTC -c application_name=hearth-bench -c jit=off' });
  return {
    async with(work) {
      const client = await pool.connect();
      try {
        return await work({ query: async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[] });
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Everything the child's page shows: who they are, each agency's record, their addresses, the
 * people they are related to, who they live with today, their and their household's pattern
 * flags, the latest MARAC recommendation and DASH of the adults around them, what is written of
 * their lived experience, the chronology's counts by agency and type, its newest 25 events and the
 * other people in those.
 */
export async function personPageSql(c: RawConnection, areaId: string, personId: string, today: string): Promise<number> {
  const person = await c.query('SELECT id, given_name, family_name, date_of_birth, expected_date_of_birth, sex, nhs_number, merged_into FROM person WHERE id = $1 AND area_id = $2', [personId, areaId]);
  if (person.length === 0) throw new Error(`No person ${personId}`);
  const records = await c.query(
    `SELECT g.name, r.source_ref, r.given_name, r.family_name, r.date_of_birth, r.nhs_number
     FROM agency_record r JOIN agency g ON g.id = r.agency_id WHERE r.person_id = $1 ORDER BY g.name`, [personId]);
  const addresses = await c.query(
    `SELECT a.id, a.line1, a.line2, a.town, a.postcode, a.confidential, pa.from_date, pa.to_date
     FROM person_address pa JOIN address a ON a.id = pa.address_id WHERE pa.person_id = $1 ORDER BY pa.to_date IS NULL DESC, pa.from_date DESC`, [personId]);
  const related = await c.query(
    `SELECT o.id, o.given_name, o.family_name, o.date_of_birth, r.kind, r.person_id = $1 AS outgoing, r.from_date, r.to_date
     FROM relationship r JOIN person o ON o.id = CASE WHEN r.person_id = $1 THEN r.related_person_id ELSE r.person_id END
     WHERE r.person_id = $1 OR r.related_person_id = $1`, [personId]);
  const household = await c.query(
    `SELECT h.id, a.line1, a.town, a.postcode, a.confidential, p.id AS member, p.given_name, p.family_name, p.date_of_birth
     FROM household_member m JOIN household h ON h.id = m.household_id LEFT JOIN address a ON a.id = h.address_id
     JOIN household_member o ON o.household_id = h.id AND o.person_id <> m.person_id AND (o.to_date IS NULL OR o.to_date > $2)
     JOIN person p ON p.id = o.person_id
     WHERE m.person_id = $1 AND (m.to_date IS NULL OR m.to_date > $2) AND (h.to_date IS NULL OR h.to_date > $2)`, [personId, today]);
  const flags = await c.query(
    `SELECT kind, explanation, raised_at, cleared_at, acknowledged_at FROM risk_flag WHERE person_id = $1
     UNION ALL
     SELECT f.kind, f.explanation, f.raised_at, f.cleared_at, f.acknowledged_at FROM risk_flag f
       JOIN household_member m ON m.household_id = f.household_id AND m.person_id = $1 AND (m.to_date IS NULL OR m.to_date > $2)
     ORDER BY raised_at DESC`, [personId, today]);
  // The risk of the adults around the child: the latest MARAC recommendation and DASH of the victims of their incidents and of their parents.
  const risk = await c.query(
    `WITH victims AS (
       SELECT v.person_id FROM event_person ch JOIN event_person v ON v.event_id = ch.event_id AND v.role = 'adult_victim' WHERE ch.person_id = $1 AND ch.role = 'child'
       UNION SELECT r.person_id FROM relationship r WHERE r.related_person_id = $1 AND r.kind IN ('parent_of', 'carer_of'))
     SELECT (SELECT row_to_json(m) FROM marac_recommendation m WHERE m.victim_person_id IN (SELECT person_id FROM victims) ORDER BY m.as_of DESC, m.computed_at DESC LIMIT 1) AS marac,
       (SELECT row_to_json(d) FROM dash_assessment d WHERE d.victim_person_id IN (SELECT person_id FROM victims) ORDER BY d.assessed_at DESC LIMIT 1) AS dash`, [personId]);
  const lived = await c.query(
    `SELECT l.summary, l.child_words, u.display_name, l.written_at FROM lived_experience l JOIN app_user u ON u.id = l.written_by
     WHERE l.person_id = $1 ORDER BY l.written_at DESC`, [personId]);
  const counts = await c.query(
    `SELECT e.agency_id, g.name, e.kind, count(*) AS events
     FROM event_person ep JOIN event e ON e.id = ep.event_id JOIN agency g ON g.id = e.agency_id
     WHERE ep.person_id = $1 GROUP BY 1, 2, 3`, [personId]);
  const events = await c.query(
    `SELECT e.id, e.kind, g.name, e.occurred_at, e.source_ref, e.summary, e.details, ep.role, ep.child_present, ep.child_voice,
       a.line1, a.town, a.postcode, a.confidential,
       (SELECT json_agg(json_build_object('id', p.id, 'given', p.given_name, 'family', p.family_name, 'role', x.role))
        FROM event_person x JOIN person p ON p.id = x.person_id WHERE x.event_id = e.id AND x.person_id <> $1) AS others
     FROM event_person ep JOIN event e ON e.id = ep.event_id JOIN agency g ON g.id = e.agency_id LEFT JOIN address a ON a.id = e.address_id
     WHERE ep.person_id = $1 ORDER BY e.occurred_at DESC, e.id DESC LIMIT 25`, [personId]);
  return person.length + records.length + addresses.length + related.length + household.length + flags.length + risk.length + lived.length + counts.length + events.length;
}

/** The front-door queue: the first page of open contacts, most urgent first, with the counts by stage. */
export async function queueSql(c: RawConnection, areaId: string, now: Date): Promise<number> {
  const page = await c.query(
    `SELECT c.id, p.given_name, p.family_name, p.date_of_birth, g.name, c.received_at, c.decision_due_at, c.stage, c.priority, q.total,
       (SELECT count(*) FROM agency_check k WHERE k.contact_id = c.id AND k.status = 'open') AS open_checks
     FROM (SELECT id, CASE priority WHEN 'amber' THEN 1 WHEN 'green' THEN 2 ELSE 0 END AS rank, decision_due_at, received_at, count(*) OVER () AS total
           FROM contact WHERE area_id = $1 AND stage <> 'closed' ORDER BY 2, 3, 4 LIMIT 25) q
     JOIN contact c ON c.id = q.id JOIN person p ON p.id = c.child_person_id JOIN agency g ON g.id = c.source_agency_id
     ORDER BY q.rank, q.decision_due_at, q.received_at`, [areaId]);
  const counts = await c.query(
    `SELECT stage, count(*), count(*) FILTER (WHERE decision_due_at < $2) FROM contact WHERE area_id = $1 AND stage <> 'closed' GROUP BY stage`, [areaId, now]);
  return page.length + counts.length;
}

/** What a simple system does for a name search: exact given and family name, no typos forgiven. */
export async function exactNameSearchSql(c: RawConnection, areaId: string, given: string, family: string): Promise<number> {
  const rows = await c.query(
    `SELECT DISTINCT p.id, p.given_name, p.family_name, p.date_of_birth
     FROM agency_record r JOIN person p ON p.id = r.person_id
     WHERE r.area_id = $1 AND lower(r.family_name) = lower($3) AND lower(r.given_name) = lower($2) AND p.merged_into IS NULL LIMIT 20`, [areaId, given, family]);
  return rows.length;
}

/** The trivial intake: each notification stored as it came, one row, one transaction. */
export async function createTrivialInbox(c: RawConnection): Promise<void> {
  await c.query('CREATE SCHEMA IF NOT EXISTS bench');
  await c.query(`CREATE TABLE IF NOT EXISTS bench.notification (id bigserial PRIMARY KEY, area_id uuid NOT NULL, reference text NOT NULL UNIQUE, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`);
  await c.query('TRUNCATE bench.notification');
}

export async function trivialInsertSql(c: RawConnection, areaId: string, reference: string, body: string): Promise<void> {
  await c.query('INSERT INTO bench.notification (area_id, reference, body) VALUES ($1, $2, $3) RETURNING id', [areaId, reference, body]);
}
