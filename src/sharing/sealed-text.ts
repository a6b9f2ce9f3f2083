// Free text shown on sharing's pages (a share's justification, the reason for emergency access,
// a reason in the audit log) can name where someone lives. For a viewer who may not see sealed
// addresses, text that mentions a sealed address of the person it is about, of anyone who has
// lived with them, or of anyone related to them (a mother's refuge in her child's summary), is
// withheld whole in the query, as the front door does for events.
import { sql, type RawBuilder } from 'kysely';
import { withheldText } from '../frontdoor/sealed';

export function safePersonText(canSeeSealed: boolean, text: RawBuilder<string | null>, personId: RawBuilder<string | null>): RawBuilder<string | null> {
  return safePeopleText(canSeeSealed, text, sql`SELECT ${personId}`);
}

/**
 * As safePersonText, for text about several people at once (a household's flag is about each of
 * its members): `people` is a subquery giving their ids. Each look-up is by an indexed person id,
 * so the check costs a few index probes per text, and a text that is null costs nothing.
 */
export function safePeopleText(canSeeSealed: boolean, text: RawBuilder<string | null>, people: RawBuilder<unknown>): RawBuilder<string | null> {
  if (canSeeSealed) return text;
  const about = sql`(${people}) AS about(id)`;
  return sql<string | null>`CASE WHEN ${text} IS NULL THEN NULL WHEN EXISTS (
      SELECT 1 FROM address ca
      WHERE ca.confidential AND ca.id IN (
        SELECT pa.address_id FROM person_address pa WHERE pa.person_id IN (
          SELECT about.id FROM ${about}
          UNION ALL SELECT o.person_id FROM ${about} JOIN household_member m ON m.person_id = about.id JOIN household_member o ON o.household_id = m.household_id
          UNION ALL SELECT r.related_person_id FROM ${about} JOIN relationship r ON r.person_id = about.id
          UNION ALL SELECT r.person_id FROM ${about} JOIN relationship r ON r.related_person_id = about.id)
        UNION ALL SELECT h.address_id FROM ${about} JOIN household_member m ON m.person_id = about.id JOIN household h ON h.id = m.household_id)
      AND (strpos(lower(${text}), lower(ca.line1)) > 0
        OR (coalesce(ca.postcode, '') <> '' AND strpos(replace(lower(${text}), ' ', ''), replace(lower(ca.postcode), ' ', '')) > 0)))
    THEN ${withheldText} ELSE ${text} END`;
}
