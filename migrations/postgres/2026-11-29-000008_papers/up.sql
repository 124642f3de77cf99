-- Papers: sections of chosen question versions and/or rules that draw questions from banks.
-- `spec` is the paper as saved (JSON: sections with pinned question versions and rules).
-- `revision` increases with every save; per-candidate papers of an older revision are
-- replaced when papers are generated again.
CREATE TABLE papers (
    id                 uuid PRIMARY KEY,
    org_id             uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name               text NOT NULL,
    description        text NOT NULL DEFAULT '',
    kind               text NOT NULL CHECK (kind IN ('fixed', 'random')),
    spec               text NOT NULL,
    shuffle_questions  boolean NOT NULL,
    shuffle_options    boolean NOT NULL,
    question_count     integer NOT NULL,
    total_points_centi integer NOT NULL,
    revision           integer NOT NULL,
    status             text NOT NULL CHECK (status IN ('active', 'deleted')),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX papers_org ON papers (org_id, updated_at);

-- A paper generated for one candidate: the drawn question versions, their order and each
-- question's option order (JSON), from `seed`. Exam start reads this row and nothing else.
CREATE TABLE paper_instances (
    id            uuid PRIMARY KEY,
    org_id        uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    paper_id      uuid NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    candidate_id  uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    revision      integer NOT NULL,
    seed          text NOT NULL,
    arrangement   text NOT NULL,
    created_at    timestamptz NOT NULL,
    UNIQUE (paper_id, candidate_id)
);
CREATE INDEX paper_instances_org ON paper_instances (org_id, paper_id);
