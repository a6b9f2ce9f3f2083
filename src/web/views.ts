// Server-rendered pages: Nunjucks with the GOV.UK and MOJ design systems' own templates.
// Templates live beside their domain (e.g. src/people/pages/person.njk) and are named from
// src/, so "people/pages/person.njk".
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import nunjucks from 'nunjucks';
import { roleLabels, isRole } from '../access/roles';

const require = createRequire(import.meta.url);
const srcDir = fileURLToPath(new URL('../', import.meta.url));
export const govukDir = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
export const mojDir = dirname(require.resolve('@ministryofjustice/frontend/package.json'));

export const londonTimeZone = 'Europe/London';

function toLondon(value: Date | string): TZDate {
  return new TZDate(typeof value === 'string' ? new Date(value) : value, londonTimeZone);
}

/** 'YYYY-MM-DD' → "3 March 2016". Calendar dates are never shifted by time zones. */
export function formatCalendarDate(value: string | null | undefined): string {
  if (!value) return '';
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d) return value;
  return format(new Date(Date.UTC(y, m - 1, d, 12)), 'd MMMM yyyy');
}

/** An instant shown in UK time: "3 March 2016 at 4:05pm". */
export function formatInstant(value: Date | string | null | undefined): string {
  if (!value) return '';
  return format(toLondon(value), "d MMMM yyyy 'at' h:mmaaa");
}

/** Age in whole years on a given day (defaults to today in London). */
export function ageOn(dateOfBirth: string, today: string = format(toLondon(new Date()), 'yyyy-MM-dd')): number {
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
