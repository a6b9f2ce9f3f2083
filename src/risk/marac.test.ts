import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HearthError } from '../server/errors';
import { addMonths, dateOf, dayOf } from './calendar';
import { evaluateMarac, type MaracCriterion, maracConfig, type MaracIncident, type MaracInput } from './marac';

function criterion(input: MaracInput, name: MaracCriterion, config = maracConfig()) {
  const found = evaluateMarac(input, config).criteria.find((c) => c.criterion === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}

const incident = (id: string, date: string, agency?: string): MaracIncident => ({ id, date, ...(agency ? { agency } : {}) });

describe('visible high risk', () => {
  it('is met at the threshold and not one below: 13 and 14', () => {
    const at = (score: number) => criterion({ asOf: '2026-03-14', incidents: [], dash: { score, threshold: 14, assessedOn: '2026-03-14', incidentId: 'i3' } }, 'visible_high_risk');
    expect(at(13)).toEqual({
      criterion: 'visible_high_risk',
      met: false,
      explanation: 'DASH score 13 on 14 March 2026 is below the high-risk threshold of 14.',
      incidentIds: ['i3'],
    });
    expect(at(14)).toMatchObject({ met: true, explanation: 'DASH score 14 on 14 March 2026 is at or above the high-risk threshold of 14.' });
  });

  it('says when there is no DASH', () => {
    expect(criterion({ asOf: '2026-03-14', incidents: [] }, 'visible_high_risk').explanation).toBe('No DASH risk checklist has been completed.');
  });
});

describe('potential escalation', () => {
  it('is not met by 2 incidents in 12 months, and is by 3, naming them with their agencies', () => {
    const two = [incident('a', '2026-01-02', 'police'), incident('c', '2026-03-14', 'police')];
    const notYet = criterion({ asOf: '2026-03-14', incidents: two }, 'potential_escalation');
    expect(notYet).toEqual({
      criterion: 'potential_escalation',
      met: false,
      explanation: '2 incidents in the 12 months to 14 March 2026 (2 Jan (police), 14 Mar (police)); 3 or more are needed.',
      incidentIds: ['a', 'c'],
    });
    const three = evaluateMarac({ asOf: '2026-03-14', incidents: [...two, incident('b', '2026-02-19', 'health')] });
    expect(three.recommended).toBe(true);
    expect(three.criteria.find((c) => c.criterion === 'potential_escalation')).toEqual({
      criterion: 'potential_escalation',
      met: true,
      explanation: '3 incidents in the 12 months to 14 March 2026: 2 Jan (police), 19 Feb (health), 14 Mar (police).',
      incidentIds: ['a', 'b', 'c'],
    });
  });

  it('counts an incident 365 days before but not 366', () => {
    const at = (first: string) =>
      criterion({ asOf: '2026-03-14', incidents: [incident('old', first), incident('b', '2025-09-01'), incident('c', '2026-03-14')] }, 'potential_escalation');
    expect(at('2025-03-14')).toMatchObject({ met: true, incidentIds: ['old', 'b', 'c'] });
    expect(at('2025-03-14').explanation).toBe('3 incidents in the 12 months to 14 March 2026: 14 Mar 2025, 1 Sep 2025, 14 Mar.');
    expect(at('2025-03-13')).toMatchObject({ met: false, incidentIds: ['b', 'c'] });
  });

  it('across a leap day, counts 366 days before but not 367', () => {
    const at = (first: string) =>
      criterion({ asOf: '2024-03-14', incidents: [incident('old', first), incident('b', '2024-02-29'), incident('c', '2024-03-14')] }, 'potential_escalation');
    expect(dayOf('2024-03-14') - dayOf('2023-03-14')).toBe(366);
    expect(at('2023-03-14').met).toBe(true);
    expect(at('2023-03-13').met).toBe(false);
  });

  it('counts one incident reported twice once, and ignores incidents after the date judged', () => {
    const result = criterion(
      { asOf: '2026-03-14', incidents: [incident('a', '2026-01-02'), incident('a', '2026-01-02'), incident('b', '2026-02-19'), incident('later', '2026-03-15')] },
      'potential_escalation',
    );
    expect(result).toMatchObject({ met: false, incidentIds: ['a', 'b'] });
  });

  it('uses the area number and window', () => {
    const config = maracConfig({ escalationIncidents: 2, escalationWindowMonths: 6 });
    const input = { asOf: '2026-03-14', incidents: [incident('a', '2025-09-14'), incident('b', '2026-03-01')] };
    expect(criterion(input, 'potential_escalation', config)).toMatchObject({ met: true, explanation: '2 incidents in the 6 months to 14 March 2026: 14 Sep 2025, 1 Mar.' });
    expect(criterion({ ...input, asOf: '2026-03-15' }, 'potential_escalation', config).met).toBe(false);
  });

  it('says so when there are none', () => {
    expect(criterion({ asOf: '2026-03-14', incidents: [] }, 'potential_escalation').explanation).toBe('No incidents in the 12 months to 14 March 2026; 3 or more are needed.');
  });
});

describe('professional judgement', () => {
  it('is met with a reason and refused without one', () => {
    expect(criterion({ asOf: '2026-03-14', incidents: [], professionalJudgement: { reason: 'Threats to kill with a knife', incidentId: 'c' } }, 'professional_judgement')).toEqual({
      criterion: 'professional_judgement',
      met: true,
      explanation: 'A practitioner judged the risk high: Threats to kill with a knife',
      incidentIds: ['c'],
    });
    expect(() => evaluateMarac({ asOf: '2026-03-14', incidents: [], professionalJudgement: { reason: ' ' } })).toThrow(HearthError);
  });
});

describe('repeat', () => {
  const lastMaracOn = '2025-06-10';

  it('is met by a new incident within 12 months after the last MARAC, day 365 in and 366 out', () => {
    const at = (date: string) => criterion({ asOf: '2026-06-30', incidents: [incident('x', date)], lastMaracOn }, 'repeat');
    expect(at('2026-06-10')).toEqual({
      criterion: 'repeat',
      met: true,
      explanation: '1 new incident within 12 months of the last MARAC on 10 June 2025: 10 Jun.',
      incidentIds: ['x'],
    });
    expect(at('2026-06-11')).toMatchObject({ met: false, explanation: 'No new incident within 12 months of the last MARAC on 10 June 2025 (that period ended on 10 June 2026).' });
  });

  it('does not count the MARAC day itself or anything before it', () => {
    const result = criterion({ asOf: '2026-03-14', incidents: [incident('heard', '2025-06-10'), incident('before', '2025-05-01')], lastMaracOn }, 'repeat');
    expect(result).toMatchObject({ met: false, incidentIds: [] });
  });

  it('across a leap day, counts 366 days after', () => {
    const at = (date: string) => criterion({ asOf: '2024-12-31', incidents: [incident('x', date)], lastMaracOn: '2023-03-14' }, 'repeat').met;
    expect(at('2024-03-14')).toBe(true);
    expect(at('2024-03-15')).toBe(false);
  });

  it('says when the victim has not been to MARAC', () => {
    expect(criterion({ asOf: '2026-03-14', incidents: [incident('x', '2026-03-14')] }, 'repeat').explanation).toBe('The victim has not been heard at a MARAC before.');
  });
});

describe('the recommendation', () => {
  it('lists every criterion in order, met or not, and recommends when any is met', () => {
    const result = evaluateMarac({ asOf: '2026-03-14', incidents: [incident('a', '2026-03-14')] });
    expect(result.recommended).toBe(false);
    expect(result.criteria.map((c) => [c.criterion, c.met])).toEqual([
      ['visible_high_risk', false],
      ['potential_escalation', false],
      ['professional_judgement', false],
      ['repeat', false],
    ]);
  });

  it('refuses bad dates and configuration with named fields', () => {
    try {
      evaluateMarac({ asOf: '2026-02-30', incidents: [incident('a', '14/03/2026')] });
      expect.unreachable();
    } catch (error) {
      expect((error as HearthError).fields.map((f) => f.field)).toEqual(['marac.asOf', 'marac.incidents.0.date']);
    }
    expect(() => maracConfig({ escalationIncidents: 1 })).toThrow('marac.escalationIncidents: Must be at least 2');
  });

  it('is monotone: more incidents never withdraw a recommendation', () => {
    const asOf = dayOf('2026-03-14');
    const date = fc.integer({ min: addMonths(asOf, -30), max: asOf + 30 }).map(dateOf);
    const incidents = fc.array(fc.tuple(fc.uuid(), date).map(([id, d]) => incident(id, d)), { maxLength: 8 });
    fc.assert(
      fc.property(incidents, incidents, fc.option(date, { nil: null }), (some, more, lastMaracOn) => {
        const before = evaluateMarac({ asOf: '2026-03-14', incidents: some, lastMaracOn });
        const after = evaluateMarac({ asOf: '2026-03-14', incidents: [...some, ...more], lastMaracOn });
        if (before.recommended) expect(after.recommended).toBe(true);
        before.criteria.forEach((c, i) => {
          if (c.met) expect(after.criteria[i]?.met).toBe(true);
        });
      }),
    );
  });
});
