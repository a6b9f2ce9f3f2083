// Turning front-door records into what the pages show: names, ages, tags, deadlines, and the
// details of a notification in words.
import { eventKinds, isEventKind } from '../chronology/event-kinds';
import { dashSets } from '../risk/dash';
import { formatCalendarDate, inLondon, monthNames } from '../web/views';
import type { ContactPriority, ContactStage } from '../db/schema';
import { priorityLabels, priorityTagClasses, sourceLabels, stageLabels, type ContactSource } from './labels';
import { deadline } from './time';

export function fullName(p: { givenName: string | null; familyName: string | null }): string {
  return [p.givenName, p.familyName].filter(Boolean).join(' ') || 'Name not known';
}

export function priorityTag(priority: ContactPriority | null) {
  return priority
    ? { text: priorityLabels[priority], classes: priorityTagClasses[priority] }
    : { text: 'Not screened', classes: priorityTagClasses.unscreened };
}

export function stageTag(stage: ContactStage, returned = false) {
  if (returned) return { text: 'Returned', classes: 'govuk-tag--pink' };
  const classes: Record<ContactStage, string> = {
    screening: 'govuk-tag--grey', checks: 'govuk-tag--light-blue', decision: 'govuk-tag--blue', authorisation: 'govuk-tag--purple', closed: 'govuk-tag--green',
  };
  return { text: stageLabels[stage], classes: classes[stage] };
}

export const sourceText = (source: string): string => sourceLabels[source as ContactSource] ?? source;

export const eventKindText = (kind: string): string => (isEventKind(kind) ? eventKinds[kind] : kind.replaceAll('_', ' '));

/** Age in words: "age 7", "age 9 months", or "unborn, due 3 May 2026". */
export function ageText(p: { dateOfBirth: string | null; expectedDateOfBirth?: string | null }, today: string): string {
  if (!p.dateOfBirth) return p.expectedDateOfBirth ? `unborn, due ${formatCalendarDate(p.expectedDateOfBirth)}` : 'age not known';
  const [by, bm, bd] = p.dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  const months = (ty - by) * 12 + (tm - bm) - (td < bd ? 1 : 0);
  if (months < 0) return 'not born yet';
  if (months < 24) return `age ${months} ${months === 1 ? 'month' : 'months'}`;
  return `age ${Math.floor(months / 12)}`;
}

/** A short instant for tables, in UK time: "Tue 17 Nov, 10:15pm" (with the year when not this year's). */
export function shortInstant(value: Date, now: Date): string {
  const at = inLondon(value);
  const year = at.year === inLondon(now).year ? '' : ` ${at.year}`;
  return `${at.weekday} ${at.day} ${(monthNames[at.month - 1] as string).slice(0, 3)}${year}, ${at.time}`;
}

export function deadlineView(at: Date, now: Date, open = true) {
  const d = deadline(at, now);
  return { at, short: shortInstant(at, now), overdue: open && d.overdue, text: open ? d.text : '' };
}

// ---- A notification's details in words

const actionLabels: Record<string, string> = {
  arrest: 'Arrest',
  dvpn: 'Domestic violence protection notice',
  dvpo: 'Domestic violence protection order',
  idva_referral: 'Referral to IDVA',
  marac_referral: 'Referral to MARAC',
  safeguarding_referral: 'Safeguarding referral',
  no_further_action: 'No further action',
};

const knownLabels: Record<string, string> = {
  policeReference: 'Police reference',
  occurredAt: 'Date and time',
  location: 'Place',
  place: 'Place',
  attendingOfficer: 'Attending officer',
  circumstances: 'What happened',
  injuries: 'Injuries',
  weapons: 'Weapons',
  riskGrade: 'Officer’s risk grade',
  officerRiskGrade: 'Officer’s risk grade',
  actions: 'What police did',
  victimConsent: 'Victim consents to share',
  dashScore: 'DASH score',
};

const order = ['policeReference', 'occurredAt', 'location', 'place', 'attendingOfficer', 'circumstances', 'injuries', 'weapons', 'dash', 'dashScore', 'riskGrade', 'officerRiskGrade', 'actions', 'victimConsent'];

function humanise(key: string): string {
  const words = key.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueText(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return 'Not recorded';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (key === 'riskGrade' || key === 'officerRiskGrade') return value.charAt(0).toUpperCase() + value.slice(1);
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return 'None';
    return value.map((v) => (typeof v === 'string' ? actionLabels[v] ?? humanise(v) : valueText(key, v))).join('; ');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${humanise(k)}: ${valueText(k, v)}`).join('; ');
  }
  return String(value);
}

export interface DashSummary {
  yes: number;
  answered: number;
  asked: number;
  yesItems: string[];
}

/** DASH answers by question number → the score and the "yes" topics in Hearth's own short labels. */
export function dashSummary(answers: unknown, police: boolean): DashSummary | null {
  if (!answers || typeof answers !== 'object' || Array.isArray(answers)) return null;
  const entries = Object.entries(answers as Record<string, unknown>).map(([q, a]) => [q, typeof a === 'object' && a !== null ? (a as { answer?: unknown }).answer : a] as const);
  if (entries.length === 0) return null;
  // Police use the 27-question set; others the SafeLives 24, unless the numbers say otherwise.
  const set = police || entries.some(([q]) => Number(q) > 24) ? dashSets.police_27 : dashSets.safelives_24;
  const yesQuestions = entries.filter(([, a]) => a === 'yes').map(([q]) => Number(q)).sort((x, y) => x - y);
  return {
    yes: yesQuestions.length,
    answered: entries.filter(([, a]) => a === 'yes' || a === 'no').length,
    asked: entries.length,
    yesItems: yesQuestions.map((q) => `${q}. ${set.questions.find((x) => x.number === q)?.label ?? 'Question ' + q}`),
  };
}

/** The details of a notification as rows of label and text, known fields first in a sensible order. */
export function detailRows(details: Record<string, unknown>): { key: string; label: string; text: string }[] {
  const keys = Object.keys(details).filter((k) => k !== 'dash' && k !== 'dashAnswers' && k !== 'people' && k !== 'children');
  keys.sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return keys.map((key) => ({ key, label: knownLabels[key] ?? humanise(key), text: valueText(key, details[key]) }));
}

export const roleLabels: Record<string, string> = {
  child: 'Child',
  adult_victim: 'Adult victim',
  alleged_perpetrator: 'Alleged perpetrator',
  subject: 'Subject',
  other: 'Other',
};
