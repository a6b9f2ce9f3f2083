// The web forms for a police notification and a referral, mapped to the same schemas as the API.
// Forms are flat (one name per field, GOV.UK date inputs in three boxes); people go to fixed
// sections (victim, alleged perpetrator, up to three children), and a problem found by the schema
// is sent back to the field it came from.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { londonInstant } from '../calendar/london';
import { dashSets } from '../risk/dash';
import type { PageErrors } from '../web/forms';
import { policeNotificationSchema, referralSchema, type PoliceNotification, type Referral } from './schemas';

export type FormBody = Record<string, string | string[] | undefined>;

export const childSlots = ['child1', 'child2', 'child3'] as const;

const value = (body: FormBody, name: string): string => {
  const v = body[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
};
const values = (body: FormBody, name: string): string[] => {
  const v = body[name];
  return (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean);
};
const optional = (v: string) => (v === '' ? undefined : v);
const yesNo = (v: string) => (v === 'yes' ? true : v === 'no' ? false : undefined);

/** A GOV.UK date input (prefix-day, prefix-month, prefix-year) as 'YYYY-MM-DD', or what was typed. */
function dateOf(body: FormBody, prefix: string): string | undefined {
  const [d = '', m = '', y = ''] = ['day', 'month', 'year'].map((p) => value(body, `${prefix}-${p}`));
  if (!d && !m && !y) return undefined;
  return `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

function personFrom(body: FormBody, prefix: string, role: string, fallbackRef: string) {
  const line1 = value(body, `${prefix}-line1`);
  const postcode = value(body, `${prefix}-postcode`);
  return {
    role,
    sourceRef: value(body, `${prefix}-ref`) || fallbackRef,
    givenName: value(body, `${prefix}-givenName`),
    familyName: value(body, `${prefix}-familyName`),
    dateOfBirth: dateOf(body, `${prefix}-dob`),
    sex: optional(value(body, `${prefix}-sex`)),
    nhsNumber: optional(value(body, `${prefix}-nhsNumber`)),
    address: line1 || postcode
      ? { line1, town: optional(value(body, `${prefix}-town`)), postcode: optional(postcode), confidential: value(body, `${prefix}-addressConfidential`) === 'yes' }
      : undefined,
    relationshipToVictim: optional(value(body, `${prefix}-relationship`)),
    present: yesNo(value(body, `${prefix}-present`)),
    whereDuringIncident: optional(value(body, `${prefix}-where`)),
    childVoice: optional(value(body, `${prefix}-voice`)),
    demeanour: optional(value(body, `${prefix}-demeanour`)),
  };
}

const hasPerson = (body: FormBody, prefix: string) => Boolean(value(body, `${prefix}-givenName`) || value(body, `${prefix}-familyName`));

/** A reference for a person the form did not give one for: unique, so it never joins another record by accident. */
const generatedRef = (what: string) => `WEB-${what}-${randomBytes(5).toString('hex').toUpperCase()}`;

// Field names the schema reports → the form's own field ids.
const personFieldIds: Record<string, string> = {
  givenName: 'givenName', familyName: 'familyName', dateOfBirth: 'dob-day', expectedDateOfBirth: 'dob-day', sex: 'sex', nhsNumber: 'nhsNumber',
  'address.line1': 'line1', 'address.postcode': 'postcode', 'address.town': 'town', relationshipToVictim: 'relationship', present: 'present',
  whereDuringIncident: 'where', childVoice: 'voice', demeanour: 'demeanour', sourceRef: 'ref',
};

function errorsFor(error: z.ZodError, fieldIds: Record<string, string>, peoplePrefixes: string[]): PageErrors {
  const errors: PageErrors = { list: [], byField: {} };
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    let id: string;
    if (path[0] === 'people' && path[1] !== undefined && /^\d+$/.test(path[1])) {
      const prefix = peoplePrefixes[Number(path[1])] ?? 'victim';
      const field = path.slice(2).join('.');
      id = `${prefix}-${personFieldIds[field] ?? personFieldIds[path[2] ?? ''] ?? 'givenName'}`;
    } else {
      id = fieldIds[path.join('.')] ?? fieldIds[path[0] ?? ''] ?? path.join('-');
    }
    if (errors.byField[id]) continue;
    errors.byField[id] = { text: issue.message };
    errors.list.push({ text: issue.message, href: `#${id}` });
  }
  return errors;
}

const notificationFieldIds: Record<string, string> = {
  policeReference: 'policeReference', occurredAt: 'occurred-day', location: 'location', 'attendingOfficer.name': 'officerName',
  'attendingOfficer.collarNumber': 'collarNumber', circumstances: 'circumstances', injuries: 'injuries', weapons: 'weapons',
  riskGrade: 'riskGrade', victimConsent: 'victimConsent', dash: 'dashCompleted', people: 'victim-givenName',
};

export function readNotificationForm(body: FormBody): { ok: true; data: PoliceNotification } | { ok: false; errors: PageErrors } {
  const reference = value(body, 'policeReference');
  const prefixes = ['victim'];
  const people = [personFrom(body, 'victim', 'adult_victim', generatedRef('V'))];
  if (hasPerson(body, 'perpetrator')) {
    prefixes.push('perpetrator');
    people.push(personFrom(body, 'perpetrator', 'alleged_perpetrator', generatedRef('P')));
  }
  for (const slot of childSlots) {
    if (!hasPerson(body, slot)) continue;
    prefixes.push(slot);
    people.push({ ...personFrom(body, slot, 'child', generatedRef('C')), relationshipToVictim: optional(value(body, `${slot}-relationship`)) ?? 'child' });
  }
  const date = dateOf(body, 'occurred');
  const time = value(body, 'occurredTime');
  const dashCompleted = value(body, 'dashCompleted') === 'yes';
  const yes = new Set(values(body, 'dashYes').map(Number));
  const notKnown = new Set(values(body, 'dashNotKnown').map(Number));
  const input = {
    policeReference: reference,
    occurredAt: date && /^\d{1,2}:\d{2}$/.test(time) ? localToIso(date, time) : date ? 'invalid' : undefined,
    location: value(body, 'location'),
    locationConfidential: value(body, 'locationConfidential') === 'yes',
    attendingOfficer: { name: value(body, 'officerName'), collarNumber: optional(value(body, 'collarNumber')) },
    people,
    circumstances: value(body, 'circumstances'),
    injuries: optional(value(body, 'injuries')),
    weapons: optional(value(body, 'weapons')),
    dash: dashCompleted
      ? {
          set: 'police_27',
          answers: Object.fromEntries(dashSets.police_27.questions.map((q) => [q.number, { answer: yes.has(q.number) ? 'yes' : notKnown.has(q.number) ? 'not_known' : 'no' }])),
        }
      : undefined,
    riskGrade: optional(value(body, 'riskGrade')),
    actions: { arrest: values(body, 'actions').includes('arrest'), dvpn: values(body, 'actions').includes('dvpn'), idvaReferral: values(body, 'actions').includes('idvaReferral') },
    victimConsent: yesNo(value(body, 'victimConsent')),
  };
  const parsed = policeNotificationSchema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, errors: errorsFor(parsed.error, notificationFieldIds, prefixes) };
}

/** A date and a time typed in England, as an ISO instant; 'invalid' lets the schema name the problem. */
function localToIso(date: string, time: string): string {
  try {
    return londonInstant(date, time.padStart(5, '0')).toISOString();
  } catch {
    return 'invalid';
  }
}

const referralFieldIds: Record<string, string> = {
  reference: 'reference', source: 'source', concernDate: 'concern-day', concern: 'concern', domesticAbuse: 'domesticAbuse',
  'referrer.name': 'referrerName', 'referrer.role': 'referrerRole', 'referrer.phone': 'referrerPhone', 'referrer.email': 'referrerEmail',
  consent: 'consent', lawfulBasis: 'lawfulBasis', justification: 'justification', people: 'child1-givenName',
};

export function readReferralForm(body: FormBody): { ok: true; data: Referral } | { ok: false; errors: PageErrors } {
  const prefixes: string[] = [];
  const people = [];
  for (const slot of childSlots) {
    if (!hasPerson(body, slot) && slot !== 'child1') continue;
    prefixes.push(slot);
    people.push({ ...personFrom(body, slot, 'child', generatedRef('C')), present: undefined, relationshipToVictim: undefined });
  }
  if (hasPerson(body, 'carer')) {
    prefixes.push('carer');
    people.push({ ...personFrom(body, 'carer', value(body, 'carer-role') || 'other', generatedRef('A')), relationshipToVictim: undefined });
  }
  const input = {
    reference: value(body, 'reference') || generatedRef('R'),
    source: optional(value(body, 'source')),
    concernDate: dateOf(body, 'concern'),
    concern: value(body, 'concern'),
    domesticAbuse: yesNo(value(body, 'domesticAbuse')),
    people,
    referrer: { name: value(body, 'referrerName'), role: value(body, 'referrerRole'), phone: optional(value(body, 'referrerPhone')), email: optional(value(body, 'referrerEmail')) },
    consent: optional(value(body, 'consent')),
    lawfulBasis: optional(value(body, 'lawfulBasis')),
    justification: optional(value(body, 'justification')),
  };
  const parsed = referralSchema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, errors: errorsFor(parsed.error, referralFieldIds, prefixes) };
}
