-- Identity resolution: the registry the linker works on (each agency record's blocking keys and
-- the features it compares), the area's estimated linkage model, the review queue of uncertain
-- matches with its decisions, and the history of merges and splits of people.
--
-- How it is used: src/identity/resolve.ts links an agency record on arrival (one indexed look-up
-- of candidates by blocking key, scored with the area's model); src/identity/review.ts and
-- merge.ts record what people decide.

ALTER TABLE agency_record ADD COLUMN expected_date_of_birth date;
COMMENT ON COLUMN agency_record.expected_date_of_birth IS 'For an unborn child (a maternity record): the expected date of delivery, as the agency holds it.';

------------------------------------------------------------------------------------------------
-- The registry

CREATE TABLE identity_features (
  agency_record_id uuid PRIMARY KEY REFERENCES agency_record(id),
  area_id uuid NOT NULL REFERENCES area(id),
  features jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE identity_features IS 'What the linker compares for each agency record: names and aliases, date of birth (or expected date), sex, NHS number, every postcode and the latest address line, school, phone and email, as the fields of a linkage RawRecord (src/linkage/types.ts). Kept beside the record so candidates are scored without re-reading addresses.';
COMMENT ON COLUMN identity_features.features IS 'Holds the postcodes of sealed addresses too, because a victim''s records must still link after a move to a refuge. Read only by identity resolution, never shown to anyone.';
SELECT hearth_scope_to_area('identity_features');

-- One row per key. No foreign keys: the rows are derived from identity_features, written and
-- replaced with it in the same statement, and ten referential checks per arriving record would
-- cost more than the whole look-up.
CREATE TABLE identity_key (
  area_id uuid NOT NULL,
  key text NOT NULL,
  agency_record_id uuid NOT NULL,
  PRIMARY KEY (area_id, key, agency_record_id)
);
COMMENT ON TABLE identity_key IS 'The blocking keys of each agency record ("dob:20150303", "names:dean|evie", "postcode_initial:NB12AB|e"): an arriving record finds its candidates with one index look-up of its own keys.';
COMMENT ON COLUMN identity_key.key IS 'Rule name and value, as src/linkage blockingKeys makes them. Keys derived from addresses (postcode_initial) may come from sealed addresses: never used to find people in a search.';
SELECT hearth_scope_to_area('identity_key');

CREATE TABLE identity_model (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  model jsonb NOT NULL,
  source text NOT NULL CHECK (source IN ('estimated', 'starter')),
  record_count integer NOT NULL CHECK (record_count >= 0),
  estimated_at timestamptz NOT NULL DEFAULT now(),
  estimated_by uuid REFERENCES app_user(id),
  active boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE identity_model IS 'The area''s Fellegi-Sunter linkage model (m and u per comparison level, the prior, name frequencies), estimated from the area''s own records without labels. Earlier models are kept, inactive, as history.';
COMMENT ON COLUMN identity_model.source IS 'estimated: from this area''s records; starter: the model shipped with Hearth (estimated on generated records), used while an area has too few records to estimate its own.';
COMMENT ON COLUMN identity_model.record_count IS 'How many agency records the model was estimated from.';
COMMENT ON COLUMN identity_model.estimated_by IS 'Who ran the estimation; empty when it ran by itself (the first arrival in an area, or seeding).';
SELECT hearth_scope_to_area('identity_model');
CREATE UNIQUE INDEX identity_model_active ON identity_model (area_id) WHERE active;

------------------------------------------------------------------------------------------------
-- The review queue

CREATE TABLE identity_review (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  agency_record_id uuid NOT NULL REFERENCES agency_record(id),
  candidate_person_id uuid NOT NULL REFERENCES person(id),
  candidate_record_id uuid NOT NULL REFERENCES agency_record(id),
  match_probability double precision NOT NULL CHECK (match_probability BETWEEN 0 AND 1),
  evidence jsonb NOT NULL,
  cause text NOT NULL CHECK (cause IN ('uncertain', 'different_nhs_numbers', 'evidence_against', 'named_apart', 'updated_record')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  decision text CHECK (decision IN ('same', 'different', 'not_sure')),
  decision_reason text,
  decided_by uuid REFERENCES app_user(id),
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (agency_record_id <> candidate_record_id),
  CHECK (status = 'open' OR decision IN ('same', 'different')),
  CHECK ((decision IS NULL) = (decided_by IS NULL) AND (decision IS NULL) = (decided_at IS NULL)),
  CHECK (decision NOT IN ('same', 'different') OR length(trim(decision_reason)) > 0)
);
COMMENT ON TABLE identity_review IS 'An uncertain match for a person to decide: an agency record (already given a person of its own) and the person it may belong to, with the probability and the evidence, and the decision.';
COMMENT ON COLUMN identity_review.agency_record_id IS 'The record that arrived (or changed) and may be the candidate person.';
COMMENT ON COLUMN identity_review.candidate_person_id IS 'The person it may be, when proposed; reads follow person.merged_into.';
COMMENT ON COLUMN identity_review.candidate_record_id IS 'The candidate person''s record it matched best: the pair the evidence is about, and the pair a "different people" decision keeps apart for good.';
COMMENT ON COLUMN identity_review.evidence IS 'The explanation of the score (Scorer.explain): each comparison''s level and weight in bits, and the prior.';
COMMENT ON COLUMN identity_review.cause IS 'uncertain: probability in the review band; different_nhs_numbers / evidence_against / named_apart: above the automatic threshold but hard evidence is against (different valid NHS numbers, a record of the person strongly unlike this one, or named as a different person in the same notification); updated_record: a linked record changed and now matches another person.';
COMMENT ON COLUMN identity_review.status IS 'open until decided same or different; "not sure" keeps it open, with the note, for someone else to look at.';
SELECT hearth_scope_to_area('identity_review');
CREATE INDEX identity_review_open ON identity_review (area_id, created_at) WHERE status = 'open';
CREATE INDEX identity_review_record ON identity_review (agency_record_id);
CREATE INDEX identity_review_candidate_record ON identity_review (candidate_record_id);

CREATE TABLE identity_review_decision (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  review_id uuid NOT NULL REFERENCES identity_review(id),
  decision text NOT NULL CHECK (decision IN ('same', 'different', 'not_sure')),
  reason text,
  decided_by uuid NOT NULL REFERENCES app_user(id),
  decided_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE identity_review_decision IS 'Every decision taken on a review, "not sure" notes included, oldest first: the review row holds only the latest.';
SELECT hearth_scope_to_area('identity_review_decision');
CREATE INDEX identity_review_decision_review ON identity_review_decision (review_id, decided_at);

------------------------------------------------------------------------------------------------
-- Merges and splits

CREATE TABLE person_merge (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  kept_person_id uuid NOT NULL REFERENCES person(id),
  merged_person_id uuid NOT NULL REFERENCES person(id),
  review_id uuid REFERENCES identity_review(id),
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  merged_by uuid NOT NULL REFERENCES app_user(id),
  merged_at timestamptz NOT NULL DEFAULT now(),
  agency_record_ids uuid[] NOT NULL,
  moved jsonb NOT NULL,
  undone_at timestamptz,
  undone_by uuid REFERENCES app_user(id),
  undo_reason text,
  CHECK (kept_person_id <> merged_person_id),
  CHECK ((undone_at IS NULL) = (undone_by IS NULL) AND (undone_at IS NULL) = (undo_reason IS NULL))
);
COMMENT ON TABLE person_merge IS 'One person merged into another: by whom, why and when (and from which review), and when it was undone and by whom.';
COMMENT ON COLUMN person_merge.agency_record_ids IS 'The agency records the merged person brought: splitting exactly these off again undoes the merge.';
COMMENT ON COLUMN person_merge.moved IS 'The rows re-pointed from the merged person to the kept one, by table and column ({"household_member.person_id": [ids]}), so an undo moves back exactly those.';
SELECT hearth_scope_to_area('person_merge');
CREATE INDEX person_merge_kept ON person_merge (kept_person_id, merged_at DESC);
CREATE INDEX person_merge_merged ON person_merge (merged_person_id);

CREATE TABLE person_split (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES area(id),
  from_person_id uuid NOT NULL REFERENCES person(id),
  to_person_id uuid NOT NULL REFERENCES person(id),
  agency_record_ids uuid[] NOT NULL CHECK (cardinality(agency_record_ids) > 0),
  undoes_merge_id uuid REFERENCES person_merge(id),
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  split_by uuid NOT NULL REFERENCES app_user(id),
  split_at timestamptz NOT NULL DEFAULT now(),
  CHECK (from_person_id <> to_person_id)
);
COMMENT ON TABLE person_split IS 'Agency records split off a person into another (unmerge): which records, by whom, why and when. Addresses, events and relationships went with the records they came from.';
COMMENT ON COLUMN person_split.to_person_id IS 'A new person, or the merged person brought back when the split undoes a merge.';
COMMENT ON COLUMN person_split.undoes_merge_id IS 'The merge this split undid, when the records split off were exactly those it brought.';
SELECT hearth_scope_to_area('person_split');
CREATE INDEX person_split_from ON person_split (from_person_id, split_at DESC);
CREATE INDEX person_split_to ON person_split (to_person_id);

-- Merges re-point a person's rows by person id; these tables had no index to find them by.
CREATE INDEX information_share_contact ON information_share (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX notification_person ON notification (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX event_person_record ON event_person (agency_record_id) WHERE agency_record_id IS NOT NULL;
CREATE INDEX relationship_source_event ON relationship (source_event_id) WHERE source_event_id IS NOT NULL;
