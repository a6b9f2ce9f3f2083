-- Person search's fallback reads the names most like the one typed first. It looked at a word
-- similarity of 0.4 only, which a single short name with a dropped letter needs ("okfor" in
-- "okafor": 0.44) but which, in a county, thousands of names reach for a full name with a typo
-- ("kyle rovson": 8,700 records, among them every Kyle): the index's bitmap of them took 17 to
-- 53 ms to build, and the 300 records read were the first in the table's order, not the closest.
-- It now looks at 0.6 first (a letter dropped or changed in a full name: "kyle robson" 0.60,
-- "olivia thompson" 0.72), and at 0.4 only when nothing is that close. On the county the first
-- look reads 120 to 480 records in 13 to 19 ms.
CREATE OR REPLACE FUNCTION hearth_records_named_like(typed text, cap integer) RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  -- Whatever the loop sets is restored when the function returns.
  SET pg_trgm.word_similarity_threshold = 0.6
  AS $$
DECLARE
  threshold text;
BEGIN
  FOREACH threshold IN ARRAY ARRAY['0.6', '0.4'] LOOP
    PERFORM set_config('pg_trgm.word_similarity_threshold', threshold, true);
    RETURN QUERY SELECT r.id FROM agency_record r
      WHERE r.search_name %> lower(typed) AND r.area_id = hearth_current_area() AND r.person_id IS NOT NULL
      LIMIT cap;
    IF FOUND THEN
      RETURN;
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION hearth_records_named_like(text, integer) IS 'Person search''s fallback: records of the current area whose name has words like those typed (trigram word similarity 0.6, or 0.4 when none is that close).';
