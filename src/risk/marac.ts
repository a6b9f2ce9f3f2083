// MARAC referral criteria over one adult victim's history, each explained in plain English with
// the incidents and dates that counted, so the MASH decision can act on it and show why.
import { z } from 'zod';
import { isValidCalendarDate } from '../chronology/dates';
import { addMonths, type Day, dayOf, isWithinMonthsTo, longDate, shortDate } from './calendar';
import { parseOrThrow } from './validation';

const calendarDate = z.string().refine(isValidCalendarDate, 'Must be a date written YYYY-MM-DD');
const id = z.string().min(1, 'Must not be empty');

export const maracInputSchema = z.object({
  /** The date the criteria are judged at, usually the latest incident's; later incidents are ignored. */
  asOf: calendarDate,
  /** The victim's domestic abuse incidents, reported by any agency. The same id twice counts once. */
  incidents: z.array(z.object({ id, date: calendarDate, agency: z.string().optional() })),
  /** The victim's current DASH score and the area's threshold when it was assessed. */
  dash: z.object({ score: z.int().min(0), threshold: z.int().min(1).max(27), assessedOn: calendarDate, incidentId: id.optional() }).nullish(),
  /** A practitioner's judgement that the risk is high, with the reason. */
  professionalJudgement: z
    .object({ reason: z.string().trim().min(1, 'Write the reason for your professional judgement'), incidentId: id.optional() })
    .nullish(),
  /** The date of the victim's last MARAC (the referral's date when it was heard). */
  lastMaracOn: calendarDate.nullish(),
});
export type MaracInput = z.input<typeof maracInputSchema>;
export type MaracIncident = MaracInput['incidents'][number];

const months = z.int('Must be a whole number of months').min(1, 'Must be at least 1 month').max(60, 'Must be 60 months or fewer');

export const maracConfigSchema = z.object({
  /** Potential escalation: this many incidents or more ... */
  escalationIncidents: z.int('Must be a whole number').min(2, 'Must be at least 2').max(50, 'Must be 50 or fewer').default(3),
  /** ... within this many calendar months up to the date judged. */
  escalationWindowMonths: months.default(12),
  /** Repeat: a new incident within this many months after the last MARAC. */
  repeatWindowMonths: months.default(12),
});
export type MaracConfig = z.output<typeof maracConfigSchema>;

export function maracConfig(input: unknown = {}): MaracConfig {
  return parseOrThrow(maracConfigSchema, input, 'marac');
}

export type MaracCriterion = 'visible_high_risk' | 'potential_escalation' | 'professional_judgement' | 'repeat';

export interface MaracCriterionResult {
  criterion: MaracCriterion;
  met: boolean;
  explanation: string;
  incidentIds: string[];
}

export interface MaracRecommendation {
  recommended: boolean;
  criteria: MaracCriterionResult[];
}

interface DatedIncident {
  id: string;
  day: Day;
  agency: string | undefined;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function list(incidents: readonly DatedIncident[], yearOf: Day): string {
  return incidents.map((i) => `${shortDate(i.day, yearOf)}${i.agency ? ` (${i.agency})` : ''}`).join(', ');
}

/** Recommends a MARAC referral when any criterion is met, explaining each one met or not. */
export function evaluateMarac(rawInput: MaracInput, config: MaracConfig = maracConfig()): MaracRecommendation {
  const input = parseOrThrow(maracInputSchema, rawInput, 'marac');
  const asOf = dayOf(input.asOf);
  const seen = new Set<string>();
  const incidents: DatedIncident[] = [];
  for (const i of input.incidents) {
    if (seen.has(i.id)) continue;
    seen.add(i.id);
    const day = dayOf(i.date);
    if (day <= asOf) incidents.push({ id: i.id, day, agency: i.agency });
  }
  incidents.sort((a, b) => a.day - b.day || (a.id < b.id ? -1 : 1));

  const criteria: MaracCriterionResult[] = [
    visibleHighRisk(input.dash),
    potentialEscalation(incidents, asOf, config),
    professionalJudgement(input.professionalJudgement),
    repeat(incidents, asOf, input.lastMaracOn, config),
  ];
  return { recommended: criteria.some((c) => c.met), criteria };
}

function visibleHighRisk(dash: z.output<typeof maracInputSchema>['dash']): MaracCriterionResult {
  const criterion = 'visible_high_risk';
  if (!dash) return { criterion, met: false, explanation: 'No DASH risk checklist has been completed.', incidentIds: [] };
  const met = dash.score >= dash.threshold;
  const on = longDate(dayOf(dash.assessedOn));
  return {
    criterion,
    met,
    explanation: `DASH score ${dash.score} on ${on} is ${met ? 'at or above' : 'below'} the high-risk threshold of ${dash.threshold}.`,
    incidentIds: dash.incidentId ? [dash.incidentId] : [],
  };
}

function potentialEscalation(incidents: readonly DatedIncident[], asOf: Day, config: MaracConfig): MaracCriterionResult {
  const needed = config.escalationIncidents;
  const inWindow = incidents.filter((i) => isWithinMonthsTo(i.day, asOf, config.escalationWindowMonths));
  const met = inWindow.length >= needed;
  const window = `in the ${config.escalationWindowMonths} months to ${longDate(asOf)}`;
  const explanation =
    inWindow.length === 0
      ? `No incidents ${window}; ${needed} or more are needed.`
      : met
        ? `${plural(inWindow.length, 'incident')} ${window}: ${list(inWindow, asOf)}.`
        : `${plural(inWindow.length, 'incident')} ${window} (${list(inWindow, asOf)}); ${needed} or more are needed.`;
  return { criterion: 'potential_escalation', met, explanation, incidentIds: inWindow.map((i) => i.id) };
}

function professionalJudgement(judgement: z.output<typeof maracInputSchema>['professionalJudgement']): MaracCriterionResult {
  const criterion = 'professional_judgement';
  if (!judgement) return { criterion, met: false, explanation: 'No professional judgement of high risk has been recorded.', incidentIds: [] };
  return {
    criterion,
    met: true,
    explanation: `A practitioner judged the risk high: ${judgement.reason}`,
    incidentIds: judgement.incidentId ? [judgement.incidentId] : [],
  };
}

/** Incidents after the day of the last MARAC (that day's own incident was the one heard) and within the window. */
function repeat(incidents: readonly DatedIncident[], asOf: Day, lastMaracOn: string | null | undefined, config: MaracConfig): MaracCriterionResult {
  const criterion = 'repeat';
  if (!lastMaracOn) return { criterion, met: false, explanation: 'The victim has not been heard at a MARAC before.', incidentIds: [] };
  const marac = dayOf(lastMaracOn);
  const windowEnd = addMonths(marac, config.repeatWindowMonths);
  const repeats = incidents.filter((i) => i.day > marac && i.day <= windowEnd);
  const within = `within ${config.repeatWindowMonths} months of the last MARAC on ${longDate(marac)}`;
  if (repeats.length === 0) {
    const ended = windowEnd < asOf ? ` (that period ended on ${longDate(windowEnd)})` : '';
    return { criterion, met: false, explanation: `No new incident ${within}${ended}.`, incidentIds: [] };
  }
  return {
    criterion,
    met: true,
    explanation: `${plural(repeats.length, 'new incident')} ${within}: ${list(repeats, asOf)}.`,
    incidentIds: repeats.map((i) => i.id),
  };
}
