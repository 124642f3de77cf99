//! API integration tests: one binary, a module per area. Every test gets its own database and
//! a real server on port 0 (see `helpers::spawn_app`). The same tests run on SQLite, and on
//! PostgreSQL when `TEST_BACKEND=postgres` and `TEST_POSTGRES_URL` are set.

// Integration tests fail by panicking: `expect` names what was expected.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod accounts;
mod api_keys;
mod attachments;
mod attacks;
mod audit;
mod audit_viewer;
mod bind;
mod cancellation;
mod candidates;
mod certificates;
mod codes;
mod dashboard;
mod db_types;
mod demo;
mod durability;
mod errors;
mod exam_entry;
mod exam_integrity;
mod exam_proctor;
mod exams;
mod grading;
mod headers;
mod health;
mod helpers;
mod import;
mod lifecycle;
mod my_data;
mod notifications;
mod openapi;
mod org_users;
mod orgs;
mod overrides;
mod papers;
mod portal;
mod privacy;
mod question_formats;
mod question_import;
mod questions;
mod regrade;
mod regrade_outcomes;
mod results;
mod retention;
mod review;
mod rotation;
mod spa;
mod staff;
mod tenancy;
mod verification;
