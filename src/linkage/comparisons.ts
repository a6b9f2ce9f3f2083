import type { FieldName } from './types';

// What is compared, and the levels of agreement each comparison can reach (best first, the last
// is "else": present on both sides but no better level applies). A missing value on either side
// is not a level: it carries no evidence either way (weight 0).

export const LEVELS = {
  given_name: ['exact', 'nickname', 'jaro_winkler_0.92', 'phonetic', 'jaro_winkler_0.8', 'swapped', 'initial', 'else'],
  middle_name: ['exact', 'initial', 'jaro_winkler_0.88', 'else'],
  family_name: ['exact', 'part', 'jaro_winkler_0.92', 'phonetic', 'jaro_winkler_0.8', 'swapped', 'else'],
  dob: ['exact', 'day_month_swapped', 'one_digit', 'within_month', 'within_year', 'same_year', 'else'],
  sex: ['exact', 'else'],
  postcode: ['full', 'sector', 'one_edit', 'district', 'else'],
  address: ['exact', 'jaro_winkler_0.92', 'jaro_winkler_0.8', 'else'],
  locality: ['exact', 'jaro_winkler_0.88', 'else'],
  nhs_number: ['exact', 'different'],
  identifier: ['exact', 'one_typo', 'else'],
  email: ['exact', 'same_user', 'within_two_edits', 'else'],
  phone: ['exact', 'one_typo', 'else'],
  attribute: ['exact', 'else'],
} as const satisfies Record<string, readonly string[]>;

export type ComparisonKind = keyof typeof LEVELS;

/** Comparisons whose exact level is weighed by how common the agreed value is (Smith counts for less than Zebedee). */
const TERM_FREQUENCY_KINDS: ReadonlySet<ComparisonKind> = new Set(['given_name', 'family_name', 'locality', 'attribute']);

export interface ComparisonSpec {
  /** Unique name: the kind, or "attribute:<column>" for attributes. */
  readonly name: string;
  readonly kind: ComparisonKind;
  /** Position of the attribute in `NormalisedRecord.attributes` (attributes only, else -1). */
  readonly attributeIndex: number;
  readonly levels: readonly string[];
  readonly termFrequency: boolean;
}

function spec(kind: ComparisonKind, name: string = kind, attributeIndex = -1): ComparisonSpec {
  return { name, kind, attributeIndex, levels: LEVELS[kind], termFrequency: TERM_FREQUENCY_KINDS.has(kind) };
}

/** The comparisons a set of mapped fields supports, in a fixed order. */
export function comparisonsFor(fields: ReadonlySet<FieldName>, attributeNames: readonly string[] = []): ComparisonSpec[] {
  const has = (...names: FieldName[]): boolean => names.some((n) => fields.has(n));
  const specs: ComparisonSpec[] = [];
  if (has('given_name', 'full_name')) specs.push(spec('given_name'));
  if (has('middle_name', 'full_name')) specs.push(spec('middle_name'));
  if (has('family_name', 'full_name')) specs.push(spec('family_name'));
  if (has('dob', 'birth_year')) specs.push(spec('dob'));
  if (has('sex')) specs.push(spec('sex'));
  if (has('postcode')) specs.push(spec('postcode'));
  if (has('address')) specs.push(spec('address'));
  if (has('locality')) specs.push(spec('locality'));
  // Identifier columns may hold NHS numbers (10 digits) and other identifiers; each kind is compared with its own.
  if (has('identifier')) specs.push(spec('nhs_number'), spec('identifier'));
  if (has('email')) specs.push(spec('email'));
  if (has('phone')) specs.push(spec('phone'));
  attributeNames.forEach((attribute, index) => specs.push(spec('attribute', `attribute:${attribute}`, index)));
  return specs;
}

/** The attribute column names in the order the specs index them. */
export function attributeNamesOf(specs: readonly ComparisonSpec[]): string[] {
  return specs.filter((s) => s.kind === 'attribute').map((s) => s.name.slice('attribute:'.length));
}
