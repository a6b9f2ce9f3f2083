// Cross-agency pattern flags for a child or household, computed from its events alone, so they
// can be recomputed whenever an event arrives. Each flag names the events that raised it, with
// their dates and a plain-English explanation; the rules themselves are in pattern-rules.ts.
import { z } from 'zod';
import type { EventKind } from '../chronology/event-kinds';
import type { CalendarDate, Day } from './calendar';
import { londonDay } from './calendar';
import type { RiskLevel } from './dash';
import { patternRules } from './pattern-rules';
import { parseOrThrow } from './validation';

export type EventRole = 'child' | 'victim' | 'alleged_perpetrator' | 'new_partner' | 'parent' | 'other';

export interface EventPerson {
  personId: string;
  role: EventRole;
  /** For children, to tell a baby under 18 months. */
  dateOfBirth?: CalendarDate;
}

/** What some kinds of event say; each field is read only for the kinds named. */
export interface EventDetails {
  /** Any kind: the household the event happened in. */
  householdId?: string;
  /** Domestic abuse incidents: the severity recorded. */
  dashScore?: number;
  riskGrade?: RiskLevel;
  injuries?: boolean;
  weapons?: boolean;
  /** midwifery_booking: the expected date of delivery. */
  expectedDeliveryDate?: CalendarDate;
  /** school_absence: half-day sessions missed (2 when not given: one day). */
  sessionsMissed?: number;
  /** missing_episode: missing from home (the default) or from school. */
  missingFrom?: 'home' | 'school';
}

/**
 * An agency's event, or a partner relationship recorded (not an event of any agency), which is
 * how a caller names someone as a `new_partner`.
 */
export type PatternEventKind = EventKind | 'partner_recorded';

export interface PatternEvent {
  id: string;
  kind: PatternEventKind;
  /** An instant (UTC); rules count London calendar days. */
  occurredAt: Date;
  people: readonly EventPerson[];
  details?: EventDetails;
}

export const patternFlagLabels = {
  escalation: 'Escalation',
  repeat_incidents: 'Repeat incidents',
  recent_separation: 'Recent separation',
  pregnancy_or_baby: 'Pregnancy or baby under 18 months',
  perpetrator_linked: 'Alleged perpetrator linked to other victims or households',
  new_partner_history: 'New partner with a history',
  breach: 'Breach of bail or a protection order',
  child_missing: 'Child missing from home or school',
  school_absence_rising: 'School absence rising',
  ed_attendance: 'Emergency department attendance',
} as const;
export type PatternFlagKind = keyof typeof patternFlagLabels;

export interface PatternFlag {
  kind: PatternFlagKind;
  label: string;
  explanation: string;
  /** The events that raised the flag, oldest first, and their London dates in the same order. */
  eventIds: string[];
  dates: CalendarDate[];
  /** People the flag is about (the baby, the alleged perpetrator, the new partner...). */
  personIds: string[];
}

const months = z.int().min(1).max(120);
const count = z.int().min(1).max(1000);

/** Every threshold of every rule; see pattern-rules.ts for how each is used. */
export const patternConfigSchema = z.object({
  /** Event kinds that count as a domestic abuse incident. */
  incidentKinds: z.array(z.enum(['police_da_incident', 'midwifery_disclosure'])).min(1).default(['police_da_incident', 'midwifery_disclosure']),
  escalation: z
    .object({
      /** Volume: this many incidents within windowMonths (the MARAC "potential escalation" count). */
      volumeIncidents: count.default(3),
      windowMonths: months.default(12),
      /** Frequency: more incidents in the last recentMonths than in the recentMonths before, and at least minRecentIncidents. */
      recentMonths: months.default(6),
      minRecentIncidents: count.default(2),
      /** Severity: the latest DASH score this much above every earlier one in the window. */
      dashRise: count.default(3),
    })
    .prefault({}),
  repeat: z.object({ minIncidents: count.default(2), windowMonths: months.default(12) }).prefault({}),
  separation: z.object({ withinMonths: months.default(3) }).prefault({}),
  pregnancyOrBaby: z
    .object({
      babyUnderMonths: months.default(18),
      /** Domestic abuse this recent counts. */
      lookbackMonths: months.default(12),
      /** When a booking has no due date, the pregnancy is taken to last this long from booking. */
      pregnancyMonthsWithoutDueDate: months.default(7),
    })
    .prefault({}),
  perpetratorLinked: z.object({ minVictims: z.int().min(2).default(2), minHouseholds: z.int().min(2).default(2) }).prefault({}),
  newPartner: z.object({ withinMonths: months.default(12), minHistoryEvents: count.default(1) }).prefault({}),
  breach: z.object({ minBreaches: count.default(1), windowMonths: months.default(12) }).prefault({}),
  missing: z.object({ minEpisodes: count.default(1), windowMonths: months.default(12) }).prefault({}),
  schoolAbsence: z.object({ windowMonths: months.default(3), minRecentSessions: count.default(6) }).prefault({}),
  edAttendance: z.object({ minAttendances: count.default(1), windowMonths: months.default(12) }).prefault({}),
});
export type PatternConfig = z.output<typeof patternConfigSchema>;

export function patternConfig(input: unknown = {}): PatternConfig {
  return parseOrThrow(patternConfigSchema, input, 'patterns');
}

const defaultConfig = patternConfig();

/** An event with its London day and its place in time order, as the rules see it. */
export interface DatedEvent {
  event: PatternEvent;
  day: Day;
  index: number;
}

export interface RuleContext {
  /** Events up to the moment judged, oldest first (ties by id). */
  events: readonly DatedEvent[];
  /** The domestic abuse incidents among them. */
  incidents: readonly DatedEvent[];
  asOf: Day;
  config: PatternConfig;
}

/**
 * The flags raised by `events` as at `asOf` (events after it are ignored), in a fixed order of
 * kind, at most one flag of each kind. The same events in any order give the same flags.
 */
export function computePatternFlags(events: readonly PatternEvent[], asOf: Date, config: PatternConfig = defaultConfig): PatternFlag[] {
  const cutoff = asOf.getTime();
  const timed = events
    .map((event) => ({ event, at: event.occurredAt.getTime() }))
    .filter((e) => e.at <= cutoff)
    // Ties broken by id, so that the input's order never matters.
    .sort((a, b) => a.at - b.at || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0));
  const dated: DatedEvent[] = timed.map(({ event }, index) => ({ event, day: londonDay(event.occurredAt), index }));
  const incidentKinds = new Set<PatternEventKind>(config.incidentKinds);
  const context: RuleContext = { events: dated, incidents: dated.filter((e) => incidentKinds.has(e.event.kind)), asOf: londonDay(asOf), config };

  const flags: PatternFlag[] = [];
  for (const rule of patternRules) {
    const raised = rule(context);
    if (raised) flags.push({ ...raised, label: patternFlagLabels[raised.kind] });
  }
  return flags;
}
