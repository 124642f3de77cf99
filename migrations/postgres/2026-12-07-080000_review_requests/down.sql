ALTER TABLE grading_items DROP COLUMN origin;
