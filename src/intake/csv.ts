// Police notifications as CSV: one row per person, the incident's columns repeated on each row of
// the same police reference. Every problem is reported by row and column, and a file with problems
// is imported only when the sender asks for the valid notifications to go ahead without the rest.
import { parse } from 'csv-parse/sync';
import { londonInstant } from '../calendar/london';
import { policeNotificationSchema, type PoliceNotification } from './schemas';

export const incidentColumns = [
  'police_reference', 'occurred_at', 'location', 'location_confidential', 'officer_name', 'officer_collar_number', 'circumstances',
  'injuries', 'weapons', 'risk_grade', 'arrest', 'dvpn', 'idva_referral', 'victim_consent', 'dash_completed', 'dash_yes', 'dash_not_known',
] as const;
export const personColumns = [
  'person_role', 'person_ref', 'given_name', 'middle_names', 'family_name', 'aliases', 'date_of_birth', 'expected_date_of_birth', 'sex',
  'nhs_number', 'address_line1', 'address_line2', 'town', 'postcode', 'address_confidential', 'relationship_to_victim', 'child_present',
  'child_where', 'child_voice', 'child_demeanour',
] as const;
export const csvColumns = [...incidentColumns, ...personColumns];
const requiredColumns = ['police_reference', 'occurred_at', 'location', 'officer_name', 'circumstances', 'risk_grade', 'victim_consent', 'person_role', 'person_ref', 'given_name', 'family_name'];

type Row = Record<string, string>;

export interface CsvProblem {
  /** Line of the file (the header is line 1), or 0 for the file as a whole. */
  line: number;
  column: string;
  message: string;
}

export interface CsvNotification {
  policeReference: string;
  lines: number[];
  notification?: PoliceNotification;
  problems: CsvProblem[];
}

export interface CsvReading {
  notifications: CsvNotification[];
  fileProblems: CsvProblem[];
}

export const maxNotificationsPerFile = 2000;

// Where each field of the notification comes from, to name the column of a problem.
const incidentFieldColumns: Record<string, string> = {
  policeReference: 'police_reference', occurredAt: 'occurred_at', location: 'location', locationConfidential: 'location_confidential',
  'attendingOfficer.name': 'officer_name', 'attendingOfficer.collarNumber': 'officer_collar_number', circumstances: 'circumstances',
  injuries: 'injuries', weapons: 'weapons', riskGrade: 'risk_grade', 'actions.arrest': 'arrest', 'actions.dvpn': 'dvpn',
  'actions.idvaReferral': 'idva_referral', victimConsent: 'victim_consent', dash: 'dash_yes', people: 'person_role',
};
const personFieldColumns: Record<string, string> = {
  role: 'person_role', sourceRef: 'person_ref', givenName: 'given_name', middleNames: 'middle_names', familyName: 'family_name', aliases: 'aliases',
  dateOfBirth: 'date_of_birth', expectedDateOfBirth: 'expected_date_of_birth', sex: 'sex', nhsNumber: 'nhs_number',
  'address.line1': 'address_line1', 'address.line2': 'address_line2', 'address.town': 'town', 'address.postcode': 'postcode',
  'address.confidential': 'address_confidential', relationshipToVictim: 'relationship_to_victim', present: 'child_present',
  whereDuringIncident: 'child_where', childVoice: 'child_voice', demeanour: 'child_demeanour',
};

const truthy = new Set(['yes', 'y', 'true', '1']);
const falsy = new Set(['no', 'n', 'false', '0']);

class CellError extends Error {
  constructor(readonly column: string, message: string) {
    super(message);
  }
}

function flag(row: Row, column: string, required = false): boolean | undefined {
  const value = (row[column] ?? '').toLowerCase();
  if (value === '') {
    if (required) throw new CellError(column, 'Enter yes or no');
    return undefined;
  }
  if (truthy.has(value)) return true;
  if (falsy.has(value)) return false;
  throw new CellError(column, `"${row[column]}" is not yes or no`);
}

const optional = (value: string | undefined) => (value ? value : undefined);

/** ISO with an offset, or a local time in England ("2026-11-20 21:40"). */
function occurredAt(value: string): string {
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?$/.exec(value);
  if (local) {
    try {
      return londonInstant(local[1]!, local[2]!).toISOString();
    } catch {
      throw new CellError('occurred_at', `"${value}" is not a real date and time`);
    }
  }
  return value;
}

function questionNumbers(row: Row, column: string): number[] {
  const value = row[column] ?? '';
  if (value === '') return [];
  return value.split(/[;,\s]+/).filter(Boolean).map((part) => {
    const n = Number(part);
    if (!Number.isInteger(n) || n < 1 || n > 27) throw new CellError(column, `"${part}" is not a question number from 1 to 27`);
    return n;
  });
}

function dashOf(row: Row): unknown {
  if (!flag(row, 'dash_completed')) return undefined;
  const yes = questionNumbers(row, 'dash_yes');
  const notKnown = questionNumbers(row, 'dash_not_known');
  const answers: Record<string, { answer: string }> = {};
  for (let q = 1; q <= 27; q++) answers[q] = { answer: yes.includes(q) ? 'yes' : notKnown.includes(q) ? 'not_known' : 'no' };
  return { set: 'police_27', answers };
}

function personOf(row: Row): Record<string, unknown> {
  const hasAddress = Boolean(row['address_line1'] || row['postcode']);
  return {
    role: row['person_role'],
    sourceRef: row['person_ref'],
    givenName: row['given_name'],
    middleNames: optional(row['middle_names']),
    familyName: row['family_name'],
    aliases: (row['aliases'] ?? '').split(';').map((a) => a.trim()).filter(Boolean),
    dateOfBirth: optional(row['date_of_birth']),
    expectedDateOfBirth: optional(row['expected_date_of_birth']),
    sex: optional(row['sex']?.toUpperCase()),
    nhsNumber: optional(row['nhs_number']),
    address: hasAddress
      ? { line1: row['address_line1'] ?? '', line2: optional(row['address_line2']), town: optional(row['town']), postcode: optional(row['postcode']), confidential: flag(row, 'address_confidential') ?? false }
      : undefined,
    relationshipToVictim: optional(row['relationship_to_victim']),
    present: flag(row, 'child_present'),
    whereDuringIncident: optional(row['child_where']),
    childVoice: optional(row['child_voice']),
    demeanour: optional(row['child_demeanour']),
  };
}

function incidentOf(row: Row): Record<string, unknown> {
  return {
    policeReference: row['police_reference'],
    occurredAt: occurredAt(row['occurred_at'] ?? ''),
    location: row['location'],
    locationConfidential: flag(row, 'location_confidential') ?? false,
    attendingOfficer: { name: row['officer_name'], collarNumber: optional(row['officer_collar_number']) },
    circumstances: row['circumstances'],
    injuries: optional(row['injuries']),
    weapons: optional(row['weapons']),
    riskGrade: row['risk_grade']?.toLowerCase(),
    actions: { arrest: flag(row, 'arrest') ?? false, dvpn: flag(row, 'dvpn') ?? false, idvaReferral: flag(row, 'idva_referral') ?? false },
    victimConsent: flag(row, 'victim_consent', true),
    dash: dashOf(row),
  };
}

export function readPoliceNotificationsCsv(content: string): CsvReading {
  let records: Row[];
  try {
    records = parse(content, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
  } catch (error) {
    return { notifications: [], fileProblems: [{ line: 0, column: '', message: `The file is not valid CSV: ${(error as Error).message}` }] };
  }
  const header = records.length ? Object.keys(records[0]!) : (parse(content, { to_line: 1, bom: true }) as string[][])[0] ?? [];
  const fileProblems: CsvProblem[] = [];
  const missing = requiredColumns.filter((c) => !header.includes(c));
  if (missing.length) fileProblems.push({ line: 1, column: missing.join(', '), message: `The header is missing ${missing.length === 1 ? 'the column' : 'columns'} ${missing.join(', ')}` });
  const unknown = header.filter((c) => !(csvColumns as readonly string[]).includes(c));
  if (unknown.length) fileProblems.push({ line: 1, column: unknown.join(', '), message: `Unknown ${unknown.length === 1 ? 'column' : 'columns'} ${unknown.join(', ')}` });
  if (records.length === 0) fileProblems.push({ line: 0, column: '', message: 'The file has no rows under its header' });
  if (fileProblems.length) return { notifications: [], fileProblems };

  const groups = new Map<string, { rows: Row[]; lines: number[] }>();
  records.forEach((row, i) => {
    const reference = row['police_reference'] ?? '';
    const group = groups.get(reference) ?? { rows: [], lines: [] };
    group.rows.push(row);
    group.lines.push(i + 2);
    groups.set(reference, group);
  });
  if (groups.size > maxNotificationsPerFile) {
    return { notifications: [], fileProblems: [{ line: 0, column: '', message: `The file has ${groups.size} notifications; send at most ${maxNotificationsPerFile} in one file` }] };
  }

  const notifications: CsvNotification[] = [];
  for (const [policeReference, group] of groups) {
    notifications.push(readGroup(policeReference, group.rows, group.lines));
  }
  return { notifications, fileProblems: [] };
}

function readGroup(policeReference: string, rows: Row[], lines: number[]): CsvNotification {
  const problems: CsvProblem[] = [];
  let incident: Record<string, unknown> | undefined;
  const people: Record<string, unknown>[] = [];
  rows.forEach((row, i) => {
    try {
      const thisIncident = incidentOf(row);
      if (!incident) incident = thisIncident;
      else {
        for (const column of incidentColumns) {
          if ((row[column] ?? '') !== (rows[0]![column] ?? '')) {
            problems.push({ line: lines[i]!, column, message: `Differs from line ${lines[0]} for the same police reference` });
          }
        }
      }
      people.push(personOf(row));
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      problems.push({ line: lines[i]!, column: error.column, message: error.message });
    }
  });
  if (problems.length || !incident) return { policeReference, lines, problems };

  const parsed = policeNotificationSchema.safeParse({ ...incident, people });
  if (parsed.success) return { policeReference, lines, notification: parsed.data, problems };
  for (const issue of parsed.error.issues) {
    const [first, index, ...rest] = issue.path.map(String);
    if (first === 'people' && index !== undefined && /^\d+$/.test(index)) {
      const field = rest.join('.');
      problems.push({ line: lines[Number(index)] ?? lines[0]!, column: personFieldColumns[field] ?? personFieldColumns[rest[0] ?? ''] ?? field, message: issue.message });
    } else {
      const field = issue.path.map(String).join('.');
      const column = incidentFieldColumns[field] ?? incidentFieldColumns[first ?? ''] ?? field;
      problems.push({ line: lines[0]!, column, message: issue.message });
    }
  }
  return { policeReference, lines, problems };
}
