DROP TABLE question_tags;
DROP TABLE question_versions;
DROP TABLE questions;
DROP TABLE question_categories;
DROP TABLE question_banks;
