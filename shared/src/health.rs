//! Liveness and readiness reports.

use serde::{Deserialize, Serialize};

/// `GET /api/health`: the process is up and serving requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthResponse {
    /// Always `ok` when the server answers at all.
    pub status: CheckStatus,
    /// The server's version (the backend crate's version).
    pub version: String,
}

/// The outcome of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Ok,
    Failing,
}

/// `GET /api/ready`: whether this node can serve traffic, and nothing more (the checks name
/// migrations and keys, which are for operators: see [`ReadyResponse`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadySummary {
    /// `ok` only when every check is `ok`.
    pub status: CheckStatus,
}

/// `GET /api/staff/ready` (platform staff) and `examcloud ready`: whether this node can serve
/// traffic, check by check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadyResponse {
    /// `ok` only when every check is `ok`.
    pub status: CheckStatus,
    /// Which database backend this node uses: `sqlite` or `postgres`.
    pub database_backend: String,
    pub checks: Vec<ReadyCheck>,
}

/// One readiness check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadyCheck {
    /// Stable name of the check: `database`, `migrations`, `keys` or `key_usage`.
    pub name: String,
    pub status: CheckStatus,
    /// A short operator-facing explanation; never contains secrets or personal data.
    pub detail: String,
    /// How long the check took, in milliseconds.
    pub duration_ms: u64,
}
