// What each agency holds about each person: one record per agency (now and then two, when the
// agency failed to find the one it had), with the identity as that agency keyed it and the
// addresses it knows, which may be out of date.
import type { Dwelling } from './addresses';
import type { Agency, RecordStyle } from './agencies';
import { isoDate, type Day } from './dates';
import { noiseProfiles, recordIdentity, type RecordedIdentity } from './noise';
import type { ClusterBuilder, Spell, TruePerson } from './world';

export interface RecordAddress {
  home: Dwelling;
  from: Day | null;
  to: Day | null;
}

export interface SeedRecord extends RecordedIdentity {
  id: string;
  agency: Agency;
  person: TruePerson;
  sourceRef: string;
  schoolAgencyId: string | null;
  gpAgencyId: string | null;
  firstSeen: Day;
  lastSeen: Day;
  /** When the agency stopped being involved (a child left the school, a patient moved practice). */
  closedOn: Day | null;
  /** Days of contact, for agencies that note the address given at each one. */
  contacts: Day[];
  /** Maternity records of an unborn baby carry the expected date of delivery. */
  expectedDateOfBirth: string | null;
  addresses: RecordAddress[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Each agency's own style of identifier for a person. */
const sourceRefFormats: Record<RecordStyle, (serial: number) => string> = {
  police: (n) => `PN${pad(n, 8)}`,
  gp: (n) => `GP${pad(n, 8)}`,
  emergency_department: (n) => `RNB${pad(n, 7)}`,
  midwifery: (n) => `MAT${pad(n, 7)}`,
  health_visiting: (n) => `HV${pad(n, 7)}`,
  school: (n) => `X999${pad(n, 9)}`,
  social_care: (n) => String(100_000 + n),
  probation: (n) => `N${pad(n, 6)}`,
  idva: (n) => `IDVA-${pad(n, 6)}`,
  housing: (n) => `HOU${pad(n, 6)}`,
  adult_social_care: (n) => `ASC${pad(n, 7)}`,
  education_safeguarding: (n) => `EHE-${pad(n, 5)}`,
};

const knowsSchool = new Set<RecordStyle>(['social_care']);
const knowsGp = new Set<RecordStyle>(['emergency_department', 'midwifery', 'health_visiting', 'social_care', 'school', 'adult_social_care']);

export class RecordRegistry {
  readonly records: SeedRecord[] = [];
  private readonly latest = new Map<string, SeedRecord>();

  constructor(private readonly builder: ClusterBuilder) {}

  /** The agency's record of the person on a day, opening one (with its noise) when there is none. */
  recordFor(agency: Agency, person: TruePerson, day: Day, options: { suspect?: boolean; closedOn?: Day | null } = {}): SeedRecord {
    const style = agency.recordStyle;
    if (!style) throw new Error(`${agency.name} does not hold records of people`);
    const profile = noiseProfiles[style];
    const key = `${agency.id}|${person.key}`;
    const existing = this.latest.get(key);
    if (existing && !(day > existing.lastSeen && this.builder.prng.chance(profile.duplicate))) {
      existing.firstSeen = Math.min(existing.firstSeen, day);
      existing.lastSeen = Math.max(existing.lastSeen, day);
      existing.contacts.push(day);
      return existing;
    }
    const { prng, world } = this.builder;
    const identity = recordIdentity(prng, profile, person, day, options.suspect ?? false);
    const record: SeedRecord = {
      ...identity,
      id: this.builder.id(),
      agency,
      person,
      sourceRef: sourceRefFormats[style](world.serials.record++),
      schoolAgencyId: knowsSchool.has(style) ? schoolOn(person, day)?.id ?? null : null,
      gpAgencyId: knowsGp.has(style) ? gpOn(person, day)?.id ?? null : null,
      firstSeen: day,
      lastSeen: day,
      closedOn: options.closedOn ?? null,
      contacts: [day],
      expectedDateOfBirth: style === 'midwifery' && person.expectedBirthDay !== null ? isoDate(person.expectedBirthDay) : null,
      addresses: [],
    };
    this.records.push(record);
    this.latest.set(key, record);
    return record;
  }

  /** Works out each record's addresses once all contacts are known. */
  finish(): void {
    const { prng, world } = this.builder;
    for (const record of this.records) {
      const profile = noiseProfiles[record.agency.recordStyle as RecordStyle];
      const person = record.person;
      const spells = (person.birthDay === null && person.mother ? person.mother.spells : person.spells)
        .filter((s) => profile.toldSealedAddresses || !s.home.confidential);
      let addresses: RecordAddress[];
      if (profile.tracksAddresses) {
        const until = record.closedOn ?? world.today;
        const known = spells.filter((s) => s.from <= until && (s.to === null || s.to > record.firstSeen));
        // A closed record keeps the last address the agency had, as if still current.
        addresses = known.map((s) => ({ home: s.home, from: s.from, to: s.to !== null && s.to <= until ? s.to : null }));
        // Some never hear of the latest move: the old address stays current.
        if (addresses.length >= 2 && prng.chance(profile.staleAddress)) {
          addresses.pop();
          (addresses[addresses.length - 1] as RecordAddress).to = null;
        }
      } else {
        addresses = [];
        for (const day of [...record.contacts].sort((a, b) => a - b)) {
          const home = homeOn(spells, day);
          const last = addresses[addresses.length - 1];
          if (!home || last?.home === home) continue;
          if (last) last.to = day;
          addresses.push({ home, from: day, to: null });
        }
      }
      const keyed = new Map<Dwelling, Dwelling>();
      for (const address of addresses) {
        let copy = keyed.get(address.home);
        if (!copy) {
          copy = prng.chance(profile.addressVariant) ? world.addresses.variantOf(prng, this.builder.id(), address.home) : address.home;
          if (copy !== address.home) this.builder.cluster.homes.push(copy);
          keyed.set(address.home, copy);
        }
        address.home = copy;
      }
      record.addresses = addresses;
    }
  }
}

function homeOn(spells: readonly Spell[], day: Day): Dwelling | null {
  let found: Dwelling | null = null;
  for (const s of spells) if (s.from <= day && (s.to === null || day < s.to)) found = s.home;
  return found;
}

export function gpOn(person: TruePerson, day: Day): Agency | null {
  let found = person.gps[0]?.gp ?? null;
  for (const r of person.gps) if (r.from <= day) found = r.gp;
  return found;
}

export function schoolOn(person: TruePerson, day: Day): Agency | null {
  for (const s of person.schools) if (s.from <= day && (s.to === null || day < s.to)) return s.school;
  return null;
}
