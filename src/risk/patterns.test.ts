import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventKind } from '../chronology/event-kinds';
import { dateOf, londonDay } from './calendar';
import { evaluateMarac } from './marac';
import { computePatternFlags, type EventDetails, type EventPerson, patternConfig, type PatternEvent, type PatternFlagKind } from './patterns';

const child: EventPerson = { personId: 'child-1', role: 'child', dateOfBirth: '2018-05-01' };
const victim: EventPerson = { personId: 'mum', role: 'victim' };
const perpetrator: EventPerson = { personId: 'dad', role: 'alleged_perpetrator' };

/** An event at noon UTC on `date` (or at an exact instant when one is given). */
function ev(id: string, kind: EventKind, date: string, people: EventPerson[] = [victim, perpetrator, child], details?: EventDetails): PatternEvent {
  return { id, kind, occurredAt: new Date(date.includes('T') ? date : `${date}T12:00:00Z`), people, ...(details ? { details } : {}) };
}
const incident = (id: string, date: string, details?: EventDetails) => ev(id, 'police_da_incident', date, [victim, perpetrator, child], details);

const asOf = new Date('2026-03-14T18:00:00Z');

function flag(events: PatternEvent[], kind: PatternFlagKind, config = patternConfig(), at = asOf) {
  return computePatternFlags(events, at, config).find((f) => f.kind === kind);
}

describe('escalation', () => {
  it('is raised by a third incident in 12 months, naming all three', () => {
    const events = [incident('a', '2026-01-02'), incident('b', '2026-02-19'), incident('c', '2026-03-14')];
    expect(flag(events.slice(0, 2), 'escalation', patternConfig({ escalation: { minRecentIncidents: 3 } }))).toBeUndefined();
    const raised = flag(events, 'escalation');
    expect(raised).toMatchObject({ label: 'Escalation', eventIds: ['a', 'b', 'c'], dates: ['2026-01-02', '2026-02-19', '2026-03-14'] });
    expect(raised?.explanation).toContain('3 domestic abuse incidents in the 12 months to 14 March 2026: 2 Jan, 19 Feb, 14 Mar.');
  });

  it('is raised by more incidents in the last 6 months than the 6 before, and not when equal', () => {
    const config = patternConfig({ escalation: { volumeIncidents: 10 } });
    const rising = [incident('old', '2025-06-01'), incident('a', '2026-01-02'), incident('b', '2026-03-14')];
    expect(flag(rising, 'escalation', config)?.explanation).toBe('More incidents in the last 6 months (2: 2 Jan, 14 Mar) than in the 6 months before (1: 1 Jun 2025).');
    expect(flag([incident('older', '2025-05-01'), ...rising], 'escalation', config)).toBeUndefined();
  });

  it('is not raised by two incidents far apart', () => {
    expect(flag([incident('a', '2025-04-20'), incident('b', '2026-03-14')], 'escalation')).toBeUndefined();
  });

  it('is raised when the risk grade rises', () => {
    const events = [incident('a', '2025-07-01', { riskGrade: 'medium' }), incident('b', '2026-03-14', { riskGrade: 'high' })];
    expect(flag(events, 'escalation')).toMatchObject({ explanation: 'Risk grade rose to high on 14 Mar, from at most medium before (1 Jul 2025).', eventIds: ['a', 'b'] });
    expect(flag([incident('a', '2025-07-01', { riskGrade: 'high' }), incident('b', '2026-03-14', { riskGrade: 'high' })], 'escalation')).toBeUndefined();
  });

  it('is raised when the DASH score rises by 3 or more, and not by 2', () => {
    const at = (score: number) => flag([incident('a', '2025-07-01', { dashScore: 8 }), incident('b', '2026-03-14', { dashScore: score })], 'escalation');
    expect(at(11)?.explanation).toBe('DASH score rose to 11 on 14 Mar, from at most 8 before (1 Jul 2025).');
    expect(at(10)).toBeUndefined();
  });

  it('is raised by the first injuries or weapon, not when earlier incidents had them', () => {
    const first = [incident('a', '2025-07-01'), incident('b', '2026-03-14', { injuries: true, weapons: true })];
    expect(flag(first, 'escalation')?.explanation).toBe(
      'Injuries on 14 Mar, where the earlier incidents (1 Jul 2025) recorded none. A weapon on 14 Mar, where the earlier incidents (1 Jul 2025) recorded none.',
    );
    expect(flag([incident('a', '2025-07-01', { injuries: true, weapons: true }), first[1]!], 'escalation')).toBeUndefined();
  });

  it('is not raised by a single incident, however severe', () => {
    expect(flag([incident('a', '2026-03-14', { riskGrade: 'high', injuries: true })], 'escalation')).toBeUndefined();
  });
});

describe('repeat incidents', () => {
  it('counts an incident 365 days before but not 366, on London dates', () => {
    const at = (first: string) => flag([incident('first', first), incident('now', '2026-03-14')], 'repeat_incidents');
    expect(at('2025-03-14')?.explanation).toBe('2 domestic abuse incidents in the 12 months to 14 March 2026: 14 Mar 2025, 14 Mar.');
    expect(at('2025-03-13T23:30:00Z')).toBeUndefined(); // 13 March in London (GMT)
    // In summer, 23:30 UTC is already the next day in London.
    const summer = new Date('2026-07-01T12:00:00Z');
    expect(flag([incident('first', '2025-06-30T23:30:00Z'), incident('now', '2026-07-01')], 'repeat_incidents', patternConfig(), summer)?.dates).toEqual(['2025-07-01', '2026-07-01']);
  });

  it('across a leap day, counts 366 days before but not 367', () => {
    const at = (first: string) => flag([incident('first', first), incident('now', '2024-03-14')], 'repeat_incidents', patternConfig(), new Date('2024-03-14T20:00:00Z'));
    expect(at('2023-03-14')).toBeDefined();
    expect(at('2023-03-13')).toBeUndefined();
  });

  it('counts a disclosure to a midwife as an incident, by default', () => {
    const events = [ev('m', 'midwifery_disclosure', '2026-01-10', [victim]), incident('now', '2026-03-14')];
    expect(flag(events, 'repeat_incidents')?.eventIds).toEqual(['m', 'now']);
    expect(flag(events, 'repeat_incidents', patternConfig({ incidentKinds: ['police_da_incident'] }))).toBeUndefined();
  });
});

describe('recent separation', () => {
  it('is raised for a separation in the last 3 months and not before', () => {
    const sep = (date: string) => flag([ev('s', 'separation', date, [victim, perpetrator])], 'recent_separation');
    expect(sep('2025-12-14')).toMatchObject({
      explanation: 'Separation recorded on 14 Dec 2025, in the 3 months to 14 March 2026; the risk of serious harm often rises after separation.',
      personIds: ['mum', 'dad'],
    });
    expect(sep('2025-12-13')).toBeUndefined();
  });
});

describe('pregnancy or a baby under 18 months', () => {
  it('is raised by domestic abuse during a booked pregnancy', () => {
    const events = [ev('book', 'midwifery_booking', '2026-01-05', [victim], { expectedDeliveryDate: '2026-07-20' }), incident('i', '2026-03-14')];
    expect(flag(events, 'pregnancy_or_baby')).toMatchObject({ explanation: 'Pregnancy booked on 5 Jan (due 20 Jul), with domestic abuse on 14 Mar.', eventIds: ['book', 'i'] });
  });

  it('is raised by pregnancy now after domestic abuse earlier in the year', () => {
    const events = [incident('i', '2025-11-20'), ev('book', 'midwifery_booking', '2026-02-01', [victim])];
    expect(flag(events, 'pregnancy_or_baby')?.explanation).toBe('Pregnancy booked on 1 Feb, with domestic abuse before it, on 20 Nov 2025.');
  });

  it('is raised for a baby under 18 months, and not for one just over', () => {
    const withBaby = (dateOfBirth: string) => flag([ev('i', 'police_da_incident', '2026-03-14', [victim, perpetrator, { personId: 'baby', role: 'child', dateOfBirth }])], 'pregnancy_or_baby');
    expect(withBaby('2024-09-15')).toMatchObject({ explanation: 'A baby born on 15 Sep 2024, with domestic abuse on 14 Mar.', personIds: ['baby'] });
    expect(withBaby('2024-09-14')).toBeUndefined();
  });

  it('is not raised without domestic abuse in the last 12 months', () => {
    expect(flag([incident('i', '2025-01-01'), ev('book', 'midwifery_booking', '2026-02-01', [victim])], 'pregnancy_or_baby')).toBeUndefined();
  });
});

describe('alleged perpetrator linked to other victims or households', () => {
  it('is raised when the same alleged perpetrator has another victim in another household', () => {
    const events = [
      ev('elsewhere', 'police_da_incident', '2023-05-03', [{ personId: 'ex', role: 'victim' }, perpetrator], { householdId: 'h2' }),
      ev('here', 'police_da_incident', '2026-03-14', [victim, perpetrator, child], { householdId: 'h1' }),
    ];
    expect(flag(events, 'perpetrator_linked')).toMatchObject({
      explanation: 'An alleged perpetrator is linked to 2 victims and 2 households, through events on 3 May 2023, 14 Mar.',
      eventIds: ['elsewhere', 'here'],
      personIds: ['dad'],
    });
    expect(flag([events[1]!, ev('again', 'police_da_incident', '2026-01-01', [victim, perpetrator], { householdId: 'h1' })], 'perpetrator_linked')).toBeUndefined();
  });
});

describe('new partner with a history', () => {
  const partner = (role: EventPerson['role']): EventPerson => ({ personId: 'new', role });
  const history = [
    ev('arrest', 'arrest', '2023-03-03', [partner('other')]),
    ev('elsewhere', 'police_da_incident', '2024-05-05', [{ personId: 'someone', role: 'victim' }, partner('alleged_perpetrator')]),
    ev('as-victim', 'arrest', '2024-06-01', [partner('victim')]),
  ];

  it('is raised for a new partner recorded this year who has offended', () => {
    const events = [...history, ev('hv', 'health_visitor_contact', '2026-02-01', [victim, child, partner('new_partner')])];
    expect(flag(events, 'new_partner_history')).toMatchObject({
      explanation: 'A new partner, recorded on 1 Feb, has a history: arrest on 3 Mar 2023, domestic abuse incident (police) on 5 May 2024.',
      eventIds: ['arrest', 'elsewhere', 'hv'],
      personIds: ['new'],
    });
  });

  it('is not raised without a history, or for a partner recorded over 12 months ago', () => {
    expect(flag([history[2]!, ev('hv', 'health_visitor_contact', '2026-02-01', [partner('new_partner')])], 'new_partner_history')).toBeUndefined();
    expect(flag([...history, ev('hv', 'health_visitor_contact', '2025-03-13', [partner('new_partner')])], 'new_partner_history')).toBeUndefined();
  });
});

describe('breaches', () => {
  it('is raised by a breach of bail or of a protection order in 12 months', () => {
    const events = [ev('b', 'bail_breach', '2026-01-02', [perpetrator]), ev('p', 'protection_order_breach', '2026-02-19', [perpetrator, victim])];
    expect(flag(events, 'breach')).toMatchObject({
      explanation: '2 breaches in the 12 months to 14 March 2026: breach of bail conditions on 2 Jan, breach of a protection order on 19 Feb.',
      personIds: ['dad'],
    });
    expect(flag([ev('old', 'bail_breach', '2025-03-13', [perpetrator]), ev('order', 'protection_order', '2026-01-01', [perpetrator])], 'breach')).toBeUndefined();
  });
});

describe('child missing from home or school', () => {
  it('is raised by a child’s missing episodes, from home or school', () => {
    const events = [ev('h', 'missing_episode', '2026-01-02', [child]), ev('s', 'missing_episode', '2026-03-03', [child], { missingFrom: 'school' })];
    expect(flag(events, 'child_missing')).toMatchObject({
      explanation: '2 missing episodes in the 12 months to 14 March 2026: from home on 2 Jan; from school on 3 Mar.',
      personIds: ['child-1'],
    });
  });

  it('is not raised by an adult going missing, or by an old episode', () => {
    expect(flag([ev('a', 'missing_episode', '2026-01-02', [victim]), ev('old', 'missing_episode', '2025-01-02', [child])], 'child_missing')).toBeUndefined();
  });
});

describe('school absence rising', () => {
  const absence = (id: string, date: string, sessionsMissed?: number) => ev(id, 'school_absence', date, [child], sessionsMissed ? { sessionsMissed } : undefined);

  it('is raised when a child misses more sessions in the last 3 months than the 3 before', () => {
    const events = [absence('p', '2025-11-10'), absence('a', '2026-01-12'), absence('b', '2026-02-02'), absence('c', '2026-02-23'), absence('d', '2026-03-09')];
    expect(flag(events, 'school_absence_rising')).toMatchObject({
      explanation: 'A child missed 8 sessions of school in the 3 months to 14 March 2026 (12 Jan, 2 Feb, 23 Feb, 9 Mar), up from 2 in the 3 months before.',
      eventIds: ['p', 'a', 'b', 'c', 'd'],
      personIds: ['child-1'],
    });
  });

  it('is not raised when absence is falling or still low', () => {
    expect(flag([absence('p', '2025-11-10', 10), absence('a', '2026-01-12', 8)], 'school_absence_rising')).toBeUndefined();
    expect(flag([absence('a', '2026-01-12', 5)], 'school_absence_rising')).toBeUndefined();
  });
});

describe('emergency department attendances', () => {
  it('is raised by the child’s or the adult victim’s attendances, saying whose', () => {
    const events = [ev('c', 'ed_attendance', '2026-02-03', [child]), ev('v', 'ed_attendance', '2026-03-14', [victim])];
    expect(flag(events, 'ed_attendance')).toMatchObject({
      explanation: '2 emergency department attendances in the 12 months to 14 March 2026: a child on 3 Feb, the adult victim on 14 Mar.',
      personIds: ['child-1', 'mum'],
    });
  });

  it('is not raised by the alleged perpetrator’s attendance', () => {
    expect(flag([ev('p', 'ed_attendance', '2026-02-03', [perpetrator])], 'ed_attendance')).toBeUndefined();
  });
});

describe('computing flags', () => {
  it('raises escalation and a MARAC recommendation for a third incident in the year, naming the three', () => {
    const events = [incident('i1', '2026-01-02'), incident('i2', '2026-02-19'), incident('i3', '2026-03-14T17:30:00Z')];
    const flags = computePatternFlags(events, asOf);
    expect(flags.map((f) => f.kind)).toEqual(['escalation', 'repeat_incidents']);
    expect(flags[0]).toMatchObject({ eventIds: ['i1', 'i2', 'i3'], dates: ['2026-01-02', '2026-02-19', '2026-03-14'] });
    expect(flags[0]?.explanation).toContain('3 domestic abuse incidents in the 12 months to 14 March 2026: 2 Jan, 19 Feb, 14 Mar.');
    const marac = evaluateMarac({ asOf: dateOf(londonDay(asOf)), incidents: events.map((e) => ({ id: e.id, date: dateOf(londonDay(e.occurredAt)) })) });
    expect(marac.recommended).toBe(true);
    expect(marac.criteria[1]?.incidentIds).toEqual(['i1', 'i2', 'i3']);
  });

  it('ignores events after the moment judged', () => {
    expect(computePatternFlags([incident('a', '2026-03-01'), incident('future', '2026-03-15')], asOf)).toEqual([]);
  });

  it('names the field of a bad threshold', () => {
    expect(() => patternConfig({ repeat: { minIncidents: 0 } })).toThrow('patterns.repeat.minIncidents');
  });

  const kinds: EventKind[] = ['police_da_incident', 'bail_breach', 'ed_attendance', 'school_absence', 'missing_episode', 'separation', 'midwifery_booking', 'arrest', 'health_visitor_contact'];
  const roles: EventPerson[] = [child, victim, perpetrator, { personId: 'new', role: 'new_partner' }, { personId: 'v2', role: 'victim' }];
  const randomEvent = fc.record({
    id: fc.uuid(),
    kind: fc.constantFrom(...kinds),
    occurredAt: fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2026, 2, 14) }).map((ms) => new Date(ms)),
    people: fc.subarray(roles, { minLength: 1 }),
    details: fc.record(
      { householdId: fc.constantFrom('h1', 'h2'), dashScore: fc.nat(27), riskGrade: fc.constantFrom('standard', 'medium', 'high' as const), injuries: fc.boolean(), sessionsMissed: fc.nat(4) },
      { requiredKeys: [] },
    ),
  });

  it('gives the same flags whatever the order of the events, even at the same instant', () => {
    const tied = randomEvent.map((e) => ({ ...e, occurredAt: new Date(Date.UTC(2025, 6 + (e.occurredAt.getTime() % 6), 1)) }));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(randomEvent, tied), { maxLength: 40 }).chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length }))),
        ([events, shuffled]) => {
          expect(computePatternFlags(shuffled, asOf)).toEqual(computePatternFlags(events, asOf));
        },
      ),
      { numRuns: 200 },
    );
  });
});
