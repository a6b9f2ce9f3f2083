-- The front door: contacts for each child from notifications and referrals, MASH screening,
-- agency checks, information sharing with consent or lawful basis, decisions and their
-- authorisation; the durable outbox; notifications (Operation Encompass) and children's
-- education, which says which school must be told.

CREATE TABLE education (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  person_id uuid NOT NULL REFERENCES person(id),
  school_agency_id uuid REFERENCES agency(id),
  home_educated boolean NOT NULL DEFAULT false,
  from_date date,
  to_date date,
  CHECK (home_educated OR school_agency_id IS NOT NULL)
);
COMMENT ON TABLE education IS 'Where a child is educated and when: a school, or educated at home (then the local authority''s education safeguarding lead is told instead of a school).';
SELECT hearth_scope_to_area('education');
CREATE INDEX education_person ON education (person_id);
CREATE INDEX education_school ON education (school_agency_id) WHERE school_agency_id IS NOT NULL;

CREATE TABLE contact (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  child_person_id uuid NOT NULL REFERENCES person(id),
  event_id uuid NOT NULL REFERENCES event(id),
  source_agency_id uuid NOT NULL REFERENCES agency(id),
  source text NOT NULL CHECK (source IN ('police_notification', 'emergency_department', 'midwifery', 'health_visiting', 'gp',
    'school', 'probation', 'housing', 'adult_social_care', 'self_or_family', 'other')),
  received_at timestamptz NOT NULL,
  decision_due_at timestamptz NOT NULL,
  stage text NOT NULL DEFAULT 'screening' CHECK (stage IN ('screening', 'checks', 'decision', 'authorisation', 'closed')),
  priority text CHECK (priority IN ('red', 'amber', 'green')),
  priority_reason text,
  screened_by uuid REFERENCES app_user(id),
  screened_at timestamptz,
  team_id uuid REFERENCES team(id),
  allocated_to uuid REFERENCES app_user(id),
  decision text CHECK (decision IN ('no_further_action', 'information_and_advice', 'early_help', 'child_in_need_assessment', 'strategy_discussion')),
  decision_reasons text,
  marac_referral boolean,
  decided_by uuid REFERENCES app_user(id),
  decided_at timestamptz,
  authorised_by uuid REFERENCES app_user(id),
  authorised_at timestamptz,
  returned_comment text,
  returned_by uuid REFERENCES app_user(id),
  returned_at timestamptz,
  closed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (area_id, event_id, child_person_id),
  CHECK (decision IS NULL OR (decision_reasons IS NOT NULL AND length(trim(decision_reasons)) > 0))
);
COMMENT ON TABLE contact IS 'One child in one notification or referral, as the MASH works it: screening, agency checks, decision with reasons, manager authorisation.';
COMMENT ON COLUMN contact.decision_due_at IS 'Referral decision deadline (statutory: one working day), from the area''s working-days calendar.';
COMMENT ON COLUMN contact.stage IS 'screening → checks (agency checks out) → decision → authorisation (awaiting a manager) → closed; a manager''s return sends it back to decision.';
SELECT hearth_scope_to_area('contact');
CREATE INDEX contact_open_queue ON contact (area_id, stage, decision_due_at) WHERE stage <> 'closed';
CREATE INDEX contact_child ON contact (child_person_id, received_at DESC);
CREATE INDEX contact_event ON contact (event_id);

CREATE TABLE contact_history (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  contact_id uuid NOT NULL REFERENCES contact(id),
  action text NOT NULL,
  actor_user_id uuid REFERENCES app_user(id),
  at timestamptz NOT NULL DEFAULT now(),
  comment text,
  details jsonb
);
COMMENT ON TABLE contact_history IS 'What happened to a contact and who did it, shown to practitioners on the contact (the audit log holds the same facts for oversight).';
SELECT hearth_scope_to_area('contact_history');
CREATE INDEX contact_history_contact ON contact_history (contact_id, at);

CREATE TABLE agency_check (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  contact_id uuid NOT NULL REFERENCES contact(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  question text NOT NULL,
  requested_by uuid NOT NULL REFERENCES app_user(id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'withdrawn')),
  known_to_agency text CHECK (known_to_agency IN ('yes', 'no', 'not_known')),
  involvement text,
  concerns text,
  history text,
  answered_by uuid REFERENCES app_user(id),
  answered_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  UNIQUE (contact_id, agency_id)
);
COMMENT ON TABLE agency_check IS 'A MASH request to one agency for what it knows about the child, due by a deadline that follows from the contact''s priority. The agency sees the child and the question, not the whole file.';
SELECT hearth_scope_to_area('agency_check');
CREATE INDEX agency_check_open ON agency_check (area_id, agency_id, status, due_at);
CREATE INDEX agency_check_contact ON agency_check (contact_id);

CREATE TABLE information_share (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  person_id uuid NOT NULL REFERENCES person(id),
  contact_id uuid REFERENCES contact(id),
  agency_check_id uuid REFERENCES agency_check(id),
  from_agency_id uuid NOT NULL REFERENCES agency(id),
  to_agency_id uuid NOT NULL REFERENCES agency(id),
  consent text NOT NULL CHECK (consent IN ('given', 'refused', 'not_sought', 'not_possible')),
  lawful_basis text,
  justification text,
  decided_by uuid NOT NULL REFERENCES app_user(id),
  decided_at timestamptz NOT NULL DEFAULT now(),
  CHECK (consent = 'given' OR (lawful_basis IS NOT NULL AND justification IS NOT NULL AND length(trim(justification)) > 0))
);
COMMENT ON TABLE information_share IS 'Each sharing of a person''s information between agencies: consent, or the lawful basis and justification for sharing without it, and who decided.';
SELECT hearth_scope_to_area('information_share');
CREATE INDEX information_share_person ON information_share (person_id, decided_at DESC);

CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  area_id uuid NOT NULL REFERENCES area(id),
  topic text NOT NULL,
  dedupe_key text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  UNIQUE (area_id, topic, dedupe_key)
);
COMMENT ON TABLE outbox IS 'Durable queue of work to do after a transaction commits (deliver a notification, send an email). Claimed with FOR UPDATE SKIP LOCKED, retried with backoff, dead after too many failures and shown to administrators.';
COMMENT ON COLUMN outbox.dedupe_key IS 'Enqueuing the same work twice (a retried request) adds nothing.';
SELECT hearth_scope_to_area('outbox');
CREATE INDEX outbox_ready ON outbox (available_at) WHERE status = 'pending';

CREATE TABLE notification (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  kind text NOT NULL CHECK (kind IN ('operation_encompass', 'encompass_escalation', 'new_incident')),
  recipient_agency_id uuid NOT NULL REFERENCES agency(id),
  person_id uuid REFERENCES person(id),
  contact_id uuid REFERENCES contact(id),
  event_id uuid REFERENCES event(id),
  outbox_id bigint UNIQUE REFERENCES outbox(id),
  due_at timestamptz,
  content jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  emailed_at timestamptz,
  acknowledged_by uuid REFERENCES app_user(id),
  acknowledged_at timestamptz,
  support_note text,
  escalated_at timestamptz,
  version integer NOT NULL DEFAULT 1
);
COMMENT ON TABLE notification IS 'A message in an agency''s Hearth inbox, such as an Operation Encompass notification to a school''s designated safeguarding lead, with its acknowledgement and the support recorded.';
COMMENT ON COLUMN notification.content IS 'What the recipient may see, fixed when sent; never a confidential address.';
COMMENT ON COLUMN notification.outbox_id IS 'The outbox entry that delivered it: unique, so a redelivery after a crash adds nothing.';
SELECT hearth_scope_to_area('notification');
CREATE INDEX notification_inbox ON notification (area_id, recipient_agency_id, created_at DESC);
CREATE INDEX notification_unacknowledged ON notification (due_at) WHERE acknowledged_at IS NULL AND escalated_at IS NULL;
