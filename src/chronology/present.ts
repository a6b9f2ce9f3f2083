// The chronology as the person's page shows it: the count line, the links that keep the filters
// while paging, and the GOV.UK pagination with gaps for long chronologies.
import type { PageErrors } from '../web/forms';
import { chronologyFilterSchema, noFilter, type ChildFilter, type Chronology, type ChronologyFilter, type FilterOption } from './chronology';

/** The address of the person's page showing the chronology with these filters, at its heading. */
export function chronologyHref(personId: string, filter: ChronologyFilter, page = 1): string {
  const query = new URLSearchParams();
  for (const agency of filter.agency) query.append('agency', agency);
  for (const kind of filter.kind) query.append('kind', kind);
  for (const child of filter.child) query.append('child', child);
  if (page > 1) query.set('page', String(page));
  const search = query.toString();
  return `/people/${personId}${search ? `?${search}` : ''}#chronology`;
}

const events = (n: number) => `${n} ${n === 1 ? 'event' : 'events'}`;

/** "Showing 12 of 40 events", and which of them are on this page when there are several pages. */
export function countText(c: Chronology): string {
  const first = (c.page - 1) * c.pageSize + 1;
  const last = Math.min(c.page * c.pageSize, c.matching);
  const range = c.pages > 1 ? ` (${first} to ${last} on this page)` : '';
  if (c.filtered) return `Showing ${c.matching} of ${events(c.total)}${range}`;
  return c.total === 1 ? 'Showing 1 event' : `Showing all ${events(c.total)}${range}`;
}

/** Page numbers to offer: the first, the last, and those next to the current one, with gaps as null. */
export function pageNumbers(page: number, pages: number): (number | null)[] {
  const wanted = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const numbers: (number | null)[] = [];
  for (const n of wanted) {
    const previous = numbers[numbers.length - 1];
    if (typeof previous === 'number' && n - previous === 2) numbers.push(previous + 1);
    else if (typeof previous === 'number' && n - previous > 2) numbers.push(null);
    numbers.push(n);
  }
  return numbers;
}

/** The govukPagination parameters, or undefined when everything fits on one page. */
export function pagination(personId: string, c: Chronology) {
  if (c.pages <= 1) return undefined;
  const href = (n: number) => chronologyHref(personId, c.filter, n);
  return {
    landmarkLabel: 'Chronology pages',
    previous: c.page > 1 ? { href: href(c.page - 1) } : undefined,
    next: c.page < c.pages ? { href: href(c.page + 1) } : undefined,
    items: pageNumbers(c.page, c.pages).map((n) => (n === null ? { ellipsis: true } : { number: n, href: href(n), current: n === c.page })),
  };
}

/**
 * The filters from the page's query. Bad values are named on the page (each field once, linked to
 * its checkboxes) and the chronology is shown unfiltered.
 */
export function parseChronologyFilter(query: unknown): { filter: ChronologyFilter; errors?: PageErrors } {
  const parsed = chronologyFilterSchema.safeParse(query ?? {});
  if (parsed.success) return { filter: parsed.data };
  const errors: PageErrors = { list: [], byField: {} };
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'page');
    if (errors.byField[field]) continue;
    errors.byField[field] = { text: issue.message };
    errors.list.push({ text: issue.message, href: field === 'page' ? '#chronology' : `#${field}` });
  }
  return { filter: noFilter, errors };
}

/** govukCheckboxes items for a filter: only what the chronology holds, with its count, ticked when chosen. */
export function checkboxItems(options: FilterOption[], chosen: readonly string[]) {
  return options.map((o) => ({ value: o.value, text: `${o.text} (${o.count})`, checked: chosen.includes(o.value) }));
}

/** For a child: how many events they were present at and how many hold their words, each linking to just those. */
export function childCounts(personId: string, c: Chronology) {
  const only = (child: ChildFilter) => chronologyHref(personId, { ...noFilter, child: [child] });
  return [
    { count: c.childPresentCount, text: c.childPresentCount === 1 ? 'event they were present at' : 'events they were present at', href: only('present') },
    { count: c.childVoiceCount, text: c.childVoiceCount === 1 ? 'event with their own words' : 'events with their own words', href: only('voice') },
  ];
}
