// Which of a person's agency records gives the name, date of birth and NHS number shown for them.
import { isValidNhsNumber } from '../linkage';

// Health records come first: they carry the NHS number and are traced against the national
// spine. Then the statutory services, then those that record the name a person gives.
const trust: readonly string[] = [
  'health:gp', 'health:midwifery', 'health:health_visiting', 'health:emergency_department', 'health:school_nursing',
  'health:mental_health', 'adult_social_care', 'childrens_social_care', 'school', 'education_safeguarding', 'probation',
  'housing', 'idva_service', 'police',
];

export interface RankedRecord {
  agencyKind: string;
  agencyService: string | null;
  nhsNumber: string | null;
}

/** Lower is more trusted: a health record with a valid NHS number beats every other. */
export function displayRank(record: RankedRecord): number {
  const key = record.agencyKind === 'health' ? `health:${record.agencyService ?? ''}` : record.agencyKind;
  const position = trust.indexOf(key);
  const healthWithNhs = record.agencyKind === 'health' && record.nhsNumber !== null && isValidNhsNumber(record.nhsNumber);
  return (healthWithNhs ? 0 : 100) + (position === -1 ? trust.length : position);
}

export interface DisplaySource extends RankedRecord {
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  sex: 'F' | 'M' | 'U' | null;
}

export interface PersonDisplay {
  given_name: string | null;
  family_name: string | null;
  date_of_birth: string | null;
  expected_date_of_birth: string | null;
  sex: 'F' | 'M' | 'U' | null;
  nhs_number: string | null;
}

/**
 * The person's display fields from their records: the most trusted record's name, date of birth
 * and sex; an expected date of delivery and a valid NHS number from the most trusted record that
 * has one (an NHS number that fails its check digit is never shown as the person's).
 */
export function displayFrom(records: readonly DisplaySource[]): PersonDisplay {
  const ranked = [...records].sort((a, b) => displayRank(a) - displayRank(b));
  const best = ranked[0];
  return {
    given_name: best?.givenName ?? null,
    family_name: best?.familyName ?? null,
    date_of_birth: best?.dateOfBirth ?? null,
    expected_date_of_birth: ranked.find((r) => r.expectedDateOfBirth !== null)?.expectedDateOfBirth ?? null,
    sex: best?.sex ?? null,
    nhs_number: ranked.find((r) => r.nhsNumber !== null && isValidNhsNumber(r.nhsNumber))?.nhsNumber ?? null,
  };
}
