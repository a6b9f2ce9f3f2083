// An area's sharing and retention settings, kept under `sharing` and `retention` in the area's
// settings. Every field is optional and defaults as src/sharing/README.md says; invalid settings
// throw validation_failed naming each field ("sharing.breakGlassHours", "retention.contact.noServicesYears").
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { areaSettings } from '../db/area-settings';
import type { Database } from '../db/schema';
import { validationFailed } from '../server/errors';

const whole = (field: string, min: number, max: number, fallback: number) =>
  z.int({ error: `${field} must be a whole number from ${min} to ${max}` })
    .min(min, { error: `${field} must be a whole number from ${min} to ${max}` })
    .max(max, { error: `${field} must be a whole number from ${min} to ${max}` })
    .default(fallback);

const sharingSchema = z.object({
  /** How long emergency access lasts. */
  breakGlassHours: whole('breakGlassHours', 1, 24, 4),
  /** How long the police officer who notified an incident stays involved with the people in it. */
  notifierDays: whole('notifierDays', 1, 365, 90),
  /** How long the front door stays involved with a child's family after their contact closes (a follow-up, a re-referral). */
  frontDoorDays: whole('frontDoorDays', 0, 365, 28),
  /** How long a MARAC referral keeps the MARAC's roles involved with the family. */
  maracMonths: whole('maracMonths', 1, 24, 12),
  /** How long an emergency access is shown to the team holding the case. */
  noticeDays: whole('noticeDays', 1, 365, 30),
  /** The longest window an administrator may give an inspector. */
  inspectionMaxDays: whole('inspectionMaxDays', 1, 90, 42),
}).strict();

export type SharingSettings = z.output<typeof sharingSchema>;

/** Retention periods, as the README explains with their sources. Ages are birthdays; the rest are years after the date named. */
const retentionSchema = z.object({
  contact: z.object({
    /** Closed with no further action, or information and advice: years after closing. */
    noServicesYears: whole('contact.noServicesYears', 1, 100, 6),
    /** Closed into early help or a child-in-need assessment: until this birthday of the child. */
    servicesUntilAge: whole('contact.servicesUntilAge', 18, 100, 25),
    /** Closed into a strategy discussion (section 47): years after closing. */
    childProtectionYears: whole('contact.childProtectionYears', 1, 100, 35),
  }).strict().default({ noServicesYears: 6, servicesUntilAge: 25, childProtectionYears: 35 }),
  event: z.object({
    /** Recorded by the police: years after it happened. */
    policeYears: whole('event.policeYears', 1, 100, 10),
    /** Recorded by a health service: years after it happened (adults). */
    healthYears: whole('event.healthYears', 1, 100, 8),
    /** Recorded by any other agency: years after it happened. */
    otherYears: whole('event.otherYears', 1, 100, 6),
    /** Whatever the agency, kept at least until this birthday of the youngest child in it. */
    childUntilAge: whole('event.childUntilAge', 18, 100, 25),
  }).strict().default({ policeYears: 10, healthYears: 8, otherYears: 6, childUntilAge: 25 }),
  notification: z.object({
    /** An Operation Encompass notification: until this birthday of the child. */
    untilAge: whole('notification.untilAge', 18, 100, 25),
    /** When the child's date of birth is not known: years after it was sent. */
    fallbackYears: whole('notification.fallbackYears', 1, 100, 6),
  }).strict().default({ untilAge: 25, fallbackYears: 6 }),
  sensitive_note: z.object({
    /** About a child: until this birthday. */
    childUntilAge: whole('sensitive_note.childUntilAge', 18, 100, 25),
    /** About an adult: years after it was recorded. */
    adultYears: whole('sensitive_note.adultYears', 1, 100, 6),
  }).strict().default({ childUntilAge: 25, adultYears: 6 }),
}).strict();

export type RetentionSettings = z.output<typeof retentionSchema>;

const objectOr = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

function parse<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw validationFailed(parsed.error.issues.map((i) => ({ field: [prefix, ...i.path.map(String)].join('.'), message: i.message })));
}

export function sharingSettingsOf(settings: Record<string, unknown> | null | undefined): SharingSettings {
  return parse(sharingSchema, objectOr(settings?.['sharing']), 'sharing');
}

export function retentionSettingsOf(settings: Record<string, unknown> | null | undefined): RetentionSettings {
  return parse(retentionSchema, objectOr(settings?.['retention']), 'retention');
}

/** The sharing settings of an area (within the gate, the current area's row is the only one visible). */
export async function loadSharingSettings(db: Kysely<Database>, areaId: string): Promise<SharingSettings> {
  return sharingSettingsOf(await areaSettings(db, areaId));
}

export async function loadRetentionSettings(db: Kysely<Database>, areaId: string): Promise<RetentionSettings> {
  return retentionSettingsOf(await areaSettings(db, areaId));
}
