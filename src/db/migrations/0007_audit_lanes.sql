-- The audit chain in lanes. One chain per area made every audited transaction of the area wait
-- for the one before it to commit (the head row stays locked until then, through the disk
-- flush), which capped an area at one commit at a time. Each area now has 32 chains ("lanes"),
-- each hash-linked and verified as before; a transaction takes the first lane no other open
-- transaction holds, starting from one chosen by its connection, so concurrent requests write
-- side by side and wait only when every lane is busy. `id` gives the order rows were written in
-- across lanes. A row's lane is not in its hash: moving a row to another lane breaks the links
-- of both lanes, which the verifier reports.

ALTER TABLE audit_event ADD COLUMN lane smallint NOT NULL DEFAULT 0 CHECK (lane BETWEEN 0 AND 31);
ALTER TABLE audit_event ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE audit_event DROP CONSTRAINT audit_event_pkey;
ALTER TABLE audit_event ADD PRIMARY KEY (area_id, lane, seq);
CREATE UNIQUE INDEX audit_event_id ON audit_event (id);
COMMENT ON COLUMN audit_event.lane IS 'Which of the area''s 32 chains the row is in; seq and prev_hash run within the lane.';
COMMENT ON COLUMN audit_event.id IS 'The order rows were written in, across lanes.';

ALTER TABLE audit_head ADD COLUMN lane smallint NOT NULL DEFAULT 0 CHECK (lane BETWEEN 0 AND 31);
ALTER TABLE audit_head DROP CONSTRAINT audit_head_pkey;
ALTER TABLE audit_head ADD PRIMARY KEY (area_id, lane);
INSERT INTO audit_head (area_id, lane, seq, hash)
  SELECT h.area_id, g.lane, 0, '\x'::bytea FROM audit_head h CROSS JOIN generate_series(1, 31) AS g(lane)
  ON CONFLICT DO NOTHING;
COMMENT ON TABLE audit_head IS 'The last sequence number and hash of each lane of each area''s audit chain; kept by the audit_event trigger only.';

CREATE OR REPLACE FUNCTION audit_chain() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  head audit_head;
  first_lane int := pg_backend_pid() % 32;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM audit_head WHERE area_id = NEW.area_id) THEN
    INSERT INTO audit_head (area_id, lane, seq, hash)
      SELECT NEW.area_id, g, 0, '\x'::bytea FROM generate_series(0, 31) AS g
      ON CONFLICT DO NOTHING;
  END IF;
  -- The first free lane from this connection's own (a lane this transaction holds is free to it).
  FOR step IN 0..31 LOOP
    SELECT * INTO head FROM audit_head WHERE area_id = NEW.area_id AND lane = (first_lane + step) % 32 FOR UPDATE SKIP LOCKED;
    EXIT WHEN head.area_id IS NOT NULL;
  END LOOP;
  -- Every lane busy: wait for this connection's own.
  IF head.area_id IS NULL THEN
    SELECT * INTO head FROM audit_head WHERE area_id = NEW.area_id AND lane = first_lane FOR UPDATE;
  END IF;
  NEW.lane := head.lane;
  NEW.seq := head.seq + 1;
  NEW.occurred_at := date_trunc('milliseconds', NEW.occurred_at);
  NEW.prev_hash := head.hash;
  NEW.hash := sha256(head.hash || convert_to(audit_canonical(NEW), 'UTF8'));
  UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE area_id = NEW.area_id AND lane = head.lane;
  RETURN NEW;
END $$;
