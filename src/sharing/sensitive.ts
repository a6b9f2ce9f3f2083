// Sensitive notes: sexual health, some health details, a child's own disclosure. Kept apart from
// the chronology, so that no list, summary, export or notification that reads the chronology
// can carry them. Read only by whoever recorded one and the roles and people it names, among
// those with full access to the person; never in a subject access export.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { isRole, type Role } from '../access/roles';
import type { SensitiveCategory } from '../db/schema';
import { isUuid } from '../db/uuid';
import { notFound, validationFailed } from '../server/errors';
import { accessLevel, aliasesCte, currentPersonId } from './involvement';
import { sensitiveCategories } from './labels';

/** Roles a note can name: those that may ever have full access to a person. */
export const nameableRoles = [
  'police_officer', 'mash_practitioner', 'mash_manager', 'social_worker', 'team_manager', 'idva', 'marac_coordinator', 'qa_officer', 'inspector',
] as const satisfies readonly Role[];

const listOf = (value: unknown): string[] => (value === undefined || value === '' ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

export const sensitiveNoteSchema = z.object({
  category: z.enum(sensitiveCategories, { error: 'Choose what kind of sensitive information it is' }),
  note: z.string({ error: 'Enter the note' }).trim().min(1, 'Enter the note').max(5000, 'Keep the note to 5000 characters or fewer'),
  roles: z.preprocess(listOf, z.array(z.enum(nameableRoles, { error: 'Choose roles from the list' })).max(nameableRoles.length)),
  people: z
    .string()
    .optional()
    .transform((v) => [...new Set((v ?? '').split(/[\s,;]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))])
    .refine((emails) => emails.length <= 20, 'Name at most 20 people')
    .refine((emails) => emails.every((e) => /^[^@\s]+@[^@\s]+$/.test(e)), 'Give the email addresses of the people, separated by commas'),
});

/** Records a sensitive note on a person the actor has full access to. */
export async function recordSensitiveNote(scope: Scope, requestedId: string, input: Record<string, unknown>): Promise<{ personId: string; id: string }> {
  const id = await currentPersonId(scope, requestedId);
  if (!id || (await accessLevel(scope, id)) !== 'full') {
    scope.audit({ action: 'sensitive_note.record', recordType: 'person', recordId: requestedId });
    throw notFound('The person');
  }
  const parsed = sensitiveNoteSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'note', message: i.message })));
  const { category, note, roles, people } = parsed.data;
  const named = people.length
    ? await scope.db.selectFrom('app_user').select(['id', 'email']).where(sql<string>`lower(email)`, 'in', people).where('status', '=', 'active').where('kind', '=', 'person').execute()
    : [];
  const unknown = people.filter((e) => !named.some((u) => u.email?.toLowerCase() === e));
  if (unknown.length) throw validationFailed([{ field: 'people', message: `No one in this area signs in as ${unknown.join(', ')}` }]);
  const row = await scope.db
    .insertInto('sensitive_note')
    .values({
      area_id: scope.actor.areaId, person_id: id, category, note, visible_to_roles: roles, visible_to_users: named.map((u) => u.id),
      agency_id: scope.actor.agencyId, recorded_by: scope.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The note itself never goes in the audit log, which more people may read than the note names.
  scope.audit({ action: 'sensitive_note.record', recordType: 'sensitive_note', recordId: row.id, subjectPersonId: id, details: { category, roles, people: named.length } });
  return { personId: id, id: row.id };
}

export interface SensitiveNoteView {
  id: string;
  category: SensitiveCategory;
  note: string;
  recordedBy: string;
  agency: string;
  recordedAt: Date;
  roles: Role[];
  people: string[];
}

/**
 * The sensitive notes about a person the actor may read, and how many others are held that they
 * may not (said as a number only, so that they know to ask). Empty for anyone without full
 * access to the person. For the person's page (`src/sharing/pages/sensitive-notes.njk`).
 */
export async function sensitiveNotesFor(scope: Scope, personId: string): Promise<{ notes: SensitiveNoteView[]; withheld: number }> {
  if (!isUuid(personId) || (await accessLevel(scope, personId)) !== 'full') return { notes: [], withheld: 0 };
  const { userId, role } = scope.actor;
  const { rows } = await sql<{
    id: string; category: SensitiveCategory; note: string; recorded_by: string; agency: string; recorded_at: Date; visible_to_roles: string[];
    people: string[] | null; readable: boolean;
  }>`
    WITH RECURSIVE ${aliasesCte([personId])}
    SELECT n.id, n.category,
      CASE WHEN n.recorded_by = ${userId}::uuid OR ${role} = ANY(n.visible_to_roles) OR ${userId}::uuid = ANY(n.visible_to_users) THEN n.note END AS note,
      u.display_name AS recorded_by, g.name AS agency, n.recorded_at, n.visible_to_roles,
      (SELECT array_agg(v.display_name ORDER BY v.display_name) FROM app_user v WHERE v.id = ANY(n.visible_to_users)) AS people,
      (n.recorded_by = ${userId}::uuid OR ${role} = ANY(n.visible_to_roles) OR ${userId}::uuid = ANY(n.visible_to_users)) AS readable
    FROM sensitive_note n JOIN app_user u ON u.id = n.recorded_by JOIN agency g ON g.id = n.agency_id
    WHERE n.person_id IN (SELECT id FROM aliases)
    ORDER BY n.recorded_at DESC, n.id`.execute(scope.db);
  const readable = rows.filter((r) => r.readable);
  if (readable.length) scope.audit({ action: 'sensitive_note.view', recordType: 'person', recordId: personId, subjectPersonId: personId, details: { notes: readable.map((r) => r.id) } });
  return {
    notes: readable.map((r) => ({
      id: r.id, category: r.category, note: r.note, recordedBy: r.recorded_by, agency: r.agency, recordedAt: r.recorded_at,
      roles: r.visible_to_roles.filter(isRole), people: r.people ?? [],
    })),
    withheld: rows.length - readable.length,
  };
}
