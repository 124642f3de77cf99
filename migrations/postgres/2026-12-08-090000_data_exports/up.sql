-- A person's exports of their own data (privacy statement 5.1): a ZIP built by the
-- `data_export` job, stored under `storage_key`, downloadable once by its owner until
-- `expires_at`; the file is deleted at download or expiry, the record by retention.
CREATE TABLE data_exports (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('user', 'candidate')),
    subject_id     uuid NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'downloaded', 'expired', 'failed')),
    storage_key    TEXT,
    size_bytes     BIGINT,
    requested_at   timestamptz NOT NULL,
    ready_at       timestamptz,
    expires_at     timestamptz,
    downloaded_at  timestamptz
);
CREATE INDEX data_exports_subject ON data_exports (subject_kind, subject_id, requested_at);
CREATE INDEX data_exports_org ON data_exports (org_id);
