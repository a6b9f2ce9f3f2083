// Which agency is the area's MASH. An area may hold more than one children's social care agency
// (a predecessor council kept for its records, say). Referrals share with, contacts join,
// Operation Encompass copies and escalations go to one and the same: the oldest, ties broken by
// id, since agencies set up together share a creation time.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export async function mashAgencyId(db: Kysely<Database>): Promise<string | null> {
  const mash = await db
    .selectFrom('agency')
    .select('id')
    .where('kind', '=', 'childrens_social_care')
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return mash?.id ?? null;
}
