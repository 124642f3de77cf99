-- How many values each encryption key has encrypted (AES-GCM with random 96-bit nonces must
-- stay far below 2^32 encryptions per key). Nodes add their counts periodically.
CREATE TABLE key_usage (
    key_id       INTEGER PRIMARY KEY NOT NULL,
    encryptions  BIGINT NOT NULL,
    updated_at   TEXT NOT NULL
);
