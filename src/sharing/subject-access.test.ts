// The subject access export through its pages: everything held about the person, as a document
// and as JSON with the same content; other people, confidential addresses and sensitive notes
// withheld; audited with the request's reference; for information governance only.
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/app';
import { createContacts, createIncident } from '../../test/support/frontdoor';
import { redactor } from './subject-access';
import { sensitiveNote } from './testing/factories';
import { clientsFor } from './testing/clients';
import { sharingWorld } from './testing/world';

it('replaces names whole-word in any case, and addresses whatever their spacing', () => {
  const redact = redactor(['Craig Maddox', 'Craig', 'Maddox', 'Jo'], ['7 Sanctuary Close', 'TE8 8RF']);
  expect(redact('craig MADDOX went to 7 sanctuary  close, te88rf. Jonathan and Joe stayed; Jo left.')).toBe(
    '[name withheld] went to [address withheld], [address withheld]. Jonathan and Joe stayed; [name withheld] left.',
  );
  expect(redact(null)).toBeNull();
});

describeEachEngine('the subject access export', (ctx) => {
  const signIn = clientsFor(() => ctx().app);

  it('holds everything about the person, with third parties and sensitive items withheld, as HTML and JSON', async () => {
    const { database } = ctx();
    const canary = `Disclosure-${Date.now().toString(36)}`;
    const w = await sharingWorld(database.db);
    const incident = await createIncident(database.db, w.area, {
      occurredAt: new Date('2026-01-10T21:30:00Z'),
      summary: 'Craig Maddox came to 7 Sanctuary Close (TE8 8RF) and shouted at Dawn.',
      children: [{ person: w.child, present: true, voice: 'Craig was shouting at Mummy. I hid with Evie’s teddy.' }],
      adults: [{ person: w.mother, role: 'adult_victim' }, { person: w.father, role: 'alleged_perpetrator' }],
    });
    const [contactId] = await createContacts(database, w.area, w.users.police_officer, incident.id, [w.child], new Date('2026-01-10T22:00:00Z'));
    await database.db.updateTable('contact')
      .set({ stage: 'closed', decision: 'child_in_need_assessment', decision_reasons: 'Evie is frightened of Craig Maddox; Dawn Hartley is in a refuge.', decided_at: new Date(), closed_at: new Date(), decided_by: w.users.mash_manager.id })
      .where('id', '=', contactId as string).execute();
    const check = await database.db.insertInto('agency_check').values({
      area_id: w.area.id, contact_id: contactId as string, agency_id: w.area.agencies.health, question: 'Known?', requested_by: w.users.mash_practitioner.id,
      due_at: new Date(), status: 'answered', known_to_agency: 'yes', involvement: 'Health visitor for Evie', concerns: 'Craig attended A&E drunk', history: 'None',
    }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('information_share').values({
      area_id: w.area.id, person_id: w.child.id, contact_id: contactId as string, agency_check_id: check.id, from_agency_id: w.area.agencies.socialCare,
      to_agency_id: w.area.agencies.health, consent: 'not_sought', lawful_basis: 'Children Act 1989 s47', justification: 'Seeking consent from Dawn would alert Craig Maddox',
      decided_by: w.users.mash_practitioner.id,
    }).execute();
    await sensitiveNote(database.db, w.area, w.child.id, { text: `${canary}: what Evie told her teacher`, roles: ['social_worker'], recordedBy: w.users.social_worker.id, agencyId: w.area.agencies.socialCare });
    // Someone saw her record: listed by agency and role, never by name.
    await (await signIn(w.users.qa_officer)).get(`/people/${w.child.id}`);

    const ig = await signIn(w.users.information_governance);
    const form = await ig.get(`/people/${w.child.id}/subject-access`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('The request’s reference');
    const html = await ig.get(`/people/${w.child.id}/subject-access?reference=SAR-2026-014`);
    expect(html.statusCode).toBe(200);
    const json = await ig.get(`/people/${w.child.id}/subject-access.json?reference=SAR-2026-014`);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toContain('application/json');
    expect(json.headers['content-disposition']).toContain('subject-access-SAR-2026-014.json');
    const document = JSON.parse(json.body);

    for (const [format, body] of [['html', html.body], ['json', json.body]] as const) {
      // Their own record is there.
      for (const own of ['Evie', 'Hartley', 'Testshire Police', 'Domestic abuse incident (police)', 'Children Act 1989 s47', 'Health visitor for Evie', '12 Orchard Road']) {
        expect(body, `${format}: ${own}`).toContain(own);
      }
      // Other people, the refuge and the sensitive note are not.
      for (const withheld of ['Craig', 'Maddox', 'Dawn', 'Sanctuary Close', 'TE8 8RF', 'Havenbury', '4 Mill Lane', canary]) {
        expect(body, `${format}: ${withheld}`).not.toContain(withheld);
      }
      expect(body).toContain('[name withheld]');
    }
    expect(document.events).toEqual([expect.objectContaining({ role: 'child', present: true, ownWords: '[name withheld] was shouting at Mummy. I hid with Evie’s teddy.' })]);
    expect(document.relationships.map((r: { relationship: string }) => r.relationship).sort()).toEqual(['Parent (another person)', 'Parent (another person)']);
    expect(document.seenBy).toContainEqual(expect.objectContaining({ agency: 'Testshire Children’s Services', role: 'Quality assurance officer', action: 'Opened their page' }));
    expect(json.body).not.toContain('Fiona Quality');
    expect(document.withheld).toMatch(/Data Protection Act 2018/);

    const audits = await database.db.selectFrom('audit_event').select(['actor_user_id', 'subject_person_id', 'reason', 'details']).where('area_id', '=', w.area.id).where('action', '=', 'person.subject_access').orderBy('id').execute();
    expect(audits).toEqual([
      { actor_user_id: w.users.information_governance.id, subject_person_id: w.child.id, reason: 'Subject access request SAR-2026-014', details: { format: 'html' } },
      { actor_user_id: w.users.information_governance.id, subject_person_id: w.child.id, reason: 'Subject access request SAR-2026-014', details: { format: 'json' } },
    ]);
  });

  it('asks for the request’s reference, and is refused to everyone but information governance', async () => {
    const { database } = ctx();
    const w = await sharingWorld(database.db);
    const ig = await signIn(w.users.information_governance);
    const missing = await ig.get(`/people/${w.child.id}/subject-access?reference=`);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter the subject access request’s reference');
    const json = await ig.get(`/people/${w.child.id}/subject-access.json`);
    expect(json.statusCode).toBe(400);
    expect(JSON.parse(json.body)).toMatchObject({ error: { code: 'validation_failed', fields: [{ field: 'reference' }] } });
    expect((await ig.get(`/people/00000000-0000-4000-8000-000000000000/subject-access?reference=SAR-1`)).statusCode).toBe(404);

    for (const user of Object.values(w.users).filter((u) => u.role !== 'information_governance')) {
      const client = await signIn(user);
      expect((await client.get(`/people/${w.child.id}/subject-access?reference=SAR-1`)).statusCode, user.role).toBe(404);
      const refused = await client.get(`/people/${w.child.id}/subject-access.json?reference=SAR-1`);
      expect(refused.statusCode, user.role).toBe(404);
      expect(refused.body).not.toContain('Evie');
    }
  });
});
