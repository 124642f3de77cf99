DROP TABLE exam_registrations;
ALTER TABLE attempts DROP COLUMN single_device;
ALTER TABLE attempts DROP COLUMN session_id;
DROP INDEX exams_access_code;
DROP INDEX exams_open_token;
ALTER TABLE exams DROP COLUMN access_code;
ALTER TABLE exams DROP COLUMN open_token;
