-- Images, audio and video that question text refers to (`/api/attachments/<id>`). The bytes
-- live in storage under `storage_key`; the type was checked by content when uploaded.
CREATE TABLE attachments (
    id           TEXT PRIMARY KEY NOT NULL,
    org_id       TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    bank_id      TEXT NOT NULL REFERENCES question_banks (id) ON DELETE CASCADE,
    mime         TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    storage_key  TEXT NOT NULL,
    created_by   TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX attachments_bank ON attachments (org_id, bank_id);
