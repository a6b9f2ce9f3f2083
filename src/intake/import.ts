// Importing a CSV file of police notifications: all or nothing, unless the sender asks for the
// valid notifications to go ahead without the ones with problems.
import type { Gate } from '../access/gate';
import { readPoliceNotificationsCsv, type CsvProblem } from './csv';
import { receivePoliceNotification } from './receive';

export interface ImportResult {
  imported: number;
  duplicates: number;
  /** Notifications not imported because of their problems. */
  skipped: number;
  problems: CsvProblem[];
}

export async function importPoliceNotifications(gate: Gate, content: string, options: { acceptValid: boolean }): Promise<ImportResult> {
  await gate.require('intake.notify_incident');
  const reading = readPoliceNotificationsCsv(content);
  const problems = [...reading.fileProblems, ...reading.notifications.flatMap((n) => n.problems)];
  const valid = reading.notifications.filter((n) => n.notification && n.problems.length === 0);
  const skipped = reading.notifications.length - valid.length;
  if (reading.fileProblems.length > 0 || (problems.length > 0 && !options.acceptValid) || valid.length === 0) {
    return { imported: 0, duplicates: 0, skipped: reading.notifications.length, problems };
  }
  // One transaction for the file: a failure part-way stores none of it.
  const receivedAt = new Date();
  const outcomes = await gate.run('intake.notify_incident', async (scope) => {
    const results = [];
    for (const n of valid) results.push(await receivePoliceNotification(scope, n.notification!, receivedAt));
    scope.audit({ action: 'intake.csv_import', details: { notifications: valid.length, skipped } });
    return results;
  });
  const duplicates = outcomes.filter((o) => o.duplicate).length;
  return { imported: outcomes.length - duplicates, duplicates, skipped, problems };
}
