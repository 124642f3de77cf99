CREATE TABLE sessions_v1 (
    id              TEXT PRIMARY KEY NOT NULL,
    org_id          TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    last_used_at    TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    revoked_at      TEXT,
    revoke_reason   TEXT,
    device_enc      BLOB
);
INSERT INTO sessions_v1 SELECT id, org_id, principal_id, created_at, last_used_at, expires_at,
       revoked_at, revoke_reason, device_enc
FROM sessions WHERE principal_kind = 'user';
CREATE TABLE refresh_tokens_v1 (
    id          TEXT PRIMARY KEY NOT NULL,
    session_id  TEXT NOT NULL REFERENCES sessions_v1 (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    used_at     TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
INSERT INTO refresh_tokens_v1 SELECT r.id, r.session_id, r.token_hash, r.used_at, r.created_at,
       r.expires_at
FROM refresh_tokens r JOIN sessions_v1 s ON s.id = r.session_id;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
ALTER TABLE sessions_v1 RENAME TO sessions;
ALTER TABLE refresh_tokens_v1 RENAME TO refresh_tokens;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

DROP TABLE api_keys;
DROP TABLE candidate_group_members;
DROP TABLE candidate_groups;
DROP TABLE candidates;
DROP TABLE staff;
ALTER TABLE users DROP COLUMN scope_groups;
ALTER TABLE users DROP COLUMN permissions;
