// Finding people by name, date of birth, NHS number and postcode, despite typos, nicknames,
// phonetic spellings, dropped letters and swapped dates: the linkage engine's own normalisation
// finds candidates through the registry's indexed keys (see probeOf), or, when they find no one,
// through the name's trigrams (a dropped letter: "Grham"), then scores their names with the area's
// model, so "Bex Smith" finds Rebecca Smith and ranks her above a Becky Smythe. A confidential address is never a way to find someone unless the searcher may
// see it, otherwise a search by a refuge's postcode would reveal who lives there; for the same
// reason no key made from an address is looked up.
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { isValidCalendarDate } from '../chronology/dates';
import { activeModelId, starterModel, storedModel } from '../identity/model';
import { blockingKeys, nameTokens, nameVariants, normaliseRecord, type NormalisedRecord, type Scorer } from '../linkage';
import { formatPostcode, searchRules } from '../identity/features';

export const searchCriteriaSchema = z
  .object({
    name: z.string().trim().max(100, 'Name must be 100 characters or fewer').optional().transform((v) => v || undefined),
    dateOfBirth: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .refine((v) => v === undefined || isValidCalendarDate(v), 'Date of birth must be a real date, like 2015-03-27'),
    nhsNumber: z
      .string()
      .optional()
      .transform((v) => v?.replace(/\s+/g, '') || undefined)
      .refine((v) => v === undefined || /^\d{10}$/.test(v), 'NHS number must be 10 digits'),
    postcode: z
      .string()
      .trim()
      .max(10, 'Postcode must be 10 characters or fewer')
      .optional()
      .transform((v) => (v ? v.toUpperCase().replace(/\s+/g, ' ') : undefined)),
    page: z.coerce.number().int().min(1).max(1000).default(1),
  })
  .refine((c) => c.name || c.dateOfBirth || c.nhsNumber || c.postcode, {
    path: ['name'],
    message: 'Enter a name, date of birth, NHS number or postcode',
  })
  .refine((c) => !c.name || c.name.replace(/[^\p{L}]/gu, '').length >= 2, { path: ['name'], message: 'Name must have at least 2 letters' });

export type SearchCriteria = z.infer<typeof searchCriteriaSchema>;

export interface PersonSearchResult {
  id: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  sex: string | null;
  agencies: string[];
  score: number;
}

export const pageSize = 20;
/** Records read per key, and in all: a search that finds more is asked to narrow down. */
const perKeyCap = 300;
const candidateCap = 2_000;

/** Swaps day and month of a 'YYYY-MM-DD' date when the result is a real date. */
function swappedDayMonth(date: string): string | null {
  const [y, m, d] = date.split('-');
  const swapped = `${y}-${d}-${m}`;
  return swapped !== date && isValidCalendarDate(swapped) ? swapped : null;
}

// Name levels that make a candidate worth showing for the name typed (anything but "different").
const plausibleGiven = new Set(['exact', 'nickname', 'jaro_winkler_0.92', 'phonetic', 'jaro_winkler_0.8', 'initial']);
const plausibleFamily = new Set(['exact', 'part', 'jaro_winkler_0.92', 'phonetic', 'jaro_winkler_0.8']);

interface Probe {
  /** The name as typed, and with its first and last words the other way round. */
  variants: NormalisedRecord[];
  /** One word: it may be a given name or a family name. */
  single: boolean;
  keys: string[];
}

const nameOnly = (given: string, family: string, dob?: string): NormalisedRecord =>
  normaliseRecord({ id: 'search', source: 0, fields: { given_name: given ? [given] : [], family_name: family ? [family] : [], dob: dob ? [dob] : [] } });

/**
 * The typed name as the linker sees it, and the registry keys its records could be filed under:
 * every nickname or variant of the given name with the family name, the sounds of both names
 * either way round, the family name with the given initial, and (with a date of birth) the given
 * name with the birthday; a single word as a given or a family name.
 */
function probeOf(name: string | undefined, dates: readonly string[]): Probe | null {
  if (!name) return null;
  const tokens = nameTokens(name);
  if (tokens.length === 0) return null;
  const keys = new Set<string>();
  const add = (record: NormalisedRecord, rules: readonly string[]) => {
    for (const key of blockingKeys(record, searchRules)) if (rules.includes(key.slice(0, key.indexOf(':')))) keys.add(key);
  };
  if (tokens.length === 1) {
    const only = tokens[0] as string;
    for (const variant of nameVariants(only)) {
      add(nameOnly(variant, ''), ['given']);
      for (const date of dates) add(nameOnly(variant, '', date), ['given_birthday']);
    }
    add(nameOnly('', only), ['family']);
    return { variants: [nameOnly(only, ''), nameOnly('', only)], single: true, keys: [...keys] };
  }
  const given = tokens[0] as string;
  const family = tokens.slice(1).join('');
  const straight = nameOnly(given, family);
  const swapped = nameOnly(tokens[tokens.length - 1] as string, tokens.slice(0, -1).join(''));
  for (const record of [straight, swapped]) add(record, ['name_sounds', 'family_initial']);
  for (const variant of nameVariants(given)) {
    add(nameOnly(variant, family), ['names']);
    for (const date of dates) add(nameOnly(variant, family, date), ['given_birthday']);
  }
  return { variants: [straight, swapped], single: false, keys: [...keys] };
}

interface CandidateRow {
  person_id: string;
  given_name: string | null;
  middle_names: string | null;
  family_name: string | null;
  date_of_birth: string | null;
}

/** How well a record answers the name typed, or null when its names are simply different. */
function nameScore(scorer: Scorer, probe: Probe, row: CandidateRow): number | null {
  const candidate = nameOnly(row.given_name ?? '', row.family_name ?? '', row.date_of_birth ?? undefined);
  let best: number | null = null;
  for (const variant of probe.variants) {
    const fields = scorer.explain(variant, candidate).fields;
    const given = fields.find((f) => f.comparison === 'given_name')?.level ?? null;
    const family = fields.find((f) => f.comparison === 'family_name')?.level ?? null;
    const plausible = probe.single
      ? (given !== null && plausibleGiven.has(given) && given !== 'initial') || (family !== null && plausibleFamily.has(family))
      : given !== null && plausibleGiven.has(given) && family !== null && plausibleFamily.has(family);
    if (!plausible) continue;
    const score = fields.filter((f) => f.comparison === 'given_name' || f.comparison === 'family_name').reduce((sum, f) => sum + f.weight, 0);
    if (best === null || score > best) best = score;
  }
  return best;
}

export async function searchPeople(scope: Scope, criteria: SearchCriteria): Promise<{ results: PersonSearchResult[]; total: number }> {
  const dates = criteria.dateOfBirth ? [criteria.dateOfBirth, swappedDayMonth(criteria.dateOfBirth)].filter((d): d is string => d !== null) : [];
  const probe = probeOf(criteria.name, dates);

  // Every criterion given must hold. Each is served by an index usable under row-level security
  // (equality only): the name by the registry's keys (each key's block read up to a cap), the date
  // by the date index, the NHS number by its index, the postcode through the address index. A
  // name the keys miss entirely is looked for again by its trigrams (migration 0008).
  const keyed = probe ? sql<string>`(
      SELECT h.agency_record_id FROM unnest(${probe.keys}::text[]) AS q(key)
      CROSS JOIN LATERAL (SELECT k.agency_record_id FROM identity_key k WHERE k.area_id = ${scope.actor.areaId} AND k.key = q.key LIMIT ${perKeyCap}) h)` : null;
  // The area's model is looked up alongside the records, not after them.
  const scorer = probe ? scorerFor(scope) : null;
  let best = await candidates(scope, criteria, probe, scorer, dates, keyed);
  if (probe && criteria.name && best.size === 0) {
    best = await candidates(scope, criteria, probe, scorer, dates, sql<string>`(SELECT hearth_records_named_like(${criteria.name}, ${perKeyCap}))`);
  }
  const ids = [...best.keys()];
  if (ids.length === 0) return { results: [], total: 0 };
  const persons = await scope.db
    .selectFrom('person')
    .select(['id', 'given_name', 'family_name', 'date_of_birth', 'sex'])
    .where('id', 'in', ids)
    .where('merged_into', 'is', null)
    .execute();
  persons.sort((a, b) =>
    (best.get(b.id) as number) - (best.get(a.id) as number) ||
    (a.family_name ?? '').localeCompare(b.family_name ?? '') ||
    (a.given_name ?? '').localeCompare(b.given_name ?? '') ||
    a.id.localeCompare(b.id));
  const page = persons.slice((criteria.page - 1) * pageSize, criteria.page * pageSize);
  const agencies = page.length
    ? await scope.db
        .selectFrom('agency_record as r')
        .innerJoin('agency as g', 'g.id', 'r.agency_id')
        .select(['r.person_id', 'g.name'])
        .where('r.person_id', 'in', page.map((p) => p.id))
        .distinct()
        .orderBy('g.name')
        .execute()
    : [];
  return {
    total: persons.length,
    results: page.map((p) => ({
      id: p.id,
      givenName: p.given_name,
      familyName: p.family_name,
      dateOfBirth: p.date_of_birth,
      sex: p.sex,
      score: best.get(p.id) as number,
      agencies: agencies.filter((a) => a.person_id === p.id).map((a) => a.name),
    })),
  };
}

/**
 * The people whose records meet every criterion given, each with their best record's name score
 * (0 without a name); `named` is the subquery of records the name could be (null without a name).
 */
async function candidates(
  scope: Scope, criteria: SearchCriteria, probe: Probe | null, scoring: Promise<Scorer> | null, dates: readonly string[], named: RawBuilder<string> | null,
): Promise<Map<string, number>> {
  const canSeeSealed = scope.can('address.view_confidential');
  let records = scope.db
    .selectFrom('agency_record as r')
    .select(['r.person_id', 'r.given_name', 'r.middle_names', 'r.family_name', 'r.date_of_birth'])
    .where('r.person_id', 'is not', null);
  if (named) records = records.where('r.id', 'in', named);
  if (dates.length > 0) records = records.where('r.date_of_birth', 'in', [...dates]);
  if (criteria.nhsNumber) records = records.where('r.nhs_number', '=', criteria.nhsNumber);
  if (criteria.postcode) {
    const postcode = formatPostcode(criteria.postcode);
    records = records.where('r.person_id', 'in', (eb) =>
      eb
        .selectFrom('address as a')
        .innerJoin('person_address as pa', 'pa.address_id', 'a.id')
        .select('pa.person_id')
        .where('a.area_id', '=', scope.actor.areaId)
        .where('a.postcode', '=', postcode)
        .$if(!canSeeSealed, (q) => q.where('a.confidential', '=', false)),
    );
  }
  const [rows, scorer] = await Promise.all([records.limit(candidateCap).execute() as Promise<CandidateRow[]>, scoring]);

  // Each person once, with their best-matching record's score; exact criteria alone score 0.
  const best = new Map<string, number>();
  for (const row of rows) {
    const score = probe && scorer ? nameScore(scorer, probe, row) : 0;
    if (score === null) continue;
    if (!best.has(row.person_id) || score > (best.get(row.person_id) as number)) best.set(row.person_id, score);
  }
  return best;
}

/** The area's model, or the starter model while it has none: names are weighed by how common they are. */
async function scorerFor(scope: Scope): Promise<Scorer> {
  const id = await activeModelId(scope.db, scope.actor.areaId);
  return id ? (await storedModel(scope.db, id)).scorer : starterModel().scorer;
}
