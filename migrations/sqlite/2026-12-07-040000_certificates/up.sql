-- Certificates. A template is an organisation's design (title, body with placeholders,
-- orientation, how the public page shows the holder's name). A certificate is issued from a
-- template for one graded attempt: the holder's name (encrypted, AAD certificates/
-- holder_name_enc/<id>), the exam's name and the score are copied at issue, so later edits
-- change no issued certificate. `number` is the public, unguessable verification number.
CREATE TABLE certificate_templates (
    id            TEXT PRIMARY KEY NOT NULL,
    org_id        TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    orientation   TEXT NOT NULL CHECK (orientation IN ('landscape', 'portrait')),
    name_display  TEXT NOT NULL CHECK (name_display IN ('full', 'masked')),
    status        TEXT NOT NULL CHECK (status IN ('active', 'deleted')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX certificate_templates_org ON certificate_templates (org_id, name);

CREATE TABLE certificates (
    id               TEXT PRIMARY KEY NOT NULL,
    org_id           TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    number           TEXT NOT NULL UNIQUE,
    template_id      TEXT NOT NULL REFERENCES certificate_templates (id),
    exam_id          TEXT NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    attempt_id       TEXT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    candidate_id     TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    holder_name_enc  BLOB NOT NULL,
    exam_name        TEXT NOT NULL,
    score_centi      INTEGER NOT NULL,
    max_score_centi  INTEGER NOT NULL,
    issued_at        TEXT NOT NULL,
    issued_by        TEXT,
    revoked_at       TEXT,
    revoke_reason    TEXT
);
CREATE INDEX certificates_exam ON certificates (org_id, exam_id, issued_at);
CREATE INDEX certificates_candidate ON certificates (org_id, candidate_id, issued_at);
-- At most one valid certificate per attempt.
CREATE UNIQUE INDEX certificates_valid_attempt ON certificates (attempt_id) WHERE revoked_at IS NULL;
