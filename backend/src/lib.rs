//! The ExamCloud API server: settings, database, keys, HTTP plumbing and the domain modules.
//! `main.rs` only parses the command line and calls into [`cli`].
//!
//! See `ARCHITECTURE.md` at the repository root for the code map and the invariants.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod candidates;
pub mod certificates;
pub mod cli;
pub mod crypto;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod domain;
pub mod errors;
pub mod exams;
pub mod grading;
pub mod health;
pub mod http;
pub mod integration;
pub mod jobs;
pub mod keys;
#[cfg(test)]
mod module_graph;
pub mod notifications;
pub mod openapi;
pub mod org_users;
pub mod orgs;
pub mod papers;
pub mod portal;
pub mod privacy;
pub mod questions;
pub mod regrade;
pub mod results;
pub mod rotation;
pub mod settings;
pub mod spa;
pub mod spreadsheet;
pub mod staff;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod tenancy;
pub mod verification;

pub use startup::Application;
