-- Question banks, their questions and every version of each question. Editing a question adds
-- a version; papers and attempts reference versions, so what was taken never changes.
CREATE TABLE question_banks (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (org_id, name)
);

-- A bank's category tree (parent_id NULL at the top).
CREATE TABLE question_categories (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    bank_id     uuid NOT NULL REFERENCES question_banks (id) ON DELETE CASCADE,
    parent_id   uuid REFERENCES question_categories (id),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX question_categories_bank ON question_categories (org_id, bank_id);

CREATE TABLE questions (
    id               uuid PRIMARY KEY,
    org_id           uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    bank_id          uuid NOT NULL REFERENCES question_banks (id) ON DELETE CASCADE,
    category_id      uuid,
    qtype            text NOT NULL,
    current_version  integer NOT NULL,
    difficulty       integer NOT NULL CHECK (difficulty BETWEEN 1 AND 5),
    points_centi     integer NOT NULL,
    -- Lower-cased plain text of the stem and options, for text search.
    search_text      text NOT NULL,
    status           text NOT NULL CHECK (status IN ('active', 'deleted')),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX questions_bank ON questions (org_id, bank_id, updated_at);

CREATE TABLE question_versions (
    id            uuid PRIMARY KEY,
    org_id        uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    question_id   uuid NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    version       integer NOT NULL,
    content       text NOT NULL,
    points_centi  integer NOT NULL,
    difficulty    integer NOT NULL,
    explanation   text NOT NULL,
    tags          text NOT NULL,
    created_by    uuid,
    created_at    timestamptz NOT NULL,
    UNIQUE (question_id, version)
);

CREATE TABLE question_tags (
    org_id       uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    question_id  uuid NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    tag          text NOT NULL,
    PRIMARY KEY (question_id, tag)
);
CREATE INDEX question_tags_tag ON question_tags (org_id, tag);
