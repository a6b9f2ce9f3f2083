// Withholding sealed (confidential) addresses from what an event says, in SQL, so that for
// someone without `address.view_confidential` their content never leaves the database. An event
// can name a place in its address, in a location detail, or in free text: an event whose address
// is sealed loses its location details, and any summary or detail that mentions a sealed address
// of the event's people (its first line or its postcode) is withheld whole.
import { sql, type RawBuilder } from 'kysely';

export const withheldText = 'Withheld: it mentions a confidential address';

const locationKeys = ['location', 'place', 'address', 'incidentAddress', 'incident_address', 'locationAddress'];

/**
 * The sealed addresses linked to the event aliased `e`, as `ca`: its own address and those of its
 * people. Each is looked up by its key: filtering the address table by "confidential" would read
 * every address of the area, for every event and every detail.
 */
const sealedOfEvent = sql`(
    SELECT e.address_id AS id
    UNION ALL
    SELECT pa.address_id FROM person_address pa JOIN event_person ep_s ON ep_s.person_id = pa.person_id WHERE ep_s.event_id = e.id) linked
  JOIN address ca ON ca.id = linked.id AND ca.confidential`;

/** Whether `text` mentions a sealed address linked to the event aliased `e` (its first line or its postcode). */
function mentionsSealed(text: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM ${sealedOfEvent}
    WHERE strpos(lower(${text}), lower(ca.line1)) > 0
      OR (coalesce(ca.postcode, '') <> '' AND strpos(replace(lower(${text}), ' ', ''), replace(lower(ca.postcode), ' ', '')) > 0))`;
}

const eventAddressSealed = sql<boolean>`EXISTS (SELECT 1 FROM address ea WHERE ea.id = e.address_id AND ea.confidential)`;

/** The event's summary (event aliased `e`), withheld when it mentions a sealed address. */
export function safeSummary(canSeeSealed: boolean): RawBuilder<string> {
  if (canSeeSealed) return sql<string>`e.summary`;
  return sql<string>`CASE WHEN ${mentionsSealed(sql`e.summary`)} THEN ${withheldText} ELSE e.summary END`;
}

/** Other free text of the event (aliased `e`), such as a child's words, withheld when it mentions a sealed address. */
export function safeEventText(canSeeSealed: boolean, text: RawBuilder<string | null>): RawBuilder<string | null> {
  if (canSeeSealed) return text;
  return sql<string | null>`CASE WHEN ${mentionsSealed(text)} THEN ${withheldText} ELSE ${text} END`;
}

/** The event's details (event aliased `e`), each top-level detail withheld when it names a sealed place. */
export function safeDetails(canSeeSealed: boolean): RawBuilder<Record<string, unknown>> {
  if (canSeeSealed) return sql<Record<string, unknown>>`e.details`;
  // Most events have no sealed address at all: asked once for the event, not for each detail.
  return sql<Record<string, unknown>>`CASE WHEN NOT EXISTS (SELECT 1 FROM ${sealedOfEvent}) THEN coalesce(e.details, '{}'::jsonb) ELSE coalesce((
    SELECT jsonb_object_agg(d.key, CASE
      WHEN (d.key IN (${sql.join(locationKeys.map((k) => sql.lit(k)))}) AND ${eventAddressSealed}) OR ${mentionsSealed(sql`d.value::text`)}
        THEN to_jsonb(${withheldText}::text)
      ELSE d.value END)
    FROM jsonb_each(e.details) d), '{}'::jsonb) END`;
}

/** An address column (address aliased `a`), null when sealed for this viewer. */
export function addressColumn(canSeeSealed: boolean, column: 'line1' | 'line2' | 'town' | 'postcode'): RawBuilder<string | null> {
  const ref = sql.ref(`a.${column}`);
  return canSeeSealed ? sql<string | null>`${ref}` : sql<string | null>`CASE WHEN a.confidential THEN NULL ELSE ${ref} END`;
}
