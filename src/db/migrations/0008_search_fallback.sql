-- Person search's fallback for a name the registry's keys miss, such as a dropped letter ("Grham"
-- for "Graham", which neither sounds nor spells the same to the keys): the agency records of the
-- current area with a name containing words like those typed, by trigram word similarity on the
-- indexed search_name. Under row-level security the planner may not use the trigram index (its
-- operators are not leak-proof), so this function runs with the owner's rights and keeps to the
-- transaction's area itself. It returns ids only; the search reads the records through the gate.
-- The threshold is below pg_trgm's default (0.6): a dropped letter in a short name leaves fewer
-- than 0.6 of its trigrams ("okfor" in "okafor": 0.44); the search's name comparison then keeps
-- only the plausible candidates.
CREATE FUNCTION hearth_records_named_like(typed text, cap integer) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  SET pg_trgm.word_similarity_threshold = 0.4
  AS $$
  SELECT r.id FROM agency_record r
  WHERE r.search_name %> lower(typed) AND r.area_id = hearth_current_area() AND r.person_id IS NOT NULL
  LIMIT cap
$$;
COMMENT ON FUNCTION hearth_records_named_like(text, integer) IS 'Person search''s fallback: records of the current area whose name has words like those typed (trigram word similarity).';
REVOKE ALL ON FUNCTION hearth_records_named_like(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hearth_records_named_like(text, integer) TO hearth_app;
