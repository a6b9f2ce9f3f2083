// Stories of domestic abuse: one-off, repeated and escalating incidents, separation and abuse
// after it, a victim fleeing to a refuge or a secret address, a perpetrator moving on to a new
// partner and her children, and probation supervision after a conviction.
import type { Dwelling } from './addresses';
import { years, type Day } from './dates';
import { planChildren, type Couple, type FamilyParts } from './families';
import { backgroundTable, chooseFamilyName, type Sex } from './names';
import type { Prng } from './prng';
import { clamp, type AbusePattern, type AbuseStory, type ClusterBuilder, type Incident, type TruePerson, type Unit } from './world';

function incident(day: Day, severity: number, victim: TruePerson, perpetrator: TruePerson, afterSeparation: boolean): Incident {
  return { day, severity: clamp(severity, 0.02, 0.99), victim, perpetrator, afterSeparation, home: null, atVictimsHome: false, publicPlace: null, children: [], unborn: null };
}

/** Incident days between from and to: one, a steady repeat, or ever shorter gaps. */
function scheduleIncidents(prng: Prng, count: number, from: Day, to: Day, pattern: AbusePattern): Day[] {
  if (to <= from) return [];
  const gaps: number[] = [];
  if (pattern === 'escalating') {
    let gap = prng.between(90, 240);
    const ratio = prng.between(0.55, 0.8);
    for (let i = 1; i < count; i++) {
      gaps.push(Math.max(4, Math.round(gap)));
      gap *= ratio;
    }
  } else {
    for (let i = 1; i < count; i++) gaps.push(prng.int(25, 250));
  }
  let total = gaps.reduce((sum, g) => sum + g, 0);
  const span = to - from;
  if (total > span * 0.9) {
    const shrink = (span * 0.9) / total;
    for (let i = 0; i < gaps.length; i++) gaps[i] = Math.max(1, Math.floor((gaps[i] as number) * shrink));
    total = gaps.reduce((sum, g) => sum + g, 0);
  }
  // Escalating abuse is more often still going on: its last incident is drawn towards the present.
  const latestStart = to - total;
  const start = pattern === 'escalating'
    ? Math.max(from, latestStart - Math.round(Math.abs(prng.normal(0, 150))))
    : prng.int(from, Math.max(from, latestStart));
  const days = [start];
  for (const gap of gaps) days.push((days[days.length - 1] as Day) + gap);
  return days.filter((d) => d <= to);
}

/**
 * Stories every area has, told by families at fixed places among the clusters so that even a
 * small demo area shows each pattern Hearth flags: a perpetrator who moved on this year to a new
 * partner and her children; a mother abused while expecting; a couple who separated in the last
 * few weeks. After a separation, the older children go missing from home (history.ts).
 */
export type Showcase = 'moved_on' | 'expecting' | 'separated';

export function showcaseOf(clusterIndex: number): Showcase | null {
  return ({ 5: 'moved_on', 13: 'expecting', 21: 'separated' } as const)[clusterIndex % 32 as 5 | 13 | 21] ?? null;
}

/** Whether a family lives with abuse in the history, and its pattern. `childBudget` caps a new partner's children. */
export function planFamilyAbuse(b: ClusterBuilder, parts: FamilyParts, childBudget: number): void {
  const { prng, world } = b;
  const { family, carer, partner, absentParent } = parts;
  const last = world.lastEventDay;
  // Only a mother and her male partner tell a showcase story; any other family lives as it would.
  const showcase = partner && partner.sex === 'M' && carer.sex === 'F' ? showcaseOf(b.cluster.index) : null;

  if (!partner) {
    // A lone parent harassed or assaulted by the ex-partner, at handovers and at home.
    if (!absentParent || absentParent.sex === carer.sex || !prng.chance(0.12)) return;
    const days = scheduleIncidents(prng, prng.int(1, 4), world.historyStart, last, 'repeat');
    if (days.length === 0) return;
    const story: AbuseStory = {
      pattern: 'separation', perpetrator: absentParent, separations: [], flights: [], probation: null,
      incidents: days.map((day) => incident(day, prng.between(0.2, 0.7), carer, absentParent, true)),
    };
    if (prng.chance(0.2)) flee(b, story, family, carer, (days[days.length - 1] as Day) + prng.int(3, 60), 'new_address');
    addStory(b, story);
    return;
  }

  if (!showcase && !prng.chance(0.12)) return;
  const perpetrator = !showcase && carer.sex === 'F' && partner.sex === 'M' && prng.chance(0.08) ? carer : partner;
  const victim = perpetrator === partner ? carer : partner;
  const canMoveOn = perpetrator.sex === 'M' && perpetrator === partner;
  const pattern = showcase ? ({ moved_on: 'serial', expecting: 'repeat', separated: 'separation' } as const)[showcase] : prng.weighted([
    ['one_off', 40], ['repeat', 25], ['escalating', 15], ['separation', 12], ['serial', canMoveOn ? 8 : 0],
  ] as const);
  const from = Math.max(world.historyStart, parts.coupleSince + 30);
  const story: AbuseStory = { pattern, perpetrator, incidents: [], separations: [], flights: [], probation: null };

  switch (pattern) {
    case 'one_off':
    case 'repeat': {
      const count = pattern === 'one_off' ? 1 : prng.int(2, 5);
      const base = prng.between(0.15, 0.5);
      const pregnancy = showcase === 'expecting' ? expectBaby(b, victim, perpetrator, childBudget) : null;
      for (const day of scheduleIncidents(prng, count, Math.max(from, pregnancy ?? from), last, pattern)) {
        story.incidents.push(incident(day, base + prng.between(-0.1, 0.15), victim, perpetrator, false));
      }
      break;
    }
    case 'escalating': {
      const days = scheduleIncidents(prng, prng.int(3, 8), from, last, 'escalating');
      const low = prng.between(0.15, 0.35);
      const high = prng.between(0.75, 0.98);
      days.forEach((day, i) => {
        const progress = days.length > 1 ? i / (days.length - 1) : 1;
        story.incidents.push(incident(day, low + (high - low) * progress + prng.between(-0.05, 0.05), victim, perpetrator, false));
      });
      const lastDay = days[days.length - 1];
      if (lastDay !== undefined && prng.chance(0.45)) {
        const fled = flee(b, story, family, victim, lastDay + prng.int(1, 10), prng.chance(0.7) ? 'refuge' : 'new_address');
        if (fled) separate(b, story, family, victim, perpetrator, fled, false);
        // Some find her anyway, away from the sealed address.
        if (fled && prng.chance(0.3)) {
          const day = fled + prng.int(10, 90);
          if (day <= last) story.incidents.push(incident(day, prng.between(0.4, 0.8), victim, perpetrator, true));
        }
      }
      break;
    }
    case 'separation': {
      // The showcase couple (together long enough) separated in the last three months.
      const recentSplit = showcase && from < last - 120 ? last - prng.int(20, 80) : null;
      const together = scheduleIncidents(prng, prng.int(1, 3), from, recentSplit === null ? last - 60 : recentSplit - 10, 'repeat');
      for (const day of together) story.incidents.push(incident(day, prng.between(0.25, 0.6), victim, perpetrator, false));
      const lastTogether = together[together.length - 1] ?? from;
      const split = recentSplit ?? lastTogether + prng.int(1, 30);
      if (split >= last) break;
      separate(b, story, family, victim, perpetrator, split, true);
      let day = split;
      for (let i = prng.int(1, 3); i > 0; i--) {
        day += prng.int(14, 120);
        if (day > last) break;
        story.incidents.push(incident(day, prng.between(0.3, 0.7), victim, perpetrator, true));
      }
      if (prng.chance(0.3)) flee(b, story, family, victim, split + prng.int(7, 60), 'new_address');
      break;
    }
    case 'serial': {
      // The showcase perpetrator (with her long enough) left about a year ago, so he moved in with his new partner this year.
      const recentMove = showcase !== null && from < last - 360;
      const firstPhaseEnd = recentMove
        ? last - prng.int(240, 330)
        : world.historyStart + Math.round((last - world.historyStart) * prng.between(0.25, 0.55));
      const withFirst = scheduleIncidents(prng, prng.int(1, 3), from, firstPhaseEnd, 'repeat');
      for (const day of withFirst) story.incidents.push(incident(day, prng.between(0.3, 0.6), victim, perpetrator, false));
      const split = (recentMove ? firstPhaseEnd : (withFirst[withFirst.length - 1] ?? from)) + prng.int(1, 30);
      if (split >= last) break;
      separate(b, story, family, victim, perpetrator, split, true);
      moveInWithNewPartner(b, story, perpetrator, split, childBudget, recentMove);
      break;
    }
  }
  if (story.incidents.length > 0) addStory(b, story);
}

/** Abuse between adults with no children at home is part of the area's picture too. */
export function planCoupleAbuse(b: ClusterBuilder, couple: Couple): void {
  const { prng, world } = b;
  if (!prng.chance(0.03)) return;
  const { man, woman } = couple;
  const perpetrator = couple.sameSex || prng.chance(0.85) ? man : woman;
  const victim = perpetrator === man ? woman : man;
  const pattern = prng.chance(0.6) ? 'one_off' : 'repeat';
  const days = scheduleIncidents(prng, pattern === 'one_off' ? 1 : prng.int(2, 4), Math.max(world.historyStart, couple.together + 30), world.lastEventDay, pattern);
  if (days.length === 0) return;
  addStory(b, {
    pattern, perpetrator, separations: [], flights: [], probation: null,
    incidents: days.map((day) => incident(day, prng.between(0.1, 0.6), victim, perpetrator, false)),
  });
}

/**
 * The showcase mother expects their baby in the coming months, and the abuse begins in the
 * pregnancy: returns the day it begins from (about the fourth month), or null without room for a child.
 */
function expectBaby(b: ClusterBuilder, mother: TruePerson, father: TruePerson, childBudget: number): Day | null {
  const { prng, world } = b;
  const due = world.today + prng.int(30, 150);
  if (childBudget < 1 || mother.birthDay === null || due - mother.birthDay > years(44)) return null;
  const baby = b.person({
    sex: prng.chance(0.51) ? 'M' : 'F', background: father.background, birthDay: null, expectedBirthDay: due, familyName: father.familyName, mother,
  });
  b.relate(mother, baby, 'parent_of', null);
  b.relate(father, baby, 'parent_of', null);
  return due - 160;
}

/** The perpetrator leaves: partners become ex-partners; he lives alone unless he moves in elsewhere. */
function separate(b: ClusterBuilder, story: AbuseStory, family: Unit, victim: TruePerson, perpetrator: TruePerson, day: Day, perpetratorLeaves: boolean): void {
  story.separations.push({ victim, day });
  const together = b.cluster.relationships.find((r) => r.kind === 'partner_of' && r.toDay === null &&
    ((r.from === perpetrator && r.to === victim) || (r.from === victim && r.to === perpetrator)));
  if (together) together.toDay = day;
  b.relate(perpetrator, victim, 'ex_partner_of', day);
  for (const r of b.cluster.relationships) if (r.kind === 'carer_of' && r.from === perpetrator && r.toDay === null) r.toDay = day;
  if (perpetratorLeaves) {
    family.leave(perpetrator, day);
    b.unit(b.newHome(), day).add(perpetrator, day);
  }
}

/** The victim and the children leave for a refuge or a new, secret address. Returns the day, or null. */
function flee(b: ClusterBuilder, story: AbuseStory, family: Unit, victim: TruePerson, day: Day, to: 'refuge' | 'new_address'): Day | null {
  const { prng, world } = b;
  if (day > world.lastEventDay) return null;
  const children = b.childrenWith(victim, day);
  const home = to === 'refuge' ? prng.pick(world.area.refuges) : b.newHome(true);
  const refuge = b.unit(home, day);
  for (const person of [victim, ...children]) {
    family.leave(person, day);
    refuge.add(person, day);
  }
  // Babies born later live with their mother.
  for (const r of b.cluster.relationships) {
    const child = r.to;
    if (r.kind === 'parent_of' && r.from === victim && child.birthDay !== null && child.birthDay > day) {
      family.leave(child, day);
      refuge.add(child, child.birthDay);
    }
  }
  if (to === 'refuge') {
    const moveOn = day + prng.int(90, 300);
    if (moveOn <= world.lastEventDay) refuge.moveTo(b.newHome(true), moveOn);
  }
  story.flights.push({ victim, day, to, children });
  return day;
}

/** A perpetrator who moves in with a new partner and her children, where the abuse starts again. */
function moveInWithNewPartner(b: ClusterBuilder, story: AbuseStory, perpetrator: TruePerson, split: Day, childBudget: number, showcase: boolean): void {
  const { prng, world } = b;
  const moveIn = split + (showcase ? prng.int(30, 90) : prng.int(30, 200));
  const perpetratorBirth = perpetrator.birthDay as Day;
  const background = prng.chance(0.8) ? perpetrator.background : backgroundTable.pick(prng);
  const partnerBirth = Math.min(world.today - years(19), perpetratorBirth + years(prng.normal(-2, 4)));
  const newPartnerName = chooseFamilyName(prng, background);
  const newPartner = b.person({ sex: 'F', background, birthDay: partnerBirth, familyName: newPartnerName });
  const since = Math.min(split, world.today - years(prng.between(1, 10)));
  const household = b.unit(b.newHome(), since);
  household.add(newPartner, since);
  const count = Math.min(childBudget, Math.max(showcase ? 1 : 0, prng.weighted([[0, 25], [1, 40], [2, 25], [3, 10]] as const)));
  const kids = planChildren(prng, count, world.today).filter((c) => c.birthDay !== null && c.birthDay < moveIn);
  const made: TruePerson[] = [];
  for (const plan of kids) {
    const sex: Sex = prng.chance(0.51) ? 'M' : 'F';
    const child = b.person({ sex, background, birthDay: plan.birthDay, familyName: newPartnerName, mother: newPartner, avoid: [newPartner, ...made] });
    household.add(child, Math.max(since, plan.birthDay as Day));
    b.relate(newPartner, child, 'parent_of', child.birthDay);
    made.push(child);
  }
  for (let i = 0; i < made.length; i++) {
    for (let j = i + 1; j < made.length; j++) b.relate(made[i] as TruePerson, made[j] as TruePerson, 'sibling_of', (made[j] as TruePerson).birthDay);
  }
  b.relate(perpetrator, newPartner, 'partner_of', moveIn - prng.int(30, 120));
  if (moveIn > world.lastEventDay) return;
  // He leaves the flat he went to after the separation.
  b.leaveAll(perpetrator, moveIn);
  household.add(perpetrator, moveIn);
  for (const child of made) b.relate(perpetrator, child, 'carer_of', moveIn);
  for (const day of scheduleIncidents(prng, prng.int(2, 4), moveIn + 20, world.lastEventDay, 'escalating')) {
    story.incidents.push(incident(day, prng.between(0.3, 0.5) + (day - moveIn) / (years(4)), newPartner, perpetrator, false));
  }
}

function addStory(b: ClusterBuilder, story: AbuseStory): void {
  const { prng, world } = b;
  story.incidents.sort((x, y) => x.day - y.day);
  // Convicted after a serious incident: supervised by probation for one to two years.
  const worst = story.incidents.reduce<Incident | null>((w, i) => (w && w.severity >= i.severity ? w : i), null);
  if (worst && worst.severity > 0.55 && story.pattern !== 'one_off' && prng.chance(0.45)) {
    const from = worst.day + prng.int(60, 150);
    if (from <= world.lastEventDay) story.probation = { from, to: from + prng.int(365, 730) };
  } else if (prng.chance(0.08)) {
    const from = world.historyStart - prng.int(30, 300);
    story.probation = { from, to: from + prng.int(365, 730) };
  }
  b.cluster.stories.push(story);
}

/** After homes are settled: where each incident happened and which children were there. */
export function placeIncidents(b: ClusterBuilder): void {
  const { prng } = b;
  for (const story of b.cluster.stories) {
    for (const inc of story.incidents) {
      const victimHome = b.homeOf(inc.victim, inc.day);
      const perpetratorHome = b.homeOf(inc.perpetrator, inc.day);
      if (victimHome && !victimHome.confidential && (!inc.afterSeparation || prng.chance(0.75))) inc.home = victimHome;
      else if (inc.afterSeparation && perpetratorHome && !perpetratorHome.confidential && prng.chance(0.3)) inc.home = perpetratorHome;
      if (!inc.home) {
        const near = [victimHome, perpetratorHome, ...inc.victim.spells.map((s) => s.home)].find((h): h is Dwelling => h !== null && !h.confidential);
        inc.publicPlace = near ? b.world.addresses.publicPlace(prng, near) : 'In the street';
      }
      inc.atVictimsHome = inc.home !== null && inc.home === victimHome;
      inc.children = b.childrenWith(inc.victim, inc.day);
      for (const r of b.cluster.relationships) {
        const child = r.to;
        const due = child.birthDay ?? child.expectedBirthDay;
        if (r.kind === 'parent_of' && r.from === inc.victim && inc.victim.sex === 'F' && due !== null && due > inc.day && due - 266 < inc.day) inc.unborn = child;
      }
    }
  }
}
