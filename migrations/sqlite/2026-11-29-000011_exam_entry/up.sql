-- Entry modes of exams: the open link's token and the 6-digit access code (server-generated,
-- rotated by the console; NULL while the mode is off). An access code is unique among an
-- organisation's exams that are not closed, which the server checks when it generates one.
ALTER TABLE exams ADD COLUMN open_token TEXT;
ALTER TABLE exams ADD COLUMN access_code TEXT;
CREATE UNIQUE INDEX exams_open_token ON exams (open_token) WHERE open_token IS NOT NULL;
CREATE INDEX exams_access_code ON exams (org_id, access_code) WHERE access_code IS NOT NULL;

-- One active device per attempt: the portal session that last started or resumed it, and
-- whether the exam asked for one device when it did.
ALTER TABLE attempts ADD COLUMN session_id TEXT;
ALTER TABLE attempts ADD COLUMN single_device BOOLEAN NOT NULL DEFAULT FALSE;

-- What a person entering by open link or access code filled in. Every value is in
-- `values_enc` (AES-GCM of the JSON object, AAD exam_registrations/values_enc/id); the
-- identifying ones also have blind indexes, so a returning person is found again.
CREATE TABLE exam_registrations (
    id              TEXT PRIMARY KEY NOT NULL,
    org_id          TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    exam_id         TEXT NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    candidate_id    TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    values_enc      BLOB NOT NULL,
    name_bidx       BLOB NOT NULL,
    phone_bidx      BLOB,
    email_bidx      BLOB,
    id_number_bidx  BLOB,
    created_at      TEXT NOT NULL
);
CREATE INDEX exam_registrations_exam ON exam_registrations (org_id, exam_id, name_bidx);
