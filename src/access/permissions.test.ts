// The expected table of who may do what, written out independently of permissions.ts: a change
// to either without the other fails here, so every new allowance is a deliberate decision.
import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { createArea, createPerson, createUser } from '../../test/support/factories';
import { openInspectionWindow } from '../sharing/testing/factories';
import { allPermissions, roleCan, type Permission } from './permissions';
import { personRoles, roles, type Role } from './roles';

const expected: Record<Role, Permission[]> = {
  police_officer: ['person.search', 'person.view', 'agency_check.answer', 'intake.notify_incident', 'intake.refer', 'risk.view', 'risk.judge_dash', 'person.break_glass', 'sensitive_note.record', 'self.view'],
  mash_practitioner: [
    'person.search', 'person.view', 'contact.view', 'contact.screen', 'contact.decide', 'notification.receive', 'intake.refer', 'identity.review',
    'risk.view', 'risk.acknowledge_flag', 'risk.judge_dash', 'risk.write_lived_experience', 'person.break_glass', 'person.access_log', 'sensitive_note.record', 'self.view',
  ],
  mash_manager: [
    'person.search', 'person.view', 'address.view_confidential', 'contact.view', 'contact.screen', 'contact.decide', 'contact.authorise',
    'notification.receive', 'intake.refer', 'identity.review', 'identity.merge', 'risk.view', 'risk.acknowledge_flag', 'risk.judge_dash',
    'risk.write_lived_experience', 'person.break_glass', 'break_glass.review', 'person.access_log', 'sensitive_note.record', 'case.allocate', 'share.report', 'self.view',
  ],
  agency_researcher: ['agency_check.answer', 'notification.receive', 'intake.refer', 'self.view'],
  school_dsl: ['agency_check.answer', 'notification.receive', 'intake.refer', 'self.view'],
  social_worker: ['person.search', 'person.view', 'intake.refer', 'risk.view', 'risk.acknowledge_flag', 'risk.judge_dash', 'risk.write_lived_experience', 'person.break_glass', 'person.access_log', 'sensitive_note.record', 'self.view'],
  team_manager: [
    'person.search', 'person.view', 'address.view_confidential', 'contact.view', 'contact.authorise', 'identity.review', 'identity.merge',
    'risk.view', 'risk.acknowledge_flag', 'risk.judge_dash', 'risk.write_lived_experience', 'person.break_glass', 'break_glass.review', 'person.access_log', 'sensitive_note.record', 'case.allocate', 'share.report', 'self.view',
  ],
  idva: [
    'person.search', 'person.view', 'address.view_confidential', 'agency_check.answer', 'intake.refer', 'risk.view', 'risk.acknowledge_flag', 'risk.judge_dash',
    'person.break_glass', 'person.access_log', 'sensitive_note.record', 'self.view',
  ],
  marac_coordinator: ['person.search', 'person.view', 'intake.refer', 'risk.view', 'risk.acknowledge_flag', 'risk.judge_dash', 'person.break_glass', 'person.access_log', 'sensitive_note.record', 'self.view'],
  qa_officer: ['person.search', 'person.view', 'contact.view', 'risk.view', 'person.access_log', 'share.report', 'self.view'],
  performance_officer: ['self.view'],
  inspector: ['person.search', 'person.view', 'contact.view', 'risk.view', 'share.report', 'self.view'],
  administrator: ['user.manage', 'system_account.manage', 'outbox.manage', 'inspection.manage', 'self.view'],
  information_governance: [
    'person.search', 'person.view', 'person.access_log', 'person.subject_access', 'share.report', 'retention.manage', 'self.view',
  ],
  agency_system: ['intake.notify_incident', 'intake.refer', 'self.view'],
};

it('allows each role exactly what the expected table says, and nothing more', () => {
  const unexpected: string[] = [];
  for (const role of roles) {
    for (const permission of allPermissions) {
      if (roleCan(role, permission) !== expected[role].includes(permission)) {
        unexpected.push(`${role} ${roleCan(role, permission) ? 'may' : 'may not'} ${permission}`);
      }
    }
  }
  expect(unexpected).toEqual([]);
});

// The same table, walked through the real pages: each role signs in and tries each page.
const pages: { permission: Permission; path: (ids: { personId: string; userId: string }) => string }[] = [
  { permission: 'person.search', path: () => '/people?name=Ellis' },
  { permission: 'person.view', path: ({ personId }) => `/people/${personId}` },
  { permission: 'contact.view', path: () => '/front-door' },
  { permission: 'agency_check.answer', path: () => '/checks' },
  { permission: 'user.manage', path: () => '/admin/users' },
  { permission: 'user.manage', path: ({ userId }) => `/admin/users/${userId}` },
  { permission: 'system_account.manage', path: () => '/admin/system-accounts' },
];

describeEachEngine('the permission matrix through the pages', (ctx) => {
  it('lets every role reach only its pages, refusing the rest with an audited 403', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const person = await createPerson(database.db, area, { givenName: 'Jordan', familyName: 'Ellis', dateOfBirth: '2013-05-05' });
    const outcomes: string[] = [];
    for (const role of personRoles) {
      const user = await createUser(database.db, area, role);
      // An inspector sees records only within a window of access (src/sharing).
      if (role === 'inspector') await openInspectionWindow(database.db, area, user.id);
      const client = new TestClient(app);
      await client.signIn(user.email, user.password);
      for (const page of pages) {
        const path = page.path({ personId: person.id, userId: user.id });
        const status = (await client.get(path)).statusCode;
        const allowed = expected[role].includes(page.permission);
        if ((status === 200) !== allowed || (!allowed && status !== 403)) outcomes.push(`${role} ${path}: ${status}`);
      }
    }
    expect(outcomes).toEqual([]);
    const refusals = await database.db.selectFrom('audit_event').select('action').where('area_id', '=', area.id).where('outcome', '=', 'refused').execute();
    expect(refusals.length).toBeGreaterThan(20);
  });
});
