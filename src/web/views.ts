// Server-rendered pages: Nunjucks with the GOV.UK and MOJ design systems' own templates.
// Templates live beside their domain (e.g. src/people/pages/person.njk) and are named from
// src/, so "people/pages/person.njk".
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { roleLabels, isRole } from '../access/roles';
import { londonDate, londonTimeZone } from '../calendar/london';

const require = createRequire(import.meta.url);
const srcDir = fileURLToPath(new URL('../', import.meta.url));
export const govukDir = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
export const mojDir = dirname(require.resolve('@ministryofjustice/frontend/package.json'));

// Made once: Intl builds its time-zone and locale data per formatter, and a page formats dozens
// of instants (a TZDate formatted each time took about 20 µs; this takes a few).
const londonFields = new Intl.DateTimeFormat('en-GB', {
  timeZone: londonTimeZone, weekday: 'short', day: 'numeric', month: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h12',
});

export const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** An instant's calendar and clock in UK time; `time` is "4:05pm". */
export interface LondonTime {
  weekday: string;
  day: number;
  /** 1 to 12. */
  month: number;
  year: number;
  time: string;
}

export function inLondon(instant: Date): LondonTime {
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of londonFields.formatToParts(instant)) part[type] = value;
  return {
    weekday: part.weekday ?? '', day: Number(part.day), month: Number(part.month), year: Number(part.year),
    time: `${part.hour}:${part.minute}${(part.dayPeriod ?? '').toLowerCase()}`,
  };
}

/** 'YYYY-MM-DD' → "3 March 2016". Calendar dates are never shifted by time zones. */
export function formatCalendarDate(value: string | null | undefined): string {
  if (!value) return '';
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d || m > 12) return value;
  return `${d} ${monthNames[m - 1]} ${y}`;
}

/** An instant shown in UK time: "3 March 2016 at 4:05pm". */
export function formatInstant(value: Date | string | null | undefined): string {
  if (!value) return '';
  const instant = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(instant.getTime())) return '';
  const t = inLondon(instant);
  return `${t.day} ${monthNames[t.month - 1]} ${t.year} at ${t.time}`;
}

/** Age in whole years on a given day (defaults to today in London). */
export function ageOn(dateOfBirth: string, today: string = londonDate(new Date())): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([srcDir, govukDir, mojDir], { noCache: process.env.NODE_ENV === 'development' }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  env.addFilter('calendarDate', formatCalendarDate);
  env.addFilter('instant', formatInstant);
  env.addFilter('age', (dob: string | null) => (dob ? ageOn(dob) : null));
  env.addFilter('roleLabel', (role: string) => (isRole(role) ? roleLabels[role] : role));
  env.addFilter('nhsNumber', (n: string | null) => (n && n.length === 10 ? `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : n ?? ''));
  return env;
}
