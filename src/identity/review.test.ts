// The review queue through HTTP: a reviewer sees an uncertain match side by side with what
// counted for and against, and decides it (same person, different people, not sure) with a reason.
import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { describeEachEngine, TestClient } from '../../test/support/app';
import { createArea, createUser, resolveRecord, type TestArea, type TestUser } from '../../test/support/factories';
import type { TestDatabase } from '../../test/support/database';

const kai = { givenName: 'Kai', familyName: 'Osei', dateOfBirth: '2014-03-07', sex: 'M' as const, addresses: [{ line1: '4 Elm Grove', postcode: 'TE2 7QP' }] };
// The same name, a date of birth one digit out, another address in the same district: uncertain.
const kaiAgain = { ...kai, dateOfBirth: '2013-03-07', addresses: [{ line1: '88 Canal Street', postcode: 'TE2 1AA' }] };

/** A known person and a record sent to review as possibly them. */
async function uncertainMatch(database: TestDatabase, area: TestArea) {
  const known = await resolveRecord(database, area, kai);
  const arrived = await resolveRecord(database, area, { ...kaiAgain, agencyId: area.agencies.health });
  expect(arrived.outcome).toBe('review');
  return { known, arrived, reviewId: arrived.reviewId as string };
}

async function signedIn(ctx: { app: FastifyInstance }, user: TestUser): Promise<TestClient> {
  const client = new TestClient(ctx.app);
  await client.signIn(user.email, user.password);
  return client;
}

const versionOf = (body: string) => /name="version" value="(\d+)"/.exec(body)?.[1] ?? 'missing';

describeEachEngine('reviewing an uncertain match', (ctx) => {
  it('shows the two records side by side, field by field, with what counted for and against', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const { reviewId } = await uncertainMatch(database, area);
    const reviewer = await signedIn({ app }, await createUser(database.db, area, 'mash_practitioner'));

    const queue = await reviewer.get('/identity/reviews');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('1 match waiting');
    expect(queue.body).toContain(`/identity/reviews/${reviewId}`);
    expect(queue.body).toContain('Testshire Hospital Emergency Department');

    const page = await reviewer.get(`/identity/reviews/${reviewId}`);
    expect(page.statusCode).toBe(200);
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Is Kai Osei the same person as Kai Osei?');
    // Field by field: both dates of birth, both addresses.
    expect(text).toMatch(/Date of birth 7 March 2013 7 March 2014 Different/);
    expect(text).toContain('88 Canal Street');
    expect(text).toContain('4 Elm Grove');
    const section = (heading: string, next: string) => text.slice(text.indexOf(heading), text.indexOf(next, text.indexOf(heading)));
    const counted = section('What counted for', 'What counted against');
    expect(counted).toMatch(/First name: the same, \+\d+\.\d/);
    expect(counted).toMatch(/Last name: the same, \+\d+\.\d/);
    const against = section('What counted against', 'What the numbers mean');
    expect(counted).toMatch(/Date of birth: one digit different, \+\d+\.\d/);
    expect(against).toMatch(/Postcode: the same postcode district, −\d+\.\d/);
    expect(against).not.toContain('First name');
    const views = await database.db.selectFrom('audit_event').select(['action', 'subject_person_id']).where('area_id', '=', area.id).where('action', '=', 'identity.review.view').execute();
    expect(views.length).toBeGreaterThanOrEqual(2);
  });

  it('asks for a decision, and a reason for same or different, naming each field', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const { reviewId } = await uncertainMatch(database, area);
    const reviewer = await signedIn({ app }, await createUser(database.db, area, 'mash_practitioner'));
    const page = await reviewer.get(`/identity/reviews/${reviewId}`);

    const nothing = await reviewer.post(`/identity/reviews/${reviewId}`, { version: versionOf(page.body) });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('There is a problem');
    expect(nothing.body).toContain('href="#decision"');
    expect(nothing.body).toContain('Choose same person, different people or not sure');

    const noReason = await reviewer.post(`/identity/reviews/${reviewId}`, { decision: 'same', reason: '  ', version: versionOf(page.body) });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('href="#reason"');
    expect(noReason.body).toContain('Enter the reason for your decision');
    const review = await database.db.selectFrom('identity_review').select(['status', 'decision', 'version']).where('id', '=', reviewId).executeTakeFirstOrThrow();
    expect(review).toEqual({ status: 'open', decision: null, version: 1 });
  });

  it('"same person" merges the arrived record\u2019s person into the known one, recording who, when and why', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const { known, arrived, reviewId } = await uncertainMatch(database, area);
    const user = await createUser(database.db, area, 'mash_practitioner', { name: 'Priya Sharma' });
    const reviewer = await signedIn({ app }, user);
    const page = await reviewer.get(`/identity/reviews/${reviewId}`);

    const decided = await reviewer.post(`/identity/reviews/${reviewId}`, { decision: 'same', reason: 'The school confirmed the 2014 date of birth.', version: versionOf(page.body) });
    expect(decided.statusCode).toBe(302);
    expect(decided.headers.location).toBe('/identity/reviews?done=same');
    const after = await reviewer.get('/identity/reviews?done=same');
    expect(after.body).toContain('Recorded as the same person');
    expect(after.body).toContain('There are no possible matches waiting for review');

    const record = await database.db.selectFrom('agency_record').select('person_id').where('id', '=', arrived.agencyRecordId).executeTakeFirstOrThrow();
    expect(record.person_id).toBe(known.personId);
    const merged = await database.db.selectFrom('person').select('merged_into').where('id', '=', arrived.personId).executeTakeFirstOrThrow();
    expect(merged.merged_into).toBe(known.personId);
    const merge = await database.db.selectFrom('person_merge').selectAll().where('review_id', '=', reviewId).executeTakeFirstOrThrow();
    expect(merge).toMatchObject({ kept_person_id: known.personId, merged_person_id: arrived.personId, merged_by: user.id, reason: 'The school confirmed the 2014 date of birth.' });
    const review = await database.db.selectFrom('identity_review').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow();
    expect(review).toMatchObject({ status: 'closed', decision: 'same', decided_by: user.id, decision_reason: 'The school confirmed the 2014 date of birth.', version: 2 });
    const decisions = await database.db.selectFrom('identity_review_decision').select(['decision', 'reason', 'decided_by']).where('review_id', '=', reviewId).execute();
    expect(decisions).toEqual([{ decision: 'same', reason: 'The school confirmed the 2014 date of birth.', decided_by: user.id }]);
    const link = await database.db.selectFrom('person_link').select(['method', 'decided_by', 'reason']).where('agency_record_id', '=', arrived.agencyRecordId).where('ended_at', 'is', null).executeTakeFirstOrThrow();
    expect(link).toEqual({ method: 'merge', decided_by: user.id, reason: 'The school confirmed the 2014 date of birth.' });
    const audits = await database.db.selectFrom('audit_event').select(['action', 'actor_user_id', 'subject_person_id', 'reason']).where('area_id', '=', area.id)
      .where('action', 'in', ['identity.review.decide', 'identity.merge']).orderBy('id').execute();
    expect(audits.filter((a) => a.action === 'identity.review.decide').map((a) => a.subject_person_id).sort()).toEqual([known.personId, arrived.personId].sort());
    expect(audits.filter((a) => a.action === 'identity.merge')).toHaveLength(2);
    expect(audits.every((a) => a.actor_user_id === user.id && a.reason === 'The school confirmed the 2014 date of birth.')).toBe(true);

    // Decided once: the form is gone, and a second decision (from a stale page) is refused.
    const closed = await reviewer.get(`/identity/reviews/${reviewId}`);
    expect(closed.body).toContain('This match has been decided.');
    expect(closed.body).toContain('Same person</strong>, Priya Sharma');
    const again = await reviewer.post(`/identity/reviews/${reviewId}`, { decision: 'different', reason: 'No.', version: '1' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Someone else changed this record since you opened it');
  });

  it('"not sure" keeps the match open with the note; "different people" closes it and keeps them apart for good', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const { known, arrived, reviewId } = await uncertainMatch(database, area);
    const first = await signedIn({ app }, await createUser(database.db, area, 'mash_practitioner', { name: 'Priya Sharma' }));
    const page = await first.get(`/identity/reviews/${reviewId}`);
    const unsure = await first.post(`/identity/reviews/${reviewId}`, { decision: 'not_sure', reason: 'Asked the GP to confirm the date of birth.', version: versionOf(page.body) });
    expect(unsure.headers.location).toBe('/identity/reviews?done=not_sure');
    const queue = await first.get('/identity/reviews');
    expect(queue.body).toContain('Not sure');
    expect(queue.body).toContain('Priya Sharma: “Asked the GP to confirm the date of birth.”');

    const second = await signedIn({ app }, await createUser(database.db, area, 'team_manager', { name: 'Helen Okafor' }));
    const reread = await second.get(`/identity/reviews/${reviewId}`);
    expect(reread.body).toContain('Not sure</strong>, Priya Sharma');
    expect(versionOf(reread.body)).toBe('2');
    const different = await second.post(`/identity/reviews/${reviewId}`, { decision: 'different', reason: 'GP confirms two boys, cousins.', version: versionOf(reread.body) });
    expect(different.headers.location).toBe('/identity/reviews?done=different');
    const decisions = await database.db.selectFrom('identity_review_decision').select('decision').where('review_id', '=', reviewId).orderBy('decided_at').execute();
    expect(decisions.map((d) => d.decision)).toEqual(['not_sure', 'different']);
    const persons = await database.db.selectFrom('person').select(['id', 'merged_into']).where('id', 'in', [known.personId, arrived.personId]).execute();
    expect(persons.every((p) => p.merged_into === null)).toBe(true);

    // Merging them by hand is now refused, with the reviewer's reason.
    const merge = await second.get(`/people/${known.personId}/merge/${arrived.personId}`);
    expect(merge.body).toContain('These people cannot be merged.');
    expect(merge.body).toContain('GP confirms two boys, cousins.');
    const forced = await second.post(`/people/${known.personId}/merge/${arrived.personId}`, { reason: 'Trying anyway' });
    expect(forced.statusCode).toBe(409);
    expect(await database.db.selectFrom('person_merge').select('id').where('area_id', '=', area.id).execute()).toEqual([]);
  });

  it('refuses "same person" when hard evidence is against, keeping the match open', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const twin = { familyName: 'Okafor', givenName: 'Amelia', dateOfBirth: '2016-04-11', sex: 'F' as const, addresses: [{ line1: '14 Elm Grove', postcode: 'TE7 2QP' }] };
    // A record with one NHS number, a second without (linked to it), then a third with another valid number.
    const first = await resolveRecord(database, area, { ...twin, agencyId: area.agencies.health, nhsNumber: '9434765919' });
    expect(await resolveRecord(database, area, twin)).toMatchObject({ outcome: 'linked', personId: first.personId });
    const other = await resolveRecord(database, area, { ...twin, agencyId: area.agencies.health, nhsNumber: '4010232137' });
    expect(other.outcome).toBe('review');
    const reviewer = await signedIn({ app }, await createUser(database.db, area, 'mash_manager'));
    const page = await reviewer.get(`/identity/reviews/${other.reviewId}`);
    expect(page.body).toContain('different valid NHS numbers');
    expect(page.body).toContain('They cannot be recorded as the same person.');
    const same = await reviewer.post(`/identity/reviews/${other.reviewId}`, { decision: 'same', reason: 'Looks the same.', version: versionOf(page.body) });
    expect(same.statusCode).toBe(409);
    expect(same.body).toContain('These people cannot be merged. They have different NHS numbers');
    const review = await database.db.selectFrom('identity_review').select(['status', 'decision']).where('id', '=', other.reviewId as string).executeTakeFirstOrThrow();
    expect(review).toEqual({ status: 'open', decision: null });
  });

  it('is only for roles that may review: others get "not found", and the refusal is recorded', async () => {
    const { app, database } = ctx();
    const area = await createArea(database.db);
    const { reviewId } = await uncertainMatch(database, area);
    const socialWorker = await createUser(database.db, area, 'social_worker');
    const client = await signedIn({ app }, socialWorker);
    expect((await client.get('/people')).statusCode).toBe(200);
    const queue = await client.get('/identity/reviews');
    expect(queue.statusCode).toBe(403);
    expect(queue.body).not.toContain(reviewId);
    const page = await client.get(`/identity/reviews/${reviewId}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('Osei');
    const post = await client.post(`/identity/reviews/${reviewId}`, { decision: 'same', reason: 'Same.', version: '1' });
    expect(post.statusCode).toBe(404);
    const review = await database.db.selectFrom('identity_review').select('status').where('id', '=', reviewId).executeTakeFirstOrThrow();
    expect(review.status).toBe('open');
    const refusals = await database.db.selectFrom('audit_event').select('action').where('area_id', '=', area.id).where('actor_user_id', '=', socialWorker.id).where('outcome', '=', 'refused').execute();
    expect(refusals.length).toBeGreaterThanOrEqual(2);

    // A reviewer of another area cannot see it either.
    const elsewhere = await createArea(database.db, 'Otherborough Partnership');
    const outsider = await signedIn({ app }, await createUser(database.db, elsewhere, 'mash_manager'));
    expect((await outsider.get(`/identity/reviews/${reviewId}`)).statusCode).toBe(404);
    expect((await outsider.get('/identity/reviews')).body).not.toContain(reviewId);
  });
});
