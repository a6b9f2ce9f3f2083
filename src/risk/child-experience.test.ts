import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HearthError } from '../server/errors';
import {
  ageStage,
  assessChildExperience,
  type ChildExperienceInput,
  childPriorityConfig,
  compareChildAssessments,
} from './child-experience';

const base: ChildExperienceInput = {
  childId: 'child-1',
  incidentId: 'inc-1',
  incidentDate: '2026-03-14',
  present: 'no',
  directlyHarmed: 'no',
};

describe('age and stage on the day of the incident', () => {
  it('tells unborn, under one, under five and older, at the birthdays', () => {
    const on = (dateOfBirth: string) => ageStage({ incidentDate: '2026-03-14', dateOfBirth });
    expect(ageStage({ incidentDate: '2026-03-14', unborn: true })).toBe('unborn');
    expect(on('2026-04-01')).toBe('unborn');
    expect(on('2025-03-15')).toBe('under_one');
    expect(on('2025-03-14')).toBe('under_five');
    expect(on('2021-03-15')).toBe('under_five');
    expect(on('2021-03-14')).toBe('five_and_over');
    expect(ageStage({ incidentDate: '2026-03-14' })).toBe('not_known');
  });
});

describe('assessing a child’s experience', () => {
  it('puts an under-one present at an incident with injuries at high priority, saying why', () => {
    const a = assessChildExperience({ ...base, dateOfBirth: '2025-10-01', present: 'yes', exposure: 'heard', where: 'in her cot upstairs', injuriesInIncident: true });
    expect(a).toMatchObject({ stage: 'under_one', priority: 'high', weight: 8 });
    expect(a.reasons).toEqual(['Present and heard the incident (in her cot upstairs)', 'The incident involved injuries', 'Under one: counts 2 times']);
  });

  it('weighs the same experience less for an older child', () => {
    const a = assessChildExperience({ ...base, dateOfBirth: '2016-05-01', present: 'yes', exposure: 'heard', injuriesInIncident: true });
    expect(a).toMatchObject({ stage: 'five_and_over', priority: 'medium', weight: 4 });
  });

  it('counts an unborn baby as exposed when the mother was harmed', () => {
    const a = assessChildExperience({ ...base, unborn: true, present: 'yes' });
    expect(a).toMatchObject({ stage: 'unborn', priority: 'high', weight: 6 });
    expect(a.reasons[0]).toBe('Unborn: harm to the mother is harm to the baby');
  });

  it('makes a directly harmed child high priority whatever the points', () => {
    const a = assessChildExperience({ ...base, dateOfBirth: '2010-01-01', directlyHarmed: 'yes' }, childPriorityConfig({ high: 100, medium: 50 }));
    expect(a.priority).toBe('high');
  });

  it('weighs care, missing episodes and school attendance, and lists other agencies as context', () => {
    const a = assessChildExperience({
      ...base,
      dateOfBirth: '2014-01-01',
      careImpacts: ['carer_arrested_or_removed', 'missed_school_or_nursery'],
      missingEpisodes: 2,
      schoolAttendancePercent: 84.5,
      otherAgencies: ['CAMHS', 'youth offending service'],
    });
    expect(a.weight).toBe(5);
    expect(a.priority).toBe('medium');
    expect(a.reasons).toEqual([
      'Care affected: carer arrested or removed, missed school or nursery',
      'Missing 2 times in the past 12 months',
      'School attendance 84.5% (persistent absence, under 90%)',
      'Also known to: CAMHS, youth offending service',
    ]);
  });

  it('keeps the child’s words and how they seemed exactly as given', () => {
    const said = '  "I hid under the bed. Mummy was crying"  ';
    const a = assessChildExperience({ ...base, present: 'yes', exposure: 'heard', childSaid: said, howTheySeemed: 'quiet, wouldn’t look at me' });
    expect(a.childSaid).toBe(said);
    expect(a.howTheySeemed).toBe('quiet, wouldn’t look at me');
  });

  it('gives standard priority to a child not there and otherwise unaffected', () => {
    expect(assessChildExperience({ ...base, dateOfBirth: '2015-01-01' })).toMatchObject({ priority: 'standard', weight: 0, reasons: [] });
  });

  it('refuses bad input with named fields', () => {
    try {
      assessChildExperience({ ...base, present: 'maybe' as 'yes', unborn: true, dateOfBirth: '2026-01-01', schoolAttendancePercent: 120 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HearthError);
      expect((error as HearthError).fields.map((f) => f.field)).toEqual(['child.present', 'child.schoolAttendancePercent']);
    }
    expect(() => assessChildExperience({ ...base, unborn: true, dateOfBirth: '2026-01-01' })).toThrow('child.unborn: An unborn baby cannot have a date of birth');
  });
});

describe('ordering children', () => {
  it('puts priority first, then weight, then the youngest', () => {
    const older = assessChildExperience({ ...base, childId: 'older', dateOfBirth: '2012-01-01', present: 'yes', exposure: 'saw', injuriesInIncident: true, weaponInIncident: true });
    const baby = assessChildExperience({ ...base, childId: 'baby', dateOfBirth: '2025-12-01', present: 'yes', exposure: 'saw' });
    const toddler = assessChildExperience({ ...base, childId: 'toddler', dateOfBirth: '2023-01-01', present: 'yes', exposure: 'heard' });
    const away = assessChildExperience({ ...base, childId: 'away', dateOfBirth: '2019-01-01' });
    expect([away, toddler, older, baby].sort(compareChildAssessments).map((a) => a.childId)).toEqual(['baby', 'older', 'toddler', 'away']);
    expect([baby.weight, older.weight]).toEqual([6, 6]);
  });
});

describe('properties', () => {
  const experience = fc.record({
    dateOfBirth: fc.constantFrom('2026-01-01', '2024-01-01', '2015-01-01'),
    present: fc.constantFrom('yes', 'no', 'not_known' as const),
    exposure: fc.constantFrom('saw', 'heard', 'neither', 'not_known' as const),
    directlyHarmed: fc.constantFrom('no', 'not_known' as const),
    injuriesInIncident: fc.boolean(),
    weaponInIncident: fc.boolean(),
    missingEpisodes: fc.nat(5),
  });
  const rank = { standard: 0, medium: 1, high: 2 };

  it('being directly harmed never lowers the priority or the weight', () => {
    fc.assert(
      fc.property(experience, (e) => {
        const before = assessChildExperience({ ...base, ...e });
        const harmed = assessChildExperience({ ...base, ...e, directlyHarmed: 'yes' });
        expect(harmed.weight).toBeGreaterThanOrEqual(before.weight);
        expect(rank[harmed.priority]).toBeGreaterThanOrEqual(rank[before.priority]);
      }),
    );
  });

  it('the same experience at a younger age never weighs less', () => {
    fc.assert(
      fc.property(experience, (e) => {
        const weights = ['2015-01-01', '2024-01-01', '2026-01-01'].map((dateOfBirth) => assessChildExperience({ ...base, ...e, dateOfBirth }).weight);
        expect(weights).toEqual([...weights].sort((a, b) => a - b));
      }),
    );
  });
});
