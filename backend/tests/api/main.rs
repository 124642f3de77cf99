//! API integration tests: one binary, a module per area. Every test gets its own database and
//! a real server on port 0 (see `helpers::spawn_app`). The same tests run on SQLite, and on
//! PostgreSQL when `TEST_BACKEND=postgres` and `TEST_POSTGRES_URL` are set.

// Integration tests fail by panicking: `expect` names what was expected.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod accounts;
mod audit;
mod audit_viewer;
mod bind;
mod codes;
mod db_types;
mod errors;
mod headers;
mod health;
mod helpers;
mod lifecycle;
mod notifications;
mod openapi;
mod orgs;
mod rotation;
mod spa;
mod tenancy;
mod verification;
