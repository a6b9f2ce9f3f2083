// What was shared about a person, with whom and on what basis (for the person's page), and the
// report of everything shared without consent, for oversight.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Scope } from '../access/gate';
import { isValidCalendarDate } from '../chronology/dates';
import { londonInstant } from '../calendar/london';
import { addDays } from '../calendar/dates';
import type { Consent } from '../db/schema';
import { isUuid } from '../db/uuid';
import { consentLabels } from '../frontdoor/labels';
import { aliasesCte } from './involvement';
import { safePersonText } from './sealed-text';

export interface ShareEntry {
  id: string;
  personId: string;
  personName: string;
  contactId: string | null;
  fromAgency: string;
  toAgency: string;
  consent: Consent;
  consentText: string;
  lawfulBasis: string | null;
  justification: string | null;
  decidedBy: string;
  decidedByAgency: string;
  decidedAt: Date;
}

interface ShareRow {
  id: string; person_id: string; given_name: string | null; family_name: string | null; contact_id: string | null; from_agency: string;
  to_agency: string; consent: Consent; lawful_basis: string | null; justification: string | null; decided_by: string; decided_by_agency: string;
  decided_at: Date;
}

const shareColumns = (canSeeSealed: boolean) => sql`s.id, s.person_id, p.given_name, p.family_name, s.contact_id, gf.name AS from_agency,
  gt.name AS to_agency, s.consent, ${safePersonText(canSeeSealed, sql`s.lawful_basis`, sql`s.person_id`)} AS lawful_basis,
  ${safePersonText(canSeeSealed, sql`s.justification`, sql`s.person_id`)} AS justification, u.display_name AS decided_by,
  gu.name AS decided_by_agency, s.decided_at`;
const shareJoins = sql`JOIN person p ON p.id = s.person_id JOIN agency gf ON gf.id = s.from_agency_id JOIN agency gt ON gt.id = s.to_agency_id
  JOIN app_user u ON u.id = s.decided_by JOIN agency gu ON gu.id = u.agency_id`;

function shareOf(r: ShareRow): ShareEntry {
  return {
    id: r.id, personId: r.person_id, personName: [r.given_name, r.family_name].filter(Boolean).join(' ') || 'Name not known',
    contactId: r.contact_id, fromAgency: r.from_agency, toAgency: r.to_agency, consent: r.consent, consentText: consentLabels[r.consent],
    lawfulBasis: r.lawful_basis, justification: r.justification, decidedBy: r.decided_by, decidedByAgency: r.decided_by_agency, decidedAt: r.decided_at,
  };
}

/**
 * Everything shared about a person (under any id merged into theirs), newest first, for the
 * person's page (`src/sharing/pages/shares.njk`). Part of viewing the page, audited as such.
 */
export async function sharesForPerson(scope: Scope, personId: string): Promise<ShareEntry[]> {
  if (!isUuid(personId)) return [];
  const { rows } = await sql<ShareRow>`
    WITH RECURSIVE ${aliasesCte([personId])}
    SELECT ${shareColumns(scope.can('address.view_confidential'))} FROM information_share s ${shareJoins}
    WHERE s.person_id IN (SELECT id FROM aliases)
    ORDER BY s.decided_at DESC, gt.name, s.id`.execute(scope.db);
  return rows.map(shareOf);
}

export const reportPageSize = 50;

const optionalDate = (label: string) =>
  z.string().trim().optional().transform((v) => v || undefined).refine((v) => v === undefined || isValidCalendarDate(v), `${label} must be a real date, like 2026-03-27`);

export const reportFilterSchema = z
  .object({
    from: optionalDate('From'),
    to: optionalDate('To'),
    agency: z.string().optional().transform((v) => (v && isUuid(v) ? v : undefined)),
    page: z.coerce.number().int().min(1).max(10_000).catch(1),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'To must be the same as or after From' });
export type ReportFilter = z.output<typeof reportFilterSchema>;

/** Shares without consent (refused, not sought, not possible), newest first, between two London dates and to or from one agency. */
export async function sharesWithoutConsent(scope: Scope, filter: ReportFilter): Promise<{ entries: ShareEntry[]; total: number }> {
  const conditions = [sql`s.consent <> 'given'`];
  if (filter.from) conditions.push(sql`s.decided_at >= ${londonInstant(filter.from, '00:00')}`);
  if (filter.to) conditions.push(sql`s.decided_at < ${londonInstant(addDays(filter.to, 1), '00:00')}`);
  if (filter.agency) conditions.push(sql`(s.from_agency_id = ${filter.agency}::uuid OR s.to_agency_id = ${filter.agency}::uuid)`);
  const { rows } = await sql<ShareRow & { total: number }>`
    SELECT ${shareColumns(scope.can('address.view_confidential'))}, count(*) OVER () AS total FROM information_share s ${shareJoins}
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY s.decided_at DESC, s.id
    LIMIT ${reportPageSize} OFFSET ${(filter.page - 1) * reportPageSize}`.execute(scope.db);
  const { page: _page, ...filters } = filter;
  scope.audit({ action: 'share.report', details: { filters, page: filter.page, people: [...new Set(rows.map((r) => r.person_id))] } });
  return { entries: rows.map(shareOf), total: Number(rows[0]?.total ?? 0) };
}

/** The agencies of the area, for the report's filter. */
export async function agencyChoices(scope: Scope): Promise<{ id: string; name: string }[]> {
  return scope.db.selectFrom('agency').select(['id', 'name']).orderBy('name').execute();
}
