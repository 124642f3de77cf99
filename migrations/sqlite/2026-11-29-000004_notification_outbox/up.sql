-- The notification outbox (see the PostgreSQL migration for the meaning of each column).
-- Instants are canonical RFC 3339 text, so text order is time order.
CREATE TABLE notification_outbox (
    id               TEXT PRIMARY KEY NOT NULL,
    org_id           TEXT,
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    template         TEXT NOT NULL,
    destination_enc  BLOB NOT NULL,
    content_enc      BLOB NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    locked_until     TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX notification_outbox_due ON notification_outbox (status, next_attempt_at);
CREATE INDEX notification_outbox_org ON notification_outbox (org_id, created_at);
