// Three years of what agencies recorded about the people of a cluster: the abuse stories as
// police incidents and everything that follows them (arrests, protection orders, referrals,
// hospital visits, IDVA support, school concerns, moves, probation), and the ordinary run of
// pregnancies, births, hospital attendances, school absences and missing episodes.
import { oneLine, type Dwelling } from './addresses';
import type { Agency } from './agencies';
import { ageOn, civilOf, daysPerYear, isoDate, londonInstant, weekday, years, type Day } from './dates';
import * as texts from './data/texts';
import { showcaseOf } from './abuse';
import { policeIncidentDetails } from './incidents';
import type { AbuseStory, ClusterBuilder, Incident, TruePerson } from './world';
import type { Prng } from './prng';
import { gpOn, schoolOn, type RecordRegistry, type SeedRecord } from './records';
import type { EventKind } from '../chronology/event-kinds';
import type { EventPersonRole } from '../db/schema';

export interface Participant {
  person: TruePerson;
  record: SeedRecord;
  role: EventPersonRole;
  childPresent: boolean | null;
  childVoice: string | null;
}

export interface ChronologyEvent {
  id: string;
  agency: Agency;
  kind: EventKind;
  occurredAt: string;
  recordedAt: string;
  sourceRef: string;
  summary: string;
  details: Record<string, unknown>;
  /** Where it happened when that was a home; never a sealed address. */
  home: Dwelling | null;
  recordedBy: string | null;
  people: Participant[];
}

interface ParticipantSpec {
  person: TruePerson;
  role: EventPersonRole;
  childPresent?: boolean | null;
  childVoice?: string | null;
  suspect?: boolean;
}

interface EventOptions {
  home?: Dwelling | null;
  /** Minutes between the event and its recording. */
  delay?: number;
  /** Recorded by the police records system account rather than by hand. */
  bySystem?: boolean;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const twoDigitYear = (day: Day) => pad(civilOf(day).year % 100, 2);

/** Each agency's style of reference for what it recorded. */
const sourceRefFormats: Record<EventKind, (serial: number, day: Day) => string> = {
  police_da_incident: (n, d) => `NB/${pad(n, 7)}/${twoDigitYear(d)}`,
  police_other_incident: (n, d) => `NB/${pad(n, 7)}/${twoDigitYear(d)}`,
  bail_breach: (n, d) => `NB/${pad(n, 7)}/${twoDigitYear(d)}`,
  protection_order_breach: (n, d) => `NB/${pad(n, 7)}/${twoDigitYear(d)}`,
  missing_episode: (n, d) => `MISPER/${twoDigitYear(d)}/${pad(n, 7)}`,
  arrest: (n) => `CUST/${pad(n, 7)}`,
  protection_order: (n, d) => `DVPN/${twoDigitYear(d)}/${pad(n, 7)}`,
  ed_attendance: (n) => `ATT${pad(n, 8)}`,
  midwifery_booking: (n) => `MB${pad(n, 7)}`,
  midwifery_disclosure: (n) => `MD${pad(n, 7)}`,
  health_visitor_contact: (n) => `HVC${pad(n, 7)}`,
  gp_consultation: (n) => `CONS${pad(n, 8)}`,
  school_concern: (n) => `SGL-${pad(n, 7)}`,
  school_absence: (n) => `ABS-${pad(n, 7)}`,
  probation_contact: (n) => `CT${pad(n, 8)}`,
  housing_contact: (n) => `HPA${pad(n, 7)}`,
  adult_social_care_contact: (n) => `ASC-C${pad(n, 7)}`,
  idva_contact: (n) => `IDVA-C${pad(n, 7)}`,
  referral: (n) => `REF${pad(n, 7)}`,
  separation: (n) => `SEP${pad(n, 7)}`,
};

class History {
  readonly events: ChronologyEvent[] = [];
  readonly prng: Prng;

  constructor(readonly b: ClusterBuilder, readonly records: RecordRegistry) {
    this.prng = b.prng;
  }

  get world() {
    return this.b.world;
  }

  /** Records an event, opening the agency's records of the people in it; null outside the history. */
  add(agency: Agency, kind: EventKind, day: Day, minute: number, summary: string, details: Record<string, unknown>, people: ParticipantSpec[], options: EventOptions = {}): ChronologyEvent | null {
    const { world } = this;
    if (day < world.historyStart || day > world.lastEventDay) return null;
    const serial = world.serials.event++;
    // Nothing happens or is recorded after the end of yesterday, even what follows a late-night incident.
    const lastMinute = (world.lastEventDay - day + 1) * 1440 - 1;
    const at = Math.min(minute, lastMinute);
    const recordedMinute = Math.min(at + (options.delay ?? this.prng.int(10, 240)), lastMinute);
    const seen = new Set<TruePerson>();
    const participants: Participant[] = [];
    for (const spec of people) {
      if (seen.has(spec.person)) continue;
      seen.add(spec.person);
      participants.push({
        person: spec.person,
        record: this.records.recordFor(agency, spec.person, day, { suspect: spec.suspect ?? false }),
        role: spec.role,
        childPresent: spec.childPresent ?? null,
        childVoice: spec.childVoice ?? null,
      });
    }
    const event: ChronologyEvent = {
      id: this.b.id(), agency, kind, occurredAt: londonInstant(day, at), recordedAt: londonInstant(day, recordedMinute),
      sourceRef: sourceRefFormats[kind](serial, day), summary, details, home: options.home ?? null,
      recordedBy: options.bySystem ? world.systemUserId : null, people: participants,
    };
    this.events.push(event);
    return event;
  }

  /** A time in the working day. */
  daytime(): number {
    return this.prng.int(8 * 60 + 30, 17 * 60 + 30);
  }

  /** The next school day on or after a day. */
  schoolDay(day: Day): Day {
    const w = weekday(day);
    return w === 6 ? day + 2 : w === 0 ? day + 1 : day;
  }
}

export function writeHistory(b: ClusterBuilder, records: RecordRegistry): ChronologyEvent[] {
  const h = new History(b, records);
  for (const person of b.cluster.people) openStandingRecords(h, person);
  for (const person of b.cluster.people) ordinaryLife(h, person);
  for (const story of b.cluster.stories) abuseStory(h, story);
  return h.events;
}

/** Records that exist whether or not anything happens: GP registration, school roll, health visiting. */
function openStandingRecords(h: History, person: TruePerson): void {
  const { area, historyStart } = h.world;
  person.gps.forEach((registration, i) => {
    h.records.recordFor(registration.gp, person, registration.from, { closedOn: person.gps[i + 1]?.from ?? null });
  });
  for (const enrolment of person.schools) h.records.recordFor(enrolment.school, person, enrolment.from, { closedOn: enrolment.to });
  if (person.birthDay !== null && person.birthDay > historyStart - years(5)) {
    h.records.recordFor(area.healthVisiting, person, person.birthDay + h.prng.int(10, 14));
  }
  if (person.homeEducatedFrom !== null) h.records.recordFor(area.educationSafeguarding, person, person.homeEducatedFrom);
}

function poisson(prng: Prng, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let p = prng.float(); p > limit; p *= prng.float()) count++;
  return count;
}

// Emergency department attendances a year, by age band (under 1, 1–4, 5–12, 13–17, adult, over 75).
const edRates = [0.25, 0.15, 0.08, 0.1, 0.04, 0.09];

function edBand(age: number): number {
  return age < 1 ? 0 : age < 5 ? 1 : age < 13 ? 2 : age < 18 ? 3 : 4;
}

function ordinaryLife(h: History, person: TruePerson): void {
  const { prng, world } = h;
  const { area, historyStart, lastEventDay } = world;
  const birth = person.birthDay;
  const mother = person.mother;

  // Pregnancy booked with the midwife at 10 to 13 weeks; the health visitor's new birth visit.
  if (mother) {
    const due = (birth ?? person.expectedBirthDay) as Day;
    const weeks = Math.min(prng.int(10, 13), Math.floor((world.lastEventDay - due + 280) / 7));
    h.add(area.midwifery, 'midwifery_booking', due - 280 + weeks * 7, h.daytime(),
      `Pregnancy booked at ${weeks} weeks; routine enquiry about domestic abuse made.`,
      { gestationWeeks: weeks, expectedDateOfBirth: isoDate(due) },
      [{ person: mother, role: 'subject' }, ...(birth === null ? [{ person, role: 'child' as const }] : [])]);
    if (birth !== null) {
      h.add(area.healthVisiting, 'health_visitor_contact', birth + prng.int(10, 14), h.daytime(),
        texts.healthVisitorNotes[0] as string, { contact: 'new_birth_visit' },
        [{ person, role: 'subject' }, { person: mother, role: 'other' }]);
    }
  }
  if (birth === null) return;

  const from = Math.max(historyStart, birth);
  const exposure = (lastEventDay - from) / daysPerYear;
  const ageNow = ageOn(birth, world.today);
  const rate = ageNow >= 75 ? (edRates[5] as number) : (edRates[edBand(ageNow)] as number);
  for (let i = poisson(prng, rate * exposure); i > 0; i--) {
    const day = prng.int(from, lastEventDay);
    const band = edBand(ageOn(birth, day));
    const presentation = prng.pick(texts.edPresentations[band] as readonly string[]);
    h.add(area.emergencyDepartment, 'ed_attendance', day, prng.int(0, 1439), presentation,
      { presentingComplaint: presentation, discharge: prng.weighted([['home', 80], ['admitted', 15], ['left before treatment', 5]] as const) },
      [{ person, role: 'subject' }]);
  }

  for (const enrolment of person.schools) {
    const start = Math.max(enrolment.from, historyStart);
    const end = Math.min(enrolment.to ?? lastEventDay, lastEventDay);
    if (end <= start) continue;
    for (let i = poisson(prng, 0.05 * ((end - start) / daysPerYear)); i > 0; i--) schoolAbsence(h, person, prng.int(start, end));
  }

  const teenFrom = Math.max(from, birth + years(12));
  const teenTo = Math.min(lastEventDay, birth + years(18));
  if (teenTo > teenFrom) {
    for (let i = poisson(prng, 0.008 * ((teenTo - teenFrom) / daysPerYear)); i > 0; i--) missingEpisode(h, person, prng.int(teenFrom, teenTo));
  }
}

function schoolAbsence(h: History, child: TruePerson, onOrAfter: Day, afterIncident = false): void {
  const day = h.schoolDay(onOrAfter);
  const school = schoolOn(child, day);
  if (!school) return;
  const days = h.prng.int(2, 8);
  const text = afterIncident && h.prng.chance(0.5) ? texts.schoolAbsenceAfterIncident : h.prng.pick(texts.schoolAbsences);
  h.add(school, 'school_absence', day, 9 * 60 + h.prng.int(0, 90), text.replace('{days}', String(days)),
    { days, authorised: h.prng.chance(0.3) }, [{ person: child, role: 'subject' }]);
}

function missingEpisode(h: History, child: TruePerson, day: Day): void {
  const town = h.b.homeOf(child, day)?.town ?? 'the';
  h.add(h.world.area.police, 'missing_episode', day, h.prng.int(15 * 60, 23 * 60 + 59), h.prng.pick(texts.missingEpisodes).replace('{town}', town),
    { durationHours: h.prng.int(3, 48), returnInterviewOffered: h.prng.chance(0.8) }, [{ person: child, role: 'subject' }], { bySystem: true });
}

/** Incidents cluster in evenings, nights and weekends. */
function incidentMinute(prng: Prng): number {
  const slot = prng.weighted([['evening', 60], ['day', 25], ['early', 15]] as const);
  if (slot === 'evening') return (18 * 60 + prng.int(0, 8 * 60 - 1)) % 1440;
  return slot === 'day' ? prng.int(10 * 60, 18 * 60 - 1) : prng.int(2 * 60, 10 * 60 - 1);
}

const arrestOffences = [
  ['Common assault', 'Criminal damage', 'Public order offence'],
  ['Assault occasioning actual bodily harm', 'Common assault', 'Controlling or coercive behaviour'],
  ['Non-fatal strangulation', 'Threats to kill', 'Assault occasioning actual bodily harm', 'Grievous bodily harm'],
] as const;

function childVoice(prng: Prng, child: TruePerson, day: Day, siblings: TruePerson[]): string {
  const age = ageOn(child.birthDay as Day, day);
  const voices = texts.childVoices[age < 8 ? 0 : age < 13 ? 1 : 2] as readonly string[];
  const sibling = siblings.find((s) => s !== child);
  const usable = sibling ? voices : voices.filter((v) => !v.includes('{sibling}'));
  const voice = prng.pick(usable);
  return sibling ? voice.replace('{sibling}', sibling.sex === 'F' ? 'my sister' : 'my brother') : voice;
}

function abuseStory(h: History, story: AbuseStory): void {
  const { prng, world, b } = h;
  const { area } = world;
  const perpetrator = story.perpetrator;
  const parentPairs = new Set(b.cluster.relationships.filter((r) => r.kind === 'parent_of').map((r) => `${r.from.key}>${r.to.key}`));
  const related = new Set<TruePerson>();
  let protectionOrderUntil = -1;

  story.incidents.forEach((inc, i) => {
    const previousIncidents = story.incidents.slice(0, i).filter((x) => x.victim === inc.victim).length;
    const details = policeIncidentDetails(prng, {
      severity: inc.severity,
      pregnantOrNewBaby: inc.unborn !== null || inc.children.some((c) => inc.day - (c.birthDay as Day) < 365),
      childrenNotTheAbusers: inc.children.some((c) => !parentPairs.has(`${perpetrator.key}>${c.key}`)),
      separated: inc.afterSeparation,
      previousIncidents,
      breachedOrder: inc.day <= protectionOrderUntil,
    });
    const minute = incidentMinute(prng);
    const present = inc.children.map((child) => {
      const age = ageOn(child.birthDay as Day, inc.day);
      // Children are usually there when it happens at home, less often elsewhere (handovers).
      const wasPresent = prng.chance(inc.atVictimsHome ? (age < 5 ? 0.8 : 0.7) : 0.25);
      const voice = wasPresent && age >= 4 && prng.chance(0.35) ? childVoice(prng, child, inc.day, inc.children) : null;
      return { person: child, role: 'child' as const, childPresent: wasPresent, childVoice: voice };
    });
    const unborn = inc.unborn && inc.unborn.birthDay === null ? [{ person: inc.unborn, role: 'child' as const, childPresent: null }] : [];
    const band = inc.severity < 0.4 ? 0 : inc.severity < 0.7 ? 1 : 2;
    const event = h.add(area.police, 'police_da_incident', inc.day, minute, incidentSummary(inc, band, present.filter((c) => c.childPresent).length, details.riskGrade), {
      location: inc.home ? oneLine(inc.home) : inc.publicPlace,
      circumstances: details.circumstances,
      injuries: details.injuries,
      weapons: details.weapons,
      dash: details.dash,
      riskGrade: details.riskGrade,
      actions: details.actions,
      victimConsent: details.victimConsent,
    }, [
      { person: inc.victim, role: 'adult_victim' },
      { person: perpetrator, role: 'alleged_perpetrator', suspect: true },
      ...present,
      ...unborn,
    ], { home: inc.home, delay: prng.int(30, 300), bySystem: true });
    if (!event) return;
    // The police reference is the incident's own source reference.
    event.details = { policeReference: event.sourceRef, ...event.details };

    for (const victim of [inc.victim, ...inc.children]) {
      if (related.has(victim) || victim === perpetrator) continue;
      related.add(victim);
      b.cluster.relationships.push({ from: perpetrator, to: victim, kind: 'alleged_perpetrator_of', fromDay: inc.day, toDay: null, sourceEventId: event.id });
    }
    afterIncident(h, story, inc, band, details, event, minute, (until) => (protectionOrderUntil = until));
  });

  for (const separation of story.separations) {
    const byPolice = prng.chance(0.5);
    h.add(byPolice ? area.police : area.socialCare, 'separation', separation.day, h.daytime(),
      'Victim reports the relationship has ended; alleged perpetrator has moved out.', {},
      [{ person: separation.victim, role: 'adult_victim' }, { person: perpetrator, role: 'alleged_perpetrator', suspect: byPolice }],
      { bySystem: byPolice });
    // In a showcase story (abuse.ts), the older children go missing from home in the weeks after;
    // after a recent separation he breaches his bail conditions by contacting her.
    if (showcaseOf(b.cluster.index) === ({ serial: 'moved_on', separation: 'separated' } as Record<string, string>)[story.pattern]) {
      if (story.pattern === 'separation') {
        h.add(area.police, 'bail_breach', separation.day + prng.int(2, 20), incidentMinute(prng), 'Breach of bail conditions: contacted the victim by phone.', {},
          [{ person: perpetrator, role: 'subject', suspect: true }, { person: separation.victim, role: 'adult_victim' }], { bySystem: true });
      }
      for (const child of b.childrenWith(separation.victim, separation.day)) {
        if (ageOn(child.birthDay as Day, separation.day) >= 10) missingEpisode(h, child, separation.day + prng.int(3, 40));
      }
    }
  }
  for (const flight of story.flights) {
    const toRefuge = flight.to === 'refuge';
    h.add(area.housing, 'housing_contact', flight.day, h.daytime(),
      toRefuge ? 'Homeless application on grounds of domestic abuse; placed in refuge (address withheld).'
        : 'Moved to a new address, held confidentially because of domestic abuse.',
      { reason: 'domestic_abuse', placement: toRefuge ? 'refuge' : 'new_address' },
      [{ person: flight.victim, role: 'subject' }, ...flight.children.map((c) => ({ person: c, role: 'child' as const }))]);
    if (prng.chance(0.6)) {
      h.add(area.idva, 'idva_contact', flight.day + prng.int(0, 3), h.daytime(), toRefuge ? 'Supported move to refuge; safety plan updated.' : 'Supported move to a new address; safety plan updated.',
        { riskLevel: 'high' }, [{ person: flight.victim, role: 'subject' }]);
    }
  }
  if (story.probation) {
    const { from, to } = story.probation;
    let day = Math.max(from, world.historyStart + prng.int(0, 40));
    for (let n = 0; n < 14 && day <= Math.min(to, world.lastEventDay); n++) {
      const first = day === from;
      h.add(area.probation, 'probation_contact', day, h.daytime(),
        first ? 'Supervision started: community order with a Building Better Relationships requirement.' : prng.pick(texts.probationContacts),
        { order: 'Community order with a Building Better Relationships requirement', supervisionEnds: isoDate(to) },
        [{ person: perpetrator, role: 'subject', suspect: true }]);
      day += prng.int(21, 56);
    }
  }
  if (prng.chance(0.25)) {
    const home = b.homeOf(perpetrator, world.lastEventDay) ?? perpetrator.spells[0]?.home;
    const day = prng.int(world.historyStart, world.lastEventDay);
    const text = prng.pick(texts.policeOtherIncidents).replace('{town}', home?.town ?? 'the').replace('{street}', home?.street ?? 'the high street');
    h.add(area.police, 'police_other_incident', day, incidentMinute(prng), text, {}, [{ person: perpetrator, role: 'subject', suspect: true }], { bySystem: true });
  }
  const victim = story.incidents[0]?.victim;
  if (victim && prng.chance(0.03)) {
    h.add(area.adultSocialCare, 'adult_social_care_contact', prng.int(world.historyStart, world.lastEventDay), h.daytime(),
      prng.pick(texts.adultSocialCareContacts), {}, [{ person: victim, role: 'subject' }]);
  }
}

function incidentSummary(inc: Incident, band: number, childrenPresent: number, grade: string): string {
  const what = ['Verbal domestic incident', 'Domestic assault', 'Serious domestic assault'][band] as string;
  const by = inc.afterSeparation ? ' by ex-partner' : '';
  const where = inc.home ? (inc.atVictimsHome ? ' at the home address' : ' at the suspect\u2019s address') : ' in a public place';
  const children = inc.children.length === 0 ? 'no children in the household'
    : childrenPresent === 0 ? 'children in the household, not present'
      : `${childrenPresent} ${childrenPresent === 1 ? 'child' : 'children'} present`;
  return `${what}${by}${where}; ${children}; ${grade} risk.`;
}

/** What follows an incident: police action, referrals, health, IDVA, school. */
function afterIncident(
  h: History, story: AbuseStory, inc: Incident, band: number, details: ReturnType<typeof policeIncidentDetails>,
  event: ChronologyEvent, minute: number, protectionOrder: (until: Day) => void,
): void {
  const { prng, world } = h;
  const { area } = world;
  const perpetrator = story.perpetrator;
  const victim = inc.victim;
  const day = inc.day;
  const policeReference = event.details['policeReference'];

  if (details.actions.includes('arrest')) {
    const offence = prng.pick(arrestOffences[band] as readonly string[]);
    h.add(area.police, 'arrest', day, minute + prng.int(20, 180), `Arrested on suspicion of ${offence.toLowerCase()}.`,
      { offence, policeReference }, [{ person: perpetrator, role: 'subject', suspect: true }], { bySystem: true });
    if (prng.chance(0.1)) {
      h.add(area.police, 'bail_breach', day + prng.int(5, 40), incidentMinute(prng), 'Breach of bail conditions: contacted the victim by phone.',
        { policeReference }, [{ person: perpetrator, role: 'subject', suspect: true }, { person: victim, role: 'adult_victim' }], { bySystem: true });
    }
  }
  if (details.actions.includes('dvpn')) {
    const served = day + prng.int(1, 2);
    protectionOrder(served + 28);
    h.add(area.police, 'protection_order', served, h.daytime(), 'Domestic Violence Protection Notice served; order made by magistrates for 28 days.',
      { order: 'DVPO', days: 28, policeReference }, [{ person: perpetrator, role: 'subject', suspect: true }, { person: victim, role: 'adult_victim' }], { bySystem: true });
    if (prng.chance(0.2)) {
      h.add(area.police, 'protection_order_breach', served + prng.int(2, 25), incidentMinute(prng), 'Breach of DVPO: attended the victim\u2019s address.',
        { order: 'DVPO' }, [{ person: perpetrator, role: 'subject', suspect: true }, { person: victim, role: 'adult_victim' }], { bySystem: true });
    }
  }
  const babies = inc.children.some((c) => ageOn(c.birthDay as Day, day) < 1);
  if (inc.children.length > 0 && (details.riskGrade !== 'standard' || story.incidents.indexOf(inc) > 0 || babies) && prng.chance(0.75)) {
    h.add(area.socialCare, 'referral', day + prng.int(1, 2), h.daytime(),
      `Police notification of domestic abuse; ${inc.children.length} ${inc.children.length === 1 ? 'child' : 'children'} in the household.`,
      { source: 'police', policeReference, riskGrade: details.riskGrade },
      [...inc.children.map((c) => ({ person: c, role: 'subject' as const })), { person: victim, role: 'adult_victim' }, { person: perpetrator, role: 'alleged_perpetrator' }]);
  }
  if (band >= 1 && details.injuries !== 'none visible' && prng.chance(band === 2 ? 0.6 : 0.2)) {
    const presentation = prng.pick(texts.edAfterAbuse[band - 1] as readonly string[]);
    h.add(area.emergencyDepartment, 'ed_attendance', day, minute + prng.int(45, 600), presentation,
      { presentingComplaint: presentation, discharge: band === 2 && prng.chance(0.3) ? 'admitted' : 'home', domesticAbuseDisclosed: presentation.includes('disclosed') },
      [{ person: victim, role: 'subject' }]);
  }
  if (details.actions.includes('idva_referral')) {
    let contactDay = day + prng.int(1, 5);
    for (let n = prng.int(1, 4), first = true; n > 0; n--, first = false) {
      const text = first ? (details.victimConsent ? texts.idvaContacts[0] as string : texts.idvaContacts[4] as string) : prng.pick(texts.idvaContacts);
      h.add(area.idva, 'idva_contact', contactDay, h.daytime(), text, { riskLevel: details.riskGrade }, [{ person: victim, role: 'subject' }]);
      contactDay += prng.int(3, 30);
    }
  }
  if (prng.chance(0.1)) {
    const consultDay = day + prng.int(5, 60);
    const gp = gpOn(victim, consultDay);
    if (gp) h.add(gp, 'gp_consultation', consultDay, h.daytime(), prng.pick(texts.gpConsultations), {}, [{ person: victim, role: 'subject' }]);
  }
  for (const child of inc.children) {
    const next = h.schoolDay(day + 1);
    const school = schoolOn(child, next);
    if (school && prng.chance(0.2)) {
      h.add(school, 'school_concern', next, h.daytime(), prng.pick(texts.schoolConcerns), {}, [{ person: child, role: 'subject' }]);
    }
    if (school && prng.chance(0.15)) schoolAbsence(h, child, day + prng.int(1, 10), true);
    const age = ageOn(child.birthDay as Day, day);
    if (age >= 12 && prng.chance(0.05)) missingEpisode(h, child, day + prng.int(1, 60));
  }
  const youngest = inc.children.filter((c) => ageOn(c.birthDay as Day, day) < 5).sort((x, y) => (y.birthDay as Day) - (x.birthDay as Day))[0];
  if (youngest && prng.chance(0.4)) {
    h.add(area.healthVisiting, 'health_visitor_contact', day + prng.int(3, 21), h.daytime(), prng.pick(texts.healthVisitorNotes.slice(2)),
      { contact: 'targeted_visit' }, [{ person: youngest, role: 'subject' }, { person: victim, role: 'other' }]);
  }
  const due = inc.unborn ? (inc.unborn.birthDay ?? inc.unborn.expectedBirthDay) : null;
  if (due !== null && prng.chance(0.45)) {
    const disclosed = Math.min(due - 1, day + prng.int(1, 40));
    h.add(area.midwifery, 'midwifery_disclosure', disclosed, h.daytime(), prng.pick(texts.midwiferyDisclosures), {}, [{ person: victim, role: 'subject' }]);
  }
}
