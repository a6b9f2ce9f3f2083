import { describe, expect, it } from 'vitest';
import { HearthError } from '../server/errors';
import { defaultAreaCalendarSettings, defaultCheckDeadlines, parseAreaCalendarSettings, statutoryTimescales } from './area-settings';
import {
  assessmentDue,
  checkDeadline,
  firstReviewConferenceDue,
  initialConferenceDue,
  nextReviewConferenceDue,
  referralDecisionDue,
} from './timescales';

/** The validation error thrown for `input`, or a failure if none was. */
function refusal(input: unknown): HearthError {
  try {
    parseAreaCalendarSettings(input);
  } catch (error) {
    if (error instanceof HearthError) return error;
    throw error;
  }
  throw new Error('expected the settings to be refused');
}

describe('referralDecisionDue: by the end of the next working day after receipt', () => {
  const due = (iso: string, settings = defaultAreaCalendarSettings) => referralDecisionDue(new Date(iso), settings).toISOString();

  it('is the end of the next working day in London time', () => {
    expect(due('2026-03-10T10:00:00Z')).toBe('2026-03-11T23:59:59.999Z'); // Tue 10:00 GMT → end of Wed (GMT)
    expect(due('2026-07-14T09:00:00Z')).toBe('2026-07-15T22:59:59.999Z'); // Tue 10:00 BST → end of Wed (BST)
  });

  it('counts from the London date of receipt, whatever the hour', () => {
    expect(due('2026-07-14T21:30:00Z')).toBe('2026-07-15T22:59:59.999Z'); // Tue 22:30 BST → end of Wed
    expect(due('2026-06-01T23:30:00Z')).toBe('2026-06-03T22:59:59.999Z'); // Tue 2 Jun 00:30 BST (still Mon in UTC) → end of Wed
  });

  it('skips weekends and bank holidays', () => {
    expect(due('2026-05-22T18:30:00Z')).toBe('2026-05-26T22:59:59.999Z'); // Fri 19:30 BST → end of Tue (Mon is a bank holiday)
    expect(due('2026-05-23T10:00:00Z')).toBe('2026-05-26T22:59:59.999Z'); // Saturday → end of Tue
    expect(due('2026-10-24T10:00:00Z')).toBe('2026-10-26T23:59:59.999Z'); // Sat before the clocks go back → end of Mon (GMT)
    expect(due('2026-12-24T15:00:00Z')).toBe('2026-12-29T23:59:59.999Z'); // Christmas Eve → end of Tue 29 Dec
  });

  it('with an area setting of 0 is the end of the working day of receipt', () => {
    const sameDay = parseAreaCalendarSettings({ referralDecisionWorkingDays: 0 });
    expect(due('2026-03-10T10:00:00Z', sameDay)).toBe('2026-03-10T23:59:59.999Z');
    expect(due('2026-05-23T10:00:00Z', sameDay)).toBe('2026-05-26T22:59:59.999Z'); // Saturday → end of Tue
  });
});

describe('assessmentDue and initialConferenceDue', () => {
  it('gives 45 working days after the referral, across Christmas', () => {
    expect(assessmentDue('2025-12-01')).toBe('2026-02-05');
    expect(assessmentDue('2026-11-16')).toBe('2027-01-21'); // over 25 Dec, 28 Dec (substitute) and 1 Jan
  });

  it('gives 15 working days after the last strategy discussion', () => {
    expect(initialConferenceDue('2026-05-14')).toBe('2026-06-05'); // three weeks, plus a day for 25 May
    expect(initialConferenceDue('2026-03-05')).toBe('2026-03-26');
  });

  it('uses an area’s stricter timescales', () => {
    const strict = parseAreaCalendarSettings({ assessmentWorkingDays: 35, initialConferenceWorkingDays: 10 });
    expect(assessmentDue('2025-12-01', strict)).toBe('2026-01-22'); // seven weeks reach Mon 19 Jan, plus 3 bank holidays
    expect(initialConferenceDue('2026-05-14', strict)).toBe('2026-05-29'); // two weeks reach Thu 28 May, plus 25 May
  });
});

describe('review conferences', () => {
  it('first review within 3 calendar months of the initial conference, clamped to the month’s end', () => {
    expect(firstReviewConferenceDue('2026-01-15')).toBe('2026-04-15');
    expect(firstReviewConferenceDue('2026-11-30')).toBe('2027-02-28');
    expect(firstReviewConferenceDue('2027-11-30')).toBe('2028-02-29');
  });

  it('later reviews within 6 calendar months of the previous one, clamped to the month’s end', () => {
    expect(nextReviewConferenceDue('2026-08-31')).toBe('2027-02-28');
    expect(nextReviewConferenceDue('2027-08-31')).toBe('2028-02-29');
    expect(nextReviewConferenceDue('2026-04-15')).toBe('2026-10-15');
  });

  it('is a calendar deadline, not moved off a weekend', () => {
    expect(firstReviewConferenceDue('2026-01-18')).toBe('2026-04-18'); // a Saturday
  });

  it('uses an area’s stricter months', () => {
    const strict = parseAreaCalendarSettings({ firstReviewMonths: 2, laterReviewMonths: 4 });
    expect(firstReviewConferenceDue('2026-12-31', strict)).toBe('2027-02-28');
    expect(nextReviewConferenceDue('2026-10-31', strict)).toBe('2027-02-28');
  });

  it('names a bad date', () => {
    expect(() => firstReviewConferenceDue('2026-02-29')).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'initialConferenceDate' })] }),
    );
  });
});

describe('checkDeadline by priority', () => {
  const due = (priority: 'red' | 'amber' | 'green', iso: string, settings = defaultAreaCalendarSettings) =>
    checkDeadline(priority, new Date(iso), settings).toISOString();

  it('has the defaults red 4 working hours, amber 1 working day, green 3 working days', () => {
    expect(defaultCheckDeadlines).toEqual({
      red: { amount: 4, unit: 'workingHours' },
      amber: { amount: 1, unit: 'workingDays' },
      green: { amount: 3, unit: 'workingDays' },
    });
  });

  it('red: 4 working hours', () => {
    expect(due('red', '2026-07-14T09:00:00Z')).toBe('2026-07-14T13:00:00.000Z'); // Tue 10:00 → 14:00 BST
    expect(due('red', '2026-07-17T14:00:00Z')).toBe('2026-07-20T10:00:00.000Z'); // Fri 15:00 → Mon 11:00 BST
  });

  it('amber: one working day, the same time on the next working day', () => {
    expect(due('amber', '2026-07-14T13:00:00Z')).toBe('2026-07-15T13:00:00.000Z'); // Tue 14:00 → Wed 14:00 BST
    expect(due('amber', '2026-07-14T19:00:00Z')).toBe('2026-07-15T16:00:00.000Z'); // Tue 20:00 → end of Wed (17:00 BST)
    expect(due('amber', '2026-05-22T13:00:00Z')).toBe('2026-05-26T13:00:00.000Z'); // Fri 14:00 → Tue 14:00 over the bank holiday
  });

  it('green: three working days, over Christmas', () => {
    // Thu 24 Dec 2026 14:00 GMT: 3 h Thu; 25–28 Dec closed; 8 h Tue 29, 8 h Wed 30; 5 h Thu 31 → 14:00.
    expect(due('green', '2026-12-24T14:00:00Z')).toBe('2026-12-31T14:00:00.000Z');
  });

  it('uses the area’s deadlines and working hours', () => {
    const area = parseAreaCalendarSettings({
      workingHours: { dayStart: '08:00', dayEnd: '18:00' },
      checkDeadlines: { amber: { amount: 2, unit: 'workingDays' } },
    });
    expect(due('amber', '2026-07-14T13:00:00Z', area)).toBe('2026-07-16T13:00:00.000Z'); // Tue 14:00 → Thu 14:00 BST
    expect(due('red', '2026-07-14T15:00:00Z', area)).toBe('2026-07-15T09:00:00.000Z'); // Tue 16:00: 2 h, then Wed 08:00 + 2 h
  });
});

describe('area calendar settings', () => {
  it('default to statute and the default deadlines', () => {
    expect(defaultAreaCalendarSettings).toEqual({
      ...statutoryTimescales,
      workingHours: { dayStart: '09:00', dayEnd: '17:00' },
      checkDeadlines: defaultCheckDeadlines,
      schoolDayStart: '08:30',
    });
  });

  it('accept stricter timescales, down to the minimums', () => {
    const strict = parseAreaCalendarSettings({
      referralDecisionWorkingDays: 0,
      assessmentWorkingDays: 1,
      initialConferenceWorkingDays: 10,
      firstReviewMonths: 1,
      laterReviewMonths: 3,
    });
    expect(strict).toMatchObject({ referralDecisionWorkingDays: 0, assessmentWorkingDays: 1, initialConferenceWorkingDays: 10, firstReviewMonths: 1, laterReviewMonths: 3 });
  });

  it('refuse a laxer timescale, naming the field and saying why', () => {
    const error = refusal({ assessmentWorkingDays: 46 });
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toEqual([
      {
        field: 'assessmentWorkingDays',
        message: 'assessmentWorkingDays must be a whole number of working days from 1 to 45: an area may set a stricter timescale than statute, never a laxer one',
      },
    ]);
    expect(error.message).toContain('assessmentWorkingDays must be a whole number of working days from 1 to 45');
  });

  it.each([
    ['referralDecisionWorkingDays', 2],
    ['initialConferenceWorkingDays', 16],
    ['firstReviewMonths', 4],
    ['laterReviewMonths', 7],
    ['assessmentWorkingDays', 0],
    ['assessmentWorkingDays', 44.5],
    ['assessmentWorkingDays', '45'],
  ])('refuse %s = %j', (field, value) => {
    const error = refusal({ [field]: value });
    expect(error.fields.map((f) => f.field)).toEqual([field]);
    expect(error.message).toContain(field);
  });

  it('name every wrong field at once, nested ones with their path', () => {
    const error = refusal({
      initialConferenceWorkingDays: 20,
      workingHours: { dayStart: '9am' },
      checkDeadlines: { red: { amount: 0, unit: 'workingHours' }, green: { amount: 3, unit: 'weeks' } },
      schoolDayStart: '8.30',
    });
    expect(error.fields.map((f) => f.field)).toEqual([
      'initialConferenceWorkingDays',
      'workingHours.dayStart',
      'checkDeadlines.red.amount',
      'checkDeadlines.green.unit',
      'schoolDayStart',
    ]);
    for (const { field, message } of error.fields) expect(message).toContain(field);
  });

  it('refuse working hours that end before they start', () => {
    const error = refusal({ workingHours: { dayStart: '17:00', dayEnd: '09:00' } });
    expect(error.fields).toEqual([{ field: 'workingHours.dayEnd', message: 'workingHours.dayEnd must be later than workingHours.dayStart' }]);
  });

  it('refuse a misspelt setting rather than ignore it', () => {
    const error = refusal({ assesmentWorkingDays: 30 });
    expect(error.message).toContain('assesmentWorkingDays');
  });

  it('keep the defaults for the priorities an area does not set', () => {
    const area = parseAreaCalendarSettings({ checkDeadlines: { red: { amount: 2, unit: 'workingHours' } } });
    expect(area.checkDeadlines).toEqual({ ...defaultCheckDeadlines, red: { amount: 2, unit: 'workingHours' } });
  });
});
