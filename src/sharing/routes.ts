// Sharing's pages. About one person: who has seen their record, emergency access, sensitive
// notes, what was shared, who holds the case, the subject access export. For oversight: reviews
// of emergency access, the report of sharing without consent, retention reviews, inspectors'
// windows; and each person's own notice of emergency access to their team's cases.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Gate, Scope } from '../access/gate';
import type { Permission } from '../access/permissions';
import type { Services } from '../server/app';
import { HearthError, notFound } from '../server/errors';
import { withFormErrors, type PageErrors } from '../web/forms';
import { signedIn } from '../web/guards';
import { accessLogPageSize, viewAccessLog } from './access-log';
import { allocateCase, allocationChoices, allocationsOf, endAllocation } from './allocation';
import {
  emergencyAccessFor, listForReview, ownAccessMessage, reviewBreakGlass, reviewFilterSchema, reviewPageSize, startBreakGlass,
} from './break-glass';
import { endInspection, grantInspection, inspectorChoices, listInspections } from './inspection';
import { accessLevel, currentPersonId } from './involvement';
import { outcomeLabels, retentionTypeLabels, sensitiveCategories, sensitiveCategoryLabels } from './labels';
import { breakGlassRow, pagination, roleText, sensitiveNoteRow, subjectAccessTables } from './present';
import { decideRetention, dueFilterSchema, listDue, recentDecisions, retentionPageSize, retentionTypes, viewRetentionRecord } from './retention';
import { nameableRoles, recordSensitiveNote, sensitiveNotesFor } from './sensitive';
import { agencyChoices, reportFilterSchema, reportPageSize, sharesForPerson, sharesWithoutConsent } from './shares';
import { subjectAccessExport, subjectAccessReferenceSchema } from './subject-access';
import { roleLabels } from '../access/roles';

type Body = Record<string, string | string[] | undefined>;
const bodyOf = (request: FastifyRequest): Body => (request.body ?? {}) as Body;
const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const idParam = (request: FastifyRequest): string => z.object({ id: z.string().max(100) }).parse(request.params).id;
const pageOf = (request: FastifyRequest): number => z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) }).parse(request.query ?? {}).page;

/**
 * Work on one person's record. Someone whose role may not do it at all gets "not found" (the
 * refusal audited), exactly as for a person who does not exist, so an address reveals nothing.
 */
async function onPerson<T>(gate: Gate, permission: Permission, requestedId: string, work: (scope: Scope) => Promise<T>): Promise<T> {
  // Recorded against the person asked for, so that "who has seen this" shows the attempt.
  await gate.requireOrNotFound(permission, { recordType: 'person', recordId: requestedId, what: 'The person' });
  return gate.run(permission, work);
}

/** The person's current id when the actor may see at least `level` of them; "not found" otherwise (audited). */
async function personWithAccess(scope: Scope, requestedId: string, action: string, level: 'full' | 'name_only'): Promise<string> {
  const id = await currentPersonId(scope, requestedId);
  const has = id ? await accessLevel(scope, id) : 'none';
  if (!id || has === 'none' || (level === 'full' && has !== 'full')) {
    scope.audit({ action, recordType: 'person', recordId: requestedId });
    throw notFound('The person');
  }
  return id;
}

async function personName(scope: Scope, id: string): Promise<string> {
  const p = await scope.db.selectFrom('person').select(['given_name', 'family_name']).where('id', '=', id).executeTakeFirstOrThrow();
  return [p.given_name, p.family_name].filter(Boolean).join(' ') || 'Name not known';
}

const flashes: Record<string, string> = {
  break_glass: 'Emergency access is open. It is recorded, shown to the team that holds the case and reviewed by a manager.',
  noted: 'Sensitive note recorded.',
  allocated: 'Case allocated.',
  ended: 'Allocation ended.',
  reviewed: 'Review recorded.',
  retain: 'Decision recorded: the record is kept until its next review.',
  delete: 'The record was deleted. The decision and its reason are kept.',
  granted: 'Window of access given.',
  inspection_ended: 'Window of access ended.',
};
const flashOf = (request: FastifyRequest) => flashes[(request.query as { done?: string }).done ?? ''];

export async function registerSharingRoutes(app: FastifyInstance, _services: Services): Promise<void> {
  const csrf = { preHandler: app.csrfProtection };

  // ---- Who has seen this

  app.get('/people/:id/access-log', async (request, reply) => {
    signedIn(request);
    const page = pageOf(request);
    const log = await onPerson(request.gate, 'person.access_log', idParam(request), (scope) => viewAccessLog(scope, idParam(request), page));
    const pages = Math.ceil(log.total / accessLogPageSize);
    return reply.render('sharing/pages/access-log.njk', {
      pageTitle: `Who has seen ${log.personName}’s record`,
      backLink: `/people/${log.personId}`,
      log: { ...log, entries: log.entries.map((e) => ({ ...e, roleText: roleText(e.role), outcomeText: outcomeLabels[e.outcome] ?? e.outcome })) },
      pagination: pagination(page, pages, (n) => `/people/${log.personId}/access-log?page=${n}`),
    });
  });

  // ---- Emergency access

  const showBreakGlass = async (request: FastifyRequest, reply: FastifyReply, requestedId: string, values: Body, errors?: PageErrors) => {
    const { id, name } = await onPerson(request.gate, 'person.break_glass', requestedId, async (scope) => {
      const id = await personWithAccess(scope, requestedId, 'person.break_glass', 'name_only');
      return { id, name: await personName(scope, id) };
    });
    return reply.render('sharing/pages/break-glass.njk', {
      pageTitle: `Emergency access: ${name}`, backLink: `/people/${id}`, personId: id, name, reason: one(values['reason']) ?? '',
      errors: errors?.list, fieldErrors: errors?.byField ?? {},
    });
  };

  app.get('/people/:id/break-glass', async (request, reply) => {
    signedIn(request);
    return showBreakGlass(request, reply, idParam(request), {});
  });

  app.post('/people/:id/break-glass', csrf, async (request, reply) => {
    signedIn(request);
    const requestedId = idParam(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      const { personId } = await onPerson(request.gate, 'person.break_glass', requestedId, (scope) => startBreakGlass(scope, requestedId, { reason: one(body['reason']) }));
      return reply.redirect(`/people/${personId}?done=break_glass`);
    }, (errors) => showBreakGlass(request, reply, requestedId, body, errors));
  });

  app.get('/emergency-access', async (request, reply) => {
    signedIn(request);
    const entries = await request.gate.run('person.break_glass', (scope) => emergencyAccessFor(scope));
    return reply.render('sharing/pages/emergency-access.njk', {
      pageTitle: 'Emergency access',
      own: entries.own.map(breakGlassRow),
      toOurCases: entries.toOurCases.map(breakGlassRow),
    });
  });

  // ---- Sensitive notes

  const showSensitive = async (request: FastifyRequest, reply: FastifyReply, requestedId: string, values: Body, errors?: PageErrors, flash?: string) => {
    const { id, name, notes } = await onPerson(request.gate, 'sensitive_note.record', requestedId, async (scope) => {
      const id = await personWithAccess(scope, requestedId, 'sensitive_note.view', 'full');
      return { id, name: await personName(scope, id), notes: await sensitiveNotesFor(scope, id) };
    });
    const chosenRoles = new Set(Array.isArray(values['roles']) ? values['roles'] : values['roles'] ? [values['roles']] : []);
    return reply.render('sharing/pages/sensitive-notes.njk', {
      pageTitle: `Sensitive notes: ${name}`, backLink: `/people/${id}`, personId: id, name,
      notes: notes.notes.map(sensitiveNoteRow), withheld: notes.withheld,
      categoryItems: sensitiveCategories.map((c) => ({ value: c, text: sensitiveCategoryLabels[c], checked: one(values['category']) === c })),
      roleItems: nameableRoles.map((r) => ({ value: r, text: roleLabels[r], checked: chosenRoles.has(r) })),
      values: { note: one(values['note']) ?? '', people: one(values['people']) ?? '' },
      errors: errors?.list, fieldErrors: errors?.byField ?? {}, flash,
    });
  };

  app.get('/people/:id/sensitive-notes', async (request, reply) => {
    signedIn(request);
    return showSensitive(request, reply, idParam(request), {}, undefined, flashOf(request));
  });

  app.post('/people/:id/sensitive-notes', csrf, async (request, reply) => {
    signedIn(request);
    const requestedId = idParam(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      const { personId } = await onPerson(request.gate, 'sensitive_note.record', requestedId, (scope) => recordSensitiveNote(scope, requestedId, body));
      return reply.redirect(`/people/${personId}/sensitive-notes?done=noted`);
    }, (errors) => showSensitive(request, reply, requestedId, body, errors));
  });

  // ---- What was shared

  app.get('/people/:id/shares', async (request, reply) => {
    signedIn(request);
    const requestedId = idParam(request);
    const { id, name, shares } = await onPerson(request.gate, 'person.view', requestedId, async (scope) => {
      const id = await personWithAccess(scope, requestedId, 'person.shares', 'full');
      scope.audit({ action: 'person.shares', recordType: 'person', recordId: id, subjectPersonId: id });
      return { id, name: await personName(scope, id), shares: await sharesForPerson(scope, id) };
    });
    return reply.render('sharing/pages/shares-page.njk', { pageTitle: `What was shared: ${name}`, backLink: `/people/${id}`, name, shares });
  });

  // ---- Who holds the case

  const showAllocation = async (request: FastifyRequest, reply: FastifyReply, requestedId: string, values: Body, errors?: PageErrors, flash?: string) => {
    const { id, name, allocations, choices } = await onPerson(request.gate, 'case.allocate', requestedId, async (scope) => {
      const id = await personWithAccess(scope, requestedId, 'person.allocation', 'name_only');
      return { id, name: await personName(scope, id), allocations: await allocationsOf(scope, id), choices: await allocationChoices(scope) };
    });
    return reply.render('sharing/pages/allocation.njk', {
      pageTitle: `Who holds the case: ${name}`, backLink: `/people/${id}`, personId: id, name,
      current: allocations.filter((a) => a.endedAt === null), ended: allocations.filter((a) => a.endedAt !== null),
      choiceItems: [{ value: '', text: 'Choose a team or a worker' }, ...choices.map((c) => ({ ...c, selected: c.value === one(values['allocation']) }))],
      errors: errors?.list, fieldErrors: errors?.byField ?? {}, flash,
    });
  };

  app.get('/people/:id/allocation', async (request, reply) => {
    signedIn(request);
    return showAllocation(request, reply, idParam(request), {}, undefined, flashOf(request));
  });

  app.post('/people/:id/allocation', csrf, async (request, reply) => {
    signedIn(request);
    const requestedId = idParam(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      const personId = await onPerson(request.gate, 'case.allocate', requestedId, (scope) => allocateCase(scope, requestedId, { allocation: one(body['allocation']) }));
      return reply.redirect(`/people/${personId}/allocation?done=allocated`);
    }, (errors) => showAllocation(request, reply, requestedId, body, errors));
  });

  app.post('/people/:id/allocation/:allocationId/end', csrf, async (request, reply) => {
    signedIn(request);
    const { id, allocationId } = z.object({ id: z.string().max(100), allocationId: z.string().max(100) }).parse(request.params);
    const personId = await onPerson(request.gate, 'case.allocate', id, (scope) => endAllocation(scope, id, allocationId));
    return reply.redirect(`/people/${personId}/allocation?done=ended`);
  });

  // ---- Subject access

  app.get('/people/:id/subject-access', async (request, reply) => {
    signedIn(request);
    const requestedId = idParam(request);
    const query = request.query as { reference?: string };
    if (query.reference === undefined) {
      const { id, name } = await onPerson(request.gate, 'person.subject_access', requestedId, async (scope) => {
        const id = await personWithAccess(scope, requestedId, 'person.subject_access', 'name_only');
        return { id, name: await personName(scope, id) };
      });
      return reply.render('sharing/pages/subject-access-form.njk', { pageTitle: `Subject access export: ${name}`, backLink: `/people/${id}`, personId: id, name, reference: '' });
    }
    const form = subjectAccessReferenceSchema.safeParse(query);
    if (!form.success) {
      const message = form.error.issues[0]?.message ?? 'Enter the subject access request’s reference';
      const name = await onPerson(request.gate, 'person.subject_access', requestedId, async (scope) => personName(scope, await personWithAccess(scope, requestedId, 'person.subject_access', 'name_only')));
      return reply.code(400).render('sharing/pages/subject-access-form.njk', {
        pageTitle: `Subject access export: ${name}`, backLink: `/people/${requestedId}`, personId: requestedId, name, reference: query.reference,
        errors: [{ text: message, href: '#reference' }], fieldErrors: { reference: { text: message } },
      });
    }
    const document = await onPerson(request.gate, 'person.subject_access', requestedId, (scope) => subjectAccessExport(scope, requestedId, form.data.reference, 'html'));
    const name = [document.person.givenName, document.person.familyName].filter(Boolean).join(' ') || 'Name not known';
    return reply.render('sharing/pages/subject-access.njk', {
      pageTitle: `Information held about ${name}`, document, name, personId: requestedId, tables: subjectAccessTables(document),
      jsonHref: `/people/${requestedId}/subject-access.json?reference=${encodeURIComponent(document.reference)}`,
    });
  });

  app.get('/people/:id/subject-access.json', async (request, reply) => {
    signedIn(request);
    const requestedId = idParam(request);
    const form = subjectAccessReferenceSchema.safeParse(request.query ?? {});
    if (!form.success) {
      const error = new HearthError('validation_failed', 'Give the subject access request’s reference.', [{ field: 'reference', message: form.error.issues[0]?.message ?? 'Enter the reference' }]);
      return reply.code(400).header('cache-control', 'no-store').send(error.toJSON());
    }
    try {
      const document = await onPerson(request.gate, 'person.subject_access', requestedId, (scope) => subjectAccessExport(scope, requestedId, form.data.reference, 'json'));
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="subject-access-${document.reference.replace(/[^A-Za-z0-9_-]/g, '-')}.json"`)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(document, null, 2));
    } catch (error) {
      if (error instanceof HearthError) return reply.code(error.status).header('cache-control', 'no-store').send(error.toJSON());
      throw error;
    }
  });

  await registerOversightRoutes(app, csrf);
}

async function registerOversightRoutes(app: FastifyInstance, csrf: { preHandler: FastifyInstance['csrfProtection'] }): Promise<void> {
  // ---- The hub

  app.get('/oversight', async (request, reply) => {
    signedIn(request);
    const can = (p: Permission) => request.gate.can(p);
    const tools = [
      can('break_glass.review') && { href: '/oversight/break-glass', title: 'Emergency access to review', text: 'Who opened a record they were not involved with, why, and whether it was justified.' },
      can('share.report') && { href: '/oversight/shares-without-consent', title: 'Information shared without consent', text: 'Every share made without consent, with its lawful basis and justification, by date and agency.' },
      can('retention.manage') && { href: '/retention', title: 'Records due for review', text: 'Records the retention rules bring up for review: keep them longer or delete them, with reasons.' },
      can('inspection.manage') && { href: '/admin/inspections', title: 'Inspectors’ access', text: 'Give an inspector a time-limited window of read-only access, or end it.' },
    ].filter(Boolean);
    if (tools.length === 0) await request.gate.require('break_glass.review');
    return reply.render('sharing/pages/oversight.njk', { pageTitle: 'Oversight', tools });
  });

  // ---- Reviewing emergency access

  const showReviews = async (request: FastifyRequest, reply: FastifyReply, extra: { errors?: PageErrors; flash?: string | undefined } = {}) => {
    const actor = signedIn(request);
    const filter = reviewFilterSchema.parse(request.query ?? {});
    const list = await request.gate.run('break_glass.review', (scope) => listForReview(scope, filter));
    const pages = Math.ceil(list.total / reviewPageSize);
    return reply.render('sharing/pages/break-glass-review.njk', {
      pageTitle: 'Emergency access to review',
      filter, waiting: list.waiting, total: list.total,
      entries: list.entries.map((e) => ({ ...breakGlassRow(e), own: e.userId === actor.userId })),
      ownAccessMessage,
      pagination: pagination(filter.page, pages, (n) => `/oversight/break-glass?status=${filter.status}&page=${n}`),
      errors: extra.errors?.list, fieldErrors: extra.errors?.byField ?? {}, flash: extra.flash,
    });
  };

  app.get('/oversight/break-glass', async (request, reply) => showReviews(request, reply, { flash: flashOf(request) }));

  app.post('/oversight/break-glass/:id/review', csrf, async (request, reply) => {
    signedIn(request);
    const id = idParam(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      await request.gate.run('break_glass.review', (scope) => reviewBreakGlass(scope, id, { version: one(body['version']), outcome: one(body['outcome']), note: one(body['note']) }));
      return reply.redirect('/oversight/break-glass?done=reviewed');
    }, (errors) => showReviews(request, reply, { errors: prefixErrors(errors, id) }), { alsoShow: ['forbidden'] });
  });

  // ---- Sharing without consent

  app.get('/oversight/shares-without-consent', async (request, reply) => {
    signedIn(request);
    const query = (request.query ?? {}) as Record<string, string | undefined>;
    const parsed = reportFilterSchema.safeParse(query);
    const filter = parsed.success ? parsed.data : { page: 1, from: undefined, to: undefined, agency: undefined };
    const { report, agencies } = await request.gate.run('share.report', async (scope) => ({
      report: parsed.success ? await sharesWithoutConsent(scope, filter) : { entries: [], total: 0 },
      agencies: await agencyChoices(scope),
    }));
    const errors = parsed.success ? undefined : parsed.error.issues.map((i) => ({ text: i.message, href: `#${String(i.path[0] ?? 'from')}` }));
    const link = (n: number) => `/oversight/shares-without-consent?${new URLSearchParams({ from: query['from'] ?? '', to: query['to'] ?? '', agency: query['agency'] ?? '', page: String(n) }).toString()}`;
    return reply.code(parsed.success ? 200 : 400).render('sharing/pages/shares-report.njk', {
      pageTitle: 'Information shared without consent',
      values: { from: query['from'] ?? '', to: query['to'] ?? '' },
      agencyItems: [{ value: '', text: 'All agencies' }, ...agencies.map((a) => ({ value: a.id, text: a.name, selected: a.id === filter.agency }))],
      entries: report.entries, total: report.total,
      pagination: pagination(filter.page, Math.ceil(report.total / reportPageSize), link),
      errors, fieldErrors: Object.fromEntries((errors ?? []).map((e) => [e.href.slice(1), { text: e.text }])),
    });
  });

  // ---- Retention

  app.get('/retention', async (request, reply) => {
    signedIn(request);
    const filter = dueFilterSchema.parse(request.query ?? {});
    const { due, decisions } = await request.gate.run('retention.manage', async (scope) => ({ due: await listDue(scope, filter), decisions: await recentDecisions(scope) }));
    return reply.render('sharing/pages/retention.njk', {
      pageTitle: 'Records due for review',
      filter, total: due.total, records: due.records, decisions,
      typeItems: [{ value: '', text: 'All kinds of record' }, ...retentionTypes.map((t) => ({ value: t, text: retentionTypeLabels[t], selected: t === filter.type }))],
      pagination: pagination(filter.page, Math.ceil(due.total / retentionPageSize), (n) => `/retention?${filter.type ? `type=${filter.type}&` : ''}page=${n}`),
      flash: flashOf(request),
    });
  });

  const showRetentionRecord = async (request: FastifyRequest, reply: FastifyReply, values: Body, errors?: PageErrors) => {
    signedIn(request);
    const { type, id } = z.object({ type: z.string().max(40), id: z.string().max(100) }).parse(request.params);
    const view = await request.gate.run('retention.manage', (scope) => viewRetentionRecord(scope, type, id));
    return reply.render('sharing/pages/retention-record.njk', {
      pageTitle: `${view.record.typeText}: review`, backLink: '/retention', view,
      decisionItems: [
        { value: 'retain', text: 'Keep it until a later review', checked: one(values['decision']) === 'retain' },
        { value: 'delete', text: 'Delete it', checked: one(values['decision']) === 'delete' },
      ],
      values: { reason: one(values['reason']) ?? '', retainUntil: one(values['retainUntil']) ?? '', confirm: one(values['confirm']) === 'yes' },
      errors: errors?.list, fieldErrors: errors?.byField ?? {},
    });
  };

  app.get('/retention/:type/:id', async (request, reply) => showRetentionRecord(request, reply, {}));

  app.post('/retention/:type/:id', csrf, async (request, reply) => {
    signedIn(request);
    const { type, id } = z.object({ type: z.string().max(40), id: z.string().max(100) }).parse(request.params);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      const outcome = await request.gate.run('retention.manage', (scope) => decideRetention(scope, type, id, {
        decision: one(body['decision']), reason: one(body['reason']), retainUntil: one(body['retainUntil']), confirm: one(body['confirm']),
      }));
      return reply.redirect(`/retention?done=${outcome}`);
    }, (errors) => showRetentionRecord(request, reply, body, errors));
  });

  // ---- Inspectors' windows

  const showInspections = async (request: FastifyRequest, reply: FastifyReply, values: Body, errors?: PageErrors) => {
    signedIn(request);
    const { windows, inspectors } = await request.gate.run('inspection.manage', async (scope) => ({ windows: await listInspections(scope), inspectors: await inspectorChoices(scope) }));
    return reply.render('sharing/pages/inspections.njk', {
      pageTitle: 'Inspectors’ access', windows,
      inspectorItems: [{ value: '', text: 'Choose an inspector' }, ...inspectors.map((i) => ({ value: i.id, text: i.name, selected: i.id === one(values['inspectorId']) }))],
      values: { from: one(values['from']) ?? '', to: one(values['to']) ?? '', reason: one(values['reason']) ?? '' },
      errors: errors?.list, fieldErrors: errors?.byField ?? {}, flash: flashOf(request),
    });
  };

  app.get('/admin/inspections', async (request, reply) => showInspections(request, reply, {}));

  app.post('/admin/inspections', csrf, async (request, reply) => {
    signedIn(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      await request.gate.run('inspection.manage', (scope) => grantInspection(scope, { inspectorId: one(body['inspectorId']), from: one(body['from']), to: one(body['to']), reason: one(body['reason']) }));
      return reply.redirect('/admin/inspections?done=granted');
    }, (errors) => showInspections(request, reply, body, errors));
  });

  app.post('/admin/inspections/:id/end', csrf, async (request, reply) => {
    signedIn(request);
    const id = idParam(request);
    return withFormErrors(reply, async () => {
      await request.gate.run('inspection.manage', (scope) => endInspection(scope, id));
      return reply.redirect('/admin/inspections?done=inspection_ended');
    }, (errors) => showInspections(request, reply, {}, errors));
  });
}

/** A review form's errors point at that entry's fields, which carry its id. */
function prefixErrors(errors: PageErrors, id: string): PageErrors {
  const byField: PageErrors['byField'] = {};
  for (const [field, message] of Object.entries(errors.byField)) byField[`${field}-${id}`] = message;
  return { list: errors.list.map((e) => ({ ...e, href: e.href === '#main-content' ? e.href : `${e.href}-${id}` })), byField };
}

