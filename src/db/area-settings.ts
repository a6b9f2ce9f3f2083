// An area's settings (area.settings: calendar, identity, risk, sharing, retention), as stored.
// Within a transaction they are read once: receiving one notification needs them in several
// modules (its deadlines, its flags, its school notifications), and Hearth never changes them
// while a transaction runs; operators set them between runs. Outside a transaction each call reads.
import type { Kysely } from 'kysely';
import type { Database } from './schema';

const readInTransaction = new WeakMap<Kysely<Database>, Map<string, Promise<Record<string, unknown>>>>();

async function read(db: Kysely<Database>, areaId: string): Promise<Record<string, unknown>> {
  const area = await db.selectFrom('area').select('settings').where('id', '=', areaId).executeTakeFirst();
  return area?.settings ?? {};
}

/** The area's settings; within the gate, the current area's row is the only one visible. */
export function areaSettings(db: Kysely<Database>, areaId: string): Promise<Record<string, unknown>> {
  if (!db.isTransaction) return read(db, areaId);
  let byArea = readInTransaction.get(db);
  if (!byArea) readInTransaction.set(db, (byArea = new Map()));
  let settings = byArea.get(areaId);
  if (!settings) byArea.set(areaId, (settings = read(db, areaId)));
  return settings;
}
