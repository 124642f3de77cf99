-- Papers: sections of chosen question versions and/or rules that draw questions from banks.
-- `spec` is the paper as saved (JSON: sections with pinned question versions and rules).
-- `revision` increases with every save; per-candidate papers of an older revision are
-- replaced when papers are generated again.
CREATE TABLE papers (
    id                 TEXT PRIMARY KEY NOT NULL,
    org_id             TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    kind               TEXT NOT NULL CHECK (kind IN ('fixed', 'random')),
    spec               TEXT NOT NULL,
    shuffle_questions  BOOLEAN NOT NULL,
    shuffle_options    BOOLEAN NOT NULL,
    question_count     INTEGER NOT NULL,
    total_points_centi INTEGER NOT NULL,
    revision           INTEGER NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('active', 'deleted')),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX papers_org ON papers (org_id, updated_at);

-- A paper generated for one candidate: the drawn question versions, their order and each
-- question's option order (JSON), from `seed`. Exam start reads this row and nothing else.
CREATE TABLE paper_instances (
    id            TEXT PRIMARY KEY NOT NULL,
    org_id        TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    paper_id      TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    candidate_id  TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    revision      INTEGER NOT NULL,
    seed          TEXT NOT NULL,
    arrangement   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (paper_id, candidate_id)
);
CREATE INDEX paper_instances_org ON paper_instances (org_id, paper_id);
