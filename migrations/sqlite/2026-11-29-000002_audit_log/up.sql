-- The audit log: append-only, each entry chained to the previous one by SHA-256.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY NOT NULL,
    id           TEXT NOT NULL UNIQUE,
    occurred_at  TEXT NOT NULL,
    org_id       TEXT,
    actor_kind   TEXT NOT NULL,
    actor_id     TEXT,
    action       TEXT NOT NULL,
    target_kind  TEXT,
    target_id    TEXT,
    outcome      TEXT NOT NULL,
    request_id   TEXT,
    details      TEXT NOT NULL,
    pii_enc      BLOB,
    pii_state    TEXT NOT NULL CHECK (pii_state IN ('none', 'encrypted')),
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_org_time ON audit_log (org_id, occurred_at);

CREATE TABLE audit_chain_head (
    id        INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    last_seq  INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only in the database too: entries cannot be deleted, and the only permitted update
-- changes the personal-data ciphertext (re-encryption under a new key, or erasure).
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (NEW.seq IS OLD.seq AND NEW.id IS OLD.id AND NEW.occurred_at IS OLD.occurred_at AND NEW.org_id IS OLD.org_id AND NEW.actor_kind IS OLD.actor_kind AND NEW.actor_id IS OLD.actor_id AND NEW.action IS OLD.action AND NEW.target_kind IS OLD.target_kind AND NEW.target_id IS OLD.target_id AND NEW.outcome IS OLD.outcome AND NEW.request_id IS OLD.request_id AND NEW.details IS OLD.details AND NEW.pii_state IS OLD.pii_state AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
