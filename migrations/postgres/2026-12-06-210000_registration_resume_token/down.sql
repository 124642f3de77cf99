ALTER TABLE exam_registrations DROP COLUMN resume_token_hash;
