// The generator's own knowledge of who is who, for scoring identity resolution on a demo area.
// It lives outside the area's data (schema synthetic), which the application role cannot read.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

const pageSize = 50_000;

/**
 * Agency record id → the generator's key of the true person behind it, for every record of a
 * generated area. Records with the same key are the same person. Read in pages so that a
 * county-scale area (millions of records) is never one giant result.
 */
export async function readRecordTruth(db: Kysely<Database>, areaId: string): Promise<Map<string, string>> {
  const truth = new Map<string, string>();
  let after: string | null = null;
  for (;;) {
    let query = db
      .selectFrom('synthetic.record_truth')
      .select(['agency_record_id', 'true_person_key'])
      .where('area_id', '=', areaId)
      .orderBy('agency_record_id')
      .limit(pageSize);
    if (after !== null) query = query.where('agency_record_id', '>', after);
    const rows = await query.execute();
    for (const row of rows) truth.set(row.agency_record_id, row.true_person_key);
    if (rows.length < pageSize) return truth;
    after = (rows[rows.length - 1] as { agency_record_id: string }).agency_record_id;
  }
}
