// Turning stored notifications into what the inbox pages show. Content was fixed when the
// notification was sent; it is read defensively, so an older or partial record still displays.
import { z } from 'zod';
import { isOverdue } from '../calendar/london';
import type { EscalationContent } from './escalation';
import type { EncompassContent } from './content';
import { encompassRoutes } from './topics';

const text = z.string().nullable().catch(null);
const child = z.object({ name: z.string(), dateOfBirth: z.string().nullable() }).catch({ name: 'Name not recorded', dateOfBirth: null });

const encompassContent = z.object({
  route: z.enum(encompassRoutes).catch('school'),
  recipientName: z.string().catch(''),
  child,
  policeReference: text,
  occurredAt: z.string().catch(''),
  place: text,
  childPresent: z.boolean().nullable().catch(null),
  whereChildWas: text,
  childVoice: text,
  childDemeanour: text,
  circumstances: text,
  injuries: text,
  weapons: text,
  policeActions: z.array(z.string()).catch([]),
  riskGrade: text,
  dueAt: z.string().catch(''),
}) satisfies z.ZodType<EncompassContent>;

const escalationContent = z.object({
  child,
  policeReference: text,
  occurredAt: text,
  notAcknowledgedBy: z.string().catch('The school'),
  dueAt: text,
  escalatedAt: z.string().catch(''),
}) satisfies z.ZodType<EscalationContent>;

export const kindLabels: Record<string, string> = {
  operation_encompass: 'Operation Encompass',
  encompass_escalation: 'Escalation: not acknowledged in time',
  new_incident: 'New incident',
};

export type NotificationContent =
  | { kind: 'operation_encompass'; content: z.infer<typeof encompassContent> }
  | { kind: 'encompass_escalation'; content: z.infer<typeof escalationContent> };

export function readContent(kind: string, content: unknown): NotificationContent {
  if (kind === 'encompass_escalation') return { kind, content: escalationContent.parse(content ?? {}) };
  return { kind: 'operation_encompass', content: encompassContent.parse(content ?? {}) };
}

const routeLabels = {
  school: 'Operation Encompass',
  home_educated: 'Operation Encompass: educated at home',
  no_school_known: 'Operation Encompass: no school known',
} as const;

/** What the inbox list shows of a notification: the child, and what kind of notification it is. */
export function listEntryOf(kind: string, content: unknown): { child: { name: string; dateOfBirth: string | null }; label: string } {
  const read = readContent(kind, content);
  const label = read.kind === 'operation_encompass' ? routeLabels[read.content.route] : (kindLabels[read.kind] ?? read.kind);
  return { child: read.content.child, label };
}

export interface StatusTag {
  text: string;
  classes: string;
}

/** GOV.UK tags for where a notification stands. */
export function statusTags(n: { due_at: Date | null; acknowledged_at: Date | null; escalated_at: Date | null }, now: Date): StatusTag[] {
  const tags: StatusTag[] = [];
  if (n.acknowledged_at) tags.push({ text: 'Acknowledged', classes: 'govuk-tag--green' });
  else if (n.due_at && isOverdue(n.due_at, now)) tags.push({ text: 'Overdue', classes: 'govuk-tag--red' });
  else tags.push({ text: 'Not acknowledged', classes: 'govuk-tag--blue' });
  if (n.escalated_at) tags.push({ text: 'Escalated to MASH', classes: 'govuk-tag--orange' });
  return tags;
}

export function yesNoUnknown(value: boolean | null): string {
  return value === null ? 'Not known' : value ? 'Yes' : 'No';
}
