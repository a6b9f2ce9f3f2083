-- An arrival whose closest match was born more than a year apart (and not by a keying slip), with
-- no identifier in common, is not linked however strong the names: a reviewer is asked.
ALTER TABLE identity_review DROP CONSTRAINT identity_review_cause_check;
ALTER TABLE identity_review ADD CONSTRAINT identity_review_cause_check
  CHECK (cause IN ('uncertain', 'different_nhs_numbers', 'different_dates_of_birth', 'evidence_against', 'named_apart', 'updated_record'));
COMMENT ON COLUMN identity_review.cause IS 'uncertain: probability in the review band; different_nhs_numbers / different_dates_of_birth / evidence_against / named_apart: above the automatic threshold but hard evidence is against (different valid NHS numbers, dates of birth more than a year apart with no identifier in common, a record of the person strongly unlike this one, or named as a different person in the same notification); updated_record: a linked record changed and now matches another person.';
