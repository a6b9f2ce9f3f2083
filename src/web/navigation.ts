// The service navigation, which depends on what the signed-in role may do.
import type { Actor } from '../access/actor';
import { actorCan, type Permission } from '../access/permissions';

interface NavigationEntry {
  href: string;
  text: string;
  /** Shown to roles holding any of these. */
  permission?: Permission | Permission[];
}

const entries: NavigationEntry[] = [
  { href: '/', text: 'Home' },
  { href: '/people', text: 'Find a person', permission: 'person.search' },
  { href: '/intake/notifications/new', text: 'Send a notification', permission: 'intake.notify_incident' },
  { href: '/intake/referrals/new', text: 'Refer a child', permission: 'intake.refer' },
  { href: '/front-door', text: 'Front door', permission: 'contact.view' },
  { href: '/identity/reviews', text: 'Matches to review', permission: 'identity.review' },
  { href: '/checks', text: 'Agency checks', permission: 'agency_check.answer' },
  { href: '/inbox', text: 'Inbox', permission: 'notification.receive' },
  { href: '/admin/users', text: 'Users', permission: 'user.manage' },
  { href: '/admin/system-accounts', text: 'System accounts', permission: 'system_account.manage' },
  { href: '/admin/outbox', text: 'Outbox', permission: 'outbox.manage' },
  { href: '/emergency-access', text: 'Emergency access', permission: 'person.break_glass' },
  { href: '/oversight', text: 'Oversight', permission: ['break_glass.review', 'share.report', 'retention.manage', 'inspection.manage'] },
];

export function navigationFor(actor: Actor | null, currentPath: string) {
  if (!actor) return [];
  return entries
    .filter((e) => !e.permission || [e.permission].flat().some((p) => actorCan(actor, p)))
    .map((e) => ({
      href: e.href,
      text: e.text,
      active: e.href === '/' ? currentPath === '/' : currentPath === e.href || currentPath.startsWith(`${e.href}/`),
    }));
}
