// How the chronology's events and controls read: the facts of each kind of event in words, the
// filters from the query with each bad one named, the count line and the page numbers.
import { describe, expect, it } from 'vitest';
import { withheldText } from '../frontdoor/sealed';
import type { Chronology } from './chronology';
import { describeDetails } from './details';
import { chronologyHref, countText, pageNumbers, parseChronologyFilter } from './present';

const child = '00000000-0000-4000-8000-000000000001';
const agency = '00000000-0000-4000-8000-0000000000aa';

describe('the facts of an event', () => {
  const describe_ = (kind: string, details: Record<string, unknown>, summary = 'Summary', sourceRef: string | null = null) =>
    describeDetails({ kind, summary, sourceRef, details }, child);

  it('reads a police notification as intake stores it, with this child’s place and state', () => {
    const d = describe_('police_da_incident', {
      policeReference: 'NB/1/26', location: '4 Elm Row', attendingOfficer: { name: 'PC Jo Marsh', collarNumber: '4471' }, circumstances: 'Argument; pushed.',
      injuries: 'none recorded', dash: { set: 'police_27', answers: { 1: { answer: 'yes' }, 2: { answer: 'not_known' }, 3: { answer: 'no' } } }, dashYes: 1,
      riskGrade: 'medium', actions: ['arrest', 'dvpn', 'idva_referral'], victimConsent: false,
      children: [{ personId: 'someone-else', where: 'Asleep', demeanour: 'Calm' }, { personId: child, where: 'In the kitchen', demeanour: null }],
      somethingNew: 'never shown',
    }, 'Summary', 'NB/1/26');
    expect(d.location).toBe('4 Elm Row');
    expect(d.child).toEqual({ where: 'In the kitchen', demeanour: null });
    expect(d.facts.map((f) => [f.label, f.value])).toEqual([
      ['What happened', 'Argument; pushed.'],
      ['Injuries', 'none recorded'],
      ['DASH risk checklist', '1 of 3 questions answered yes (1 not known)'],
      ['Police risk grade', 'Medium'],
      ['Police action', 'Arrest; Domestic violence protection notice; Referral to an IDVA'],
      ['Victim consented to share', 'No'],
      ['Attending officer', 'PC Jo Marsh (4471)'],
    ]);
  });

  it('reads the demo’s DASH answers, kept as plain strings, and a checklist the victim declined', () => {
    expect(describe_('police_da_incident', { dash: { 1: 'yes', 2: 'yes', 3: 'no' } }).facts).toEqual([{ label: 'DASH risk checklist', value: '2 of 3 questions answered yes', withheld: false }]);
    expect(describe_('police_da_incident', { dash: { 1: 'not_known', 2: 'not_known' } }).facts[0]!.value).toBe('Not answered');
  });

  it('names each kind’s own facts, and says a repeated summary once', () => {
    expect(describe_('school_absence', { days: 3, authorised: true }).facts.map((f) => `${f.label}: ${f.value}`)).toEqual(['Days absent: 3', 'Absence authorised: Yes']);
    expect(describe_('protection_order', { order: 'DVPO', days: 28, policeReference: 'NB/9/26' }, 'Served', 'DVPN/26/1').facts.map((f) => `${f.label}: ${f.value}`))
      .toEqual(['Police reference: NB/9/26', 'Order: DVPO', 'Length: 28 days']);
    expect(describe_('ed_attendance', { presentingComplaint: 'Fall from bed', discharge: 'home' }, 'Fall from bed').facts.map((f) => f.label)).toEqual(['Outcome']);
    expect(describe_('referral', { source: 'emergency_department', concernDate: '2026-03-07', consent: 'not_sought', referrer: { name: 'Dr Okoye', role: 'Registrar' } }).facts
      .map((f) => `${f.label}: ${f.value}`)).toEqual(['Date of the concern: 7 March 2026', 'Referred by: Emergency department', 'Referrer: Dr Okoye, Registrar', 'Consent to share: Consent not sought']);
  });

  it('shows a withheld fact as withheld, whatever its usual shape', () => {
    const d = describe_('police_da_incident', { location: withheldText, actions: withheldText, children: withheldText });
    expect(d).toMatchObject({ location: null, locationWithheld: true, child: { where: withheldText, demeanour: null } });
    expect(d.facts).toEqual([{ label: 'Police action', value: withheldText, withheld: true }]);
  });
});

describe('the chronology’s controls', () => {
  it('reads the filters from the query, one value or several', () => {
    expect(parseChronologyFilter({ agency: agency, kind: ['arrest', 'referral'], child: 'voice', page: '3', done: 'merged' }))
      .toEqual({ filter: { agency: [agency], kind: ['arrest', 'referral'], child: ['voice'], page: 3 } });
    expect(parseChronologyFilter({})).toEqual({ filter: { agency: [], kind: [], child: [], page: 1 } });
  });

  it('names each bad filter once, linked to its checkboxes, and falls back to no filter', () => {
    const { filter, errors } = parseChronologyFilter({ agency: ['police', 'health'], kind: 'picnic', child: 'asleep', page: '2.5' });
    expect(filter).toEqual({ agency: [], kind: [], child: [], page: 1 });
    expect(errors?.list).toEqual([
      { text: 'Choose agencies from the list', href: '#agency' },
      { text: 'Choose types of event from the list', href: '#kind' },
      { text: 'Choose what the child filter shows from the list', href: '#child' },
      { text: 'Page must be a whole number', href: '#chronology' },
    ]);
    expect(errors?.byField['agency']).toEqual({ text: 'Choose agencies from the list' });
  });

  it('keeps the filters in the page links', () => {
    expect(chronologyHref('p1', { agency: [agency], kind: ['arrest'], child: ['present'], page: 1 }, 2)).toBe(`/people/p1?agency=${agency}&kind=arrest&child=present&page=2#chronology`);
    expect(chronologyHref('p1', { agency: [], kind: [], child: [], page: 4 })).toBe('/people/p1#chronology');
  });

  it('counts what is shown', () => {
    const c = (over: Partial<Chronology>) => ({ total: 40, matching: 40, filtered: false, page: 1, pages: 2, pageSize: 25, ...over }) as Chronology;
    expect(countText(c({}))).toBe('Showing all 40 events (1 to 25 on this page)');
    expect(countText(c({ page: 2 }))).toBe('Showing all 40 events (26 to 40 on this page)');
    expect(countText(c({ matching: 12, filtered: true, pages: 1 }))).toBe('Showing 12 of 40 events');
    expect(countText(c({ total: 1, matching: 1, pages: 1 }))).toBe('Showing 1 event');
  });

  it('offers the first, last and neighbouring pages, with gaps', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(1, 3)).toEqual([1, 2, 3]);
    expect(pageNumbers(5, 10)).toEqual([1, null, 4, 5, 6, null, 10]);
    expect(pageNumbers(3, 10)).toEqual([1, 2, 3, 4, null, 10]);
    expect(pageNumbers(10, 10)).toEqual([1, null, 9, 10]);
  });
});
