// The demo area generator against real databases: a 5,000-child area on the embedded database
// checked for completeness, integrity, realism and sealed addresses; determinism; and the same
// area on PostgreSQL when DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nicknamesOf, spellingVariantsOf } from './names';
import { isValidNhsNumber } from './nhs-number';
import { demoPassword, seedDemoArea, type SeedResult } from './seed';
import { readRecordTruth } from './truth';
import { personRoles } from '../access/roles';
import { verifyPassword } from '../auth/passwords';
import { openDatabase, type DatabaseHandle } from '../db/database';
import { migrate } from '../db/migrate';
import type { Database } from '../db/schema';

const today = '2026-11-23';

async function freshEmbedded(): Promise<DatabaseHandle> {
  const handle = await openDatabase({});
  await migrate(handle);
  return handle;
}

const areaTables = [
  'area', 'agency', 'team', 'app_user', 'person', 'agency_record', 'person_link', 'address', 'person_address', 'household',
  'household_member', 'relationship', 'event', 'event_person', 'audit_event', 'audit_head', 'synthetic.record_truth',
] as const;

// Every reference a generated row makes, as [table, column, referenced table]: each must point
// at a row of the same area (the schema's foreign keys cannot say "same area").
const references = [
  ['agency', 'parent_agency_id', 'agency'], ['team', 'agency_id', 'agency'], ['app_user', 'agency_id', 'agency'], ['app_user', 'team_id', 'team'],
  ['agency_record', 'agency_id', 'agency'], ['agency_record', 'person_id', 'person'], ['agency_record', 'school_agency_id', 'agency'],
  ['agency_record', 'gp_agency_id', 'agency'], ['person_link', 'agency_record_id', 'agency_record'], ['person_link', 'person_id', 'person'],
  ['person_address', 'person_id', 'person'], ['person_address', 'agency_record_id', 'agency_record'], ['person_address', 'address_id', 'address'],
  ['household', 'address_id', 'address'], ['household_member', 'household_id', 'household'], ['household_member', 'person_id', 'person'],
  ['relationship', 'person_id', 'person'], ['relationship', 'related_person_id', 'person'], ['relationship', 'source_event_id', 'event'],
  ['event', 'agency_id', 'agency'], ['event', 'address_id', 'address'], ['event', 'recorded_by', 'app_user'],
  ['event_person', 'event_id', 'event'], ['event_person', 'person_id', 'person'], ['event_person', 'agency_record_id', 'agency_record'],
  ['synthetic.record_truth', 'agency_record_id', 'agency_record'],
] as const;

async function brokenReferences(db: Kysely<Database>, areaId: string): Promise<string[]> {
  const broken: string[] = [];
  for (const [table, column, target] of references) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${sql.table(table)} AS s
      WHERE s.area_id = ${areaId} AND s.${sql.ref(column)} IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ${sql.table(target)} AS t WHERE t.id = s.${sql.ref(column)} AND t.area_id = s.area_id)`.execute(db);
    if ((rows[0]?.n ?? 0) > 0) broken.push(`${table}.${column}: ${rows[0]?.n}`);
  }
  return broken;
}

/** Every generated row of every table, in a stable order, for comparing two seeds. */
async function dumpArea(db: Kysely<Database>): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of areaTables) {
    if (table === 'audit_event' || table === 'audit_head') continue; // stamped with the real time
    const order = table === 'synthetic.record_truth' ? sql`agency_record_id` : sql`id`;
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY ${order}`.execute(db);
    // Password hashes carry a random salt by design.
    dump[table] = rows.map((row) => JSON.stringify(table === 'app_user' ? { ...row, password_hash: null } : row));
  }
  // The identity registry (written by COPY on PostgreSQL), without the time it was written.
  const registry = {
    identity_features: sql`SELECT agency_record_id, area_id, features FROM identity_features ORDER BY agency_record_id`,
    identity_key: sql`SELECT area_id, key, agency_record_id FROM identity_key ORDER BY key, agency_record_id`,
    identity_review: sql`SELECT * FROM identity_review ORDER BY id`,
  };
  for (const [table, query] of Object.entries(registry)) dump[table] = (await query.execute(db)).rows.map((row) => JSON.stringify(row));
  return dump;
}

describe('a 5,000-child demo area on the embedded database', () => {
  let handle: DatabaseHandle;
  let db: Kysely<Database>;
  let result: SeedResult;

  beforeAll(async () => {
    handle = await freshEmbedded();
    db = handle.db;
    const started = performance.now();
    result = await seedDemoArea(handle, { children: 5_000, seed: 2026, today });
    console.log(`Seeded 5,000 children on in-memory PGlite in ${((performance.now() - started) / 1000).toFixed(1)} s:`, result.counts);
  }, 240_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('fills every table, every row in the area', async () => {
    expect(result.counts['children']).toBe(5_000);
    for (const table of areaTables) {
      const { rows } = await sql<{ inside: number; outside: number }>`
        SELECT count(*) FILTER (WHERE area_id = ${result.areaId})::int AS inside,
               count(*) FILTER (WHERE area_id IS DISTINCT FROM ${result.areaId})::int AS outside
        FROM ${sql.table(table)}`.execute(db);
      expect(rows[0]?.inside, table).toBeGreaterThan(0);
      expect(rows[0]?.outside, table).toBe(0);
    }
  });

  it('makes every reference point at a row of the same area', async () => {
    expect(await brokenReferences(db, result.areaId)).toEqual([]);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM event_person ep JOIN agency_record r ON r.id = ep.agency_record_id
      WHERE ep.person_id <> r.person_id OR r.agency_id <> (SELECT agency_id FROM event e WHERE e.id = ep.event_id)`.execute(db);
    expect(rows[0]?.n).toBe(0);
  });

  it('has about four people for each child, from unborn to 17, in households over time', async () => {
    const people = result.counts['person'] as number;
    expect(people / 5_000).toBeGreaterThan(3.4);
    expect(people / 5_000).toBeLessThan(4.6);
    const { rows } = await sql<{ unborn: number; babies: number; teenagers: number }>`
      SELECT count(*) FILTER (WHERE expected_date_of_birth IS NOT NULL AND date_of_birth IS NULL)::int AS unborn,
             count(*) FILTER (WHERE date_of_birth > ${today}::date - 365)::int AS babies,
             count(*) FILTER (WHERE date_of_birth BETWEEN ${today}::date - 18 * 365 AND ${today}::date - 13 * 365)::int AS teenagers
      FROM person`.execute(db);
    expect(rows[0]?.unborn).toBeGreaterThan(20);
    expect(rows[0]?.babies).toBeGreaterThan(100);
    expect(rows[0]?.teenagers).toBeGreaterThan(500);
    const moved = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT person_id FROM household_member GROUP BY person_id HAVING count(DISTINCT household_id) > 1) m`.execute(db);
    expect(moved.rows[0]?.n).toBeGreaterThan(500);
    const backwards = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM household_member WHERE to_date < from_date) + (SELECT count(*) FROM relationship WHERE to_date < from_date)
        + (SELECT count(*) FROM person_address WHERE to_date < from_date) + (SELECT count(*) FROM event WHERE occurred_at > ${today}::date) AS n`.execute(db);
    expect(Number(backwards.rows[0]?.n)).toBe(0);
  });

  it('gives people valid NHS numbers from the test range, some missing and a very few mistyped in agency records', async () => {
    const people = await db.selectFrom('person').select('nhs_number').where('nhs_number', 'is not', null).execute();
    expect(people.length).toBeGreaterThan(15_000);
    for (const p of people) {
      expect(isValidNhsNumber(p.nhs_number as string)).toBe(true);
      expect(p.nhs_number?.startsWith('999')).toBe(true);
    }
    const records = await db.selectFrom('agency_record as r').innerJoin('agency as a', 'a.id', 'r.agency_id')
      .select(['a.service', 'r.nhs_number', 'r.date_of_birth']).where('a.kind', '=', 'health').execute();
    const ed = records.filter((r) => r.service === 'emergency_department');
    const edMissing = ed.filter((r) => r.nhs_number === null).length / ed.length;
    expect(edMissing).toBeGreaterThan(0.04);
    expect(edMissing).toBeLessThan(0.3);
    const present = records.filter((r) => r.nhs_number !== null);
    const invalid = present.filter((r) => !isValidNhsNumber(r.nhs_number as string)).length;
    expect(invalid).toBeGreaterThan(0);
    expect(invalid / present.length).toBeLessThan(0.01);
  });

  it('records the same person differently across agencies, at realistic rates', async () => {
    const truth = await readRecordTruth(db, result.areaId);
    expect(truth.size).toBe(result.counts['agency_record']);
    const records = await db.selectFrom('agency_record as r').innerJoin('agency as a', 'a.id', 'r.agency_id')
      .select(['r.id', 'r.given_name', 'r.family_name', 'r.date_of_birth', 'a.kind', 'a.service']).execute();
    const byPerson = new Map<string, typeof records>();
    for (const r of records) {
      const key = truth.get(r.id) as string;
      byPerson.set(key, [...(byPerson.get(key) ?? []), r]);
    }
    let nicknamed = 0, swapped = 0, otherSurname = 0, spelled = 0, compared = 0;
    for (const own of byPerson.values()) {
      const reference = own.find((r) => r.service === 'gp');
      if (!reference?.given_name) continue;
      for (const r of own) {
        if (r === reference || !r.given_name) continue;
        compared++;
        if (nicknamesOf(reference.given_name).includes(r.given_name)) nicknamed++;
        if (spellingVariantsOf(reference.given_name).includes(r.given_name)) spelled++;
        const [a, b] = [reference.date_of_birth?.split('-'), r.date_of_birth?.split('-')];
        if (a && b && a[1] !== a[2] && a[0] === b[0] && a[1] === b[2] && a[2] === b[1]) swapped++;
        if (r.family_name && reference.family_name && r.family_name.toLowerCase() !== reference.family_name.toLowerCase() &&
          r.family_name[0]?.toLowerCase() !== reference.family_name[0]?.toLowerCase()) otherSurname++;
      }
    }
    expect(compared).toBeGreaterThan(5_000);
    for (const [name, count, most] of [['nicknames', nicknamed, 0.12], ['spellings', spelled, 0.05], ['swapped dates', swapped, 0.03], ['other family names', otherSurname, 0.15]] as const) {
      expect(count, name).toBeGreaterThan(0);
      expect(count / compared, name).toBeLessThan(most);
    }
    const duplicates = [...byPerson.values()].filter((own) => new Set(own.map((r) => `${r.kind}:${r.service}`)).size < own.filter((r) => r.kind !== 'school' && r.service !== 'gp').length);
    expect(duplicates.length).toBeGreaterThan(0);
  });

  it('keeps stale addresses in some agencies\u2019 records', async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM person_address pa JOIN address a ON a.id = pa.address_id
      WHERE pa.to_date IS NULL AND EXISTS (
        SELECT 1 FROM household_member m JOIN household h ON h.id = m.household_id
        WHERE m.person_id = pa.person_id AND h.address_id = pa.address_id AND m.to_date IS NOT NULL)
      AND NOT EXISTS (
        SELECT 1 FROM household_member m JOIN household h ON h.id = m.household_id
        WHERE m.person_id = pa.person_id AND h.address_id = pa.address_id AND m.to_date IS NULL)`.execute(db);
    expect(rows[0]?.n).toBeGreaterThan(50);
  });

  it('has sealed addresses, never used as where an event happened', async () => {
    const sealed = await db.selectFrom('address').select(['id', 'line1', 'postcode']).where('confidential', '=', true).execute();
    expect(sealed.length).toBeGreaterThan(5);
    const sealedIds = new Set(sealed.map((a) => a.id));
    const events = await db.selectFrom('event').select(['kind', 'address_id', 'summary', 'details']).execute();
    expect(events.filter((e) => e.address_id !== null && sealedIds.has(e.address_id))).toEqual([]);
    // A sealed home is an ordinary house among others of its postcode: compare whole addresses.
    const locations = events.filter((e) => e.kind === 'police_da_incident').map((e) => (e.details as { location: string }).location);
    const leaks = locations.filter((location) => sealed.some((a) => location.startsWith(`${a.line1}, `) && location.endsWith(a.postcode as string)));
    expect(leaks).toEqual([]);
    const postcodes = new Set(sealed.map((a) => a.postcode));
    expect(events.filter((e) => [...e.summary.matchAll(/NB\d+ \d[A-Z]{2}/g)].some((m) => postcodes.has(m[0])))).toEqual([]);
    const lived = await sql<{ n: number }>`SELECT count(*)::int AS n FROM household h JOIN address a ON a.id = h.address_id WHERE a.confidential`.execute(db);
    expect(lived.rows[0]?.n).toBeGreaterThan(5);
    const known = await sql<{ kind: string }>`
      SELECT DISTINCT g.kind FROM person_address pa JOIN address a ON a.id = pa.address_id
      JOIN agency_record r ON r.id = pa.agency_record_id JOIN agency g ON g.id = r.agency_id WHERE a.confidential`.execute(db);
    expect(known.rows.map((r) => r.kind)).not.toContain('police');
    expect(known.rows.map((r) => r.kind)).toContain('housing');
  });

  it('records police domestic abuse incidents with DASH answers, risk, actions and the children', async () => {
    const incidents = await db.selectFrom('event').select(['id', 'source_ref', 'details', 'summary']).where('kind', '=', 'police_da_incident').execute();
    expect(incidents.length).toBeGreaterThan(500);
    let high = 0, fourteen = 0, arrests = 0;
    for (const { details, source_ref } of incidents) {
      const d = details as { policeReference: string; location: string; dash: Record<string, string>; riskGrade: string; actions: string[]; victimConsent: boolean; injuries: string; weapons: string; circumstances: string };
      expect(d.policeReference).toBe(source_ref);
      expect(d.location.length).toBeGreaterThan(5);
      expect(Object.keys(d.dash)).toHaveLength(27);
      expect(Object.values(d.dash).every((a) => ['yes', 'no', 'not_known'].includes(a))).toBe(true);
      expect(['standard', 'medium', 'high']).toContain(d.riskGrade);
      expect(typeof d.victimConsent).toBe('boolean');
      expect(typeof d.circumstances).toBe('string');
      if (d.riskGrade === 'high') high++;
      if (Object.values(d.dash).filter((a) => a === 'yes').length >= 14) fourteen++;
      if (d.actions.includes('arrest')) arrests++;
    }
    expect(fourteen).toBeGreaterThan(10);
    expect(high / incidents.length).toBeGreaterThan(0.05);
    expect(high / incidents.length).toBeLessThan(0.5);
    expect(arrests).toBeGreaterThan(50);
    const children = await sql<{ present: number; voices: number; unborn: number }>`
      SELECT count(*) FILTER (WHERE ep.child_present)::int AS present, count(ep.child_voice)::int AS voices,
             count(*) FILTER (WHERE ep.child_present IS NULL)::int AS unborn
      FROM event_person ep JOIN event e ON e.id = ep.event_id WHERE e.kind = 'police_da_incident' AND ep.role = 'child'`.execute(db);
    expect(children.rows[0]?.present).toBeGreaterThan(200);
    expect(children.rows[0]?.voices).toBeGreaterThan(20);
  });

  it('shows the patterns seen in practice: repeat victims, perpetrators with several victims, separation, probation', async () => {
    const repeat = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (SELECT ep.person_id FROM event_person ep JOIN event e ON e.id = ep.event_id
      WHERE e.kind = 'police_da_incident' AND ep.role = 'adult_victim' GROUP BY ep.person_id HAVING count(*) >= 3) v`.execute(db);
    expect(repeat.rows[0]?.n).toBeGreaterThan(20);
    const moving = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (SELECT person_id FROM relationship WHERE kind = 'alleged_perpetrator_of'
        AND related_person_id IN (SELECT person_id FROM event_person WHERE role = 'adult_victim')
        GROUP BY person_id HAVING count(*) >= 2) p`.execute(db);
    expect(moving.rows[0]?.n).toBeGreaterThan(0);
    const kinds = await sql<{ kind: string }>`SELECT DISTINCT kind FROM relationship`.execute(db);
    expect(kinds.rows.map((r) => r.kind).sort()).toEqual(['alleged_perpetrator_of', 'carer_of', 'ex_partner_of', 'parent_of', 'partner_of', 'sibling_of']);
    const events = await sql<{ kind: string }>`SELECT DISTINCT kind FROM event`.execute(db);
    for (const kind of ['ed_attendance', 'school_absence', 'school_concern', 'missing_episode', 'midwifery_booking', 'health_visitor_contact',
      'probation_contact', 'referral', 'idva_contact', 'housing_contact', 'separation', 'arrest', 'protection_order']) {
      expect(events.rows.map((r) => r.kind), kind).toContain(kind);
    }
  });

  it('sets up the partnership: agencies, health services, schools, surgeries and teams', async () => {
    const agencies = await db.selectFrom('agency').selectAll().execute();
    const kinds = new Set(agencies.map((a) => a.kind));
    for (const kind of ['police', 'childrens_social_care', 'health', 'school', 'probation', 'idva_service', 'adult_social_care', 'housing', 'education_safeguarding']) {
      expect(kinds.has(kind), kind).toBe(true);
    }
    const trust = agencies.find((a) => a.kind === 'health' && a.service === null);
    for (const service of ['emergency_department', 'midwifery', 'health_visiting']) {
      expect(agencies.find((a) => a.service === service)?.parent_agency_id).toBe(trust?.id);
    }
    expect(agencies.filter((a) => a.kind === 'school').length).toBeGreaterThanOrEqual(3);
    expect(agencies.filter((a) => a.service === 'gp').length).toBeGreaterThanOrEqual(3);
    const teams = await db.selectFrom('team').select('name').execute();
    expect(teams.map((t) => t.name)).toEqual(expect.arrayContaining(['MASH', 'Assessment team', 'Child protection team']));
  });

  it('has live work: a front door at every stage with overdue contacts, schools told of recent incidents, the school lead with pupils in them', async () => {
    const stages = await db.selectFrom('contact').select(['stage', (eb) => eb.fn.countAll<number>().as('n')]).where('area_id', '=', result.areaId).groupBy('stage').execute();
    for (const stage of ['screening', 'checks', 'decision', 'authorisation', 'closed']) expect(stages.find((s) => s.stage === stage)?.n ?? 0, stage).toBeGreaterThan(0);
    expect(result.counts['front_door_overdue']).toBeGreaterThan(0);
    const queued = await db.selectFrom('outbox').select(['topic']).where('area_id', '=', result.areaId).execute();
    expect(queued.length).toBe(result.counts['encompass_notifications']);
    expect(queued.length).toBeGreaterThan(0);
    // Every child of school age has a school, or is educated at home.
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM person p WHERE p.area_id = ${result.areaId}
        AND p.date_of_birth BETWEEN CURRENT_DATE - interval '15 years' AND CURRENT_DATE - interval '6 years'
        AND NOT EXISTS (SELECT 1 FROM education e WHERE e.person_id = p.id AND e.to_date IS NULL)`.execute(db);
    const schoolAge = await db.selectFrom('education').select((eb) => eb.fn.countAll<number>().as('n')).where('area_id', '=', result.areaId).where('to_date', 'is', null).executeTakeFirstOrThrow();
    expect(schoolAge.n).toBeGreaterThan(1000);
    expect(rows[0]!.n).toBeLessThan(schoolAge.n * 0.05);
    const lead = await db.selectFrom('app_user').select('agency_id').where('area_id', '=', result.areaId).where('role', '=', 'school_dsl').executeTakeFirstOrThrow();
    const leadChecks = await db.selectFrom('agency_check').select('id').where('area_id', '=', result.areaId).where('agency_id', '=', lead.agency_id).execute();
    expect(leadChecks.length).toBeGreaterThan(0);
  });

  it('has exactly one demo user per role, with the demo password, and the police records system account', async () => {
    const users = await db.selectFrom('app_user as u').innerJoin('agency as a', 'a.id', 'u.agency_id')
      .select(['u.email', 'u.role', 'u.kind', 'u.password_hash', 'a.kind as agency_kind', 'u.display_name']).execute();
    for (const role of personRoles) {
      const holders = users.filter((u) => u.role === role);
      expect(holders, role).toHaveLength(1);
      expect(await verifyPassword(holders[0]?.password_hash as string, demoPassword)).toBe(true);
    }
    expect(users.find((u) => u.role === 'mash_practitioner')?.email).toBe('mash.practitioner@demo.hearth.test');
    expect(users.find((u) => u.role === 'school_dsl')?.agency_kind).toBe('school');
    expect(users.find((u) => u.role === 'police_officer')?.agency_kind).toBe('police');
    expect(users.find((u) => u.role === 'idva')?.agency_kind).toBe('idva_service');
    expect(users.find((u) => u.role === 'agency_researcher')?.agency_kind).toBe('health');
    const system = users.filter((u) => u.kind === 'system');
    expect(system).toEqual([expect.objectContaining({ role: 'agency_system', agency_kind: 'police', email: null, password_hash: null, display_name: 'Police records system' })]);
    expect(result.users.map((u) => u.role).sort()).toEqual([...personRoles].sort());
  });

  it('refuses to seed an area code that already exists', async () => {
    await expect(seedDemoArea(handle, { children: 10, seed: 1, today })).rejects.toMatchObject({ code: 'conflict' });
  });
});

// Seeded once and shared by the determinism and PostgreSQL tests.
let embeddedSeven: Promise<Record<string, unknown[]>> | undefined;
const openHandles: DatabaseHandle[] = [];
afterAll(async () => {
  await Promise.all(openHandles.map((h) => h.close()));
});

async function seededEmbedded(seed: number, areaCode?: string): Promise<{ handle: DatabaseHandle; dump: Record<string, unknown[]> }> {
  const handle = await freshEmbedded();
  openHandles.push(handle);
  await seedDemoArea(handle, { children: 150, seed, today, ...(areaCode ? { areaCode } : {}) });
  return { handle, dump: await dumpArea(handle.db) };
}

function seedSeven(): Promise<Record<string, unknown[]>> {
  embeddedSeven ??= seededEmbedded(7).then((s) => s.dump);
  return embeddedSeven;
}

describe('determinism', () => {
  it('gives identical rows, ids included, for the same seed and different ones for another', async () => {
    const first = await seedSeven();
    const again = await seededEmbedded(7);
    for (const table of Object.keys(first)) expect(again.dump[table], table).toEqual(first[table]);

    await seedDemoArea(again.handle, { children: 150, seed: 8, today, areaCode: 'other' });
    const names = async (code: string) => (await again.handle.db.selectFrom('person').innerJoin('area', 'area.id', 'person.area_id')
      .select(['given_name', 'family_name', 'date_of_birth']).where('area.code', '=', code).orderBy('person.id').execute()).map((p) => JSON.stringify(p));
    const [seven, eight] = [await names('demo'), await names('other')];
    expect(eight.length).toBeGreaterThan(0);
    expect(eight.filter((p) => seven.includes(p)).length).toBeLessThan(eight.length / 10);
  });

  it('rejects impossible options with a clear message', async () => {
    const handle = openHandles[0] as DatabaseHandle;
    await expect(seedDemoArea(handle, { children: 0, seed: 1, areaCode: 'third' })).rejects.toThrow(/children: must be at least 1/);
    await expect(seedDemoArea(handle, { children: 10, seed: 1.5, areaCode: 'third' })).rejects.toThrow(/seed: must be a whole number/);
    await expect(seedDemoArea(handle, { children: 10, seed: 1, areaCode: 'third', today: '2026-02-30' })).rejects.toThrow(/today/);
  });
});

const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl) console.log('Notice: DATABASE_URL is not set, so the demo seed is not tried on PostgreSQL.');

describe.skipIf(!databaseUrl)('on PostgreSQL', () => {
  const name = `hearth_demo_test_${randomBytes(6).toString('hex')}`;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(databaseUrl as string);
    url.pathname = `/${name}`;
    handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
    await migrate(handle);
  });

  afterAll(async () => {
    await handle?.close();
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('seeds the same area as the embedded database, row for row', async () => {
    const started = performance.now();
    const result = await seedDemoArea(handle, { children: 150, seed: 7, today });
    console.log(`Seeded 150 children on PostgreSQL in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(await brokenReferences(handle.db, result.areaId)).toEqual([]);
    const [onPostgres, onPglite] = [await dumpArea(handle.db), await seedSeven()];
    for (const table of Object.keys(onPglite)) expect(onPostgres[table], table).toEqual(onPglite[table]);
  });
});
