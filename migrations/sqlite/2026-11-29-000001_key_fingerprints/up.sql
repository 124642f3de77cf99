-- Fingerprints (never the keys) of the keys the stored data depends on.
CREATE TABLE key_fingerprints (
    id          TEXT PRIMARY KEY NOT NULL,
    purpose     TEXT NOT NULL CHECK (purpose IN ('encryption', 'blind_index', 'token_signing')),
    key_id      INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (purpose, key_id)
);
