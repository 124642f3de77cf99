-- Fingerprints (never the keys) of the keys the stored data depends on.
CREATE TABLE key_fingerprints (
    id          uuid PRIMARY KEY,
    purpose     text NOT NULL CHECK (purpose IN ('encryption', 'blind_index', 'token_signing')),
    key_id      integer NOT NULL,
    fingerprint text NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (purpose, key_id)
);
