-- A person and everyone merged into them (their old ids), for each of `ids`: rows recorded
-- against an old id still belong to the person. Merges are rare, so this is nearly always just
-- the ids given; written as a recursive CTE inside each query, the planner could not know that
-- (with no merged person in the statistics it guessed thousands of aliases) and read whole tables
-- (shares, contacts) by sequential scan instead of probing their person indexes. As a PL/pgSQL
-- function it is never inlined, and ROWS gives the planner the right size. It runs with the
-- caller's rights, so row-level security keeps it to the caller's area.
CREATE FUNCTION hearth_person_aliases(ids uuid[]) RETURNS TABLE (target uuid, id uuid)
  LANGUAGE plpgsql STABLE ROWS 2
  AS $$
BEGIN
  RETURN QUERY
    WITH RECURSIVE aliases(target, id) AS (
      SELECT t, t FROM unnest(ids) AS u(t)
      UNION
      SELECT a.target, p.id FROM aliases a JOIN person p ON p.merged_into = a.id)
    SELECT aliases.target, aliases.id FROM aliases;
END
$$;
COMMENT ON FUNCTION hearth_person_aliases(uuid[]) IS 'Each given person id with the ids of the people merged into it, as (target, id).';

-- A person's allocations, current and ended, for their page (the current ones alone had an index).
CREATE INDEX case_allocation_person ON case_allocation (person_id);
