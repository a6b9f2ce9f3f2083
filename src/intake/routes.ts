// The intake pages: a police officer's incident notification, any agency's referral, and the CSV
// import of police notifications.
import { randomBytes } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { dashSets } from '../risk/dash';
import type { Services } from '../server/app';
import { withFormErrors, type PageErrors } from '../web/forms';
import { signedIn } from '../web/guards';
import { csvColumns } from './csv';
import { importPoliceNotifications, type ImportResult } from './import';
import { receivePoliceNotification, receiveReferral, type Received } from './receive';
import { referralSources } from './schemas';
import { childSlots, readNotificationForm, readReferralForm, type FormBody } from './web-forms';

const sourceLabels: Record<(typeof referralSources)[number], string> = {
  emergency_department: 'Emergency department', midwifery: 'Midwifery', health_visiting: 'Health visiting', gp: 'GP practice', school: 'School',
  probation: 'Probation', housing: 'Housing', adult_social_care: 'Adult social care', self_or_family: 'The child, a parent or a relative', other: 'Another agency',
};

const dashQuestions = dashSets.police_27.questions.map((q) => ({ value: String(q.number), text: `${q.number}. ${q.label}` }));

async function received(reply: FastifyReply, what: 'notification' | 'referral', reference: string, result: Received) {
  return reply.render('intake/pages/received.njk', { pageTitle: result.duplicate ? 'Already received' : `${what === 'notification' ? 'Notification' : 'Referral'} received`, what, reference, result });
}

export async function registerIntakeRoutes(app: FastifyInstance, _services: Services): Promise<void> {
  const csrf = { preHandler: app.csrfProtection };

  const asList = (v: FormBody[string]) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const notificationForm = (reply: FastifyReply, values: FormBody, errors?: PageErrors) =>
    reply.render('intake/pages/notification.njk', {
      pageTitle: 'Send a domestic abuse incident notification',
      values: { ...values, dashYes: asList(values['dashYes']), dashNotKnown: asList(values['dashNotKnown']), actions: asList(values['actions']) },
      childSlots, dashQuestions, errors: errors?.list, fieldErrors: errors?.byField ?? {},
    });

  app.get('/intake/notifications/new', async (request, reply) => {
    signedIn(request);
    await request.gate.require('intake.notify_incident');
    return notificationForm(reply, {});
  });

  app.post('/intake/notifications/new', csrf, async (request, reply) => {
    signedIn(request);
    await request.gate.require('intake.notify_incident');
    const body = (request.body ?? {}) as FormBody;
    const form = readNotificationForm(body);
    if (!form.ok) return notificationForm(reply.code(400), body, form.errors);
    return withFormErrors(
      reply,
      async () => {
        const result = await request.gate.run('intake.notify_incident', (scope) => receivePoliceNotification(scope, form.data, new Date()));
        return received(reply, 'notification', form.data.policeReference, result);
      },
      (errors) => notificationForm(reply, body, errors),
    );
  });

  const referralForm = (reply: FastifyReply, values: FormBody, errors?: PageErrors) =>
    reply.render('intake/pages/referral.njk', {
      pageTitle: 'Refer a child to the front door',
      values,
      sourceItems: referralSources.map((s) => ({ value: s, text: sourceLabels[s] })),
      errors: errors?.list,
      fieldErrors: errors?.byField ?? {},
    });

  app.get('/intake/referrals/new', async (request, reply) => {
    const actor = signedIn(request);
    await request.gate.require('intake.refer');
    // The reference is fixed when the form is shown, so sending the form twice refers once.
    return referralForm(reply, { reference: `REF-${randomBytes(5).toString('hex').toUpperCase()}`, referrerName: actor.displayName });
  });

  app.post('/intake/referrals/new', csrf, async (request, reply) => {
    signedIn(request);
    await request.gate.require('intake.refer');
    const body = (request.body ?? {}) as FormBody;
    const form = readReferralForm(body);
    if (!form.ok) return referralForm(reply.code(400), body, form.errors);
    return withFormErrors(
      reply,
      async () => {
        const result = await request.gate.run('intake.refer', (scope) => receiveReferral(scope, form.data, new Date()));
        return received(reply, 'referral', form.data.reference, result);
      },
      (errors) => referralForm(reply, body, errors),
    );
  });

  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 10 } });
    const importPage = (reply: FastifyReply, extra: { result?: ImportResult; errors?: PageErrors; acceptValid?: boolean } = {}) =>
      reply.render('intake/pages/import.njk', { pageTitle: 'Import police notifications', columns: csvColumns, ...extra, errors: extra.errors?.list, fieldErrors: extra.errors?.byField ?? {} });

    uploads.get('/intake/notifications/import', async (request, reply) => {
      signedIn(request);
      await request.gate.require('intake.notify_incident');
      return importPage(reply);
    });

    uploads.post('/intake/notifications/import', { preHandler: app.csrfProtection }, async (request, reply) => {
      signedIn(request);
      const body = (request.body ?? {}) as { file?: Buffer | string; acceptValid?: string };
      const acceptValid = body.acceptValid === 'yes';
      const content = Buffer.isBuffer(body.file) ? body.file.toString('utf8') : '';
      if (!content.trim()) {
        await request.gate.require('intake.notify_incident');
        return importPage(reply.code(400), { acceptValid, errors: { list: [{ text: 'Choose a CSV file to import', href: '#file' }], byField: { file: { text: 'Choose a CSV file to import' } } } });
      }
      const result = await importPoliceNotifications(request.gate, content, { acceptValid });
      return importPage(reply.code(result.imported === 0 && result.problems.length ? 400 : 200), { result, acceptValid });
    });
  });
}
