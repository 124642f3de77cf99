-- Exams: a paper given to assigned candidates within a time window. `settings` is the exam's
-- configuration as saved (JSON: duration, late entry, attempts, scoring, pass mark, negative
-- marking, release and review policies); the window is kept in columns for queries.
CREATE TABLE exams (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    paper_id    uuid NOT NULL REFERENCES papers (id),
    name        TEXT NOT NULL,
    settings    TEXT NOT NULL,
    opens_at    timestamptz NOT NULL,
    closes_at   timestamptz NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('active', 'deleted')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX exams_org ON exams (org_id, opens_at);

-- A candidate assigned to an exam, with their accommodations.
CREATE TABLE exam_assignments (
    id              uuid PRIMARY KEY,
    org_id          uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    exam_id         uuid NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    candidate_id    uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    group_id        uuid,
    extra_minutes   INTEGER NOT NULL DEFAULT 0,
    extra_percent   INTEGER NOT NULL DEFAULT 0,
    extra_attempts  INTEGER NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    UNIQUE (exam_id, candidate_id)
);
CREATE INDEX exam_assignments_candidate ON exam_assignments (org_id, candidate_id);

-- One attempt of a candidate at an exam, on their pre-generated paper (`arrangement` is
-- copied from it so the attempt never changes when papers are generated again).
-- At most one attempt per candidate and exam is in progress (partial unique index).
CREATE TABLE attempts (
    id                    uuid PRIMARY KEY,
    org_id                uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    exam_id               uuid NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    candidate_id          uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    number                INTEGER NOT NULL,
    seed                  TEXT NOT NULL,
    arrangement           TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('in_progress', 'submitted', 'graded')),
    started_at            timestamptz NOT NULL,
    deadline              timestamptz NOT NULL,
    submitted_at          timestamptz,
    auto_submitted        BOOLEAN NOT NULL DEFAULT FALSE,
    receipt               TEXT,
    score_centi           INTEGER,
    max_score_centi       INTEGER NOT NULL,
    needs_manual_grading  BOOLEAN NOT NULL DEFAULT FALSE,
    grading               TEXT,
    UNIQUE (exam_id, candidate_id, number)
);
CREATE UNIQUE INDEX attempts_one_running ON attempts (exam_id, candidate_id)
    WHERE status = 'in_progress';
CREATE INDEX attempts_candidate ON attempts (org_id, candidate_id);

-- The latest answer to each question of an attempt. `seq` is the client's sequence number:
-- an older or equal one never overwrites a newer one.
CREATE TABLE attempt_answers (
    attempt_id   uuid NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    question_id  uuid NOT NULL,
    org_id       uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    answer       TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    saved_at     timestamptz NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
);

-- The database-backed job queue (auto-submission at deadlines). A worker claims a due job by
-- setting `locked_until` in one statement; a job whose lease expired is claimed again.
CREATE TABLE jobs (
    id            uuid PRIMARY KEY,
    kind          TEXT NOT NULL,
    run_at        timestamptz NOT NULL,
    payload       TEXT NOT NULL,
    locked_until  timestamptz,
    attempts      INTEGER NOT NULL DEFAULT 0,
    done_at       timestamptz,
    last_error    TEXT,
    created_at    timestamptz NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE done_at IS NULL;
