// How each kind of agency records a person's identity, and the mistakes it makes doing so. The
// rates are the generator's assumptions, set from what data-quality audits and record-linkage
// studies of English agency data commonly report: health records are the cleanest and carry
// the NHS number; police and voluntary-sector records use the name people give and get dates
// wrong more often; schools use the name a child is known by.
import type { RecordStyle } from './agencies';
import { addYears, civilOf, isoDate, type Day } from './dates';
import { introduceTypo, nicknamesOf, spellingVariantsOf, withoutDiacritics } from './names';
import { mistypeNhsNumber } from './nhs-number';
import type { TruePerson } from './world';
import type { Prng } from './prng';

export interface NoiseProfile {
  /** Uses the name the person goes by (a middle name) instead of the given name. */
  knownAs: number;
  nickname: number;
  spelling: number;
  typo: number;
  /** Keeps the middle names. */
  middleNames: number;
  /** Holds the other family name (maiden, community or step-parent's) rather than the current one. */
  otherFamilyName: number;
  /** Keeps accents (Wiśniewska) rather than stripping them. */
  diacritics: number;
  upperCaseFamilyName: number;
  /** Day and month swapped, when the day is 12 or less. */
  dateSwap: number;
  dateTypo: number;
  dateMissing: number;
  nhsNumber: number;
  nhsTypo: number;
  sexNotKnown: number;
  /** Misses the person's latest move (tracking agencies only). */
  staleAddress: number;
  /** Keys an address differently from the postal form (abbreviation, typo, missing part). */
  addressVariant: number;
  /** Keeps an address history (true) or only the address given at each contact (false). */
  tracksAddresses: boolean;
  /** Is told sealed addresses (refuges, new secret homes). */
  toldSealedAddresses: boolean;
  /** Opens a second record for someone it already holds, at a later contact. */
  duplicate: number;
  /** A short form of the email address is kept for some adults. */
  email: number;
}

const base: NoiseProfile = {
  knownAs: 0.3, nickname: 0.03, spelling: 0.01, typo: 0.01, middleNames: 0.6, otherFamilyName: 0.05, diacritics: 0.3,
  upperCaseFamilyName: 0, dateSwap: 0.008, dateTypo: 0.005, dateMissing: 0, nhsNumber: 0.05, nhsTypo: 0.005,
  sexNotKnown: 0, staleAddress: 0.05, addressVariant: 0.08, tracksAddresses: true, toldSealedAddresses: true,
  duplicate: 0.005, email: 0,
};

export const noiseProfiles: Record<RecordStyle, NoiseProfile> = {
  gp: { ...base, knownAs: 0.1, nickname: 0.01, spelling: 0.005, typo: 0.005, middleNames: 0.9, otherFamilyName: 0.03, diacritics: 0.4, dateSwap: 0.003, dateTypo: 0.003, nhsNumber: 0.99, nhsTypo: 0.001, staleAddress: 0.12, addressVariant: 0.05, duplicate: 0.002, email: 0.3 },
  emergency_department: { ...base, knownAs: 0.4, nickname: 0.05, spelling: 0.03, typo: 0.03, middleNames: 0.3, otherFamilyName: 0.1, diacritics: 0.1, upperCaseFamilyName: 0.1, dateSwap: 0.015, dateTypo: 0.01, dateMissing: 0.005, nhsNumber: 0.88, nhsTypo: 0.004, tracksAddresses: false, addressVariant: 0.15, duplicate: 0.02 },
  midwifery: { ...base, knownAs: 0.3, nickname: 0.02, middleNames: 0.5, diacritics: 0.2, dateSwap: 0.005, nhsNumber: 0.96, nhsTypo: 0.003, addressVariant: 0.1 },
  health_visiting: { ...base, nickname: 0.03, middleNames: 0.5, diacritics: 0.2, dateSwap: 0.005, nhsNumber: 0.97, nhsTypo: 0.002, duplicate: 0.003 },
  school: { ...base, knownAs: 0.8, nickname: 0.12, spelling: 0.02, typo: 0.015, otherFamilyName: 0.2, dateSwap: 0.01, nhsNumber: 0.05, nhsTypo: 0.01, addressVariant: 0.1, duplicate: 0.003 },
  police: { ...base, knownAs: 0.6, nickname: 0.15, spelling: 0.04, typo: 0.04, middleNames: 0.3, otherFamilyName: 0.15, diacritics: 0.05, upperCaseFamilyName: 0.35, dateSwap: 0.03, dateTypo: 0.02, dateMissing: 0.03, nhsNumber: 0, nhsTypo: 0, sexNotKnown: 0.01, staleAddress: 0, addressVariant: 0.25, tracksAddresses: false, toldSealedAddresses: false, duplicate: 0.04 },
  social_care: { ...base, knownAs: 0.5, nickname: 0.08, spelling: 0.02, typo: 0.02, middleNames: 0.5, otherFamilyName: 0.1, diacritics: 0.2, dateSwap: 0.015, dateTypo: 0.01, dateMissing: 0.01, nhsNumber: 0.45, nhsTypo: 0.005, staleAddress: 0.1, addressVariant: 0.1, duplicate: 0.01 },
  probation: { ...base, nickname: 0.05, spelling: 0.02, typo: 0.015, middleNames: 0.8, diacritics: 0.1, upperCaseFamilyName: 0.5, dateSwap: 0.01, nhsNumber: 0.1, staleAddress: 0.3, addressVariant: 0.15, tracksAddresses: false, toldSealedAddresses: false },
  idva: { ...base, knownAs: 0.6, nickname: 0.1, spelling: 0.02, typo: 0.02, middleNames: 0.2, otherFamilyName: 0.2, diacritics: 0.2, dateSwap: 0.01, dateTypo: 0.01, dateMissing: 0.05, nhsNumber: 0.02, nhsTypo: 0.01, addressVariant: 0.1, duplicate: 0.01, email: 0.4 },
  housing: { ...base, knownAs: 0.4, nickname: 0.05, typo: 0.02, otherFamilyName: 0.1, dateSwap: 0.01, dateTypo: 0.01, dateMissing: 0.01, nhsNumber: 0.05, nhsTypo: 0.01, staleAddress: 0.1, addressVariant: 0.1, duplicate: 0.01, email: 0.5 },
  adult_social_care: { ...base, knownAs: 0.3, middleNames: 0.7, nhsNumber: 0.9, nhsTypo: 0.002 },
  education_safeguarding: { ...base, knownAs: 0.5, nickname: 0.08, spelling: 0.02, typo: 0.02, otherFamilyName: 0.1, dateSwap: 0.01, dateTypo: 0.01, nhsNumber: 0.1, nhsTypo: 0.01, addressVariant: 0.1, duplicate: 0 },
};

export interface RecordedIdentity {
  givenName: string | null;
  middleNames: string | null;
  familyName: string | null;
  aliases: string[];
  dateOfBirth: string | null;
  sex: 'F' | 'M' | 'U';
  nhsNumber: string | null;
  email: string | null;
}

/**
 * The person as an agency records them on a day. `suspect` adds the aliases police and
 * probation keep for people they deal with as offenders.
 */
export function recordIdentity(prng: Prng, profile: NoiseProfile, person: TruePerson, day: Day, suspect: boolean): RecordedIdentity {
  if (person.birthDay === null) {
    // An unborn baby: maternity records it under the mother's family name only.
    return { givenName: null, middleNames: null, familyName: (person.mother ?? person).familyName, aliases: [], dateOfBirth: null, sex: 'U', nhsNumber: null, email: null };
  }
  const accents = prng.chance(profile.diacritics);
  const keepAccents = (name: string) => (accents ? name : withoutDiacritics(name));

  let given = person.knownAs && prng.chance(profile.knownAs) ? person.knownAs : (person.givenName as string);
  const nicknames = nicknamesOf(given);
  const spellings = spellingVariantsOf(given);
  if (nicknames.length > 0 && prng.chance(profile.nickname)) given = prng.pick(nicknames);
  else if (spellings.length > 0 && prng.chance(profile.spelling)) given = prng.pick(spellings);
  if (prng.chance(profile.typo)) given = introduceTypo(prng, given);

  let family = person.familyName;
  const changedSince = person.familyNameSince;
  if (person.otherFamilyName) {
    // Records opened before a marriage keep the maiden name unless the agency updated them.
    const openedBefore = changedSince !== null && day < changedSince;
    if (openedBefore ? !(profile.tracksAddresses && prng.chance(0.85)) : prng.chance(profile.otherFamilyName)) family = person.otherFamilyName;
  }
  if (family.includes('-') && prng.chance(0.25)) {
    const parts = family.split('-');
    family = prng.chance(0.5) ? parts.join(' ') : prng.pick(parts);
  }
  const familySpellings = spellingVariantsOf(family);
  if (familySpellings.length > 0 && prng.chance(profile.spelling)) family = prng.pick(familySpellings);
  if (prng.chance(profile.typo)) family = introduceTypo(prng, family);
  if (prng.chance(profile.upperCaseFamilyName)) family = family.toUpperCase();

  const aliases: string[] = [];
  if (suspect && prng.chance(0.35)) {
    const nick = nicknamesOf(person.givenName as string);
    aliases.push(nick.length > 0 ? `${prng.pick(nick)} ${person.familyName}` : `${person.givenName} ${person.otherFamilyName ?? prng.pick(['Junior', person.familyName.toUpperCase()])}`);
  }

  let email: string | null = null;
  if (profile.email > 0 && day - person.birthDay > 18 * 365 && prng.chance(profile.email)) {
    const local = (s: string) => withoutDiacritics(s).toLowerCase().replace(/[^a-z]/g, '');
    email = `${local(person.givenName as string)}.${local(person.familyName)}${prng.int(1, 99)}@example.com`;
  }

  return {
    givenName: keepAccents(given),
    middleNames: person.middleNames && prng.chance(profile.middleNames) ? keepAccents(person.middleNames) : null,
    familyName: keepAccents(family),
    aliases,
    dateOfBirth: recordedDate(prng, profile, person.birthDay),
    sex: prng.chance(profile.sexNotKnown) ? 'U' : person.sex,
    nhsNumber: person.nhsNumber && prng.chance(profile.nhsNumber)
      ? (prng.chance(profile.nhsTypo) ? mistypeNhsNumber(prng, person.nhsNumber) : person.nhsNumber)
      : null,
    email,
  };
}

/** A date of birth as keyed: usually right, sometimes day and month swapped, a digit slipped, or left blank. */
export function recordedDate(prng: Prng, profile: NoiseProfile, birth: Day): string | null {
  if (prng.chance(profile.dateMissing)) return null;
  const { year, month, day } = civilOf(birth);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (day <= 12 && day !== month && prng.chance(profile.dateSwap)) return `${year}-${pad(day)}-${pad(month)}`;
  if (prng.chance(profile.dateTypo)) {
    switch (prng.int(0, 2)) {
      case 0:
        return isoDate(birth + (prng.chance(0.5) ? 1 : -1));
      case 1:
        return isoDate(addYears(birth, prng.chance(0.5) ? 1 : -1));
      default:
        return day <= 9 ? `${year}-${pad(month)}-${pad(day + 10)}` : isoDate(birth - 10);
    }
  }
  return isoDate(birth);
}
