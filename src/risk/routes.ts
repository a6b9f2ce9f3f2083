// Risk pages reached from a person's page: acknowledging a flag with a note, recording
// professional judgement on a DASH checklist, and writing a child's lived-experience summary.
// Each is a form of its own (it works without JavaScript) and sends the person back to their page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../server/app';
import { withFormErrors, type PageErrors } from '../web/forms';
import { signedIn } from '../web/guards';
import { acknowledgeFlag, dashOfPerson, flagOfPerson, judgeDash, livedExperienceOf, writeLivedExperience } from './actions';
import { riskLevelLabels } from './view';

type Body = Record<string, string | string[] | undefined>;
const bodyOf = (request: FastifyRequest): Body => (request.body ?? {}) as Body;
const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const params = (request: FastifyRequest) =>
  z.object({ id: z.string().max(100), flagId: z.string().max(100).optional(), dashId: z.string().max(100).optional() }).parse(request.params);

const formErrors = (errors: PageErrors | undefined) => ({ errors: errors?.list, fieldErrors: errors?.byField ?? {} });

export async function registerRiskRoutes(app: FastifyInstance, _services: Services): Promise<void> {
  const csrf = { preHandler: app.csrfProtection };

  // ---- Acknowledge a flag

  const showAcknowledge = async (request: FastifyRequest, reply: FastifyReply, values: Body, errors?: PageErrors) => {
    const { id, flagId = '' } = params(request);
    const flag = await request.gate.run('risk.acknowledge_flag', (scope) => flagOfPerson(scope, id, flagId));
    return reply.render('risk/pages/acknowledge.njk', {
      pageTitle: `Acknowledge the flag: ${flag.label}`,
      backLink: `/people/${flag.personId}`,
      flag,
      version: one(values['version']) ?? String(flag.version),
      note: one(values['note']) ?? '',
      ...formErrors(errors),
    });
  };

  app.get('/people/:id/risk/flags/:flagId/acknowledge', async (request, reply) => {
    signedIn(request);
    return showAcknowledge(request, reply, {});
  });

  app.post('/people/:id/risk/flags/:flagId/acknowledge', csrf, async (request, reply) => {
    signedIn(request);
    const { id, flagId = '' } = params(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      const { personId } = await request.gate.run('risk.acknowledge_flag', (scope) => acknowledgeFlag(scope, id, flagId, { version: one(body['version']), note: one(body['note']) }));
      return reply.redirect(`/people/${personId}`);
    }, (errors) => showAcknowledge(request, reply, body, errors));
  });

  // ---- Professional judgement on a DASH checklist

  const showJudgement = async (request: FastifyRequest, reply: FastifyReply, values: Body, errors?: PageErrors) => {
    const { id, dashId = '' } = params(request);
    const dash = await request.gate.run('risk.judge_dash', (scope) => dashOfPerson(scope, id, dashId));
    const chosen = one(values['level']);
    return reply.render('risk/pages/judgement.njk', {
      pageTitle: 'Record professional judgement on the DASH checklist',
      backLink: `/people/${dash.personId}`,
      dash,
      levelLabel: riskLevelLabels[dash.level],
      scoredLabel: riskLevelLabels[dash.scoredLevel],
      levelItems: (['standard', 'medium', 'high'] as const).map((level) => ({ value: level, text: riskLevelLabels[level], checked: chosen === level })),
      version: one(values['version']) ?? String(dash.version),
      reason: one(values['reason']) ?? '',
      ...formErrors(errors),
    });
  };

  app.get('/people/:id/risk/dash/:dashId/judgement', async (request, reply) => {
    signedIn(request);
    return showJudgement(request, reply, {});
  });

  app.post('/people/:id/risk/dash/:dashId/judgement', csrf, async (request, reply) => {
    signedIn(request);
    const { id, dashId = '' } = params(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      const { personId } = await request.gate.run('risk.judge_dash', (scope) =>
        judgeDash(scope, id, dashId, { version: one(body['version']), level: one(body['level']), reason: one(body['reason']) }));
      return reply.redirect(`/people/${personId}`);
    }, (errors) => showJudgement(request, reply, body, errors));
  });

  // ---- The child's lived experience

  const showLivedExperience = async (request: FastifyRequest, reply: FastifyReply, values: Body, errors?: PageErrors) => {
    const { id } = params(request);
    const child = await request.gate.run('risk.write_lived_experience', (scope) => livedExperienceOf(scope, id));
    return reply.render('risk/pages/lived-experience.njk', {
      pageTitle: `${child.name}’s lived experience`,
      backLink: `/people/${child.personId}`,
      child,
      supersedes: one(values['supersedes']) ?? child.current?.id ?? '',
      summary: one(values['summary']) ?? child.current?.summary ?? '',
      childWords: one(values['childWords']) ?? child.current?.childWords ?? '',
      ...formErrors(errors),
    });
  };

  app.get('/people/:id/lived-experience', async (request, reply) => {
    signedIn(request);
    return showLivedExperience(request, reply, {});
  });

  app.post('/people/:id/lived-experience', csrf, async (request, reply) => {
    signedIn(request);
    const { id } = params(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      const { personId } = await request.gate.run('risk.write_lived_experience', (scope) =>
        writeLivedExperience(scope, id, { supersedes: one(body['supersedes']), summary: one(body['summary']), childWords: one(body['childWords']) }));
      return reply.redirect(`/people/${personId}`);
    }, (errors) => showLivedExperience(request, reply, body, errors));
  });
}
