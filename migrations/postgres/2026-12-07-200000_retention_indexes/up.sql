-- Retention (backend/src/privacy/retention.rs) finds the rows past their end of life by these
-- columns, a batch at a time; without them every batch would scan its whole table. The
-- partial ones cover only rows that still hold what retention removes.
CREATE INDEX verification_codes_expires ON verification_codes (expires_at);
CREATE INDEX login_attempts_created ON login_attempts (created_at);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX sessions_device_last_used ON sessions (last_used_at) WHERE device_enc IS NOT NULL;
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
CREATE INDEX notification_outbox_finished ON notification_outbox (created_at)
    WHERE status IN ('sent', 'failed');
CREATE INDEX attempt_events_ip ON attempt_events (occurred_at) WHERE ip_enc IS NOT NULL;
CREATE INDEX attempts_last_ip ON attempts (submitted_at) WHERE last_ip_enc IS NOT NULL;
CREATE INDEX audit_log_pii ON audit_log (occurred_at) WHERE pii_enc IS NOT NULL;
CREATE INDEX jobs_done ON jobs (done_at) WHERE done_at IS NOT NULL;
