-- Roles and data scope of organisation users, platform staff, candidates and their groups,
-- API keys, and sessions that can belong to any kind of principal.
-- Personal data is stored only as AES-GCM ciphertext (*_enc); lookups use blind indexes (*_bidx).

-- Admins get per-module permissions (a JSON array of module names) and an optional data scope
-- (a JSON array of candidate group ids; NULL means every candidate). Owners have everything.
ALTER TABLE users ADD COLUMN permissions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN scope_groups TEXT;

-- Platform staff belong to no organisation. Created by the operator CLI.
CREATE TABLE staff (
    id                  TEXT PRIMARY KEY NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('support', 'finance', 'security')),
    login_account_enc   BLOB NOT NULL,
    login_account_bidx  BLOB NOT NULL UNIQUE,
    display_name_enc    BLOB,
    password_hash       TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    last_login_at       TEXT
);

-- Candidates of an organisation. Accounts, emails and phones are unique within the org only:
-- one person may be a candidate of several organisations.
CREATE TABLE candidates (
    id              TEXT PRIMARY KEY NOT NULL,
    org_id          TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    account_enc     BLOB NOT NULL,
    account_bidx    BLOB NOT NULL,
    name_enc        BLOB NOT NULL,
    email_enc       BLOB,
    email_bidx      BLOB,
    phone_enc       BLOB,
    phone_bidx      BLOB,
    id_number_enc   BLOB,
    password_hash   TEXT,
    status          TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    last_login_at   TEXT,
    UNIQUE (org_id, account_bidx),
    UNIQUE (org_id, email_bidx),
    UNIQUE (org_id, phone_bidx)
);
CREATE INDEX candidates_org_created ON candidates (org_id, created_at);

CREATE TABLE candidate_groups (
    id          TEXT PRIMARY KEY NOT NULL,
    org_id      TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE candidate_group_members (
    org_id        TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    group_id      TEXT NOT NULL REFERENCES candidate_groups (id) ON DELETE CASCADE,
    candidate_id  TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, candidate_id)
);
CREATE INDEX candidate_group_members_candidate ON candidate_group_members (candidate_id);

-- Integrators' keys: shown once, stored as SHA-256 of a 256-bit secret, found by prefix.
CREATE TABLE api_keys (
    id                     TEXT PRIMARY KEY NOT NULL,
    org_id                 TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name                   TEXT NOT NULL,
    prefix                 TEXT NOT NULL UNIQUE,
    secret_hash            TEXT NOT NULL,
    scopes                 TEXT NOT NULL,
    rate_limit_per_minute  INTEGER NOT NULL,
    expires_at             TEXT,
    revoked_at             TEXT,
    last_used_at           TEXT,
    created_by             TEXT,
    created_at             TEXT NOT NULL
);
CREATE INDEX api_keys_org ON api_keys (org_id, created_at);

-- Sessions of any principal: an organisation user, a candidate, or platform staff (no org).
-- SQLite cannot drop a foreign key, so sessions and refresh tokens are rebuilt.
CREATE TABLE sessions_v2 (
    id              TEXT PRIMARY KEY NOT NULL,
    org_id          TEXT REFERENCES orgs (id) ON DELETE CASCADE,
    principal_kind  TEXT NOT NULL CHECK (principal_kind IN ('user', 'candidate', 'staff')),
    principal_id    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    last_used_at    TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    revoked_at      TEXT,
    revoke_reason   TEXT,
    device_enc      BLOB
);
INSERT INTO sessions_v2 (id, org_id, principal_kind, principal_id, created_at, last_used_at,
                         expires_at, revoked_at, revoke_reason, device_enc)
SELECT id, org_id, 'user', user_id, created_at, last_used_at, expires_at, revoked_at,
       revoke_reason, device_enc
FROM sessions;

CREATE TABLE refresh_tokens_v2 (
    id          TEXT PRIMARY KEY NOT NULL,
    session_id  TEXT NOT NULL REFERENCES sessions_v2 (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    used_at     TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
INSERT INTO refresh_tokens_v2 SELECT id, session_id, token_hash, used_at, created_at, expires_at
FROM refresh_tokens;

DROP TABLE refresh_tokens;
DROP TABLE sessions;
ALTER TABLE sessions_v2 RENAME TO sessions;
ALTER TABLE refresh_tokens_v2 RENAME TO refresh_tokens;
CREATE INDEX sessions_principal ON sessions (principal_kind, principal_id);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
