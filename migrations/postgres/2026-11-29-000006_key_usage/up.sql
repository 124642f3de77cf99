-- How many values each encryption key has encrypted (AES-GCM with random 96-bit nonces must
-- stay far below 2^32 encryptions per key). Nodes add their counts periodically.
CREATE TABLE key_usage (
    key_id       integer PRIMARY KEY,
    encryptions  bigint NOT NULL,
    updated_at   timestamptz NOT NULL
);
