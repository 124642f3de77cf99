ALTER TABLE orgs DROP COLUMN cancelled_at;
ALTER TABLE orgs DROP COLUMN cancel_effective_at;
ALTER TABLE orgs DROP COLUMN cancel_requested_at;
