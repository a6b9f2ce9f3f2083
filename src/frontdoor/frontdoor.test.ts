// MASH triage through its functions, with a fixed clock: contacts from an event, the queue's
// order and filters, screening with checks, deadlines and the consent rules, answering and
// withdrawing checks, the decision and its authorisation, stale writes, and the audit trail.
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/app';
import { createArea, createPerson, createUser, type TestArea, type TestUser } from '../../test/support/factories';
import { caught } from '../../test/support/errors';
import { createContacts, createIncident, gateFor } from '../../test/support/frontdoor';
import type { TestDatabase } from '../../test/support/database';
import { answerAgencyCheck, listAgencyChecks } from './checks';
import { createContactsForEvent } from './contacts';
import { viewContact } from './contact-view';
import { authoriseContact, decideContact } from './decision';
import { listQueue, queueFilterSchema } from './queue';
import { screenContact, withdrawCheck } from './screening';

// Tuesday 10 March 2026, 10:00 in London (GMT).
const tuesdayMorning = new Date('2026-03-10T10:00:00Z');

interface World {
  area: TestArea;
  police: TestUser;
  practitioner: TestUser;
  manager: TestUser;
  secondManager: TestUser;
  health: TestUser;
  school: TestUser;
}

async function world(database: TestDatabase, settings?: Record<string, unknown>): Promise<World> {
  const area = await createArea(database.db);
  if (settings) await database.db.updateTable('area').set({ settings: JSON.stringify(settings) }).where('id', '=', area.id).execute();
  return {
    area,
    police: await createUser(database.db, area, 'police_officer'),
    practitioner: await createUser(database.db, area, 'mash_practitioner', { name: 'Priya Practitioner' }),
    manager: await createUser(database.db, area, 'mash_manager', { name: 'Helen Manager' }),
    secondManager: await createUser(database.db, area, 'mash_manager', { name: 'Gareth Manager' }),
    health: await createUser(database.db, area, 'agency_researcher', { agencyId: area.agencies.health, name: 'Rachel Health' }),
    school: await createUser(database.db, area, 'school_dsl', { agencyId: area.agencies.school, name: 'Mark School' }),
  };
}

async function contactFor(database: TestDatabase, w: World, receivedAt = new Date('2026-03-09T21:00:00Z'), name = 'Amelia') {
  const child = await createPerson(database.db, w.area, { givenName: name, familyName: 'Whitfield', dateOfBirth: '2017-04-09' });
  const event = await createIncident(database.db, w.area, { children: [{ person: child, present: true, voice: 'I hid upstairs.' }], occurredAt: receivedAt });
  const [id] = await createContacts(database, w.area, w.police, event.id, [child], receivedAt);
  return { id: id!, child, eventId: event.id };
}

const consentGiven = (agencyId: string, question = 'What do you know?') => ({ agencyId, question, consent: 'given' });

describeEachEngine('MASH triage', (ctx) => {
  it('makes one contact per child, idempotently, due on the working-days calendar, with history and audit', async () => {
    const { database } = ctx();
    const w = await world(database);
    const [a, b] = [
      await createPerson(database.db, w.area, { givenName: 'Kai', familyName: 'Osei', dateOfBirth: '2014-03-07' }),
      await createPerson(database.db, w.area, { givenName: 'Ava', familyName: 'Osei', dateOfBirth: '2019-08-01' }),
    ];
    // Friday 1 May 2026, 8pm; Monday 4 May is a bank holiday, so the decision is due by the end of Tuesday.
    const receivedAt = new Date('2026-05-01T19:00:00Z');
    const event = await createIncident(database.db, w.area, { children: [{ person: a }, { person: b }], occurredAt: receivedAt });
    const gate = await gateFor(database, w.police);
    const input = { eventId: event.id, childPersonIds: [a.id, b.id, a.id], sourceAgencyId: w.area.agencies.police, source: 'police_notification' as const, receivedAt };
    const first = await gate.run('intake.notify_incident', (scope) => createContactsForEvent(scope, input));
    const again = await gate.run('intake.notify_incident', (scope) => createContactsForEvent(scope, input));
    expect(first.map((c) => c.created)).toEqual([true, true]);
    expect(again.map((c) => c.created)).toEqual([false, false]);
    expect(new Set(again.map((c) => c.contactId))).toEqual(new Set(first.map((c) => c.contactId)));
    expect(first[0]!.decisionDueAt.toISOString()).toBe('2026-05-05T22:59:59.999Z');

    const contacts = await database.db.selectFrom('contact').selectAll().where('area_id', '=', w.area.id).execute();
    expect(contacts).toHaveLength(2);
    expect(contacts.every((c) => c.stage === 'screening' && c.team_id === w.area.mashTeamId)).toBe(true);
    const history = await database.db.selectFrom('contact_history').selectAll().where('area_id', '=', w.area.id).execute();
    expect(history.map((h) => h.action)).toEqual(['received', 'received']);
    const audits = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', w.area.id).where('action', '=', 'contact.create').execute();
    expect(audits.map((e) => e.subject_person_id).sort()).toEqual([a.id, b.id].sort());

    // An area that decides the same day counts from its own settings; a child of another area is refused.
    const elsewhere = await createArea(database.db, 'Elsewhere');
    const stranger = await createPerson(database.db, elsewhere, { givenName: 'No', familyName: 'One', dateOfBirth: '2015-01-01' });
    const refused = await caught(gate.run('intake.notify_incident', (scope) => createContactsForEvent(scope, { ...input, childPersonIds: [stranger.id] })));
    expect(refused.code).toBe('not_found');
    const bad = await caught(gate.run('intake.notify_incident', (scope) => createContactsForEvent(scope, { ...input, source: 'carrier_pigeon' as never })));
    expect(bad.fields.map((f) => f.field)).toEqual(['source']);
  });

  it('uses the area’s own calendar settings for the decision deadline', async () => {
    const { database } = ctx();
    const w = await world(database, { calendar: { referralDecisionWorkingDays: 0 } });
    const { id } = await contactFor(database, w, new Date('2026-03-10T08:00:00Z'));
    const contact = await database.db.selectFrom('contact').select('decision_due_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(contact.decision_due_at.toISOString()).toBe('2026-03-10T23:59:59.999Z');
  });

  it('orders the queue unscreened and red first, then amber, then green, each by deadline; filters; counts by stage', async () => {
    const { database } = ctx();
    const w = await world(database);
    const made: { name: string; id: string }[] = [];
    for (const [name, received] of [['Unscreened', '2026-03-09T12:00:00Z'], ['Red', '2026-03-09T15:00:00Z'], ['Amber', '2026-03-06T12:00:00Z'], ['Green', '2026-03-05T09:00:00Z'], ['Closed', '2026-03-04T09:00:00Z'], ['Late', '2026-03-05T12:00:00Z']] as const) {
      made.push({ name, ...(await contactFor(database, w, new Date(received), name)) });
    }
    const id = (name: string) => made.find((m) => m.name === name)!.id;
    const set = (name: string, values: Record<string, unknown>) => database.db.updateTable('contact').set(values).where('id', '=', id(name)).execute();
    await set('Red', { priority: 'red', stage: 'checks' });
    await set('Amber', { priority: 'amber', stage: 'decision' });
    await set('Green', { priority: 'green', stage: 'authorisation' });
    await set('Closed', { priority: 'green', stage: 'closed', closed_at: new Date('2026-03-06T16:00:00Z') });
    await set('Late', { stage: 'screening', team_id: null });

    const gate = await gateFor(database, w.practitioner);
    const list = (query: Record<string, unknown>) => gate.run('contact.view', (scope) => listQueue(scope, queueFilterSchema.parse(query), { now: tuesdayMorning }));
    const all = await list({});
    // Late (unscreened, due 6 Mar) and Unscreened (due 10 Mar) and Red (due 10 Mar, received later) share the top tier by deadline.
    expect(all.rows.map((r) => r.givenName)).toEqual(['Late', 'Unscreened', 'Red', 'Amber', 'Green']);
    expect(all.total).toBe(5);
    expect(all.counts).toEqual({ screening: 2, checks: 1, decision: 1, authorisation: 1 });
    expect(all.overdueCount).toBe(3);

    expect((await list({ priority: 'red' })).rows.map((r) => r.givenName)).toEqual(['Red']);
    expect((await list({ priority: ['unscreened', 'green'] })).rows.map((r) => r.givenName)).toEqual(['Late', 'Unscreened', 'Green']);
    expect((await list({ stage: 'decision' })).rows.map((r) => r.givenName)).toEqual(['Amber']);
    expect((await list({ stage: 'closed' })).rows.map((r) => r.givenName)).toEqual(['Closed']);
    expect((await list({ overdue: 'yes' })).rows.map((r) => r.givenName)).toEqual(['Late', 'Amber', 'Green']);
    expect((await list({ team: w.area.mashTeamId })).rows.map((r) => r.givenName)).not.toContain('Late');
    expect((await list({ priority: 'nonsense', page: 'x' })).total).toBe(5);
  });

  it('screens with checks due by priority on the area’s working hours, records each share, and moves to checks', async () => {
    const { database } = ctx();
    const w = await world(database, { calendar: { checkDeadlines: { red: { amount: 2, unit: 'workingHours' } } } });
    const { id, child } = await contactFor(database, w);
    const gate = await gateFor(database, w.practitioner);
    const result = await gate.run('contact.screen', (scope) => screenContact(scope, id, {
      version: 1, priority: 'red', priorityReason: 'Child present at a medium-risk assault; escalating.',
      checks: [
        consentGiven(w.area.agencies.health, 'Health involvement?'),
        { agencyId: w.area.agencies.school, question: 'How is Amelia at school?', consent: 'not_sought', lawfulBasis: 'Children Act 1989 s47', justification: 'Asking could alert the suspect.' },
      ],
    }, { now: tuesdayMorning }));
    expect(result.stage).toBe('checks');
    expect(result.checks.map((k) => k.dueAt.toISOString())).toEqual(['2026-03-10T12:00:00.000Z', '2026-03-10T12:00:00.000Z']);

    const contact = await database.db.selectFrom('contact').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ stage: 'checks', priority: 'red', screened_by: w.practitioner.id, allocated_to: w.practitioner.id, version: 2 });
    const shares = await database.db.selectFrom('information_share').selectAll().where('contact_id', '=', id).orderBy('consent').execute();
    expect(shares.map((s) => [s.consent, s.lawful_basis, s.justification, s.decided_by, s.person_id])).toEqual([
      ['given', null, null, w.practitioner.id, child.id],
      ['not_sought', 'Children Act 1989 s47', 'Asking could alert the suspect.', w.practitioner.id, child.id],
    ]);

    // Amber is one working day: from Friday 3pm to Monday 3pm.
    const second = await contactFor(database, w, new Date('2026-03-12T09:00:00Z'), 'Bea');
    const amber = await gate.run('contact.screen', (scope) => screenContact(scope, second.id, {
      version: 1, priority: 'amber', priorityReason: 'Not present; standard risk.', checks: [consentGiven(w.area.agencies.school)],
    }, { now: new Date('2026-03-13T15:00:00Z') }));
    expect(amber.checks[0]!.dueAt.toISOString()).toBe('2026-03-16T15:00:00.000Z');

    // No checks: straight to the decision.
    const third = await contactFor(database, w, new Date('2026-03-12T09:00:00Z'), 'Cal');
    const none = await gate.run('contact.screen', (scope) => screenContact(scope, third.id, { version: 1, priority: 'green', priorityReason: 'Known, no concerns.', checks: [] }, { now: tuesdayMorning }));
    expect(none.stage).toBe('decision');

    // Screening twice, or from an old page, is refused.
    const twice = await caught(gate.run('contact.screen', (scope) => screenContact(scope, third.id, { version: 2, priority: 'green', priorityReason: 'x', checks: [] })));
    expect(twice.code).toBe('conflict');
    const stale = await caught(gate.run('contact.screen', (scope) => screenContact(scope, third.id, { version: 1, priority: 'green', priorityReason: 'x', checks: [] })));
    expect(stale.code).toBe('stale_write');
  });

  it('requires a lawful basis and justification for any share without consent, naming each field, and stores nothing otherwise', async () => {
    const { database } = ctx();
    const w = await world(database);
    const { id } = await contactFor(database, w);
    const gate = await gateFor(database, w.practitioner);
    const error = await caught(gate.run('contact.screen', (scope) => screenContact(scope, id, {
      version: 1, priority: undefined, priorityReason: ' ',
      checks: [
        { agencyId: w.area.agencies.health, question: 'Health?', consent: 'refused' },
        { agencyId: w.area.agencies.school, question: '', consent: 'not_possible', lawfulBasis: 'other', justification: 'Could not reach mother.' },
        { agencyId: w.area.agencies.idva, question: 'IDVA?', consent: undefined },
        { agencyId: '00000000-0000-4000-8000-000000000000', question: 'Who?', consent: 'given' },
      ],
    }, { now: tuesdayMorning })));
    expect(error.code).toBe('validation_failed');
    expect(error.fields.map((f) => f.field)).toEqual([
      'priority', 'priorityReason', 'checks.0.lawfulBasis', 'checks.0.justification', 'checks.1.question', 'checks.1.lawfulBasisOther',
      'checks.2.consent', 'checks.3.agencyId',
    ]);
    expect(error.fields.find((f) => f.field === 'checks.0.lawfulBasis')!.message).toBe('Choose the lawful basis for sharing with Testshire Hospital Emergency Department without consent');
    expect(error.fields.find((f) => f.field === 'checks.0.justification')!.message).toMatch(/Explain why sharing with Testshire Hospital Emergency Department without consent is justified/);

    const contact = await database.db.selectFrom('contact').select(['stage', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(contact).toEqual({ stage: 'screening', version: 1 });
    expect(await database.db.selectFrom('agency_check').select('id').where('contact_id', '=', id).execute()).toEqual([]);
    expect(await database.db.selectFrom('information_share').select('id').where('contact_id', '=', id).execute()).toEqual([]);

    // "Other" stated is kept as stated.
    await gate.run('contact.screen', (scope) => screenContact(scope, id, {
      version: 1, priority: 'amber', priorityReason: 'Reason',
      checks: [{ agencyId: w.area.agencies.school, question: 'School?', consent: 'not_possible', lawfulBasis: 'other', lawfulBasisOther: 'Education Act 2002 s175', justification: 'Mother unreachable.' }],
    }, { now: tuesdayMorning }));
    const share = await database.db.selectFrom('information_share').select('lawful_basis').where('contact_id', '=', id).executeTakeFirstOrThrow();
    expect(share.lawful_basis).toBe('Other: Education Act 2002 s175');
  });

  it('keeps each agency to its own checks, validates answers, and moves to decision when all are answered or withdrawn', async () => {
    const { database } = ctx();
    const w = await world(database);
    const { id } = await contactFor(database, w);
    const mash = await gateFor(database, w.practitioner);
    const { checks } = await mash.run('contact.screen', (scope) => screenContact(scope, id, {
      version: 1, priority: 'red', priorityReason: 'Present; injuries.',
      checks: [consentGiven(w.area.agencies.health), consentGiven(w.area.agencies.school), consentGiven(w.area.agencies.idva)],
    }, { now: tuesdayMorning }));
    const checkOf = (agencyId: string) => checks.find((k) => k.agencyId === agencyId)!.id;
    const health = await gateFor(database, w.health);
    const school = await gateFor(database, w.school);

    const healthList = await health.run('agency_check.answer', (scope) => listAgencyChecks(scope, { status: 'open', page: 1 }));
    expect(healthList.rows.map((r) => r.id)).toEqual([checkOf(w.area.agencies.health)]);
    const notHers = await caught(health.run('agency_check.answer', (scope) => answerAgencyCheck(scope, checkOf(w.area.agencies.school), { version: 1, knownToAgency: 'no', involvement: '', concerns: '', history: '' })));
    expect(notHers.code).toBe('not_found');
    const refusal = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', w.area.id).where('actor_user_id', '=', w.health.id).where('outcome', '=', 'refused').executeTakeFirstOrThrow();
    expect(refusal).toMatchObject({ action: 'agency_check.answer', record_id: checkOf(w.area.agencies.school) });

    const invalid = await caught(health.run('agency_check.answer', (scope) => answerAgencyCheck(scope, checkOf(w.area.agencies.health), { version: 1, knownToAgency: 'yes', involvement: ' ', concerns: undefined, history: 'ED attendance 2025' })));
    expect(invalid.fields.map((f) => f.field)).toEqual(['involvement', 'concerns']);
    expect((await caught(health.run('agency_check.answer', (scope) => answerAgencyCheck(scope, checkOf(w.area.agencies.health), { version: 1, knownToAgency: 'maybe', involvement: '', concerns: '', history: '' })))).fields.map((f) => f.field)).toEqual(['knownToAgency']);

    await health.run('agency_check.answer', (scope) => answerAgencyCheck(scope, checkOf(w.area.agencies.health), {
      version: 1, knownToAgency: 'yes', involvement: 'Health visiting', concerns: 'Mother low mood', history: 'ED attendance 2025',
    }, { now: new Date('2026-03-10T11:00:00Z') }));
    const again = await caught(health.run('agency_check.answer', (scope) => answerAgencyCheck(scope, checkOf(w.area.agencies.health), { version: 2, knownToAgency: 'no', involvement: '', concerns: '', history: '' })));
    expect(again.code).toBe('conflict');
    await school.run('agency_check.answer', (scope) => answerAgencyCheck(scope, checkOf(w.area.agencies.school), {
      version: 1, knownToAgency: 'no', involvement: '', concerns: '', history: '',
    }, { now: new Date('2026-03-10T15:00:00Z') }));
    expect((await database.db.selectFrom('contact').select('stage').where('id', '=', id).executeTakeFirstOrThrow()).stage).toBe('checks');

    const noReason = await caught(mash.run('contact.screen', (scope) => withdrawCheck(scope, checkOf(w.area.agencies.idva), { version: 1, reason: '' })));
    expect(noReason.fields.map((f) => f.field)).toEqual(['reason']);
    const withdrawn = await mash.run('contact.screen', (scope) => withdrawCheck(scope, checkOf(w.area.agencies.idva), { version: 1, reason: 'Victim not known to IDVA per police.' }, { now: new Date('2026-03-10T15:30:00Z') }));
    expect(withdrawn.stage).toBe('decision');

    const view = await mash.run('contact.view', (scope) => viewContact(scope, id, { now: new Date('2026-03-10T16:00:00Z') }));
    expect(view.checks.map((k) => [k.agencyName, k.status])).toEqual([
      ['Meadow Lane Primary School', 'answered'], ['Testshire Hospital Emergency Department', 'answered'], ['Testshire IDVA Service', 'withdrawn'],
    ]);
    expect(view.checks.find((k) => k.status === 'withdrawn')!.withdrawnReason).toBe('Victim not known to IDVA per police.');
    expect(view.history.map((h) => h.action).sort()).toEqual(['check_answered', 'check_answered', 'check_requested', 'check_requested', 'check_requested', 'check_withdrawn', 'checks_complete', 'received', 'screened']);
    expect(view.history.map((h) => h.action)).toContain('checks_complete');
  });

  it('requires reasons for a decision; a manager authorises or returns with a comment, never their own decision', async () => {
    const { database } = ctx();
    const w = await world(database);
    const { id, child } = await contactFor(database, w);
    const mash = await gateFor(database, w.practitioner);
    const manager = await gateFor(database, w.manager);
    const second = await gateFor(database, w.secondManager);

    const early = await caught(mash.run('contact.decide', (scope) => decideContact(scope, id, { version: 1, decision: 'early_help', reasons: 'x', maracReferral: 'no' })));
    expect(early).toMatchObject({ code: 'conflict', message: 'This contact has not been screened yet.' });
    await mash.run('contact.screen', (scope) => screenContact(scope, id, { version: 1, priority: 'amber', priorityReason: 'Present.', checks: [] }, { now: tuesdayMorning }));

    const noReasons = await caught(mash.run('contact.decide', (scope) => decideContact(scope, id, { version: 2, decision: 'early_help', reasons: '   ', maracReferral: undefined })));
    expect(noReasons.fields).toEqual([
      { field: 'reasons', message: 'Write the reasons for the decision' },
      { field: 'maracReferral', message: 'Say whether the adult victim is to be referred to MARAC' },
    ]);
    const stale = await caught(mash.run('contact.decide', (scope) => decideContact(scope, id, { version: 1, decision: 'early_help', reasons: 'Because.', maracReferral: 'no' })));
    expect(stale.code).toBe('stale_write');
    await mash.run('contact.decide', (scope) => decideContact(scope, id, { version: 2, decision: 'early_help', reasons: 'First incident; mother protective.', maracReferral: 'no' }, { now: new Date('2026-03-10T12:00:00Z') }));

    const noComment = await caught(manager.run('contact.authorise', (scope) => authoriseContact(scope, id, { version: 3, outcome: 'return', comment: '' })));
    expect(noComment.fields.map((f) => f.field)).toEqual(['comment']);
    const returned = await manager.run('contact.authorise', (scope) => authoriseContact(scope, id, { version: 3, outcome: 'return', comment: 'Consider the child’s words.' }, { now: new Date('2026-03-10T13:00:00Z') }));
    expect(returned).toEqual({ ok: true, outcome: 'returned' });
    const back = await database.db.selectFrom('contact').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(back).toMatchObject({ stage: 'decision', returned_comment: 'Consider the child’s words.', returned_by: w.manager.id });

    // The manager now decides themselves, so they cannot authorise it; another manager can.
    await manager.run('contact.decide', (scope) => decideContact(scope, id, { version: 4, decision: 'child_in_need_assessment', reasons: 'Child’s words show impact.', maracReferral: 'yes' }, { now: new Date('2026-03-10T14:00:00Z') }));
    const own = await manager.run('contact.authorise', (scope) => authoriseContact(scope, id, { version: 5, outcome: 'authorise', comment: '' }));
    expect(own.ok).toBe(false);
    expect(own.ok === false && own.error.message).toMatch(/cannot authorise it: another manager must/);
    const refused = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', w.area.id).where('action', '=', 'contact.authorise').where('outcome', '=', 'refused').execute();
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ actor_user_id: w.manager.id, subject_person_id: child.id });
    expect((await database.db.selectFrom('contact').select('stage').where('id', '=', id).executeTakeFirstOrThrow()).stage).toBe('authorisation');

    const done = await second.run('contact.authorise', (scope) => authoriseContact(scope, id, { version: 5, outcome: 'authorise', comment: '' }, { now: new Date('2026-03-10T16:00:00Z') }));
    expect(done).toEqual({ ok: true, outcome: 'authorised' });
    const closed = await database.db.selectFrom('contact').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(closed).toMatchObject({ stage: 'closed', decision: 'child_in_need_assessment', marac_referral: true, decided_by: w.manager.id, authorised_by: w.secondManager.id });
    expect(closed.closed_at?.toISOString()).toBe('2026-03-10T16:00:00.000Z');

    // Every step is in the audit log as a change to this child's record, and in the contact's history.
    const actions = await database.db.selectFrom('audit_event').select(['action', 'outcome']).where('area_id', '=', w.area.id).where('subject_person_id', '=', child.id).orderBy('id').execute();
    expect(actions.filter((a) => a.outcome === 'allowed').map((a) => a.action)).toEqual([
      'contact.create', 'contact.screen', 'contact.decide', 'contact.return', 'contact.decide', 'contact.authorise',
    ]);
    const history = await database.db.selectFrom('contact_history').select('action').where('contact_id', '=', id).orderBy('at').execute();
    expect(history.map((h) => h.action)).toEqual(['received', 'screened', 'decided', 'returned', 'decided', 'authorised']);
  });
});
