// The demo front door, on a small area built with factories: contacts at every stage, overdue
// ones among them, everything consistent, and the same data from the same random stream.
import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { createArea, createPerson, createUser, type TestArea } from '../../test/support/factories';
import { createIncident, sampleIncidentDetails } from '../../test/support/frontdoor';
import type { TestDatabase } from '../../test/support/database';
import { londonInstant } from '../calendar/london';
import { seedFrontDoorDemo } from './demo';

/** A small seeded generator (mulberry32), as the demo's own would be. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const today = '2026-03-20';

/** Three weeks of incidents, a few a day, some with two children, the older ones of them at the demo school. */
async function smallArea(database: TestDatabase): Promise<{ area: TestArea; users: Record<string, string> }> {
  const area = await createArea(database.db);
  const users = {
    practitioner: (await createUser(database.db, area, 'mash_practitioner')).id,
    manager: (await createUser(database.db, area, 'mash_manager')).id,
    health: (await createUser(database.db, area, 'agency_researcher', { agencyId: area.agencies.health })).id,
    school: (await createUser(database.db, area, 'school_dsl', { agencyId: area.agencies.school })).id,
  };
  const random = seeded(7);
  for (let day = 1; day <= 20; day++) {
    const date = new Date(londonInstant('2026-03-20', '00:00').getTime() - day * 86_400_000).toISOString().slice(0, 10);
    for (let n = 0; n < 2; n++) {
      const children = [];
      for (let c = 0; c < (random() < 0.4 ? 2 : 1); c++) {
        const person = await createPerson(database.db, area, { givenName: `Child${day}${n}${c}`, familyName: 'Demo', dateOfBirth: `20${10 + ((day * 7) % 12)}-0${1 + c + 2 * n}-1${day % 9}` });
        if (random() < 0.6) await database.db.updateTable('agency_record').set({ school_agency_id: area.agencies.school }).where('person_id', '=', person.id).execute();
        children.push({ person, present: random() < 0.6, voice: random() < 0.3 ? 'I hid upstairs.' : null });
      }
      const at = londonInstant(date, n === 0 ? '10:30' : '21:15');
      const grade = random() < 0.25 ? 'high' : random() < 0.5 ? 'medium' : 'standard';
      await createIncident(database.db, area, { children, occurredAt: at, recordedAt: new Date(at.getTime() + 3_600_000), details: { ...sampleIncidentDetails, riskGrade: grade, victimConsent: random() < 0.5 } });
    }
  }
  return { area, users };
}

describeEachEngine('the demo front door', (ctx) => {
  it('fills the front door with contacts at every stage, overdue ones among them, consistently', async () => {
    const { app, database } = ctx();
    const { area, users } = await smallArea(database);
    const result = await seedFrontDoorDemo(database.db, area.id, { today, random: seeded(42) });
    expect(result.contacts).toBeGreaterThan(40);
    for (const stage of ['screening', 'checks', 'decision', 'authorisation', 'returned', 'closed']) expect(result.byStage[stage], stage).toBeGreaterThan(0);
    expect(result.overdueContacts).toBeGreaterThan(0);
    expect(result.overdueChecks).toBeGreaterThan(0);

    const cutoff = londonInstant(today, '00:00');
    const contacts = await database.db.selectFrom('contact').selectAll().where('area_id', '=', area.id).execute();
    expect(contacts).toHaveLength(result.contacts);
    for (const c of contacts) {
      expect(c.received_at.getTime()).toBeLessThan(cutoff.getTime());
      for (const t of [c.screened_at, c.decided_at, c.authorised_at, c.returned_at, c.closed_at]) if (t) expect(t.getTime()).toBeLessThan(cutoff.getTime());
      if (c.stage !== 'screening') expect(c.priority && c.priority_reason && c.screened_by).toBeTruthy();
      if (c.stage === 'authorisation' || c.stage === 'closed') expect(c.decision && c.decision_reasons && c.decided_by).toBeTruthy();
      if (c.stage === 'closed') expect(c.authorised_by).not.toBe(c.decided_by);
    }
    const checks = await database.db.selectFrom('agency_check as k').innerJoin('contact as c', 'c.id', 'k.contact_id').select(['k.status', 'k.answered_at', 'k.due_at', 'c.stage', 'k.agency_id', 'k.contact_id']).where('k.area_id', '=', area.id).execute();
    expect(checks.filter((k) => k.stage === 'checks' && k.status === 'open').length).toBeGreaterThan(0);
    expect(checks.filter((k) => k.stage === 'checks' && k.status === 'answered').length).toBeGreaterThan(0);
    expect(checks.some((k) => k.status === 'open' && k.due_at.getTime() < cutoff.getTime())).toBe(true);
    // Open checks only on contacts still waiting for checks; each check has a sharing decision.
    expect(checks.filter((k) => k.status === 'open').every((k) => k.stage === 'checks')).toBe(true);
    const shares = await database.db.selectFrom('information_share').select(['consent', 'lawful_basis', 'justification', 'agency_check_id']).where('area_id', '=', area.id).execute();
    expect(shares).toHaveLength(checks.length);
    expect(shares.every((s) => s.consent === 'given' || (s.lawful_basis && s.justification))).toBe(true);
    const received = await database.db.selectFrom('contact_history').select('contact_id').where('area_id', '=', area.id).where('action', '=', 'received').execute();
    expect(new Set(received.map((h) => h.contact_id)).size).toBe(contacts.length);

    // The demo school's lead and the health researcher have checks waiting.
    expect(checks.some((k) => k.status === 'open' && k.agency_id === area.agencies.school)).toBe(true);
    expect(checks.some((k) => k.status === 'open' && k.agency_id === area.agencies.health)).toBe(true);
    void users;

    // The pages show it: a busy queue with overdue items.
    const mash = await createUser(database.db, area, 'mash_practitioner');
    const client = new TestClient(app);
    await client.signIn(mash.email, mash.password);
    const queue = await client.get('/front-door');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('overdue by');
    const one = contacts.find((c) => c.stage === 'checks')!;
    expect((await client.get(`/front-door/contacts/${one.id}`)).statusCode).toBe(200);

    // Running it again adds nothing for the same incidents.
    const again = await seedFrontDoorDemo(database.db, area.id, { today, random: seeded(42) });
    expect(again.contacts).toBe(0);
  });

  it('finds the demo school lead a check even when no pupil of theirs is in the last three weeks', async () => {
    const { database } = ctx();
    const area = await createArea(database.db);
    await createUser(database.db, area, 'mash_practitioner');
    await createUser(database.db, area, 'mash_manager');
    await createUser(database.db, area, 'school_dsl', { agencyId: area.agencies.school });
    for (let day = 1; day <= 10; day++) {
      const person = await createPerson(database.db, area, { givenName: `Recent${day}`, familyName: 'Demo', dateOfBirth: '2016-05-05' });
      const at = londonInstant(new Date(londonInstant(today, '00:00').getTime() - day * 86_400_000).toISOString().slice(0, 10), '11:00');
      await createIncident(database.db, area, { children: [{ person }], occurredAt: at });
    }
    const pupil = await createPerson(database.db, area, { givenName: 'Pupil', familyName: 'Demo', dateOfBirth: '2015-05-05' });
    await database.db.updateTable('agency_record').set({ school_agency_id: area.agencies.school }).where('person_id', '=', pupil.id).execute();
    await createIncident(database.db, area, { children: [{ person: pupil, present: true }], occurredAt: londonInstant('2026-02-10', '11:00') });
    await seedFrontDoorDemo(database.db, area.id, { today, random: seeded(5) });
    const open = await database.db.selectFrom('agency_check as k').innerJoin('contact as c', 'c.id', 'k.contact_id')
      .select(['c.child_person_id', 'c.stage']).where('k.agency_id', '=', area.agencies.school).where('k.status', '=', 'open').execute();
    expect(open).toEqual([{ child_person_id: pupil.id, stage: 'checks' }]);
  });

  it('makes the same front door from the same random stream', async () => {
    const { database } = ctx();
    const summary = async () => {
      const { area } = await smallArea(database);
      const result = await seedFrontDoorDemo(database.db, area.id, { today, random: seeded(99) });
      const rows = await database.db.selectFrom('contact').select(['id', 'stage', 'priority', 'decision']).where('area_id', '=', area.id).orderBy('id').execute();
      return { result, rows: rows.map((r) => `${r.id}:${r.stage}:${r.priority}:${r.decision}`) };
    };
    const first = await summary();
    const second = await summary();
    expect(second.result).toEqual(first.result);
    // Ids differ between areas only because the areas' people differ; the stages and decisions match.
    expect(second.rows.map((r) => r.split(':').slice(1).join(':')).sort()).toEqual(first.rows.map((r) => r.split(':').slice(1).join(':')).sort());
  });
});
