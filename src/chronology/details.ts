// What an event's details say, in words a practitioner reads on the chronology. Each agency (and
// intake) stores its own facts in `event.details`; only the facts named here are shown, each
// with its label, so an unexpected key never spills raw data onto the page. The details arrive
// already stripped of anything naming a sealed address (src/frontdoor/sealed.ts): a withheld
// fact is shown as withheld, whatever its usual shape.
import { withheldText } from '../frontdoor/sealed';
import { consentLabels, sourceLabels } from '../frontdoor/labels';
import { formatCalendarDate } from '../web/views';

export interface Fact {
  label: string;
  value: string;
  /** The value was withheld because it names a confidential address. */
  withheld: boolean;
}

/** What the event says about one child in it, beyond their presence and their words. */
export interface ChildDetails {
  /** Where they were when it happened. */
  where: string | null;
  /** How they seemed. */
  demeanour: string | null;
}

export interface DescribedDetails {
  facts: Fact[];
  /** The place as the agency wrote it (e.g. a police incident's location); null when not given. */
  location: string | null;
  locationWithheld: boolean;
  child: ChildDetails;
}

type Formatter = (value: unknown, kind: string) => { label?: string; value: string } | string | null;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const words = (value: string) => capitalise(value.replaceAll('_', ' '));
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const yesNo = (value: unknown): string | null => (value === true ? 'Yes' : value === false ? 'No' : null);
const count = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

const actionLabels: Record<string, string> = {
  arrest: 'Arrest',
  dvpn: 'Domestic violence protection notice',
  idva_referral: 'Referral to an IDVA',
};

const referralSourceLabels: Record<string, string> = { ...sourceLabels, police: 'Police' };

const contactLabels: Record<string, string> = {
  new_birth_visit: 'New birth visit',
  targeted_visit: 'Targeted visit',
};

const placementLabels: Record<string, string> = {
  refuge: 'Refuge',
  new_address: 'A new address, held confidentially',
};

/** DASH answers are kept by question number, either as 'yes' or as { answer: 'yes', note }. */
function dashText(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return null;
  const answers = 'answers' in value && value.answers && typeof value.answers === 'object' ? value.answers : value;
  const given = Object.values(answers as Record<string, unknown>).map((a) =>
    typeof a === 'string' ? a : a && typeof a === 'object' && 'answer' in a ? a.answer : null);
  if (given.length === 0) return null;
  const yes = given.filter((a) => a === 'yes').length;
  const notKnown = given.filter((a) => a === 'not_known').length;
  if (notKnown === given.length) return 'Not answered';
  return `${yes} of ${given.length} questions answered yes${notKnown ? ` (${notKnown} not known)` : ''}`;
}

/** The facts shown, in the order shown. */
const formatters: [key: string, label: string, format: Formatter][] = [
  ['policeReference', 'Police reference', text],
  ['reference', 'Their reference', text],
  ['concernDate', 'Date of the concern', (v) => (typeof v === 'string' ? formatCalendarDate(v) : null)],
  ['source', 'Referred by', (v) => (typeof v === 'string' ? (referralSourceLabels[v] ?? words(v)) : null)],
  ['concern', 'Concern', text],
  ['domesticAbuse', 'Domestic abuse', yesNo],
  ['circumstances', 'What happened', text],
  ['injuries', 'Injuries', text],
  ['weapons', 'Weapons', text],
  ['offence', 'Offence', text],
  ['order', 'Order', text],
  ['days', 'Length', (v, kind) => {
    const n = count(v);
    if (n === null) return null;
    return kind === 'school_absence' ? { label: 'Days absent', value: String(n) } : `${n} ${n === 1 ? 'day' : 'days'}`;
  }],
  ['authorised', 'Absence authorised', yesNo],
  ['durationHours', 'Missing for', (v) => { const n = count(v); return n === null ? null : `${n} ${n === 1 ? 'hour' : 'hours'}`; }],
  ['returnInterviewOffered', 'Return interview offered', yesNo],
  ['presentingComplaint', 'Presenting complaint', text],
  ['discharge', 'Outcome', (v) => (typeof v === 'string' ? capitalise(v) : null)],
  ['domesticAbuseDisclosed', 'Domestic abuse disclosed', yesNo],
  ['gestationWeeks', 'Weeks pregnant at booking', (v) => { const n = count(v); return n === null ? null : String(n); }],
  ['expectedDateOfBirth', 'Due date', (v) => (typeof v === 'string' ? formatCalendarDate(v) : null)],
  ['contact', 'Contact', (v) => (typeof v === 'string' ? (contactLabels[v] ?? words(v)) : null)],
  ['reason', 'Reason', (v) => (typeof v === 'string' ? words(v) : null)],
  ['placement', 'Placement', (v) => (typeof v === 'string' ? (placementLabels[v] ?? words(v)) : null)],
  ['supervisionEnds', 'Supervision ends', (v) => (typeof v === 'string' ? formatCalendarDate(v) : null)],
  ['dash', 'DASH risk checklist', dashText],
  ['riskGrade', 'Police risk grade', (v) => (typeof v === 'string' ? capitalise(v) : null)],
  ['riskLevel', 'Risk level', (v) => (typeof v === 'string' ? capitalise(v) : null)],
  ['actions', 'Police action', (v) => {
    if (!Array.isArray(v)) return null;
    return v.length === 0 ? 'None recorded' : v.map((a) => (typeof a === 'string' ? (actionLabels[a] ?? words(a)) : '')).filter(Boolean).join('; ');
  }],
  ['victimConsent', 'Victim consented to share', yesNo],
  ['attendingOfficer', 'Attending officer', (v) => {
    if (!v || typeof v !== 'object') return null;
    const officer = v as { name?: unknown; collarNumber?: unknown };
    const name = text(officer.name);
    if (!name) return null;
    const collar = text(officer.collarNumber);
    return collar ? `${name} (${collar})` : name;
  }],
  ['referrer', 'Referrer', (v) => {
    if (!v || typeof v !== 'object') return null;
    const referrer = v as { name?: unknown; role?: unknown };
    return [text(referrer.name), text(referrer.role)].filter(Boolean).join(', ') || null;
  }],
  ['consent', 'Consent to share', (v) => (typeof v === 'string' ? (consentLabels[v as keyof typeof consentLabels] ?? words(v)) : null)],
  ['lawfulBasis', 'Lawful basis for sharing without consent', text],
  ['justification', 'Why shared without consent', text],
];

/** What the event's details say, for the chronology of `personId`. */
export function describeDetails(
  event: { kind: string; summary: string; sourceRef: string | null; details: Record<string, unknown> }, personId: string,
): DescribedDetails {
  const { kind, details } = event;
  const facts: Fact[] = [];
  for (const [key, label, format] of formatters) {
    if (!Object.hasOwn(details, key)) continue;
    const value = details[key];
    if (value === withheldText) {
      facts.push({ label, value: withheldText, withheld: true });
      continue;
    }
    const formatted = format(value, kind);
    if (formatted === null || formatted === '') continue;
    const fact = typeof formatted === 'string' ? { label, value: formatted } : { label: formatted.label ?? label, value: formatted.value };
    // Some agencies repeat the summary or their own reference as a detail; say each once.
    if (fact.value === event.summary || fact.value === event.sourceRef) continue;
    facts.push({ ...fact, withheld: false });
  }
  const location = details['location'];
  return {
    facts,
    location: location === withheldText ? null : text(location),
    locationWithheld: location === withheldText,
    child: childDetails(details['children'], personId),
  };
}

/** Intake keeps, for each child in a police notification, where they were and how they seemed. */
function childDetails(children: unknown, personId: string): ChildDetails {
  if (children === withheldText) return { where: withheldText, demeanour: null };
  if (!Array.isArray(children)) return { where: null, demeanour: null };
  const mine = children.find((c): c is Record<string, unknown> => Boolean(c) && typeof c === 'object' && (c as { personId?: unknown }).personId === personId);
  return { where: text(mine?.['where']), demeanour: text(mine?.['demeanour']) };
}
