-- Re-grade runs: the finished attempts that used a question, graded again against one of its
-- versions (see `backend/src/regrade`). `exam_ids` is a JSON array (empty: every exam);
-- `differences` a JSON array of the attempts the run changed, each with its before and after;
-- `last_attempt_id` the last attempt examined, so the next batch starts after it.
CREATE TABLE regrades (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    question_id  uuid NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    exam_ids     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    examined     INTEGER NOT NULL,
    changed      INTEGER NOT NULL,
    differences  TEXT NOT NULL,
    last_attempt_id uuid,
    error        TEXT,
    created_by   uuid,
    created_at   timestamptz NOT NULL,
    finished_at  timestamptz
);
CREATE INDEX regrades_question ON regrades (org_id, question_id, created_at);
