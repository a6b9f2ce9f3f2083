// Keeping a person's display fields (name, date of birth, sex, NHS number) in step with the agency
// records linked to them, after records join or leave.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { displayFrom, type PersonDisplay } from './display';

/** Recomputes the display fields of each person from their records; changes only what differs. */
export async function refreshDisplay(db: Kysely<Database>, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  const [records, persons] = await Promise.all([
    db
      .selectFrom('agency_record as r')
      .innerJoin('agency as g', 'g.id', 'r.agency_id')
      .select(['r.person_id', 'r.given_name', 'r.family_name', 'r.date_of_birth', 'r.expected_date_of_birth', 'r.sex', 'r.nhs_number', 'g.kind', 'g.service'])
      .where('r.person_id', 'in', personIds)
      .orderBy('r.recorded_at')
      .orderBy('r.id')
      .execute(),
    db.selectFrom('person').select(['id', 'given_name', 'family_name', 'date_of_birth', 'expected_date_of_birth', 'sex', 'nhs_number']).where('id', 'in', personIds).execute(),
  ]);
  const recordsOf = new Map<string, typeof records>();
  for (const r of records) {
    if (!r.person_id) continue;
    const own = recordsOf.get(r.person_id);
    if (own) own.push(r);
    else recordsOf.set(r.person_id, [r]);
  }
  for (const person of persons) {
    const own = recordsOf.get(person.id) ?? [];
    if (own.length === 0) continue;
    const display = displayFrom(own.map((r) => ({
      givenName: r.given_name, familyName: r.family_name, dateOfBirth: r.date_of_birth, expectedDateOfBirth: r.expected_date_of_birth,
      sex: r.sex, nhsNumber: r.nhs_number, agencyKind: r.kind, agencyService: r.service,
    })));
    const current: PersonDisplay = {
      given_name: person.given_name, family_name: person.family_name, date_of_birth: person.date_of_birth,
      expected_date_of_birth: person.expected_date_of_birth, sex: person.sex, nhs_number: person.nhs_number,
    };
    if ((Object.keys(display) as (keyof PersonDisplay)[]).every((k) => display[k] === current[k])) continue;
    await db.updateTable('person').set((eb) => ({ ...display, updated_at: new Date(), version: eb('version', '+', 1) })).where('id', '=', person.id).execute();
  }
}
