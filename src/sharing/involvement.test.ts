// Need to know, through the domain functions: each kind of involvement, what it opens for which
// role, its family reach, its end, and the settings that bound it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../access/gate';
import { freshDatabase, testEngines, type TestDatabase } from '../../test/support/database';
import { gateForUser } from '../../test/support/factories';
import { createContacts, createIncident } from '../../test/support/frontdoor';
import { accessLevel, accessLevels, involvementIn } from './involvement';
import { nameOnlyView } from './name-only';
import { retentionSettingsOf, sharingSettingsOf } from './settings';
import { allocate, breakGlassGrant, openInspectionWindow } from './testing/factories';
import { sharingWorld, type SharingUser, type SharingWorld } from './testing/world';

describe('sharing settings', () => {
  it('default as documented and name each invalid field', () => {
    expect(sharingSettingsOf({})).toEqual({ breakGlassHours: 4, notifierDays: 90, frontDoorDays: 28, maracMonths: 12, noticeDays: 30, inspectionMaxDays: 42 });
    expect(retentionSettingsOf({ retention: { contact: { noServicesYears: 7 } } }).contact).toEqual({ noServicesYears: 7, servicesUntilAge: 25, childProtectionYears: 35 });
    expect(() => sharingSettingsOf({ sharing: { breakGlassHours: 48 } })).toThrow(/sharing\.breakGlassHours/);
    expect(() => retentionSettingsOf({ retention: { event: { policeYears: 0 } } })).toThrow(/retention\.event\.policeYears/);
    expect(() => sharingSettingsOf({ sharing: { unknown: 1 } })).toThrow(/sharing/);
  });
});

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

for (const engine of testEngines()) {
  describe(`who is involved, and what they see [${engine}]`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await freshDatabase(engine);
      return () => database.dispose();
    });

    const run = async <T>(user: SharingUser, work: (scope: Scope) => Promise<T>) => (await gateForUser(database, user)).run('self.view', work);
    const level = (user: SharingUser, personId: string) => run(user, (scope) => accessLevel(scope, personId));
    const kinds = async (user: SharingUser, personId: string) => (await run(user, (scope) => involvementIn(scope, personId))).map((i) => i.kind);

    let w: SharingWorld;
    beforeAll(async () => {
      w = await sharingWorld(database.db);
    });

    it('shows the name-only summary to searchers who are not involved, and nothing to everyone else', async () => {
      const expected: Record<string, string> = {
        police_officer: 'name_only', mash_practitioner: 'name_only', mash_manager: 'name_only', social_worker: 'name_only', team_manager: 'name_only',
        idva: 'name_only', marac_coordinator: 'name_only', information_governance: 'name_only', qa_officer: 'full',
        agency_researcher: 'none', school_dsl: 'none', performance_officer: 'none', administrator: 'none', inspector: 'none',
      };
      const actual: Record<string, string> = {};
      for (const [role, user] of Object.entries(w.users)) actual[role] = await level(user, w.stranger.id);
      expect(actual).toEqual(expected);
    });

    it('opens a child and their family to the worker and team the case is allocated to, until it ends', async () => {
      const allocation = await allocate(database.db, w.area, w.child.id, { teamId: w.assessmentTeam, workerId: w.users.social_worker.id, by: w.users.team_manager.id });
      expect(await kinds(w.users.social_worker, w.child.id)).toEqual(['allocated_self']);
      expect(await kinds(w.colleague, w.child.id)).toEqual(['allocated_team']);
      // The family: her mother (household and relationship) and her father (relationship).
      for (const person of [w.child, w.mother, w.father]) {
        expect(await level(w.users.social_worker, person.id)).toBe('full');
        expect(await level(w.colleague, person.id)).toBe('full');
        expect(await level(w.users.team_manager, person.id)).toBe('full');
        expect(await level(w.loneSocialWorker, person.id)).toBe('name_only');
      }
      expect(await level(w.users.social_worker, w.stranger.id)).toBe('name_only');
      // Batched, as search asks.
      const batch = await run(w.colleague, (scope) => accessLevels(scope, [w.child.id, w.stranger.id, w.father.id]));
      expect(Object.fromEntries(batch)).toEqual({ [w.child.id]: 'full', [w.stranger.id]: 'name_only', [w.father.id]: 'full' });

      await database.db.updateTable('case_allocation').set({ ended_at: new Date(), ended_by: w.users.team_manager.id }).where('id', '=', allocation).execute();
      expect(await level(w.users.social_worker, w.child.id)).toBe('name_only');
      expect(await level(w.colleague, w.mother.id)).toBe('name_only');
    });

    it('opens the people of a front-door contact to the MASH and managers, until frontDoorDays after it closes', async () => {
      const incident = await createIncident(database.db, w.area, {
        occurredAt: new Date(Date.now() - 3_600_000), children: [{ person: w.child, present: true }], adults: [{ person: w.mother, role: 'adult_victim' }, { person: w.father, role: 'alleged_perpetrator' }],
      });
      const [contactId] = await createContacts(database, w.area, w.users.police_officer, incident.id, [w.child], new Date());
      for (const person of [w.child, w.mother, w.father]) {
        expect(await kinds(w.users.mash_practitioner, person.id)).toContain('front_door');
        expect(await level(w.users.mash_practitioner, person.id)).toBe('full');
        expect(await level(w.users.mash_manager, person.id)).toBe('full');
        expect(await level(w.users.team_manager, person.id)).toBe('full');
        // Front-door involvement opens nothing to a social worker or the police.
        expect(await level(w.loneSocialWorker, person.id)).toBe('name_only');
      }
      // Closed today: still the front door's for a follow-up or a re-referral.
      await database.db.updateTable('contact').set({ stage: 'closed', closed_at: new Date() }).where('id', '=', contactId as string).execute();
      expect(await level(w.users.mash_practitioner, w.child.id)).toBe('full');
      // Closed 28 days ago less a minute, then 28 days ago and a minute.
      const closedDaysAgo = (days: number, minutes: number) => database.db.updateTable('contact')
        .set({ closed_at: new Date(Date.now() - days * 86_400_000 + minutes * 60_000) }).where('id', '=', contactId as string).execute();
      await closedDaysAgo(28, 1);
      expect(await level(w.users.mash_manager, w.mother.id)).toBe('full');
      await closedDaysAgo(28, -1);
      expect(await level(w.users.mash_practitioner, w.child.id)).toBe('name_only');
      expect(await level(w.users.team_manager, w.mother.id)).toBe('name_only');
    });

    it('opens the child to an agency asked an open check when its role finds people, and never to a researcher', async () => {
      const incident = await createIncident(database.db, w.area, { occurredAt: new Date(Date.now() - 7_200_000), children: [{ person: w.child }] });
      const [contactId] = await createContacts(database, w.area, w.users.police_officer, incident.id, [w.child], new Date());
      const check = (agencyId: string) => ({
        area_id: w.area.id, contact_id: contactId as string, agency_id: agencyId, question: 'What do you know?', requested_by: w.users.mash_practitioner.id,
        due_at: new Date(Date.now() + 86_400_000),
      });
      await database.db.insertInto('agency_check').values([check(w.area.agencies.idva), check(w.area.agencies.health)]).execute();
      expect(await kinds(w.users.idva, w.child.id)).toContain('agency_check');
      expect(await level(w.users.idva, w.child.id)).toBe('full');
      // Only the child: the check is about them, not their family.
      expect(await level(w.users.idva, w.father.id)).toBe('name_only');
      expect(await kinds(w.users.agency_researcher, w.child.id)).toContain('agency_check');
      expect(await level(w.users.agency_researcher, w.child.id)).toBe('none');
      await database.db.updateTable('agency_check').set({ status: 'answered' }).where('contact_id', '=', contactId as string).execute();
      await database.db.updateTable('contact').set({ stage: 'closed', closed_at: daysAgo(60) }).where('id', '=', contactId as string).execute();
      expect(await level(w.users.idva, w.child.id)).toBe('name_only');
    });

    it('records the school lead of the child’s current school as involved, which opens no record', async () => {
      await database.db.insertInto('education').values({ area_id: w.area.id, person_id: w.child.id, school_agency_id: w.area.agencies.school, from_date: '2020-09-01' }).execute();
      expect(await kinds(w.users.school_dsl, w.child.id)).toEqual(['school_dsl']);
      expect(await level(w.users.school_dsl, w.child.id)).toBe('none');
      expect(await kinds(w.users.school_dsl, w.mother.id)).toEqual([]);
    });

    it('opens a family referred to MARAC to the MARAC’s roles for the area’s months', async () => {
      const incident = await createIncident(database.db, w.area, {
        occurredAt: new Date(Date.now() - 10_800_000), children: [{ person: w.child }], adults: [{ person: w.mother, role: 'adult_victim' }],
      });
      const [contactId] = await createContacts(database, w.area, w.users.police_officer, incident.id, [w.child], new Date());
      await database.db.updateTable('contact')
        .set({ stage: 'closed', closed_at: daysAgo(60), marac_referral: true, decision: 'strategy_discussion', decision_reasons: 'High risk', decided_at: daysAgo(60), decided_by: w.users.mash_manager.id })
        .where('id', '=', contactId as string).execute();
      expect(await kinds(w.users.marac_coordinator, w.mother.id)).toEqual(['marac']);
      expect(await level(w.users.marac_coordinator, w.mother.id)).toBe('full');
      expect(await level(w.users.idva, w.child.id)).toBe('full');
      expect(await level(w.users.mash_practitioner, w.mother.id)).toBe('name_only');
      // Older than the area's MARAC months: no longer.
      await database.db.updateTable('contact').set({ decided_at: new Date(Date.now() - 400 * 86_400_000) }).where('id', '=', contactId as string).execute();
      expect(await level(w.users.marac_coordinator, w.mother.id)).toBe('name_only');
    });

    it('opens the people of an incident to the officer who notified it, for the area’s days', async () => {
      const incident = await createIncident(database.db, w.area, { occurredAt: new Date(Date.now() - 3_600_000), children: [{ person: w.child }], adults: [{ person: w.father, role: 'alleged_perpetrator' }] });
      await database.db.updateTable('event').set({ recorded_by: w.users.police_officer.id, recorded_at: new Date() }).where('id', '=', incident.id).execute();
      expect(await level(w.users.police_officer, w.father.id)).toBe('full');
      expect(await level(w.secondOfficer, w.father.id)).toBe('name_only');
      await database.db.updateTable('area').set({ settings: JSON.stringify({ sharing: { notifierDays: 1 } }) }).where('id', '=', w.area.id).execute();
      await database.db.updateTable('event').set({ recorded_at: new Date(Date.now() - 2 * 86_400_000) }).where('id', '=', incident.id).execute();
      expect(await level(w.users.police_officer, w.father.id)).toBe('name_only');
      await database.db.updateTable('area').set({ settings: '{}' }).where('id', '=', w.area.id).execute();
    });

    it('opens one person, not their family, to emergency access until it expires', async () => {
      const officer = w.secondOfficer;
      const active = await breakGlassGrant(database.db, w.area, officer, w.stranger.id, { startedAt: new Date(Date.now() - 60_000), expiresAt: new Date(Date.now() + 3_600_000) });
      expect(await kinds(officer, w.stranger.id)).toEqual(['break_glass']);
      expect(await level(officer, w.stranger.id)).toBe('full');
      await database.db.updateTable('break_glass').set({ expires_at: new Date(Date.now() - 1000), started_at: new Date(Date.now() - 7_200_000) }).where('id', '=', active).execute();
      expect(await level(officer, w.stranger.id)).toBe('name_only');
    });

    it('gives an inspector full read access only within an open window', async () => {
      const inspector = w.users.inspector;
      expect(await level(inspector, w.child.id)).toBe('none');
      const window = await openInspectionWindow(database.db, w.area, inspector.id, { grantedBy: w.users.administrator.id });
      expect(await level(inspector, w.child.id)).toBe('full');
      await database.db.updateTable('inspection_access').set({ ended_early_at: new Date(), ended_early_by: w.users.administrator.id }).where('id', '=', window).execute();
      expect(await level(inspector, w.child.id)).toBe('none');
      await openInspectionWindow(database.db, w.area, inspector.id, { startsAt: new Date(Date.now() + 86_400_000), endsAt: new Date(Date.now() + 2 * 86_400_000), grantedBy: w.users.administrator.id });
      expect(await level(inspector, w.child.id)).toBe('none');
    });

    it('follows merges: involvement with an old id holds for the person it was merged into', async () => {
      const old = await database.db.insertInto('person').values({ area_id: w.area.id, given_name: 'Evie', family_name: 'Hartly', date_of_birth: '2016-05-04' }).returning('id').executeTakeFirstOrThrow();
      await allocate(database.db, w.area, old.id, { teamId: w.assessmentTeam, workerId: w.loneSocialWorker.id, by: w.users.team_manager.id });
      await database.db.updateTable('person').set({ merged_into: w.stranger.id }).where('id', '=', old.id).execute();
      expect(await level(w.loneSocialWorker, w.stranger.id)).toBe('full');
      // Asked by the old id, the answer is about the person it now belongs to.
      expect(await level(w.loneSocialWorker, old.id)).toBe('full');
      expect(await level(w.loneSocialWorker, 'not-an-id')).toBe('none');
    });

    it('tells a name-only viewer the birth year, the agencies (places unnamed) and whom to contact, and records it', async () => {
      await database.db.insertInto('agency_record').values({ area_id: w.area.id, agency_id: w.area.agencies.school, person_id: w.child.id, source_ref: `S-${Date.now()}`, given_name: 'Evie', family_name: 'Hartley' }).execute();
      await allocate(database.db, w.area, w.child.id, { teamId: w.assessmentTeam, workerId: w.users.social_worker.id, by: w.users.team_manager.id });
      const view = await run(w.secondOfficer, (scope) => nameOnlyView(scope, w.child.id));
      expect(view).toMatchObject({ givenName: 'Evie', familyName: 'Hartley', birthYear: 2016, unborn: false });
      expect(view.agencies.map((a) => a.name)).toEqual(expect.arrayContaining(['Testshire Police', 'A school', 'Testshire Children’s Services']));
      expect(JSON.stringify(view)).not.toContain('Meadow Lane');
      expect(JSON.stringify(view)).not.toContain('2016-05-04');
      expect(view.contacts).toContainEqual(expect.objectContaining({ worker: 'Aisha Social', team: 'Assessment team', role: 'Holds the case' }));
      const audit = await database.db.selectFrom('audit_event').select(['subject_person_id']).where('area_id', '=', w.area.id).where('action', '=', 'person.view_name_only').where('actor_user_id', '=', w.secondOfficer.id).execute();
      expect(audit).toEqual([{ subject_person_id: w.child.id }]);
    });
  });
}
