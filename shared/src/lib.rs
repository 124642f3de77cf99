//! Types shared by the API (`backend`) and the SPA (`frontend`): request and response DTOs,
//! the machine-readable error codes, and the languages the product speaks.
//!
//! Nothing here may depend on a server-only crate (diesel, actix, tokio): this crate is compiled
//! to `wasm32-unknown-unknown` as part of the SPA. CI checks both facts.

pub mod access;
pub mod accounts;
pub mod candidates;
pub mod certificates;
pub mod dashboard;
pub mod error;
pub mod exams;
pub mod grading;
pub mod health;
pub mod i18n;
pub mod labels;
pub mod my_data;
pub mod papers;
pub mod policies;
pub mod privacy;
pub mod questions;
pub mod regrade;
pub mod results;
#[cfg(feature = "openapi")]
pub mod schema;

pub use error::{ErrorBody, ErrorCode};
pub use health::{CheckStatus, HealthResponse, ReadyCheck, ReadyResponse, ReadySummary};
pub use i18n::Lang;
