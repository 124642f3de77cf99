-- Images, audio and video that question text refers to (`/api/attachments/<id>`). The bytes
-- live in storage under `storage_key`; the type was checked by content when uploaded.
CREATE TABLE attachments (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    bank_id      uuid NOT NULL REFERENCES question_banks (id) ON DELETE CASCADE,
    mime         text NOT NULL,
    size_bytes   bigint NOT NULL,
    storage_key  text NOT NULL,
    created_by   uuid,
    created_at   timestamptz NOT NULL
);
CREATE INDEX attachments_bank ON attachments (org_id, bank_id);
