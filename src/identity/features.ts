// What an agency sends about a person, checked; and what the linker compares of it. The same
// features are built from an arriving record, from a stored one and from a generated demo record,
// so the registry, the batch linker and the search all see a record the same way.
import { z } from 'zod';
import { isValidCalendarDate } from '../chronology/dates';
import { blockingKeys, DEFAULT_BLOCKING_RULES, normaliseRecord, type BlockingRule, type NormalisedRecord, type RawRecord } from '../linkage';
import { validationFailed } from '../server/errors';

const optionalText = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .max(max, { error: `${field} must be ${max} characters or fewer` })
    .nullish()
    .transform((v) => v || null);

const calendarDate = (field: string) =>
  z
    .string({ error: `${field} must be a date written YYYY-MM-DD` })
    .trim()
    .nullish()
    .transform((v) => v || null)
    .refine((v) => v === null || isValidCalendarDate(v), { error: `${field} must be a real date written YYYY-MM-DD, like 2015-03-27` });

const addressSchema = z.object({
  line1: z.string({ error: 'line1 is required' }).trim().min(1, { error: 'line1 is required' }).max(200, { error: 'line1 must be 200 characters or fewer' }),
  line2: optionalText('line2', 200),
  town: optionalText('town', 100),
  postcode: optionalText('postcode', 10).transform((v) => (v ? formatPostcode(v) : null)),
  uprn: optionalText('uprn', 12),
  confidential: z.boolean({ error: 'confidential must be true or false' }).default(false),
  from: calendarDate('from'),
  to: calendarDate('to'),
});

/** One person as an agency holds them: what intake passes for each person in a notification. */
export const agencyRecordInputSchema = z
  .object({
    agencyId: z.uuid({ error: 'agencyId must be the id of an agency of the area' }),
    sourceRef: z.string({ error: 'sourceRef is required' }).trim().min(1, { error: 'sourceRef is required' }).max(100, { error: 'sourceRef must be 100 characters or fewer' }),
    givenName: optionalText('givenName', 100),
    middleNames: optionalText('middleNames', 200),
    familyName: optionalText('familyName', 100),
    aliases: z.array(z.string().trim().min(1, { error: 'an alias must not be empty' }).max(200, { error: 'an alias must be 200 characters or fewer' })).max(20, { error: 'at most 20 aliases' }).default([]),
    dateOfBirth: calendarDate('dateOfBirth'),
    expectedDateOfBirth: calendarDate('expectedDateOfBirth'),
    sex: z.enum(['F', 'M', 'U'], { error: 'sex must be F, M or U' }).nullish().transform((v) => v ?? null),
    // Kept as supplied, even with a wrong check digit: the linker treats an invalid one as missing.
    nhsNumber: z
      .string({ error: 'nhsNumber must be text' })
      .nullish()
      .transform((v) => v?.replace(/[\s-]/g, '') || null)
      .refine((v) => v === null || /^\d{10}$/.test(v), { error: 'nhsNumber must be 10 digits' }),
    addresses: z.array(addressSchema).max(50, { error: 'at most 50 addresses' }).default([]),
    schoolAgencyId: z.uuid({ error: 'schoolAgencyId must be the id of a school of the area' }).nullish().transform((v) => v ?? null),
    gpAgencyId: z.uuid({ error: 'gpAgencyId must be the id of a GP practice of the area' }).nullish().transform((v) => v ?? null),
    phone: optionalText('phone', 40),
    email: optionalText('email', 200),
    /** People this record is known not to be: the others named in the same notification. */
    distinctFrom: z.array(z.uuid({ error: 'distinctFrom must list person ids' })).max(100).default([]),
  })
  .refine((r) => r.givenName || r.familyName || r.aliases.length > 0, { path: ['familyName'], error: 'Give at least a family name, a given name or an alias' });

export type AgencyRecordInput = z.input<typeof agencyRecordInputSchema>;
export type AgencyRecordData = z.output<typeof agencyRecordInputSchema>;
export type AddressInput = z.output<typeof addressSchema>;

export function parseAgencyRecordInput(input: unknown): AgencyRecordData {
  const parsed = agencyRecordInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationFailed(parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || 'record', message: issue.message })));
}

/** "nb12ab" → "NB1 2AB": one form, so that the same postcode is the same text everywhere. */
export function formatPostcode(text: string): string {
  const compact = text.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.length >= 5 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

/** The linker's fields of one record (as src/linkage RawRecord fields), plus its aliases. */
export interface RecordFeatures {
  given_name?: string[];
  middle_name?: string[];
  family_name?: string[];
  dob?: string[];
  sex?: string[];
  identifier?: string[];
  postcode?: string[];
  address?: string[];
  email?: string[];
  phone?: string[];
  /** Other names the person is known by, each a full name. */
  aliases?: string[];
}

export interface FeatureSource {
  givenName: string | null;
  middleNames: string | null;
  familyName: string | null;
  aliases: readonly string[];
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  sex: 'F' | 'M' | 'U' | null;
  nhsNumber: string | null;
  /** Oldest first; the last is the latest. */
  addresses: readonly { line1: string; postcode: string | null }[];
  phone: string | null;
  email: string | null;
}

const some = (value: string | null | undefined): string[] | undefined => (value ? [value] : undefined);

/**
 * The features the linker compares. An unborn child's expected date of delivery stands in for
 * the date of birth, so that a maternity record of the unborn meets the baby's later records
 * ("within a month"). School and GP are not compared: siblings share them.
 */
export function featuresOf(source: FeatureSource): RecordFeatures {
  const postcodes = [...new Set(source.addresses.map((a) => a.postcode).filter((p): p is string => p !== null))];
  const latest = source.addresses[source.addresses.length - 1];
  const features: RecordFeatures = {
    given_name: some(source.givenName),
    middle_name: some(source.middleNames),
    family_name: some(source.familyName),
    dob: some(source.dateOfBirth ?? source.expectedDateOfBirth),
    sex: source.sex === 'F' || source.sex === 'M' ? [source.sex] : undefined,
    identifier: some(source.nhsNumber),
    postcode: postcodes.length > 0 ? postcodes : undefined,
    address: some(latest?.line1),
    email: some(source.email),
    phone: some(source.phone),
    aliases: source.aliases.length > 0 ? [...source.aliases] : undefined,
  };
  // Absent fields are left out, so stored features stay small.
  for (const key of Object.keys(features) as (keyof RecordFeatures)[]) if (features[key] === undefined) delete features[key];
  return features;
}

/**
 * The ways a record can be compared: as recorded, then once under each alias (the alias as the
 * full name, everything else the same). A pair's score is the best over both records' variants.
 */
export function rawVariants(id: string, features: RecordFeatures): RawRecord[] {
  const { aliases, ...fields } = features;
  const main: RawRecord = { id, source: 0, fields };
  if (!aliases || aliases.length === 0) return [main];
  const { given_name: _given, middle_name: _middle, family_name: _family, ...rest } = fields;
  return [main, ...aliases.map((alias) => ({ id, source: 0, fields: { ...rest, full_name: [alias] } }))];
}

export function normalisedVariants(id: string, features: RecordFeatures, attributeNames: readonly string[]): NormalisedRecord[] {
  return rawVariants(id, features).map((raw) => normaliseRecord(raw, { attributeNames }));
}

// An arriving record looks its candidates up by the rules whose blocks stay small in a county: a
// name sound with a birth year ("JK|2015", "SM0|1985") holds hundreds to thousands of people
// there, and the address and town rules add little where records carry postcodes. On the demo
// area's truth these rules find as many true pairs as all of them. A date of birth alone is
// shared by a hundred or more people in a county, so the family name with the date of birth finds
// a nickname (Vicky for Victoria) that no name key does.
const lookupRuleNames = new Set(['identifier', 'dob', 'dob_swapped', 'names', 'family_dob', 'postcode_initial', 'name_sounds', 'given_birthday', 'email', 'phone']);
export const lookupRules: readonly BlockingRule[] = DEFAULT_BLOCKING_RULES.filter((r) => lookupRuleNames.has(r.name));

// People search also finds records by one name alone and by a family name with a given initial
// (a typo in the given name rarely changes its first letter). These blocks are big in a county;
// a search reads only the first few hundred of them, and arrivals never look them up.
const searchOnlyRules: readonly BlockingRule[] = [
  { name: 'given', keys: (r) => (r.givenFirst === '' ? [] : [r.givenFirst]) },
  { name: 'family', keys: (r) => (r.family === '' ? [] : [r.family]) },
  { name: 'family_initial', keys: (r) => (r.family === '' || r.given === '' ? [] : [`${r.family}|${r.given.charAt(0)}`]) },
];

/** The keys stored for each record: the arrival look-up keys and the search keys. */
export const storedRules: readonly BlockingRule[] = [...lookupRules, ...searchOnlyRules];

// A search may never find someone through an address (it may be sealed), so it looks up only
// the keys made of names, dates and identifiers. Only equality on text serves it: under
// row-level security, trigram and LIKE operators (not leakproof) cannot use their indexes.
const searchRuleNames = new Set(['identifier', 'dob', 'dob_swapped', 'names', 'name_sounds', 'given_birthday', 'given', 'family', 'family_initial']);
export const searchRules: readonly BlockingRule[] = storedRules.filter((r) => searchRuleNames.has(r.name));

function keysOf(variants: readonly NormalisedRecord[], rules: readonly BlockingRule[]): string[] {
  const keys = new Set<string>();
  for (const variant of variants) for (const key of blockingKeys(variant, rules)) keys.add(key);
  return [...keys];
}

/** The keys stored for a record: those of every variant (aliases included). */
export function storedKeys(variants: readonly NormalisedRecord[]): string[] {
  return keysOf(variants, storedRules);
}

/** The keys an arriving record looks its candidates up by. */
export function lookupKeys(variants: readonly NormalisedRecord[]): string[] {
  return keysOf(variants, lookupRules);
}
