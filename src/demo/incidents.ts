// What a police officer records at a domestic abuse incident: the DASH answers by question
// number (the checklist's wording is copyrighted, so only numbers are stored), the officer's
// risk grade, injuries, weapons, actions and whether the victim consented to referrals.
import { incidentCircumstances, injuriesBySeverity, weapons } from './data/texts';
import type { Prng } from './prng';

export type DashAnswer = 'yes' | 'no' | 'not_known';
export type RiskGrade = 'standard' | 'medium' | 'high';
export type PoliceAction = 'arrest' | 'dvpn' | 'idva_referral';

// How often each of the 27 questions is answered "yes" at an incident of middling severity.
// Fear, control, separation, substance misuse and criminal history are common; harm to
// children, animals and third parties is rarer.
const dashBaseRates = [
  0.35, 0.6, 0.5, 0.3, 0.25, 0.45, 0.25, 0.35, 0.08, 0.2, 0.05, 0.08, 0.3, 0.3, 0.45, 0.1, 0.15, 0.12, 0.08, 0.05,
  0.15, 0.05, 0.35, 0.45, 0.15, 0.1, 0.4,
] as const;

/** Facts of the incident that fix some answers rather than leave them to chance. */
export interface IncidentFacts {
  severity: number;
  injured: boolean;
  weapon: boolean;
  pregnantOrNewBaby: boolean;
  childrenNotTheAbusers: boolean;
  separated: boolean;
  /** Incidents before this one between the same two people. */
  previousIncidents: number;
  breachedOrder: boolean;
}

export interface PoliceIncidentDetails {
  circumstances: string;
  injuries: string;
  weapons: string;
  dash: Record<string, DashAnswer>;
  dashYes: number;
  riskGrade: RiskGrade;
  actions: PoliceAction[];
  victimConsent: boolean;
}

function dashAnswers(prng: Prng, facts: IncidentFacts): Record<string, DashAnswer> {
  const answers: Record<string, DashAnswer> = {};
  // About one victim in twelve declines to answer the checklist at all.
  const declined = prng.chance(0.08);
  const scale = 0.3 + 2.2 * facts.severity;
  const fixed: Record<number, boolean> = {
    1: facts.injured, 9: facts.pregnantOrNewBaby, 10: facts.childrenNotTheAbusers, 6: facts.separated || prng.chance(0.25),
    13: facts.previousIncidents > 0 && prng.chance(0.3 + 0.15 * facts.previousIncidents), 16: facts.weapon, 26: facts.breachedOrder,
  };
  dashBaseRates.forEach((rate, i) => {
    const question = i + 1;
    if (declined) answers[question] = 'not_known';
    else if (prng.chance(0.03)) answers[question] = 'not_known';
    else {
      const known = fixed[question];
      answers[question] = (known ?? prng.chance(Math.min(0.95, rate * scale))) ? 'yes' : 'no';
    }
  });
  return answers;
}

/** The officer's grade: 14 or more "yes" is high; strangulation, threats to kill or weapons can raise it. */
export function riskGrade(dash: Record<string, DashAnswer>, severity: number): { grade: RiskGrade; yes: number } {
  const yes = Object.values(dash).filter((a) => a === 'yes').length;
  const grave = dash['16'] === 'yes' || dash['17'] === 'yes' || dash['18'] === 'yes';
  const answered = Object.values(dash).some((a) => a !== 'not_known');
  let grade: RiskGrade;
  if (!answered) grade = severity > 0.7 ? 'high' : severity > 0.4 ? 'medium' : 'standard';
  else if (yes >= 14 || (yes >= 10 && grave)) grade = 'high';
  else if (yes >= 8 || (yes >= 5 && severity > 0.5)) grade = 'medium';
  else grade = 'standard';
  return { grade, yes };
}

export function policeIncidentDetails(prng: Prng, facts: Omit<IncidentFacts, 'injured' | 'weapon'>): PoliceIncidentDetails {
  const band = facts.severity < 0.4 ? 0 : facts.severity < 0.7 ? 1 : 2;
  const injuries = prng.pick(injuriesBySeverity[band] as readonly string[]);
  const weapon = band === 2 ? prng.chance(0.35) : band === 1 ? prng.chance(0.05) : false;
  const dash = dashAnswers(prng, { ...facts, injured: injuries !== 'none' && injuries !== 'none visible', weapon });
  const { grade, yes } = riskGrade(dash, facts.severity);
  const actions: PoliceAction[] = [];
  if ((facts.severity > 0.45 && prng.chance(0.7)) || prng.chance(0.12)) actions.push('arrest');
  if (actions.includes('arrest') && facts.severity > 0.6 && prng.chance(0.3)) actions.push('dvpn');
  if ((grade === 'high' && prng.chance(0.9)) || (grade === 'medium' && prng.chance(0.2))) actions.push('idva_referral');
  return {
    circumstances: prng.pick(incidentCircumstances[band] as readonly string[]),
    injuries,
    weapons: weapon ? prng.pick(weapons) : 'none',
    dash,
    dashYes: yes,
    riskGrade: grade,
    actions,
    victimConsent: prng.chance(grade === 'high' ? 0.55 : 0.7),
  };
}
