-- Risk: the DASH risk checklist of each incident (answers by question number, score, threshold,
-- professional judgement that may raise but never lower), MARAC recommendations for adult
-- victims with their explanation, pattern flags for children and households with the events
-- that raised them and their acknowledgements, and the child's lived-experience summary.
-- The rules themselves live in src/risk (pure functions); these tables keep what they found.

CREATE TABLE dash_assessment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  event_id uuid NOT NULL REFERENCES event(id),
  victim_person_id uuid REFERENCES person(id),
  question_set text NOT NULL CHECK (question_set IN ('safelives_24', 'police_27')),
  answers jsonb NOT NULL,
  score integer NOT NULL CHECK (score BETWEEN 0 AND 27),
  threshold integer NOT NULL CHECK (threshold BETWEEN 1 AND 27),
  scored_level text NOT NULL CHECK (scored_level IN ('standard', 'medium', 'high')),
  level text NOT NULL CHECK (level IN ('standard', 'medium', 'high')),
  judgement_reason text,
  judged_by uuid REFERENCES app_user(id),
  judged_at timestamptz,
  assessed_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (event_id),
  -- Professional judgement may raise the level, never lower it, and is always explained.
  CHECK (array_position(ARRAY['standard', 'medium', 'high'], level) >= array_position(ARRAY['standard', 'medium', 'high'], scored_level)),
  CHECK (level = scored_level OR (judgement_reason IS NOT NULL AND length(trim(judgement_reason)) > 0 AND judged_by IS NOT NULL))
);
COMMENT ON TABLE dash_assessment IS 'The adult victim''s DASH risk checklist at one incident: answers by question number only (the wording is copyrighted), the score, the area''s high-risk threshold when assessed, and any professional judgement.';
COMMENT ON COLUMN dash_assessment.answers IS 'By question number as text: {"1": {"answer": "yes", "note": "..."}}; a question not asked has no entry.';
COMMENT ON COLUMN dash_assessment.threshold IS 'The area''s high-risk threshold (default 14 "yes") when the checklist was scored.';
COMMENT ON COLUMN dash_assessment.scored_level IS 'The level from the score alone; level is after professional judgement, which may only raise it.';
COMMENT ON COLUMN dash_assessment.assessed_at IS 'When the checklist was completed: the incident''s time for a checklist sent with a police notification.';
SELECT hearth_scope_to_area('dash_assessment');
CREATE INDEX dash_assessment_victim ON dash_assessment (victim_person_id, assessed_at DESC);

CREATE TABLE marac_recommendation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  victim_person_id uuid NOT NULL REFERENCES person(id),
  event_id uuid NOT NULL REFERENCES event(id),
  as_of date NOT NULL,
  recommended boolean NOT NULL,
  criteria jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, victim_person_id)
);
COMMENT ON TABLE marac_recommendation IS 'Whether an adult victim meets the MARAC referral criteria, judged when an incident arrives: each criterion (visible high risk, potential escalation, professional judgement, repeat) met or not, explained, with the incidents that counted.';
COMMENT ON COLUMN marac_recommendation.criteria IS '[{criterion, met, explanation, incidentIds}] as src/risk/marac.ts returns them.';
COMMENT ON COLUMN marac_recommendation.as_of IS 'The London date the criteria were judged at: the incident''s.';
SELECT hearth_scope_to_area('marac_recommendation');
CREATE INDEX marac_recommendation_victim ON marac_recommendation (victim_person_id, as_of DESC, computed_at DESC);

CREATE TABLE risk_flag (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  subject_kind text NOT NULL CHECK (subject_kind IN ('child', 'household')),
  person_id uuid REFERENCES person(id),
  household_id uuid REFERENCES household(id),
  kind text NOT NULL CHECK (kind IN ('escalation', 'repeat_incidents', 'recent_separation', 'pregnancy_or_baby', 'perpetrator_linked',
    'new_partner_history', 'breach', 'child_missing', 'school_absence_rising', 'ed_attendance')),
  explanation text NOT NULL,
  raised_by jsonb NOT NULL,
  person_ids uuid[] NOT NULL DEFAULT '{}',
  raised_at timestamptz NOT NULL,
  raised_on_event_id uuid REFERENCES event(id),
  updated_at timestamptz NOT NULL,
  cleared_at timestamptz,
  acknowledged_by uuid REFERENCES app_user(id),
  acknowledged_at timestamptz,
  acknowledgement_note text,
  version integer NOT NULL DEFAULT 1,
  CHECK ((subject_kind = 'child') = (person_id IS NOT NULL)),
  CHECK ((subject_kind = 'household') = (household_id IS NOT NULL)),
  CHECK (acknowledged_at IS NULL OR (acknowledged_by IS NOT NULL AND length(trim(coalesce(acknowledgement_note, ''))) > 0))
);
COMMENT ON TABLE risk_flag IS 'A cross-agency pattern flag on a child or a household, recomputed whenever an event arrives. Never deleted: a flag no longer raised is cleared, an acknowledged one keeps who acknowledged it and why, and new events raise a new flag.';
COMMENT ON COLUMN risk_flag.raised_by IS 'What raised it, oldest first: [{"eventId": ..., "date": "YYYY-MM-DD"}] or, for a partner relationship recorded, [{"relationshipId": ..., "date": ...}].';
COMMENT ON COLUMN risk_flag.person_ids IS 'The people the flag is about: the baby, the alleged perpetrator, the new partner, the child who went missing.';
COMMENT ON COLUMN risk_flag.raised_on_event_id IS 'The event whose arrival raised it (null when raised by a bulk computation such as the demo seed).';
COMMENT ON COLUMN risk_flag.cleared_at IS 'When a recomputation no longer raised it, or new events raised it again after it was acknowledged.';
SELECT hearth_scope_to_area('risk_flag');
-- Not unique: a merge of two children may bring two open flags of a kind together, and the next
-- recomputation (serialised per child and household by an advisory lock) keeps one.
CREATE INDEX risk_flag_person ON risk_flag (person_id, kind) WHERE person_id IS NOT NULL;
CREATE INDEX risk_flag_household ON risk_flag (household_id, kind) WHERE household_id IS NOT NULL;
CREATE INDEX risk_flag_about ON risk_flag USING gin (person_ids);

CREATE TABLE lived_experience (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  person_id uuid NOT NULL REFERENCES person(id),
  supersedes uuid UNIQUE REFERENCES lived_experience(id),
  summary text NOT NULL CHECK (length(trim(summary)) > 0),
  child_words text,
  written_by uuid NOT NULL REFERENCES app_user(id),
  written_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE lived_experience IS 'A short summary of a child''s daily life written from the child''s point of view, kept up to date by the practitioner. Each edit is a new row superseding the one its writer saw; the latest is current and earlier ones stay.';
COMMENT ON COLUMN lived_experience.child_words IS 'The child''s own words, exactly as given, quoted on the child''s page.';
COMMENT ON COLUMN lived_experience.supersedes IS 'The summary this one replaced: unique, so two people editing the same summary at once cannot both replace it.';
SELECT hearth_scope_to_area('lived_experience');
CREATE INDEX lived_experience_person ON lived_experience (person_id, written_at DESC);
