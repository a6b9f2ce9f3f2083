// The access matrix: every role × agency × involvement state × action, through the real pages and
// the JSON API, each cell checked against the expected outcome written out below, independently
// of src/sharing/involvement.ts (a change to either alone fails here).
//
//   role:        every role, agency systems included (they call the API with a token).
//   agency:      the user works in the role's usual agency and team ("home"), or in another one
//                ("elsewhere"); the involvement is recorded against the home agency and team, or
//                against the user themselves when it is personal (their allocation, the incident
//                they notified, their emergency access, their inspection window).
//   involvement: none, or one of the kinds in README.md, each on a person of its own.
//   action:      the rows of `actions`; a new page is one more row.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { roles, type Role } from '../access/roles';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { createPerson, createSystemToken, createUser, createArea, addAgency, type TestArea } from '../../test/support/factories';
import type { TestDatabase } from '../../test/support/database';
import { formatCalendarDate } from '../web/views';
import { addTeam, allocate, breakGlassGrant, openInspectionWindow, putInTeam } from './testing/factories';

const states = ['none', 'allocated_self', 'allocated_team', 'front_door', 'agency_check', 'school_dsl', 'marac', 'notified', 'break_glass', 'inspection'] as const;
type State = (typeof states)[number];
const agencies = ['home', 'elsewhere'] as const;
type AgencyCase = (typeof agencies)[number];
type Level = 'full' | 'name_only' | 'none';

// ---- The expected policy, written out again (README.md, "Who sees what").

/** Involvement that reaches a user working elsewhere: it is theirs, or their role's, not their agency's. */
const personal: readonly State[] = ['allocated_self', 'front_door', 'marac', 'notified', 'break_glass', 'inspection'];
const involved = (state: State, agency: AgencyCase) => state !== 'none' && (agency === 'home' || personal.includes(state));

const fullThrough: Partial<Record<Role, readonly State[]>> = {
  police_officer: ['allocated_self', 'allocated_team', 'agency_check', 'notified', 'break_glass'],
  mash_practitioner: ['allocated_self', 'allocated_team', 'front_door', 'break_glass'],
  mash_manager: ['allocated_self', 'allocated_team', 'front_door', 'break_glass'],
  social_worker: ['allocated_self', 'allocated_team', 'break_glass'],
  team_manager: ['allocated_self', 'allocated_team', 'front_door', 'break_glass'],
  idva: ['allocated_self', 'allocated_team', 'agency_check', 'marac', 'break_glass'],
  marac_coordinator: ['allocated_self', 'allocated_team', 'marac', 'break_glass'],
};

function expectedLevel(role: Role, agency: AgencyCase, state: State): Level {
  const through = involved(state, agency) ? state : 'none';
  if (role === 'qa_officer') return 'full';
  if (role === 'inspector') return through === 'inspection' ? 'full' : 'none';
  if (role === 'information_governance') return 'name_only';
  const opening = fullThrough[role];
  if (!opening) return 'none';
  return opening.includes(through) ? 'full' : 'name_only';
}

const has: Record<string, readonly Role[]> = {
  view: ['police_officer', 'mash_practitioner', 'mash_manager', 'social_worker', 'team_manager', 'idva', 'marac_coordinator', 'qa_officer', 'inspector', 'information_governance'],
  accessLog: ['mash_practitioner', 'mash_manager', 'social_worker', 'team_manager', 'idva', 'marac_coordinator', 'qa_officer', 'information_governance'],
  breakGlass: ['police_officer', 'mash_practitioner', 'mash_manager', 'social_worker', 'team_manager', 'idva', 'marac_coordinator'],
  review: ['mash_manager', 'team_manager'],
  allocate: ['mash_manager', 'team_manager'],
  report: ['mash_manager', 'team_manager', 'qa_officer', 'inspector', 'information_governance'],
  frontDoor: ['mash_practitioner', 'mash_manager', 'team_manager', 'qa_officer', 'inspector'],
};
const may = (what: keyof typeof has, role: Role) => has[what]?.includes(role) ?? false;
/** An inspector holds no permission outside a window of access: every page refuses them. */
const outsideWindow = (c: Pick<Cell, 'role' | 'state' | 'agency'>) => c.role === 'inspector' && !(c.state === 'inspection' && involved(c.state, c.agency));

// ---- The actions: a path and what each cell should answer.

interface Cell {
  role: Role;
  agency: AgencyCase;
  state: State;
  level: Level;
  person: { id: string; dateOfBirth: string };
}

/** 'full', 'name_only' (the summary, no date of birth), or an HTTP status with nothing about the person. */
type Outcome = 'full' | 'name_only' | 'listed' | 'listed_name_only' | 'not_listed' | number;

interface Action {
  name: string;
  path: (cell: Cell) => string;
  /** The same answer for every person: asked once per user. */
  perUser?: boolean;
  expected: (cell: Cell) => Outcome;
}

const personPage = (c: Cell): Outcome => (!may('view', c.role) || outsideWindow(c) ? 403 : c.level === 'none' ? 404 : c.level);
const recordLevel = (allowed: boolean, ok: boolean): Outcome => (allowed && ok ? 200 : 404);

const actions: Action[] = [
  { name: 'person page', path: (c) => `/people/${c.person.id}`, expected: personPage },
  {
    name: 'search', path: (c) => `/people?dateOfBirth=${c.person.dateOfBirth}`,
    expected: (c) => (!may('view', c.role) || outsideWindow(c) ? 403 : c.level === 'none' ? 'not_listed' : c.level === 'full' ? 'listed' : 'listed_name_only'),
  },
  {
    name: 'who has seen this', path: (c) => `/people/${c.person.id}/access-log`,
    expected: (c) => recordLevel(
      c.role === 'information_governance'
        || (['mash_manager', 'team_manager', 'qa_officer'].includes(c.role) && c.level === 'full')
        || (may('accessLog', c.role) && c.state === 'allocated_self' && c.level === 'full'),
      true),
  },
  { name: 'emergency access form', path: (c) => `/people/${c.person.id}/break-glass`, expected: (c) => recordLevel(may('breakGlass', c.role), c.level !== 'none') },
  { name: 'sensitive notes', path: (c) => `/people/${c.person.id}/sensitive-notes`, expected: (c) => recordLevel(may('breakGlass', c.role), c.level === 'full') },
  { name: 'what was shared', path: (c) => `/people/${c.person.id}/shares`, expected: (c) => recordLevel(may('view', c.role), c.level === 'full') },
  { name: 'allocation', path: (c) => `/people/${c.person.id}/allocation`, expected: (c) => recordLevel(may('allocate', c.role), c.level !== 'none') },
  { name: 'subject access (HTML)', path: (c) => `/people/${c.person.id}/subject-access?reference=M-1`, expected: (c) => recordLevel(c.role === 'information_governance', true) },
  { name: 'subject access (JSON)', path: (c) => `/people/${c.person.id}/subject-access.json?reference=M-1`, expected: (c) => recordLevel(c.role === 'information_governance', true) },
  { name: 'emergency access notices', path: () => '/emergency-access', perUser: true, expected: (c) => (may('breakGlass', c.role) ? 200 : 403) },
  { name: 'emergency access reviews', path: () => '/oversight/break-glass', perUser: true, expected: (c) => (may('review', c.role) ? 200 : 403) },
  {
    name: 'shares without consent', path: () => '/oversight/shares-without-consent', perUser: true,
    expected: (c) => (may('report', c.role) && !outsideWindow(c) ? 200 : 403),
  },
  {
    name: 'front-door queue', path: () => '/front-door', perUser: true,
    expected: (c) => (may('frontDoor', c.role) && !outsideWindow(c) ? 200 : 403),
  },
  { name: 'retention reviews', path: () => '/retention', perUser: true, expected: (c) => (c.role === 'information_governance' ? 200 : 403) },
  { name: 'inspectors’ access', path: () => '/admin/inspections', perUser: true, expected: (c) => (c.role === 'administrator' ? 200 : 403) },
  { name: 'API: who am I', path: () => '/api/v1/me', perUser: true, expected: (c) => (c.role === 'agency_system' ? 200 : 401) },
];

// ---- The world: for each role, agency case and state, a user and a person with that involvement.

interface MatrixUser {
  role: Role;
  id: string;
  agencyId: string;
  signIn: () => Promise<(path: string) => Promise<{ statusCode: number; body: string }>>;
}

const unique = () => randomBytes(3).toString('hex');

async function matrixWorld(database: TestDatabase, app: FastifyInstance) {
  const db = database.db;
  const area: TestArea = await createArea(db);
  const secondSchool = await addAgency(db, area, 'school', 'Hillside Academy');
  const homeAgency: Record<Role, string> = {
    police_officer: area.agencies.police, mash_practitioner: area.agencies.socialCare, mash_manager: area.agencies.socialCare,
    agency_researcher: area.agencies.health, school_dsl: area.agencies.school, social_worker: area.agencies.socialCare, team_manager: area.agencies.socialCare,
    idva: area.agencies.idva, marac_coordinator: area.agencies.idva, qa_officer: area.agencies.socialCare, performance_officer: area.agencies.socialCare,
    inspector: area.agencies.socialCare, administrator: area.agencies.socialCare, information_governance: area.agencies.socialCare, agency_system: area.agencies.police,
  };
  const elsewhere = (role: Role) => (role === 'school_dsl' ? secondSchool : homeAgency[role] === area.agencies.health ? area.agencies.police : area.agencies.health);
  const someone = await createUser(db, area, 'mash_manager', { name: 'Matrix Setup' });
  let serial = 0;
  // Dates of birth with the day after the 12th, so that no search swaps day and month into another.
  const nextPerson = async () => {
    serial += 1;
    const day = new Date(Date.UTC(1940, 0, 13) + serial * 86_400_000 * 31);
    const dateOfBirth = `${day.getUTCFullYear()}-${String(day.getUTCMonth() + 1).padStart(2, '0')}-${String(13 + (serial % 15)).padStart(2, '0')}`;
    return createPerson(db, area, { givenName: `Matrix${serial}`, familyName: `Person${unique()}`, dateOfBirth });
  };
  const users: { role: Role; agency: AgencyCase; state: State; user: MatrixUser; person: { id: string; dateOfBirth: string } }[] = [];

  for (const role of roles) {
    const homeTeam = await addTeam(db, area, homeAgency[role], `${role} home team`);
    const otherTeam = await addTeam(db, area, elsewhere(role), `${role} other team`);
    const makeUser = async (agency: AgencyCase, inspection: boolean): Promise<MatrixUser> => {
      const agencyId = agency === 'home' ? homeAgency[role] : elsewhere(role);
      if (role === 'agency_system') {
        const token = await createSystemToken(db, area, agencyId);
        return {
          role, id: '', agencyId,
          signIn: async () => {
            const client = new TestClient(app);
            return (path) => client.get(path, { authorization: `Bearer ${token}` });
          },
        };
      }
      const created = await createUser(db, area, role, { agencyId });
      await putInTeam(db, created.id, agency === 'home' ? homeTeam : otherTeam);
      if (inspection) await openInspectionWindow(db, area, created.id, { grantedBy: someone.id });
      return {
        role, id: created.id, agencyId,
        signIn: async () => {
          const client = new TestClient(app);
          const response = await client.signIn(created.email, created.password);
          if (response.statusCode !== 302) throw new Error(`${role} could not sign in`);
          return (path) => client.get(path);
        },
      };
    };
    for (const agency of agencies) {
      const plain = await makeUser(agency, false);
      const withWindow = await makeUser(agency, true);
      for (const state of states) {
        const user = state === 'inspection' ? withWindow : plain;
        const person = await nextPerson();
        await involve(database, area, state, { role, userId: user.id, agencyId: homeAgency[role], teamId: homeTeam, setupUserId: someone.id }, person.id);
        users.push({ role, agency, state, user, person: { id: person.id, dateOfBirth: person.dateOfBirth } });
      }
    }
  }
  return users;
}

/** Records one kind of involvement of `person` with the user (or their home agency and team). */
async function involve(
  database: TestDatabase, area: TestArea, state: State, with_: { role: Role; userId: string; agencyId: string; teamId: string; setupUserId: string }, personId: string,
): Promise<void> {
  const db = database.db;
  const now = Date.now();
  const event = async (recordedBy: string | null) => {
    const row = await db.insertInto('event').values({
      area_id: area.id, agency_id: area.agencies.police, kind: 'police_da_incident', occurred_at: new Date(now - 3_600_000), summary: 'Matrix incident',
      recorded_by: recordedBy, recorded_at: new Date(now - 3_000_000),
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('event_person').values({ area_id: area.id, event_id: row.id, person_id: personId, role: 'child' }).execute();
    return row.id;
  };
  // A closed contact closed 60 days ago: past the front door's frontDoorDays (28), within MARAC's months (12).
  const closedAt = new Date(now - 60 * 86_400_000);
  const contact = async (open: boolean, marac = false) => {
    const row = await db.insertInto('contact').values({
      area_id: area.id, child_person_id: personId, event_id: await event(null), source_agency_id: area.agencies.police, source: 'police_notification',
      received_at: new Date(now - 3_000_000), decision_due_at: new Date(now + 86_400_000), team_id: area.mashTeamId,
      stage: open ? 'screening' : 'closed', closed_at: open ? null : closedAt,
      ...(marac ? { decision: 'strategy_discussion' as const, decision_reasons: 'Matrix', marac_referral: true, decided_at: closedAt, decided_by: with_.setupUserId } : {}),
    }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  };
  switch (state) {
    case 'none': case 'inspection': return;
    case 'allocated_self': await allocate(db, area, personId, { teamId: with_.teamId, workerId: with_.userId || null, by: with_.setupUserId }); return;
    case 'allocated_team': await allocate(db, area, personId, { teamId: with_.teamId, by: with_.setupUserId }); return;
    case 'front_door': await contact(true); return;
    case 'marac': await contact(false, true); return;
    case 'agency_check': {
      const contactId = await contact(false);
      await db.insertInto('agency_check').values({
        area_id: area.id, contact_id: contactId, agency_id: with_.agencyId, question: 'Known?', requested_by: with_.setupUserId, due_at: new Date(now + 86_400_000),
      }).execute();
      return;
    }
    case 'school_dsl':
      // At the school lead's own school; for other roles, at the area's school (which they do not work at).
      await db.insertInto('education').values({ area_id: area.id, person_id: personId, school_agency_id: with_.role === 'school_dsl' ? with_.agencyId : area.agencies.school, from_date: '2020-09-01' }).execute();
      return;
    case 'notified': await event(with_.userId || null); return;
    case 'break_glass':
      if (with_.userId) await breakGlassGrant(db, area, { id: with_.userId, agencyId: with_.agencyId }, personId, { startedAt: new Date(now - 60_000), expiresAt: new Date(now + 3_600_000) });
      return;
  }
}

/** What a response shows of the cell's person. */
function observe(action: Action, cell: Cell, response: { statusCode: number; body: string }): Outcome {
  const born = formatCalendarDate(cell.person.dateOfBirth);
  const mentions = response.body.includes(cell.person.id);
  if (action.name === 'search' && response.statusCode === 200) {
    if (!mentions) return 'not_listed';
    return response.body.includes(born) ? 'listed' : 'listed_name_only';
  }
  if (action.name === 'person page' && response.statusCode === 200) {
    if (response.body.includes('Name-only summary') && !response.body.includes(born)) return 'name_only';
    return response.body.includes(born) ? 'full' : 200;
  }
  return response.statusCode;
}

describeEachEngine('the access matrix', (ctx) => {
  it('answers every role × agency × involvement × action as expected, on the pages and the API', async () => {
    const { app, database } = ctx();
    const cells = await matrixWorld(database, app);
    const mismatches: string[] = [];
    let checked = 0;
    const clients = new Map<MatrixUser, (path: string) => Promise<{ statusCode: number; body: string }>>();
    const seen = new Map<string, { statusCode: number; body: string }>();
    for (const { role, agency, state, user, person } of cells) {
      let get = clients.get(user);
      if (!get) {
        get = await user.signIn();
        clients.set(user, get);
      }
      const cell: Cell = { role, agency, state, person, level: expectedLevel(role, agency, state) };
      for (const action of actions) {
        const path = action.path(cell);
        const key = `${role}|${agency}|${user.id}|${path}`;
        let response = action.perUser ? seen.get(key) : undefined;
        if (!response) {
          response = await get(path);
          if (action.perUser) seen.set(key, response);
        }
        // Agency systems have no browser session: every page sends them to sign in.
        const expected = role === 'agency_system' && !path.startsWith('/api/') ? 302 : action.expected(cell);
        const actual = observe(action, cell, response);
        checked += 1;
        if (actual !== expected) mismatches.push(`${role} | ${agency} | ${state} | ${action.name}: expected ${expected}, got ${actual}`);
        // Whatever the answer, a refusal never carries the person's details.
        if (typeof expected === 'number' && expected >= 300 && response.body.includes(formatCalendarDate(person.dateOfBirth))) {
          mismatches.push(`${role} | ${agency} | ${state} | ${action.name}: refused, but shows the date of birth`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(roles.length * agencies.length * states.length * actions.length);
  }, 900_000);
});

