// The front door's pages: the MASH queue, a contact, screening, withdrawing a check, the decision
// and its authorisation; and each agency's own queue of checks with the answer page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Gate, Scope } from '../access/gate';
import type { Permission } from '../access/permissions';
import type { Services } from '../server/app';
import { notFound } from '../server/errors';
import { withFormErrors as showingFormErrors, type PageErrors } from '../web/forms';
import { signedIn } from '../web/guards';
import { answerAgencyCheck, checksFilterSchema, checksPageSize, listAgencyChecks, viewAgencyCheck, type AgencyCheckView } from './checks';
import { viewContact, type ContactView } from './contact-view';
import { authoriseContact, decideContact, ownDecisionMessage } from './decision';
import {
  checkStatusLabels, consentHints, consentLabels, consents, decisionHints, decisionLabels, decisions, historyLabels, knownToAgencyLabels,
  knownToAgencyValues, lawfulBases, openStages, otherLawfulBasis, priorities, priorityHints, priorityLabels, stageLabels, stages, yesNo,
} from './labels';
import {
  ageText, dashSummary, deadlineView, detailRows, eventKindText, fullName, priorityTag, roleLabels, shortInstant, sourceText, stageTag,
} from './present';
import { listQueue, queueFilterSchema, queuePageSize, queueTeams, type QueueFilter } from './queue';
import { allocateContact, allocationChoices, checkForWithdrawal, screenContact, screeningChoices, withdrawCheck } from './screening';
import { londonDate } from '../calendar/london';

type Body = Record<string, string | string[] | undefined>;
const bodyOf = (request: FastifyRequest): Body => (request.body ?? {}) as Body;
const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const many = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== '');
const versionOf = (body: Body): number => Number(one(body['version']) ?? NaN);
const idParam = (request: FastifyRequest): string => z.object({ id: z.string().max(100) }).parse(request.params).id;

/**
 * Runs record-level work; someone whose role may not do it at all gets "not found" (their refusal
 * audited), exactly as for a record that does not exist, so a record's address reveals nothing.
 */
async function runOrNotFound<T>(gate: Gate, permission: Permission, what: string, work: (scope: Scope) => Promise<T>): Promise<T> {
  if (!gate.can(permission)) {
    await gate.require(permission).catch(() => undefined);
    throw notFound(what);
  }
  return gate.run(permission, work);
}

/** The front door also shows refusals on the form (e.g. authorising one's own decision). */
const withFormErrors: typeof showingFormErrors = (reply, work, showForm) => showingFormErrors(reply, work, showForm, { alsoShow: ['forbidden'] });

const flashes: Record<string, string> = {
  screened: 'Contact screened. The agencies asked have been sent their checks.',
  allocated: 'Contact allocated.',
  withdrawn: 'Check withdrawn.',
  decided: 'Decision recorded. It now waits for a manager to authorise it.',
  authorised: 'Decision authorised. The contact is closed.',
  returned: 'Decision returned to the practitioner with your comment.',
  answered: 'Thank you. Your answer has been sent to the MASH.',
};

function todayIn(now: Date): string {
  return londonDate(now);
}

// ---- View models

function contactPage(contact: ContactView, gate: Gate, actorId: string) {
  const now = contact.now;
  const today = todayIn(now);
  const open = contact.stage !== 'closed';
  const police = contact.event.kind.startsWith('police');
  const dash = dashSummary(contact.event.details['dash'] ?? contact.event.details['dashAnswers'], police);
  const children = contact.event.people.filter((p) => p.role === 'child');
  const adults = contact.event.people.filter((p) => p.role !== 'child');
  const returned = contact.stage === 'decision' && contact.returnedAt !== null;
  return {
    ...contact,
    childName: fullName(contact.child),
    childAge: ageText(contact.child, today),
    stageTag: stageTag(contact.stage, returned),
    priorityTag: priorityTag(contact.priority),
    returned,
    sourceText: sourceText(contact.source),
    due: deadlineView(contact.decisionDueAt, now, open),
    event: {
      ...contact.event,
      kindText: eventKindText(contact.event.kind),
      rows: detailRows(contact.event.details),
      dash,
      children: children.map((p) => ({ ...p, name: fullName(p), age: ageText(p, today), isThisChild: p.personId === contact.child.id })),
      adults: adults.map((p) => ({ ...p, name: fullName(p), roleText: roleLabels[p.role] ?? p.role })),
    },
    chronology: contact.chronology.map((e) => ({ ...e, kindText: eventKindText(e.kind), isThisEvent: e.id === contact.event.id })),
    otherContacts: contact.otherContacts.map((o) => ({ ...o, stageText: stageLabels[o.stage], decisionText: o.decision ? decisionLabels[o.decision] : null })),
    checks: contact.checks.map((k) => ({
      ...k,
      statusText: checkStatusLabels[k.status],
      statusClasses: k.status === 'answered' ? 'govuk-tag--green' : k.status === 'withdrawn' ? 'govuk-tag--grey' : 'govuk-tag--blue',
      due: deadlineView(k.dueAt, now, k.status === 'open'),
      knownText: k.knownToAgency ? knownToAgencyLabels[k.knownToAgency] : null,
      canWithdraw: k.status === 'open' && gate.can('contact.screen'),
    })),
    shares: contact.shares.map((s) => ({ ...s, consentText: consentLabels[s.consent] })),
    decisionText: contact.decision ? decisionLabels[contact.decision] : null,
    maracText: yesNo(contact.maracReferral),
    history: contact.history.map((h) => ({ ...h, label: historyLabels[h.action] ?? h.action, detailText: historyDetail(h) })),
    actions: {
      screen: contact.stage === 'screening' && gate.can('contact.screen'),
      decide: contact.stage === 'decision' && gate.can('contact.decide'),
      authorise: contact.stage === 'authorisation' && gate.can('contact.authorise'),
      ownDecision: contact.decidedById === actorId,
      allocate: open && gate.can('contact.screen'),
    },
  };
}

function historyDetail(h: { action: string; details: Record<string, unknown> | null }): string | null {
  const d = h.details ?? {};
  switch (h.action) {
    case 'received': return `From ${sourceText(String(d['source'] ?? ''))}`;
    case 'screened': return d['priority'] ? `Priority ${priorityLabels[d['priority'] as 'red'] ?? d['priority']}` : null;
    case 'check_requested': return `${d['agencyName'] ?? 'An agency'}: ${consentLabels[d['consent'] as 'given'] ?? ''}${d['lawfulBasis'] ? `, lawful basis ${d['lawfulBasis']}` : ''}`;
    case 'check_answered': return `${d['agencyName'] ?? 'An agency'} answered: ${knownToAgencyLabels[d['knownToAgency'] as 'yes'] ?? ''}`;
    case 'check_withdrawn': return `${d['agencyName'] ?? 'An agency'}`;
    case 'allocated': return d['toName'] ? `To ${d['toName']}` : null;
    case 'decided': return `${d['decisionLabel'] ?? ''}; MARAC referral: ${yesNo(d['maracReferral'] as boolean | null)}`;
    default: return null;
  }
}

function queueLink(filter: QueueFilter, change: Partial<QueueFilter>): string {
  const f = { ...filter, ...change };
  const params = new URLSearchParams();
  for (const p of f.priority) params.append('priority', p);
  for (const s of f.stage) params.append('stage', s);
  if (f.team) params.set('team', f.team);
  if (f.overdue) params.set('overdue', 'yes');
  if (f.page > 1) params.set('page', String(f.page));
  const query = params.toString();
  return `/front-door${query ? `?${query}` : ''}`;
}

function checkPage(check: AgencyCheckView, now: Date) {
  return {
    ...check,
    childName: fullName(check.child),
    childAge: ageText(check.child, todayIn(now)),
    addressText: check.child.address
      ? [check.child.address.line1, check.child.address.line2, check.child.address.town, check.child.address.postcode].filter(Boolean).join(', ')
      : 'Not shared',
    due: deadlineView(check.dueAt, now, check.status === 'open'),
    knownText: check.answer.knownToAgency ? knownToAgencyLabels[check.answer.knownToAgency] : null,
  };
}

// ---- Screening form: agency blocks keyed by agency id, plus one "another agency" block

function screeningInput(body: Body) {
  const ticked = many(body['agencies']);
  const keys = ticked.filter((id) => id !== 'extra').map((id) => ({ key: id, agencyId: id }));
  if (ticked.includes('extra')) keys.push({ key: 'extra', agencyId: one(body['extraAgency']) ?? '' });
  return {
    keys,
    input: {
      version: versionOf(body),
      priority: one(body['priority']),
      priorityReason: one(body['priorityReason']),
      checks: keys.map(({ key, agencyId }) => ({
        agencyId,
        question: one(body[`question-${key}`]) ?? '',
        consent: one(body[`consent-${key}`]),
        lawfulBasis: one(body[`lawfulBasis-${key}`]),
        lawfulBasisOther: one(body[`lawfulBasisOther-${key}`]),
        justification: one(body[`justification-${key}`]),
      })),
    },
  };
}

/** Field errors of the domain ("checks.2.lawfulBasis") point at the form's fields ("lawfulBasis-<agency>"). */
function screeningErrors(errors: PageErrors, keys: { key: string }[]): PageErrors {
  const mapped: PageErrors = { list: [], byField: {} };
  for (const item of errors.list) {
    const field = item.href.slice(1);
    const match = /^checks\.(\d+)\.(\w+)$/.exec(field);
    let id = field;
    if (match) {
      const key = keys[Number(match[1])]?.key ?? 'extra';
      id = match[2] === 'agencyId' ? (key === 'extra' ? 'extraAgency' : 'agencies') : `${match[2]}-${key}`;
    }
    if (!mapped.byField[id]) mapped.byField[id] = { text: item.text };
    mapped.list.push({ text: item.text, href: `#${id}` });
  }
  return mapped;
}

export async function registerFrontDoorRoutes(app: FastifyInstance, _services: Services): Promise<void> {
  const csrf = { preHandler: app.csrfProtection };

  // ---- The queue

  app.get('/front-door', async (request, reply) => {
    signedIn(request);
    const filter = queueFilterSchema.parse(request.query ?? {});
    const now = new Date();
    const { queue, teams } = await request.gate.run('contact.view', async (scope) => ({ queue: await listQueue(scope, filter, { now }), teams: await queueTeams(scope) }));
    const today = todayIn(now);
    const pages = Math.ceil(queue.total / queuePageSize);
    const filtered = filter.priority.length > 0 || filter.stage.length > 0 || Boolean(filter.team) || filter.overdue;
    const priorityItems = [{ value: 'unscreened', text: 'Not screened' }, ...priorities.map((p) => ({ value: p, text: priorityLabels[p] }))];
    const selected = [
      ...(filter.priority.length ? [{ heading: { text: 'Priority' }, items: filter.priority.map((p) => ({ text: priorityItems.find((i) => i.value === p)?.text ?? p, href: queueLink(filter, { priority: filter.priority.filter((x) => x !== p), page: 1 }) })) }] : []),
      ...(filter.stage.length ? [{ heading: { text: 'Stage' }, items: filter.stage.map((s) => ({ text: stageLabels[s], href: queueLink(filter, { stage: filter.stage.filter((x) => x !== s), page: 1 }) })) }] : []),
      ...(filter.team ? [{ heading: { text: 'Team' }, items: [{ text: teams.find((t) => t.id === filter.team)?.name ?? 'Team', href: queueLink(filter, { team: undefined, page: 1 }) }] }] : []),
      ...(filter.overdue ? [{ heading: { text: 'Overdue' }, items: [{ text: 'Overdue only', href: queueLink(filter, { overdue: false, page: 1 }) }] }] : []),
    ];
    return reply.render('frontdoor/pages/queue.njk', {
      pageTitle: 'Front door',
      filter, filtered, selected, teams,
      priorityItems: priorityItems.map((i) => ({ ...i, checked: filter.priority.includes(i.value as 'red') })),
      stageItems: stages.map((s) => ({ value: s, text: stageLabels[s], checked: filter.stage.includes(s) })),
      teamItems: [{ value: '', text: 'All teams' }, ...teams.map((t) => ({ value: t.id, text: t.name, selected: t.id === filter.team }))],
      counts: openStages.map((s) => ({ stage: s, text: stageLabels[s], count: queue.counts[s], href: queueLink({ ...filter, stage: [], page: 1 }, { stage: [s] }) })),
      overdueCount: queue.overdueCount,
      overdueHref: queueLink({ ...filter, page: 1 }, { overdue: true }),
      total: queue.total,
      rows: queue.rows.map((r) => ({
        ...r,
        name: fullName(r),
        age: ageText(r, today),
        sourceText: sourceText(r.source),
        received: shortInstant(r.receivedAt, now),
        due: deadlineView(r.decisionDueAt, now, r.stage !== 'closed'),
        stageTag: stageTag(r.stage, r.returned),
        priorityTag: priorityTag(r.priority),
      })),
      pagination: pages > 1 ? {
        previous: filter.page > 1 ? { href: queueLink(filter, { page: filter.page - 1 }) } : undefined,
        next: filter.page < pages ? { href: queueLink(filter, { page: filter.page + 1 }) } : undefined,
        items: Array.from({ length: Math.min(pages, 10) }, (_, i) => ({ number: i + 1, href: queueLink(filter, { page: i + 1 }), current: i + 1 === filter.page })),
      } : undefined,
    });
  });

  // ---- A contact

  const showContact = async (request: FastifyRequest, reply: FastifyReply, id: string, extra: { errors?: PageErrors; flash?: string } = {}) => {
    const actor = signedIn(request);
    const contact = await runOrNotFound(request.gate, 'contact.view', 'The contact', (scope) => viewContact(scope, id));
    const workers = contact.stage !== 'closed' && request.gate.can('contact.screen')
      ? await request.gate.run('contact.screen', (scope) => allocationChoices(scope))
      : [];
    return reply.render('frontdoor/pages/contact.njk', {
      pageTitle: `Contact: ${fullName(contact.child)}`,
      backLink: '/front-door',
      contact: contactPage(contact, request.gate, actor.userId),
      workerItems: [{ value: '', text: 'Choose a worker' }, ...workers.map((w) => ({ value: w.id, text: w.display_name, selected: w.id === contact.allocatedToId }))],
      errors: extra.errors?.list, fieldErrors: extra.errors?.byField ?? {}, flash: extra.flash,
    });
  };

  app.get('/front-door/contacts/:id', async (request, reply) => {
    const done = (request.query as { done?: string }).done;
    return showContact(request, reply, idParam(request), { flash: done ? flashes[done] : undefined });
  });

  app.post('/front-door/contacts/:id/allocate', csrf, async (request, reply) => {
    signedIn(request);
    const id = idParam(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      await request.gate.run('contact.screen', (scope) => allocateContact(scope, id, { version: versionOf(body), userId: one(body['userId']) ?? '' }));
      return reply.redirect(`/front-door/contacts/${id}?done=allocated`);
    }, (errors) => showContact(request, reply, id, { errors }));
  });

  // ---- Screening

  const showScreening = async (request: FastifyRequest, reply: FastifyReply, id: string, values: Body, errors?: PageErrors) => {
    signedIn(request);
    const { contact, choices } = await request.gate.run('contact.screen', async (scope) => ({
      contact: await viewContact(scope, id),
      choices: await screeningChoices(scope, id),
    }));
    if (contact.stage !== 'screening' && !errors) return reply.redirect(`/front-door/contacts/${id}`);
    const chosen = new Set(many(values['agencies']));
    const field = (key: string, name: string) => one(values[`${name}-${key}`]);
    const block = (key: string, name: string, question: string) => ({
      key, name,
      question: field(key, 'question') ?? question,
      consentItems: consents.map((c) => ({ value: c, text: consentLabels[c], hint: { text: consentHints[c] }, checked: field(key, 'consent') === c })),
      lawfulBasisItems: [
        { value: '', text: 'Choose a lawful basis' },
        ...lawfulBases.map((b) => ({ value: b, text: b, selected: field(key, 'lawfulBasis') === b })),
        { value: otherLawfulBasis, text: 'Other (state it)', selected: field(key, 'lawfulBasis') === otherLawfulBasis },
      ],
      lawfulBasisOther: field(key, 'lawfulBasisOther') ?? '',
      justification: field(key, 'justification') ?? '',
    });
    return reply.render('frontdoor/pages/screen.njk', {
      pageTitle: `Screen the contact: ${fullName(contact.child)}`,
      backLink: `/front-door/contacts/${id}`,
      contact: { id: contact.id, version: one(values['version']) ?? contact.version, childName: fullName(contact.child), childAge: ageText(contact.child, todayIn(new Date())), summary: contact.event.summary, due: deadlineView(contact.decisionDueAt, new Date()) },
      priorityItems: priorities.map((p) => ({ value: p, text: priorityLabels[p], hint: { text: priorityHints[p] }, checked: one(values['priority']) === p })),
      priorityReason: one(values['priorityReason']) ?? '',
      agencies: choices.suggested.map((a) => ({ ...block(a.id, a.name, a.question), checked: chosen.has(a.id), childs: a.childs, knowsChild: a.knowsChild })),
      extra: block('extra', 'the other agency', choices.defaultQuestion),
      extraChecked: chosen.has('extra'),
      extraItems: [{ value: '', text: 'Choose an agency' }, ...choices.others.map((a) => ({ value: a.id, text: a.name, selected: one(values['extraAgency']) === a.id }))],
      errors: errors?.list, fieldErrors: errors?.byField ?? {},
    });
  };

  app.get('/front-door/contacts/:id/screen', async (request, reply) => showScreening(request, reply, idParam(request), {}));

  app.post('/front-door/contacts/:id/screen', csrf, async (request, reply) => {
    signedIn(request);
    const id = idParam(request);
    const body = bodyOf(request);
    const { keys, input } = screeningInput(body);
    return withFormErrors(reply, async () => {
      await request.gate.run('contact.screen', (scope) => screenContact(scope, id, input));
      return reply.redirect(`/front-door/contacts/${id}?done=screened`);
    }, (errors) => showScreening(request, reply, id, body, screeningErrors(errors, keys)));
  });

  // ---- Withdrawing a check (the MASH)

  const showWithdraw = async (request: FastifyRequest, reply: FastifyReply, checkId: string, values: Body, errors?: PageErrors) => {
    signedIn(request);
    const check = await request.gate.run('contact.screen', (scope) => checkForWithdrawal(scope, checkId));
    return reply.render('frontdoor/pages/withdraw.njk', {
      pageTitle: `Withdraw the check to ${check.agency_name}`,
      backLink: `/front-door/contacts/${check.contact_id}`,
      check: { ...check, childName: fullName({ givenName: check.given_name, familyName: check.family_name }), version: one(values['version']) ?? check.version },
      reason: one(values['reason']) ?? '',
      errors: errors?.list, fieldErrors: errors?.byField ?? {},
    });
  };

  app.get('/front-door/checks/:id/withdraw', async (request, reply) => showWithdraw(request, reply, idParam(request), {}));

  app.post('/front-door/checks/:id/withdraw', csrf, async (request, reply) => {
    signedIn(request);
    const id = idParam(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      const { contactId } = await request.gate.run('contact.screen', (scope) => withdrawCheck(scope, id, { version: versionOf(body), reason: one(body['reason']) }));
      return reply.redirect(`/front-door/contacts/${contactId}?done=withdrawn`);
    }, (errors) => showWithdraw(request, reply, id, body, errors));
  });

  // ---- The decision

  const showDecision = async (request: FastifyRequest, reply: FastifyReply, id: string, values: Body, errors?: PageErrors) => {
    const actor = signedIn(request);
    const contact = await request.gate.run('contact.decide', (scope) => viewContact(scope, id));
    if (contact.stage !== 'decision' && !errors) return reply.redirect(`/front-door/contacts/${id}`);
    const chosen = one(values['decision']) ?? (contact.returnedAt ? contact.decision ?? undefined : undefined);
    const marac = one(values['maracReferral']) ?? (contact.returnedAt && contact.maracReferral !== null ? (contact.maracReferral ? 'yes' : 'no') : undefined);
    return reply.render('frontdoor/pages/decide.njk', {
      pageTitle: `Decide: ${fullName(contact.child)}`,
      backLink: `/front-door/contacts/${id}`,
      contact: { ...contactPage(contact, request.gate, actor.userId), version: one(values['version']) ?? contact.version },
      decisionItems: decisions.map((d) => ({ value: d, text: decisionLabels[d], hint: { text: decisionHints[d] }, checked: chosen === d })),
      reasons: one(values['reasons']) ?? (contact.returnedAt ? contact.decisionReasons ?? '' : ''),
      maracItems: [{ value: 'yes', text: 'Yes', checked: marac === 'yes' }, { value: 'no', text: 'No', checked: marac === 'no' }],
      errors: errors?.list, fieldErrors: errors?.byField ?? {},
    });
  };

  app.get('/front-door/contacts/:id/decide', async (request, reply) => showDecision(request, reply, idParam(request), {}));

  app.post('/front-door/contacts/:id/decide', csrf, async (request, reply) => {
    signedIn(request);
    const id = idParam(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      await request.gate.run('contact.decide', (scope) => decideContact(scope, id, {
        version: versionOf(body), decision: one(body['decision']), reasons: one(body['reasons']), maracReferral: one(body['maracReferral']),
      }));
      return reply.redirect(`/front-door/contacts/${id}?done=decided`);
    }, (errors) => showDecision(request, reply, id, body, errors));
  });

  // ---- Authorisation

  const showAuthorisation = async (request: FastifyRequest, reply: FastifyReply, id: string, values: Body, errors?: PageErrors) => {
    const actor = signedIn(request);
    const contact = await request.gate.run('contact.authorise', (scope) => viewContact(scope, id));
    if (contact.stage !== 'authorisation' && !errors) return reply.redirect(`/front-door/contacts/${id}`);
    const outcome = one(values['outcome']);
    return reply.render('frontdoor/pages/authorise.njk', {
      pageTitle: `Authorise the decision: ${fullName(contact.child)}`,
      backLink: `/front-door/contacts/${id}`,
      contact: { ...contactPage(contact, request.gate, actor.userId), version: one(values['version']) ?? contact.version },
      ownDecision: contact.decidedById === actor.userId,
      ownDecisionMessage,
      outcomeItems: [
        { value: 'authorise', text: 'Authorise the decision', checked: outcome === 'authorise' },
        { value: 'return', text: 'Return it to the practitioner with a comment', checked: outcome === 'return' },
      ],
      comment: one(values['comment']) ?? '',
      errors: errors?.list, fieldErrors: errors?.byField ?? {},
    });
  };

  app.get('/front-door/contacts/:id/authorise', async (request, reply) => showAuthorisation(request, reply, idParam(request), {}));

  app.post('/front-door/contacts/:id/authorise', csrf, async (request, reply) => {
    signedIn(request);
    const id = idParam(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      const result = await request.gate.run('contact.authorise', (scope) => authoriseContact(scope, id, {
        version: versionOf(body), outcome: one(body['outcome']), comment: one(body['comment']),
      }));
      if (!result.ok) throw result.error;
      return reply.redirect(`/front-door/contacts/${id}?done=${result.outcome}`);
    }, (errors) => showAuthorisation(request, reply, id, body, errors));
  });

  // ---- An agency's own checks

  app.get('/checks', async (request, reply) => {
    signedIn(request);
    const filter = checksFilterSchema.parse(request.query ?? {});
    const now = new Date();
    const list = await request.gate.run('agency_check.answer', (scope) => listAgencyChecks(scope, filter));
    const pages = Math.ceil(list.total / checksPageSize);
    const link = (page: number) => `/checks?status=${filter.status}${page > 1 ? `&page=${page}` : ''}`;
    return reply.render('frontdoor/pages/checks.njk', {
      pageTitle: 'Agency checks',
      filter, total: list.total, openCount: list.openCount,
      rows: list.rows.map((r) => ({
        ...r, name: fullName(r), age: ageText(r, todayIn(now)), requested: shortInstant(r.requestedAt, now),
        answered: r.answeredAt ? shortInstant(r.answeredAt, now) : null, due: deadlineView(r.dueAt, now, r.status === 'open'),
      })),
      pagination: pages > 1 ? {
        previous: filter.page > 1 ? { href: link(filter.page - 1) } : undefined,
        next: filter.page < pages ? { href: link(filter.page + 1) } : undefined,
      } : undefined,
    });
  });

  const showCheck = async (request: FastifyRequest, reply: FastifyReply, id: string, values: Body, extra: { errors?: PageErrors; flash?: string } = {}) => {
    signedIn(request);
    const check = await runOrNotFound(request.gate, 'agency_check.answer', 'The agency check', (scope) => viewAgencyCheck(scope, id));
    const known = one(values['knownToAgency']);
    return reply.render('frontdoor/pages/check.njk', {
      pageTitle: `Agency check: ${fullName(check.child)}`,
      backLink: '/checks',
      check: { ...checkPage(check, new Date()), version: one(values['version']) ?? check.version },
      knownItems: knownToAgencyValues.map((v) => ({ value: v, text: knownToAgencyLabels[v], checked: known === v })),
      values: { involvement: one(values['involvement']) ?? '', concerns: one(values['concerns']) ?? '', history: one(values['history']) ?? '' },
      errors: extra.errors?.list, fieldErrors: extra.errors?.byField ?? {}, flash: extra.flash,
    });
  };

  app.get('/checks/:id', async (request, reply) => {
    const done = (request.query as { done?: string }).done;
    return showCheck(request, reply, idParam(request), {}, { flash: done ? flashes[done] : undefined });
  });

  app.post('/checks/:id', csrf, async (request, reply) => {
    signedIn(request);
    const id = idParam(request);
    const body = bodyOf(request);
    return withFormErrors(reply, async () => {
      await runOrNotFound(request.gate, 'agency_check.answer', 'The agency check', (scope) => answerAgencyCheck(scope, id, {
        version: versionOf(body), knownToAgency: one(body['knownToAgency']), involvement: one(body['involvement']),
        concerns: one(body['concerns']), history: one(body['history']),
      }));
      return reply.redirect(`/checks/${id}?done=answered`);
    }, (errors) => showCheck(request, reply, id, body, { errors }));
  });
}
