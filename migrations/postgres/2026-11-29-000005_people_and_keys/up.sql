-- Roles and data scope of organisation users, platform staff, candidates and their groups,
-- API keys, and sessions that can belong to any kind of principal.
-- Personal data is stored only as AES-GCM ciphertext (*_enc); lookups use blind indexes (*_bidx).

-- Admins get per-module permissions (a JSON array of module names) and an optional data scope
-- (a JSON array of candidate group ids; NULL means every candidate). Owners have everything.
ALTER TABLE users ADD COLUMN permissions text NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN scope_groups text;

-- Platform staff belong to no organisation. Created by the operator CLI.
CREATE TABLE staff (
    id                  uuid PRIMARY KEY,
    role                text NOT NULL CHECK (role IN ('support', 'finance', 'security')),
    login_account_enc   bytea NOT NULL,
    login_account_bidx  bytea NOT NULL UNIQUE,
    display_name_enc    bytea,
    password_hash       text NOT NULL,
    status              text NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    last_login_at       timestamptz
);

-- Candidates of an organisation. Accounts, emails and phones are unique within the org only:
-- one person may be a candidate of several organisations.
CREATE TABLE candidates (
    id              uuid PRIMARY KEY,
    org_id          uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    account_enc     bytea NOT NULL,
    account_bidx    bytea NOT NULL,
    name_enc        bytea NOT NULL,
    email_enc       bytea,
    email_bidx      bytea,
    phone_enc       bytea,
    phone_bidx      bytea,
    id_number_enc   bytea,
    password_hash   text,
    status          text NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    last_login_at   timestamptz,
    UNIQUE (org_id, account_bidx),
    UNIQUE (org_id, email_bidx),
    UNIQUE (org_id, phone_bidx)
);
CREATE INDEX candidates_org_created ON candidates (org_id, created_at);

CREATE TABLE candidate_groups (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE candidate_group_members (
    org_id        uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    group_id      uuid NOT NULL REFERENCES candidate_groups (id) ON DELETE CASCADE,
    candidate_id  uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, candidate_id)
);
CREATE INDEX candidate_group_members_candidate ON candidate_group_members (candidate_id);

-- Integrators' keys: shown once, stored as SHA-256 of a 256-bit secret, found by prefix.
CREATE TABLE api_keys (
    id                     uuid PRIMARY KEY,
    org_id                 uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name                   text NOT NULL,
    prefix                 text NOT NULL UNIQUE,
    secret_hash            text NOT NULL,
    scopes                 text NOT NULL,
    rate_limit_per_minute  integer NOT NULL,
    expires_at             timestamptz,
    revoked_at             timestamptz,
    last_used_at           timestamptz,
    created_by             uuid,
    created_at             timestamptz NOT NULL
);
CREATE INDEX api_keys_org ON api_keys (org_id, created_at);

-- Sessions of any principal: an organisation user, a candidate, or platform staff (no org).
ALTER TABLE sessions DROP CONSTRAINT sessions_user_id_fkey;
ALTER TABLE sessions RENAME COLUMN user_id TO principal_id;
ALTER TABLE sessions ADD COLUMN principal_kind text NOT NULL DEFAULT 'user'
    CHECK (principal_kind IN ('user', 'candidate', 'staff'));
ALTER TABLE sessions ALTER COLUMN principal_kind DROP DEFAULT;
ALTER TABLE sessions ALTER COLUMN org_id DROP NOT NULL;
DROP INDEX sessions_user;
CREATE INDEX sessions_principal ON sessions (principal_kind, principal_id);
