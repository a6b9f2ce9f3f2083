// A person's chronology through its query and through the person's page, on each database:
// newest first, filters by agency, type and the child's presence and words, paging, sealed
// addresses withheld from whoever may not see them, and "not found" outside the area.
import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { allocate } from '../sharing/testing/factories';
import { addAgency, createArea, createPerson, createSystemToken, createUser, gateForUser, type TestArea, type TestPerson } from '../../test/support/factories';
import { caught } from '../../test/support/errors';
import type { TestDatabase } from '../../test/support/database';
import type { EventPersonRole } from '../db/schema';
import { withheldText } from '../frontdoor/sealed';
import { noFilter, personChronology, type ChronologyFilter } from './chronology';

interface EventInput {
  agencyId: string;
  kind: string;
  occurredAt: string;
  summary?: string;
  sourceRef?: string;
  details?: Record<string, unknown>;
  addressId?: string | null;
  people: { person: TestPerson; role: EventPersonRole; present?: boolean | null; voice?: string | null }[];
}

let serial = 0;

async function addEvent(database: TestDatabase, area: TestArea, e: EventInput): Promise<string> {
  const event = await database.db
    .insertInto('event')
    .values({
      area_id: area.id, agency_id: e.agencyId, kind: e.kind, occurred_at: new Date(e.occurredAt), source_ref: e.sourceRef ?? `REF-${++serial}`,
      summary: e.summary ?? `${e.kind} ${serial}`, details: JSON.stringify(e.details ?? {}), address_id: e.addressId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('event_person')
    .values(e.people.map((p) => ({
      area_id: area.id, event_id: event.id, person_id: p.person.id, role: p.role, child_present: p.present ?? null, child_voice: p.voice ?? null,
    })))
    .execute();
  return event.id;
}

/** A family of three with a busy history across four agencies. */
async function family(database: TestDatabase) {
  const { db } = database;
  const area = await createArea(db);
  const child = await createPerson(db, area, { givenName: 'Maisie', familyName: 'Thornbury', dateOfBirth: '2016-05-14' });
  const mother = await createPerson(db, area, { givenName: 'Dana', familyName: 'Thornbury', dateOfBirth: '1990-02-01' });
  const partner = await createPerson(db, area, { givenName: 'Craig', familyName: 'Bellamy', dateOfBirth: '1987-09-23', sex: 'M' });
  const adults = [{ person: mother, role: 'adult_victim' as const }, { person: partner, role: 'alleged_perpetrator' as const }];
  const ids = {
    incident: await addEvent(database, area, {
      agencyId: area.agencies.police, kind: 'police_da_incident', occurredAt: '2026-02-14T21:40:00Z', summary: 'Domestic assault at the home address; 1 child present.',
      sourceRef: 'TP/0001/26',
      details: {
        policeReference: 'TP/0001/26', location: '12 Orchard Road, Testbury TE1 4AB', circumstances: 'Pushed against a wall during an argument.', riskGrade: 'high',
        dash: { set: 'police_27', answers: { 1: { answer: 'yes' }, 2: { answer: 'no' } } }, actions: ['arrest'], victimConsent: true,
        children: [{ personId: child.id, where: 'On the stairs', demeanour: 'Quiet, holding her rabbit' }],
      },
      people: [{ person: child, role: 'child', present: true, voice: 'I heard mum crying and I hid.' }, ...adults],
    }),
    earlier: await addEvent(database, area, {
      agencyId: area.agencies.police, kind: 'police_da_incident', occurredAt: '2025-11-02T19:05:00Z', summary: 'Verbal domestic incident; child not present.',
      people: [{ person: child, role: 'child', present: false }, ...adults],
    }),
    hospital: await addEvent(database, area, {
      agencyId: area.agencies.health, kind: 'ed_attendance', occurredAt: '2026-02-15T01:10:00Z', summary: 'Wrist injury; mother said she fell.',
      details: { presentingComplaint: 'Wrist injury; mother said she fell.', discharge: 'home' }, people: [{ person: child, role: 'subject' }],
    }),
    school: await addEvent(database, area, {
      agencyId: area.agencies.school, kind: 'school_concern', occurredAt: '2026-02-16T09:30:00Z', summary: 'Tearful in class; asked to stay in at break.',
      people: [{ person: child, role: 'subject' }],
    }),
    idva: await addEvent(database, area, {
      agencyId: area.agencies.idva, kind: 'idva_contact', occurredAt: '2026-02-17T11:00:00Z', summary: 'Safety planning with Dana.', people: [{ person: mother, role: 'subject' }],
    }),
  };
  return { area, child, mother, partner, ids };
}

const filter = (f: Partial<ChronologyFilter>): ChronologyFilter => ({ ...noFilter, ...f });

describeEachEngine('a person’s multi-agency chronology', (ctx) => {
  const chronologyAs = async (user: { id: string }, personId: string, f: ChronologyFilter = noFilter) => {
    const gate = await gateForUser(ctx().database, user);
    return gate.run('person.view', (scope) => personChronology(scope, personId, f));
  };

  it('lists every event the person is in, newest first, with their part, the others in it and the child’s presence, words and state', async () => {
    const { database } = ctx();
    const { area, child, mother, partner, ids } = await family(database);
    const practitioner = await createUser(database.db, area, 'mash_practitioner');

    const c = await chronologyAs(practitioner, child.id);
    expect(c.entries.map((e) => e.eventId)).toEqual([ids.school, ids.hospital, ids.incident, ids.earlier]);
    expect(c).toMatchObject({ total: 4, matching: 4, page: 1, pages: 1, filtered: false, childPresentCount: 1, childVoiceCount: 1 });

    const incident = c.entries[2]!;
    expect(incident).toMatchObject({
      kindLabel: 'Domestic abuse incident (police)', agencyName: 'Testshire Police', role: 'child', roleLabel: 'Child', childPresent: true,
      childVoice: 'I heard mum crying and I hid.', child: { where: 'On the stairs', demeanour: 'Quiet, holding her rabbit' },
      place: { text: '12 Orchard Road, Testbury TE1 4AB', sealed: false, confidential: false }, sourceRef: 'TP/0001/26',
    });
    // The police reference is the event's own reference: said once.
    expect(incident.facts.map((f) => f.label)).not.toContain('Police reference');
    expect(incident.occurredAt.toISOString()).toBe('2026-02-14T21:40:00.000Z');
    expect(incident.others).toEqual([
      { personId: mother.id, name: 'Dana Thornbury', role: 'adult_victim', roleLabel: 'Adult victim', childPresent: null },
      { personId: partner.id, name: 'Craig Bellamy', role: 'alleged_perpetrator', roleLabel: 'Alleged perpetrator', childPresent: null },
    ]);
    expect(incident.facts).toEqual(expect.arrayContaining([
      { label: 'What happened', value: 'Pushed against a wall during an argument.', withheld: false },
      { label: 'DASH risk checklist', value: '1 of 2 questions answered yes', withheld: false },
      { label: 'Police risk grade', value: 'High', withheld: false },
      { label: 'Police action', value: 'Arrest', withheld: false },
    ]));
    expect(c.entries[3]).toMatchObject({ childPresent: false, childVoice: null, place: null });
    expect(c.entries[1]).toMatchObject({ role: 'subject', others: [], childPresent: null });

    // On the mother's page, her child is listed with whether she was present; no child's words.
    const hers = await chronologyAs(practitioner, mother.id);
    expect(hers.entries.map((e) => e.eventId)).toEqual([ids.idva, ids.incident, ids.earlier]);
    expect(hers.entries[1]!.others[0]).toMatchObject({ personId: child.id, role: 'child', childPresent: true });
    expect(hers.entries[1]).toMatchObject({ role: 'adult_victim', childVoice: null, child: { where: null, demeanour: null } });
  });

  it('puts a police notification sent through intake on the child’s chronology, with where they were, how they seemed and their words', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const token = await createSystemToken(database.db, area, area.agencies.police);
    const sent = await app.inject({
      method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${token}` },
      payload: {
        policeReference: 'NB-26-CHRON-1', occurredAt: '2026-01-20T21:40:00Z', location: '14 Larch Close, Testbury TE2 5RD',
        attendingOfficer: { name: 'PC Dana Hollis', collarNumber: '4471' },
        people: [
          { role: 'adult_victim', sourceRef: 'N1', givenName: 'Leanne', familyName: 'Brooker', dateOfBirth: '1992-06-14', sex: 'F' },
          { role: 'alleged_perpetrator', sourceRef: 'N2', givenName: 'Craig', familyName: 'Dunmore', dateOfBirth: '1989-01-30', sex: 'M', relationshipToVictim: 'partner' },
          { role: 'child', sourceRef: 'N3', givenName: 'Mia', familyName: 'Brooker', dateOfBirth: '2017-09-03', sex: 'F', relationshipToVictim: 'child',
            present: true, whereDuringIncident: 'On the landing', childVoice: 'I told Mummy to stop crying', demeanour: 'Quiet, holding her brother’s hand' },
          { role: 'child', sourceRef: 'N4', givenName: 'Tyler', familyName: 'Brooker', dateOfBirth: '2021-02-11', sex: 'M', relationshipToVictim: 'child', present: false },
        ],
        circumstances: 'Argument about money escalated.', injuries: 'Bruising to left arm', riskGrade: 'medium',
        actions: { arrest: true, dvpn: false, idvaReferral: true }, victimConsent: true,
      },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const people = sent.json().people as { sourceRef: string; personId: string }[];
    const personOf = (ref: string) => people.find((p) => p.sourceRef === ref)!.personId;
    const practitioner = await createUser(database.db, area, 'mash_practitioner');

    const c = await chronologyAs(practitioner, personOf('N3'));
    expect(c.entries).toHaveLength(1);
    expect(c.entries[0]).toMatchObject({
      kindLabel: 'Domestic abuse incident (police)', sourceRef: 'NB-26-CHRON-1', role: 'child', childPresent: true, childVoice: 'I told Mummy to stop crying',
      child: { where: 'On the landing', demeanour: 'Quiet, holding her brother’s hand' }, place: { text: '14 Larch Close, Testbury TE2 5RD', sealed: false },
    });
    expect(c.entries[0]!.others.map((o) => [o.name, o.role, o.childPresent])).toEqual([
      ['Tyler Brooker', 'child', false], ['Leanne Brooker', 'adult_victim', null], ['Craig Dunmore', 'alleged_perpetrator', null],
    ]);
    expect(c.entries[0]!.facts.map((f) => `${f.label}: ${f.value}`)).toEqual(expect.arrayContaining([
      'Attending officer: PC Dana Hollis (4471)', 'Injuries: Bruising to left arm', 'Police action: Arrest; Referral to an IDVA', 'Weapons: none recorded',
    ]));
    // Her brother's page says where he was, not her words.
    const his = await chronologyAs(practitioner, personOf('N4'));
    expect(his.entries[0]).toMatchObject({ childPresent: false, childVoice: null, child: { where: null, demeanour: null } });
  });

  it('offers only the agencies and types in this chronology, and filters by agency, type and the child’s presence and words', async () => {
    const { database } = ctx();
    const { area, child, ids } = await family(database);
    const practitioner = await createUser(database.db, area, 'mash_practitioner');

    const all = await chronologyAs(practitioner, child.id);
    expect(all.options.agencies).toEqual([
      { value: area.agencies.school, text: 'Meadow Lane Primary School', count: 1 },
      { value: area.agencies.health, text: 'Testshire Hospital Emergency Department', count: 1 },
      { value: area.agencies.police, text: 'Testshire Police', count: 2 },
    ]);
    expect(all.options.kinds.map((k) => [k.value, k.count])).toEqual([['school_concern', 1], ['police_da_incident', 2], ['ed_attendance', 1]]);
    expect(all.options.child.map((o) => [o.value, o.count])).toEqual([['present', 1], ['voice', 1]]);

    const police = await chronologyAs(practitioner, child.id, filter({ agency: [area.agencies.police] }));
    expect(police.entries.map((e) => e.eventId)).toEqual([ids.incident, ids.earlier]);
    expect(police).toMatchObject({ total: 4, matching: 2, filtered: true });
    // The options stay those of the whole chronology, so a filter can be widened again.
    expect(police.options.agencies).toHaveLength(3);

    const twoAgencies = await chronologyAs(practitioner, child.id, filter({ agency: [area.agencies.health, area.agencies.school] }));
    expect(twoAgencies.entries.map((e) => e.eventId)).toEqual([ids.school, ids.hospital]);
    const byKind = await chronologyAs(practitioner, child.id, filter({ kind: ['ed_attendance', 'school_concern'] }));
    expect(byKind.entries.map((e) => e.eventId)).toEqual([ids.school, ids.hospital]);
    const both = await chronologyAs(practitioner, child.id, filter({ agency: [area.agencies.police], kind: ['ed_attendance'] }));
    expect(both).toMatchObject({ entries: [], matching: 0, total: 4, pages: 1, page: 1 });
    const present = await chronologyAs(practitioner, child.id, filter({ child: ['present'] }));
    expect(present.entries.map((e) => e.eventId)).toEqual([ids.incident]);
    const words = await chronologyAs(practitioner, child.id, filter({ child: ['present', 'voice'], agency: [area.agencies.police] }));
    expect(words).toMatchObject({ matching: 1, entries: [{ eventId: ids.incident }] });
  });

  it('pages 25 at a time, newest first across pages, and brings a page past the end back to the last', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    const child = await createPerson(database.db, area, { givenName: 'Oscar', familyName: 'Penhallow', dateOfBirth: '2013-08-30' });
    const practitioner = await createUser(database.db, area, 'mash_practitioner');
    // 31 school absences, one a day through January, and a police incident at the same instant as one of them.
    for (let day = 1; day <= 31; day++) {
      await addEvent(database, area, {
        agencyId: area.agencies.school, kind: 'school_absence', occurredAt: `2026-01-${String(day).padStart(2, '0')}T09:00:00Z`,
        summary: `Absent on ${day} January`, people: [{ person: child, role: 'subject' }],
      });
    }
    await addEvent(database, area, { agencyId: area.agencies.police, kind: 'missing_episode', occurredAt: '2026-01-15T09:00:00Z', summary: 'Missing overnight', people: [{ person: child, role: 'subject' }] });

    const first = await chronologyAs(practitioner, child.id);
    expect(first).toMatchObject({ total: 32, matching: 32, page: 1, pages: 2 });
    expect(first.entries).toHaveLength(25);
    expect(first.entries[0]!.summary).toBe('Absent on 31 January');
    const second = await chronologyAs(practitioner, child.id, filter({ page: 2 }));
    expect(second.entries).toHaveLength(7);
    const every = [...first.entries, ...second.entries];
    expect(new Set(every.map((e) => e.eventId)).size).toBe(32);
    const times = every.map((e) => e.occurredAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(second.entries.at(-1)!.summary).toBe('Absent on 1 January');

    const beyond = await chronologyAs(practitioner, child.id, filter({ page: 9 }));
    expect(beyond).toMatchObject({ page: 2, filter: { page: 2 } });
    expect(beyond.entries.map((e) => e.eventId)).toEqual(second.entries.map((e) => e.eventId));
    const absences = await chronologyAs(practitioner, child.id, filter({ kind: ['school_absence'], page: 2 }));
    expect(absences).toMatchObject({ matching: 31, pages: 2, page: 2 });
    expect(absences.entries).toHaveLength(6);
  });

  it('withholds a sealed place, and any detail, summary or child’s words naming it, from a viewer without access', async () => {
    const { database } = ctx();
    const { db } = database;
    const area = await createArea(db);
    const canary = `${Date.now()} Kestrel Refuge Lane`;
    const child = await createPerson(db, area, { givenName: 'Ruby', familyName: 'Ashworth', dateOfBirth: '2015-12-01' });
    const mother = await createPerson(db, area, { givenName: 'Lena', familyName: 'Ashworth', dateOfBirth: '1988-04-19' });
    const refuge = await db
      .insertInto('address')
      .values({ area_id: area.id, line1: canary, town: 'Hiddenford', postcode: 'TE9 9ZZ', confidential: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('person_address').values({ area_id: area.id, person_id: mother.id, address_id: refuge.id, from_date: '2026-01-10' }).execute();
    const eventId = await addEvent(database, area, {
      agencyId: area.agencies.police, kind: 'police_da_incident', occurredAt: '2026-02-01T20:00:00Z', addressId: refuge.id,
      summary: `Ex-partner attended ${canary} and shouted through the door.`,
      details: { location: `${canary}, Hiddenford TE9 9ZZ`, circumstances: 'He found them at TE9 9ZZ.', injuries: 'none', children: [{ personId: child.id, where: `Bedroom at ${canary}`, demeanour: 'Frightened' }] },
      people: [{ person: child, role: 'child', present: true, voice: `He knows we live at ${canary} now.` }, { person: mother, role: 'adult_victim' }],
    });
    const practitioner = await createUser(db, area, 'mash_practitioner');
    const manager = await createUser(db, area, 'mash_manager');
    await allocate(db, area, child.id, { teamId: area.mashTeamId, workerId: practitioner.id, by: manager.id });

    const withheld = await chronologyAs(practitioner, child.id);
    const text = JSON.stringify(withheld);
    for (const secret of [canary, 'Hiddenford', 'TE9 9ZZ']) expect(text).not.toContain(secret);
    const entry = withheld.entries[0]!;
    expect(entry).toMatchObject({ eventId, place: { text: null, sealed: true }, summary: withheldText, childVoice: withheldText, childPresent: true });
    expect(entry.child.where).toBe(withheldText);
    expect(entry.facts).toContainEqual({ label: 'What happened', value: withheldText, withheld: true });
    expect(entry.facts).toContainEqual({ label: 'Injuries', value: 'none', withheld: false });

    const seen = await chronologyAs(manager, child.id);
    expect(seen.entries[0]).toMatchObject({
      place: { text: `${canary}, Hiddenford TE9 9ZZ`, sealed: false, confidential: true }, childVoice: `He knows we live at ${canary} now.`, child: { where: `Bedroom at ${canary}` },
    });

    // Through the page, too: nothing of the refuge reaches the practitioner.
    const client = new TestClient(ctx().app);
    await client.signIn(practitioner.email, practitioner.password);
    const page = await client.get(`/people/${child.id}`);
    expect(page.statusCode).toBe(200);
    for (const secret of [canary, 'Hiddenford', 'TE9 9ZZ']) expect(page.body).not.toContain(secret);
    expect(page.body).toContain('Confidential address: withheld');
  });

  it('answers "not found" for a person of another area, on the query and on the page', async () => {
    const { database, app } = ctx();
    const home = await createArea(database.db);
    const { child } = await family(database);
    const practitioner = await createUser(database.db, home, 'mash_practitioner');
    expect((await caught(chronologyAs(practitioner, child.id))).code).toBe('not_found');
    expect((await caught(chronologyAs(practitioner, 'not-a-person'))).code).toBe('not_found');

    const client = new TestClient(app);
    await client.signIn(practitioner.email, practitioner.password);
    const page = await client.get(`/people/${child.id}?agency=${home.agencies.police}&kind=police_da_incident`);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('Thornbury');
  });

  it('shows the timeline on the child’s page, filtered by a GET form, with the household and relationships beside it', async () => {
    const { database, app } = ctx();
    const { db } = database;
    const { area, child, mother, partner } = await family(database);
    const baby = await createPerson(db, area, { givenName: 'Alfie', familyName: 'Thornbury', dateOfBirth: '2025-09-01', sex: 'M' });
    const father = await createPerson(db, area, { givenName: 'Marcus', familyName: 'Thornbury', dateOfBirth: '1985-03-03', sex: 'M' });
    const household = await db.insertInto('household').values({ area_id: area.id, address_id: child.addressId, from_date: '2024-01-01' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('household_member').values([child, mother, partner, baby].map((p) => ({ area_id: area.id, household_id: household.id, person_id: p.id, from_date: '2024-01-01' }))).execute();
    // Father moved out: not in the household now, but still her father.
    await db.insertInto('household_member').values({ area_id: area.id, household_id: household.id, person_id: father.id, from_date: '2016-05-14', to_date: '2023-06-01' }).execute();
    await db.insertInto('relationship').values([
      { area_id: area.id, person_id: mother.id, related_person_id: child.id, kind: 'parent_of' },
      { area_id: area.id, person_id: father.id, related_person_id: child.id, kind: 'parent_of' },
      { area_id: area.id, person_id: partner.id, related_person_id: child.id, kind: 'alleged_perpetrator_of' },
    ]).execute();
    const practitioner = await createUser(db, area, 'mash_practitioner');
    await allocate(db, area, child.id, { teamId: area.mashTeamId, workerId: practitioner.id, by: practitioner.id });
    const client = new TestClient(app);
    await client.signIn(practitioner.email, practitioner.password);

    const page = await client.get(`/people/${child.id}`);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toContain('class="moj-timeline"');
    expect(body).toContain('Child present');
    expect(body).toContain('I heard mum crying and I hid.');
    expect(body).toContain('On the stairs');
    expect(body).toContain('Quiet, holding her rabbit');
    expect(body).toContain('Showing all 4 events');
    expect(body.indexOf('Tearful in class')).toBeLessThan(body.indexOf('Domestic assault at the home address'));
    expect(body).toContain('14 February 2026 at 9:40pm');
    expect(body).toContain(`name="agency" type="checkbox" value="${area.agencies.health}"`);
    expect(body).not.toContain(`value="${area.agencies.idva}"`); // the mother's IDVA contact is not on the child's chronology
    // Beside it: who she lives with now and how they are related, and her father elsewhere.
    const aside = body.slice(body.indexOf('People around them'));
    expect(aside).toContain('Living with them now');
    expect(aside).toMatch(/Dana Thornbury<\/a>, age \d+/);
    expect(aside).toContain('Alfie Thornbury');
    expect(aside).toMatch(/Craig Bellamy<\/a>[\s\S]*Alleged perpetrator/);
    expect(aside.indexOf('Marcus Thornbury')).toBeGreaterThan(aside.indexOf('Other relationships'));

    const police = await client.get(`/people/${child.id}?agency=${area.agencies.police}`);
    expect(police.body).toContain('Showing 2 of 4 events');
    expect(police.body).not.toContain('Tearful in class');
    expect(police.body).toContain(`value="${area.agencies.police}" checked`);
    const present = await client.get(`/people/${child.id}?child=present&kind=police_da_incident`);
    expect(present.body).toContain('Showing 1 of 4 events');
    expect(present.body).not.toContain('Verbal domestic incident');
    const none = await client.get(`/people/${child.id}?agency=${area.agencies.police}&kind=school_concern`);
    expect(none.body).toContain('No events match these filters');

    const bad = await client.get(`/people/${child.id}?agency=police&kind=picnic&page=0`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose agencies from the list');
    expect(bad.body).toContain('Choose types of event from the list');
    expect(bad.body).toContain('Page must be 1 or more');
    expect(bad.body).toContain('Showing all 4 events');

    // Each look at the page is one recorded view of the child, filters or not.
    const views = await db.selectFrom('audit_event').select(['outcome']).where('area_id', '=', area.id).where('action', '=', 'person.view').where('subject_person_id', '=', child.id).execute();
    expect(views).toHaveLength(5);
  });

  it('says so when there is nothing, and pages with the filters kept', async () => {
    const { database, app } = ctx();
    const area = await createArea(database.db);
    const quiet = await createPerson(database.db, area, { givenName: 'Nell', familyName: 'Quayle', dateOfBirth: '2018-02-02' });
    const busy = await createPerson(database.db, area, { givenName: 'Theo', familyName: 'Quayle', dateOfBirth: '2014-02-02' });
    const otherSchool = await addAgency(database.db, area, 'school', 'Hillside Academy');
    for (let day = 1; day <= 30; day++) {
      await addEvent(database, area, {
        agencyId: day % 10 === 0 ? otherSchool : area.agencies.school, kind: 'school_absence', occurredAt: `2026-03-${String(day).padStart(2, '0')}T09:00:00Z`,
        details: { days: 1, authorised: false }, people: [{ person: busy, role: 'subject' }],
      });
    }
    const worker = await createUser(database.db, area, 'social_worker');
    for (const person of [quiet, busy]) await allocate(database.db, area, person.id, { teamId: area.mashTeamId, workerId: worker.id, by: worker.id });
    const client = new TestClient(app);
    await client.signIn(worker.email, worker.password);

    const empty = await client.get(`/people/${quiet.id}`);
    expect(empty.body).toContain('No agency has recorded any event with Nell Quayle in it.');
    expect(empty.body).not.toContain('Filter by agency');

    const paged = await client.get(`/people/${busy.id}`);
    expect(paged.body).toContain('Showing all 30 events (1 to 25 on this page)');
    expect(paged.body).toContain(`href="/people/${busy.id}?page=2#chronology"`);
    const filtered = await client.get(`/people/${busy.id}?agency=${area.agencies.school}`);
    expect(filtered.body).toContain('Showing 27 of 30 events (1 to 25 on this page)');
    expect(filtered.body).toContain(`href="/people/${busy.id}?agency=${area.agencies.school}&amp;page=2#chronology"`);
    const next = await client.get(`/people/${busy.id}?agency=${area.agencies.school}&page=2`);
    expect(next.body).toContain('Showing 27 of 30 events (26 to 27 on this page)');
    expect(next.body).toContain('Days absent');
  });
});
