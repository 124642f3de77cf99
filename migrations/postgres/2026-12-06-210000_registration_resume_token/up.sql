-- A returning registrant proves who they are before they are signed in as an earlier
-- registration's candidate: with the resume token their first registration answered (kept
-- only as a keyed hash bound to this row, i.e. to the exam and the candidate) or with a code
-- sent to the contact they registered. NULL for registrations made before tokens existed.
ALTER TABLE exam_registrations ADD COLUMN resume_token_hash bytea;
