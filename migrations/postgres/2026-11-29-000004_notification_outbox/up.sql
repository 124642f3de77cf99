-- The notification outbox: every email and SMS is queued here (in the transaction of the change
-- that causes it) and delivered by the outbox worker with retries, so a provider outage loses
-- nothing. The address and the content hold personal data and codes: AES-GCM ciphertext only,
-- bound to this table, the column and the row id.
CREATE TABLE notification_outbox (
    id               uuid PRIMARY KEY,
    org_id           uuid,
    channel          text NOT NULL CHECK (channel IN ('email', 'sms')),
    template         text NOT NULL,
    destination_enc  bytea NOT NULL,
    -- JSON {subject, body}, encrypted.
    content_enc      bytea NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    -- Delivery attempts started (counted when a worker claims the message).
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    -- While `sending`: until when the claiming worker owns it; after that another worker may
    -- take it over (the first one died).
    locked_until     timestamptz,
    -- Why the last attempt failed. Never personal data (no addresses, no server replies).
    last_error       text,
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz
);
CREATE INDEX notification_outbox_due ON notification_outbox (status, next_attempt_at);
CREATE INDEX notification_outbox_org ON notification_outbox (org_id, created_at);
