// Pages: find a person, and a person's page.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../server/app';
import { parseForm } from '../web/forms';
import { signedIn } from '../web/guards';
import { personChronology } from '../chronology/chronology';
import { checkboxItems, childCounts, countText, pagination, parseChronologyFilter } from '../chronology/present';
import { ageOn } from '../web/views';
import { loadPersonRisk } from '../risk';
import { accessLevel, limitSearchResults, nameOnlyPage, nameOnlyView, rememberAccessDecisions, requireFullAccess, sharingForPersonPage } from '../sharing';
import { notFound } from '../server/errors';
import { viewPerson, type PersonView } from './person';
import { viewAllegedPerpetrator } from './perpetrator';
import { relationshipLabel, sexLabels } from './relationship-labels';
import { pageSize, searchCriteriaSchema, searchPeople } from './search';

const personFlashes: Record<string, string> = {
  merged: 'The two people are now one. Everything recorded about both is shown here.',
  split: 'The records were split off. This is the person they now belong to.',
};

const relationshipWords: Record<string, string> = {
  alleged_perpetrator_of: 'Named as their alleged victim',
  partner_of: 'Partner',
  ex_partner_of: 'Ex-partner',
};

/**
 * The people around a person: those living with them now (with how they are related, if that is
 * recorded) and everyone else they have a relationship with, each person once with every
 * relationship between them.
 */
function peopleAround(person: PersonView) {
  const byPerson = new Map<string, { personId: string; givenName: string | null; familyName: string | null; dateOfBirth: string | null; relationships: { label: string; toDate: string | null; perpetrator: boolean }[] }>();
  for (const r of person.relationships) {
    const entry = byPerson.get(r.personId) ?? { personId: r.personId, givenName: r.givenName, familyName: r.familyName, dateOfBirth: r.dateOfBirth, relationships: [] };
    // The other person named as this one's alleged perpetrator stands out wherever they are listed.
    entry.relationships.push({ label: relationshipLabel(r.kind, r.direction), toDate: r.toDate, perpetrator: r.kind === 'alleged_perpetrator_of' && r.direction === 'incoming' });
    byPerson.set(r.personId, entry);
  }
  const livingWith = new Set(person.households.flatMap((h) => h.members.map((m) => m.personId)));
  return {
    households: person.households.map((h) => ({
      ...h,
      members: h.members.map((m) => ({ ...m, relationships: byPerson.get(m.personId)?.relationships ?? [] })),
    })),
    otherRelationships: [...byPerson.values()].filter((p) => !livingWith.has(p.personId)),
  };
}

export async function registerPeopleRoutes(app: FastifyInstance, _services: Services): Promise<void> {
  app.get('/people', async (request, reply) => {
    signedIn(request);
    const query = request.query as Record<string, string | undefined>;
    const searched = ['name', 'dateOfBirth', 'nhsNumber', 'postcode'].some((k) => k in query);
    const values = { name: query.name ?? '', dateOfBirth: query.dateOfBirth ?? '', nhsNumber: query.nhsNumber ?? '', postcode: query.postcode ?? '' };
    const context = { pageTitle: 'Find a person', values };
    if (!searched) {
      await request.gate.require('person.search');
      return reply.render('people/pages/search.njk', context);
    }
    const form = parseForm(searchCriteriaSchema, query);
    if (!form.ok) {
      await request.gate.require('person.search');
      return reply.code(400).render('people/pages/search.njk', { ...context, errors: form.errors.list, fieldErrors: form.errors.byField });
    }
    const criteria = form.data;
    const found = await request.gate.run('person.search', async (scope) => {
      const result = await limitSearchResults(scope, await searchPeople(scope, criteria));
      const { page: _page, ...terms } = criteria;
      scope.audit({ action: 'person.search', details: { criteria: terms, page: criteria.page, results: result.results.map((r) => r.id) } });
      return result;
    });
    const pages = Math.ceil(found.total / pageSize);
    const link = (page: number) => `/people?${new URLSearchParams({ ...values, page: String(page) }).toString()}`;
    return reply.render('people/pages/search.njk', {
      ...context,
      results: found.results.map((r) => ({ ...r, sexLabel: r.sex ? sexLabels[r.sex] : null })),
      total: found.total,
      pagination: pages > 1
        ? {
            previous: criteria.page > 1 ? { href: link(criteria.page - 1) } : undefined,
            next: criteria.page < pages ? { href: link(criteria.page + 1) } : undefined,
            items: Array.from({ length: Math.min(pages, 10) }, (_, i) => ({ number: i + 1, href: link(i + 1), current: i + 1 === criteria.page })),
          }
        : undefined,
    });
  });

  app.get('/people/:id', async (request, reply) => {
    signedIn(request);
    const { id } = z.object({ id: z.string().max(100) }).parse(request.params);
    const { filter, errors } = parseChronologyFilter(request.query);
    const seen = await request.gate.run('person.view', async (scope) => {
      rememberAccessDecisions(scope);
      // Need to know: without involvement, a name-only view or nothing at all.
      const level = await accessLevel(scope, id);
      if (level === 'name_only') return { nameOnly: await nameOnlyView(scope, id) };
      if (level === 'none') {
        scope.audit({ action: 'person.view', recordType: 'person', recordId: id });
        throw notFound('The person');
      }
      const person = await viewPerson(scope, id);
      // A person merged into another is shown as the one they were merged into.
      if (person.id !== id) return { redirectTo: person.id };
      const [chronology, risk, sharing] = await Promise.all([
        personChronology(scope, person.id, filter), loadPersonRisk(scope, person.id), sharingForPersonPage(scope, person.id),
      ]);
      return { page: { person, chronology, risk, sharing } };
    });
    if (seen.nameOnly) return reply.render('sharing/pages/name-only.njk', nameOnlyPage(seen.nameOnly, request.gate));
    if (!seen.page) return reply.redirect(`/people/${seen.redirectTo}`);
    const { person, chronology, risk, sharing } = seen.page;
    const done = (request.query as { done?: string }).done;
    const name = [person.givenName, person.familyName].filter(Boolean).join(' ') || 'Person';
    return reply.code(errors ? 400 : 200).render('people/pages/person.njk', {
      pageTitle: name,
      person: { ...person, sexLabel: person.sex ? sexLabels[person.sex] : 'Not recorded', name },
      isChild: person.dateOfBirth ? ageOn(person.dateOfBirth) < 18 : person.expectedDateOfBirth !== null,
      ...peopleAround(person),
      chronology,
      risk,
      sharing,
      chronologyCount: countText(chronology),
      chronologyPagination: pagination(person.id, chronology),
      childCounts: childCounts(person.id, chronology),
      filterItems: {
        agency: checkboxItems(chronology.options.agencies, chronology.filter.agency),
        kind: checkboxItems(chronology.options.kinds, chronology.filter.kind),
        child: checkboxItems(chronology.options.child, chronology.filter.child),
      },
      errors: errors?.list,
      fieldErrors: errors?.byField,
      canMerge: request.gate.can('identity.merge'),
      flash: done ? personFlashes[done] : undefined,
      backLink: '/people',
    });
  });

  app.get('/people/:id/perpetrator', async (request, reply) => {
    signedIn(request);
    const { id } = z.object({ id: z.string().max(100) }).parse(request.params);
    const view = await request.gate.run('person.view', async (scope) => {
      await requireFullAccess(scope, id, 'person.view_perpetrator');
      return viewAllegedPerpetrator(scope, id);
    });
    if (view.personId !== id) return reply.redirect(`/people/${view.personId}/perpetrator`);
    return reply.render('people/pages/perpetrator.njk', {
      pageTitle: `${[view.givenName, view.familyName].filter(Boolean).join(' ') || 'Person'}: alleged perpetrator`,
      view,
      relationshipWords,
      backLink: `/people/${view.personId}`,
    });
  });
}
