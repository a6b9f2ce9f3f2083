// The evidence for a match as it is stored (with a link or a review) and as people read it:
// each comparison's level and weight in plain words, such as "Date of birth: day and month
// swapped, +6.1".
import type { PairExplanation } from '../linkage';

export interface StoredEvidence {
  /** The record of the other side the evidence compares with. */
  candidateRecordId: string;
  probability: number;
  /** Log2 posterior odds, the prior included. */
  weight: number;
  priorWeight: number;
  fields: { comparison: string; level: string | null; weight: number }[];
}

const round = (x: number) => Math.round(x * 100) / 100;

export function storedEvidence(candidateRecordId: string, explanation: PairExplanation): StoredEvidence {
  return {
    candidateRecordId,
    probability: explanation.probability,
    weight: round(explanation.weight),
    priorWeight: round(explanation.priorWeight),
    fields: explanation.fields.map((f) => ({ comparison: f.comparison, level: f.level, weight: round(f.weight) })),
  };
}

const fieldLabels: Record<string, string> = {
  given_name: 'First name',
  middle_name: 'Middle name',
  family_name: 'Last name',
  dob: 'Date of birth',
  sex: 'Sex',
  postcode: 'Postcode',
  address: 'Address',
  locality: 'Town',
  nhs_number: 'NHS number',
  identifier: 'Other identifier',
  email: 'Email',
  phone: 'Phone',
};

const levelWords: Record<string, Record<string, string>> = {
  given_name: {
    exact: 'the same', nickname: 'a nickname or other form of the same name', 'jaro_winkler_0.92': 'spelt almost the same',
    phonetic: 'sounds the same', 'jaro_winkler_0.8': 'spelt similarly', swapped: 'swapped with the last name', initial: 'only the initial agrees', else: 'different',
  },
  middle_name: { exact: 'the same', initial: 'only the initial agrees', 'jaro_winkler_0.88': 'spelt similarly', else: 'different' },
  family_name: {
    exact: 'the same', part: 'one part of a double-barrelled name', 'jaro_winkler_0.92': 'spelt almost the same', phonetic: 'sounds the same',
    'jaro_winkler_0.8': 'spelt similarly', swapped: 'swapped with the first name', else: 'different',
  },
  dob: {
    exact: 'the same', day_month_swapped: 'day and month swapped', one_digit: 'one digit different', within_month: 'within a month',
    within_year: 'within a year', same_year: 'same year (only the year is known)', else: 'different',
  },
  sex: { exact: 'the same', else: 'different' },
  postcode: { full: 'the same postcode (now or in the past)', sector: 'the same postcode sector', one_edit: 'one character different', district: 'the same postcode district', else: 'different areas' },
  address: { exact: 'the same', 'jaro_winkler_0.92': 'almost the same', 'jaro_winkler_0.8': 'similar', else: 'different' },
  locality: { exact: 'the same', 'jaro_winkler_0.88': 'similar', else: 'different' },
  nhs_number: { exact: 'the same', different: 'two different valid numbers' },
  identifier: { exact: 'the same', one_typo: 'one character different', else: 'different' },
  email: { exact: 'the same', same_user: 'the same name before the @', within_two_edits: 'almost the same', else: 'different' },
  phone: { exact: 'the same', one_typo: 'one digit different', else: 'different' },
};

export interface EvidenceLine {
  comparison: string;
  label: string;
  /** Plain words: "Date of birth: day and month swapped, +6.1". */
  text: string;
  /** Rounded to one decimal; null when withheld or missing. */
  weight: number | null;
  direction: 'for' | 'against' | 'none';
}

/** "+6.1" or "−3.2" (a true minus sign, as read aloud by screen readers). */
export function signedWeight(weight: number): string {
  const rounded = Math.round(weight * 10) / 10;
  if (rounded === 0) return '0.0';
  return `${rounded > 0 ? '+' : '\u2212'}${Math.abs(rounded).toFixed(1)}`;
}

/**
 * The evidence in plain words, strongest first. Comparisons made with a sealed address are
 * withheld from someone who may not see it: saying that two records share a postcode would tell
 * them where the sealed one is.
 */
export function describeEvidence(evidence: StoredEvidence, options: { withholdAddresses: boolean }): EvidenceLine[] {
  const lines = evidence.fields.map((f): EvidenceLine => {
    const label = fieldLabels[f.comparison] ?? f.comparison.replace(/^attribute:/, '');
    if ((f.comparison === 'postcode' || f.comparison === 'address') && options.withholdAddresses) {
      return { comparison: f.comparison, label, text: `${label}: compared using a confidential address, so not shown`, weight: null, direction: 'none' };
    }
    if (f.level === null) return { comparison: f.comparison, label, text: `${label}: missing on one side, so no evidence either way`, weight: null, direction: 'none' };
    const words = levelWords[f.comparison]?.[f.level] ?? f.level.replace(/_/g, ' ');
    return {
      comparison: f.comparison,
      label,
      text: `${label}: ${words}, ${signedWeight(f.weight)}`,
      weight: Math.round(f.weight * 10) / 10,
      direction: f.weight > 0.05 ? 'for' : f.weight < -0.05 ? 'against' : 'none',
    };
  });
  return lines.sort((a, b) => Math.abs(b.weight ?? 0) - Math.abs(a.weight ?? 0));
}
