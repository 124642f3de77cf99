-- Cancelling an organisation (privacy statement 5.3, 4.2.3): the owner's request starts a
-- grace period ending at `cancel_effective_at` (undo clears both); then the `org_cancellation`
-- job deletes or anonymises everything personal of the organisation and records
-- `cancelled_at`. The row stays, disabled and nameless, for what accounting must keep.
ALTER TABLE orgs ADD COLUMN cancel_requested_at timestamptz;
ALTER TABLE orgs ADD COLUMN cancel_effective_at timestamptz;
ALTER TABLE orgs ADD COLUMN cancelled_at timestamptz;
