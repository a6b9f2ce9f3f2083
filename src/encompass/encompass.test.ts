import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import type { TestDatabase } from '../../test/support/database';
import {
  addAddress, addAgency, addEducation, createArea, createPerson, createPoliceIncident, createUser, gateForUser, type TestArea,
} from '../../test/support/factories';
import { loadConfig } from '../server/config';
import { createOutboxWorker } from '../outbox/background';
import { createSmtpMailer } from '../outbox/mail';
import { startMailCatcher } from '../outbox/testing/mail-catcher';
import { escalateOverdueNotifications } from './escalation';
import { planEncompassForIncident } from './plan';

/** Friday 22 May 2026, 19:30 in London (BST); Monday 25 May is the spring bank holiday. */
const fridayEvening = new Date('2026-05-22T18:30:00Z');
const incidentTime = new Date('2026-05-22T18:05:00Z');
/** Tuesday 26 May 2026, 08:30 in London. */
const tuesdayMorning = new Date('2026-05-26T07:30:00Z');

async function plan(database: TestDatabase, area: TestArea, eventId: string, notifiedAt = fridayEvening) {
  const police = await createUser(database.db, area, 'police_officer');
  const gate = await gateForUser(database, police);
  return gate.run('intake.notify_incident', (scope) => planEncompassForIncident(scope, eventId, notifiedAt));
}

async function notificationsOf(database: TestDatabase, areaId: string) {
  return database.db.selectFrom('notification').selectAll().where('area_id', '=', areaId).orderBy('created_at').execute();
}

describeEachEngine('Operation Encompass', (ctx) => {
  const deliverAll = async () => {
    const { config, database } = ctx();
    const worker = createOutboxWorker({ config, database });
    while ((await worker.runOnce()).claimed > 0);
  };

  it('tells the school before the start of the next school day: a Friday evening before a bank-holiday Monday is due on Tuesday', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const pupil = await createPerson(database.db, area, { givenName: 'Amelia', familyName: 'Whitfield', dateOfBirth: '2016-04-09' });
    const toddler = await createPerson(database.db, area, { givenName: 'Noah', familyName: 'Whitfield', dateOfBirth: '2023-02-01' });
    const unborn = await database.db.insertInto('person').values({ area_id: area.id, family_name: 'Whitfield', expected_date_of_birth: '2026-08-01' }).returning('id').executeTakeFirstOrThrow();
    await addEducation(database.db, area, pupil.id, { schoolAgencyId: area.agencies.school });
    const incident = await createPoliceIncident(database.db, area, {
      occurredAt: incidentTime, children: [{ personId: pupil.id, present: true }, { personId: toddler.id, present: true }, { personId: unborn.id }],
    });

    const planned = await plan(database, area, incident.id);
    expect(planned).toEqual([{ childPersonId: pupil.id, recipientAgencyId: area.agencies.school, route: 'school', dueAt: tuesdayMorning, outboxId: expect.any(Number) }]);
    // Planned again (the same notification sent twice), nothing more is queued.
    const again = await plan(database, area, incident.id);
    expect(again[0]!.outboxId).toBe(planned[0]!.outboxId);
    const queued = await database.db.selectFrom('outbox').select(['topic', 'summary', 'payload']).where('area_id', '=', area.id).execute();
    expect(queued).toHaveLength(1);
    expect(queued[0]!.summary).toContain('Meadow Lane Primary School');
    expect(JSON.stringify(queued[0])).not.toContain('Whitfield');

    await deliverAll();
    const delivered = await notificationsOf(database, area.id);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ kind: 'operation_encompass', recipient_agency_id: area.agencies.school, person_id: pupil.id, event_id: incident.id, due_at: tuesdayMorning });
    const audit = await database.db.selectFrom('audit_event').select(['action', 'actor_user_id', 'subject_person_id', 'details']).where('area_id', '=', area.id).where('action', '=', 'notification.deliver').execute();
    expect(audit).toEqual([{ action: 'notification.deliver', actor_user_id: null, subject_person_id: pupil.id, details: expect.objectContaining({ performedBy: 'system: outbox worker' }) }]);
  });

  it('uses the area’s school-day start, and a notification before it on a school day is due that morning', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    await database.db.updateTable('area').set({ settings: JSON.stringify({ schoolDayStart: '08:45' }) }).where('id', '=', area.id).execute();
    const pupil = await createPerson(database.db, area, { givenName: 'Kai', familyName: 'Osei', dateOfBirth: '2014-03-07' });
    await addEducation(database.db, area, pupil.id, { schoolAgencyId: area.agencies.school });
    const incident = await createPoliceIncident(database.db, area, { occurredAt: new Date('2026-05-26T01:00:00Z'), children: [{ personId: pupil.id }] });
    const [planned] = await plan(database, area, incident.id, new Date('2026-05-26T05:00:00Z'));
    expect(planned!.dueAt).toEqual(new Date('2026-05-26T07:45:00Z'));
  });

  it('queues nothing when the intake that asked for it does not commit', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const pupil = await createPerson(database.db, area, { givenName: 'Ivy', familyName: 'Lund', dateOfBirth: '2015-06-01' });
    await addEducation(database.db, area, pupil.id, { schoolAgencyId: area.agencies.school });
    const incident = await createPoliceIncident(database.db, area, { occurredAt: incidentTime, children: [{ personId: pupil.id }] });
    const police = await createUser(database.db, area, 'police_officer');
    const gate = await gateForUser(database, police);
    await expect(
      gate.run('intake.notify_incident', async (scope) => {
        await planEncompassForIncident(scope, incident.id, fridayEvening);
        throw new Error('intake failed after planning');
      }),
    ).rejects.toThrow('intake failed');
    expect(await database.db.selectFrom('outbox').select('id').where('area_id', '=', area.id).execute()).toHaveLength(0);
  });

  it('tells the local authority for a child educated at home, the MASH when no school is known, and both schools of a dual-registered child', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const educationLead = await addAgency(database.db, area, 'education_safeguarding', 'Testshire Education Safeguarding');
    const unit = await addAgency(database.db, area, 'school', 'Riverside Pupil Referral Unit');
    const oldSchool = await addAgency(database.db, area, 'school', 'Old Mill Primary School');
    const homeEducated = await createPerson(database.db, area, { givenName: 'Leo', familyName: 'Hart', dateOfBirth: '2013-10-10' });
    const unknown = await createPerson(database.db, area, { givenName: 'Mia', familyName: 'Hart', dateOfBirth: '2012-01-15' });
    const dual = await createPerson(database.db, area, { givenName: 'Zac', familyName: 'Hart', dateOfBirth: '2011-05-05' });
    await addEducation(database.db, area, homeEducated.id, { homeEducated: true, fromDate: '2024-09-01' });
    await addEducation(database.db, area, homeEducated.id, { schoolAgencyId: oldSchool, fromDate: '2018-09-01', toDate: '2024-07-20' });
    await addEducation(database.db, area, unknown.id, { schoolAgencyId: oldSchool, fromDate: '2016-09-01', toDate: '2023-07-20' });
    await addEducation(database.db, area, dual.id, { schoolAgencyId: area.agencies.school });
    await addEducation(database.db, area, dual.id, { schoolAgencyId: unit, fromDate: '2026-01-05' });
    const incident = await createPoliceIncident(database.db, area, {
      occurredAt: incidentTime, children: [{ personId: homeEducated.id }, { personId: unknown.id }, { personId: dual.id }],
    });

    const planned = await plan(database, area, incident.id);
    const routes = planned.map((p) => ({ child: p.childPersonId, to: p.recipientAgencyId, route: p.route }));
    expect(routes).toHaveLength(4);
    expect(routes).toEqual(expect.arrayContaining([
      { child: homeEducated.id, to: educationLead, route: 'home_educated' },
      { child: unknown.id, to: area.agencies.socialCare, route: 'no_school_known' },
      { child: dual.id, to: area.agencies.school, route: 'school' },
      { child: dual.id, to: unit, route: 'school' },
    ]));

    await deliverAll();
    const mash = await createUser(database.db, area, 'mash_practitioner');
    const client = new TestClient(ctx().app);
    await client.signIn(mash.email, mash.password);
    const inbox = await client.get('/inbox');
    expect(inbox.body).toContain('Mia Hart');
    expect(inbox.body).toContain('Operation Encompass: no school known');
    expect(inbox.body).not.toContain('Leo Hart');
    const id = (await notificationsOf(database, area.id)).find((n) => n.person_id === unknown.id)!.id;
    const page = await client.get(`/inbox/${id}`);
    expect(page.body).toContain('No school is known for this child');
  });

  it('sends everything the school needs and never a confidential address: a canary planted in one appears in no notification, page or email', async () => {
    const { app, database } = ctx();
    const mail = await startMailCatcher();
    try {
      const area = await createArea(database.db);
      await database.db.updateTable('agency').set({ email: 'dsl@meadowlane.example' }).where('id', '=', area.agencies.school).execute();
      const canary = `Canary${Date.now()}`;
      const pupil = await createPerson(database.db, area, { givenName: 'Amelia', familyName: 'Whitfield', dateOfBirth: '2016-04-09' });
      const victim = await createPerson(database.db, area, { givenName: 'Rosa', familyName: 'Whitfield', dateOfBirth: '1990-11-02' });
      const refuge = await addAddress(database.db, area, victim.id, { line1: `${canary} Refuge Lane`, postcode: 'ZZ9 9ZZ', town: 'Sealedtown', confidential: true });
      await addEducation(database.db, area, pupil.id, { schoolAgencyId: area.agencies.school });
      const incident = await createPoliceIncident(database.db, area, {
        occurredAt: incidentTime,
        addressId: refuge,
        children: [{ personId: pupil.id, present: true, voice: 'Said “Mummy was crying and I hid under my duvet.” Quiet, holding her brother’s hand.' }],
        adults: [{ personId: victim.id, role: 'adult_victim' }],
        details: {
          location: `Flat 3, ${canary.toLowerCase()}   refuge lane, zz99zz`,
          circumstances: `Ex-partner found the victim at ${canary} Refuge Lane and shouted at her; he threw a mug at the wall.`,
          injuries: 'Cut to the victim’s hand',
          weapons: ['Kitchen knife brandished'],
          riskGrade: 'high',
          actions: { arrest: true, dvpn: true, idvaReferral: false },
          children: [{ personId: pupil.id, where: 'In her bedroom upstairs, could hear the shouting', demeanour: `Withdrawn; kept asking to go back to ${canary} Refuge Lane` }],
          dash: { 1: 'yes', 2: 'no' },
          victimConsent: false,
        },
      });
      await plan(database, area, incident.id);
      const config = loadConfig({ LOG_LEVEL: 'silent', HEARTH_SMTP_URL: mail.url, HEARTH_MAIL_FROM: 'Hearth <hearth@testshire.example>', HEARTH_PUBLIC_URL: 'https://hearth.testshire.example/' });
      const mailer = createSmtpMailer(config.mail!);
      const worker = createOutboxWorker({ config, database, mailer });
      expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
      expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
      expect(await worker.runOnce()).toMatchObject({ claimed: 0 });
      mailer.close();

      const [notification] = await notificationsOf(database, area.id);
      const stored = JSON.stringify(notification!.content);
      expect(notification!.content.policeActions).toHaveLength(2);
      expect(notification!.content).toMatchObject({
        route: 'school',
        child: { name: 'Amelia Whitfield', dateOfBirth: '2016-04-09' },
        policeReference: incident.policeReference,
        occurredAt: incidentTime.toISOString(),
        place: 'Address withheld: confidential',
        childPresent: true,
        whereChildWas: 'In her bedroom upstairs, could hear the shouting',
        childVoice: expect.stringContaining('I hid under my duvet'),
        childDemeanour: 'Withdrawn; kept asking to go back to [address withheld]',
        circumstances: 'Ex-partner found the victim at [address withheld] and shouted at her; he threw a mug at the wall.',
        injuries: 'Cut to the victim’s hand',
        weapons: 'Kitchen knife brandished',
        policeActions: expect.arrayContaining(['Arrest', 'Domestic violence protection notice (DVPN)']),
        riskGrade: 'high',
        dueAt: tuesdayMorning.toISOString(),
      });

      // One email, to the school, saying only that something is waiting and where.
      expect(mail.messages).toHaveLength(1);
      const email = mail.messages[0]!;
      expect(email.to).toEqual(['dsl@meadowlane.example']);
      expect(email.from).toBe('hearth@testshire.example');
      expect(email.text).toContain(`https://hearth.testshire.example/inbox/${notification!.id}`);
      expect(email.text).toContain('26 May 2026 at 8:30am');
      for (const personal of ['Amelia', 'Whitfield', 'April', incident.policeReference, 'duvet', 'Kitchen', 'bedroom', 'mug', 'Sealedtown']) {
        expect(email.text, personal).not.toContain(personal);
      }
      const emailed = await database.db.selectFrom('notification').select('emailed_at').where('id', '=', notification!.id).executeTakeFirstOrThrow();
      expect(emailed.emailed_at).toBeInstanceOf(Date);

      const dsl = await createUser(database.db, area, 'school_dsl', { agencyId: area.agencies.school });
      const client = new TestClient(app);
      await client.signIn(dsl.email, dsl.password);
      const inbox = await client.get('/inbox');
      const page = await client.get(`/inbox/${notification!.id}`);
      for (const expected of ['Amelia Whitfield', '9 April 2016', incident.policeReference, '22 May 2026 at 7:05pm', 'Address withheld: confidential',
        'In her bedroom upstairs', 'I hid under my duvet', 'Withdrawn; kept asking to go back to [address withheld]', 'threw a mug', 'Cut to the victim’s hand', 'Kitchen knife brandished', 'Arrest', 'DVPN', 'High']) {
        expect(page.body, expected).toContain(expected);
      }

      // The MASH's escalation and the administrators' outbox page carry no trace of it either.
      await escalateOverdueNotifications(database, new Date(tuesdayMorning.getTime() + 1000));
      const escalation = (await notificationsOf(database, area.id)).find((n) => n.kind === 'encompass_escalation')!;
      const mash = await createUser(database.db, area, 'mash_manager');
      const mashClient = new TestClient(app);
      await mashClient.signIn(mash.email, mash.password);
      const escalationPage = await mashClient.get(`/inbox/${escalation.id}`);
      const admin = await createUser(database.db, area, 'administrator');
      const adminClient = new TestClient(app);
      await adminClient.signIn(admin.email, admin.password);
      const outboxPage = await adminClient.get('/admin/outbox');

      const everything = [stored, JSON.stringify(escalation.content), inbox.body, page.body, escalationPage.body, outboxPage.body, ...mail.messages.map((m) => m.text)];
      for (const text of everything) {
        for (const secret of [canary, canary.toLowerCase(), 'ZZ9 9ZZ', 'zz99zz', 'Sealedtown']) expect(text).not.toContain(secret);
      }
    } finally {
      await mail.close();
    }
  });

  it('withholds a place that names the postcode of a confidential address of anyone involved, even away from it', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const pupil = await createPerson(database.db, area, { givenName: 'Tom', familyName: 'Reid', dateOfBirth: '2012-02-02' });
    const victim = await createPerson(database.db, area, { givenName: 'Jo', familyName: 'Reid', dateOfBirth: '1985-02-02' });
    await addAddress(database.db, area, victim.id, { line1: '7 Hidden Close', postcode: 'ZZ8 8YY', confidential: true });
    // The family's new home, known only as their household's address.
    const newHome = await database.db.insertInto('address').values({ area_id: area.id, line1: '2 Quiet Mews', postcode: 'ZZ7 7XX', confidential: true }).returning('id').executeTakeFirstOrThrow();
    const household = await database.db.insertInto('household').values({ area_id: area.id, address_id: newHome.id, from_date: '2026-01-01' }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('household_member').values({ area_id: area.id, household_id: household.id, person_id: pupil.id, from_date: '2026-01-01' }).execute();
    await addEducation(database.db, area, pupil.id, { schoolAgencyId: area.agencies.school });
    const incident = await createPoliceIncident(database.db, area, {
      occurredAt: incidentTime, addressId: pupil.addressId, children: [{ personId: pupil.id, present: false }],
      adults: [{ personId: victim.id, role: 'adult_victim' }],
      details: { location: 'Car park behind the shops near ZZ8 8YY', circumstances: 'Verbal argument in the street; they had walked from 2 quiet mews.' },
    });
    const other = await createPoliceIncident(database.db, area, {
      occurredAt: incidentTime, addressId: pupil.addressId, children: [{ personId: pupil.id }], adults: [{ personId: victim.id, role: 'adult_victim' }],
    });
    await plan(database, area, incident.id);
    await plan(database, area, other.id);
    await deliverAll();
    const byEvent = new Map((await notificationsOf(database, area.id)).map((n) => [n.event_id, n.content]));
    expect(byEvent.get(incident.id)).toMatchObject({
      place: 'Address withheld: confidential', circumstances: 'Verbal argument in the street; they had walked from [address withheld].',
      childPresent: false, whereChildWas: null, childVoice: null,
    });
    // With no location text, the (not confidential) incident address is the place.
    expect(byEvent.get(other.id)).toMatchObject({ place: '12 Orchard Road, Testbury, TE1 4AB', policeActions: [], injuries: null });
  });

  it('shows each agency only its own notifications; another agency’s or area’s answer "not found"', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const otherSchool = await addAgency(database.db, area, 'school', 'Hilltop Academy');
    const ours = await createPerson(database.db, area, { givenName: 'Ruby', familyName: 'Ngata', dateOfBirth: '2015-09-09' });
    const theirs = await createPerson(database.db, area, { givenName: 'Finn', familyName: 'Ngata', dateOfBirth: '2013-09-09' });
    await addEducation(database.db, area, ours.id, { schoolAgencyId: area.agencies.school });
    await addEducation(database.db, area, theirs.id, { schoolAgencyId: otherSchool });
    const incident = await createPoliceIncident(database.db, area, { occurredAt: incidentTime, children: [{ personId: ours.id }, { personId: theirs.id }] });
    await plan(database, area, incident.id);
    await deliverAll();
    const elsewhere = await createArea(database.db, 'Elsewhere Partnership');
    const stranger = await createUser(database.db, elsewhere, 'school_dsl', { agencyId: elsewhere.agencies.school });

    const notifications = await notificationsOf(database, area.id);
    const theirsId = notifications.find((n) => n.person_id === theirs.id)!.id;
    const oursId = notifications.find((n) => n.person_id === ours.id)!.id;
    const dsl = await createUser(database.db, area, 'school_dsl', { agencyId: area.agencies.school });
    const client = new TestClient(app);
    await client.signIn(dsl.email, dsl.password);
    const inbox = await client.get('/inbox');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('Ruby Ngata');
    expect(inbox.body).not.toContain('Finn Ngata');
    expect(inbox.body).toContain('href="/inbox"');
    expect((await client.get(`/inbox/${theirsId}`)).statusCode).toBe(404);
    expect((await client.get('/inbox/not-a-uuid')).statusCode).toBe(404);
    await client.get(`/inbox/${oursId}`);
    expect((await client.post(`/inbox/${theirsId}/acknowledge`, { version: '1' })).statusCode).toBe(404);
    const refused = await database.db.selectFrom('audit_event').select(['action', 'outcome', 'record_id']).where('area_id', '=', area.id).where('outcome', '=', 'refused').execute();
    expect(refused).toEqual(expect.arrayContaining([{ action: 'notification.view', outcome: 'refused', record_id: theirsId }]));

    const strangerClient = new TestClient(app);
    await strangerClient.signIn(stranger.email, stranger.password);
    expect((await strangerClient.get(`/inbox/${oursId}`)).statusCode).toBe(404);
    expect((await strangerClient.get('/inbox')).body).toContain('There are no notifications');

    const police = await createUser(database.db, area, 'police_officer');
    const policeClient = new TestClient(app);
    await policeClient.signIn(police.email, police.password);
    expect((await policeClient.get('/inbox')).statusCode).toBe(403);
    expect((await policeClient.get('/')).body).not.toContain('href="/inbox"');
  });

  it('lists unacknowledged notifications first, soonest due first, marks the overdue, and pages through the rest', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const child = await createPerson(database.db, area, { givenName: 'Page', familyName: 'Turner', dateOfBirth: '2015-05-05' });
    const now = Date.now();
    const row = (name: string, dueInHours: number, acknowledged = false) => ({
      area_id: area.id, kind: 'operation_encompass' as const, recipient_agency_id: area.agencies.school, person_id: child.id,
      due_at: new Date(now + dueInHours * 3_600_000), acknowledged_at: acknowledged ? new Date(now - 3_600_000) : null,
      content: JSON.stringify({ route: 'school', child: { name, dateOfBirth: '2015-05-05' } }),
    });
    await database.db.insertInto('notification').values([
      row('Read Already', -48, true),
      row('Overdue Child', -2),
      ...Array.from({ length: 25 }, (_, i) => row(`Later Child ${String(i).padStart(2, '0')}`, 24 + i)),
    ]).execute();
    const dsl = await createUser(database.db, area, 'school_dsl', { agencyId: area.agencies.school });
    const client = new TestClient(app);
    await client.signIn(dsl.email, dsl.password);
    const names = (body: string) => [...body.matchAll(/href="\/inbox\/[0-9a-f-]{36}">([^<]+)</g)].map((m) => m[1]);
    const first = await client.get('/inbox');
    expect(names(first.body)).toEqual(['Overdue Child', ...Array.from({ length: 24 }, (_, i) => `Later Child ${String(i).padStart(2, '0')}`)]);
    expect(first.body).toContain('27 notifications');
    expect(first.body.match(/>\s*Overdue\s*</g)).toHaveLength(1);
    expect(first.body).toContain('href="/inbox?page=2"');
    const second = await client.get('/inbox?page=2');
    expect(names(second.body)).toEqual(['Later Child 24', 'Read Already']);
    expect(second.body).toMatch(/>\s*Acknowledged\s*</);
  });

  it('lets the school lead acknowledge and record support, audited as reads and changes of the child, refusing stale and empty forms', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const pupil = await createPerson(database.db, area, { givenName: 'Ella', familyName: 'Moss', dateOfBirth: '2017-01-20' });
    await addEducation(database.db, area, pupil.id, { schoolAgencyId: area.agencies.school });
    const incident = await createPoliceIncident(database.db, area, { occurredAt: incidentTime, children: [{ personId: pupil.id, present: true }] });
    await plan(database, area, incident.id);
    await deliverAll();
    const [notification] = await notificationsOf(database, area.id);
    const id = notification!.id;
    const dsl = await createUser(database.db, area, 'school_dsl', { agencyId: area.agencies.school, name: 'Sam Lead' });
    const colleague = await createUser(database.db, area, 'school_dsl', { agencyId: area.agencies.school });
    const client = new TestClient(app);
    await client.signIn(dsl.email, dsl.password);
    const other = new TestClient(app);
    await other.signIn(colleague.email, colleague.password);

    const page = await client.get(`/inbox/${id}`);
    expect(page.body).toContain('Acknowledge');
    await other.get(`/inbox/${id}`);
    const acknowledged = await client.post(`/inbox/${id}/acknowledge`, { version: '1' });
    expect(acknowledged.statusCode).toBe(302);
    expect((await client.get(acknowledged.headers.location as string)).body).toContain('Acknowledged by Sam Lead');
    // The colleague's page was opened before: acknowledging again changes nothing.
    const late = await other.post(`/inbox/${id}/acknowledge`, { version: '1' });
    expect((await other.get(late.headers.location as string)).body).toContain('had already been acknowledged');

    const empty = await client.post(`/inbox/${id}/support`, { supportNote: '   ', version: '2' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter the support being given');
    expect(empty.body).toContain('govuk-error-summary');
    const tooLong = await client.post(`/inbox/${id}/support`, { supportNote: 'x'.repeat(5001), version: '2' });
    expect(tooLong.body).toContain('5000 characters or fewer');
    const saved = await client.post(`/inbox/${id}/support`, { supportNote: 'Ella will meet Mrs Khan, her trusted adult, at the gate each morning.', version: '2' });
    expect(saved.statusCode).toBe(302);
    expect((await client.get(saved.headers.location as string)).body).toContain('Mrs Khan, her trusted adult');
    const stale = await other.post(`/inbox/${id}/support`, { supportNote: 'Overwriting from an old page', version: '2' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this record');

    const row = await database.db.selectFrom('notification').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ acknowledged_by: dsl.id, support_note: 'Ella will meet Mrs Khan, her trusted adult, at the gate each morning.', version: 3 });
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id', 'subject_person_id', 'outcome'])
      .where('area_id', '=', area.id)
      .where('action', 'in', ['notification.view', 'notification.acknowledge', 'notification.record_support'])
      .where('outcome', '=', 'allowed')
      .orderBy('id')
      .execute();
    expect(audit.filter((a) => a.action !== 'notification.view')).toEqual([
      { action: 'notification.acknowledge', actor_user_id: dsl.id, subject_person_id: pupil.id, outcome: 'allowed' },
      { action: 'notification.record_support', actor_user_id: dsl.id, subject_person_id: pupil.id, outcome: 'allowed' },
    ]);
    expect(audit.filter((a) => a.action === 'notification.view').every((a) => a.subject_person_id === pupil.id)).toBe(true);
    expect(audit.filter((a) => a.action === 'notification.view' && a.actor_user_id === colleague.id).length).toBeGreaterThan(0);
  });

  it('escalates to the MASH a notification still unacknowledged at the start of the school day, once', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const unread = await createPerson(database.db, area, { givenName: 'Oscar', familyName: 'Fenn', dateOfBirth: '2014-04-04' });
    const read = await createPerson(database.db, area, { givenName: 'Poppy', familyName: 'Fenn', dateOfBirth: '2016-06-06' });
    const noSchool = await createPerson(database.db, area, { givenName: 'Quinn', familyName: 'Fenn', dateOfBirth: '2012-12-12' });
    await addEducation(database.db, area, unread.id, { schoolAgencyId: area.agencies.school });
    await addEducation(database.db, area, read.id, { schoolAgencyId: area.agencies.school });
    const incident = await createPoliceIncident(database.db, area, {
      occurredAt: incidentTime, children: [{ personId: unread.id }, { personId: read.id }, { personId: noSchool.id }],
    });
    await plan(database, area, incident.id);
    await deliverAll();
    const byChild = new Map((await notificationsOf(database, area.id)).map((n) => [n.person_id, n]));
    await database.db.updateTable('notification').set({ acknowledged_at: new Date('2026-05-26T07:00:00Z') }).where('id', '=', byChild.get(read.id)!.id).execute();

    const escalationsIn = async () => (await notificationsOf(database, area.id)).filter((n) => n.kind === 'encompass_escalation');
    await escalateOverdueNotifications(database, new Date(tuesdayMorning.getTime() - 60_000));
    expect(await escalationsIn()).toHaveLength(0);
    await escalateOverdueNotifications(database, tuesdayMorning);
    await escalateOverdueNotifications(database, new Date(tuesdayMorning.getTime() + 60_000));
    const escalations = await escalationsIn();
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ recipient_agency_id: area.agencies.socialCare, person_id: unread.id, escalation_of: byChild.get(unread.id)!.id, due_at: null });
    expect(escalations[0]!.content).toMatchObject({ child: { name: 'Oscar Fenn' }, notAcknowledgedBy: 'Meadow Lane Primary School', dueAt: tuesdayMorning.toISOString() });
    const original = await database.db.selectFrom('notification').select(['escalated_at', 'version']).where('id', '=', byChild.get(unread.id)!.id).executeTakeFirstOrThrow();
    expect(original).toEqual({ escalated_at: tuesdayMorning, version: 1 });
    const audit = await database.db.selectFrom('audit_event').select(['actor_user_id', 'subject_person_id', 'details']).where('area_id', '=', area.id).where('action', '=', 'notification.escalate').execute();
    expect(audit).toEqual([{ actor_user_id: null, subject_person_id: unread.id, details: expect.objectContaining({ escalationId: escalations[0]!.id }) }]);

    const mash = await createUser(database.db, area, 'mash_practitioner');
    const client = new TestClient(app);
    await client.signIn(mash.email, mash.password);
    const inbox = await client.get('/inbox');
    expect(inbox.body).toContain('Oscar Fenn');
    expect(inbox.body).toContain('Escalation: not acknowledged in time');
    const page = await client.get(`/inbox/${escalations[0]!.id}`);
    expect(page.body).toContain('Meadow Lane Primary School had not acknowledged');
    expect(page.body).toContain(`/people/${unread.id}`);
    expect(page.body).not.toContain('Record support');
    const acknowledged = await client.post(`/inbox/${escalations[0]!.id}/acknowledge`, { version: '1' });
    expect(acknowledged.statusCode).toBe(302);

    // The school reading it late may still acknowledge it.
    const dsl = await createUser(database.db, area, 'school_dsl', { agencyId: area.agencies.school });
    const school = new TestClient(app);
    await school.signIn(dsl.email, dsl.password);
    const schoolPage = await school.get(`/inbox/${byChild.get(unread.id)!.id}`);
    expect(schoolPage.body).toContain('Escalated to MASH');
    expect((await school.post(`/inbox/${byChild.get(unread.id)!.id}/acknowledge`, { version: '1' })).statusCode).toBe(302);
    const count = await database.db.selectFrom('notification').select(sql<number>`count(*)`.as('n')).where('area_id', '=', area.id).where('acknowledged_at', 'is not', null).executeTakeFirstOrThrow();
    expect(count.n).toBe(3);
  });

  it('refuses to plan for something that is not a police domestic abuse incident, or an incident of another area', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const other = await createArea(database.db, 'Elsewhere Partnership');
    const child = await createPerson(database.db, other, { givenName: 'Ada', familyName: 'Stone', dateOfBirth: '2015-01-01' });
    const theirs = await createPoliceIncident(database.db, other, { occurredAt: incidentTime, children: [{ personId: child.id }] });
    await expect(plan(database, area, theirs.id)).rejects.toMatchObject({ code: 'not_found' });
    await database.db.updateTable('event').set({ kind: 'ed_attendance' }).where('id', '=', theirs.id).execute();
    await expect(plan(database, other, theirs.id)).rejects.toMatchObject({ code: 'bad_request' });
  });
});
