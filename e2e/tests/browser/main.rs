//! Browser tests: the real backend serving the real SPA bundle (`frontend/dist`, built by
//! `cargo xtask build-frontend`), driven in headless Chromium through ChromeDriver.

mod account_settings;
mod accounts;
mod harness;
mod interchange;
mod shell;

mod api_keys;
mod builders;
mod cancellation;
mod candidates;
mod certificates;
mod console_exams;
mod dashboard;
mod exam;
mod exam_entry;
mod grading;
mod my_data;
mod paging;
mod papers;
mod portal;
mod privacy;
mod proctor;
mod question_types;
mod questions;
mod regrade;
mod rich_text;
mod screenshots;
mod support;
