// A busy front door for the demo area: contacts for the children of the area's recent police
// domestic abuse incidents, worked through the MASH as they would have been up to the start of
// `today`: new ones waiting for screening; agency checks out, some answered, some overdue;
// decisions waiting, awaiting authorisation or returned; older ones closed, with a few stuck
// and overdue. Runs on the owner connection (the demo generator's), outside the gate.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { writeAudit } from '../access/audit';
import type { AreaCalendarSettings, CheckPriority } from '../calendar/area-settings';
import { addDays } from '../calendar/dates';
import { londonDate, londonInstant } from '../calendar/london';
import { checkDeadline, referralDecisionDue } from '../calendar/timescales';
import { addWorkingHours, workingDayHours } from '../calendar/working-hours';
import type { ContactDecision, ContactStage, Consent, Database } from '../db/schema';
import { HearthError } from '../server/errors';
import { defaultQuestion } from './screening';
import { calendarSettingsOf } from './time';

export interface FrontDoorDemoOptions {
  /** The demo's today, 'YYYY-MM-DD': everything the MASH did happened before it began. */
  today: string;
  /** A random number in [0, 1), from the demo's seeded generator. */
  random: () => number;
  /** How many days of incidents become contacts (default 21). */
  days?: number;
  /** At most this many contacts, the newest (default 150). */
  maxContacts?: number;
}

export interface FrontDoorDemoResult {
  contacts: number;
  byStage: Record<string, number>;
  checks: number;
  overdueContacts: number;
  overdueChecks: number;
}

type Target = ContactStage | 'returned';

interface Pair {
  eventId: string;
  sourceAgencyId: string;
  receivedAt: Date;
  details: Record<string, unknown>;
  childId: string;
  givenName: string;
  dateOfBirth: string | null;
  present: boolean | null;
  voice: string | null;
  schoolId: string | null;
}

class Dice {
  private serial = 0;
  /** `salt` (the area) keeps ids apart when two areas are seeded from the same stream. */
  constructor(private readonly random: () => number, private readonly salt: string) {}
  next(): number {
    const r = this.random();
    return r >= 0 && r < 1 ? r : Math.abs(r) % 1;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of choices) {
      if ((r -= weight) < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }
  uuid(): string {
    const hex = createHash('sha256').update(`${this.salt}:${this.serial++}:${this.next()}`).digest('hex').slice(0, 32).split('');
    hex[12] = '4';
    hex[16] = (8 + (parseInt(hex[16]!, 16) % 4)).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

const ageOn = (dob: string | null, day: string): number | null => {
  if (!dob) return null;
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = day.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
};

function priorityFor(dice: Dice, pair: Pair): CheckPriority {
  const grade = String(pair.details['riskGrade'] ?? 'standard');
  const injured = typeof pair.details['injuries'] === 'string' && !/^none/.test(pair.details['injuries'] as string);
  const weapon = typeof pair.details['weapons'] === 'string' && pair.details['weapons'] !== 'none';
  if (grade === 'high' || (weapon && pair.present)) return dice.chance(0.85) ? 'red' : 'amber';
  if (grade === 'medium' || injured || pair.present) return dice.weighted([['red', 0.15], ['amber', 0.65], ['green', 0.2]] as const);
  return dice.weighted([['amber', 0.25], ['green', 0.75]] as const);
}

function dashYes(details: Record<string, unknown>): number | null {
  const dash = details['dash'];
  if (!dash || typeof dash !== 'object') return null;
  return Object.values(dash as Record<string, unknown>).filter((a) => a === 'yes').length;
}

function priorityReason(pair: Pair, priority: CheckPriority, age: number | null): string {
  const yes = dashYes(pair.details);
  const grade = String(pair.details['riskGrade'] ?? 'not graded');
  const who = `${pair.givenName}${age === null ? ' (unborn)' : ` (${age})`}`;
  const presence = pair.present ? `${who} was present` : pair.present === false ? `${who} was not present` : `${who}'s presence is not known`;
  const dash = yes === null ? 'no DASH completed' : `DASH ${yes} “yes”`;
  const injuries = typeof pair.details['injuries'] === 'string' ? `injuries: ${pair.details['injuries']}` : 'injuries not recorded';
  const weapon = pair.details['weapons'] && pair.details['weapons'] !== 'none' ? `; weapon used (${pair.details['weapons']})` : '';
  switch (priority) {
    case 'red': return `${grade.charAt(0).toUpperCase() + grade.slice(1)}-risk incident: ${dash}; ${injuries}${weapon}. ${presence}. Immediate safety of the child needs checking today.`;
    case 'amber': return `${presence} at a ${grade}-risk incident (${dash}; ${injuries}). Needs agency information and a decision within the working day.`;
    default: return `${presence}; ${grade}-risk incident with ${dash} and ${injuries}. No indication of immediate risk; gather information before deciding.`;
  }
}

const answersByKind: Record<string, { known: number; texts: readonly [string, string, string][] }> = {
  police: {
    known: 0.8,
    texts: [
      ['Two previous domestic incidents at the address in the last 12 months, both standard risk.', 'Escalation: tonight is the first with injuries. Suspect has a caution for common assault (2022).', 'Suspect arrested for ABH tonight, released on bail with conditions not to contact the victim.'],
      ['Suspect known for violence with a previous partner; one DVPN in 2023.', 'Risk of further assault if bail conditions breached; victim fearful.', 'Three call-outs to the household since 2021; no convictions.'],
      ['No previous incidents at this address; suspect has a drink-driving conviction.', 'None beyond tonight’s incident.', 'Nothing further held.'],
    ],
  },
  health: {
    known: 0.9,
    texts: [
      ['Registered with the health visiting service; last contact 6 weeks ago, growth and development on track.', 'Mother disclosed low mood at the last visit; referred to the GP.', 'Two emergency department attendances in the last year (minor injuries, explanations consistent).'],
      ['Known to school nursing; immunisations up to date.', 'Missed two outpatient appointments this year; follow-up letters sent.', 'Mother attended the emergency department in March with a facial injury, said she fell.'],
      ['GP registered; no recent consultations for the child.', 'None recorded.', 'Mother has a history of anxiety, currently treated by the GP.'],
    ],
  },
  school: {
    known: 0.95,
    texts: [
      ['On roll; attendance 88% this term (below 90%), several late arrivals on Mondays.', 'Has seemed withdrawn and tired; told a teaching assistant they do not like going home at weekends.', 'Two entries on the safeguarding log this year about presentation and lateness.'],
      ['On roll; attendance 96%.', 'No concerns in school; progressing well.', 'Operation Encompass notification received after a previous incident in the autumn; support offered by the pastoral lead.'],
      ['On roll; attendance 91%. Sees the learning mentor weekly.', 'Angry outbursts in class after weekends; friendship difficulties.', 'Referred to the school counsellor last term; mother engaged well with the school.'],
    ],
  },
  probation: {
    known: 0.35,
    texts: [
      ['Suspect subject to a community order for assault (12 months, started in January).', 'Poor compliance: two missed appointments; alcohol misuse.', 'Previous conviction for harassment of an ex-partner (2021). Assessed as medium risk of serious harm to known adults.'],
    ],
  },
  idva_service: {
    known: 0.5,
    texts: [
      ['Victim referred by police after this incident; IDVA made contact today.', 'Victim frightened and considering separation; safety plan started.', 'Heard at MARAC eight months ago; actions completed.'],
    ],
  },
  housing: {
    known: 0.3,
    texts: [
      ['Council tenants since 2019.', 'Rent arrears; neighbour complaints about noise at night.', 'Homeless application on grounds of domestic abuse withdrawn last year.'],
    ],
  },
};

const withdrawnReasons = [
  'Police checks answered the question: no need to ask twice.',
  'The family has moved out of the area; the receiving authority will follow up.',
  'Information already provided at a strategy discussion this week.',
];

const returnComments = [
  'Please say how the child’s own words inform the decision, and consider whether the escalation in the history meets the threshold for a strategy discussion.',
  'The reasons do not address the school’s concerns about attendance and presentation. Please weigh them and consider early help at least.',
  'MARAC referral: the DASH score and the injuries suggest high risk. Please revisit the MARAC decision or record why not.',
];

function decisionFor(dice: Dice, priority: CheckPriority): ContactDecision {
  if (priority === 'red') return dice.weighted([['strategy_discussion', 0.5], ['child_in_need_assessment', 0.35], ['early_help', 0.15]] as const);
  if (priority === 'amber') return dice.weighted([['child_in_need_assessment', 0.35], ['early_help', 0.4], ['information_and_advice', 0.2], ['no_further_action', 0.05]] as const);
  return dice.weighted([['early_help', 0.3], ['information_and_advice', 0.4], ['no_further_action', 0.3]] as const);
}

function decisionReasons(pair: Pair, decision: ContactDecision, age: number | null, answered: string[]): string {
  const name = pair.givenName;
  const checks = answered.length ? `Agency checks from ${answered.join(', ')} considered.` : 'No agency checks were needed.';
  const voice = pair.voice ? ` ${name} said: “${pair.voice}”` : '';
  const presence = pair.present ? `${name} was present during the incident.` : `${name} was not present but lives in the household.`;
  switch (decision) {
    case 'strategy_discussion': return `${presence}${voice} ${checks} The incident is serious and part of an escalating pattern; there is reasonable cause to suspect ${name} is suffering, or likely to suffer, significant harm. Strategy discussion with police and health to be convened today under section 47.`;
    case 'child_in_need_assessment': return `${presence}${voice} ${checks} ${name}'s needs are not being met while the abuse continues: a social work assessment under section 17 will look at the impact on ${name} and the protective capacity of the non-abusing parent.`;
    case 'early_help': return `${presence} ${checks} No indication of significant harm; the family would benefit from early help (domestic abuse support for the parent and ${age !== null && age >= 5 ? 'school-based support for ' + name : 'health visiting support'}). Parent agrees to an early help assessment.`;
    case 'information_and_advice': return `${presence} ${checks} First incident known, standard risk, the parent has separated from the alleged perpetrator and is protective. Advice given on safety planning and local domestic abuse services.`;
    default: return `${presence} ${checks} Incident was a verbal argument with no risk factors for the child; agencies have no concerns. No further action for children’s services; police to record.`;
  }
}

/**
 * Creates the demo area's front door from its recent police domestic abuse incidents with
 * children. Existing contacts are left alone; (event, child) pairs that already have one are skipped.
 */
export async function seedFrontDoorDemo(db: Kysely<Database>, areaId: string, options: FrontDoorDemoOptions): Promise<FrontDoorDemoResult> {
  const dice = new Dice(options.random, areaId);
  const area = await db.selectFrom('area').select(['settings']).where('id', '=', areaId).executeTakeFirst();
  if (!area) throw new HearthError('not_found', 'The area was not found.');
  const settings: AreaCalendarSettings = calendarSettingsOf(area.settings);
  const cutoff = londonInstant(options.today, '00:00');
  const windowStart = londonInstant(addDays(options.today, -(options.days ?? 21)), '00:00');

  const users = await db.selectFrom('app_user').select(['id', 'role', 'agency_id', 'team_id']).where('area_id', '=', areaId)
    .where('kind', '=', 'person').where('status', '=', 'active').orderBy('created_at').orderBy('id').execute();
  const byRole = (role: string) => users.filter((u) => u.role === role);
  const practitioner = byRole('mash_practitioner')[0] ?? byRole('mash_manager')[0];
  const manager = [...byRole('mash_manager'), ...byRole('team_manager')].find((u) => u.id !== practitioner?.id);
  if (!practitioner || !manager) {
    throw new HearthError('conflict', 'The demo front door needs a MASH practitioner and a manager (MASH or team manager) in the area.');
  }
  const answerer = (agencyId: string) =>
    users.find((u) => u.agency_id === agencyId && ['agency_researcher', 'school_dsl', 'police_officer', 'idva'].includes(u.role))?.id ?? null;

  const agencies = await db.selectFrom('agency').select(['id', 'kind', 'service', 'name']).where('area_id', '=', areaId).orderBy('created_at').orderBy('id').execute();
  const mashAgencyId = users.find((u) => u.id === practitioner.id)!.agency_id;
  const firstOf = (kind: string, service?: string | null) => agencies.find((a) => a.kind === kind && (service === undefined || a.service === service));
  const researcherHealth = byRole('agency_researcher').map((u) => agencies.find((a) => a.id === u.agency_id)).find((a) => a?.kind === 'health');
  const health = researcherHealth ?? firstOf('health', null) ?? firstOf('health');
  const police = firstOf('police');
  const probation = firstOf('probation');
  const idva = firstOf('idva_service');
  const housing = firstOf('housing');
  const mashTeam = await db.selectFrom('team as t').innerJoin('agency as g', 'g.id', 't.agency_id').select('t.id')
    .where('t.area_id', '=', areaId).where('g.kind', '=', 'childrens_social_care').where('t.name', 'ilike', 'mash').executeTakeFirst();
  const dslSchool = byRole('school_dsl')[0]?.agency_id ?? null;

  const incidents = (from: Date) => db
    .selectFrom('event as e')
    .innerJoin('event_person as ep', 'ep.event_id', 'e.id')
    .innerJoin('person as p', 'p.id', 'ep.person_id')
    .leftJoin('contact as c', (join) => join.onRef('c.event_id', '=', 'e.id').onRef('c.child_person_id', '=', 'p.id'))
    .select([
      'e.id as event_id', 'e.agency_id', 'e.recorded_at', 'e.details', 'p.id as child_id', 'p.given_name', 'p.date_of_birth',
      'ep.child_present', 'ep.child_voice',
      // The child's school: from education where recorded, else from the agencies' records.
      sql<string | null>`coalesce(
        (SELECT ed.school_agency_id FROM education ed WHERE ed.person_id = p.id AND ed.school_agency_id IS NOT NULL AND ed.to_date IS NULL ORDER BY ed.from_date DESC NULLS LAST LIMIT 1),
        (SELECT r.school_agency_id FROM agency_record r WHERE r.person_id = p.id AND r.school_agency_id IS NOT NULL ORDER BY r.updated_at DESC LIMIT 1))`.as('school_id'),
    ])
    .where('e.area_id', '=', areaId)
    .where('e.kind', '=', 'police_da_incident')
    .where('ep.role', '=', 'child')
    .where('e.recorded_at', '>=', from)
    .where('e.recorded_at', '<', cutoff)
    .where('c.id', 'is', null)
    .orderBy('e.recorded_at', 'desc')
    .orderBy('e.id')
    .orderBy('p.date_of_birth')
    .orderBy('p.id');
  const rows = await incidents(windowStart).limit(options.maxContacts ?? 150).execute();
  // The demo school's lead needs a check to answer: when no pupil of theirs is in the window, the
  // latest incident of the last three months with one becomes a contact long stuck at checks.
  const pupil = (r: { school_id: string | null; date_of_birth: string | null; recorded_at: Date }) =>
    r.school_id === dslSchool && (ageOn(r.date_of_birth, londonDate(r.recorded_at)) ?? 0) >= 4;
  if (dslSchool && !rows.some(pupil)) {
    const older = await incidents(londonInstant(addDays(options.today, -90), '00:00'))
      .where('e.recorded_at', '<', windowStart)
      .where(({ or, exists, selectFrom }) => or([
        exists(selectFrom('agency_record as r').select('r.id').whereRef('r.person_id', '=', 'p.id').where('r.school_agency_id', '=', dslSchool)),
        exists(selectFrom('education as ed').select('ed.id').whereRef('ed.person_id', '=', 'p.id').where('ed.school_agency_id', '=', dslSchool)),
      ]))
      .limit(20)
      .execute();
    const found = older.find(pupil);
    if (found) rows.push(found);
  }
  const pairs: Pair[] = rows.map((r) => ({
    eventId: r.event_id, sourceAgencyId: r.agency_id, receivedAt: r.recorded_at, details: (r.details ?? {}) as Record<string, unknown>,
    childId: r.child_id, givenName: r.given_name ?? 'The child', dateOfBirth: r.date_of_birth, present: r.child_present, voice: r.child_voice,
    schoolId: r.school_id,
  }));

  // What stage each contact should have reached: the newest are still being worked; older ones
  // closed, except a few stuck (and so overdue).
  const dayHours = workingDayHours(settings.workingHours);
  const targets: Target[] = pairs.map((pair) => {
    const decisionDue = referralDecisionDue(pair.receivedAt, settings);
    if (decisionDue.getTime() >= cutoff.getTime()) {
      return dice.weighted([['screening', 0.25], ['checks', 0.35], ['decision', 0.18], ['authorisation', 0.15], ['returned', 0.07]] as const);
    }
    return dice.chance(0.12) ? dice.weighted([['checks', 0.4], ['decision', 0.3], ['authorisation', 0.3]] as const) : 'closed';
  });
  // Every stage appears, and the demo school's lead and health researcher have open checks. The
  // contacts chosen for this are old enough (two working weeks) to have reached any stage.
  const roomy = pairs.map((p) => addWorkingHours(p.receivedAt, 10 * dayHours, settings.workingHours).getTime() < cutoff.getTime());
  const screenable = pairs.map((p) => addWorkingHours(p.receivedAt, 3, settings.workingHours).getTime() < cutoff.getTime());
  const forced = new Set<number>();
  const force = (stage: Target, prefer: (i: number) => boolean = () => true) => {
    const room = stage === 'screening' ? () => true : stage === 'checks' ? (i: number) => screenable[i]! : (i: number) => roomy[i]!;
    const candidates = pairs.map((_, i) => i).filter((i) => !forced.has(i) && room(i));
    const index = candidates.find(prefer) ?? (stage === 'screening' ? candidates[0] : candidates[candidates.length - 1]);
    if (index === undefined) return;
    targets[index] = stage;
    forced.add(index);
  };
  const dslPair = dslSchool ? pairs.findIndex((p, i) => screenable[i] && pupil({ school_id: p.schoolId, date_of_birth: p.dateOfBirth, recorded_at: p.receivedAt })) : -1;
  if (dslPair >= 0) force('checks', (i) => i === dslPair);
  for (const stage of ['screening', 'checks', 'decision', 'authorisation', 'returned', 'closed'] as const) {
    if (!targets.some((t, i) => t === stage && (stage === 'screening' || roomy[i]))) force(stage);
  }
  const contactValues: Record<string, unknown>[] = [];
  const historyValues: Record<string, unknown>[] = [];
  const checkValues: Record<string, unknown>[] = [];
  const shareValues: Record<string, unknown>[] = [];
  const byStage: Record<string, number> = {};
  let overdueContacts = 0;
  let overdueChecks = 0;
  const before = (t: Date) => t.getTime() < cutoff.getTime();
  const later = (from: Date, lo: number, hi: number) => addWorkingHours(from, dice.between(lo, hi), settings.workingHours);

  pairs.forEach((pair, index) => {
    const target = targets[index]!;
    const id = dice.uuid();
    const receivedAt = pair.receivedAt;
    const decisionDueAt = referralDecisionDue(receivedAt, settings);
    const incidentDay = londonDate(receivedAt);
    const age = ageOn(pair.dateOfBirth, incidentDay);
    const history = (action: string, at: Date, actor: string | null, comment: string | null = null, details: Record<string, unknown> | null = null) =>
      historyValues.push({ id: dice.uuid(), area_id: areaId, contact_id: id, action, actor_user_id: actor, at, comment, details: details ? JSON.stringify(details) : null });
    const contact: Record<string, unknown> = {
      id, area_id: areaId, child_person_id: pair.childId, event_id: pair.eventId, source_agency_id: pair.sourceAgencyId, source: 'police_notification',
      received_at: receivedAt, decision_due_at: decisionDueAt, stage: 'screening', team_id: mashTeam?.id ?? null, created_at: receivedAt, version: 1,
      allocated_to: dice.chance(0.4) ? practitioner.id : null,
    };
    contactValues.push(contact);
    history('received', receivedAt, null, null, { source: 'police_notification', eventId: pair.eventId });
    const finish = (stage: ContactStage) => {
      contact['stage'] = stage;
      const label = stage === 'decision' && contact['returned_at'] ? 'returned' : stage;
      byStage[label] = (byStage[label] ?? 0) + 1;
      if (stage !== 'closed' && decisionDueAt.getTime() < cutoff.getTime()) overdueContacts++;
    };

    const screenedAt = later(receivedAt, 0.3, 2.5);
    if (target === 'screening' || !before(screenedAt)) return finish('screening');
    const priority = priorityFor(dice, pair);
    const reason = priorityReason(pair, priority, age);
    Object.assign(contact, { priority, priority_reason: reason, screened_by: practitioner.id, screened_at: screenedAt, allocated_to: practitioner.id, version: 2 });
    history('screened', screenedAt, practitioner.id, reason, { priority });

    // The agencies asked: police history and health nearly always, the school for a pupil, others as the incident suggests.
    const asked = [
      police && dice.chance(0.7) ? police : null,
      health && dice.chance(0.9) ? health : null,
      pair.schoolId && age !== null && age >= 4 ? agencies.find((a) => a.id === pair.schoolId) ?? null : null,
      probation && dice.chance(0.3) ? probation : null,
      idva && pair.details['riskGrade'] === 'high' && dice.chance(0.8) ? idva : null,
      housing && dice.chance(0.12) ? housing : null,
    ].filter((a): a is NonNullable<typeof a> => a !== null && a.id !== mashAgencyId);
    // A contact chosen to show checks out asks at least health and the police.
    if (forced.has(index) && target === 'checks') {
      for (const agency of [health, police]) if (agency && !asked.includes(agency)) asked.push(agency);
    }
    const dueAt = checkDeadline(priority, screenedAt, settings);
    const deadlineHours = settings.checkDeadlines[priority].unit === 'workingHours' ? settings.checkDeadlines[priority].amount : settings.checkDeadlines[priority].amount * dayHours;
    const consentGiven = pair.details['victimConsent'] === true;
    const checks = asked.map((agency) => {
      const checkId = dice.uuid();
      // Most answer in time; some late; some not yet.
      const answerAt = addWorkingHours(screenedAt, deadlineHours * dice.weighted([[dice.between(0.2, 0.9), 0.7], [dice.between(1.05, 1.8), 0.3]] as const), settings.workingHours);
      return { checkId, agency, answerAt, withdrawn: false };
    });
    const waitingForSchool = index === dslPair ? checks.find((k) => k.agency.id === dslSchool) : undefined;
    if (waitingForSchool) waitingForSchool.answerAt = new Date(cutoff.getTime() + 3_600_000);
    else if (target === 'checks' && checks.length > 0 && checks.every((k) => before(k.answerAt))) {
      // Still waiting: health's check if there is one, else any.
      const late = checks.find((k) => k.agency.id === health?.id) ?? dice.pick(checks);
      late.answerAt = new Date(cutoff.getTime() + 3_600_000);
    }
    if (target !== 'checks' && checks.length > 1 && dice.chance(0.06)) {
      const withdrawn = checks[checks.length - 1]!;
      const at = later(screenedAt, 0.5, 2);
      if (before(at)) Object.assign(withdrawn, { withdrawn: true, answerAt: at });
    }
    for (const k of checks) {
      const consent: Consent = consentGiven ? (dice.chance(0.8) ? 'given' : 'not_sought') : dice.weighted([['not_sought', 0.6], ['refused', 0.25], ['not_possible', 0.15]] as const);
      const basis = consent === 'given' ? null : dice.pick(['Children Act 1989 s47', 'Children Act 2004 s11', 'Data Protection Act 2018 Sch 1 para 18 safeguarding', 'Crime and Disorder Act 1998 s115']);
      const justification = consent === 'given' ? null
        : consent === 'refused' ? `Mother declined consent. Sharing is necessary to assess the risk to ${pair.givenName} after a ${pair.details['riskGrade'] ?? ''}-risk incident; the risk outweighs the refusal.`
          : consent === 'not_possible' ? `Mother could not be contacted today; ${pair.givenName}'s safety cannot wait for consent.`
            : `Seeking consent could alert the alleged perpetrator and place ${pair.givenName} and the victim at greater risk.`;
      const question = defaultQuestion(k.agency.kind, k.agency.service, pair.givenName);
      const answered = !k.withdrawn && before(k.answerAt);
      const kindAnswers = answersByKind[k.agency.kind] ?? answersByKind['housing']!;
      const known = dice.chance(kindAnswers.known);
      const [involvement, concerns, past] = dice.pick(kindAnswers.texts);
      checkValues.push({
        id: k.checkId, area_id: areaId, contact_id: id, agency_id: k.agency.id, question, requested_by: practitioner.id, requested_at: screenedAt, due_at: dueAt,
        status: k.withdrawn ? 'withdrawn' : answered ? 'answered' : 'open',
        known_to_agency: answered ? (known ? 'yes' : 'no') : null,
        involvement: answered && known ? involvement : null, concerns: answered && known ? concerns : null, history: answered && known ? past : null,
        answered_by: answered ? answerer(k.agency.id) : null, answered_at: answered ? k.answerAt : null, version: answered || k.withdrawn ? 2 : 1,
      });
      shareValues.push({
        id: dice.uuid(), area_id: areaId, person_id: pair.childId, contact_id: id, agency_check_id: k.checkId, from_agency_id: mashAgencyId,
        to_agency_id: k.agency.id, consent, lawful_basis: basis, justification, decided_by: practitioner.id, decided_at: screenedAt,
      });
      history('check_requested', screenedAt, practitioner.id, question, { checkId: k.checkId, agencyName: k.agency.name, dueAt: dueAt.toISOString(), consent, lawfulBasis: basis });
      if (k.withdrawn) history('check_withdrawn', k.answerAt, practitioner.id, dice.pick(withdrawnReasons), { checkId: k.checkId, agencyName: k.agency.name });
      else if (answered) history('check_answered', k.answerAt, answerer(k.agency.id), null, { checkId: k.checkId, agencyName: k.agency.name, knownToAgency: known ? 'yes' : 'no' });
      else if (dueAt.getTime() < cutoff.getTime()) overdueChecks++;
    }
    const open = checks.filter((k) => !k.withdrawn && !before(k.answerAt));
    if (open.length > 0) return finish('checks');
    const checksDone = checks.reduce((t, k) => Math.max(t, k.answerAt.getTime()), screenedAt.getTime());
    if (checks.length) history('checks_complete', new Date(checksDone), null);
    if (target === 'checks') return finish('decision');

    const decidedAt = later(new Date(checksDone), 0.5, 3);
    if (target === 'decision' || !before(decidedAt)) return finish('decision');
    const decision = decisionFor(dice, priority);
    const reasons = decisionReasons(pair, decision, age, checks.filter((k) => !k.withdrawn).map((k) => k.agency.name));
    const marac = pair.details['riskGrade'] === 'high' ? dice.chance(0.9) : dice.chance(0.08);
    Object.assign(contact, { decision, decision_reasons: reasons, marac_referral: marac, decided_by: practitioner.id, decided_at: decidedAt });
    history('decided', decidedAt, practitioner.id, reasons, { decision, maracReferral: marac });
    const reviewedAt = later(decidedAt, 0.3, 3);
    if (target === 'authorisation' || !before(reviewedAt)) return finish('authorisation');
    if (target === 'returned') {
      const comment = dice.pick(returnComments);
      Object.assign(contact, { returned_comment: comment, returned_by: manager.id, returned_at: reviewedAt });
      history('returned', reviewedAt, manager.id, comment, { decision });
      return finish('decision');
    }
    Object.assign(contact, { authorised_by: manager.id, authorised_at: reviewedAt, closed_at: reviewedAt });
    history('authorised', reviewedAt, manager.id, null, { decision });
    return finish('closed');
  });

  const insert = async (db: Kysely<Database>, table: 'contact' | 'contact_history' | 'agency_check' | 'information_share', values: Record<string, unknown>[]) => {
    for (let i = 0; i < values.length; i += 500) await db.insertInto(table).values(values.slice(i, i + 500) as never).execute();
  };
  await db.transaction().execute(async (trx) => {
    await insert(trx, 'contact', contactValues);
    await insert(trx, 'agency_check', checkValues);
    await insert(trx, 'information_share', shareValues);
    await insert(trx, 'contact_history', historyValues);
    await writeAudit(trx, { areaId }, [{
      action: 'frontdoor.seed_demo', recordType: 'area', recordId: areaId,
      details: { today: options.today, contacts: contactValues.length, byStage, checks: checkValues.length },
    }]);
  });
  return { contacts: contactValues.length, byStage, checks: checkValues.length, overdueContacts, overdueChecks };
}
