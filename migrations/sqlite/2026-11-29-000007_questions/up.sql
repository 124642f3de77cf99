-- Question banks, their questions and every version of each question. Editing a question adds
-- a version; papers and attempts reference versions, so what was taken never changes.
CREATE TABLE question_banks (
    id           TEXT PRIMARY KEY NOT NULL,
    org_id       TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (org_id, name)
);

-- A bank's category tree (parent_id NULL at the top).
CREATE TABLE question_categories (
    id          TEXT PRIMARY KEY NOT NULL,
    org_id      TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    bank_id     TEXT NOT NULL REFERENCES question_banks (id) ON DELETE CASCADE,
    parent_id   TEXT REFERENCES question_categories (id),
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX question_categories_bank ON question_categories (org_id, bank_id);

CREATE TABLE questions (
    id               TEXT PRIMARY KEY NOT NULL,
    org_id           TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    bank_id          TEXT NOT NULL REFERENCES question_banks (id) ON DELETE CASCADE,
    category_id      TEXT,
    qtype            TEXT NOT NULL,
    current_version  INTEGER NOT NULL,
    difficulty       INTEGER NOT NULL CHECK (difficulty BETWEEN 1 AND 5),
    points_centi     INTEGER NOT NULL,
    -- Lower-cased plain text of the stem and options, for text search.
    search_text      TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('active', 'deleted')),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX questions_bank ON questions (org_id, bank_id, updated_at);

CREATE TABLE question_versions (
    id            TEXT PRIMARY KEY NOT NULL,
    org_id        TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    content       TEXT NOT NULL,
    points_centi  INTEGER NOT NULL,
    difficulty    INTEGER NOT NULL,
    explanation   TEXT NOT NULL,
    tags          TEXT NOT NULL,
    created_by    TEXT,
    created_at    TEXT NOT NULL,
    UNIQUE (question_id, version)
);

CREATE TABLE question_tags (
    org_id       TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    tag          TEXT NOT NULL,
    PRIMARY KEY (question_id, tag)
);
CREATE INDEX question_tags_tag ON question_tags (org_id, tag);
