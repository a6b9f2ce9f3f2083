// Merging two people and splitting a person back into the records they were made of (unmerge),
// through the pages: what moves, the history kept, the audit, refusals and who may do it.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { createArea, createPerson, createPoliceIncident, createUser, resolveRecord, type TestArea, type TestUser } from '../../test/support/factories';
import type { TestDatabase } from '../../test/support/database';
import { allocate } from '../sharing/testing/factories';
import { personReferences } from './merge';

async function signedIn(app: FastifyInstance, user: TestUser): Promise<TestClient> {
  const client = new TestClient(app);
  await client.signIn(user.email, user.password);
  return client;
}

/** Two people Hearth keeps apart who are one child: the police hold a nickname, another date format and an old address. */
async function oneChildTwice(database: TestDatabase, area: TestArea) {
  const health = await resolveRecord(database, area, {
    agencyId: area.agencies.health, givenName: 'Amelia', familyName: 'Whitfield', dateOfBirth: '2016-04-09', sex: 'F', nhsNumber: '9434765919',
    addresses: [{ line1: '12 Orchard Road', town: 'Testbury', postcode: 'TE1 4AB' }],
  });
  const police = await resolveRecord(database, area, {
    givenName: 'Millie', familyName: 'Whitfield-Hart', dateOfBirth: '2016-04-19', sex: 'F', addresses: [{ line1: '3 Mill Lane', postcode: 'TE9 9ZZ' }],
  });
  expect(police.personId).not.toBe(health.personId);
  return { health, police };
}

const rowsOf = async (database: TestDatabase, table: 'person_address' | 'event_person', personId: string) =>
  (await database.db.selectFrom(table).select('id').where('person_id', '=', personId).execute()).map((r) => r.id).sort();

describeEachEngine('merging and splitting people', (ctx) => {
  it('merges through the pages: everything moves to the kept person, the history and audit say who, when and why', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const { health, police } = await oneChildTwice(database, area);
    const incident = await createPoliceIncident(database.db, area, { occurredAt: new Date('2026-10-01T20:00:00Z'), children: [{ personId: police.personId, present: true }] });
    const manager = await createUser(database.db, area, 'mash_manager', { name: 'Helen Okafor' });
    // The MASH holds both cases (so the manager sees both records); after the merge it holds one.
    for (const personId of [health.personId, police.personId]) await allocate(database.db, area, personId, { teamId: area.mashTeamId, by: manager.id });
    const client = await signedIn(app, manager);

    const person = await client.get(`/people/${health.personId}`);
    expect(person.body).toContain(`/people/${health.personId}/merge`);
    const find = await client.get(`/people/${health.personId}/merge?name=Millie+Whitfield-Hart&dateOfBirth=&nhsNumber=`);
    expect(find.statusCode).toBe(200);
    expect(find.body).toContain(`/people/${health.personId}/merge/${police.personId}`);
    const compare = await client.get(`/people/${health.personId}/merge/${police.personId}`);
    expect(compare.body).toContain('Merge Millie Whitfield-Hart into Amelia Whitfield');
    expect(compare.body).toContain('3 Mill Lane');

    const noReason = await client.post(`/people/${health.personId}/merge/${police.personId}`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('href="#reason"');
    expect(noReason.body).toContain('Enter the reason');

    const policeAddresses = await rowsOf(database, 'person_address', police.personId);
    const merged = await client.post(`/people/${health.personId}/merge/${police.personId}`, { reason: 'Same child: the school confirmed Millie is Amelia.' });
    expect(merged.statusCode).toBe(302);
    expect(merged.headers.location).toBe(`/people/${health.personId}?done=merged`);

    const records = await database.db.selectFrom('agency_record').select('id').where('person_id', '=', health.personId).execute();
    expect(records.map((r) => r.id).sort()).toEqual([health.agencyRecordId, police.agencyRecordId].sort());
    expect(await rowsOf(database, 'person_address', health.personId)).toEqual(expect.arrayContaining(policeAddresses));
    const roles = await database.db.selectFrom('event_person').select('person_id').where('event_id', '=', incident.id).execute();
    expect(roles).toEqual([{ person_id: health.personId }]);
    const gone = await database.db.selectFrom('person').select('merged_into').where('id', '=', police.personId).executeTakeFirstOrThrow();
    expect(gone.merged_into).toBe(health.personId);
    const merge = await database.db.selectFrom('person_merge').selectAll().where('area_id', '=', area.id).executeTakeFirstOrThrow();
    expect(merge).toMatchObject({ kept_person_id: health.personId, merged_person_id: police.personId, merged_by: manager.id, agency_record_ids: [police.agencyRecordId], undone_at: null });
    const links = await database.db.selectFrom('person_link').select(['person_id', 'method', 'ended_at', 'reason']).where('agency_record_id', '=', police.agencyRecordId).orderBy('linked_at').execute();
    expect(links.map((l) => [l.person_id, l.method, l.ended_at === null])).toEqual([[police.personId, 'new_person', false], [health.personId, 'merge', true]]);
    const allocations = await database.db.selectFrom('case_allocation').select(['person_id', 'ended_at', 'ended_by']).where('area_id', '=', area.id).execute();
    expect(allocations.every((a) => a.person_id === health.personId)).toBe(true);
    expect(allocations.filter((a) => a.ended_at === null)).toHaveLength(1);
    expect(allocations.filter((a) => a.ended_at !== null).map((a) => a.ended_by)).toEqual([manager.id]);
    const audits = await database.db.selectFrom('audit_event').select(['subject_person_id', 'reason', 'actor_user_id']).where('area_id', '=', area.id).where('action', '=', 'identity.merge').execute();
    expect(audits.map((a) => a.subject_person_id).sort()).toEqual([health.personId, police.personId].sort());
    expect(audits.every((a) => a.reason === 'Same child: the school confirmed Millie is Amelia.' && a.actor_user_id === manager.id)).toBe(true);

    // The merged person's page is the kept one, which shows the merge.
    const old = await client.get(`/people/${police.personId}`);
    expect(old.statusCode).toBe(302);
    expect(old.headers.location).toContain(`/people/${health.personId}`);
    const page = await client.get(`/people/${health.personId}?done=merged`);
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Merged in Millie Whitfield-Hart');
    expect(text).toContain('Helen Okafor');
    expect(text).toContain('Same child: the school confirmed Millie is Amelia.');
  });

  it('unmerges: splitting off exactly what a merge brought undoes it, moving back what it moved', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const { health, police } = await oneChildTwice(database, area);
    const incident = await createPoliceIncident(database.db, area, { occurredAt: new Date('2026-10-01T20:00:00Z'), children: [{ personId: police.personId, present: true }] });
    const before = { health: await rowsOf(database, 'person_address', health.personId), police: await rowsOf(database, 'person_address', police.personId) };
    const manager = await createUser(database.db, area, 'team_manager', { name: 'Sam Boateng' });
    await database.db.updateTable('app_user').set({ team_id: area.mashTeamId }).where('id', '=', manager.id).execute();
    const allocations = [];
    for (const personId of [health.personId, police.personId]) allocations.push(await allocate(database.db, area, personId, { teamId: area.mashTeamId, by: manager.id }));
    const client = await signedIn(app, manager);
    await client.get(`/people/${health.personId}/merge/${police.personId}`);
    expect((await client.post(`/people/${health.personId}/merge/${police.personId}`, { reason: 'Thought to be the same child.' })).statusCode).toBe(302);

    const form = await client.get(`/people/${health.personId}/split`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`value="${police.agencyRecordId}"`);
    const empty = await client.post(`/people/${health.personId}/split`, { reason: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Choose the records that belong to another person');
    expect(empty.body).toContain('Enter why these records are a different person');
    const all = await client.post(`/people/${health.personId}/split`, { records: [health.agencyRecordId, police.agencyRecordId], reason: 'All of them' });
    expect(all.statusCode).toBe(400);
    expect(all.body).toContain('Leave at least one record with this person');

    const split = await client.post(`/people/${health.personId}/split`, { records: [police.agencyRecordId], reason: 'The GP says Millie is a cousin, born ten days later.' });
    expect(split.statusCode).toBe(302);
    expect(split.headers.location).toBe(`/people/${police.personId}?done=split`);

    // Back as before the merge: the same person id, its records, addresses and event.
    const back = await database.db.selectFrom('person').select('merged_into').where('id', '=', police.personId).executeTakeFirstOrThrow();
    expect(back.merged_into).toBeNull();
    const recordOf = async (id: string) => (await database.db.selectFrom('agency_record').select('person_id').where('id', '=', id).executeTakeFirstOrThrow()).person_id;
    expect(await recordOf(police.agencyRecordId)).toBe(police.personId);
    expect(await recordOf(health.agencyRecordId)).toBe(health.personId);
    expect(await rowsOf(database, 'person_address', health.personId)).toEqual(before.health);
    expect(await rowsOf(database, 'person_address', police.personId)).toEqual(before.police);
    expect(await database.db.selectFrom('event_person').select('person_id').where('event_id', '=', incident.id).execute()).toEqual([{ person_id: police.personId }]);
    const merge = await database.db.selectFrom('person_merge').select(['id', 'undone_by', 'undo_reason']).where('area_id', '=', area.id).executeTakeFirstOrThrow();
    expect(merge).toMatchObject({ undone_by: manager.id, undo_reason: 'The GP says Millie is a cousin, born ten days later.' });
    const splitRow = await database.db.selectFrom('person_split').selectAll().where('area_id', '=', area.id).executeTakeFirstOrThrow();
    expect(splitRow).toMatchObject({ from_person_id: health.personId, to_person_id: police.personId, agency_record_ids: [police.agencyRecordId], undoes_merge_id: merge.id, split_by: manager.id });
    // Each case is held again, as before the merge.
    const held = await database.db.selectFrom('case_allocation').select(['id', 'person_id', 'ended_at']).where('area_id', '=', area.id).orderBy('allocated_at').execute();
    expect(held.map((a) => [a.id, a.person_id, a.ended_at])).toEqual([[allocations[0], health.personId, null], [allocations[1], police.personId, null]]);
    const links = await database.db.selectFrom('person_link').select(['person_id', 'method']).where('agency_record_id', '=', police.agencyRecordId).orderBy('linked_at').execute();
    expect(links.map((l) => l.method)).toEqual(['new_person', 'merge', 'unmerge']);
    expect(links[2]?.person_id).toBe(police.personId);
    const audits = await database.db.selectFrom('audit_event').select(['subject_person_id', 'details']).where('area_id', '=', area.id).where('action', '=', 'identity.split').execute();
    expect(audits.map((a) => a.subject_person_id).sort()).toEqual([health.personId, police.personId].sort());
    expect(audits[0]?.details).toMatchObject({ undidMergeId: merge.id });

    // Both pages tell the story.
    const kept = (await client.get(`/people/${health.personId}`)).body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(kept).toContain('Merged in Millie Whitfield-Hart');
    expect(kept).toContain('undone by Sam Boateng');
    expect(kept).toContain('Records split off to Millie Whitfield-Hart');
    const restored = (await client.get(`/people/${police.personId}`)).body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(restored).toContain('Split from Amelia Whitfield');
    expect(restored).toContain('The GP says Millie is a cousin, born ten days later.');
  });

  it('splits records that were never merged into a new person, taking their addresses and events with them', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const child = await createPerson(database.db, area, { givenName: 'Leo', familyName: 'Marsh', dateOfBirth: '2015-05-05', postcode: 'TE4 1AA' });
    // A second record wrongly linked to Leo, with its own address and incident.
    const record = await database.db.insertInto('agency_record')
      .values({ area_id: area.id, agency_id: area.agencies.health, person_id: child.id, source_ref: 'ED-77', given_name: 'Leon', family_name: 'Marsh', date_of_birth: '2009-05-05', sex: 'M' })
      .returning('id').executeTakeFirstOrThrow();
    const address = await database.db.insertInto('address').values({ area_id: area.id, line1: '8 Quay Street', postcode: 'TE8 8QQ' }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('person_address').values({ area_id: area.id, person_id: child.id, agency_record_id: record.id, address_id: address.id }).execute();
    const incident = await createPoliceIncident(database.db, area, { occurredAt: new Date('2026-09-01T20:00:00Z'), children: [{ personId: child.id }] });
    await database.db.updateTable('event_person').set({ agency_record_id: record.id }).where('event_id', '=', incident.id).execute();
    const client = await signedIn(app, await createUser(database.db, area, 'mash_manager'));
    await client.get(`/people/${child.id}/split`);
    const split = await client.post(`/people/${child.id}/split`, { records: record.id, reason: 'Leon is an older boy at another address.' });
    expect(split.statusCode).toBe(302);
    const newId = /\/people\/([0-9a-f-]{36})\?done=split/.exec(split.headers.location as string)?.[1] as string;
    expect(newId).not.toBe(child.id);
    const person = await database.db.selectFrom('person').select(['given_name', 'date_of_birth', 'merged_into']).where('id', '=', newId).executeTakeFirstOrThrow();
    expect(person).toEqual({ given_name: 'Leon', date_of_birth: '2009-05-05', merged_into: null });
    const moved = await database.db.selectFrom('person_address').select('address_id').where('person_id', '=', newId).execute();
    expect(moved).toEqual([{ address_id: address.id }]);
    expect(await database.db.selectFrom('event_person').select('person_id').where('event_id', '=', incident.id).execute()).toEqual([{ person_id: newId }]);
    const kept = await database.db.selectFrom('person').select(['given_name', 'date_of_birth']).where('id', '=', child.id).executeTakeFirstOrThrow();
    expect(kept).toEqual({ given_name: 'Leo', date_of_birth: '2015-05-05' });
    const splitRow = await database.db.selectFrom('person_split').select(['to_person_id', 'undoes_merge_id']).where('from_person_id', '=', child.id).executeTakeFirstOrThrow();
    expect(splitRow).toEqual({ to_person_id: newId, undoes_merge_id: null });
  });

  it('refuses to merge two people with different valid NHS numbers, changing nothing', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const a = await createPerson(database.db, area, { givenName: 'Ava', familyName: 'Nowak', dateOfBirth: '2018-01-01', nhsNumber: '9434765919' });
    const b = await createPerson(database.db, area, { givenName: 'Ava', familyName: 'Nowak', dateOfBirth: '2018-01-01', nhsNumber: '4010232137' });
    const client = await signedIn(app, await createUser(database.db, area, 'mash_manager'));
    const compare = await client.get(`/people/${a.id}/merge/${b.id}`);
    expect(compare.body).toContain('These people cannot be merged. They have different NHS numbers (943 476 5919 and 401 023 2137)');
    expect(compare.body).not.toContain('name="reason"');
    const forced = await client.post(`/people/${a.id}/merge/${b.id}`, { reason: 'Same girl.' });
    expect(forced.statusCode).toBe(409);
    expect(forced.body).toContain('These people cannot be merged.');
    expect(await database.db.selectFrom('person_merge').select('id').where('area_id', '=', area.id).execute()).toEqual([]);
    const persons = await database.db.selectFrom('person').select('merged_into').where('id', 'in', [a.id, b.id]).execute();
    expect(persons.every((p) => p.merged_into === null)).toBe(true);
  });

  it('lets only managers merge and split: others get "not found" and the refusal is recorded', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const { health, police } = await oneChildTwice(database, area);
    for (const role of ['mash_practitioner', 'social_worker', 'police_officer'] as const) {
      const user = await createUser(database.db, area, role);
      const client = await signedIn(app, user);
      expect((await client.get(`/people/${health.personId}`)).body, role).not.toContain(`/people/${health.personId}/merge`);
      for (const url of [`/people/${health.personId}/merge`, `/people/${health.personId}/merge/${police.personId}`, `/people/${health.personId}/split`]) {
        expect((await client.get(url)).statusCode, `${role} GET ${url}`).toBe(404);
      }
      expect((await client.post(`/people/${health.personId}/merge/${police.personId}`, { reason: 'Same.' })).statusCode, role).toBe(404);
      expect((await client.post(`/people/${health.personId}/split`, { records: health.agencyRecordId, reason: 'No.' })).statusCode, role).toBe(404);
      const refused = await database.db.selectFrom('audit_event').select('seq').where('actor_user_id', '=', user.id).where('outcome', '=', 'refused').execute();
      expect(refused.length, role).toBeGreaterThanOrEqual(5);
    }
    expect(await database.db.selectFrom('person_merge').select('id').where('area_id', '=', area.id).execute()).toEqual([]);
    expect(await database.db.selectFrom('person_split').select('id').where('area_id', '=', area.id).execute()).toEqual([]);

    // A manager of another area finds neither person.
    const elsewhere = await createArea(database.db, 'Otherborough Partnership');
    const outsider = await signedIn(app, await createUser(database.db, elsewhere, 'mash_manager'));
    expect((await outsider.get(`/people/${health.personId}/merge/${police.personId}`)).statusCode).toBe(404);
    expect((await outsider.post(`/people/${health.personId}/merge/${police.personId}`, { reason: 'Same.' })).statusCode).toBe(404);
  });

  it('re-points every column that refers to a person (the list is checked against the schema)', async () => {
    const { database } = ctx();
    // Columns whose reference to a person is history, and must not move on a merge.
    const history = new Set(['person.merged_into', 'person_link.person_id', 'person_merge.kept_person_id', 'person_merge.merged_person_id', 'person_split.from_person_id', 'person_split.to_person_id']);
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT c.relname AS table_name, a.attname AS column_name
      FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY(k.conkey)
      WHERE k.contype = 'f' AND k.confrelid = 'public.person'::regclass AND n.nspname = 'public'`.execute(database.db);
    const referring = rows.map((r) => `${r.table_name}.${r.column_name}`).filter((c) => !history.has(c)).sort();
    expect(referring).toEqual(personReferences.map(([table, column]) => `${table}.${column}`).sort());
  });
});
