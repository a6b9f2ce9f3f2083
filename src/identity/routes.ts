// Pages of identity resolution: the review queue and a review; merging a person with another
// (found by search); splitting a person's records off into another (unmerge).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Gate, Scope } from '../access/gate';
import type { Permission } from '../access/permissions';
import { searchCriteriaSchema, searchPeople } from '../people/search';
import type { Services } from '../server/app';
import { notFound } from '../server/errors';
import { parseForm, withFormErrors, type PageErrors } from '../web/forms';
import { signedIn } from '../web/guards';
import { hardEvidenceAgainst, livePersonId, mergePersons, splitPerson } from './merge';
import { readRecords, type RecordView } from './records';
import { decideReview, decisionSchema, listOpenReviews, reviewPageSize, viewReview, type ReviewView } from './review';

type Body = Record<string, string | string[] | undefined>;
const idParam = (request: FastifyRequest): string => z.object({ id: z.string().max(100) }).parse(request.params).id;
const pageOf = (request: FastifyRequest): number => z.coerce.number().int().min(1).max(10_000).catch(1).parse((request.query as { page?: string }).page);

/** Someone whose role may not do this at all gets "not found" (the refusal audited), like a record outside their area. */
async function runOrNotFound<T>(gate: Gate, permission: Permission, what: string, work: (scope: Scope) => Promise<T>): Promise<T> {
  if (!gate.can(permission)) {
    await gate.require(permission).catch(() => undefined);
    throw notFound(what);
  }
  return gate.run(permission, work);
}

export const causeText: Record<string, string> = {
  uncertain: 'The match is uncertain: too likely to ignore, not certain enough to link without a person deciding.',
  different_nhs_numbers: 'The match is strong, but the two have different valid NHS numbers, so they were not linked.',
  different_dates_of_birth: 'The names match, but the dates of birth are more than a year apart (not a keying slip) and no NHS number agrees, so they were not linked.',
  evidence_against: 'The match is strong, but another record of this person is very unlike this one, so they were not linked.',
  named_apart: 'The match is strong, but both were named as different people in the same notification, so they were not linked.',
  updated_record: 'This record was updated by its agency and now also matches another person.',
};

const decisionLabels: Record<string, string> = { same: 'Same person', different: 'Different people', not_sure: 'Not sure' };

const percent = (p: number) => {
  const value = p * 100;
  if (value > 99.9 && value < 100) return 'over 99.9%';
  return `${value < 10 ? value.toFixed(1) : Math.round(value)}%`;
};

const fullName = (r: { givenName: string | null; familyName: string | null }) => [r.givenName, r.familyName].filter(Boolean).join(' ') || 'Name not known';

const flashes: Record<string, string> = {
  same: 'Recorded as the same person. The records are now one person.',
  different: 'Recorded as different people. They will not be proposed again.',
  not_sure: 'Recorded as not sure. The match stays in the queue with your note.',
};

export async function registerIdentityRoutes(app: FastifyInstance, _services: Services): Promise<void> {
  const csrf = { preHandler: app.csrfProtection };

  app.get('/identity/reviews', async (request, reply) => {
    signedIn(request);
    const page = pageOf(request);
    const { items, total } = await request.gate.run('identity.review', (scope) => listOpenReviews(scope, page));
    const pages = Math.ceil(total / reviewPageSize);
    const link = (n: number) => `/identity/reviews?page=${n}`;
    return reply.render('identity/pages/reviews.njk', {
      pageTitle: 'Possible matches to review',
      total,
      items: items.map((i) => ({ ...i, recordName: fullName(i.record), candidateName: fullName(i.candidate), probabilityText: percent(i.probability) })),
      flash: typeof (request.query as { done?: string }).done === 'string' ? flashes[(request.query as { done: string }).done] : undefined,
      pagination: pages > 1
        ? {
            previous: page > 1 ? { href: link(page - 1) } : undefined,
            next: page < pages ? { href: link(page + 1) } : undefined,
            items: Array.from({ length: Math.min(pages, 10) }, (_, i) => ({ number: i + 1, href: link(i + 1), current: i + 1 === page })),
          }
        : undefined,
    });
  });

  const showReview = async (reply: FastifyReply, id: string, errors?: PageErrors, values: Body = {}) => {
    const review: ReviewView = await runOrNotFound(reply.request.gate, 'identity.review', 'The review', (scope) => viewReview(scope, id));
    return reply.render('identity/pages/review.njk', {
      pageTitle: `Is ${fullName(review.incoming)} the same person as ${fullName(review.candidate)}?`,
      backLink: '/identity/reviews',
      review: {
        ...review,
        incomingName: fullName(review.incoming),
        candidateName: fullName(review.candidate),
        probabilityText: percent(review.probability),
        causeText: causeText[review.cause] ?? review.cause,
        history: review.history.map((h) => ({ ...h, label: decisionLabels[h.decision] })),
      },
      evidenceFor: review.evidence.filter((e) => e.direction === 'for'),
      evidenceAgainst: review.evidence.filter((e) => e.direction === 'against'),
      evidenceNone: review.evidence.filter((e) => e.direction === 'none'),
      values,
      errors: errors?.list,
      fieldErrors: errors?.byField ?? {},
    });
  };

  app.get('/identity/reviews/:id', async (request, reply) => {
    signedIn(request);
    return showReview(reply, idParam(request));
  });

  app.post('/identity/reviews/:id', csrf, async (request, reply) => {
    signedIn(request);
    const id = idParam(request);
    const body = (request.body ?? {}) as Body;
    const form = parseForm(decisionSchema, body);
    if (!form.ok) return showReview(reply.code(400), id, form.errors, body);
    return withFormErrors(
      reply,
      async () => {
        await runOrNotFound(request.gate, 'identity.review', 'The review', (scope) => decideReview(scope, id, form.data));
        return reply.redirect(`/identity/reviews?done=${form.data.decision}`);
      },
      (errors) => showReview(reply, id, errors, body),
    );
  });

  // Merging: find the other person, compare, give the reason.
  app.get('/people/:id/merge', async (request, reply) => {
    signedIn(request);
    const id = idParam(request);
    const query = request.query as Record<string, string | undefined>;
    const values = { name: query.name ?? '', dateOfBirth: query.dateOfBirth ?? '', nhsNumber: query.nhsNumber ?? '', postcode: '' };
    const searched = ['name', 'dateOfBirth', 'nhsNumber'].some((k) => k in query);
    const form = searched ? parseForm(searchCriteriaSchema, values) : null;
    const result = await runOrNotFound(request.gate, 'identity.merge', 'The person', async (scope) => {
      const person = await personSummary(scope, id);
      if (!form?.ok) return { person, found: null };
      const found = await searchPeople(scope, form.data);
      scope.audit({ action: 'person.search', details: { purpose: 'merge', results: found.results.map((r) => r.id) } });
      return { person, found: { ...found, results: found.results.filter((r) => r.id !== person.id) } };
    });
    if (result.person.id !== id) return reply.redirect(`/people/${result.person.id}/merge`);
    return reply.code(form && !form.ok ? 400 : 200).render('identity/pages/merge-find.njk', {
      pageTitle: `Merge ${result.person.name} with another person`,
      backLink: `/people/${id}`,
      person: result.person,
      values,
      results: result.found?.results,
      errors: form && !form.ok ? form.errors.list : undefined,
      fieldErrors: form && !form.ok ? form.errors.byField : {},
    });
  });

  const showMerge = async (reply: FastifyReply, id: string, otherId: string, errors?: PageErrors, values: Body = {}) => {
    const compared = await runOrNotFound(reply.request.gate, 'identity.merge', 'The person', async (scope) => {
      const [person, other] = [await personSummary(scope, id), await personSummary(scope, otherId)];
      const blockedBecause = person.id === other.id ? 'These are already the same person.' : await hardEvidenceAgainst(scope.db, person.id, other.id);
      return { person, other, blockedBecause };
    });
    return reply.render('identity/pages/merge.njk', {
      pageTitle: `Merge ${compared.other.name} into ${compared.person.name}`,
      backLink: `/people/${id}/merge`,
      ...compared,
      values,
      errors: errors?.list,
      fieldErrors: errors?.byField ?? {},
    });
  };

  app.get('/people/:id/merge/:otherId', async (request, reply) => {
    signedIn(request);
    const { id, otherId } = z.object({ id: z.string().max(100), otherId: z.string().max(100) }).parse(request.params);
    return showMerge(reply, id, otherId);
  });

  const reasonSchema = z.object({ reason: z.string().trim().min(1, { error: 'Enter the reason' }).max(2000, { error: 'The reason must be 2,000 characters or fewer' }) });

  app.post('/people/:id/merge/:otherId', csrf, async (request, reply) => {
    signedIn(request);
    const { id, otherId } = z.object({ id: z.string().max(100), otherId: z.string().max(100) }).parse(request.params);
    const body = (request.body ?? {}) as Body;
    const form = parseForm(reasonSchema, body);
    if (!form.ok) return showMerge(reply.code(400), id, otherId, form.errors, body);
    return withFormErrors(
      reply,
      async () => {
        const merged = await runOrNotFound(request.gate, 'identity.merge', 'The person', (scope) => mergePersons(scope, { keepPersonId: id, mergePersonId: otherId, reason: form.data.reason }));
        return reply.redirect(`/people/${merged.keptPersonId}?done=merged`);
      },
      (errors) => showMerge(reply, id, otherId, errors, body),
    );
  });

  // Splitting (unmerge): choose the records that are someone else.
  const showSplit = async (reply: FastifyReply, id: string, errors?: PageErrors, values: { records?: string[]; reason?: string } = {}) => {
    const person = await runOrNotFound(reply.request.gate, 'identity.merge', 'The person', (scope) => personSummary(scope, id));
    if (person.id !== id) return reply.redirect(`/people/${person.id}/split`);
    return reply.render('identity/pages/split.njk', {
      pageTitle: `Split records off ${person.name}`,
      backLink: `/people/${id}`,
      person,
      recordItems: person.records.map((r) => ({
        value: r.id,
        text: `${r.agencyName} (${r.sourceRef}): ${fullName(r)}${r.dateOfBirth ? `, born ${r.dateOfBirth}` : ''}`,
        checked: values.records?.includes(r.id) ?? false,
      })),
      values,
      errors: errors?.list,
      fieldErrors: errors?.byField ?? {},
    });
  };

  app.get('/people/:id/split', async (request, reply) => {
    signedIn(request);
    return showSplit(reply, idParam(request));
  });

  app.post('/people/:id/split', csrf, async (request, reply) => {
    signedIn(request);
    const id = idParam(request);
    const body = (request.body ?? {}) as Body;
    const records = (Array.isArray(body['records']) ? body['records'] : body['records'] ? [body['records']] : []).filter((r) => /^[0-9a-f-]{36}$/i.test(r));
    const reason = typeof body['reason'] === 'string' ? body['reason'] : '';
    return withFormErrors(
      reply,
      async () => {
        const split = await runOrNotFound(request.gate, 'identity.merge', 'The person', (scope) => splitPerson(scope, { personId: id, agencyRecordIds: records, reason }));
        return reply.redirect(`/people/${split.toPersonId}?done=split`);
      },
      (errors) => showSplit(reply, id, errors, { records, reason }),
    );
  });
}

export interface PersonSummary {
  id: string;
  name: string;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  records: RecordView[];
}

/** A person with every agency record linked to them, for the merge and split pages (a read of the person, audited). */
async function personSummary(scope: Scope, requestedId: string): Promise<PersonSummary> {
  scope.audit({ action: 'person.view', recordType: 'person', recordId: requestedId, details: { purpose: 'merge_or_split' } });
  const id = await livePersonId(scope.db, requestedId);
  if (!id) throw notFound('The person');
  const person = await scope.db.selectFrom('person').select(['id', 'given_name', 'family_name', 'date_of_birth', 'nhs_number']).where('id', '=', id).executeTakeFirstOrThrow();
  const recordIds = await scope.db.selectFrom('agency_record').select('id').where('person_id', '=', id).orderBy('recorded_at').orderBy('id').execute();
  scope.audit({ action: 'person.view', recordType: 'person', recordId: id, subjectPersonId: id, details: { purpose: 'merge_or_split' } });
  return {
    id,
    name: fullName({ givenName: person.given_name, familyName: person.family_name }),
    dateOfBirth: person.date_of_birth,
    nhsNumber: person.nhs_number,
    records: await readRecords(scope.db, recordIds.map((r) => r.id), scope.can('address.view_confidential')),
  };
}
