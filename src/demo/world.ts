// The truth the demo area is generated from: who the people are, who they live with, where and
// when, and the stories of abuse in some of their homes. Agencies' records (records.ts) and
// events (history.ts) are derived from it, each with the mistakes agencies make. This module
// holds the model and the builder of one cluster; families.ts and abuse.ts fill it in.
import type { AddressBook, Dwelling } from './addresses';
import type { Agency, AreaStructure } from './agencies';
import { civilOf, dayOf, years, type Day } from './dates';
import { chooseGivenName, chooseMiddleName, familyNameFor, type Background, type FamilyName, type Sex } from './names';
import type { NhsNumberAllocator } from './nhs-number';
import { hash32, Prng } from './prng';
import type { RelationshipKind } from '../db/schema';

/** Area-wide state shared by all clusters, advanced in cluster order so the result is deterministic. */
export interface World {
  today: Day;
  historyStart: Day;
  /** Events stop at the end of yesterday, so nothing is dated later than now. */
  lastEventDay: Day;
  area: AreaStructure;
  addresses: AddressBook;
  nhsNumbers: NhsNumberAllocator;
  systemUserId: string;
  serials: { person: number; record: number; event: number };
}

export interface Spell {
  home: Dwelling;
  from: Day;
  to: Day | null;
}

export interface TruePerson {
  /** The generator's identity of the person, written to synthetic.record_truth. */
  key: string;
  sex: Sex;
  background: Background;
  /** Null for an unborn child. */
  givenName: string | null;
  middleNames: string | null;
  /** The name the person goes by when it is not the given name (often the middle name). */
  knownAs: string | null;
  familyName: string;
  /** Another family name agencies may hold: a maiden name, a community name, a step-parent's. */
  otherFamilyName: string | null;
  /** When the family name changed (marriage); records made before then carry otherFamilyName. */
  familyNameSince: Day | null;
  birthDay: Day | null;
  expectedBirthDay: Day | null;
  /** The birth mother when she lives in the area: midwifery books her pregnancy, and an unborn child's address is hers. */
  mother: TruePerson | null;
  nhsNumber: string | null;
  /** Where the person lived, oldest first. */
  spells: Spell[];
  /** GP registrations, oldest first. */
  gps: { gp: Agency; from: Day }[];
  /** School rolls the child was on during the history, oldest first. */
  schools: { school: Agency; from: Day; to: Day | null }[];
  /** Day from which the child has been educated at home, when they are. */
  homeEducatedFrom: Day | null;
}

export interface Membership {
  person: TruePerson;
  from: Day;
  to: Day | null;
}

export interface Household {
  id: string;
  home: Dwelling;
  from: Day;
  to: Day | null;
  members: Membership[];
}

export interface TrueRelationship {
  from: TruePerson;
  to: TruePerson;
  kind: RelationshipKind;
  fromDay: Day | null;
  toDay: Day | null;
  sourceEventId: string | null;
}

export type AbusePattern = 'one_off' | 'repeat' | 'escalating' | 'separation' | 'serial';

export interface Incident {
  day: Day;
  severity: number;
  victim: TruePerson;
  perpetrator: TruePerson;
  /** Whether the couple had separated by then (post-separation abuse). */
  afterSeparation: boolean;
  /** Filled once homes are known: the home it happened at, never a sealed one. */
  home: Dwelling | null;
  /** Whether that home is the victim's (after a separation it may be the perpetrator's). */
  atVictimsHome: boolean;
  /** Where it happened when not at home. */
  publicPlace: string | null;
  /** Children living with the victim that day (there or not), and an unborn child she was expecting. */
  children: TruePerson[];
  unborn: TruePerson | null;
}

export interface AbuseStory {
  pattern: AbusePattern;
  perpetrator: TruePerson;
  incidents: Incident[];
  separations: { victim: TruePerson; day: Day }[];
  /** A victim leaving for a refuge or a new address that is kept secret. */
  flights: { victim: TruePerson; day: Day; to: 'refuge' | 'new_address'; children: TruePerson[] }[];
  probation: { from: Day; to: Day } | null;
}

export interface Cluster {
  index: number;
  /** First eight hex digits of every id made for this cluster. */
  idPrefix: number;
  people: TruePerson[];
  households: Household[];
  relationships: TrueRelationship[];
  /** Address rows first used by this cluster (refuges are made with the area). */
  homes: Dwelling[];
  stories: AbuseStory[];
  children: number;
}

export const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** People living together over time at a sequence of homes: a family, a couple, one person. */
export class Unit {
  readonly households: Household[] = [];
  readonly presence: Membership[] = [];

  constructor(private readonly builder: ClusterBuilder, home: Dwelling, from: Day) {
    this.households.push({ id: builder.id(), home, from, to: null, members: [] });
  }

  moveTo(home: Dwelling, day: Day): void {
    (this.households[this.households.length - 1] as Household).to = day;
    this.households.push({ id: this.builder.id(), home, from: day, to: null, members: [] });
  }

  add(person: TruePerson, from: Day): void {
    this.presence.push({ person, from, to: null });
    this.builder.noteUnit(person, this);
  }

  /** The person lives elsewhere from this day: later presence (a baby not yet born) is dropped. */
  leave(person: TruePerson, day: Day): void {
    for (let i = this.presence.length - 1; i >= 0; i--) {
      const p = this.presence[i] as Membership;
      if (p.person !== person) continue;
      if (p.from >= day) this.presence.splice(i, 1);
      else if (p.to === null || p.to > day) p.to = day;
    }
  }

  /** Turns presence into household memberships and the people's address spells. */
  settle(): Household[] {
    const used: Household[] = [];
    for (const household of this.households) {
      for (const p of this.presence) {
        const from = Math.max(household.from, p.from);
        const to = minOrNull(household.to, p.to);
        if (to !== null && to <= from) continue;
        household.members.push({ person: p.person, from, to });
        p.person.spells.push({ home: household.home, from, to });
      }
      if (household.members.length === 0) continue;
      // A home everyone has left ends on the day the last one went.
      if (household.to === null && household.members.every((m) => m.to !== null)) {
        household.to = Math.max(...household.members.map((m) => m.to as Day));
      }
      used.push(household);
    }
    return used;
  }
}

function minOrNull(a: Day | null, b: Day | null): Day | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

interface PersonSpec {
  sex: Sex;
  background: Background;
  birthDay: Day | null;
  expectedBirthDay?: Day;
  familyName: FamilyName;
  mother?: TruePerson;
  /** Family members whose given names this person should not share. */
  avoid?: readonly (TruePerson | null)[];
}

export class ClusterBuilder {
  readonly cluster: Cluster;
  private readonly units: Unit[] = [];
  private readonly unitsByPerson = new Map<TruePerson, Unit[]>();

  constructor(readonly world: World, readonly prng: Prng, index: number, idPrefix: number) {
    this.cluster = { index, idPrefix, people: [], households: [], relationships: [], homes: [], stories: [], children: 0 };
  }

  id(): string {
    return this.prng.uuid(this.cluster.idPrefix);
  }

  private rowIds: Prng | null = null;

  /**
   * Ids of the rows made once the cluster's records are linked (persons, links, memberships,
   * reviews): from a stream of the cluster's own, so they do not depend on when that happens.
   */
  rowId(): string {
    this.rowIds ??= new Prng([this.cluster.idPrefix, this.cluster.index, 0x726f7773]);
    return this.rowIds.uuid(this.cluster.idPrefix);
  }

  newHome(confidential = false): Dwelling {
    const home = this.world.addresses.allocate(this.prng, this.id(), confidential);
    this.cluster.homes.push(home);
    return home;
  }

  unit(home: Dwelling, from: Day): Unit {
    const unit = new Unit(this, home, from);
    this.units.push(unit);
    return unit;
  }

  noteUnit(person: TruePerson, unit: Unit): void {
    const list = this.unitsByPerson.get(person);
    if (!list) this.unitsByPerson.set(person, [unit]);
    else if (!list.includes(unit)) list.push(unit);
  }

  person(spec: PersonSpec): TruePerson {
    const { prng, world } = this;
    const serial = world.serials.person++;
    const unborn = spec.birthDay === null;
    const birthYear = civilOf(spec.birthDay ?? spec.expectedBirthDay ?? world.today).year;
    const taken = new Set((spec.avoid ?? []).map((p) => p?.givenName));
    let givenName = unborn ? null : chooseGivenName(prng, spec.background, spec.sex, birthYear);
    for (let tries = 0; givenName !== null && taken.has(givenName) && tries < 10; tries++) {
      givenName = chooseGivenName(prng, spec.background, spec.sex, birthYear);
    }
    let middleNames = unborn ? null : chooseMiddleName(prng, spec.background, spec.sex);
    let knownAs: string | null = null;
    // "Muhammad Ali Khan" is usually called Ali; a few others go by their middle name.
    if (givenName === 'Muhammad' || givenName === 'Mohammed') {
      middleNames ??= chooseMiddleName(prng, spec.background, spec.sex) ?? 'Ali';
      if (prng.chance(0.7)) knownAs = middleNames;
    } else if (middleNames && prng.chance(0.03)) {
      knownAs = middleNames;
    }
    const person: TruePerson = {
      key: `tp-${serial}`, sex: spec.sex, background: spec.background, givenName, middleNames, knownAs,
      familyName: familyNameFor(spec.familyName, spec.sex), otherFamilyName: null, familyNameSince: null,
      birthDay: spec.birthDay, expectedBirthDay: spec.expectedBirthDay ?? null, mother: spec.mother ?? null,
      nhsNumber: unborn ? null : world.nhsNumbers.next(), spells: [], gps: [], schools: [], homeEducatedFrom: null,
    };
    this.cluster.people.push(person);
    if (spec.birthDay === null || world.today - spec.birthDay < years(18)) this.cluster.children++;
    return person;
  }

  /** The person leaves every home they share with others from this day. */
  leaveAll(person: TruePerson, day: Day): void {
    for (const unit of this.unitsByPerson.get(person) ?? []) unit.leave(person, day);
  }

  relate(from: TruePerson, to: TruePerson, kind: RelationshipKind, fromDay: Day | null, toDay: Day | null = null): void {
    this.cluster.relationships.push({ from, to, kind, fromDay, toDay, sourceEventId: null });
  }

  /** The home a person lived at on a day, from their units (before settle()). */
  homeOf(person: TruePerson, day: Day): Dwelling | null {
    for (const unit of this.unitsByPerson.get(person) ?? []) {
      if (!unit.presence.some((p) => p.person === person && p.from <= day && (p.to === null || day < p.to))) continue;
      for (const h of unit.households) if (h.from <= day && (h.to === null || day < h.to)) return h.home;
    }
    return null;
  }

  /** Children living with an adult on a day: born by then, under 18, and a generation younger (not a teenage partner). */
  childrenWith(adult: TruePerson, day: Day): TruePerson[] {
    const found: TruePerson[] = [];
    const adultBirth = adult.birthDay as Day;
    for (const unit of this.unitsByPerson.get(adult) ?? []) {
      if (!unit.presence.some((p) => p.person === adult && p.from <= day && (p.to === null || day < p.to))) continue;
      for (const p of unit.presence) {
        const birth = p.person.birthDay;
        if (birth === null || day - birth >= years(18) || birth - adultBirth < years(13)) continue;
        if (p.from <= day && (p.to === null || day < p.to) && !found.includes(p.person)) found.push(p.person);
      }
    }
    return found;
  }

  /** Settles every unit into households and spells, then registers GPs and schools. */
  finish(): Cluster {
    for (const unit of this.units) this.cluster.households.push(...unit.settle());
    for (const person of this.cluster.people) {
      person.spells.sort((a, b) => a.from - b.from);
      assignGps(this.world, person);
      assignSchools(this.world, this.prng, person);
    }
    return this.cluster;
  }
}

/** The practice a household in a district registers with; a move to a sealed home means a new one. */
function assignGps(world: World, person: TruePerson): void {
  const gps = world.area.gps;
  let current: Agency | null = null;
  for (const spell of person.spells) {
    if (current && !spell.home.confidential) continue;
    const local = gps.filter((g) => g.district === spell.home.district);
    const choices = local.length > 0 ? local : gps;
    const gp = choices[hash32(`${spell.home.id}`) % choices.length] as Agency;
    if (gp === current) continue;
    const birth = person.birthDay ?? spell.from;
    person.gps.push({ gp, from: Math.max(spell.from, birth + 14) });
    current = gp;
  }
}

/** Reception starts in the September after the fourth birthday; secondary after the eleventh. */
function septemberAfter(birth: Day, age: number): Day {
  const b = civilOf(birth);
  return dayOf(b.year + age + (b.month >= 9 ? 1 : 0), 9, 1);
}

function assignSchools(world: World, prng: Prng, child: TruePerson): void {
  if (child.birthDay === null || world.today - child.birthDay >= years(18)) return;
  const reception = septemberAfter(child.birthDay, 4);
  if (reception > world.today) return;
  if (prng.chance(0.012)) {
    child.homeEducatedFrom = Math.max(reception, world.today - years(prng.between(0.1, 4)));
    return;
  }
  const secondary = septemberAfter(child.birthDay, 11);
  for (const spell of child.spells) {
    const spellEnd = spell.to ?? world.today;
    const pieces: [Day, Day, 'primary' | 'secondary'][] = [
      [Math.max(spell.from, reception), Math.min(spellEnd, secondary), 'primary'],
      [Math.max(spell.from, secondary), spellEnd, 'secondary'],
    ];
    for (const [from, to, phase] of pieces) {
      if (from >= to || to < world.historyStart) continue;
      const all = phase === 'primary' ? world.area.primarySchools : world.area.secondarySchools;
      const local = all.filter((s) => s.district === spell.home.district);
      const choices = local.length > 0 ? local : all;
      // Children stay at their school when the family moves nearby; a sealed home means a new school.
      const school = choices[hash32(`${child.key}.${phase}.${spell.home.district}.${spell.home.confidential ? spell.home.id : ''}`) % choices.length] as Agency;
      const last = child.schools[child.schools.length - 1];
      if (last && last.school === school && last.to === from) last.to = to >= world.today ? null : to;
      else child.schools.push({ school, from, to: to >= world.today ? null : to });
    }
  }
}
