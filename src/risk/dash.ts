// The DASH risk checklist: question sets, answers, score and risk level.
// The checklist wording is copyrighted, so Hearth keeps only question numbers with short labels
// in its own words, and never the questions themselves.
import { z } from 'zod';
import { validationFailed } from '../server/errors';
import { parseOrThrow } from './validation';

export type DashSet = 'safelives_24' | 'police_27';
export type DashCategory = 'current_situation' | 'children_dependants' | 'abuse_history' | 'abuser';
export type RiskLevel = 'standard' | 'medium' | 'high';

export interface DashQuestion {
  number: number;
  /** Names the topic across both sets (question numbers differ after the child questions). */
  topic: string;
  label: string;
  category: DashCategory;
}

export const dashCategoryLabels: Record<DashCategory, string> = {
  current_situation: 'Current situation',
  children_dependants: 'Children and dependants',
  abuse_history: 'History of the abuse',
  abuser: 'The abuser',
};

// In checklist order. The police set asks three more questions about children after the
// pregnancy question, so from "abuse more frequent" on its numbers are three higher.
const topics: readonly (readonly [topic: string, label: string, category: DashCategory, policeOnly?: true])[] = [
  ['injury', 'Current injury', 'current_situation'],
  ['frightened', 'Very frightened', 'current_situation'],
  ['fears', 'Fears of what may happen', 'current_situation'],
  ['isolation', 'Isolated from family or friends', 'current_situation'],
  ['low_mood', 'Low mood or suicidal thoughts', 'current_situation'],
  ['separation', 'Separation (or attempt) in past year', 'current_situation'],
  ['child_contact', 'Conflict over child contact', 'current_situation'],
  ['stalking', 'Stalking or harassment', 'current_situation'],
  ['pregnancy', 'Pregnancy or new baby', 'children_dependants'],
  ['other_children', 'Other children or dependants at home', 'children_dependants', true],
  ['children_hurt', 'Children or dependants hurt', 'children_dependants', true],
  ['children_threatened', 'Threats to children or dependants', 'children_dependants', true],
  ['more_often', 'Abuse more frequent', 'abuse_history'],
  ['getting_worse', 'Abuse getting worse', 'abuse_history'],
  ['control', 'Controlling or very jealous', 'abuse_history'],
  ['weapons', 'Use or threat of weapons', 'abuse_history'],
  ['threats_to_kill', 'Threats to kill', 'abuse_history'],
  ['strangulation', 'Strangulation, choking or suffocation', 'abuse_history'],
  ['sexual_abuse', 'Sexual abuse', 'abuse_history'],
  ['others_feared', 'Threats from another person', 'abuse_history'],
  ['hurt_others', 'Has hurt other people', 'abuser'],
  ['animals', 'Cruelty to animals or pets', 'abuser'],
  ['money', 'Financial problems', 'abuser'],
  ['substances_mental_health', 'Drink, drugs or mental health problems', 'abuser'],
  ['suicide', 'Suicide threatened or attempted', 'abuser'],
  ['breach', 'Breach of bail, order or agreement', 'abuser'],
  ['criminal_history', 'Criminal history', 'abuser'],
];

function numbered(includePoliceOnly: boolean): readonly DashQuestion[] {
  return topics
    .filter(([, , , policeOnly]) => includePoliceOnly || !policeOnly)
    .map(([topic, label, category], i) => ({ number: i + 1, topic, label, category }));
}

export const dashSets: Record<DashSet, { name: string; questions: readonly DashQuestion[] }> = {
  safelives_24: { name: 'SafeLives 24-question checklist', questions: numbered(false) },
  police_27: { name: 'police 27-question checklist', questions: numbered(true) },
};

// ---- Answers

export const dashAnswerValues = ['yes', 'no', 'not_known'] as const;
export type DashAnswerValue = (typeof dashAnswerValues)[number];
export const dashNoteMaxLength = 1000;

export const dashAnswerSchema = z.object({
  answer: z.enum(dashAnswerValues, { error: 'Answer yes, no or not known' }),
  note: z.string().max(dashNoteMaxLength, `Note must be ${dashNoteMaxLength} characters or fewer`).optional(),
});
export type DashAnswer = z.output<typeof dashAnswerSchema>;

/** Answers by question number; a question that was not asked has no entry. */
export type DashAnswers = { [question: number]: DashAnswer };

/**
 * Answers keyed by question number as written in JSON ("1" to "24" or "27"). Every problem is
 * reported, each under its own question: an unknown number, a bad answer, a note too long.
 */
export function dashAnswersSchema(set: DashSet) {
  const { name, questions } = dashSets[set];
  return z.record(z.string(), z.unknown()).transform((raw, ctx) => {
    const answers: DashAnswers = {};
    for (const [key, value] of Object.entries(raw)) {
      const question = questions.find((q) => String(q.number) === key);
      if (!question) {
        ctx.addIssue({ code: 'custom', path: [key], message: `“${key}” is not a question number of the ${name} (1 to ${questions.length})` });
        continue;
      }
      const parsed = dashAnswerSchema.safeParse(value);
      if (parsed.success) answers[question.number] = parsed.data;
      else for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [key, ...issue.path], message: issue.message });
    }
    return answers;
  });
}

/** Validated answers, or a validation_failed error naming each bad field ("answers.25", "answers.3.note"). */
export function parseDashAnswers(set: DashSet, input: unknown): DashAnswers {
  return parseOrThrow(dashAnswersSchema(set), input, 'answers');
}

// ---- Area configuration

const questionCount = z.int('Must be a whole number from 1 to 27').min(1, 'Must be from 1 to 27').max(27, 'Must be from 1 to 27');

export const dashConfigSchema = z
  .object({
    /** "Visible high risk" at this many yes answers or more. */
    highThreshold: questionCount.default(14),
    /**
     * Medium from this many yes answers up to the high threshold; null for no medium band (then
     * medium comes only from professional judgement, as in the police grading).
     */
    mediumFrom: questionCount.nullable().default(10),
  })
  .refine((c) => c.mediumFrom === null || c.mediumFrom < c.highThreshold, {
    path: ['mediumFrom'],
    message: 'The medium band must start below the high-risk threshold (or be null for none)',
  });
export type DashConfig = z.output<typeof dashConfigSchema>;

export function dashConfig(input: unknown = {}): DashConfig {
  return parseOrThrow(dashConfigSchema, input, 'dash');
}

// ---- Assessment

export const riskLevelRank: Record<RiskLevel, number> = { standard: 0, medium: 1, high: 2 };

export const judgementSchema = z.object({
  level: z.enum(['standard', 'medium', 'high'], { error: 'Choose standard, medium or high' }),
  reason: z.string().trim().min(1, 'Write the reason for your professional judgement').max(2000, 'Reason must be 2000 characters or fewer'),
});
export type ProfessionalJudgement = z.output<typeof judgementSchema>;

export interface DashAssessment {
  set: DashSet;
  score: number;
  threshold: number;
  /** Question numbers answered yes, not known, and not asked, in order. */
  yes: number[];
  notKnown: number[];
  unanswered: number[];
  /** The level from the score alone. */
  scoredLevel: RiskLevel;
  /** The level after professional judgement. */
  level: RiskLevel;
  /** The score is at or above the high-risk threshold. */
  visibleHighRisk: boolean;
  judgement: ProfessionalJudgement | null;
  raisedByJudgement: boolean;
  explanation: string;
}

export function levelForScore(score: number, config: DashConfig): RiskLevel {
  if (score >= config.highThreshold) return 'high';
  if (config.mediumFrom !== null && score >= config.mediumFrom) return 'medium';
  return 'standard';
}

/**
 * Scores the answers (one point per yes) and applies professional judgement, which may raise the
 * level but never lower it: an attempt to lower is refused with a validation error.
 */
export function assessDash(
  set: DashSet,
  answers: DashAnswers,
  options: { judgement?: ProfessionalJudgement | null; config?: DashConfig } = {},
): DashAssessment {
  const config = options.config ?? dashConfig();
  const { name, questions } = dashSets[set];
  const byAnswer = (value: DashAnswerValue) => questions.filter((q) => answers[q.number]?.answer === value).map((q) => q.number);
  const yes = byAnswer('yes');
  const notKnown = byAnswer('not_known');
  const unanswered = questions.filter((q) => !answers[q.number]).map((q) => q.number);
  const score = yes.length;
  const scoredLevel = levelForScore(score, config);
  // Checked again here: a blank reason must be refused however the judgement reached us.
  const judgement = options.judgement ? parseOrThrow(judgementSchema, options.judgement, 'judgement') : null;

  if (judgement && riskLevelRank[judgement.level] < riskLevelRank[scoredLevel]) {
    throw validationFailed([
      {
        field: 'judgement.level',
        message:
          scoredLevel === 'high'
            ? `Professional judgement cannot lower a visible high risk: the score is ${score}, at or above the threshold of ${config.highThreshold}`
            : `Professional judgement may raise the level but not lower it: the score of ${score} gives ${scoredLevel}`,
      },
    ]);
  }
  const level = judgement?.level ?? scoredLevel;
  const raisedByJudgement = riskLevelRank[level] > riskLevelRank[scoredLevel];

  const parts = [`${score} of ${questions.length} answered yes on the ${name}, so ${scoredLevel} risk by score (high from ${config.highThreshold}${config.mediumFrom === null ? '' : `, medium from ${config.mediumFrom}`}).`];
  if (raisedByJudgement && judgement) parts.push(`Raised to ${level} by professional judgement: ${judgement.reason}`);
  const gaps = notKnown.length + unanswered.length;
  if (gaps > 0) parts.push(`${gaps} question${gaps === 1 ? ' was' : 's were'} not known or not asked, so the score may understate the risk.`);

  return {
    set,
    score,
    threshold: config.highThreshold,
    yes,
    notKnown,
    unanswered,
    scoredLevel,
    level,
    visibleHighRisk: scoredLevel === 'high',
    judgement,
    raisedByJudgement,
    explanation: parts.join(' '),
  };
}
