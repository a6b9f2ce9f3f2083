// Families with children, the people around them (an absent parent, grandparents), and the
// households without children that make up the rest of the area.
import { years, type Day } from './dates';
import { backgroundTable, chooseFamilyName, chooseWomansFamilyName, familyNameFor, type Background, type FamilyName, type Sex } from './names';
import type { Prng } from './prng';
import { clamp, type ClusterBuilder, type TruePerson, type Unit } from './world';

const marriageRate: Record<Background, number> = {
  british: 0.5, eastern_european: 0.6, pakistani_bangladeshi: 0.92, indian: 0.85, black_african: 0.65,
  black_caribbean: 0.35, chinese: 0.7,
};

export interface PlannedChild {
  birthDay: Day | null;
  expectedBirthDay: Day | null;
}

/**
 * Sibling ages: the youngest anywhere from unborn to 17, older ones one to five years apart. An
 * unborn child is due within six months, so the pregnancy has been booked with a midwife.
 */
export function planChildren(prng: Prng, count: number, today: Day): PlannedChild[] {
  const youngestAge = prng.between(-0.5, Math.max(-0.45, 17.9 - 2.6 * (count - 1)));
  const ages = [youngestAge];
  for (let i = 1; i < count; i++) {
    const older = (ages[ages.length - 1] as number) + prng.between(1.1, 5);
    if (older >= 17.95) break;
    ages.push(older);
  }
  return ages.reverse().map((age) =>
    age < 0
      ? { birthDay: null, expectedBirthDay: today + years(-age) }
      : { birthDay: today - years(age) - 1, expectedBirthDay: null },
  );
}

const childDay = (c: PlannedChild) => (c.birthDay ?? c.expectedBirthDay) as Day;

/** The parts of a family that its story of abuse, if it has one, works with. */
export interface FamilyParts {
  family: Unit;
  carer: TruePerson;
  partner: TruePerson | null;
  absentParent: TruePerson | null;
  coupleSince: Day;
  movedIn: Day;
}

/** One family with children and the people around it: an absent parent, grandparents. */
export function buildFamily(b: ClusterBuilder, childBudget: number): FamilyParts {
  const { prng, world } = b;
  const { today } = world;
  const background = backgroundTable.pick(prng);
  const shape = prng.weighted([['couple', 72], ['lone_mother', 23], ['lone_father', 3], ['female_couple', 2]] as const);
  const wanted = prng.weighted([[1, 42], [2, 38], [3, 14], [4, 4.5], [5, 1.5]] as const);
  const carerSex: Sex = shape === 'lone_father' ? 'M' : 'F';
  // A father bringing up children alone has no unborn child to book with a midwife.
  const planned = planChildren(prng, Math.max(1, Math.min(childBudget, wanted)), today)
    .map((c) => (carerSex === 'M' && c.birthDay === null ? { birthDay: today - prng.int(1, 60), expectedBirthDay: null } : c));
  const firstChildDay = childDay(planned[0] as PlannedChild);

  const carerBirth = Math.min(today - years(18), firstChildDay - years(clamp(prng.normal(27, 5.5), 16, 43)));
  const carerName = chooseFamilyName(prng, background);
  const carer = b.person({ sex: carerSex, background, birthDay: carerBirth, familyName: carerName });

  // The partner living with the family, if any, and when they got together.
  let partner: TruePerson | null = null;
  let partnerName: FamilyName | null = null;
  let stepChildren = 0; // older children from the carer's previous relationship
  let coupleSince = firstChildDay - years(prng.between(0.5, 6));
  let marriedOn: Day | null = null;
  if (shape === 'couple' || shape === 'female_couple') {
    const partnerBackground = prng.chance(0.08) ? backgroundTable.pick(prng) : background;
    partnerName = chooseFamilyName(prng, partnerBackground);
    const partnerBirth = Math.min(today - years(18), carerBirth + years(prng.normal(2.5, 3.5)));
    partner = b.person({ sex: shape === 'couple' ? 'M' : 'F', background: partnerBackground, birthDay: partnerBirth, familyName: partnerName });
    if (shape === 'couple' && prng.chance(0.22)) {
      stepChildren = prng.int(1, planned.length);
      const lastOlder = childDay(planned[stepChildren - 1] as PlannedChild);
      const nextChild = planned[stepChildren];
      const latest = nextChild ? childDay(nextChild) - years(0.3) : today - years(0.3);
      coupleSince = Math.round(prng.between(Math.min(lastOlder + years(0.3), latest - 1), latest));
    }
    coupleSince = Math.max(coupleSince, Math.max(carerBirth, partnerBirth) + years(16));
    if (shape === 'couple' && prng.chance(marriageRate[background])) {
      marriedOn = Math.min(today - 30, coupleSince + years(prng.between(0, 3)));
      if (prng.chance(0.85) && partner.background === background) {
        carer.otherFamilyName = carer.familyName;
        carer.familyName = familyNameFor(partnerName, 'F');
        carer.familyNameSince = marriedOn;
      }
    }
  }
  const womansName = carerSex === 'F' ? chooseWomansFamilyName(prng, background) : null;
  if (womansName) {
    carer.otherFamilyName = carer.familyName;
    carer.familyName = womansName;
    carer.familyNameSince = null;
  }

  // The other parent of the older (or all) children, when they are not the partner.
  const needsAbsentParent = shape === 'lone_mother' || shape === 'lone_father' || stepChildren > 0;
  const absentName = chooseFamilyName(prng, background);
  let absentParent: TruePerson | null = null;
  if (needsAbsentParent && prng.chance(0.65)) {
    const absentBirth = Math.min(today - years(18), carerBirth + years(prng.normal(2, 4)));
    absentParent = b.person({ sex: carerSex === 'F' ? 'M' : 'F', background, birthDay: absentBirth, familyName: absentName });
    const absentSince = Math.max(absentBirth + years(18), today - years(prng.between(0.2, 10)));
    const absentHome = b.unit(b.newHome(), absentSince);
    absentHome.add(absentParent, absentSince);
  }

  // Where the family lives: the current home, and the one before when they moved in recently.
  const movedIn = today - years(prng.between(0.3, 14));
  const previousFrom = movedIn - years(prng.between(1, 8));
  const recent = movedIn > today - years(6);
  const familyFrom = recent ? previousFrom : movedIn;
  const family = b.unit(b.newHome(), familyFrom);
  if (recent) family.moveTo(b.newHome(), movedIn);
  family.add(carer, familyFrom);
  if (partner) {
    family.add(partner, Math.max(familyFrom, coupleSince));
    b.relate(partner, carer, 'partner_of', coupleSince);
  }

  // Children: names, parents, siblings.
  const married = marriedOn !== null;
  const children: TruePerson[] = [];
  for (const [i, plan] of planned.entries()) {
    const fromPartner = partner !== null && i >= stepChildren && shape === 'couple';
    const sex: Sex = prng.chance(0.51) ? 'M' : 'F';
    const childBackground = partner && partner.background !== background && prng.chance(0.5) ? partner.background : background;
    let familyName: FamilyName;
    if (shape === 'lone_father') familyName = carerName;
    else if (fromPartner && partnerName) {
      const roll = prng.float();
      familyName = married || roll < 0.6 ? partnerName : roll < 0.85 ? carerName : doubleBarrelled(carerName, partnerName, sex);
    } else if (shape === 'female_couple' && partnerName) {
      familyName = prng.chance(0.7) ? carerName : doubleBarrelled(carerName, partnerName, sex);
    } else {
      familyName = prng.chance(0.5) ? absentName : carerName;
    }
    const child = b.person({
      sex, background: childBackground, birthDay: plan.birthDay, familyName, mother: carerSex === 'F' ? carer : undefined,
      avoid: [carer, partner, ...children],
      ...(plan.expectedBirthDay !== null ? { expectedBirthDay: plan.expectedBirthDay } : {}),
    });
    if (child.birthDay !== null) family.add(child, Math.max(familyFrom, child.birthDay));
    b.relate(carer, child, 'parent_of', child.birthDay);
    if (fromPartner && partner) b.relate(partner, child, 'parent_of', child.birthDay);
    else if (shape === 'female_couple' && partner) b.relate(partner, child, 'parent_of', child.birthDay);
    else if (absentParent) b.relate(absentParent, child, 'parent_of', child.birthDay);
    if (partner && shape === 'couple' && !fromPartner) {
      b.relate(partner, child, 'carer_of', Math.max(coupleSince, child.birthDay ?? coupleSince));
      // Some children are known at school by the step-parent's family name.
      if (partnerName && prng.chance(0.5)) child.otherFamilyName = familyNameFor(partnerName, sex);
    }
    children.push(child);
  }
  for (let i = 0; i < children.length; i++) {
    for (let j = i + 1; j < children.length; j++) {
      const younger = children[j] as TruePerson;
      b.relate(children[i] as TruePerson, younger, 'sibling_of', younger.birthDay);
    }
  }
  if (absentParent) {
    const lastTogether = childDay(planned[Math.max(0, (stepChildren || planned.length) - 1)] as PlannedChild);
    b.relate(absentParent, carer, 'ex_partner_of', Math.min(today - 60, lastTogether + years(prng.between(0.1, 2))));
  }

  // An older son or daughter still at home.
  if (carerSex === 'F' && today - carerBirth > years(38) && prng.chance(0.1)) {
    const birth = today - years(prng.between(18, 23.9));
    if (birth - carerBirth > years(16)) {
      const adultChild = b.person({ sex: prng.chance(0.5) ? 'M' : 'F', background, birthDay: birth, familyName: carerName, mother: carer, avoid: [carer, partner, ...children] });
      family.add(adultChild, familyFrom);
      b.relate(carer, adultChild, 'parent_of', birth);
      for (const child of children) b.relate(adultChild, child, 'sibling_of', child.birthDay);
    }
  }

  // The carer's parents, in a home of their own.
  if (prng.chance(0.25)) buildGrandparents(b, carer, carerName);

  return { family, carer, partner, absentParent, coupleSince, movedIn };
}

/** Some families move house during the history; agencies that miss it keep the old address. */
export function perhapsMoveHouse(b: ClusterBuilder, parts: FamilyParts): void {
  const { prng, world } = b;
  const earliestMove = Math.max(world.historyStart, parts.movedIn + 30);
  if (earliestMove < world.lastEventDay && prng.chance(0.15)) parts.family.moveTo(b.newHome(), prng.int(earliestMove, world.lastEventDay));
}

function doubleBarrelled(first: FamilyName, second: FamilyName, sex: Sex): string {
  const [a, b] = [familyNameFor(first, sex), familyNameFor(second, sex)];
  return a === b ? a : `${a}-${b}`;
}

function buildGrandparents(b: ClusterBuilder, carer: TruePerson, carerName: FamilyName): void {
  const { prng, world } = b;
  const carerBirth = carer.birthDay as Day;
  const grandmotherBirth = carerBirth - years(prng.between(19, 36));
  if (world.today - grandmotherBirth > years(92)) return;
  const grandmother = b.person({ sex: 'F', background: carer.background, birthDay: grandmotherBirth, familyName: carerName });
  const married = carerBirth - years(prng.between(1, 6));
  grandmother.otherFamilyName = familyNameFor(chooseFamilyName(prng, carer.background), 'F');
  grandmother.familyNameSince = married;
  const since = world.today - years(prng.between(2, 30));
  const home = b.unit(b.newHome(), since);
  home.add(grandmother, since);
  b.relate(grandmother, carer, 'parent_of', carerBirth);
  if (prng.chance(0.6)) {
    const grandfather = b.person({ sex: 'M', background: carer.background, birthDay: grandmotherBirth - years(prng.between(-2, 5)), familyName: carerName });
    home.add(grandfather, since);
    b.relate(grandfather, carer, 'parent_of', carerBirth);
    b.relate(grandfather, grandmother, 'partner_of', married - years(prng.between(0, 3)));
  }
}

export interface Couple {
  man: TruePerson;
  woman: TruePerson;
  sameSex: boolean;
  together: Day;
}

/** A household without children: a single person, a couple or older people. Returns the couple, if any. */
export function buildAdultHousehold(b: ClusterBuilder): Couple | null {
  const { prng, world } = b;
  const { today } = world;
  const shape = prng.weighted([['single', 35], ['couple', 45], ['older', 20]] as const);
  const background = backgroundTable.pick(prng);
  const age = shape === 'older' ? prng.between(66, 92) : prng.between(19, 64);
  const firstBirth = today - years(age);
  const since = Math.max(firstBirth + years(18), today - years(prng.between(0.1, 25)));
  const recent = since > today - years(4) && prng.chance(0.5);
  const unitFrom = recent ? since - years(prng.between(1, 6)) : since;
  const unit = b.unit(b.newHome(), unitFrom);
  if (recent) unit.moveTo(b.newHome(), since);

  const firstSex: Sex = prng.chance(0.5) ? 'F' : 'M';
  const firstName = chooseFamilyName(prng, background);
  const first = b.person({ sex: firstSex, background, birthDay: firstBirth, familyName: firstName });
  unit.add(first, unitFrom);
  const couple = shape === 'couple' || (shape === 'older' && prng.chance(0.5));
  if (!couple) return null;

  const sameSex = prng.chance(0.06);
  const secondSex: Sex = sameSex ? firstSex : firstSex === 'F' ? 'M' : 'F';
  const secondBirth = Math.min(today - years(18), firstBirth + years(prng.normal(0, 4)));
  const second = b.person({ sex: secondSex, background, birthDay: secondBirth, familyName: chooseFamilyName(prng, background) });
  const together = Math.max(unitFrom, Math.max(firstBirth, secondBirth) + years(18));
  unit.add(second, together);
  const [man, woman] = firstSex === 'M' ? [first, second] : [second, first];
  if (!sameSex && prng.chance(marriageRate[background]) && prng.chance(0.8)) {
    woman.otherFamilyName = woman.familyName;
    woman.familyName = man.familyName;
    woman.familyNameSince = together;
  }
  b.relate(man, woman, 'partner_of', together);
  return { man, woman, sameSex, together };
}
