// One child's experience of one incident, and how much it weighs: the facts a practitioner
// records, and a short assessment with its reasons, used to put the most exposed and the
// youngest children first and to say why.
import { z } from 'zod';
import { isValidCalendarDate } from '../chronology/dates';
import { addMonths, dayOf } from './calendar';
import { parseOrThrow } from './validation';

const calendarDate = z.string().refine(isValidCalendarDate, 'Must be a date written YYYY-MM-DD');
const yesNoNotKnown = z.enum(['yes', 'no', 'not_known'], { error: 'Answer yes, no or not known' });
/** The child's words and a practitioner's observations are kept exactly as given, never trimmed. */
const freeText = z.string().max(5000, 'Must be 5000 characters or fewer');

export const careImpacts = {
  carer_injured: 'carer injured',
  carer_arrested_or_removed: 'carer arrested or removed',
  carer_under_influence: 'carer under the influence of drink or drugs',
  left_without_care: 'left without anyone to care for them',
  had_to_leave_home: 'had to leave home',
  missed_school_or_nursery: 'missed school or nursery',
} as const;
export type CareImpact = keyof typeof careImpacts;

export const childExperienceSchema = z
  .object({
    childId: z.string().min(1),
    incidentId: z.string().min(1),
    incidentDate: calendarDate,
    /** Known date of birth; a date after the incident means the child was then unborn. */
    dateOfBirth: calendarDate.optional(),
    /** An unborn baby with no date of birth yet. */
    unborn: z.boolean().optional(),
    present: yesNoNotKnown,
    /** What the child was exposed to: saw it, heard it, neither, or not known. */
    exposure: z.enum(['saw', 'heard', 'neither', 'not_known'], { error: 'Choose saw, heard, neither or not known' }).optional(),
    /** Where the child was, in the practitioner's words ("upstairs in bed"). */
    where: freeText.optional(),
    directlyHarmed: yesNoNotKnown,
    /** Anyone injured, or a weapon used or threatened, in the incident. */
    injuriesInIncident: z.boolean().default(false),
    weaponInIncident: z.boolean().default(false),
    childSaid: freeText.optional(),
    howTheySeemed: freeText.optional(),
    careImpacts: z.array(z.enum(Object.keys(careImpacts) as [CareImpact, ...CareImpact[]], { error: 'Choose from the list' })).default([]),
    careImpactDetail: freeText.optional(),
    /** Attendance this school year, as a percentage. */
    schoolAttendancePercent: z.number().min(0, 'Must be from 0 to 100').max(100, 'Must be from 0 to 100').optional(),
    /** Missing from home or school in the past 12 months. */
    missingEpisodes: z.int('Must be a whole number').min(0, 'Must be 0 or more').default(0),
    /** Other agencies working with the child (health visitor, CAMHS, youth justice...). */
    otherAgencies: z.array(z.string().min(1)).default([]),
  })
  .refine((c) => !(c.unborn && c.dateOfBirth), { path: ['unborn'], message: 'An unborn baby cannot have a date of birth' });
export type ChildExperienceInput = z.input<typeof childExperienceSchema>;
export type ChildExperience = z.output<typeof childExperienceSchema>;

export type AgeStage = 'unborn' | 'under_one' | 'under_five' | 'five_and_over' | 'not_known';

export const ageStageLabels: Record<AgeStage, string> = {
  unborn: 'Unborn baby',
  under_one: 'Under one',
  under_five: 'Under five',
  five_and_over: 'Five or over',
  not_known: 'Age not known',
};

/** The child's stage on the day of the incident. */
export function ageStage(child: Pick<ChildExperience, 'dateOfBirth' | 'unborn' | 'incidentDate'>): AgeStage {
  if (child.unborn) return 'unborn';
  if (!child.dateOfBirth) return 'not_known';
  const born = dayOf(child.dateOfBirth);
  const on = dayOf(child.incidentDate);
  if (born > on) return 'unborn';
  if (on < addMonths(born, 12)) return 'under_one';
  if (on < addMonths(born, 60)) return 'under_five';
  return 'five_and_over';
}

export const childPriorityConfigSchema = z
  .object({
    /** Points are multiplied by the stage's weight: the youngest count for more. */
    stageWeights: z
      .object({
        unborn: z.number().min(1).default(2),
        under_one: z.number().min(1).default(2),
        under_five: z.number().min(1).default(1.5),
        five_and_over: z.number().min(1).default(1),
        not_known: z.number().min(1).default(1),
      })
      .prefault({}),
    high: z.number().positive().default(6),
    medium: z.number().positive().default(3),
  })
  .refine((c) => c.medium < c.high, { path: ['medium'], message: 'Medium must be below high' });
export type ChildPriorityConfig = z.output<typeof childPriorityConfigSchema>;

export function childPriorityConfig(input: unknown = {}): ChildPriorityConfig {
  return parseOrThrow(childPriorityConfigSchema, input, 'childPriority');
}

export type ChildPriority = 'high' | 'medium' | 'standard';

export interface ChildAssessment {
  childId: string;
  incidentId: string;
  incidentDate: string;
  stage: AgeStage;
  priority: ChildPriority;
  /** Points times the stage's weight; orders children within a priority. */
  weight: number;
  reasons: string[];
  /** Kept as given, to quote. */
  childSaid: string | null;
  howTheySeemed: string | null;
}

/**
 * Weighs one child's experience of an incident. Points: directly harmed 6 (and always high
 * priority); present and saw it 3, heard it or exposure not known 2, presence not known 1; when
 * present, injuries 2 and a weapon 1; any impact on their care 2; missing episodes 2; school
 * attendance under 90% 1, under 50% 2. An unborn baby counts as having seen it: harm to the
 * mother is harm to the baby. The total is multiplied by the stage's weight; high from 6,
 * medium from 3. Other agencies' involvement is context, listed but not weighed.
 */
export function assessChildExperience(input: ChildExperienceInput, config: ChildPriorityConfig = childPriorityConfig()): ChildAssessment {
  const c = parseOrThrow(childExperienceSchema, input, 'child');
  const stage = ageStage(c);
  const reasons: string[] = [];
  let points = 0;
  const add = (n: number, reason: string) => {
    points += n;
    reasons.push(reason);
  };

  if (c.directlyHarmed === 'yes') add(6, 'Directly harmed in the incident');
  else if (c.directlyHarmed === 'not_known') add(1, 'Not known whether directly harmed');

  const present = c.present === 'yes';
  if (present && stage === 'unborn') add(3, 'Unborn: harm to the mother is harm to the baby');
  else if (present && c.exposure === 'saw') add(3, `Present and saw the incident${c.where ? ` (${c.where})` : ''}`);
  else if (present) add(2, `Present${c.exposure === 'heard' ? ' and heard the incident' : ''}${c.where ? ` (${c.where})` : ''}`);
  else if (c.present === 'not_known') add(1, 'Not known whether present');

  if (present && c.injuriesInIncident) add(2, 'The incident involved injuries');
  if (present && c.weaponInIncident) add(1, 'A weapon was used or threatened');
  if (c.careImpacts.length > 0) add(2, `Care affected: ${c.careImpacts.map((i) => careImpacts[i]).join(', ')}`);
  if (c.missingEpisodes > 0) add(2, `Missing ${c.missingEpisodes === 1 ? 'once' : `${c.missingEpisodes} times`} in the past 12 months`);
  if (c.schoolAttendancePercent !== undefined && c.schoolAttendancePercent < 90) {
    const severe = c.schoolAttendancePercent < 50;
    add(severe ? 2 : 1, `School attendance ${c.schoolAttendancePercent}% (${severe ? 'severe absence, under 50%' : 'persistent absence, under 90%'})`);
  }

  const stageWeight = config.stageWeights[stage];
  if (points > 0 && stageWeight !== 1) reasons.push(`${ageStageLabels[stage]}: counts ${stageWeight} times`);
  if (c.otherAgencies.length > 0) reasons.push(`Also known to: ${c.otherAgencies.join(', ')}`);

  const weight = points * stageWeight;
  const priority: ChildPriority = c.directlyHarmed === 'yes' || weight >= config.high ? 'high' : weight >= config.medium ? 'medium' : 'standard';
  return {
    childId: c.childId,
    incidentId: c.incidentId,
    incidentDate: c.incidentDate,
    stage,
    priority,
    weight,
    reasons,
    childSaid: c.childSaid ?? null,
    howTheySeemed: c.howTheySeemed ?? null,
  };
}

const priorityOrder: Record<ChildPriority, number> = { high: 0, medium: 1, standard: 2 };
const stageOrder: Record<AgeStage, number> = { unborn: 0, under_one: 1, under_five: 2, five_and_over: 3, not_known: 4 };

/** Sort order: priority, then weight, then the youngest, then the latest incident; ties by id. */
export function compareChildAssessments(a: ChildAssessment, b: ChildAssessment): number {
  return (
    priorityOrder[a.priority] - priorityOrder[b.priority] ||
    b.weight - a.weight ||
    stageOrder[a.stage] - stageOrder[b.stage] ||
    (a.incidentDate === b.incidentDate ? 0 : a.incidentDate > b.incidentDate ? -1 : 1) ||
    (a.childId === b.childId ? 0 : a.childId < b.childId ? -1 : 1) ||
    (a.incidentId === b.incidentId ? 0 : a.incidentId < b.incidentId ? -1 : 1)
  );
}
