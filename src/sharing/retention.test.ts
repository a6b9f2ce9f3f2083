// Retention through its pages: records come up for review by the area's rules; keeping one
// explains why and until when; deleting one is explicit, takes its parts, is refused while other
// records refer to it, and leaves its decision for good (the application cannot change it).
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { enterArea } from '../access/gate';
import { describeEachEngine } from '../../test/support/app';
import { createContacts, createIncident } from '../../test/support/frontdoor';
import { clientsFor } from './testing/clients';
import { sensitiveNote } from './testing/factories';
import { sharingWorld } from './testing/world';

const yearsAgo = (years: number) => new Date(Date.now() - years * 366 * 86_400_000);

describeEachEngine('retention reviews', (ctx) => {
  const signIn = clientsFor(() => ctx().app);

  it('brings records up for review by the area’s rules, and keeps one until a later review', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    // An adult's sensitive note recorded 7 years ago: due (6 years). The child's: kept to her 25th birthday.
    const adultNote = await sensitiveNote(database.db, w.area, w.mother.id, { text: 'GUM clinic', category: 'sexual_health', recordedBy: w.users.idva.id, agencyId: w.area.agencies.idva });
    const childNote = await sensitiveNote(database.db, w.area, w.child.id, { text: 'Told teacher', recordedBy: w.users.social_worker.id, agencyId: w.area.agencies.socialCare });
    await database.db.updateTable('sensitive_note').set({ recorded_at: yearsAgo(7) }).where('id', 'in', [adultNote, childNote]).execute();

    const ig = await signIn(w.users.information_governance);
    const list = await ig.get('/retention?type=sensitive_note');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/retention/sensitive_note/${adultNote}`);
    expect(list.body).toContain('About an adult: 6 years after it was recorded');
    expect(list.body).not.toContain(childNote);

    // An area that keeps adults' notes 10 years has nothing due.
    await database.db.updateTable('area').set({ settings: JSON.stringify({ retention: { sensitive_note: { adultYears: 10 } } }) }).where('id', '=', w.area.id).execute();
    expect((await ig.get('/retention?type=sensitive_note')).body).not.toContain(adultNote);
    await database.db.updateTable('area').set({ settings: '{}' }).where('id', '=', w.area.id).execute();

    const record = await ig.get(`/retention/sensitive_note/${adultNote}`);
    expect(record.statusCode).toBe(200);
    const missingDate = await ig.post(`/retention/sensitive_note/${adultNote}`, { decision: 'retain', reason: 'Criminal proceedings are still open' });
    expect(missingDate.statusCode).toBe(400);
    expect(missingDate.body).toContain('Enter the date of the next review');
    const kept = await ig.post(`/retention/sensitive_note/${adultNote}`, { decision: 'retain', reason: 'Criminal proceedings are still open', retainUntil: '2099-01-01' });
    expect(kept.statusCode).toBe(302);
    expect((await ig.get('/retention?type=sensitive_note')).body).not.toContain(`/retention/sensitive_note/${adultNote}`);
    // Kept, it is no longer due: deleting it now is refused.
    const early = await ig.post(`/retention/sensitive_note/${adultNote}`, { decision: 'delete', reason: 'Changed my mind about this', confirm: 'yes' });
    expect(early.statusCode).toBe(409);
    expect(await database.db.selectFrom('sensitive_note').select('id').where('id', '=', adultNote).execute()).toHaveLength(1);
    const decisions = await database.db.selectFrom('retention_decision').selectAll().where('area_id', '=', w.area.id).execute();
    expect(decisions).toEqual([expect.objectContaining({ record_type: 'sensitive_note', record_id: adultNote, decision: 'retain', retain_until: '2099-01-01', decided_by: w.users.information_governance.id })]);
  });

  it('deletes a record only when asked, with its parts, refusing while others refer to it, and keeps the decision for good', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    const incident = await createIncident(database.db, w.area, { occurredAt: yearsAgo(12), children: [{ person: w.stranger }] });
    const [contactId] = await createContacts(database, w.area, w.users.police_officer, incident.id, [w.stranger], yearsAgo(12));
    await database.db.updateTable('contact').set({ stage: 'closed', decision: 'no_further_action', decision_reasons: 'No role', decided_at: yearsAgo(12), closed_at: yearsAgo(12), decided_by: w.users.mash_manager.id }).where('id', '=', contactId as string).execute();
    const check = await database.db.insertInto('agency_check').values({
      area_id: w.area.id, contact_id: contactId as string, agency_id: w.area.agencies.health, question: 'Known?', requested_by: w.users.mash_practitioner.id, due_at: yearsAgo(12), status: 'answered',
    }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('information_share').values({
      area_id: w.area.id, person_id: w.stranger.id, contact_id: contactId as string, agency_check_id: check.id, from_agency_id: w.area.agencies.socialCare, to_agency_id: w.area.agencies.health,
      consent: 'given', decided_by: w.users.mash_practitioner.id,
    }).execute();
    // The child is 14: the incident is kept until their 25th birthday; the contact (no services) 6 years after closing.
    const ig = await signIn(w.users.information_governance);
    const list = await ig.get('/retention');
    expect(list.body).toContain(`/retention/contact/${contactId}`);
    expect(list.body).toContain('No services: 6 years after closing');
    expect(list.body).not.toContain(`/retention/event/${incident.id}`);

    const view = await ig.get(`/retention/contact/${contactId}`);
    expect(view.body).toContain('1 in contact');
    expect(view.body).toContain('1 in agency_check');
    expect(view.body).toContain('1 in information_share');
    const unconfirmed = await ig.post(`/retention/contact/${contactId}`, { decision: 'delete', reason: 'Past its retention period' });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Confirm that the record is to be deleted for good');

    // A notification about the contact refers to it: deletion is refused, naming it.
    const notification = await database.db.insertInto('notification').values({
      area_id: w.area.id, kind: 'encompass_escalation', recipient_agency_id: w.area.agencies.socialCare, person_id: w.stranger.id, contact_id: contactId as string, content: '{}',
    }).returning('id').executeTakeFirstOrThrow();
    const blocked = await ig.post(`/retention/contact/${contactId}`, { decision: 'delete', reason: 'Past its retention period', confirm: 'yes' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.body).toContain('Other records still refer to it: 1 in notification');
    await database.db.deleteFrom('notification').where('id', '=', notification.id).execute();

    const deleted = await ig.post(`/retention/contact/${contactId}`, { decision: 'delete', reason: 'Past its retention period', confirm: 'yes' });
    expect(deleted.statusCode).toBe(302);
    expect(deleted.headers.location).toBe('/retention?done=delete');
    for (const table of ['contact', 'agency_check', 'information_share', 'contact_history'] as const) {
      const column = table === 'contact' ? 'id' : 'contact_id';
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${contactId}`.execute(database.db);
      expect(Number(rows[0]?.n), table).toBe(0);
    }
    const decision = await database.db.selectFrom('retention_decision').selectAll().where('record_id', '=', contactId as string).executeTakeFirstOrThrow();
    expect(decision).toMatchObject({ decision: 'delete', reason: 'Past its retention period', rule: 'No services: 6 years after closing', deleted_rows: { contact: 1, agency_check: 1, information_share: 1, contact_history: 1 } });
    const audit = await database.db.selectFrom('audit_event').selectAll().where('area_id', '=', w.area.id).where('action', '=', 'retention.delete').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ record_id: contactId, subject_person_id: w.stranger.id, reason: 'Past its retention period', actor_user_id: w.users.information_governance.id });

    // The incident is now referred to by nothing but its own people; it is not due yet, so it stays.
    expect(await database.db.selectFrom('event').select('id').where('id', '=', incident.id).execute()).toHaveLength(1);
    // Nothing can unmake the decision: the application may not change or delete it.
    const attempt = (statement: string) => database.db.transaction().execute(async (tx) => {
      await enterArea(tx, w.area.id);
      await sql.raw(statement).execute(tx);
    });
    await expect(attempt(`UPDATE retention_decision SET reason = 'no reason' WHERE area_id = '${w.area.id}'`)).rejects.toThrow(/permission denied/);
    await expect(attempt(`DELETE FROM retention_decision WHERE area_id = '${w.area.id}'`)).rejects.toThrow(/permission denied/);
  });

  it('deletes an old adult-only event with its people, detaching relationships it was the source of', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    const event = await database.db.insertInto('event').values({
      area_id: w.area.id, agency_id: w.area.agencies.police, kind: 'police_other_incident', occurred_at: yearsAgo(11), summary: 'Noise complaint',
    }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('event_person').values({ area_id: w.area.id, event_id: event.id, person_id: w.father.id, role: 'subject' }).execute();
    await database.db.updateTable('relationship').set({ source_event_id: event.id }).where('person_id', '=', w.father.id).where('kind', '=', 'alleged_perpetrator_of').execute();
    const ig = await signIn(w.users.information_governance);
    expect((await ig.get('/retention?type=event')).body).toContain('Police record: 10 years after it happened');
    const deleted = await ig.post(`/retention/event/${event.id}`, { decision: 'delete', reason: 'No policing purpose after review', confirm: 'yes' });
    expect(deleted.statusCode).toBe(302);
    expect(await database.db.selectFrom('event').select('id').where('id', '=', event.id).execute()).toEqual([]);
    const relationship = await database.db.selectFrom('relationship').select('source_event_id').where('person_id', '=', w.father.id).where('kind', '=', 'alleged_perpetrator_of').executeTakeFirstOrThrow();
    expect(relationship.source_event_id).toBeNull();
    const decision = await database.db.selectFrom('retention_decision').select('deleted_rows').where('record_id', '=', event.id).executeTakeFirstOrThrow();
    expect(decision.deleted_rows).toMatchObject({ event: 1, event_person: 1, 'relationship.source_event_id (detached)': 1 });
  });

  it('is for information governance only', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    for (const user of Object.values(w.users).filter((u) => u.role !== 'information_governance')) {
      expect((await (await signIn(user)).get('/retention')).statusCode, user.role).toBe(403);
    }
  });
});
