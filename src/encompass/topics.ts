// The outbox topics of Operation Encompass and their payloads. Payloads carry identifiers only:
// the outbox is shown to administrators, and the handler reads what it needs when it runs.
import { z } from 'zod';

/** Writes the notification into the recipient agency's Hearth inbox. */
export const deliverTopic = 'encompass.deliver';
/** Emails the recipient agency that a notification is waiting (no personal data). */
export const emailTopic = 'encompass.email';

/**
 * Why this agency is told: the child's school; the local authority's education safeguarding lead
 * for a child educated at home; or the MASH, when no school is known, so that a practitioner finds
 * out which school to tell.
 */
export const encompassRoutes = ['school', 'home_educated', 'no_school_known'] as const;
export type EncompassRoute = (typeof encompassRoutes)[number];

export const deliverPayloadSchema = z.object({
  eventId: z.guid(),
  childPersonId: z.guid(),
  recipientAgencyId: z.guid(),
  route: z.enum(encompassRoutes),
  dueAt: z.iso.datetime(),
});
export type DeliverPayload = z.infer<typeof deliverPayloadSchema>;

export const emailPayloadSchema = z.object({ notificationId: z.guid() });
