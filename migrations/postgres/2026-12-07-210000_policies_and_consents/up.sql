-- The privacy statement and the terms of service as versioned documents (platform-wide, not a
-- tenant's). A `major` version asks everyone who agreed to an earlier one to agree again at
-- their next sign-in. Published versions are never edited; a correction is a new version.
CREATE TABLE policy_versions (
    id            uuid PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('privacy', 'terms')),
    version       TEXT NOT NULL,
    major         BOOLEAN NOT NULL,
    effective_on  TEXT NOT NULL,
    summary_zh    TEXT NOT NULL,
    summary_en    TEXT NOT NULL,
    body_zh       TEXT NOT NULL,
    body_en       TEXT NOT NULL,
    published_at  timestamptz NOT NULL,
    published_by  uuid,
    UNIQUE (kind, version)
);
CREATE INDEX policy_versions_kind ON policy_versions (kind, published_at);

-- Consent records: who agreed (or withdrew) to what, which version, when and how. Append-only;
-- a person's latest record per purpose and context is their current choice. `org_id` is the
-- organisation the person belongs to (an org user or a candidate).
CREATE TABLE consents (
    id                 uuid PRIMARY KEY,
    org_id             uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    subject_kind       TEXT NOT NULL CHECK (subject_kind IN ('user', 'candidate')),
    subject_id         uuid NOT NULL,
    purpose            TEXT NOT NULL CHECK (purpose IN ('privacy', 'terms', 'device_details', 'exam_form')),
    policy_version_id  uuid REFERENCES policy_versions (id),
    context            TEXT,
    granted            BOOLEAN NOT NULL,
    method             TEXT NOT NULL CHECK (method IN ('registration', 'first_sign_in', 're_consent', 'exam_registration', 'privacy_page')),
    by_guardian        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         timestamptz NOT NULL
);
CREATE INDEX consents_subject ON consents (subject_kind, subject_id, purpose, created_at);
CREATE INDEX consents_org ON consents (org_id, created_at);
