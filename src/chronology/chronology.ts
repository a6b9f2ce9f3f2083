// A person's multi-agency chronology: every event any agency recorded with them in it, newest
// first, with their part in it, the others in it and, for a child, whether they were there, where,
// how they seemed and what they said. Filterable by agency, by type of event and (for a child) by
// presence and words; paged. Sealed addresses are withheld in the query, as on the rest of the
// person's page: a place, a detail, a summary or a child's words that name one never leave the
// database for a viewer without `address.view_confidential`.
//
// This is part of the person's page: it runs in the same gated transaction as viewPerson, whose
// `person.view` audit event records the view; filtering and paging are the same view.
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import type { EventPersonRole } from '../db/schema';
import { uuidPattern } from '../db/uuid';
import { addressColumn, safeDetails, safeEventText, safeSummary } from '../frontdoor/sealed';
import { notFound } from '../server/errors';
import { currentPersonId } from '../sharing/involvement';
import { describeDetails, type ChildDetails, type Fact } from './details';
import { eventKinds, isEventKind, type EventKind } from './event-kinds';

export const chronologyPageSize = 25;

const eventKindValues = Object.keys(eventKinds) as [EventKind, ...EventKind[]];
export const childFilters = ['present', 'voice'] as const;
export type ChildFilter = (typeof childFilters)[number];

/** A query parameter given once arrives as a string, given several times (ticked boxes) as a list. */
const listOf = <T extends z.ZodType>(item: T, most: string) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(50, most));

/** The filters of the chronology, from the page's GET form. */
export const chronologyFilterSchema = z.object({
  agency: listOf(z.string().regex(uuidPattern, 'Choose agencies from the list'), 'Choose at most 50 agencies'),
  kind: listOf(z.enum(eventKindValues, { error: 'Choose types of event from the list' }), 'Choose at most 50 types of event'),
  child: listOf(z.enum(childFilters, { error: 'Choose what the child filter shows from the list' }), 'Choose from the list'),
  page: z.preprocess(
    (v) => (v === undefined || v === '' ? 1 : v),
    z.coerce.number({ error: 'Page must be a whole number' }).int('Page must be a whole number').min(1, 'Page must be 1 or more').max(100_000, 'Page must be 100000 or less'),
  ),
});

export type ChronologyFilter = z.output<typeof chronologyFilterSchema>;

export const noFilter: ChronologyFilter = { agency: [], kind: [], child: [], page: 1 };

export const roleLabels: Record<EventPersonRole, string> = {
  child: 'Child',
  adult_victim: 'Adult victim',
  alleged_perpetrator: 'Alleged perpetrator',
  subject: 'Subject',
  other: 'Also involved',
};

export interface OtherPerson {
  personId: string;
  name: string;
  role: EventPersonRole;
  roleLabel: string;
  /** For a child in the event: whether they were present. */
  childPresent: boolean | null;
}

export interface EventPlace {
  /** The place, or null when it is sealed for this viewer. */
  text: string | null;
  /** A confidential address this viewer may not see: say only that it is withheld. */
  sealed: boolean;
  /** A confidential address this viewer may see. */
  confidential: boolean;
}

export interface ChronologyEntry {
  eventId: string;
  kind: string;
  kindLabel: string;
  agencyName: string;
  occurredAt: Date;
  sourceRef: string | null;
  summary: string;
  /** The part the person whose page this is played in it. */
  role: EventPersonRole;
  roleLabel: string;
  childPresent: boolean | null;
  /** The child's own words, exactly as recorded. */
  childVoice: string | null;
  child: ChildDetails;
  place: EventPlace | null;
  facts: Fact[];
  others: OtherPerson[];
}

export interface FilterOption {
  value: string;
  text: string;
  count: number;
}

export interface Chronology {
  entries: ChronologyEntry[];
  /** Every event of the person, whatever the filters. */
  total: number;
  /** The events the filters let through. */
  matching: number;
  /** The filters applied, the page brought within range. */
  filter: ChronologyFilter;
  filtered: boolean;
  page: number;
  pages: number;
  pageSize: number;
  /** Only what is in this person's chronology, with how many events each has. */
  options: { agencies: FilterOption[]; kinds: FilterOption[]; child: FilterOption[] };
  /** Over the whole chronology: events they were present at, and events with their own words. */
  childPresentCount: number;
  childVoiceCount: number;
}

interface Group {
  agency_id: string;
  agency_name: string;
  kind: string;
  events: number;
  present: number;
  voice: number;
  present_and_voice: number;
}

const kindLabel = (kind: string) => (isEventKind(kind) ? eventKinds[kind] : kind.replaceAll('_', ' '));
const nameOf = (p: { given_name: string | null; family_name: string | null }) => [p.given_name, p.family_name].filter(Boolean).join(' ') || 'Name not known';

/** How many of a group's events pass the child filters. */
function passing(g: Group, child: readonly ChildFilter[]): number {
  const present = child.includes('present');
  const voice = child.includes('voice');
  return present && voice ? g.present_and_voice : present ? g.present : voice ? g.voice : g.events;
}

function tally(groups: Group[], key: (g: Group) => string, text: (g: Group) => string): FilterOption[] {
  const options = new Map<string, FilterOption>();
  for (const g of groups) {
    const value = key(g);
    const option = options.get(value) ?? { value, text: text(g), count: 0 };
    option.count += g.events;
    options.set(value, option);
  }
  return [...options.values()].sort((a, b) => a.text.localeCompare(b.text));
}

export async function personChronology(scope: Scope, personId: string, requested: ChronologyFilter): Promise<Chronology> {
  // Only a person's own page has a chronology: not an id merged into another (nor a mistyped one).
  if ((await currentPersonId(scope, personId)) !== personId) throw notFound('The person');

  const groupsOfEvents = scope.db
    .selectFrom('event_person as ep')
    .innerJoin('event as e', 'e.id', 'ep.event_id')
    .innerJoin('agency as g', 'g.id', 'e.agency_id')
    .select([
      'e.agency_id', 'g.name as agency_name', 'e.kind',
      sql<number>`count(*)::int`.as('events'),
      sql<number>`(count(*) FILTER (WHERE ep.child_present))::int`.as('present'),
      sql<number>`(count(*) FILTER (WHERE ep.child_voice IS NOT NULL))::int`.as('voice'),
      sql<number>`(count(*) FILTER (WHERE ep.child_present AND ep.child_voice IS NOT NULL))::int`.as('present_and_voice'),
    ])
    .where('ep.person_id', '=', personId)
    .groupBy(['e.agency_id', 'g.name', 'e.kind'])
    .execute();

  const canSeeSealed = scope.can('address.view_confidential');
  const eventsOnPage = (page: number) => scope.db
    .selectFrom('event_person as ep')
    .innerJoin('event as e', 'e.id', 'ep.event_id')
    .innerJoin('agency as g', 'g.id', 'e.agency_id')
    .leftJoin('address as a', 'a.id', 'e.address_id')
    .select((eb) => [
      'e.id', 'e.kind', 'g.name as agency_name', 'e.occurred_at', 'e.source_ref', 'ep.role', 'ep.child_present', 'a.confidential',
      safeSummary(canSeeSealed).as('summary'),
      safeDetails(canSeeSealed).as('details'),
      safeEventText(canSeeSealed, sql`ep.child_voice`).as('child_voice'),
      addressColumn(canSeeSealed, 'line1').as('line1'), addressColumn(canSeeSealed, 'line2').as('line2'),
      addressColumn(canSeeSealed, 'town').as('town'), addressColumn(canSeeSealed, 'postcode').as('postcode'),
      // The other people of each event, children first.
      jsonArrayFrom(
        eb.selectFrom('event_person as o')
          .innerJoin('person as p', 'p.id', 'o.person_id')
          .select(['o.role', 'o.child_present', 'p.id', 'p.given_name', 'p.family_name'])
          .whereRef('o.event_id', '=', 'e.id')
          .where('o.person_id', '<>', personId)
          .orderBy(sql`CASE o.role WHEN 'child' THEN 0 WHEN 'adult_victim' THEN 1 WHEN 'alleged_perpetrator' THEN 2 WHEN 'subject' THEN 3 ELSE 4 END`)
          .orderBy('p.date_of_birth')
          .orderBy('p.id'),
      ).as('others'),
    ])
    .where('ep.person_id', '=', personId)
    .$if(requested.agency.length > 0, (q) => q.where('e.agency_id', 'in', requested.agency))
    .$if(requested.kind.length > 0, (q) => q.where('e.kind', 'in', requested.kind))
    .$if(requested.child.includes('present'), (q) => q.where('ep.child_present', '=', true))
    .$if(requested.child.includes('voice'), (q) => q.where('ep.child_voice', 'is not', null))
    .orderBy('e.occurred_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(chronologyPageSize)
    .offset((page - 1) * chronologyPageSize)
    .execute();

  // The page asked for is read alongside the counts; only a page past the end (the events
  // changed, or a hand-made address), which shows the last page instead, waits for them.
  const [groups, asked] = await Promise.all([groupsOfEvents, eventsOnPage(requested.page)]);
  const filtered = requested.agency.length + requested.kind.length + requested.child.length > 0;
  const matching = groups
    .filter((g) => (requested.agency.length === 0 || requested.agency.includes(g.agency_id)) && (requested.kind.length === 0 || requested.kind.includes(g.kind as EventKind)))
    .reduce((sum, g) => sum + passing(g, requested.child), 0);
  const pages = Math.max(1, Math.ceil(matching / chronologyPageSize));
  const page = Math.min(requested.page, pages);
  const rows = page === requested.page ? asked : await eventsOnPage(page);

  const entries = rows.map((r): ChronologyEntry => {
    const described = describeDetails({ kind: r.kind, summary: r.summary, sourceRef: r.source_ref, details: r.details }, personId);
    const sealedAddress = r.confidential === true && !canSeeSealed;
    const address = [r.line1, r.line2, r.town, r.postcode].filter(Boolean).join(', ');
    let place: EventPlace | null = null;
    if (sealedAddress || described.locationWithheld) place = { text: null, sealed: true, confidential: true };
    else if (described.location) place = { text: described.location, sealed: false, confidential: r.confidential === true };
    else if (address) place = { text: address, sealed: false, confidential: r.confidential === true };
    return {
      eventId: r.id,
      kind: r.kind,
      kindLabel: kindLabel(r.kind),
      agencyName: r.agency_name,
      occurredAt: r.occurred_at,
      sourceRef: r.source_ref,
      summary: r.summary,
      role: r.role,
      roleLabel: roleLabels[r.role],
      childPresent: r.child_present,
      childVoice: r.child_voice,
      child: described.child,
      place,
      facts: described.facts,
      others: r.others.map((o) => ({
        personId: o.id, name: nameOf(o), role: o.role, roleLabel: roleLabels[o.role], childPresent: o.role === 'child' ? o.child_present : null,
      })),
    };
  });

  const childPresentCount = groups.reduce((sum, g) => sum + g.present, 0);
  const childVoiceCount = groups.reduce((sum, g) => sum + g.voice, 0);
  return {
    entries,
    total: groups.reduce((sum, g) => sum + g.events, 0),
    matching,
    filter: { ...requested, page },
    filtered,
    page,
    pages,
    pageSize: chronologyPageSize,
    options: {
      agencies: tally(groups, (g) => g.agency_id, (g) => g.agency_name),
      kinds: tally(groups, (g) => g.kind, (g) => kindLabel(g.kind)),
      child: [
        ...(childPresentCount > 0 ? [{ value: 'present', text: 'Only events they were present at', count: childPresentCount }] : []),
        ...(childVoiceCount > 0 ? [{ value: 'voice', text: 'Only events with their own words', count: childVoiceCount }] : []),
      ],
    },
    childPresentCount,
    childVoiceCount,
  };
}
