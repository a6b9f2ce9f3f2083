// What a search shows of each person found, by need to know: a person the searcher is involved
// with as found; anyone else as the name-only summary does (the name, the year of birth, the
// agencies with places unnamed), so a search is no side door to a date of birth or a school.
// Someone who may see no one (an inspector outside their window) finds no one.
import { sql } from 'kysely';
import type { Scope } from '../access/gate';
import { accessLevels, aliasesCte, type AccessLevel } from './involvement';

interface Found {
  id: string;
  dateOfBirth: string | null;
  sex?: string | null;
  agencies: string[];
}

export type LimitedResult<T extends Found> = T & { access: Exclude<AccessLevel, 'none'>; birthYear: number | null };

/** The names of the agencies that know each person, with schools and GP practices unnamed. */
async function unnamedPlaces(scope: Scope, ids: string[]): Promise<Map<string, string[]>> {
  const { rows } = await sql<{ target: string; name: string }>`
    WITH RECURSIVE ${aliasesCte(ids)}
    SELECT DISTINCT a.target,
      CASE WHEN g.kind = 'school' THEN 'A school' WHEN g.kind = 'health' AND g.service = 'gp' THEN 'A GP practice' ELSE g.name END AS name
    FROM aliases a JOIN agency_record r ON r.person_id = a.id JOIN agency g ON g.id = r.agency_id
    ORDER BY name`.execute(scope.db);
  const byPerson = new Map<string, string[]>();
  for (const row of rows) byPerson.set(row.target, [...(byPerson.get(row.target) ?? []), row.name]);
  return byPerson;
}

/**
 * A page of search results as the searcher may see them, with the total to show. Call it in the
 * search's gated work: `limitSearchResults(scope, await searchPeople(scope, criteria))`.
 */
export async function limitSearchResults<T extends Found>(scope: Scope, found: { results: T[]; total: number }): Promise<{ results: LimitedResult<T>[]; total: number }> {
  const levels = await accessLevels(scope, found.results.map((r) => r.id));
  const nameOnlyIds = found.results.filter((r) => levels.get(r.id) === 'name_only').map((r) => r.id);
  const places = nameOnlyIds.length ? await unnamedPlaces(scope, nameOnlyIds) : new Map<string, string[]>();
  const results: LimitedResult<T>[] = [];
  for (const r of found.results) {
    const level = levels.get(r.id) ?? 'none';
    const birthYear = r.dateOfBirth ? Number(r.dateOfBirth.slice(0, 4)) : null;
    if (level === 'full') results.push({ ...r, access: 'full', birthYear });
    else if (level === 'name_only') results.push({ ...r, dateOfBirth: null, ...('sex' in r ? { sex: null } : {}), agencies: places.get(r.id) ?? [], access: 'name_only', birthYear });
  }
  return { results, total: found.total };
}
