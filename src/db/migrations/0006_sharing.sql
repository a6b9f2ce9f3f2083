-- Sharing with care: who holds each case (allocation), time-limited read-only access for
-- inspectors, emergency ("break-glass") access with its review, sensitive notes visible only to
-- the roles and people named for them, and retention decisions (keep longer, or delete, each
-- explained and kept for good).
--
-- How it is used: src/sharing/involvement.ts decides, from these tables and the front door's, how
-- a user is involved with a person and so what they may see; the rest of src/sharing writes them.

-- A person's old ids (people merged into them) count as theirs: found through this index.
CREATE INDEX person_merged_into ON person (merged_into) WHERE merged_into IS NOT NULL;

------------------------------------------------------------------------------------------------
-- Who holds a case

CREATE TABLE case_allocation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  person_id uuid NOT NULL REFERENCES person(id),
  team_id uuid NOT NULL REFERENCES team(id),
  worker_id uuid REFERENCES app_user(id),
  allocated_by uuid NOT NULL REFERENCES app_user(id),
  allocated_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  ended_by uuid REFERENCES app_user(id),
  CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);
COMMENT ON TABLE case_allocation IS 'A team (and, once chosen, a worker in it) holding a person''s case: a social work team for a child, an IDVA for an adult victim. Allocation makes the team and the worker involved with the person and their family. Ended, never deleted.';
COMMENT ON COLUMN case_allocation.worker_id IS 'The allocated worker; empty while the case waits in the team for one.';
SELECT hearth_scope_to_area('case_allocation');
-- One current allocation of a person to a team; a new worker in the same team ends the last one.
CREATE UNIQUE INDEX case_allocation_current ON case_allocation (person_id, team_id) WHERE ended_at IS NULL;
CREATE INDEX case_allocation_team ON case_allocation (team_id) WHERE ended_at IS NULL;
CREATE INDEX case_allocation_worker ON case_allocation (worker_id) WHERE ended_at IS NULL AND worker_id IS NOT NULL;

------------------------------------------------------------------------------------------------
-- Inspectors' time-limited access

CREATE TABLE inspection_access (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  inspector_id uuid NOT NULL REFERENCES app_user(id),
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  granted_by uuid NOT NULL REFERENCES app_user(id),
  granted_at timestamptz NOT NULL DEFAULT now(),
  ended_early_at timestamptz,
  ended_early_by uuid REFERENCES app_user(id),
  CHECK (ends_at > starts_at),
  CHECK ((ended_early_at IS NULL) = (ended_early_by IS NULL))
);
COMMENT ON TABLE inspection_access IS 'When an inspector may read the area''s records (read-only, every view audited): a joint inspection''s window, granted by an administrator, which may end it early. Outside a window an inspector sees nothing.';
SELECT hearth_scope_to_area('inspection_access');
CREATE INDEX inspection_access_inspector ON inspection_access (inspector_id, ends_at DESC);

------------------------------------------------------------------------------------------------
-- Emergency access

CREATE TABLE break_glass (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  user_id uuid NOT NULL REFERENCES app_user(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  team_id uuid REFERENCES team(id),
  person_id uuid NOT NULL REFERENCES person(id),
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  started_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  review_outcome text CHECK (review_outcome IN ('justified', 'not_justified')),
  review_note text,
  reviewed_by uuid REFERENCES app_user(id),
  reviewed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  CHECK (expires_at > started_at),
  CHECK ((review_outcome IS NULL) = (reviewed_by IS NULL) AND (review_outcome IS NULL) = (reviewed_at IS NULL)),
  CHECK (review_outcome IS DISTINCT FROM 'not_justified' OR length(trim(coalesce(review_note, ''))) > 0),
  CHECK (reviewed_by IS NULL OR reviewed_by <> user_id)
);
COMMENT ON TABLE break_glass IS 'Emergency access to one person''s record by someone not involved with them: the stated reason, until when, and a manager''s review of whether it was justified. Shown to the team holding the case.';
COMMENT ON COLUMN break_glass.agency_id IS 'The agency of the person who broke the glass, when they did (shown to the team and the reviewer).';
COMMENT ON COLUMN break_glass.expires_at IS 'Access ends here (the area''s break-glass hours after it started).';
COMMENT ON COLUMN break_glass.review_note IS 'The reviewer''s note; required when the access was not justified.';
SELECT hearth_scope_to_area('break_glass');
CREATE INDEX break_glass_person ON break_glass (person_id, started_at DESC);
CREATE INDEX break_glass_user ON break_glass (user_id, expires_at DESC);
CREATE INDEX break_glass_unreviewed ON break_glass (area_id, started_at) WHERE review_outcome IS NULL;

------------------------------------------------------------------------------------------------
-- Sensitive notes

CREATE TABLE sensitive_note (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  person_id uuid NOT NULL REFERENCES person(id),
  category text NOT NULL CHECK (category IN ('sexual_health', 'health', 'child_disclosure', 'other')),
  note text NOT NULL CHECK (length(trim(note)) > 0 AND length(note) <= 5000),
  visible_to_roles text[] NOT NULL DEFAULT '{}',
  visible_to_users uuid[] NOT NULL DEFAULT '{}',
  agency_id uuid NOT NULL REFERENCES agency(id),
  recorded_by uuid NOT NULL REFERENCES app_user(id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE sensitive_note IS 'Information too sensitive for the chronology (sexual health, some health details, a child''s own disclosure): seen only by whoever recorded it and the roles and people named for it, among those with full access to the person; never printed on anything sent outside, a subject access export included.';
COMMENT ON COLUMN sensitive_note.visible_to_roles IS 'Roles (src/access/roles.ts) whose holders may read it, when they have full access to the person.';
COMMENT ON COLUMN sensitive_note.visible_to_users IS 'People named to read it, when they have full access to the person.';
SELECT hearth_scope_to_area('sensitive_note');
CREATE INDEX sensitive_note_person ON sensitive_note (person_id, recorded_at DESC);

------------------------------------------------------------------------------------------------
-- Retention

CREATE TABLE retention_decision (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  record_type text NOT NULL CHECK (record_type IN ('contact', 'event', 'notification', 'sensitive_note')),
  record_id uuid NOT NULL,
  decision text NOT NULL CHECK (decision IN ('retain', 'delete')),
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  rule text NOT NULL,
  review_due date NOT NULL,
  retain_until date,
  deleted_rows jsonb,
  decided_by uuid NOT NULL REFERENCES app_user(id),
  decided_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((decision = 'retain') = (retain_until IS NOT NULL)),
  CHECK ((decision = 'delete') = (deleted_rows IS NOT NULL))
);
COMMENT ON TABLE retention_decision IS 'What was decided when a record came up for review under the area''s retention rules: keep it until a later review (with the reason), or delete it (with the reason and how many rows of each table went). No personal data: it outlives the record. Insert-only for the application, so nothing is deleted silently and no decision can be unmade.';
COMMENT ON COLUMN retention_decision.record_id IS 'The record reviewed; no foreign key, because a deleted record''s decision stays.';
COMMENT ON COLUMN retention_decision.rule IS 'The retention rule that brought it up for review, as written in src/sharing/retention.ts.';
COMMENT ON COLUMN retention_decision.deleted_rows IS 'For a deletion: rows removed or detached per table, e.g. {"contact": 1, "agency_check": 2}.';
SELECT hearth_scope_to_area('retention_decision');
CREATE INDEX retention_decision_record ON retention_decision (record_type, record_id, decided_at DESC);
REVOKE UPDATE, DELETE, TRUNCATE ON retention_decision FROM hearth_app;

------------------------------------------------------------------------------------------------
-- "Who has seen this": a search records the people it showed in its details, and a refusal the
-- person asked for only as its record; these indexes find both without reading the whole log.

CREATE INDEX audit_event_search_results ON audit_event USING gin ((details -> 'results') jsonb_path_ops)
  WHERE action = 'person.search';
CREATE INDEX audit_event_refused_person ON audit_event (area_id, record_id)
  WHERE outcome = 'refused' AND record_type = 'person' AND subject_person_id IS NULL;
