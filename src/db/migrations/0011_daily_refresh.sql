-- The daily refresh of open risk flags, claimed once per area and London day. The server that
-- inserts the row does the work, so a restart, or servers running side by side, do not each
-- recompute every open flag of a county again (about 45 s of CPU for 92,000 children and
-- households).
CREATE TABLE risk_refresh_run (
  area_id uuid NOT NULL REFERENCES area(id),
  day date NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (area_id, day)
);
COMMENT ON TABLE risk_refresh_run IS 'One row per area and London day whose open flags the daily refresh has claimed; finished_at is set when it completed. A claim left unfinished for an hour (a server stopped mid-way) may be taken over.';
REVOKE ALL ON risk_refresh_run FROM hearth_app;
