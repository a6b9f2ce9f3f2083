// What the clients ask for, drawn deterministically from the bench area: children whose pages
// practitioners open (those in police domestic abuse incidents), names typed with a typo, police
// notifications about the area's families (and new ones), and a busy front door.
import { sql, type Kysely } from 'kysely';
import { addDays } from '../../src/calendar/dates';
import { londonDate, londonInstant } from '../../src/calendar/london';
import { newApiToken } from '../../src/auth/api-tokens';
import type { Database } from '../../src/db/schema';
import { backgroundTable, chooseFamilyName, chooseGivenName, familyNameFor, introduceTypo, nicknamesOf, type Sex } from '../../src/demo/names';
import { Prng } from '../../src/demo/prng';
import { seedFrontDoorDemo } from '../../src/frontdoor';
import { flagRefreshAfter } from '../../src/outbox/background';

export interface AreaSize {
  people: number;
  children: number;
  agencyRecords: number;
  events: number;
  policeIncidents: number;
  households: number;
}

export async function areaSize(db: Kysely<Database>, areaId: string, today: string): Promise<AreaSize> {
  const { rows } = await sql<AreaSize>`
    SELECT (SELECT count(*) FROM person WHERE area_id = ${areaId} AND merged_into IS NULL)::int AS people,
      (SELECT count(*) FROM person WHERE area_id = ${areaId} AND merged_into IS NULL AND date_of_birth > ${today}::date - interval '18 years')::int AS children,
      (SELECT count(*) FROM agency_record WHERE area_id = ${areaId})::int AS "agencyRecords",
      (SELECT count(*) FROM event WHERE area_id = ${areaId})::int AS events,
      (SELECT count(*) FROM event WHERE area_id = ${areaId} AND kind = 'police_da_incident')::int AS "policeIncidents",
      (SELECT count(*) FROM household WHERE area_id = ${areaId})::int AS households`.execute(db);
  return rows[0] as AreaSize;
}

/** Children who were in a police domestic abuse incident: the pages a MASH opens. A fixed sample. */
export async function sampleChildren(db: Kysely<Database>, areaId: string, count: number): Promise<{ ids: string[]; meanEvents: number }> {
  const { rows } = await sql<{ id: string; events: number }>`
    SELECT p.id, (SELECT count(*) FROM event_person x WHERE x.person_id = p.id)::int AS events
    FROM person p
    WHERE p.area_id = ${areaId} AND p.merged_into IS NULL
      AND EXISTS (SELECT 1 FROM event_person ep JOIN event e ON e.id = ep.event_id WHERE ep.person_id = p.id AND ep.role = 'child' AND e.kind = 'police_da_incident')
    ORDER BY md5(p.id::text)
    LIMIT ${count}`.execute(db);
  return { ids: rows.map((r) => r.id), meanEvents: rows.reduce((s, r) => s + r.events, 0) / Math.max(1, rows.length) };
}

export interface SearchTerm {
  /** As typed: one typo in the given or the family name, or a nickname. */
  typed: string;
  given: string;
  family: string;
}

/** Names of the area's people as someone would type them: a typo in one name, or a nickname. */
export async function searchTerms(db: Kysely<Database>, areaId: string, count: number): Promise<SearchTerm[]> {
  const prng = new Prng([5, 7, 11]);
  const { rows } = await sql<{ given_name: string; family_name: string }>`
    SELECT given_name, family_name FROM person
    WHERE area_id = ${areaId} AND merged_into IS NULL AND length(given_name) >= 4 AND length(family_name) >= 4
    ORDER BY md5(id::text) LIMIT ${count}`.execute(db);
  return rows.map((r) => {
    const nick = nicknamesOf(r.given_name);
    const given = nick.length > 0 && prng.chance(0.2) ? prng.pick(nick) : prng.chance(0.5) ? introduceTypo(prng, r.given_name) : r.given_name;
    const family = given === r.given_name ? introduceTypo(prng, r.family_name) : r.family_name;
    return { typed: `${given} ${family}`, given: r.given_name, family: r.family_name };
  });
}

/**
 * At least `wanted` open contacts at the front door: contacts for the children of the area's
 * police incidents, worked as the demo's front door works them, one day at a time back from the
 * area's today (each day's newest still open) until there are enough. Made once; later runs
 * find them. Returns the open contacts.
 */
export async function ensureBusyFrontDoor(db: Kysely<Database>, areaId: string, today: string, wanted: number): Promise<number> {
  const open = async () => Number((await db.selectFrom('contact').select(sql<number>`count(*)`.as('n')).where('area_id', '=', areaId).where('stage', '<>', 'closed').executeTakeFirstOrThrow()).n);
  const before = await open();
  let count = before;
  for (let back = 0; count < wanted && back < 3 * 365; back++) {
    const prng = new Prng([wanted, back, 17]);
    await seedFrontDoorDemo(db, areaId, { today: addDays(today, -back), random: () => prng.float(), days: 1, maxContacts: wanted - count });
    count = await open();
  }
  // As autovacuum would after a busy day: without statistics the queue's joins are planned for an empty table.
  if (count !== before) await sql`ANALYZE contact, agency_check, contact_history, information_share`.execute(db);
  return count;
}

/** Closes the contacts the bench's own notifications opened, so every run finds the same front door. */
export async function closeBenchContacts(db: Kysely<Database>, areaId: string, referencePrefix: string): Promise<number> {
  const result = await db
    .updateTable('contact')
    .set({ stage: 'closed', closed_at: new Date() })
    .where('area_id', '=', areaId)
    .where('stage', '<>', 'closed')
    .where('event_id', 'in', (eb) => eb.selectFrom('event').select('id').where('area_id', '=', areaId).where('kind', '=', 'police_da_incident').where('source_ref', 'like', `${referencePrefix}%`))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A bearer token for the area's police records system account (the demo's system account). */
export async function policeSystemToken(db: Kysely<Database>, areaId: string): Promise<string> {
  const account = await db
    .selectFrom('app_user as u')
    .innerJoin('agency as g', 'g.id', 'u.agency_id')
    .select('u.id')
    .where('u.area_id', '=', areaId)
    .where('u.kind', '=', 'system')
    .where('g.kind', '=', 'police')
    .executeTakeFirstOrThrow();
  const { token, prefix, hash } = newApiToken();
  await db.insertInto('api_token').values({ area_id: areaId, user_id: account.id, name: 'Benchmark', token_hash: hash, prefix }).execute();
  return token;
}

interface IncidentPerson {
  role: 'adult_victim' | 'alleged_perpetrator' | 'child' | 'subject' | 'other';
  given: string | null;
  family: string | null;
  dob: string | null;
  sex: 'F' | 'M' | 'U' | null;
  nhs: string | null;
  present: boolean | null;
}

interface PastIncident {
  people: IncidentPerson[];
  line1: string | null;
  town: string | null;
  postcode: string | null;
}

/** Past incidents of the area's families, each to be reported again as a new incident. */
export async function sampleIncidents(db: Kysely<Database>, areaId: string, count: number): Promise<PastIncident[]> {
  const { rows } = await sql<{ people: IncidentPerson[]; line1: string | null; town: string | null; postcode: string | null }>`
    SELECT json_agg(json_build_object('role', ep.role, 'given', p.given_name, 'family', p.family_name, 'dob', p.date_of_birth, 'sex', p.sex,
        'nhs', p.nhs_number, 'present', ep.child_present) ORDER BY ep.role, p.id) AS people,
      min(a.line1) AS line1, min(a.town) AS town, min(a.postcode) AS postcode
    FROM event e
    JOIN event_person ep ON ep.event_id = e.id
    JOIN person p ON p.id = ep.person_id
    LEFT JOIN address a ON a.id = e.address_id AND NOT a.confidential
    WHERE e.area_id = ${areaId} AND e.kind = 'police_da_incident'
    GROUP BY e.id
    HAVING bool_or(ep.role = 'adult_victim') AND bool_and(p.given_name IS NOT NULL AND p.family_name IS NOT NULL)
      AND NOT bool_or(ep.role = 'child' AND p.date_of_birth IS NULL)
    ORDER BY md5(e.id::text)
    LIMIT ${count}`.execute(db);
  return rows;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dashAnswers = (prng: Prng) => {
  const yes = prng.int(2, 18);
  return Object.fromEntries(Array.from({ length: 27 }, (_, i) => [String(i + 1), { answer: i < yes ? 'yes' : 'no' }]));
};

/**
 * Police notifications, one per call: three in four report a past incident's family again
 * (keyed afresh, with the nicknames and typos police records have), one in four a family the
 * area has never known. Each has a new police reference under `prefix`.
 */
export function notificationSource(incidents: readonly PastIncident[], prefix: string, seed: number): () => string {
  const prng = new Prng([seed, 3, 5]);
  let n = 0;
  const now = Date.now();
  return () => {
    const reference = `${prefix}${n++}`;
    const occurredAt = new Date(now - prng.int(1, 48) * 3_600_000).toISOString();
    const past = incidents.length > 0 && prng.chance(0.75) ? incidents[n % incidents.length] : undefined;
    const people = past ? knownPeople(prng, past) : newFamily(prng);
    const where = past?.line1 ? { line1: past.line1, town: past.town ?? undefined, postcode: past.postcode ?? undefined } : { line1: `${prng.int(1, 120)} Bench Road`, town: 'Northbridge' };
    return JSON.stringify({
      policeReference: reference,
      occurredAt,
      location: [where.line1, where.town, where.postcode].filter(Boolean).join(', '),
      attendingOfficer: { name: 'PC Bench', collarNumber: String(1000 + (n % 9000)) },
      people: people.map((p, i) => ({ ...p, sourceRef: `${reference}-P${i}`, ...(p.role === 'adult_victim' ? { address: where } : {}) })),
      circumstances: 'Argument escalated; neighbour called police after hearing shouting.',
      injuries: prng.chance(0.3) ? 'Bruising to the arm' : undefined,
      weapons: prng.chance(0.1) ? 'Kitchen knife' : 'none',
      dash: { set: 'police_27', answers: dashAnswers(prng) },
      riskGrade: prng.pick(['standard', 'standard', 'medium', 'high'] as const),
      actions: { arrest: prng.chance(0.4), dvpn: prng.chance(0.1), idvaReferral: prng.chance(0.3) },
      victimConsent: prng.chance(0.6),
    });
  };
}

function knownPeople(prng: Prng, past: PastIncident): Record<string, unknown>[] {
  return past.people.map((p) => {
    let given = p.given as string;
    const nick = nicknamesOf(given);
    if (nick.length > 0 && prng.chance(0.15)) given = prng.pick(nick);
    else if (prng.chance(0.05)) given = introduceTypo(prng, given);
    const family = prng.chance(0.05) ? introduceTypo(prng, p.family as string) : p.family;
    return {
      role: p.role === 'subject' ? 'other' : p.role,
      givenName: given,
      familyName: family,
      ...(p.dob ? { dateOfBirth: p.dob } : {}),
      ...(p.sex ? { sex: p.sex } : {}),
      ...(p.nhs && prng.chance(0.3) ? { nhsNumber: p.nhs } : {}),
      ...(p.role === 'alleged_perpetrator' ? { relationshipToVictim: 'partner' } : {}),
      ...(p.role === 'child' ? { relationshipToVictim: 'child', present: p.present ?? prng.chance(0.6) } : {}),
    };
  });
}

function newFamily(prng: Prng): Record<string, unknown>[] {
  const background = backgroundTable.pick(prng);
  const family = chooseFamilyName(prng, background);
  const year = new Date().getUTCFullYear();
  const adult = (sex: Sex) => {
    const born = prng.int(year - 50, year - 19);
    return { givenName: chooseGivenName(prng, background, sex, born), familyName: familyNameFor(family, sex), dateOfBirth: `${born}-${pad(prng.int(1, 12))}-${pad(prng.int(1, 28))}`, sex };
  };
  const children = Array.from({ length: prng.int(1, 3) }, () => {
    const sex: Sex = prng.chance(0.5) ? 'F' : 'M';
    const born = prng.int(year - 16, year - 1);
    return {
      role: 'child', givenName: chooseGivenName(prng, background, sex, born), familyName: familyNameFor(family, sex),
      dateOfBirth: `${born}-${pad(prng.int(1, 12))}-${pad(prng.int(1, 28))}`, sex, relationshipToVictim: 'child', present: prng.chance(0.6),
    };
  });
  return [{ role: 'adult_victim', ...adult('F') }, { role: 'alleged_perpetrator', relationshipToVictim: 'partner', ...adult('M') }, ...children];
}

/**
 * Waits until a server just started has caught up with its background work, as one that has been
 * up a while has: the area's daily refresh of open flags done (once it is due that day) and no
 * outbox entry due. On the county the refresh alone is about a minute of both cores, which would
 * otherwise be measured as part of the first pages. Returns the seconds waited.
 */
export async function backgroundWorkSettled(db: Kysely<Database>, areaId: string, timeoutSeconds = 1_200): Promise<number> {
  const started = performance.now();
  for (;;) {
    const now = new Date();
    const today = londonDate(now);
    const refreshDue = now >= londonInstant(today, flagRefreshAfter) && (await db.selectFrom('risk_flag').select('id').where('area_id', '=', areaId).where('cleared_at', 'is', null).limit(1).executeTakeFirst()) !== undefined;
    const refreshed = !refreshDue || (await db.selectFrom('risk_refresh_run').select('day').where('area_id', '=', areaId).where('day', '=', today).where('finished_at', 'is not', null).executeTakeFirst()) !== undefined;
    const due = await db.selectFrom('outbox').select('id').where('area_id', '=', areaId).where('status', '=', 'pending').where('available_at', '<=', now).limit(1).executeTakeFirst();
    const seconds = (performance.now() - started) / 1000;
    if (refreshed && !due) return seconds;
    if (seconds > timeoutSeconds) throw new Error(`The server's background work had not settled after ${timeoutSeconds} s (daily refresh ${refreshed ? 'done' : 'not done'}, outbox ${due ? 'has entries due' : 'empty'})`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
