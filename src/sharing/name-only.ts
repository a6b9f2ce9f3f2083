// The name-only summary: what someone who may find people, but is not involved, sees of a person.
// That the person exists, the year they were born, which agencies know them and whom to contact,
// and nothing else: no date of birth, no address, no household, no events. Agencies tied to a
// place (a school, a GP practice) are not named, since naming them would say where the person is.
import { sql } from 'kysely';
import type { Scope } from '../access/gate';
import { notFound } from '../server/errors';
import { aliasesCte, currentPersonId } from './involvement';

export interface NameOnlyAgency {
  name: string;
  phone: string | null;
  email: string | null;
}

export interface NameOnlyContact {
  /** The allocated worker, or null while the case waits in the team for one. */
  worker: string | null;
  team: string;
  agency: string;
  phone: string | null;
  email: string | null;
  /** Why to contact them: "Holds the case" or "Working a front-door contact". */
  role: string;
}

export interface NameOnlyView {
  personId: string;
  givenName: string | null;
  familyName: string | null;
  birthYear: number | null;
  unborn: boolean;
  agencies: NameOnlyAgency[];
  contacts: NameOnlyContact[];
}

/** Agencies whose name says where someone lives or studies. */
const placeAgency = (kind: string, service: string | null): string | null =>
  kind === 'school' ? 'A school' : kind === 'health' && service === 'gp' ? 'A GP practice' : null;

/** The name-only summary of a person (following merges), recorded as a name-only view. */
export async function nameOnlyView(scope: Scope, requestedId: string): Promise<NameOnlyView> {
  const id = await currentPersonId(scope, requestedId);
  scope.audit({ action: 'person.view_name_only', recordType: 'person', recordId: requestedId, ...(id ? { subjectPersonId: id } : {}) });
  if (!id) throw notFound('The person');
  const person = await scope.db
    .selectFrom('person')
    .select(['id', 'given_name', 'family_name', 'date_of_birth', 'expected_date_of_birth'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

  const { rows: agencies } = await sql<{ name: string; kind: string; service: string | null; phone: string | null; email: string | null }>`
    WITH RECURSIVE ${aliasesCte([id])}
    SELECT DISTINCT g.name, g.kind, g.service, g.phone, g.email FROM agency g
    WHERE g.id IN (SELECT r.agency_id FROM agency_record r JOIN aliases a ON a.id = r.person_id
      UNION ALL SELECT t.agency_id FROM case_allocation ca JOIN team t ON t.id = ca.team_id JOIN aliases a ON a.id = ca.person_id WHERE ca.ended_at IS NULL)
    ORDER BY g.name`.execute(scope.db);

  const { rows: contacts } = await sql<{ worker: string | null; team: string; agency: string; phone: string | null; email: string | null; role: string }>`
    WITH RECURSIVE ${aliasesCte([id])}
    SELECT u.display_name AS worker, t.name AS team, g.name AS agency, g.phone, g.email, 'Holds the case' AS role
    FROM case_allocation ca JOIN aliases a ON a.id = ca.person_id
      JOIN team t ON t.id = ca.team_id JOIN agency g ON g.id = t.agency_id LEFT JOIN app_user u ON u.id = ca.worker_id
    WHERE ca.ended_at IS NULL
    UNION
    SELECT u.display_name, t.name, g.name, g.phone, g.email, 'Working a front-door contact'
    FROM contact c JOIN team t ON t.id = c.team_id JOIN agency g ON g.id = t.agency_id LEFT JOIN app_user u ON u.id = c.allocated_to
    WHERE c.stage <> 'closed' AND c.id IN (
      -- Each way in by its own index: the child of the contact, or someone in its event.
      SELECT k.id FROM contact k JOIN aliases a ON a.id = k.child_person_id
      UNION ALL SELECT k.id FROM event_person ep JOIN aliases a ON a.id = ep.person_id JOIN contact k ON k.event_id = ep.event_id)
    ORDER BY role, agency, team`.execute(scope.db);

  const seen = new Set<string>();
  return {
    personId: person.id,
    givenName: person.given_name,
    familyName: person.family_name,
    birthYear: person.date_of_birth ? Number(person.date_of_birth.slice(0, 4)) : null,
    unborn: !person.date_of_birth && person.expected_date_of_birth !== null,
    agencies: agencies
      .map((g) => {
        const generic = placeAgency(g.kind, g.service);
        return generic ? { name: generic, phone: null, email: null } : { name: g.name, phone: g.phone, email: g.email };
      })
      .filter((g) => !seen.has(g.name) && seen.add(g.name)),
    contacts,
  };
}
