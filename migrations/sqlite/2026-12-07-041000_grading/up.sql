-- How an exam's answers that need a person are marked (absent: one mark, no tolerance).
CREATE TABLE exam_marking (
    exam_id             TEXT  PRIMARY KEY NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    org_id              TEXT  NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    graders_per_answer  INTEGER NOT NULL CHECK (graders_per_answer BETWEEN 1 AND 3),
    tolerance_centi     INTEGER NOT NULL CHECK (tolerance_centi >= 0),
    updated_at          TEXT  NOT NULL
);

-- One answer (or essay part of a composite answer) of a submitted attempt that needs a
-- person. `part` is -1 for a whole question. `attempt_submitted_at` ties the item to one
-- submission: a reopened and resubmitted attempt gets new items. A grader holds an item
-- while `lease_until` is ahead (two graders never mark the same answer at once).
CREATE TABLE grading_items (
    id                    TEXT  PRIMARY KEY NOT NULL,
    org_id                TEXT  NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    exam_id               TEXT  NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    attempt_id            TEXT  NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    attempt_submitted_at  TEXT  NOT NULL,
    question_id           TEXT  NOT NULL,
    question_version      INTEGER NOT NULL,
    question_number       INTEGER NOT NULL,
    part                  INTEGER NOT NULL,
    max_centi             INTEGER NOT NULL,
    anonymous_code        TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('open', 'arbitration', 'done')),
    marks_count           INTEGER NOT NULL DEFAULT 0,
    final_centi           INTEGER,
    lease_user_id         TEXT ,
    lease_until           TEXT ,
    created_at            TEXT  NOT NULL,
    UNIQUE (attempt_id, question_id, part)
);
CREATE INDEX grading_items_queue ON grading_items (org_id, exam_id, status, question_number);

-- The marks given to an item: one per grader, the arbiter's final.
CREATE TABLE grading_marks (
    id            TEXT  PRIMARY KEY NOT NULL,
    org_id        TEXT  NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    item_id       TEXT  NOT NULL REFERENCES grading_items (id) ON DELETE CASCADE,
    grader_id     TEXT  NOT NULL,
    arbiter       BOOLEAN NOT NULL DEFAULT FALSE,
    points_centi  INTEGER NOT NULL,
    rubric        TEXT,
    comment       TEXT NOT NULL,
    created_at    TEXT  NOT NULL,
    updated_at    TEXT  NOT NULL,
    UNIQUE (item_id, grader_id)
);
CREATE INDEX grading_marks_grader ON grading_marks (org_id, grader_id);
