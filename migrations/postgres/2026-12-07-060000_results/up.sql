-- When the candidate's "result released" notice was queued for this attempt (sent once).
ALTER TABLE attempts ADD COLUMN result_notified_at timestamptz;
-- The results table reads an exam's finished attempts.
CREATE INDEX attempts_exam_status ON attempts (exam_id, status);
