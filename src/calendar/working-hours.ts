// Working hours in London on working days, for deadlines counted in hours (agency checks).
import { validationFailed } from '../server/errors';
import { addDays } from './dates';
import { assertTimeOfDay, londonDate, londonInstant } from './london';
import { isWorkingDay } from './working-days';

/** The working day's hours in London time, 'HH:MM' (start included, end excluded). */
export interface WorkingHours {
  dayStart: string;
  dayEnd: string;
}

export const defaultWorkingHours: WorkingHours = { dayStart: '09:00', dayEnd: '17:00' };

const msPerHour = 3_600_000;

/**
 * The instant `hours` working hours after `instant`, counting only time between dayStart and
 * dayEnd in London on working days. Time outside working hours does not count, so a start in the
 * evening counts from the next working morning; a deadline that falls exactly at dayEnd stays there.
 */
export function addWorkingHours(instant: Date, hours: number, options: WorkingHours = defaultWorkingHours): Date {
  if (!Number.isFinite(hours) || hours < 0) throw validationFailed([{ field: 'hours', message: `must be a number of hours, 0 or more, got ${hours}` }]);
  assertTimeOfDay(options.dayStart, 'dayStart');
  assertTimeOfDay(options.dayEnd, 'dayEnd');
  if (options.dayEnd <= options.dayStart) throw validationFailed([{ field: 'dayEnd', message: `must be later than dayStart (${options.dayStart}), got ${options.dayEnd}` }]);
  let remaining = hours * msPerHour;
  let cursor = instant.getTime();
  for (let day = londonDate(instant); ; day = addDays(day, 1)) {
    if (!isWorkingDay(day)) continue;
    const start = londonInstant(day, options.dayStart).getTime();
    const end = londonInstant(day, options.dayEnd).getTime();
    cursor = Math.max(cursor, start);
    if (cursor >= end) continue;
    if (remaining <= end - cursor) return new Date(cursor + remaining);
    remaining -= end - cursor;
  }
}

/** The length of one working day in hours (8 for 09:00–17:00). */
export function workingDayHours(options: WorkingHours = defaultWorkingHours): number {
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  return (minutes(options.dayEnd) - minutes(options.dayStart)) / 60;
}
