// Risk recomputed on arrival, against real databases: notifications sent through the intake API
// raise and update the flags of the child and their household, store the DASH, and judge the
// MARAC criteria for the victim; acknowledging keeps the history; the child's page data.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine, TestClient, type TestApp } from '../../test/support/app';
import { createArea, createPerson, createSystemToken, createUser, gateForUser, resolveRecord, type TestArea, type TestUser } from '../../test/support/factories';
import { londonDate, londonInstant } from '../calendar/london';
import { addTeam, allocate, putInTeam } from '../sharing/testing/factories';
import { createViewEnvironment } from '../web/views';
import { recomputeRiskForEvent } from './recompute';
import { refreshOpenFlags } from './refresh';
import { flagsAroundPerpetrator, loadPersonRisk } from './view';

function notification(reference: string, occurredAt: string, overrides: Record<string, unknown> = {}) {
  return {
    policeReference: reference,
    occurredAt,
    location: '14 Larch Close, Testbury TE2 5RD',
    attendingOfficer: { name: 'PC Dana Hollis' },
    people: [
      { role: 'adult_victim', sourceRef: 'N-LB', givenName: 'Leanne', familyName: 'Brooker', dateOfBirth: '1992-06-14', sex: 'F',
        address: { line1: '14 Larch Close', town: 'Testbury', postcode: 'TE2 5RD' } },
      { role: 'alleged_perpetrator', sourceRef: 'N-CD', givenName: 'Craig', familyName: 'Dunmore', dateOfBirth: '1989-01-30', sex: 'M', relationshipToVictim: 'partner' },
      { role: 'child', sourceRef: 'N-MB', givenName: 'Mia', familyName: 'Brooker', dateOfBirth: '2017-09-03', sex: 'F', relationshipToVictim: 'child',
        present: true, whereDuringIncident: 'On the landing', childVoice: 'I told Mummy to stop crying' },
    ],
    circumstances: 'Argument escalated; neighbour called police.',
    dash: { set: 'police_27', answers: Object.fromEntries(Array.from({ length: 27 }, (_, i) => [String(i + 1), { answer: i < 9 ? 'yes' : 'no' }])) },
    riskGrade: 'medium',
    victimConsent: true,
    ...overrides,
  };
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

async function send(testApp: TestApp, token: string, payload: unknown) {
  const response = await testApp.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${token}` }, payload: payload as object });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { eventId: string; people: { sourceRef: string; personId: string }[] };
}

async function openFlags(testApp: TestApp, area: TestArea) {
  return testApp.database.db.selectFrom('risk_flag').selectAll().where('area_id', '=', area.id).where('cleared_at', 'is', null).orderBy('kind').execute();
}

/** The child's case, allocated by a team manager to the social worker and their team: need to know gives them the family's full record. */
async function allocateCase(testApp: TestApp, area: TestArea, childId: string, worker: TestUser): Promise<void> {
  const { db } = testApp.database;
  const team = await addTeam(db, area, area.agencies.socialCare, 'Assessment team');
  const manager = await createUser(db, area, 'team_manager');
  await putInTeam(db, manager.id, team);
  await putInTeam(db, worker.id, team);
  await allocate(db, area, childId, { teamId: team, workerId: worker.id, by: manager.id });
}

describeEachEngine('risk recomputed as events arrive', (ctx) => {
  it('raises repeat incidents at the second incident and escalation with a MARAC recommendation at the third, naming all three', async () => {
    const testApp = ctx();
    const { db } = testApp.database;
    const area = await createArea(db);
    const token = await createSystemToken(db, area, area.agencies.police);

    const first = await send(testApp, token, notification('TP-R-0001', daysAgo(200)));
    expect(await openFlags(testApp, area)).toEqual([]);
    const mia = first.people.find((p) => p.sourceRef === 'N-MB')!.personId;
    const leanne = first.people.find((p) => p.sourceRef === 'N-LB')!.personId;

    const second = await send(testApp, token, notification('TP-R-0002', daysAgo(90)));
    expect((await openFlags(testApp, area)).map((f) => [f.kind, f.person_id])).toEqual([['repeat_incidents', mia]]);

    const third = await send(testApp, token, notification('TP-R-0003', daysAgo(1)));
    const flags = await openFlags(testApp, area);
    expect(flags.map((f) => f.kind)).toEqual(['escalation', 'repeat_incidents']);
    const escalation = flags.find((f) => f.kind === 'escalation')!;
    expect(escalation).toMatchObject({ subject_kind: 'child', person_id: mia, raised_on_event_id: third.eventId });
    expect(escalation.raised_by.map((s) => ('eventId' in s ? s.eventId : null))).toEqual([first.eventId, second.eventId, third.eventId]);
    expect(escalation.explanation).toMatch(/^3 domestic abuse incidents in the 12 months to /);
    // The repeat flag, raised at the second incident, is the same flag brought up to date.
    const repeat = flags.find((f) => f.kind === 'repeat_incidents')!;
    expect(repeat.version).toBe(2);
    expect(repeat.raised_on_event_id).toBe(second.eventId);

    const marac = await db.selectFrom('marac_recommendation').selectAll().where('victim_person_id', '=', leanne).orderBy('as_of').execute();
    expect(marac.map((m) => m.recommended)).toEqual([false, false, true]);
    const escalated = marac[2]!.criteria.find((c) => c.criterion === 'potential_escalation')!;
    expect(escalated).toMatchObject({ met: true, incidentIds: [first.eventId, second.eventId, third.eventId] });
    expect(escalated.explanation).toContain('(Testshire Police)');
    const dash = await db.selectFrom('dash_assessment').selectAll().where('event_id', '=', third.eventId).executeTakeFirstOrThrow();
    expect(dash).toMatchObject({ victim_person_id: leanne, question_set: 'police_27', score: 9, threshold: 14, scored_level: 'standard', level: 'standard' });
    expect(dash.answers['1']).toEqual({ answer: 'yes' });

    const audit = await db.selectFrom('audit_event').select(['record_id', 'details']).where('area_id', '=', area.id).where('action', '=', 'risk.recompute').orderBy('id').execute();
    expect(audit.map((a) => a.record_id)).toEqual([first.eventId, second.eventId, third.eventId]);

    // Judged again with nothing new, nothing is written: each flag keeps its version.
    const officer = await createUser(db, area, 'police_officer');
    const again = await (await gateForUser(testApp.database, officer)).run('self.view', (scope) => recomputeRiskForEvent(scope, third.eventId, new Date()));
    expect(again).toMatchObject({ raised: 0, updated: 0, cleared: 0 });
    expect((await openFlags(testApp, area)).map((f) => [f.kind, f.version])).toEqual(flags.map((f) => [f.kind, f.version]));
  });

  it('clears a flag that time alone has ended at the daily refresh, keeping it in the history, and audits the refresh', async () => {
    const testApp = ctx();
    const { db } = testApp.database;
    const area = await createArea(db);
    const token = await createSystemToken(db, area, area.agencies.police);
    await send(testApp, token, notification('TP-X-0001', daysAgo(300)));
    await send(testApp, token, notification('TP-X-0002', daysAgo(200)));
    const raised = await openFlags(testApp, area);
    expect(raised.map((f) => f.kind)).toEqual(['repeat_incidents']);

    // Today nothing has changed; in 200 days the first incident is more than 12 months old.
    expect(await refreshOpenFlags(testApp.database, new Date())).toMatchObject({ failedAreas: 0 });
    expect((await openFlags(testApp, area)).map((f) => [f.id, f.version])).toEqual(raised.map((f) => [f.id, f.version]));
    const later = new Date(Date.now() + 200 * 86_400_000);
    expect(await refreshOpenFlags(testApp.database, later)).toMatchObject({ failedAreas: 0 });
    expect(await openFlags(testApp, area)).toEqual([]);
    const cleared = await db.selectFrom('risk_flag').select(['id', 'cleared_at']).where('area_id', '=', area.id).execute();
    expect(cleared).toEqual([{ id: raised[0]!.id, cleared_at: later }]);
    const audits = await db.selectFrom('audit_event').select('details').where('area_id', '=', area.id).where('action', '=', 'risk.refresh').orderBy('id').execute();
    expect(audits.map((a) => a.details)).toMatchObject([{ subjects: 1, cleared: 0 }, { subjects: 1, cleared: 1 }]);
  });

  it('runs the daily refresh once per area and London day, whichever server or restart asks, and takes over a claim abandoned for an hour', async () => {
    const testApp = ctx();
    const { db } = testApp.database;
    const area = await createArea(db);
    const token = await createSystemToken(db, area, area.agencies.police);
    await send(testApp, token, notification('TP-D-0001', daysAgo(300)));
    await send(testApp, token, notification('TP-D-0002', daysAgo(200)));
    const refreshes = async () => (await db.selectFrom('audit_event').select('id').where('area_id', '=', area.id).where('action', '=', 'risk.refresh').execute()).length;
    const claim = () => db.selectFrom('risk_refresh_run').select(['day', 'finished_at']).where('area_id', '=', area.id).execute();

    // Two servers polling at once on a new day, at noon in London so that an hour later is the same London day: one refreshes the area.
    const day = londonInstant(londonDate(new Date(Date.now() + 10 * 86_400_000)), '12:00');
    const runs = await Promise.all([refreshOpenFlags(testApp.database, day, { daily: true }), refreshOpenFlags(testApp.database, day, { daily: true })]);
    expect(runs.every((r) => r.failedAreas === 0)).toBe(true);
    expect(await refreshes()).toBe(1);
    expect(await claim()).toEqual([{ day: expect.any(String), finished_at: expect.any(Date) }]);
    // A server restarted the same day finds it done.
    expect((await refreshOpenFlags(testApp.database, new Date(day.getTime() + 3_600_000), { daily: true })).skippedAreas).toBeGreaterThanOrEqual(1);
    expect(await refreshes()).toBe(1);

    // A claim unfinished for less than an hour is another server at work; older, it was abandoned.
    const next = new Date(day.getTime() + 86_400_000);
    const nextDay = (await refreshOpenFlags(testApp.database, next, { daily: true }), (await claim()).map((c) => c.day).sort().at(-1) as string);
    await db.updateTable('risk_refresh_run').set({ finished_at: null, started_at: next }).where('area_id', '=', area.id).where('day', '=', nextDay).execute();
    await refreshOpenFlags(testApp.database, new Date(next.getTime() + 30 * 60_000), { daily: true });
    expect(await refreshes()).toBe(2);
    await refreshOpenFlags(testApp.database, new Date(next.getTime() + 61 * 60_000), { daily: true });
    expect(await refreshes()).toBe(3);
    // An operator's refresh (`hearth risk refresh`) runs whatever the day's claim says.
    await refreshOpenFlags(testApp.database, new Date(next.getTime() + 62 * 60_000));
    expect(await refreshes()).toBe(4);
  });

  it('applies the area\u2019s DASH threshold: 13 "yes" is below 14, and an area threshold of 13 makes it visible high risk', async () => {
    const testApp = ctx();
    const { db } = testApp.database;
    const area = await createArea(db);
    const token = await createSystemToken(db, area, area.agencies.police);
    const answers = (yes: number) => ({ set: 'police_27', answers: Object.fromEntries(Array.from({ length: 27 }, (_, i) => [String(i + 1), { answer: i < yes ? 'yes' : 'no' }])) });
    const below = await send(testApp, token, notification('TP-T-0013', daysAgo(3), { dash: answers(13) }));
    const at = await send(testApp, token, notification('TP-T-0014', daysAgo(2), { dash: answers(14) }));
    const levels = await db.selectFrom('dash_assessment').select(['event_id', 'score', 'scored_level']).where('area_id', '=', area.id).execute();
    expect(levels.find((l) => l.event_id === below.eventId)).toMatchObject({ score: 13, scored_level: 'medium' });
    expect(levels.find((l) => l.event_id === at.eventId)).toMatchObject({ score: 14, scored_level: 'high' });
    const marac = await db.selectFrom('marac_recommendation').select(['event_id', 'recommended', 'criteria']).where('area_id', '=', area.id).execute();
    expect(marac.find((m) => m.event_id === below.eventId)?.recommended).toBe(false);
    expect(marac.find((m) => m.event_id === at.eventId)?.criteria.find((c) => c.criterion === 'visible_high_risk')).toMatchObject({ met: true, incidentIds: [at.eventId] });

    await db.updateTable('area').set({ settings: JSON.stringify({ risk: { dash: { highThreshold: 13, mediumFrom: 9 } } }) }).where('id', '=', area.id).execute();
    const lower = await send(testApp, token, notification('TP-T-1013', daysAgo(1), { dash: answers(13), people: notification('x', '').people.map((p) => ({ ...p, sourceRef: `${p.sourceRef}-2`, familyName: 'Ashworth' })) }));
    expect(await db.selectFrom('dash_assessment').select(['threshold', 'scored_level']).where('event_id', '=', lower.eventId).executeTakeFirstOrThrow()).toEqual({ threshold: 13, scored_level: 'high' });
  });

  it('keeps an acknowledged flag in the history and raises it afresh when new events arrive', async () => {
    const testApp = ctx();
    const { db } = testApp.database;
    const area = await createArea(db);
    const token = await createSystemToken(db, area, area.agencies.police);
    await send(testApp, token, notification('TP-A-0001', daysAgo(100)));
    await send(testApp, token, notification('TP-A-0002', daysAgo(50)));
    const repeat = (await openFlags(testApp, area)).find((f) => f.kind === 'repeat_incidents');
    const worker = await createUser(db, area, 'social_worker');
    await db.updateTable('risk_flag').set({ acknowledged_by: worker.id, acknowledged_at: new Date(), acknowledgement_note: 'Known; safety plan in place.' }).where('id', '=', repeat!.id).execute();

    await send(testApp, token, notification('TP-A-0003', daysAgo(2)));
    const all = await db.selectFrom('risk_flag').selectAll().where('area_id', '=', area.id).where('kind', '=', 'repeat_incidents').orderBy('raised_at').execute();
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({ id: repeat!.id, acknowledgement_note: 'Known; safety plan in place.' });
    expect(all[0]!.cleared_at).not.toBeNull();
    expect(all[1]).toMatchObject({ acknowledged_at: null, cleared_at: null });
    expect(all[1]!.raised_by).toHaveLength(3);
  });

  it('refuses a DASH judgement that lowers the level, on the form and at the database; one that raises it counts for MARAC', async () => {
    const testApp = ctx();
    const { db } = testApp.database;
    const area = await createArea(db);
    const token = await createSystemToken(db, area, area.agencies.police);
    const answers = (yes: number) => ({ set: 'police_27', answers: Object.fromEntries(Array.from({ length: 27 }, (_, i) => [String(i + 1), { answer: i < yes ? 'yes' : 'no' }])) });
    const high = await send(testApp, token, notification('TP-J-0001', daysAgo(2), { dash: answers(15) }));
    const leanne = high.people.find((p) => p.sourceRef === 'N-LB')!.personId;
    const worker = await createUser(db, area, 'social_worker', { name: 'Sofia Reyes' });
    // Mia's case is the worker's; her mother Leanne is within its reach.
    await allocateCase(testApp, area, high.people.find((p) => p.sourceRef === 'N-MB')!.personId, worker);
    const client = new TestClient(testApp.app);
    await client.signIn(worker.email, worker.password);
    const highDash = await db.selectFrom('dash_assessment').select(['id', 'version']).where('event_id', '=', high.eventId).executeTakeFirstOrThrow();
    const form = await client.get(`/people/${leanne}/risk/dash/${highDash.id}/judgement`);
    expect(form.statusCode).toBe(200);
    const lowered = await client.post(`/people/${leanne}/risk/dash/${highDash.id}/judgement`, { version: String(highDash.version), level: 'medium', reason: 'She seemed calmer.' });
    expect(lowered.statusCode).toBe(400);
    expect(lowered.body).toContain('Professional judgement cannot lower a visible high risk: the score is 15, at or above the threshold of 14');
    await expect(db.updateTable('dash_assessment').set({ level: 'medium', judgement_reason: 'x', judged_by: worker.id }).where('id', '=', highDash.id).execute()).rejects.toThrow();

    // A medium score raised to high by judgement: the MARAC criterion of professional judgement is met.
    const medium = await send(testApp, token, notification('TP-J-0002', daysAgo(1), { dash: answers(11) }));
    const mediumDash = await db.selectFrom('dash_assessment').select(['id', 'version', 'scored_level']).where('event_id', '=', medium.eventId).executeTakeFirstOrThrow();
    expect(mediumDash.scored_level).toBe('medium');
    const blank = await client.post(`/people/${leanne}/risk/dash/${mediumDash.id}/judgement`, { version: String(mediumDash.version), level: 'high', reason: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Write the reason for your professional judgement');
    const raised = await client.post(`/people/${leanne}/risk/dash/${mediumDash.id}/judgement`, { version: String(mediumDash.version), level: 'high', reason: 'Strangulation disclosed to the IDVA after the call.' });
    expect(raised.statusCode).toBe(302);
    expect(raised.headers.location).toBe(`/people/${leanne}`);
    const marac = await db.selectFrom('marac_recommendation').select(['recommended', 'criteria']).where('event_id', '=', medium.eventId).executeTakeFirstOrThrow();
    expect(marac.criteria.find((c) => c.criterion === 'professional_judgement')).toMatchObject({ met: true, incidentIds: [medium.eventId] });
    const stale = await client.post(`/people/${leanne}/risk/dash/${mediumDash.id}/judgement`, { version: String(mediumDash.version), level: 'high', reason: 'Again.' });
    expect(stale.statusCode).toBe(409);
    const audit = await db.selectFrom('audit_event').select(['reason', 'subject_person_id']).where('area_id', '=', area.id).where('action', '=', 'risk.dash_judgement').execute();
    expect(audit).toEqual([{ reason: 'Strangulation disclosed to the IDVA after the call.', subject_person_id: leanne }]);
  });

  it('acknowledges a flag with a note through the form, and only for roles that may', async () => {
    const testApp = ctx();
    const { db } = testApp.database;
    const area = await createArea(db);
    const token = await createSystemToken(db, area, area.agencies.police);
    const first = await send(testApp, token, notification('TP-K-0001', daysAgo(40)));
    await send(testApp, token, notification('TP-K-0002', daysAgo(4)));
    const mia = first.people.find((p) => p.sourceRef === 'N-MB')!.personId;
    const flag = (await openFlags(testApp, area)).find((f) => f.kind === 'repeat_incidents')!;
    const path = `/people/${mia}/risk/flags/${flag.id}/acknowledge`;

    const officer = await createUser(db, area, 'police_officer');
    const police = new TestClient(testApp.app);
    await police.signIn(officer.email, officer.password);
    expect((await police.get(path)).statusCode).toBe(403);

    const worker = await createUser(db, area, 'mash_practitioner', { name: 'Priya Sharma' });
    const client = new TestClient(testApp.app);
    await client.signIn(worker.email, worker.password);
    const form = await client.get(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Acknowledge the flag: Repeat incidents');
    const empty = await client.post(path, { version: String(flag.version), note: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Write a note');
    const done = await client.post(path, { version: String(flag.version), note: 'Discussed at the strategy meeting; safety plan in place.' });
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe(`/people/${mia}`);
    expect(await db.selectFrom('risk_flag').select(['acknowledged_by', 'acknowledgement_note', 'cleared_at']).where('id', '=', flag.id).executeTakeFirstOrThrow())
      .toEqual({ acknowledged_by: worker.id, acknowledgement_note: 'Discussed at the strategy meeting; safety plan in place.', cleared_at: null });
    expect((await client.post(path, { version: String(flag.version + 1), note: 'Again' })).statusCode).toBe(409);
    // Another area's flag is not found, as if it did not exist.
    const elsewhere = await createArea(db);
    const stranger = await createUser(db, elsewhere, 'mash_practitioner');
    const outside = new TestClient(testApp.app);
    await outside.signIn(stranger.email, stranger.password);
    expect((await outside.get(path)).statusCode).toBe(404);
  });

  it('keeps every version of a child\u2019s lived-experience summary, the child\u2019s words exactly as given, and refuses a stale write', async () => {
    const testApp = ctx();
    const { db } = testApp.database;
    const area = await createArea(db);
    const token = await createSystemToken(db, area, area.agencies.police);
    const sent = await send(testApp, token, notification('TP-L-0001', daysAgo(3)));
    const mia = sent.people.find((p) => p.sourceRef === 'N-MB')!.personId;
    const leanne = sent.people.find((p) => p.sourceRef === 'N-LB')!.personId;
    const worker = await createUser(db, area, 'social_worker', { name: 'Sofia Reyes' });
    await allocateCase(testApp, area, mia, worker);
    const client = new TestClient(testApp.app);
    await client.signIn(worker.email, worker.password);
    const form = await client.get(`/people/${mia}/lived-experience`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('I told Mummy to stop crying');
    expect((await client.post(`/people/${mia}/lived-experience`, { supersedes: '', summary: '' })).statusCode).toBe(400);
    const words = '  I hide on the landing   when they shout.';
    const first = await client.post(`/people/${mia}/lived-experience`, { supersedes: '', summary: 'I live with Mum. When Craig shouts I sit on the landing.', childWords: words });
    expect(first.statusCode).toBe(302);
    const [v1] = await db.selectFrom('lived_experience').selectAll().where('person_id', '=', mia).execute();
    expect(v1!.child_words).toBe(words);
    // Someone still holding the empty form cannot overwrite it.
    expect((await client.post(`/people/${mia}/lived-experience`, { supersedes: '', summary: 'Another.' })).statusCode).toBe(409);
    expect((await client.post(`/people/${mia}/lived-experience`, { supersedes: v1!.id, summary: 'I live with Mum. Craig has left; I sleep better.' })).statusCode).toBe(302);
    expect(await db.selectFrom('lived_experience').select('id').where('person_id', '=', mia).execute()).toHaveLength(2);
    // An adult has no lived-experience summary of this kind.
    expect((await client.get(`/people/${leanne}/lived-experience`)).statusCode).toBe(400);
  });

  it('withholds where the child was, how they seemed and their words when they mention a sealed address, from those who may not see it', async () => {
    const testApp = ctx();
    const { db } = testApp.database;
    const area = await createArea(db);
    const token = await createSystemToken(db, area, area.agencies.police);
    const refuge = '3 Heron Wharf';
    const sent = await send(testApp, token, notification('TP-S-0001', daysAgo(2), {
      location: `${refuge}, Testbury TE2 9HW`,
      people: [
        { role: 'adult_victim', sourceRef: 'N-LB', givenName: 'Leanne', familyName: 'Brooker', dateOfBirth: '1992-06-14', sex: 'F',
          address: { line1: refuge, town: 'Testbury', postcode: 'TE2 9HW' } },
        { role: 'child', sourceRef: 'N-MB', givenName: 'Mia', familyName: 'Brooker', dateOfBirth: '2017-09-03', sex: 'F', relationshipToVictim: 'child',
          present: true, whereDuringIncident: `In the hall at ${refuge}`, childVoice: `I like it at ${refuge}`, demeanour: `Asked to go back to ${refuge.toUpperCase()}` },
      ],
    }));
    const mia = sent.people.find((p) => p.sourceRef === 'N-MB')!.personId;
    await db.updateTable('address').set({ confidential: true }).where('area_id', '=', area.id).where('line1', '=', refuge).execute();

    // What practitioners wrote that names the refuge: an officer's DASH note and a judgement, a
    // lived-experience summary, an acknowledgement of a flag.
    const manager = await createUser(db, area, 'mash_manager');
    await sql`UPDATE dash_assessment SET answers = jsonb_set(answers, '{1}', ${JSON.stringify({ answer: 'yes', note: `Fled to ${refuge}` })}::jsonb),
      judgement_reason = ${`Perpetrator has been seen outside TE2 9HW`} WHERE event_id = ${sent.eventId}`.execute(db);
    await db.insertInto('lived_experience').values({ area_id: area.id, person_id: mia, summary: `Mia feels safe at ${refuge} with Mum`, child_words: 'I have my own room', written_by: manager.id }).execute();
    await db.insertInto('risk_flag').values({
      area_id: area.id, kind: 'recent_separation', subject_kind: 'child', person_id: mia, person_ids: [mia], explanation: 'Separated', raised_by: JSON.stringify([]), raised_at: new Date(), updated_at: new Date(),
      acknowledged_by: manager.id, acknowledged_at: new Date(), acknowledgement_note: `Mum moved to ${refuge.toLowerCase()}`,
    }).execute();

    const worker = await createUser(db, area, 'social_worker', { name: 'Sofia Reyes' });
    await allocateCase(testApp, area, mia, worker);
    const withheld = 'Withheld: it mentions a confidential address';
    const risk = await (await gateForUser(testApp.database, worker)).run('person.view', (scope) => loadPersonRisk(scope, mia));
    expect(risk!.experience!.reasons).toContain(`Present (${withheld})`);
    expect(risk!.experience).toMatchObject({ howTheySeemed: withheld, childSaid: withheld });
    expect(risk!.ownWords.map((w) => w.text)).toEqual([withheld]);
    expect(risk!.livedExperience).toMatchObject({ summary: withheld, childWords: 'I have my own room' });
    expect(risk!.history.find((f) => f.kind === 'recent_separation')?.acknowledged?.note).toBe(withheld);
    expect(risk!.dash?.judgement?.reason).toBe(withheld);
    expect(risk!.dash?.answers.find((a) => a.number === 1)?.note).toBe(withheld);
    const client = new TestClient(testApp.app);
    await client.signIn(worker.email, worker.password);
    const form = await client.get(`/people/${mia}/lived-experience`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(withheld);
    expect(form.body).toContain('The current summary mentions a confidential address that you may not see');
    expect(form.body).not.toContain(refuge);
    expect(form.body).not.toContain('TE2 9HW');
    const page = await client.get(`/people/${mia}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(refuge);
    expect(page.body).not.toContain(refuge.toUpperCase());
    expect(page.body).not.toContain(refuge.toLowerCase());
    expect(page.body).not.toContain('TE2 9HW');

    // A MASH manager working the contact may see sealed addresses: they read it all.
    const seen = await (await gateForUser(testApp.database, manager)).run('person.view', (scope) => loadPersonRisk(scope, mia));
    expect(seen!.experience!.reasons).toContain(`Present (In the hall at ${refuge})`);
    expect(seen!.experience).toMatchObject({ howTheySeemed: `Asked to go back to ${refuge.toUpperCase()}`, childSaid: `I like it at ${refuge}` });
    expect(seen!.ownWords.map((w) => w.text)).toEqual([`I like it at ${refuge}`]);
    expect(seen!.livedExperience?.summary).toBe(`Mia feels safe at ${refuge} with Mum`);
    expect(seen!.dash?.judgement?.reason).toBe('Perpetrator has been seen outside TE2 9HW');
    expect(seen!.dash?.answers.find((a) => a.number === 1)?.note).toBe(`Fled to ${refuge}`);
  });

  it('shows around a perpetrator the flags naming an id since merged into them', async () => {
    const { db } = ctx().database;
    const area = await createArea(db);
    const craig = await createPerson(db, area, { givenName: 'Craig', familyName: 'Dunmore', dateOfBirth: '1989-01-30', sex: 'M' });
    const duplicate = await createPerson(db, area, { givenName: 'Craig', familyName: 'Dunmoor', dateOfBirth: '1989-01-30', sex: 'M' });
    const child = await createPerson(db, area, { givenName: 'Ella', familyName: 'Stone', dateOfBirth: '2018-04-02' });
    await db.insertInto('risk_flag').values({
      area_id: area.id, kind: 'perpetrator_linked', subject_kind: 'child', person_id: child.id, person_ids: [child.id, duplicate.id],
      explanation: 'Named as the alleged perpetrator with another victim', raised_by: JSON.stringify([]), raised_at: new Date(), updated_at: new Date(),
    }).execute();
    const around = () => flagsAroundPerpetrator(db, craig.id, { children: [], households: [] }, false);
    expect(await around()).toEqual([]);
    await db.updateTable('person').set({ merged_into: craig.id }).where('id', '=', duplicate.id).execute();
    expect((await around()).map((f) => f.kind)).toEqual(['perpetrator_linked']);
  });

  it('weighs the child\u2019s latest incident with a carer arrested, missing episodes of the year before and the agencies that know them; an adult\u2019s page has their own DASH and MARAC only', async () => {
    const testApp = ctx();
    const { db } = testApp.database;
    const area = await createArea(db);
    const token = await createSystemToken(db, area, area.agencies.police);
    const first = await send(testApp, token, notification('TP-W-0001', daysAgo(40)));
    const latest = await send(testApp, token, notification('TP-W-0002', daysAgo(10), { actions: { arrest: true } }));
    const mia = latest.people.find((p) => p.sourceRef === 'N-MB')!.personId;
    const leanne = latest.people.find((p) => p.sourceRef === 'N-LB')!.personId;
    const craig = latest.people.find((p) => p.sourceRef === 'N-CD')!.personId;
    expect(first.people.find((p) => p.sourceRef === 'N-MB')!.personId).toBe(mia);
    // Craig is Mia's father: his arrest affects her care.
    await db.insertInto('relationship').values({ area_id: area.id, person_id: craig, related_person_id: mia, kind: 'parent_of' }).execute();
    // Missing 100 and 200 days before the latest incident (counted), and 400 days before (not).
    for (const days of [110, 210, 410]) {
      const event = await db.insertInto('event').values({ area_id: area.id, agency_id: area.agencies.police, kind: 'missing_episode', occurred_at: new Date(daysAgo(days)), summary: 'Missing from home' })
        .returning('id').executeTakeFirstOrThrow();
      await db.insertInto('event_person').values({ area_id: area.id, event_id: event.id, person_id: mia, role: 'subject' }).execute();
    }
    // Her school knows her.
    expect((await resolveRecord(testApp.database, area, { agencyId: area.agencies.school, givenName: 'Mia', familyName: 'Brooker', dateOfBirth: '2017-09-03', sex: 'F', aliases: [], addresses: [] })).personId).toBe(mia);

    const worker = await createUser(db, area, 'social_worker', { name: 'Sofia Reyes' });
    const gate = await gateForUser(testApp.database, worker);
    const child = (await gate.run('person.view', (scope) => loadPersonRisk(scope, mia)))!;
    expect(child.isChild).toBe(true);
    expect(child.experience).toMatchObject({ reference: 'TP-W-0002', eventId: latest.eventId });
    expect(child.experience!.reasons).toEqual(expect.arrayContaining([
      'Care affected: carer arrested or removed', 'Missing 2 times in the past 12 months', 'Also known to: Meadow Lane Primary School',
    ]));
    expect(child.dash).toMatchObject({ reference: 'TP-W-0002' });
    expect(child.dash!.assessedAt).toBeInstanceOf(Date);
    const repeat = child.flags.find((f) => f.kind === 'repeat_incidents')!;
    expect(repeat.raisedAt).toBeInstanceOf(Date);
    expect(repeat.raisedBy.map((r) => r.reference)).toEqual(['TP-W-0001', 'TP-W-0002']);
    expect(child.marac?.victim.name).toBe('Leanne Brooker');
    expect(child.marac!.computedAt).toBeInstanceOf(Date);
    expect(child.ownWords).toHaveLength(2);

    const adult = (await gate.run('person.view', (scope) => loadPersonRisk(scope, leanne)))!;
    expect(adult).toMatchObject({ isChild: false, name: 'Leanne Brooker', experience: null, ownWords: [], can: { writeLivedExperience: false } });
    expect(adult.dash).toMatchObject({ reference: 'TP-W-0002', eventId: latest.eventId });
    expect(adult.marac).toMatchObject({ victim: { personId: leanne, name: 'Leanne Brooker' } });
    const perpetrator = (await gate.run('person.view', (scope) => loadPersonRisk(scope, craig)))!;
    expect(perpetrator).toMatchObject({ isChild: false, dash: null, marac: null, experience: null, ownWords: [] });
  });

  it('gives the child\u2019s page their flags with what raised them, the MARAC recommendation naming the three incidents, the DASH and their words', async () => {
    const testApp = ctx();
    const { db } = testApp.database;
    const area = await createArea(db);
    const token = await createSystemToken(db, area, area.agencies.police);
    const sent = [
      await send(testApp, token, notification('TP-V-0001', daysAgo(150))),
      await send(testApp, token, notification('TP-V-0002', daysAgo(70))),
      await send(testApp, token, notification('TP-V-0003', daysAgo(1), { injuries: 'Bruising to the face', actions: { arrest: true } })),
    ];
    const mia = sent[0]!.people.find((p) => p.sourceRef === 'N-MB')!.personId;
    const worker = await createUser(db, area, 'social_worker', { name: 'Sofia Reyes' });
    const gate = await gateForUser(testApp.database, worker);
    const risk = await gate.run('person.view', (scope) => loadPersonRisk(scope, mia));
    expect(risk).not.toBeNull();
    expect(risk!.flags.map((f) => f.kind)).toEqual(['escalation', 'repeat_incidents']);
    expect(risk!.flags[0]!.raisedBy.map((r) => r.reference)).toEqual(['TP-V-0001', 'TP-V-0002', 'TP-V-0003']);
    expect(risk!.marac).toMatchObject({ recommended: true, victim: { name: 'Leanne Brooker' } });
    const escalation = risk!.marac!.criteria.find((c) => c.criterion === 'potential_escalation')!;
    expect(escalation).toMatchObject({ met: true, label: 'Potential escalation' });
    expect(escalation.incidents.map((i) => i.reference)).toEqual(['TP-V-0001', 'TP-V-0002', 'TP-V-0003']);
    expect(risk!.dash).toMatchObject({ reference: 'TP-V-0003', score: 9, threshold: 14, level: 'standard' });
    expect(risk!.experience).toMatchObject({ reference: 'TP-V-0003', stage: 'Five or over' });
    expect(risk!.experience!.reasons).toContain('Present (On the landing)');
    expect(risk!.experience!.reasons).toContain('The incident involved injuries');
    expect(risk!.ownWords.map((w) => w.text)).toEqual(['I told Mummy to stop crying', 'I told Mummy to stop crying', 'I told Mummy to stop crying']);
    expect(risk!.can).toEqual({ acknowledge: true, judge: true, writeLivedExperience: true });
    const audit = await db.selectFrom('audit_event').select('subject_person_id').where('area_id', '=', area.id).where('action', '=', 'risk.view').execute();
    expect(audit).toEqual([{ subject_person_id: mia }]);

    // The partial the person page includes shows it all.
    const html = createViewEnvironment().render('risk/pages/person-risk.njk', { risk });
    expect(html).toContain('Escalation');
    expect(html).toContain('A MARAC referral is recommended for Leanne Brooker');
    expect(html).toContain('(ref. TP-V-0003)');
    expect(html).toContain('I told Mummy to stop crying');
    expect(createViewEnvironment().render('risk/pages/person-risk.njk', { risk: null }).trim()).toBe('');

    // A role that may not see risk gets nothing.
    const researcher = await createUser(db, area, 'agency_researcher', { agencyId: area.agencies.health });
    const other = await gateForUser(testApp.database, researcher);
    expect(await other.run('self.view', (scope) => loadPersonRisk(scope, mia))).toBeNull();
  });
});
