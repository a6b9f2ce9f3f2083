-- Hearth foundation: areas, agencies, teams, users, sessions, people and their agency records,
-- addresses, households, relationships, chronology events, and the tamper-evident audit chain.
--
-- Conventions
--   * Every table of area data carries area_id and is protected by row-level security: the
--     application role (hearth_app) sees only the rows of the area set for its transaction with
--     set_config('hearth.area_id', ...). The owner role (migrations, seeding, operator commands)
--     is not subject to it.
--   * Instants are timestamptz (UTC); calendar dates (birth, statutory dates) are date.
--   * Editable records carry version, incremented on every change; a stale write is refused.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The least-privilege role the application runs its area work under. Roles are cluster-wide,
-- so creating it tolerates another database having created it first.
DO $$
BEGIN
  CREATE ROLE hearth_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END $$;

GRANT USAGE ON SCHEMA public TO hearth_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hearth_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO hearth_app;

CREATE FUNCTION hearth_current_area() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('hearth.area_id', true), '')::uuid $$;
COMMENT ON FUNCTION hearth_current_area() IS 'The area the current transaction works in, set by the access gate.';

-- Enables row-level security on an area table: the application role sees and writes only the
-- rows of the current area.
CREATE FUNCTION hearth_scope_to_area(table_name regclass) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', table_name);
  EXECUTE format(
    'CREATE POLICY area_scope ON %s TO hearth_app USING (area_id = hearth_current_area()) WITH CHECK (area_id = hearth_current_area())',
    table_name);
END $$;

------------------------------------------------------------------------------------------------
-- Organisation

CREATE TABLE area (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid GENERATED ALWAYS AS (id) STORED,
  code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{2,40}$'),
  name text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
COMMENT ON TABLE area IS 'A local safeguarding partnership: the tenant. Every other table is scoped by area_id.';
COMMENT ON COLUMN area.settings IS 'Area configuration (thresholds, timescales, school day start), validated by the application.';
SELECT hearth_scope_to_area('area');

CREATE TABLE agency (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  kind text NOT NULL CHECK (kind IN ('police', 'childrens_social_care', 'health', 'school', 'probation',
    'idva_service', 'adult_social_care', 'housing', 'education_safeguarding')),
  service text CHECK (service IN ('emergency_department', 'midwifery', 'health_visiting', 'gp', 'school_nursing', 'mental_health')),
  parent_agency_id uuid REFERENCES agency(id),
  name text NOT NULL,
  code text,
  email text,
  phone text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (area_id, id),
  UNIQUE (area_id, code)
);
COMMENT ON TABLE agency IS 'An organisation working with children in the area: police force, council children''s services, an NHS service, a school, a GP practice, probation, an IDVA service, housing.';
COMMENT ON COLUMN agency.service IS 'For health agencies: which service (emergency department, midwifery, health visiting, GP practice).';
COMMENT ON COLUMN agency.code IS 'A stable external code: school URN, GP practice code, force code.';
SELECT hearth_scope_to_area('agency');
CREATE INDEX agency_area_kind ON agency (area_id, kind);

CREATE TABLE team (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (area_id, agency_id, name)
);
COMMENT ON TABLE team IS 'A team within an agency (the MASH, an assessment team, an IDVA team).';
SELECT hearth_scope_to_area('team');

CREATE TABLE app_user (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  team_id uuid REFERENCES team(id),
  kind text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'system')),
  email text,
  display_name text NOT NULL,
  role text NOT NULL,
  password_hash text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_sign_ins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_sign_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (kind = 'system' OR email IS NOT NULL)
);
COMMENT ON TABLE app_user IS 'Someone (or an agency system) who uses Hearth. A system account has no password and calls the API with bearer tokens.';
COMMENT ON COLUMN app_user.role IS 'One role, from the list in src/access/roles.ts; what it allows is declared in src/access/permissions.ts.';
COMMENT ON COLUMN app_user.password_hash IS 'argon2id hash (PHC string).';
COMMENT ON COLUMN app_user.locked_until IS 'Set after repeated failed sign-ins; sign-in is refused until then.';
SELECT hearth_scope_to_area('app_user');
-- Sign-in names are unique across the deployment because the sign-in page does not know the area.
CREATE UNIQUE INDEX app_user_email ON app_user (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX app_user_area ON app_user (area_id, display_name);

CREATE TABLE user_session (
  id text PRIMARY KEY,
  area_id uuid NOT NULL REFERENCES area(id),
  user_id uuid NOT NULL REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  ip text,
  user_agent text
);
COMMENT ON TABLE user_session IS 'A signed-in browser session. id is the SHA-256 of the cookie value, so a database reader cannot use it.';
COMMENT ON COLUMN user_session.expires_at IS 'Absolute expiry; idle expiry is counted from last_seen_at.';
SELECT hearth_scope_to_area('user_session');
CREATE INDEX user_session_user ON user_session (user_id);

CREATE TABLE api_token (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  user_id uuid NOT NULL REFERENCES app_user(id),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid REFERENCES app_user(id)
);
COMMENT ON TABLE api_token IS 'Bearer tokens of system accounts. Only the SHA-256 of the token is kept; prefix identifies it to people.';
SELECT hearth_scope_to_area('api_token');

------------------------------------------------------------------------------------------------
-- People, what each agency knows of them, where they live and with whom

CREATE TABLE person (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  given_name text,
  family_name text,
  date_of_birth date,
  expected_date_of_birth date,
  sex text CHECK (sex IN ('F', 'M', 'U')),
  nhs_number text CHECK (nhs_number ~ '^[0-9]{10}$'),
  merged_into uuid REFERENCES person(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
COMMENT ON TABLE person IS 'One real person as Hearth understands them, resolved from the agency records linked to them.';
COMMENT ON COLUMN person.given_name IS 'Preferred name for display, taken from the most trusted linked agency record.';
COMMENT ON COLUMN person.expected_date_of_birth IS 'For an unborn child: the expected date of delivery.';
COMMENT ON COLUMN person.merged_into IS 'Set when this person was merged into another; reads follow it. Undone by an unmerge.';
SELECT hearth_scope_to_area('person');
CREATE INDEX person_area_dob ON person (area_id, date_of_birth);
CREATE INDEX person_area_nhs ON person (area_id, nhs_number) WHERE nhs_number IS NOT NULL;

CREATE TABLE agency_record (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  person_id uuid REFERENCES person(id),
  source_ref text NOT NULL,
  given_name text,
  middle_names text,
  family_name text,
  aliases text[] NOT NULL DEFAULT '{}',
  date_of_birth date,
  sex text CHECK (sex IN ('F', 'M', 'U')),
  nhs_number text,
  school_agency_id uuid REFERENCES agency(id),
  gp_agency_id uuid REFERENCES agency(id),
  phone text,
  email text,
  search_name text GENERATED ALWAYS AS (lower(coalesce(given_name, '') || ' ' || coalesce(family_name, ''))) STORED,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (area_id, agency_id, source_ref)
);
COMMENT ON TABLE agency_record IS 'What one agency holds about one person, as that agency holds it (spelling, nickname, old address and all).';
COMMENT ON COLUMN agency_record.source_ref IS 'The agency''s own identifier for the person (crime system nominal id, hospital number, pupil id).';
COMMENT ON COLUMN agency_record.nhs_number IS 'As supplied, possibly invalid; identity resolution treats an invalid number as missing.';
COMMENT ON COLUMN agency_record.person_id IS 'The person this record is linked to; the link''s evidence and history are in person_link.';
SELECT hearth_scope_to_area('agency_record');
CREATE INDEX agency_record_person ON agency_record (person_id);
CREATE INDEX agency_record_dob ON agency_record (area_id, date_of_birth);
CREATE INDEX agency_record_nhs ON agency_record (area_id, nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX agency_record_family_name ON agency_record (area_id, lower(family_name));
CREATE INDEX agency_record_search_name ON agency_record USING gin (search_name gin_trgm_ops);

CREATE TABLE person_link (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  agency_record_id uuid NOT NULL REFERENCES agency_record(id),
  person_id uuid NOT NULL REFERENCES person(id),
  method text NOT NULL CHECK (method IN ('new_person', 'automatic', 'reviewed', 'merge', 'unmerge', 'imported')),
  match_probability double precision,
  evidence jsonb,
  decided_by uuid REFERENCES app_user(id),
  reason text,
  linked_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);
COMMENT ON TABLE person_link IS 'History of which person each agency record was linked to, with the evidence (comparison levels and weights) and who decided.';
SELECT hearth_scope_to_area('person_link');
CREATE INDEX person_link_record ON person_link (agency_record_id, linked_at DESC);
CREATE INDEX person_link_person ON person_link (person_id);

CREATE TABLE address (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  line1 text NOT NULL,
  line2 text,
  town text,
  postcode text,
  uprn text,
  confidential boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE address IS 'A postal address. A confidential address (refuge, a victim''s new home) is sealed: shown only to those allowed, never sent out, never inferable.';
COMMENT ON COLUMN address.confidential IS 'Sealed: only roles and people named for it may see any part of it, postcode included.';
SELECT hearth_scope_to_area('address');
CREATE INDEX address_postcode ON address (area_id, postcode);

CREATE TABLE person_address (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  person_id uuid NOT NULL REFERENCES person(id),
  agency_record_id uuid REFERENCES agency_record(id),
  address_id uuid NOT NULL REFERENCES address(id),
  from_date date,
  to_date date
);
COMMENT ON TABLE person_address IS 'Where a person lived and when, as recorded by an agency record (or by Hearth when agency_record_id is null).';
SELECT hearth_scope_to_area('person_address');
CREATE INDEX person_address_person ON person_address (person_id);
CREATE INDEX person_address_record ON person_address (agency_record_id);
CREATE INDEX person_address_address ON person_address (address_id);

CREATE TABLE household (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  address_id uuid REFERENCES address(id),
  from_date date,
  to_date date,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE household IS 'People living together at an address for a period.';
SELECT hearth_scope_to_area('household');
CREATE INDEX household_address ON household (address_id);

CREATE TABLE household_member (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  household_id uuid NOT NULL REFERENCES household(id),
  person_id uuid NOT NULL REFERENCES person(id),
  from_date date,
  to_date date
);
SELECT hearth_scope_to_area('household_member');
CREATE INDEX household_member_household ON household_member (household_id);
CREATE INDEX household_member_person ON household_member (person_id);

CREATE TABLE relationship (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  person_id uuid NOT NULL REFERENCES person(id),
  related_person_id uuid NOT NULL REFERENCES person(id),
  kind text NOT NULL CHECK (kind IN ('parent_of', 'carer_of', 'partner_of', 'ex_partner_of', 'sibling_of',
    'household_member_of', 'alleged_perpetrator_of')),
  from_date date,
  to_date date,
  source_event_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (person_id <> related_person_id)
);
COMMENT ON TABLE relationship IS 'A directed relationship: person_id is the parent of / partner of / alleged perpetrator of related_person_id.';
SELECT hearth_scope_to_area('relationship');
CREATE INDEX relationship_person ON relationship (person_id);
CREATE INDEX relationship_related ON relationship (related_person_id);

------------------------------------------------------------------------------------------------
-- The chronology: things that happened, recorded by an agency, involving people

CREATE TABLE event (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  kind text NOT NULL,
  occurred_at timestamptz NOT NULL,
  source_ref text,
  summary text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  address_id uuid REFERENCES address(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by uuid REFERENCES app_user(id)
);
COMMENT ON TABLE event IS 'An entry in the multi-agency chronology: a domestic abuse incident, an emergency department attendance, a school absence, a missing episode, a referral.';
COMMENT ON COLUMN event.kind IS 'What happened; the list is in src/chronology/event-kinds.ts.';
COMMENT ON COLUMN event.source_ref IS 'The recording agency''s reference (police incident number, attendance id); unique per agency and kind.';
SELECT hearth_scope_to_area('event');
CREATE UNIQUE INDEX event_source_ref ON event (area_id, agency_id, kind, source_ref) WHERE source_ref IS NOT NULL;
CREATE INDEX event_occurred ON event (area_id, occurred_at DESC);

CREATE TABLE event_person (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  event_id uuid NOT NULL REFERENCES event(id),
  person_id uuid NOT NULL REFERENCES person(id),
  agency_record_id uuid REFERENCES agency_record(id),
  role text NOT NULL CHECK (role IN ('subject', 'adult_victim', 'alleged_perpetrator', 'child', 'other')),
  child_present boolean,
  child_voice text,
  UNIQUE (event_id, person_id)
);
COMMENT ON TABLE event_person IS 'Who was in an event and in what capacity; for children, whether present and what they said.';
SELECT hearth_scope_to_area('event_person');
CREATE INDEX event_person_person ON event_person (person_id, event_id);

------------------------------------------------------------------------------------------------
-- The audit chain: append-only and hash-chained per area

CREATE TABLE audit_event (
  area_id uuid NOT NULL REFERENCES area(id),
  seq bigint NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid,
  actor_agency_id uuid,
  actor_role text,
  action text NOT NULL,
  outcome text NOT NULL DEFAULT 'allowed' CHECK (outcome IN ('allowed', 'refused', 'failed')),
  record_type text,
  record_id text,
  subject_person_id uuid,
  reason text,
  request_id text,
  ip text,
  details jsonb,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (area_id, seq)
);
COMMENT ON TABLE audit_event IS 'Who did or saw what, when, from where and why. Insert-only for the application; each row carries the SHA-256 of its content and of the previous row of its area, so any change, deletion or truncation is detectable (npx hearth audit verify).';
COMMENT ON COLUMN audit_event.subject_person_id IS 'The person whose information was read or changed, for "who has seen this".';
COMMENT ON COLUMN audit_event.prev_hash IS 'hash of the previous row of the same area (empty for the first).';
SELECT hearth_scope_to_area('audit_event');
CREATE INDEX audit_event_subject ON audit_event (area_id, subject_person_id, occurred_at DESC) WHERE subject_person_id IS NOT NULL;
CREATE INDEX audit_event_actor ON audit_event (area_id, actor_user_id, occurred_at DESC);
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM hearth_app;

CREATE TABLE audit_head (
  area_id uuid PRIMARY KEY REFERENCES area(id),
  seq bigint NOT NULL,
  hash bytea NOT NULL
);
COMMENT ON TABLE audit_head IS 'The last sequence number and hash of each area''s audit chain; kept by the audit_event trigger only.';
REVOKE ALL ON audit_head FROM hearth_app;

-- The text that is hashed for a row. src/access/audit-verify.ts builds the same text independently.
CREATE FUNCTION audit_canonical(e audit_event) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws(E'\x1f',
    e.area_id::text, e.seq::text,
    to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    coalesce(e.actor_user_id::text, E'\x1e'), coalesce(e.actor_agency_id::text, E'\x1e'),
    coalesce(e.actor_role, E'\x1e'), e.action, e.outcome,
    coalesce(e.record_type, E'\x1e'), coalesce(e.record_id, E'\x1e'),
    coalesce(e.subject_person_id::text, E'\x1e'), coalesce(e.reason, E'\x1e'),
    coalesce(e.request_id, E'\x1e'), coalesce(e.ip, E'\x1e'), coalesce(e.details::text, E'\x1e'))
$$;

-- Assigns the next sequence number of the area and chains the hash. Runs with the owner's rights
-- so that the application role needs no access to audit_head; the row lock on audit_head
-- serialises writers of one area until their transaction ends.
CREATE FUNCTION audit_chain() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  head audit_head;
BEGIN
  SELECT * INTO head FROM audit_head WHERE area_id = NEW.area_id FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_head (area_id, seq, hash) VALUES (NEW.area_id, 0, '\x'::bytea)
      ON CONFLICT (area_id) DO NOTHING;
    SELECT * INTO head FROM audit_head WHERE area_id = NEW.area_id FOR UPDATE;
  END IF;
  NEW.seq := head.seq + 1;
  NEW.occurred_at := date_trunc('milliseconds', NEW.occurred_at);
  NEW.prev_hash := head.hash;
  NEW.hash := sha256(head.hash || convert_to(audit_canonical(NEW), 'UTF8'));
  UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE area_id = NEW.area_id;
  RETURN NEW;
END $$;

CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_chain();

-- Defence in depth: even the owner cannot change or delete audit rows without first disabling
-- this trigger, which itself is visible in the database's logs.
CREATE FUNCTION audit_immutable() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_event_immutable BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_immutable();

------------------------------------------------------------------------------------------------
-- Generated demo data: which agency records are truly the same person. Outside the area's data:
-- the application role has no access; benchmarks read it to score identity resolution.

CREATE SCHEMA synthetic;
CREATE TABLE synthetic.record_truth (
  area_id uuid NOT NULL,
  agency_record_id uuid NOT NULL,
  true_person_key text NOT NULL,
  PRIMARY KEY (area_id, agency_record_id)
);
COMMENT ON TABLE synthetic.record_truth IS 'For generated areas only: the generator''s own identity of the person behind each agency record.';
