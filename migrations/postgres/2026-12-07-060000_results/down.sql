DROP INDEX attempts_exam_status;
ALTER TABLE attempts DROP COLUMN result_notified_at;
