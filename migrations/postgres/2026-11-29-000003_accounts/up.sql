-- Organisations, their admin accounts, sessions, verification codes and login attempts.
-- Personal data (emails, phones, login accounts, names, IPs, user agents) is stored only as
-- AES-GCM ciphertext (*_enc); lookups use keyed blind indexes (*_bidx).

CREATE TABLE orgs (
    id                  uuid PRIMARY KEY,
    slug                text NOT NULL UNIQUE,
    name                text NOT NULL,
    candidate_app_name  text,
    logo_path           text,
    status              text NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

CREATE TABLE users (
    id                  uuid PRIMARY KEY,
    org_id              uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    role                text NOT NULL CHECK (role IN ('owner', 'admin', 'grader')),
    login_account_enc   bytea,
    login_account_bidx  bytea UNIQUE,
    email_enc           bytea,
    email_bidx          bytea UNIQUE,
    phone_enc           bytea,
    phone_bidx          bytea UNIQUE,
    display_name_enc    bytea,
    password_hash       text NOT NULL,
    status              text NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    last_login_at       timestamptz
);
CREATE INDEX users_org ON users (org_id);

-- A session is one signed-in device: a family of refresh tokens.
CREATE TABLE sessions (
    id              uuid PRIMARY KEY,
    org_id          uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL,
    last_used_at    timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoke_reason   text,
    device_enc      bytea
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    token_hash  text NOT NULL UNIQUE,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Every request for a code is recorded (also when nothing is sent), so the limits behave the
-- same for registered and unregistered destinations.
CREATE TABLE verification_codes (
    id                uuid PRIMARY KEY,
    purpose           text NOT NULL CHECK (purpose IN ('register', 'login', 'recover', 'bind')),
    destination_bidx  bytea NOT NULL,
    ip_bidx           bytea,
    code_hash         text,
    attempts          integer NOT NULL DEFAULT 0,
    expires_at        timestamptz NOT NULL,
    consumed_at       timestamptz,
    created_at        timestamptz NOT NULL
);
CREATE INDEX verification_codes_destination ON verification_codes (destination_bidx, created_at);
CREATE INDEX verification_codes_ip ON verification_codes (ip_bidx, created_at);

-- Failed and successful logins per identifier and per client, for throttling.
CREATE TABLE login_attempts (
    id               uuid PRIMARY KEY,
    identifier_bidx  bytea NOT NULL,
    ip_bidx          bytea,
    succeeded        boolean NOT NULL,
    created_at       timestamptz NOT NULL
);
CREATE INDEX login_attempts_identifier ON login_attempts (identifier_bidx, created_at);
CREATE INDEX login_attempts_ip ON login_attempts (ip_bidx, created_at);
