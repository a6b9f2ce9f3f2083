// The front door's clock and deadlines: the area's calendar settings, and "overdue by 3 hours".
import type { Kysely } from 'kysely';
import { areaCalendarSettingsSchema, parseAreaCalendarSettings, type AreaCalendarSettings } from '../calendar/area-settings';
import { areaSettings } from '../db/area-settings';
import type { Database } from '../db/schema';

/** Options every front-door function takes: a fixed "now" for tests and demo data. */
export interface Clock {
  now?: Date;
}

export const nowOf = (clock: Clock | undefined): Date => clock?.now ?? new Date();

const calendarKeys = Object.keys(areaCalendarSettingsSchema.shape);

/**
 * The calendar settings in an area's settings: under `calendar` when the area keeps them there,
 * otherwise the calendar keys at the top level. Invalid settings throw, naming each field.
 */
export function calendarSettingsOf(settings: Record<string, unknown> | null | undefined): AreaCalendarSettings {
  const source = settings ?? {};
  const nested = source['calendar'];
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) return parseAreaCalendarSettings(nested);
  return parseAreaCalendarSettings(Object.fromEntries(Object.entries(source).filter(([key]) => calendarKeys.includes(key))));
}

/** The calendar settings of an area (within the gate, the current area's row is the only one visible). */
export async function loadCalendarSettings(db: Kysely<Database>, areaId: string): Promise<AreaCalendarSettings> {
  return calendarSettingsOf(await areaSettings(db, areaId));
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

function span(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms < hour) return plural(Math.max(1, Math.floor(ms / minute)), 'minute');
  if (ms < 2 * day) return plural(Math.floor(ms / hour), 'hour');
  return plural(Math.floor(ms / day), 'day');
}

export interface Deadline {
  at: Date;
  overdue: boolean;
  /** "overdue by 3 hours" or "due in 40 minutes". */
  text: string;
}

/** How a deadline stands at `now`: the deadline instant itself is still in time. */
export function deadline(at: Date, now: Date): Deadline {
  const late = now.getTime() - at.getTime();
  return late > 0 ? { at, overdue: true, text: `overdue by ${span(late)}` } : { at, overdue: false, text: `due in ${span(-late)}` };
}
