-- Organisations, their admin accounts, sessions, verification codes and login attempts.
-- Personal data (emails, phones, login accounts, names, IPs, user agents) is stored only as
-- AES-GCM ciphertext (*_enc); lookups use keyed blind indexes (*_bidx).

CREATE TABLE orgs (
    id                  TEXT PRIMARY KEY NOT NULL,
    slug                TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    candidate_app_name  TEXT,
    logo_path           TEXT,
    status              TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY NOT NULL,
    org_id              TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    role                TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'grader')),
    login_account_enc   BLOB,
    login_account_bidx  BLOB UNIQUE,
    email_enc           BLOB,
    email_bidx          BLOB UNIQUE,
    phone_enc           BLOB,
    phone_bidx          BLOB UNIQUE,
    display_name_enc    BLOB,
    password_hash       TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    last_login_at       TEXT
);
CREATE INDEX users_org ON users (org_id);

-- A session is one signed-in device: a family of refresh tokens.
CREATE TABLE sessions (
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
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    used_at     TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Every request for a code is recorded (also when nothing is sent), so the limits behave the
-- same for registered and unregistered destinations.
CREATE TABLE verification_codes (
    id                TEXT PRIMARY KEY NOT NULL,
    purpose           TEXT NOT NULL CHECK (purpose IN ('register', 'login', 'recover', 'bind')),
    destination_bidx  BLOB NOT NULL,
    ip_bidx           BLOB,
    code_hash         TEXT,
    attempts          INTEGER NOT NULL DEFAULT 0,
    expires_at        TEXT NOT NULL,
    consumed_at       TEXT,
    created_at        TEXT NOT NULL
);
CREATE INDEX verification_codes_destination ON verification_codes (destination_bidx, created_at);
CREATE INDEX verification_codes_ip ON verification_codes (ip_bidx, created_at);

-- Failed and successful logins per identifier and per client, for throttling.
CREATE TABLE login_attempts (
    id               TEXT PRIMARY KEY NOT NULL,
    identifier_bidx  BLOB NOT NULL,
    ip_bidx          BLOB,
    succeeded        BOOLEAN NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX login_attempts_identifier ON login_attempts (identifier_bidx, created_at);
CREATE INDEX login_attempts_ip ON login_attempts (ip_bidx, created_at);
