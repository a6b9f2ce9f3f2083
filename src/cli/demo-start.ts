// What `npm start` adds to `hearth serve`: the demo area on first start, and its sign-ins.
import type { DatabaseHandle } from '../db/database';
import { roleLabels, isRole } from '../access/roles';
import { demoPassword } from '../demo/users';
import { seedDemoArea } from '../demo/seed';

export const demoAreaCode = 'demo';

/** Creates the demo area when the database has no area at all; returns whether it did. */
export async function ensureDemoArea(database: DatabaseHandle, children: number): Promise<boolean> {
  const anyArea = await database.db.selectFrom('area').select('id').limit(1).executeTakeFirst();
  if (anyArea) return false;
  console.log(`Creating the demo area (${children.toLocaleString('en-GB')} children and their families, three years of history)…`);
  const started = Date.now();
  await seedDemoArea(database, { children, seed: 1, areaCode: demoAreaCode, progress: true });
  console.log(`Demo area ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

/** The demo area's sign-ins as a printable table, or nothing when there is no demo area. */
export async function demoSignIns(database: DatabaseHandle): Promise<string> {
  const users = await database.db
    .selectFrom('app_user as u')
    .innerJoin('area as a', 'a.id', 'u.area_id')
    .innerJoin('agency as g', 'g.id', 'u.agency_id')
    .select(['u.email', 'u.role', 'u.display_name', 'g.name as agency'])
    .where('a.code', '=', demoAreaCode)
    .where('u.kind', '=', 'person')
    .where('u.status', '=', 'active')
    .orderBy('u.role')
    .execute();
  if (users.length === 0) return '';
  const rows = users.map((u) => [isRole(u.role) ? roleLabels[u.role] : u.role, u.email ?? '', `${u.display_name}, ${u.agency}`]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => `  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`);
  return `Demo sign-ins (password for all: ${demoPassword}):\n${lines.join('\n')}\n`;
}
