-- The audit log: append-only, each entry chained to the previous one by SHA-256.
CREATE TABLE audit_log (
    seq          bigint PRIMARY KEY,
    id           uuid NOT NULL UNIQUE,
    occurred_at  timestamptz NOT NULL,
    org_id       uuid,
    actor_kind   text NOT NULL,
    actor_id     uuid,
    action       text NOT NULL,
    target_kind  text,
    target_id    text,
    outcome      text NOT NULL,
    request_id   text,
    -- JSON text, hashed exactly as stored (jsonb would reorder keys). Never personal data.
    details      text NOT NULL,
    -- AES-GCM ciphertext of the entry's personal data (IP address, user agent) as JSON, bound
    -- to this entry by its associated data. The chain commits to pii_state, not to the
    -- ciphertext, so the data can be re-encrypted (key rotation) or erased (retention).
    pii_enc      bytea,
    pii_state    text NOT NULL CHECK (pii_state IN ('none', 'encrypted')),
    prev_hash    text NOT NULL,
    hash         text NOT NULL
);
CREATE INDEX audit_log_org_time ON audit_log (org_id, occurred_at);

-- The head of the chain: one row, locked by every append so appends are serialised.
CREATE TABLE audit_chain_head (
    id        integer PRIMARY KEY CHECK (id = 1),
    last_seq  bigint NOT NULL,
    last_hash text NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only in the database too: entries cannot be deleted, and the only permitted update
-- changes the personal-data ciphertext (re-encryption under a new key, or erasure). Someone
-- able to drop this trigger can still tamper, and the hash chain then shows where.
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(NEW) - 'pii_enc') = (to_jsonb(OLD) - 'pii_enc') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_append_only
BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
