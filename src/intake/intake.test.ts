import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { createArea, createSystemToken, createUser, type TestArea } from '../../test/support/factories';
import type { TestDatabase } from '../../test/support/database';

function notification(reference: string, overrides: Record<string, unknown> = {}) {
  return {
    policeReference: reference,
    occurredAt: '2026-11-20T21:40:00Z',
    location: '14 Larch Close, Testbury TE2 5RD',
    attendingOfficer: { name: 'PC Dana Hollis', collarNumber: '4471' },
    people: [
      { role: 'adult_victim', sourceRef: `${reference}-N1`, givenName: 'Leanne', familyName: 'Brooker', dateOfBirth: '1992-06-14', sex: 'F',
        address: { line1: '14 Larch Close', town: 'Testbury', postcode: 'TE2 5RD' } },
      { role: 'alleged_perpetrator', sourceRef: `${reference}-N2`, givenName: 'Craig', familyName: 'Dunmore', dateOfBirth: '1989-01-30', sex: 'M', relationshipToVictim: 'partner' },
      { role: 'child', sourceRef: `${reference}-N3`, givenName: 'Mia', familyName: 'Brooker', dateOfBirth: '2017-09-03', sex: 'F', relationshipToVictim: 'child',
        present: true, whereDuringIncident: 'On the landing', childVoice: 'I told Mummy to stop crying', demeanour: 'Quiet, holding her brother’s hand' },
      { role: 'child', sourceRef: `${reference}-N4`, givenName: 'Tyler', familyName: 'Brooker', dateOfBirth: '2021-02-11', sex: 'M', relationshipToVictim: 'child', present: false },
    ],
    circumstances: 'Argument about money escalated; neighbour called police after hearing screaming.',
    injuries: 'Bruising to left arm',
    weapons: 'none',
    dash: { set: 'police_27', answers: Object.fromEntries(Array.from({ length: 27 }, (_, i) => [String(i + 1), { answer: i < 9 ? 'yes' : 'no' }])) },
    riskGrade: 'medium',
    actions: { arrest: true, dvpn: false, idvaReferral: true },
    victimConsent: true,
    ...overrides,
  };
}

/** An emergency department's referral of a baby, sent without consent (so it needs a lawful basis). */
function edReferral(reference: string) {
  return {
    reference, source: 'emergency_department', concernDate: '2026-11-21',
    concern: 'Mother attended with facial injuries; said her partner hit her while the baby was in the room.', domesticAbuse: true,
    people: [
      { role: 'child', sourceRef: `${reference}-P1`, givenName: 'Ava', familyName: 'Kerr', dateOfBirth: '2026-03-02' },
      { role: 'adult_victim', sourceRef: `${reference}-P2`, givenName: 'Shannon', familyName: 'Kerr', dateOfBirth: '1999-12-01' },
    ],
    referrer: { name: 'Dr R Patel', role: 'ED registrar' },
    consent: 'not_sought',
  };
}

async function counts(database: TestDatabase, area: TestArea) {
  const count = async (table: 'event' | 'person' | 'contact' | 'agency_record' | 'outbox') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('area_id', '=', area.id).executeTakeFirstOrThrow()).n);
  return { events: await count('event'), persons: await count('person'), contacts: await count('contact'), records: await count('agency_record'), outbox: await count('outbox') };
}

describeEachEngine('intake of notifications and referrals', (ctx) => {
  it('takes a police notification only from a police force: another agency is told to refer, and nothing is stored', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const token = await createSystemToken(database.db, area, area.agencies.health);
    const response = await app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${token}` }, payload: notification('NB-26-000199') });
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json().error.message).toContain('Only a police force sends domestic abuse incident notifications; refer the concern instead.');
    expect(await counts(database, area)).toEqual({ events: 0, persons: 0, contacts: 0, records: 0, outbox: 0 });
  });

  it('turns a police notification into an event, resolved people, a contact per child and Encompass for the school-age child', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const token = await createSystemToken(database.db, area, area.agencies.police);
    const response = await app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${token}` }, payload: notification('NB-26-000101') });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.duplicate).toBe(false);
    expect(body.people).toHaveLength(4);
    expect(body.contacts).toHaveLength(2);
    // Mia (9) is of school age but has no school on record: the MASH is told; Tyler (5) is in reception.
    expect(body.schoolsNotified).toBe(2);
    const told = await database.db.selectFrom('outbox').select('summary').where('area_id', '=', area.id).execute();
    expect(told.map((t) => t.summary)).toContain('Operation Encompass: tell Testshire Children’s Services (MASH) that no school is known for a child in a police incident');

    const event = await database.db.selectFrom('event').selectAll().where('id', '=', body.eventId).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ kind: 'police_da_incident', source_ref: 'NB-26-000101' });
    expect(event.details).toMatchObject({ riskGrade: 'medium', dashYes: 9, actions: ['arrest', 'idva_referral'], victimConsent: true });
    const mia = body.people.find((p: { sourceRef: string }) => p.sourceRef === 'NB-26-000101-N3');
    const child = await database.db.selectFrom('event_person').selectAll().where('event_id', '=', body.eventId).where('person_id', '=', mia.personId).executeTakeFirstOrThrow();
    expect(child).toMatchObject({ role: 'child', child_present: true, child_voice: 'I told Mummy to stop crying' });
    const relationships = await database.db.selectFrom('relationship').select(['kind']).where('source_event_id', '=', body.eventId).execute();
    expect(relationships.map((r) => r.kind).sort()).toEqual(['alleged_perpetrator_of', 'parent_of', 'parent_of', 'partner_of']);
  });

  it('makes one contact when the same notification is sent twice', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const token = await createSystemToken(database.db, area, area.agencies.police);
    const send = () => app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${token}` }, payload: notification('NB-26-000202') });
    const first = await send();
    expect(first.statusCode).toBe(201);
    const before = await counts(database, area);
    const second = await send();
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ duplicate: true, eventId: first.json().eventId });
    expect(second.json().contacts.map((c: { contactId: string }) => c.contactId).sort()).toEqual(first.json().contacts.map((c: { contactId: string }) => c.contactId).sort());
    expect(await counts(database, area)).toEqual(before);
  });

  it('refuses an invalid notification naming every field, and stores nothing', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const token = await createSystemToken(database.db, area, area.agencies.police);
    const before = await counts(database, area);
    const bad = notification('NB-26-000303', { riskGrade: 'severe', occurredAt: '20/11/2026' });
    (bad.people[2] as Record<string, unknown>)['dateOfBirth'] = '2017-02-30';
    delete (bad.people[3] as Record<string, unknown>)['present'];
    const response = await app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${token}` }, payload: bad });
    expect(response.statusCode).toBe(400);
    const fields = response.json().error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['riskGrade', 'occurredAt', 'people.2.dateOfBirth', 'people.3.present']));
    expect(await counts(database, area)).toEqual(before);
  });

  it('accepts notifications only from police, and referrals from any agency', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const healthToken = await createSystemToken(database.db, area, area.agencies.health);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${healthToken}` }, payload: notification('NB-26-000404') });
    expect(refused.statusCode).toBe(403);
    const referral = edReferral('ED-2026-7781');
    const missingBasis = await app.inject({ method: 'POST', url: '/api/v1/referrals', headers: { authorization: `Bearer ${healthToken}` }, payload: referral });
    expect(missingBasis.statusCode).toBe(400);
    expect(missingBasis.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['lawfulBasis', 'justification']);
    const accepted = await app.inject({
      method: 'POST', url: '/api/v1/referrals', headers: { authorization: `Bearer ${healthToken}` },
      payload: { ...referral, lawfulBasis: 'Children Act 1989 s47', justification: 'Asking the mother could alert the partner and put her and the baby at risk.' },
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json().contacts).toHaveLength(1);
    const share = await database.db.selectFrom('information_share').selectAll().where('area_id', '=', area.id).executeTakeFirstOrThrow();
    expect(share).toMatchObject({ consent: 'not_sought', lawful_basis: 'Children Act 1989 s47', from_agency_id: area.agencies.health, to_agency_id: area.agencies.socialCare });
  });

  it('shares a referral with the MASH whose team its contact joins, when two children’s services were set up together', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const healthToken = await createSystemToken(database.db, area, area.agencies.health);
    // A second children's social care agency made at the same instant (agencies set up together
    // share a creation time), with an id that sorts first, and a MASH team of its own made earlier.
    const first = await database.db.selectFrom('agency').select('created_at').where('id', '=', area.agencies.socialCare).executeTakeFirstOrThrow();
    const twin = '00000000-0000-4000-8000-000000000001';
    await database.db.insertInto('agency').values({ id: twin, area_id: area.id, kind: 'childrens_social_care', name: 'Testshire Children’s Services (North)', code: `csc-${twin}`, created_at: first.created_at }).execute();
    const twinTeam = await database.db.insertInto('team').values({ area_id: area.id, agency_id: twin, name: 'MASH', created_at: new Date('2020-01-01T00:00:00Z') }).returning('id').executeTakeFirstOrThrow();
    const accepted = await app.inject({
      method: 'POST', url: '/api/v1/referrals', headers: { authorization: `Bearer ${healthToken}` },
      payload: { ...edReferral('ED-2026-7782'), lawfulBasis: 'Children Act 1989 s47', justification: 'Asking the mother could alert the partner.' },
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    const share = await database.db.selectFrom('information_share').select('to_agency_id').where('area_id', '=', area.id).executeTakeFirstOrThrow();
    const contact = await database.db.selectFrom('contact').select('team_id').where('id', '=', accepted.json().contacts[0].contactId).executeTakeFirstOrThrow();
    expect({ sharedWith: share.to_agency_id, team: contact.team_id }).toEqual({ sharedWith: twin, team: twinTeam.id });
  });

  it('imports a CSV file all or nothing, unless asked to import the valid notifications', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const token = await createSystemToken(database.db, area, area.agencies.police);
    const header = 'police_reference,occurred_at,location,officer_name,circumstances,risk_grade,victim_consent,dash_completed,dash_yes,person_role,person_ref,given_name,family_name,date_of_birth,child_present,child_voice';
    const rows = [
      'NB-C-1,2026-11-19 22:10,3 Mill Lane,PC Ahmed,Shouting and a smashed door,standard,yes,yes,1;2;3,adult_victim,C1-V,Gemma,Tranter,1990-04-04,,',
      'NB-C-1,2026-11-19 22:10,3 Mill Lane,PC Ahmed,Shouting and a smashed door,standard,yes,yes,1;2;3,child,C1-C,Leo,Tranter,2016-08-08,yes,"He was shouting, I was scared"',
      'NB-C-2,2026-11-20 01:30,9 Weir Road,PC Ahmed,Assault on the landing,high,maybe,no,,adult_victim,C2-V,Kirsty,Lowe,1987-02-02,,',
      'NB-C-2,2026-11-20 01:30,9 Weir Road,PC Ahmed,Assault on the landing,high,maybe,no,,child,C2-C,Ruby,Lowe,2015-31-01,yes,',
    ];
    const csv = [header, ...rows].join('\n');
    const post = (query = '') => app.inject({ method: 'POST', url: `/api/v1/notifications/csv${query}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: csv });
    const rejected = await post();
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json()).toMatchObject({ imported: 0, skipped: 2 });
    expect(rejected.json().problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ line: 4, column: 'victim_consent' }),
    ]));
    expect((await counts(database, area)).events).toBe(0);

    const partial = await post('?acceptValid=true');
    expect(partial.statusCode).toBe(200);
    expect(partial.json()).toMatchObject({ imported: 1, skipped: 1 });
    const event = await database.db.selectFrom('event').select(['source_ref', 'occurred_at']).where('area_id', '=', area.id).executeTakeFirstOrThrow();
    expect(event.source_ref).toBe('NB-C-1');
    // 22:10 in England in November is 22:10 UTC.
    expect(event.occurred_at.toISOString()).toBe('2026-11-19T22:10:00.000Z');
  });

  it('takes a notification from a police officer through the web form, with field errors first', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const officer = await createUser(database.db, area, 'police_officer');
    const client = new TestClient(app);
    await client.signIn(officer.email, officer.password);
    await client.get('/intake/notifications/new');
    const empty = await client.post('/intake/notifications/new', {});
    expect(empty.statusCode).toBe(400);
    for (const message of ['Police reference must be at least 3 characters', 'Enter the first name', 'Risk grade must be standard, medium or high']) expect(empty.body).toContain(message);

    const form = {
      policeReference: 'NB-26-WEB-1', 'occurred-day': '21', 'occurred-month': '11', 'occurred-year': '2026', occurredTime: '20:15',
      location: 'Outside 40 Canal Street', officerName: 'PC Rowe', 'victim-givenName': 'Sara', 'victim-familyName': 'Quinn',
      'victim-dob-day': '5', 'victim-dob-month': '5', 'victim-dob-year': '1994', 'child1-givenName': 'Noah', 'child1-familyName': 'Quinn',
      'child1-dob-day': '1', 'child1-dob-month': '10', 'child1-dob-year': '2016', 'child1-present': 'yes', 'child1-voice': 'Dad pushed Mum',
      circumstances: 'Pushed to the ground in the street', dashCompleted: 'no', riskGrade: 'standard', victimConsent: 'yes',
    };
    await client.get('/intake/notifications/new');
    const sent = await client.post('/intake/notifications/new', form);
    expect(sent.statusCode, sent.body.slice(0, 500)).toBe(200);
    expect(sent.body).toContain('Notification received');
    expect(sent.body).toContain('NB-26-WEB-1');
    const event = await database.db.selectFrom('event').select(['occurred_at']).where('source_ref', '=', 'NB-26-WEB-1').executeTakeFirstOrThrow();
    expect(event.occurred_at.toISOString()).toBe('2026-11-21T20:15:00.000Z');
  });
});

