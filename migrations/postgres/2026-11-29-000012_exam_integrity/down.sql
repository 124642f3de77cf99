DROP TABLE attempt_events;
ALTER TABLE attempts DROP COLUMN last_ip_enc;
ALTER TABLE attempts DROP COLUMN last_activity_at;
ALTER TABLE attempts DROP COLUMN submitted_reason;
