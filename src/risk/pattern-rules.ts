// The pattern rules, one function each, in the order flags are shown. Each reads the dated
// events and its thresholds from the configuration, and returns a flag or nothing.
// "In the N months to a day" runs from windowStart (calendar.ts) to that day, both included.
import { eventKinds } from '../chronology/event-kinds';
import { addMonths, type Day, dayOf, dateOf, longDate, shortDate, windowStart } from './calendar';
import { type RiskLevel, riskLevelRank } from './dash';
import type { DatedEvent, EventRole, PatternEventKind, PatternFlag, PatternFlagKind, RuleContext } from './patterns';

type Raised = Omit<PatternFlag, 'label'>;
type Rule = (context: RuleContext) => Raised | null;

// ---- Helpers

function raise(kind: PatternFlagKind, sentences: readonly string[], triggering: Iterable<DatedEvent>, personIds: Iterable<string> = []): Raised {
  const events = [...new Set(triggering)].sort((a, b) => a.index - b.index);
  return {
    kind,
    explanation: sentences.join(' '),
    eventIds: events.map((e) => e.event.id),
    dates: events.map((e) => dateOf(e.day)),
    personIds: [...new Set(personIds)],
  };
}

function within(events: readonly DatedEvent[], asOf: Day, months: number): DatedEvent[] {
  const start = windowStart(asOf, months);
  return events.filter((e) => e.day >= start && e.day <= asOf);
}

function ofKind(events: readonly DatedEvent[], ...kinds: PatternEventKind[]): DatedEvent[] {
  return events.filter((e) => kinds.includes(e.event.kind));
}

function peopleIn(e: DatedEvent, ...roles: EventRole[]): string[] {
  return e.event.people.filter((p) => roles.includes(p.role)).map((p) => p.personId);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** At most this many dates are written out; the flag's eventIds still list every event. */
const listedDates = 8;

function dateList(events: readonly DatedEvent[], asOf: Day, describe: (e: DatedEvent) => string = () => ''): string {
  const shown = events.slice(-listedDates).map((e) => `${describe(e)}${shortDate(e.day, asOf)}`);
  const hidden = events.length - shown.length;
  return hidden > 0 ? `${shown.join(', ')} and ${hidden} earlier` : shown.join(', ');
}

function kindOn(e: DatedEvent): string {
  const label = e.event.kind === 'partner_recorded' ? 'Partner recorded' : eventKinds[e.event.kind];
  return `${label.charAt(0).toLowerCase()}${label.slice(1)} on `;
}
const toDate = (asOf: Day, months: number) => `in the ${months} months to ${longDate(asOf)}`;

// ---- Rules

/** More severe: the latest incident in the window against every earlier one in it. */
function severity(window: readonly DatedEvent[], asOf: Day, dashRise: number): { sentences: string[]; events: DatedEvent[] } {
  const latest = window.at(-1);
  const earlier = window.slice(0, -1);
  const sentences: string[] = [];
  const events: DatedEvent[] = [];
  if (!latest || earlier.length === 0) return { sentences, events };
  const now = latest.event.details ?? {};
  const on = shortDate(latest.day, asOf);

  const graded = earlier.flatMap((e) => (e.event.details?.riskGrade ? [{ e, grade: e.event.details.riskGrade }] : []));
  const topGrade = graded.reduce<RiskLevel | null>((top, { grade }) => (top === null || riskLevelRank[grade] > riskLevelRank[top] ? grade : top), null);
  if (now.riskGrade && topGrade && riskLevelRank[now.riskGrade] > riskLevelRank[topGrade]) {
    const compared = graded.map(({ e }) => e);
    sentences.push(`Risk grade rose to ${now.riskGrade} on ${on}, from at most ${topGrade} before (${dateList(compared, asOf)}).`);
    events.push(latest, ...compared);
  }
  const scored = earlier.flatMap((e) => (e.event.details?.dashScore !== undefined ? [{ e, score: e.event.details.dashScore }] : []));
  const topScore = Math.max(...scored.map(({ score }) => score));
  if (now.dashScore !== undefined && scored.length > 0 && now.dashScore - topScore >= dashRise) {
    const compared = scored.map(({ e }) => e);
    sentences.push(`DASH score rose to ${now.dashScore} on ${on}, from at most ${topScore} before (${dateList(compared, asOf)}).`);
    events.push(latest, ...compared);
  }
  for (const [field, what] of [['injuries', 'Injuries'], ['weapons', 'A weapon']] as const) {
    if (now[field] && !earlier.some((e) => e.event.details?.[field])) {
      sentences.push(`${what} on ${on}, where the earlier incidents (${dateList(earlier, asOf)}) recorded none.`);
      events.push(latest, ...earlier);
    }
  }
  return { sentences, events };
}

/** Escalation: by volume (as MARAC's potential escalation), by rising frequency, or by severity. */
const escalation: Rule = ({ incidents, asOf, config: { escalation: c } }) => {
  const sentences: string[] = [];
  const triggering: DatedEvent[] = [];
  const window = within(incidents, asOf, c.windowMonths);
  if (window.length >= c.volumeIncidents) {
    sentences.push(`${plural(window.length, 'domestic abuse incident')} ${toDate(asOf, c.windowMonths)}: ${dateList(window, asOf)}.`);
    triggering.push(...window);
  }
  const recent = within(incidents, asOf, c.recentMonths);
  const recentStart = windowStart(asOf, c.recentMonths);
  const before = incidents.filter((e) => e.day < recentStart && e.day >= windowStart(asOf, 2 * c.recentMonths));
  if (recent.length >= c.minRecentIncidents && recent.length > before.length) {
    const previously = before.length === 0 ? 'none' : `${before.length}: ${dateList(before, asOf)}`;
    sentences.push(`More incidents in the last ${c.recentMonths} months (${recent.length}: ${dateList(recent, asOf)}) than in the ${c.recentMonths} months before (${previously}).`);
    triggering.push(...recent, ...before);
  }
  const worse = severity(window, asOf, c.dashRise);
  sentences.push(...worse.sentences);
  triggering.push(...worse.events);
  return sentences.length ? raise('escalation', sentences, triggering) : null;
};

const repeatIncidents: Rule = ({ incidents, asOf, config: { repeat: c } }) => {
  const window = within(incidents, asOf, c.windowMonths);
  if (window.length < c.minIncidents) return null;
  return raise('repeat_incidents', [`${plural(window.length, 'domestic abuse incident')} ${toDate(asOf, c.windowMonths)}: ${dateList(window, asOf)}.`], window);
};

const recentSeparation: Rule = ({ events, asOf, config: { separation: c } }) => {
  const separations = within(ofKind(events, 'separation'), asOf, c.withinMonths);
  if (separations.length === 0) return null;
  return raise(
    'recent_separation',
    [`Separation recorded on ${dateList(separations, asOf)}, ${toDate(asOf, c.withinMonths)}; the risk of serious harm often rises after separation.`],
    separations,
    separations.flatMap((e) => peopleIn(e, 'victim', 'alleged_perpetrator', 'parent')),
  );
};

/**
 * Domestic abuse in the lookback during a pregnancy or a baby's first 18 months. A pregnancy is
 * known from a midwifery booking and runs to the due date (or a default length); a baby from a
 * child's date of birth. Also raised when someone is pregnant or has a baby now, and there was
 * domestic abuse in the lookback before it.
 */
const pregnancyOrBaby: Rule = ({ events, incidents, asOf, config: { pregnancyOrBaby: c } }) => {
  const recent = within(incidents, asOf, c.lookbackMonths);
  if (recent.length === 0) return null;
  const periods: { start: Day; end: Day; describe: () => string; source?: DatedEvent; personId?: string }[] = [];
  const babies = new Set<string>();
  for (const e of events) {
    if (e.event.kind === 'midwifery_booking') {
      const due = e.event.details?.expectedDeliveryDate;
      const birth = due ? dayOf(due) : addMonths(e.day, c.pregnancyMonthsWithoutDueDate);
      const describe = () => `Pregnancy booked on ${shortDate(e.day, asOf)}${due ? ` (due ${shortDate(birth, asOf)})` : ''}`;
      periods.push({ start: e.day, end: addMonths(birth, c.babyUnderMonths), describe, source: e });
    }
    for (const p of e.event.people) {
      if (p.role !== 'child' || !p.dateOfBirth || babies.has(p.personId)) continue;
      babies.add(p.personId);
      const born = dayOf(p.dateOfBirth);
      periods.push({ start: born, end: addMonths(born, c.babyUnderMonths), describe: () => `A baby born on ${shortDate(born, asOf)}`, personId: p.personId });
    }
  }
  const sentences: string[] = [];
  const triggering: DatedEvent[] = [];
  const personIds: string[] = [];
  for (const period of periods) {
    const during = recent.filter((e) => e.day >= period.start && e.day < period.end);
    const now = asOf >= period.start && asOf < period.end;
    const counted = during.length > 0 ? during : now ? recent : [];
    if (counted.length === 0) continue;
    sentences.push(`${period.describe()}, with domestic abuse ${during.length > 0 ? 'on' : 'before it, on'} ${dateList(counted, asOf)}.`);
    triggering.push(...counted, ...(period.source ? [period.source] : []));
    if (period.personId) personIds.push(period.personId);
  }
  return sentences.length ? raise('pregnancy_or_baby', sentences, triggering, personIds) : null;
};

/** Over all history: the same alleged perpetrator with several victims or in several households. */
const perpetratorLinked: Rule = ({ events, asOf, config: { perpetratorLinked: c } }) => {
  const links = new Map<string, { victims: Set<string>; households: Set<string>; events: DatedEvent[] }>();
  for (const e of events) {
    for (const perpetrator of peopleIn(e, 'alleged_perpetrator')) {
      let link = links.get(perpetrator);
      if (!link) links.set(perpetrator, (link = { victims: new Set(), households: new Set(), events: [] }));
      for (const victim of peopleIn(e, 'victim')) link.victims.add(victim);
      if (e.event.details?.householdId) link.households.add(e.event.details.householdId);
      link.events.push(e);
    }
  }
  const sentences: string[] = [];
  const triggering: DatedEvent[] = [];
  const personIds: string[] = [];
  for (const [perpetrator, link] of links) {
    if (link.victims.size < c.minVictims && link.households.size < c.minHouseholds) continue;
    const spread = [
      link.victims.size > 0 ? plural(link.victims.size, 'victim') : '',
      link.households.size > 0 ? plural(link.households.size, 'household') : '',
    ].filter(Boolean);
    sentences.push(`An alleged perpetrator is linked to ${spread.join(' and ')}, through events on ${dateList(link.events, asOf)}.`);
    triggering.push(...link.events);
    personIds.push(perpetrator);
  }
  return sentences.length ? raise('perpetrator_linked', sentences, triggering, personIds) : null;
};

/** Events that make up a history of harm for someone who is not the victim or a child in them. */
const offendingKinds: readonly PatternEventKind[] = ['arrest', 'bail_breach', 'protection_order', 'protection_order_breach', 'probation_contact'];

/** A new partner recorded in the window, who anywhere in the events is an alleged perpetrator or an offender. */
const newPartnerHistory: Rule = ({ events, asOf, config: { newPartner: c } }) => {
  const firstSeen = new Map<string, DatedEvent>();
  for (const e of within(events, asOf, c.withinMonths)) {
    for (const partner of peopleIn(e, 'new_partner')) if (!firstSeen.has(partner)) firstSeen.set(partner, e);
  }
  const sentences: string[] = [];
  const triggering: DatedEvent[] = [];
  const personIds: string[] = [];
  for (const [partner, seen] of firstSeen) {
    const history = events.filter((e) =>
      e.event.people.some(
        (p) => p.personId === partner && (p.role === 'alleged_perpetrator' || (offendingKinds.includes(e.event.kind) && p.role !== 'victim' && p.role !== 'child')),
      ),
    );
    if (history.length < c.minHistoryEvents) continue;
    sentences.push(`A new partner, recorded on ${shortDate(seen.day, asOf)}, has a history: ${dateList(history, asOf, kindOn)}.`);
    triggering.push(seen, ...history);
    personIds.push(partner);
  }
  return sentences.length ? raise('new_partner_history', sentences, triggering, personIds) : null;
};

const breach: Rule = ({ events, asOf, config: { breach: c } }) => {
  const breaches = within(ofKind(events, 'bail_breach', 'protection_order_breach'), asOf, c.windowMonths);
  if (breaches.length < c.minBreaches) return null;
  return raise(
    'breach',
    [`${plural(breaches.length, 'breach', 'breaches')} ${toDate(asOf, c.windowMonths)}: ${dateList(breaches, asOf, kindOn)}.`],
    breaches,
    breaches.flatMap((e) => peopleIn(e, 'alleged_perpetrator')),
  );
};

const childMissing: Rule = ({ events, asOf, config: { missing: c } }) => {
  const episodes = within(ofKind(events, 'missing_episode'), asOf, c.windowMonths).filter((e) => peopleIn(e, 'child').length > 0);
  if (episodes.length < c.minEpisodes) return null;
  const from = (place: 'home' | 'school') => episodes.filter((e) => (e.event.details?.missingFrom ?? 'home') === place);
  const places = (['home', 'school'] as const).filter((place) => from(place).length > 0).map((place) => `from ${place} on ${dateList(from(place), asOf)}`);
  return raise(
    'child_missing',
    [`${plural(episodes.length, 'missing episode')} ${toDate(asOf, c.windowMonths)}: ${places.join('; ')}.`],
    episodes,
    episodes.flatMap((e) => peopleIn(e, 'child')),
  );
};

/** For each child, more sessions missed in the last window than in the window before it. */
const schoolAbsenceRising: Rule = ({ events, asOf, config: { schoolAbsence: c } }) => {
  const absences = ofKind(events, 'school_absence');
  const children = [...new Set(absences.flatMap((e) => peopleIn(e, 'child')))];
  const recentStart = windowStart(asOf, c.windowMonths);
  const previousStart = windowStart(asOf, 2 * c.windowMonths);
  const sessions = (list: readonly DatedEvent[]) => list.reduce((sum, e) => sum + (e.event.details?.sessionsMissed ?? 2), 0);
  const sentences: string[] = [];
  const triggering: DatedEvent[] = [];
  const personIds: string[] = [];
  for (const child of children) {
    const own = absences.filter((e) => peopleIn(e, 'child').includes(child));
    const recent = own.filter((e) => e.day >= recentStart && e.day <= asOf);
    const previous = own.filter((e) => e.day >= previousStart && e.day < recentStart);
    const [now, before] = [sessions(recent), sessions(previous)];
    if (now < c.minRecentSessions || now <= before) continue;
    sentences.push(`A child missed ${plural(now, 'session')} of school ${toDate(asOf, c.windowMonths)} (${dateList(recent, asOf)}), up from ${before} in the ${c.windowMonths} months before.`);
    triggering.push(...recent, ...previous);
    personIds.push(child);
  }
  return sentences.length ? raise('school_absence_rising', sentences, triggering, personIds) : null;
};

const edAttendance: Rule = ({ events, asOf, config: { edAttendance: c } }) => {
  const attendances = within(ofKind(events, 'ed_attendance'), asOf, c.windowMonths).filter((e) => peopleIn(e, 'child', 'victim').length > 0);
  if (attendances.length < c.minAttendances) return null;
  const who = (e: DatedEvent) => (peopleIn(e, 'child').length > 0 ? 'a child on ' : 'the adult victim on ');
  return raise(
    'ed_attendance',
    [`${plural(attendances.length, 'emergency department attendance')} ${toDate(asOf, c.windowMonths)}: ${dateList(attendances, asOf, who)}.`],
    attendances,
    attendances.flatMap((e) => peopleIn(e, 'child', 'victim')),
  );
};

export const patternRules: readonly Rule[] = [
  escalation,
  repeatIncidents,
  recentSeparation,
  pregnancyOrBaby,
  perpetratorLinked,
  newPartnerHistory,
  breach,
  childMissing,
  schoolAbsenceRising,
  edAttendance,
];
