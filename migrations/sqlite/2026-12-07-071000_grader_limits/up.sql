-- Graders limited at an exam to some questions and/or candidate groups (JSON arrays of ids;
-- empty: no limit of that kind). A grader without a row marks any item.
CREATE TABLE grader_limits (
    exam_id       TEXT  NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    user_id       TEXT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id        TEXT  NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    question_ids  TEXT  NOT NULL,
    group_ids     TEXT  NOT NULL,
    updated_at    TEXT  NOT NULL,
    PRIMARY KEY (exam_id, user_id)
);
