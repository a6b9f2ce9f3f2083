// Turning sharing's records into what its pages show.
import type { Gate, Scope } from '../access/gate';
import { roleLabels, isRole } from '../access/roles';
import { mayViewAccessLog } from './access-log';
import { allocationsOf, type AllocationView } from './allocation';
import { breakGlassNotices, type BreakGlassEntry } from './break-glass';
import { accessLevel, isSearcher } from './involvement';
import { reviewOutcomeLabels, sensitiveCategoryLabels } from './labels';
import type { NameOnlyView } from './name-only';
import { sensitiveNotesFor, type SensitiveNoteView } from './sensitive';
import { sharesForPerson, type ShareEntry } from './shares';
import type { SubjectAccessDocument } from './subject-access';
import { formatCalendarDate, formatInstant } from '../web/views';

/** govukPagination's argument for `pages` pages, or undefined for one page. */
export function pagination(page: number, pages: number, link: (page: number) => string) {
  if (pages <= 1) return undefined;
  const first = Math.max(1, Math.min(page - 4, pages - 9));
  return {
    previous: page > 1 ? { href: link(page - 1) } : undefined,
    next: page < pages ? { href: link(page + 1) } : undefined,
    items: Array.from({ length: Math.min(pages, 10) }, (_, i) => ({ number: first + i, href: link(first + i), current: first + i === page })),
  };
}

export const roleText = (role: string | null): string => (role && isRole(role) ? roleLabels[role] : role ?? '');

export function breakGlassRow(entry: BreakGlassEntry) {
  return {
    ...entry,
    roleText: roleText(entry.role),
    outcomeText: entry.reviewOutcome ? reviewOutcomeLabels[entry.reviewOutcome] : null,
  };
}

export function sensitiveNoteRow(note: SensitiveNoteView) {
  return { ...note, categoryText: sensitiveCategoryLabels[note.category], rolesText: note.roles.map((r) => roleLabels[r]).join(', ') };
}

/** The name-only page's context (`sharing/pages/name-only.njk`). */
export function nameOnlyPage(view: NameOnlyView, gate: Gate) {
  const name = [view.givenName, view.familyName].filter(Boolean).join(' ') || 'Name not known';
  return {
    pageTitle: name,
    view: { ...view, name },
    canBreakGlass: gate.can('person.break_glass') && isSearcher(gate.actor.role),
    canSubjectAccess: gate.can('person.subject_access'),
    canAccessLog: gate.actor.role === 'information_governance' && gate.can('person.access_log'),
    canAllocate: gate.can('case.allocate'),
    backLink: '/people',
  };
}

export interface PersonSharing {
  notices: ReturnType<typeof breakGlassRow>[];
  shares: ShareEntry[];
  sensitive: { notes: ReturnType<typeof sensitiveNoteRow>[]; withheld: number };
  allocations: AllocationView[];
  links: { accessLog: boolean; allocate: boolean; recordSensitive: boolean; subjectAccess: boolean };
}

/**
 * What sharing adds to the page of a person the actor has full access to: emergency accesses
 * (the notice to the team holding the case), sensitive notes they may read, what was shared and
 * on what basis, who holds the case, and links to sharing's pages. Call it inside the page's
 * gated work, after the full-access decision; it reads nothing for anyone without full access.
 */
export async function sharingForPersonPage(scope: Scope, personId: string): Promise<PersonSharing> {
  const empty: PersonSharing = { notices: [], shares: [], sensitive: { notes: [], withheld: 0 }, allocations: [], links: { accessLog: false, allocate: false, recordSensitive: false, subjectAccess: false } };
  if ((await accessLevel(scope, personId)) !== 'full') return empty;
  const [notices, shares, sensitive, allocations, accessLog] = await Promise.all([
    breakGlassNotices(scope, personId),
    sharesForPerson(scope, personId),
    sensitiveNotesFor(scope, personId),
    allocationsOf(scope, personId),
    mayViewAccessLog(scope, personId),
  ]);
  return {
    notices: notices.map(breakGlassRow),
    shares,
    sensitive: { notes: sensitive.notes.map(sensitiveNoteRow), withheld: sensitive.withheld },
    allocations: allocations.filter((a) => a.endedAt === null),
    links: {
      accessLog,
      allocate: scope.can('case.allocate'),
      recordSensitive: scope.can('sensitive_note.record'),
      subjectAccess: scope.can('person.subject_access'),
    },
  };
}

const date = (d: string | null) => (d ? formatCalendarDate(d) : '');
const lines = (...parts: (string | null)[]) => parts.filter(Boolean).join('\n');

/** The subject access document's tables, in the order it reads. */
export function subjectAccessTables(d: SubjectAccessDocument): { caption: string; headers: string[]; rows: string[][] }[] {
  return [
    { caption: 'What each agency holds', headers: ['Agency', 'Their reference', 'Name', 'Date of birth'],
      rows: d.agencyRecords.map((r) => [r.agency, r.reference, [r.givenName, r.familyName].filter(Boolean).join(' '), date(r.dateOfBirth)]) },
    { caption: 'Addresses', headers: ['Address', 'From', 'To'], rows: d.addresses.map((a) => [a.address, date(a.from), a.to ? date(a.to) : 'Now']) },
    { caption: 'Relationships', headers: ['Relationship', 'From', 'To'], rows: d.relationships.map((r) => [r.relationship, date(r.from), date(r.to)]) },
    { caption: 'Events', headers: ['When', 'What', 'Their part', 'Summary'],
      rows: d.events.map((e) => [formatInstant(e.occurredAt), `${e.kind}, ${e.agency}`, e.role, lines(e.summary, e.ownWords ? `Their words: “${e.ownWords}”` : null)]) },
    { caption: 'Front-door contacts', headers: ['Received', 'From', 'Decision', 'Reasons'],
      rows: d.contacts.map((c) => [formatInstant(c.receivedAt), c.source, c.decision ?? c.stage, c.reasons ?? '']) },
    { caption: 'Agencies asked what they know', headers: ['Asked', 'Agency', 'Known to them', 'Their answer'],
      rows: d.agencyChecks.map((k) => [formatInstant(k.requestedAt), k.agency, k.knownToAgency ?? k.status, lines(k.involvement, k.concerns, k.history)]) },
    { caption: 'Information shared', headers: ['When', 'From and to', 'Consent', 'Basis'],
      rows: d.shares.map((s) => [formatInstant(s.decidedAt), `${s.from} to ${s.to}`, s.consent, lines(s.lawfulBasis, s.justification)]) },
    { caption: 'Notifications', headers: ['Sent', 'What', 'To', 'Read'],
      rows: d.notifications.map((n) => [formatInstant(n.sentAt), n.kind, n.to, n.acknowledgedAt ? formatInstant(n.acknowledgedAt) : 'Not yet']) },
    { caption: 'Risk assessments (DASH)', headers: ['When', 'Score', 'Level'], rows: d.risk.dash.map((r) => [formatInstant(r.assessedAt), String(r.score), r.level]) },
    { caption: 'Risk flags', headers: ['Raised', 'Flag', 'Why'], rows: d.risk.flags.map((f) => [formatInstant(f.raisedAt), f.kind, f.explanation]) },
    { caption: 'Their daily life, as their practitioner wrote it', headers: ['Written', 'Summary'],
      rows: d.risk.livedExperience.map((l) => [formatInstant(l.writtenAt), lines(l.summary, l.ownWords ? `Their words: “${l.ownWords}”` : null)]) },
    { caption: 'Who has seen their record', headers: ['Agency', 'Role', 'What', 'Times', 'Last'],
      rows: d.seenBy.map((s) => [s.agency, s.role, s.action, String(s.times), formatInstant(s.last)]) },
  ];
}
