import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HearthError } from '../server/errors';
import { assessDash, type DashAnswers, type DashAnswerValue, dashConfig, dashSets, type DashSet, parseDashAnswers } from './dash';

/** Answers with the first `yes` questions yes and the rest of the set no. */
function answersWithYes(set: DashSet, yes: number): DashAnswers {
  const answers: DashAnswers = {};
  for (const q of dashSets[set].questions) answers[q.number] = { answer: q.number <= yes ? 'yes' : 'no' };
  return answers;
}

function fieldsOf(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe('validation_failed');
    return (error as HearthError).fields;
  }
  throw new Error('expected a validation error');
}

describe('DASH question sets', () => {
  it('has 24 and 27 questions numbered from 1, with short labels and categories', () => {
    for (const [set, count] of [['safelives_24', 24], ['police_27', 27]] as const) {
      const { questions } = dashSets[set];
      expect(questions.map((q) => q.number)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      for (const q of questions) {
        expect(q.label.length).toBeLessThanOrEqual(40);
        expect(q.label).not.toMatch(/\?/); // labels, never the questions
      }
    }
  });

  it('puts the three police-only child questions after pregnancy, shifting later numbers by three', () => {
    const topic = (set: DashSet, n: number) => dashSets[set].questions[n - 1]?.topic;
    expect(topic('safelives_24', 9)).toBe('pregnancy');
    expect(topic('police_27', 9)).toBe('pregnancy');
    expect(dashSets.police_27.questions.slice(9, 12).every((q) => q.category === 'children_dependants')).toBe(true);
    expect(topic('safelives_24', 10)).toBe('more_often');
    expect(topic('police_27', 13)).toBe('more_often');
    expect(topic('safelives_24', 24)).toBe('criminal_history');
    expect(topic('police_27', 27)).toBe('criminal_history');
    expect(dashSets.safelives_24.questions.find((q) => q.topic === 'strangulation')?.label).toBe('Strangulation, choking or suffocation');
  });
});

describe('DASH answers', () => {
  it('accepts answers by question number, with notes', () => {
    expect(parseDashAnswers('safelives_24', { 1: { answer: 'yes', note: 'bruised arm' }, '24': { answer: 'not_known' } })).toEqual({
      1: { answer: 'yes', note: 'bruised arm' },
      24: { answer: 'not_known' },
    });
  });

  it('names each bad field: unknown question for the set, bad answer, note too long', () => {
    const fields = fieldsOf(() =>
      parseDashAnswers('safelives_24', {
        25: { answer: 'yes' },
        '01': { answer: 'yes' },
        3: { answer: 'maybe' },
        4: { answer: 'no', note: 'x'.repeat(1001) },
      }),
    );
    expect(fields).toEqual([
      { field: 'answers.3.answer', message: 'Answer yes, no or not known' },
      { field: 'answers.4.note', message: 'Note must be 1000 characters or fewer' },
      { field: 'answers.25', message: '“25” is not a question number of the SafeLives 24-question checklist (1 to 24)' },
      { field: 'answers.01', message: '“01” is not a question number of the SafeLives 24-question checklist (1 to 24)' },
    ]);
    expect(parseDashAnswers('police_27', { 25: { answer: 'yes' } })).toEqual({ 25: { answer: 'yes' } });
  });

  it('refuses what is not an object of answers', () => {
    expect(fieldsOf(() => parseDashAnswers('police_27', [1]))[0]?.field).toBe('answers');
    expect(fieldsOf(() => parseDashAnswers('police_27', { 2: null }))[0]?.field).toBe('answers.2');
  });
});

describe('DASH score and level', () => {
  it('is standard below 10, medium from 10 to 13, high at 14: the 13 and 14 boundary', () => {
    expect(assessDash('safelives_24', answersWithYes('safelives_24', 9)).level).toBe('standard');
    expect(assessDash('safelives_24', answersWithYes('safelives_24', 10)).level).toBe('medium');
    const thirteen = assessDash('safelives_24', answersWithYes('safelives_24', 13));
    expect(thirteen).toMatchObject({ score: 13, level: 'medium', visibleHighRisk: false });
    const fourteen = assessDash('police_27', answersWithYes('police_27', 14));
    expect(fourteen).toMatchObject({ score: 14, threshold: 14, level: 'high', visibleHighRisk: true });
    expect(fourteen.explanation).toBe('14 of 27 answered yes on the police 27-question checklist, so high risk by score (high from 14, medium from 10).');
  });

  it('counts only yes, and says when not known or unasked answers may understate the risk', () => {
    const a = assessDash('safelives_24', { 1: { answer: 'yes' }, 2: { answer: 'not_known' }, 3: { answer: 'no' } });
    expect(a).toMatchObject({ score: 1, yes: [1], notKnown: [2] });
    expect(a.unanswered).toHaveLength(21);
    expect(a.explanation).toContain('22 questions were not known or not asked, so the score may understate the risk.');
  });

  it('uses the area threshold and medium band', () => {
    const config = dashConfig({ highThreshold: 12, mediumFrom: null });
    expect(assessDash('safelives_24', answersWithYes('safelives_24', 11), { config }).level).toBe('standard');
    expect(assessDash('safelives_24', answersWithYes('safelives_24', 12), { config }).level).toBe('high');
  });

  it('validates the area configuration', () => {
    expect(fieldsOf(() => dashConfig({ highThreshold: 28 }))).toEqual([{ field: 'dash.highThreshold', message: 'Must be from 1 to 27' }]);
    expect(fieldsOf(() => dashConfig({ highThreshold: 13.5 }))[0]?.field).toBe('dash.highThreshold');
    expect(fieldsOf(() => dashConfig({ highThreshold: 0 }))[0]?.field).toBe('dash.highThreshold');
    expect(fieldsOf(() => dashConfig({ highThreshold: 8 }))).toEqual([
      { field: 'dash.mediumFrom', message: 'The medium band must start below the high-risk threshold (or be null for none)' },
    ]);
    expect(dashConfig({ highThreshold: 27, mediumFrom: 20 })).toEqual({ highThreshold: 27, mediumFrom: 20 });
  });
});

describe('professional judgement', () => {
  it('may raise the level, with its reason in the explanation', () => {
    const a = assessDash('safelives_24', answersWithYes('safelives_24', 5), { judgement: { level: 'high', reason: 'Non-fatal strangulation last night' } });
    expect(a).toMatchObject({ score: 5, scoredLevel: 'standard', level: 'high', visibleHighRisk: false, raisedByJudgement: true });
    expect(a.explanation).toContain('Raised to high by professional judgement: Non-fatal strangulation last night');
  });

  it('needs a written reason', () => {
    expect(fieldsOf(() => assessDash('safelives_24', {}, { judgement: { level: 'high', reason: '   ' } }))).toEqual([
      { field: 'judgement.reason', message: 'Write the reason for your professional judgement' },
    ]);
  });

  it('cannot lower a visible high risk: the attempt is refused, not ignored', () => {
    const fields = fieldsOf(() => assessDash('safelives_24', answersWithYes('safelives_24', 14), { judgement: { level: 'medium', reason: 'She has moved away' } }));
    expect(fields).toEqual([
      { field: 'judgement.level', message: 'Professional judgement cannot lower a visible high risk: the score is 14, at or above the threshold of 14' },
    ]);
  });

  it('cannot lower a medium score either, and agreeing changes nothing', () => {
    expect(fieldsOf(() => assessDash('safelives_24', answersWithYes('safelives_24', 11), { judgement: { level: 'standard', reason: 'x' } }))[0]?.message).toBe(
      'Professional judgement may raise the level but not lower it: the score of 11 gives medium',
    );
    const agreed = assessDash('safelives_24', answersWithYes('safelives_24', 15), { judgement: { level: 'high', reason: 'Agree' } });
    expect(agreed).toMatchObject({ level: 'high', raisedByJudgement: false, judgement: { level: 'high', reason: 'Agree' } });
  });
});

describe('DASH properties', () => {
  const set = fc.constantFrom<DashSet>('safelives_24', 'police_27');
  const answerValue = fc.constantFrom<DashAnswerValue>('yes', 'no', 'not_known');
  const answers = (s: DashSet) =>
    fc.array(fc.option(answerValue, { nil: undefined }), { minLength: dashSets[s].questions.length, maxLength: dashSets[s].questions.length }).map((values) => {
      const out: DashAnswers = {};
      values.forEach((v, i) => {
        if (v) out[i + 1] = { answer: v };
      });
      return out;
    });
  const setAndAnswers = set.chain((s) => fc.tuple(fc.constant(s), answers(s)));
  const config = fc
    .integer({ min: 2, max: 27 })
    .chain((highThreshold) => fc.tuple(fc.constant(highThreshold), fc.option(fc.integer({ min: 1, max: highThreshold - 1 }), { nil: null })))
    .map(([highThreshold, mediumFrom]) => dashConfig({ highThreshold, mediumFrom }));
  const rank = { standard: 0, medium: 1, high: 2 };

  it('the score is the number of yes answers', () => {
    fc.assert(
      fc.property(setAndAnswers, ([s, a]) => {
        expect(assessDash(s, a).score).toBe(Object.values(a).filter((v) => v.answer === 'yes').length);
      }),
    );
  });

  it('a further yes never lowers the level', () => {
    fc.assert(
      fc.property(setAndAnswers, config, fc.nat(), ([s, a], c, pick) => {
        const open = dashSets[s].questions.filter((q) => a[q.number]?.answer !== 'yes');
        fc.pre(open.length > 0);
        const more = { ...a, [open[pick % open.length]!.number]: { answer: 'yes' as const } };
        expect(rank[assessDash(s, more, { config: c }).level]).toBeGreaterThanOrEqual(rank[assessDash(s, a, { config: c }).level]);
      }),
    );
  });

  it('judgement never leaves the level below the score, and a high score always stays high', () => {
    fc.assert(
      fc.property(setAndAnswers, fc.constantFrom('standard', 'medium', 'high' as const), ([s, a], level) => {
        const scored = assessDash(s, a);
        if (rank[level] < rank[scored.level]) {
          expect(() => assessDash(s, a, { judgement: { level, reason: 'r' } })).toThrow(HearthError);
        } else {
          expect(assessDash(s, a, { judgement: { level, reason: 'r' } }).level).toBe(level);
        }
      }),
    );
  });

  it('parses every well-formed set of answers to itself', () => {
    fc.assert(
      fc.property(setAndAnswers, ([s, a]) => {
        expect(parseDashAnswers(s, JSON.parse(JSON.stringify(a)))).toEqual(a);
      }),
    );
  });
});
