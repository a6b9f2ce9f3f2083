// The canary: a unique string planted in a confidential address (and written, as a police officer
// would, into the incident's summary, place, circumstances and the child's words), and another in
// a sensitive note, in a demo area of 200 children. Every demo user signs in and walks every page
// and endpoint they can reach: links from the home page and from every page after it, the GET
// forms, the known routes about the planted child, the JSON API and exports. The address canary
// must never reach anyone who may not see confidential addresses, and the note's anyone it does
// not name; nor any notification, email or outbox entry, whoever receives it.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { Gate } from '../access/gate';
import { roleCan } from '../access/permissions';
import { isRole, type Role } from '../access/roles';
import { loadActor } from '../auth/actors';
import { seedDemoArea, demoPassword } from '../demo/seed';
import { escalateOverdueNotifications } from '../encompass/escalation';
import { planEncompassForIncident } from '../encompass/plan';
import { createContactsForEvent } from '../frontdoor';
import { createOutboxWorker } from '../outbox/background';
import type { MailMessage } from '../outbox/mail';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { createSystemToken, type TestArea } from '../../test/support/factories';

const token = `Kestrelmoor${randomBytes(4).toString('hex')}`;
const line1 = `12 ${token} Row`;
const postcode = 'QQ9 7QZ';
const noteCanary = `Wrenfold${randomBytes(4).toString('hex')}`;
const policeReference = `NB/${randomBytes(3).toString('hex')}/26`;

/** Paths are crawled at most this many times for one shape (ids replaced), so that a user walks every page, not every person. */
const perShape = 3;
const maxPages = 220;

const shapeOf = (url: string) => {
  const [path, query = ''] = url.split('?');
  const keys = [...new URLSearchParams(query).keys()].filter((k) => k !== 'page').sort().join('&');
  return `${(path ?? '').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id').replace(/\/\d+(?=\/|$)/g, '/:n')}?${keys}`;
};

const decode = (href: string) => href.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');

/** Same-site pages a response links to, and the GET forms it holds, submitted as they stand. */
function linksIn(body: string): string[] {
  const found: string[] = [];
  for (const m of body.matchAll(/href="([^"]+)"/g)) {
    const href = decode(m[1] as string);
    if (href.startsWith('/') && !href.startsWith('//') && !href.startsWith('/assets/')) found.push(href.split('#')[0] as string);
  }
  for (const form of body.matchAll(/<form[^>]*method="get"[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/gi)) {
    const params = new URLSearchParams();
    for (const input of (form[2] as string).matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) {
      const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
      if (!/type="(checkbox|radio)"/.test(input[0]) || /checked/.test(input[0])) params.append(input[1] as string, decode(value));
    }
    for (const select of (form[2] as string).matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const option = /<option[^>]*value="([^"]+)"/.exec(select[2] as string);
      if (option) params.append(select[1] as string, decode(option[1] as string));
    }
    const action = (decode(form[1] as string).split('#')[0] as string);
    if (action.startsWith('/')) found.push(`${action}?${params.toString()}`);
  }
  return found;
}

describeEachEngine('the canary', (ctx) => {
  it('never reaches anyone without access, on any page, export, notification or email', async () => {
    const { app, database, config } = ctx();
    const today = new Date().toISOString().slice(0, 10);
    const seeded = await seedDemoArea(database, { children: 200, seed: 7, areaCode: 'demo', today });
    const db = database.db;
    const areaId = seeded.areaId;

    // ---- Plant: a child at the demo school lead's school, who moved with her mother to a refuge.
    const userOf = async (role: Role) => db.selectFrom('app_user').selectAll().where('area_id', '=', areaId).where('role', '=', role).where('kind', '=', 'person').executeTakeFirstOrThrow();
    const dsl = await userOf('school_dsl');
    const officer = await userOf('police_officer');
    const socialWorker = await userOf('social_worker');
    const { rows: [pupil] } = await sql<{ id: string; given_name: string }>`
      SELECT p.id, p.given_name FROM education ed JOIN person p ON p.id = ed.person_id
      WHERE ed.area_id = ${areaId} AND ed.school_agency_id = ${dsl.agency_id} AND ed.to_date IS NULL AND p.merged_into IS NULL
        AND p.date_of_birth BETWEEN (current_date - interval '15 years')::date AND (current_date - interval '6 years')::date
      ORDER BY p.id LIMIT 1`.execute(db);
    if (!pupil) throw new Error('The demo area has no pupil at the school lead’s school');
    const { rows: [mother] } = await sql<{ id: string }>`
      SELECT r.person_id AS id FROM relationship r JOIN person p ON p.id = r.person_id
      WHERE r.area_id = ${areaId} AND r.related_person_id = ${pupil.id} AND r.kind = 'parent_of' ORDER BY p.sex = 'F' DESC, p.id LIMIT 1`.execute(db);
    const family = [pupil.id, ...(mother ? [mother.id] : [])];
    const refuge = await db.insertInto('address').values({ area_id: areaId, line1, town: 'Sealbury', postcode, confidential: true }).returning('id').executeTakeFirstOrThrow();
    const moved = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    await db.insertInto('person_address').values(family.map((personId) => ({ area_id: areaId, person_id: personId, address_id: refuge.id, from_date: moved }))).execute();
    const household = await db.insertInto('household').values({ area_id: areaId, address_id: refuge.id, from_date: moved }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('household_member').values(family.map((personId) => ({ area_id: areaId, household_id: household.id, person_id: personId, from_date: moved }))).execute();
    const place = `${line1}, Sealbury ${postcode}`;
    const event = await db.insertInto('event').values({
      area_id: areaId, agency_id: officer.agency_id, kind: 'police_da_incident', occurred_at: new Date(Date.now() - 2 * 3_600_000), source_ref: policeReference,
      summary: `Ex-partner found them at ${line1}.`, address_id: refuge.id, recorded_by: officer.id, recorded_at: new Date(Date.now() - 3_600_000),
      details: JSON.stringify({
        policeReference, location: place, circumstances: `Ex-partner came to ${line1} at night and banged on the door.`,
        injuries: 'none', weapons: 'none', riskGrade: 'high', actions: ['arrest'], victimConsent: false,
        children: [{ personId: pupil.id, where: `Upstairs at ${line1}`, demeanour: 'Quiet' }],
      }),
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('event_person').values([
      { area_id: areaId, event_id: event.id, person_id: pupil.id, role: 'child', child_present: true, child_voice: `I like my new room at ${line1}.` },
      ...(mother ? [{ area_id: areaId, event_id: event.id, person_id: mother.id, role: 'adult_victim' as const }] : []),
    ]).execute();
    const actor = await loadActor(db, officer.id);
    if (!actor) throw new Error('No demo officer');
    const gate = new Gate(database, actor, { requestId: 'canary', ip: '127.0.0.1' });
    const [contact] = await gate.run('intake.notify_incident', async (scope) => {
      const contacts = await createContactsForEvent(scope, { eventId: event.id, childPersonIds: [pupil.id], sourceAgencyId: officer.agency_id, source: 'police_notification', receivedAt: new Date() });
      await planEncompassForIncident(scope, event.id, new Date());
      return contacts;
    });
    await db.insertInto('information_share').values({
      area_id: areaId, person_id: pupil.id, contact_id: contact?.contactId ?? null, from_agency_id: officer.agency_id, to_agency_id: dsl.agency_id, consent: 'not_sought',
      lawful_basis: 'Children Act 2004 s11', justification: `Mother is at ${line1}; asking would put her at risk`, decided_by: officer.id,
    }).execute();
    await db.insertInto('case_allocation').values({ area_id: areaId, person_id: pupil.id, team_id: socialWorker.team_id as string, worker_id: socialWorker.id, allocated_by: socialWorker.id }).execute();
    await db.insertInto('sensitive_note').values({
      area_id: areaId, person_id: pupil.id, category: 'child_disclosure', note: `${noteCanary}: she told her teacher what happened`, visible_to_roles: ['social_worker'],
      agency_id: socialWorker.agency_id, recorded_by: socialWorker.id,
    }).execute();
    // Deliver everything queued (the school's notification, its email) and escalate what is overdue.
    const emails: MailMessage[] = [];
    const worker = createOutboxWorker({ config: { ...config, publicUrl: 'https://hearth.example' }, database, mailer: { send: async (m) => void emails.push(m), close: () => undefined } });
    while ((await worker.runOnce()).claimed > 0);
    await escalateOverdueNotifications(database, new Date(Date.now() + 3 * 86_400_000));
    while ((await worker.runOnce()).claimed > 0);

    // ---- Nothing sent outside ever carries either canary.
    const sent = await sql<{ text: string }>`
      SELECT content::text AS text FROM notification WHERE area_id = ${areaId}
      UNION ALL SELECT payload::text || coalesce(summary, '') FROM outbox WHERE area_id = ${areaId}`.execute(db);
    expect(sent.rows.length).toBeGreaterThan(0);
    const notificationsAboutPupil = await db.selectFrom('notification').select('id').where('person_id', '=', pupil.id).execute();
    expect(notificationsAboutPupil.length).toBeGreaterThan(0);
    for (const text of [...sent.rows.map((r) => r.text), ...emails.map((m) => `${m.to} ${m.subject} ${m.text}`)]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(noteCanary);
    }

    // ---- Every demo user walks everything they can reach.
    const seeds = [
      '/', `/people/${pupil.id}`, ...(mother ? [`/people/${mother.id}`, `/people/${mother.id}/perpetrator`] : []), `/people/${pupil.id}/access-log`,
      `/people/${pupil.id}/break-glass`, `/people/${pupil.id}/sensitive-notes`, `/people/${pupil.id}/shares`, `/people/${pupil.id}/allocation`,
      `/people/${pupil.id}/subject-access?reference=SAR-CANARY`, `/people/${pupil.id}/subject-access.json?reference=SAR-CANARY`,
      `/people?name=${encodeURIComponent(pupil.given_name)}`, `/people?postcode=${encodeURIComponent(postcode)}`, `/people?name=${token}`,
      ...(contact ? [`/front-door/contacts/${contact.contactId}`] : []), '/front-door?stage=closed', '/checks', '/inbox', '/emergency-access', '/oversight',
      '/oversight/break-glass', '/oversight/shares-without-consent', '/retention', '/admin/inspections', '/identity/reviews', '/admin/outbox', '/api/v1/me',
      ...notificationsAboutPupil.map((n) => `/inbox/${n.id}`),
    ];
    const reached: Record<string, { pages: number; sawAddress: boolean; sawNote: boolean }> = {};
    const leaks: string[] = [];
    for (const user of seeded.users) {
      const client = new TestClient(app);
      expect((await client.signIn(user.email, demoPassword)).statusCode, user.email).toBe(302);
      const role = user.role;
      const mayAddress = isRole(role) && roleCan(role, 'address.view_confidential');
      const mayNote = role === 'social_worker';
      const visited = new Set<string>();
      const shapes = new Map<string, number>();
      const queue = [...seeds];
      const stats = { pages: 0, sawAddress: false, sawNote: false };
      while (queue.length && stats.pages < maxPages) {
        const url = queue.shift() as string;
        if (visited.has(url)) continue;
        visited.add(url);
        const shape = shapeOf(url);
        const count = shapes.get(shape) ?? 0;
        if (count >= perShape && !seeds.includes(url)) continue;
        shapes.set(shape, count + 1);
        const response = await client.get(url);
        stats.pages += 1;
        // A search echoes what was typed into it: that is the searcher's own, not a leak.
        const typed = [...new URLSearchParams(url.split('?')[1] ?? '').values()];
        let body = `${JSON.stringify(response.headers)}\n${response.body}`;
        for (const value of typed.filter((v) => v.length > 3)) body = body.replaceAll(`value="${value}"`, '');
        if (typed.some((v) => v.replace(/\s/g, '').toUpperCase() === postcode.replace(/\s/g, '')) && body.includes(`/people/${pupil.id}"`) && !mayAddress) {
          leaks.push(`${role} found the child by the confidential postcode at ${url}`);
        }
        const address = body.includes(token) || body.includes(postcode);
        const note = body.includes(noteCanary);
        stats.sawAddress ||= address;
        stats.sawNote ||= note;
        if (address && !mayAddress) leaks.push(`${role} saw the confidential address at ${url}`);
        if (note && !mayNote) leaks.push(`${role} saw the sensitive note at ${url}`);
        if (response.statusCode === 200 && (response.headers['content-type'] ?? '').toString().includes('html')) {
          for (const link of linksIn(response.body)) if (!visited.has(link)) queue.push(link);
        }
      }
      reached[role] = stats;
    }
    // The police records system, through the API with its token.
    const apiToken = await createSystemToken(db, { id: areaId } as TestArea, officer.agency_id);
    for (const path of ['/api/v1/me', '/api/v1/openapi.json', `/people/${pupil.id}`]) {
      const response = await new TestClient(app).get(path, { authorization: `Bearer ${apiToken}` });
      if (response.body.includes(token) || response.body.includes(noteCanary)) leaks.push(`the agency system saw a canary at ${path}`);
    }

    expect(leaks).toEqual([]);
    // The walk reached the planted data: those allowed saw it (so the search for it could fail).
    expect(reached['social_worker']).toMatchObject({ sawNote: true });
    expect(reached['mash_manager']).toMatchObject({ sawAddress: true });
    expect(Object.values(reached).every((r) => r.pages > 5)).toBe(true);
    expect(Object.keys(reached).sort()).toEqual(seeded.users.map((u) => u.role).sort());
  }, 900_000);
});
