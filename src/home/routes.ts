// The home page: what the signed-in person can do, by role.
import type { FastifyInstance } from 'fastify';
import { actorCan, type Permission } from '../access/permissions';
import { signedIn } from '../web/guards';

export function registerHomeRoutes(app: FastifyInstance): void {
  app.get('/', async (request, reply) => {
    const actor = signedIn(request);
    const can = (p: Permission) => actorCan(actor, p);
    const tasks = [
      can('person.search') && { href: '/people', title: 'Find a person', text: 'Search by name, date of birth, NHS number or postcode, and see what each agency knows.' },
      can('intake.notify_incident') && { href: '/intake/notifications/new', title: 'Send a domestic abuse incident notification', text: 'The MASH gets it at once, and each child’s school is told before the next school day. Several at once? Import a CSV file.' },
      can('intake.refer') && { href: '/intake/referrals/new', title: 'Refer a child', text: 'Tell the front door about a concern for a child’s safety or welfare.' },
      can('notification.receive') && { href: '/inbox', title: 'Inbox', text: 'Operation Encompass notifications and other messages for your agency, to read and acknowledge.' },
      can('contact.view') && { href: '/front-door', title: 'Front door', text: 'Notifications and referrals waiting for screening, agency checks, a decision or authorisation, most urgent first.' },
      can('agency_check.answer') && { href: '/checks', title: 'Agency checks', text: 'What the MASH has asked your agency about a child, with the deadline for each answer.' },
      can('user.manage') && { href: '/admin/users', title: 'Users', text: 'Add people, change their role or team, disable accounts and unlock them.' },
      can('system_account.manage') && { href: '/admin/system-accounts', title: 'System accounts', text: 'Let agency systems send information to Hearth, and issue or revoke their tokens.' },
      { href: '/account/password', title: 'Change your password', text: 'Use a long password that you do not use anywhere else.' },
    ].filter(Boolean);
    const awaitingInspection = actor.role === 'inspector' && !actor.inspectionWindowOpen;
    return reply.render('home/home.njk', { pageTitle: 'Home', tasks, awaitingInspection });
  });

  app.get('/accessibility', async (request, reply) => reply.render('home/accessibility.njk', { pageTitle: 'Accessibility statement' }));
}
