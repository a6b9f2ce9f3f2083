// Managing the people who use Hearth in an area: list, create, change role or team, disable,
// enable and unlock. Every change is audited in its own transaction, and a change made from
// an out-of-date page is refused rather than silently overwriting someone else's.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { personRoles } from '../access/roles';
import { hashPassword, passwordProblem } from '../auth/passwords';
import { HearthError, notFound, staleWrite } from '../server/errors';

const uuid = z.guid('Choose from the list');

export const newUserSchema = z.object({
  displayName: z.string().trim().min(1, 'Enter the person’s full name').max(120, 'Full name must be 120 characters or fewer'),
  email: z.string().trim().toLowerCase().min(1, 'Enter an email address').max(320).email('Enter an email address in the correct format, like name@example.org'),
  agencyId: uuid,
  teamId: z.string().optional().transform((v) => v || null).pipe(uuid.nullable()),
  role: z.enum(personRoles, { message: 'Choose a role' }),
  password: z.string().min(1, 'Enter a first password for them'),
});

export const changeUserSchema = z.object({
  agencyId: uuid,
  teamId: z.string().optional().transform((v) => v || null).pipe(uuid.nullable()),
  role: z.enum(personRoles, { message: 'Choose a role' }),
  version: z.coerce.number().int().positive(),
});

export type NewUser = z.infer<typeof newUserSchema>;
export type UserChange = z.infer<typeof changeUserSchema>;

export const usersPageSize = 25;

export async function listUsers(scope: Scope, filter: { role?: string; status?: string; page: number }) {
  let query = scope.db
    .selectFrom('app_user as u')
    .innerJoin('agency as g', 'g.id', 'u.agency_id')
    .leftJoin('team as t', 't.id', 'u.team_id')
    .where('u.kind', '=', 'person');
  if (filter.role) query = query.where('u.role', '=', filter.role);
  if (filter.status === 'active' || filter.status === 'disabled') query = query.where('u.status', '=', filter.status);
  if (filter.status === 'locked') query = query.where('u.locked_until', '>', sql<Date>`now()`);
  const rows = await query
    .select([
      'u.id', 'u.display_name', 'u.email', 'u.role', 'u.status', 'u.locked_until', 'u.last_sign_in_at',
      'g.name as agency_name', 't.name as team_name', sql<number>`count(*) OVER ()`.as('total'),
    ])
    .orderBy('u.display_name')
    .limit(usersPageSize)
    .offset((filter.page - 1) * usersPageSize)
    .execute();
  scope.audit({ action: 'user.list', details: { ...filter, shown: rows.length } });
  return { users: rows, total: rows[0]?.total ?? 0 };
}

export async function agencyChoices(scope: Scope) {
  const [agencies, teams] = await Promise.all([
    scope.db.selectFrom('agency').select(['id', 'name', 'kind']).orderBy('name').execute(),
    scope.db.selectFrom('team as t').innerJoin('agency as g', 'g.id', 't.agency_id').select(['t.id', 't.name', 'g.name as agency_name']).orderBy('g.name').orderBy('t.name').execute(),
  ]);
  return { agencies, teams };
}

async function checkPlacement(scope: Scope, agencyId: string, teamId: string | null): Promise<void> {
  const agency = await scope.db.selectFrom('agency').select('id').where('id', '=', agencyId).executeTakeFirst();
  if (!agency) throw new HearthError('validation_failed', 'Choose an agency from the list', [{ field: 'agencyId', message: 'Choose an agency from the list' }]);
  if (teamId) {
    const team = await scope.db.selectFrom('team').select('agency_id').where('id', '=', teamId).executeTakeFirst();
    if (!team || team.agency_id !== agencyId) {
      throw new HearthError('validation_failed', 'The team must belong to the chosen agency', [{ field: 'teamId', message: 'The team must belong to the chosen agency' }]);
    }
  }
}

export async function createUser(scope: Scope, input: NewUser): Promise<string> {
  const problem = passwordProblem(input.password, { email: input.email, name: input.displayName });
  if (problem) throw new HearthError('validation_failed', problem, [{ field: 'password', message: problem }]);
  await checkPlacement(scope, input.agencyId, input.teamId);
  // Email addresses are unique across areas, and the application role sees only its own area,
  // so the check asks the database through the unique index rather than by reading.
  const created = await scope.db
    .insertInto('app_user')
    .values({
      area_id: scope.actor.areaId,
      agency_id: input.agencyId,
      team_id: input.teamId,
      email: input.email,
      display_name: input.displayName,
      role: input.role,
      password_hash: await hashPassword(input.password),
    })
    .onConflict((oc) => oc.expression(sql`lower(email)`).where('email', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!created) {
    throw new HearthError('conflict', 'A user with this email address already exists', [{ field: 'email', message: 'A user with this email address already exists' }]);
  }
  scope.audit({ action: 'user.create', recordType: 'user', recordId: created.id, details: { role: input.role, agencyId: input.agencyId, teamId: input.teamId } });
  return created.id;
}

export async function getUser(scope: Scope, id: string) {
  if (!z.guid().safeParse(id).success) throw notFound('The user');
  const user = await scope.db
    .selectFrom('app_user as u')
    .innerJoin('agency as g', 'g.id', 'u.agency_id')
    .leftJoin('team as t', 't.id', 'u.team_id')
    .select([
      'u.id', 'u.display_name', 'u.email', 'u.role', 'u.status', 'u.locked_until', 'u.last_sign_in_at', 'u.agency_id', 'u.team_id',
      'u.version', 'u.created_at', 'g.name as agency_name', 't.name as team_name',
    ])
    .where('u.id', '=', id)
    .where('u.kind', '=', 'person')
    .executeTakeFirst();
  if (!user) throw notFound('The user');
  scope.audit({ action: 'user.view', recordType: 'user', recordId: id });
  return user;
}

export async function changeUser(scope: Scope, id: string, change: UserChange): Promise<void> {
  await checkPlacement(scope, change.agencyId, change.teamId);
  const before = await scope.db.selectFrom('app_user').select(['role', 'agency_id', 'team_id']).where('id', '=', id).where('kind', '=', 'person').executeTakeFirst();
  if (!before) throw notFound('The user');
  if (id === scope.actor.userId && change.role !== scope.actor.role) {
    throw new HearthError('validation_failed', 'You cannot change your own role', [{ field: 'role', message: 'You cannot change your own role; ask another administrator' }]);
  }
  const updated = await scope.db
    .updateTable('app_user')
    .set({ role: change.role, agency_id: change.agencyId, team_id: change.teamId, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', change.version)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw staleWrite();
  scope.audit({
    action: 'user.change', recordType: 'user', recordId: id,
    details: { from: { role: before.role, agencyId: before.agency_id, teamId: before.team_id }, to: { role: change.role, agencyId: change.agencyId, teamId: change.teamId } },
  });
  await endSessions(scope, id);
}

export type StatusAction = 'disable' | 'enable' | 'unlock';

export async function changeUserStatus(scope: Scope, id: string, action: StatusAction, version: number): Promise<void> {
  if (action === 'disable' && id === scope.actor.userId) {
    throw new HearthError('validation_failed', 'You cannot disable your own account');
  }
  const set =
    action === 'disable' ? { status: 'disabled' as const }
    : action === 'enable' ? { status: 'active' as const }
    : { locked_until: null, failed_sign_ins: 0 };
  const updated = await scope.db
    .updateTable('app_user')
    .set({ ...set, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('kind', '=', 'person')
    .where('version', '=', version)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    const exists = await scope.db.selectFrom('app_user').select('id').where('id', '=', id).where('kind', '=', 'person').executeTakeFirst();
    throw exists ? staleWrite() : notFound('The user');
  }
  scope.audit({ action: `user.${action}`, recordType: 'user', recordId: id });
  if (action === 'disable') await endSessions(scope, id);
}

async function endSessions(scope: Scope, userId: string): Promise<void> {
  await scope.db.updateTable('user_session').set({ ended_at: sql`now()` }).where('user_id', '=', userId).where('ended_at', 'is', null).execute();
}
