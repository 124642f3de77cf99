//! Errors, and which type belongs where.
//!
//! - Start-up, the CLI and background jobs use `anyhow::Result`, adding `.context()` at each
//!   fallible step so the message says what was being done.
//! - The database layer (`model.rs` files) returns diesel's `QueryResult<T>`; where a model
//!   also checks input, reads stored JSON or refuses a change in the data's state, it returns
//!   [`ModelError`] (or its own domain error, e.g. `exams::attempts::AttemptError`). Neither
//!   knows about HTTP.
//! - Handlers return `Result<T, ApiError>`. `From` impls turn diesel, pool, model and domain
//!   errors into the right `ApiError`, so handlers use plain `?`: the mapping of a domain
//!   error to a status lives beside its handlers (or here, for the shared ones).
//!
//! Every error response has one JSON shape, [`shared::ErrorBody`]: a stable `code`, a message in
//! the caller's language, optional `details`, and the `request_id`. The body is rendered by the
//! [`crate::http::error_envelope`] middleware, which knows the language and request id; an
//! internal error's text is logged there once, with the request id, and never sent.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use shared::ErrorCode;

/// The error type of every handler.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400 `invalid_json`: the body is not JSON of the expected shape; `detail` says where.
    #[error("invalid JSON body: {detail}")]
    InvalidJson { detail: String },
    /// 400 `bad_request`: a malformed request (path or query) not covered by another variant.
    #[error("bad request: {detail}")]
    BadRequest { detail: String },
    /// 422 `validation_failed`: well-formed input with invalid fields, listed in `fields`.
    #[error("validation failed")]
    Validation { fields: Vec<FieldError> },
    /// 422 `import_rejected`: an import file has errors; `report` (the import's report as
    /// JSON) names every bad row.
    #[error("import rejected")]
    ImportRejected { report: Box<serde_json::Value> },
    /// 401 `unauthorized`.
    #[error("unauthorized")]
    Unauthorized,
    /// 401 `invalid_credentials`: wrong account, password or code (never which).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// 403 `csrf_rejected`.
    #[error("csrf check failed")]
    CsrfRejected,
    /// 403 `forbidden`.
    #[error("forbidden")]
    Forbidden,
    /// 403 `ip_not_allowed`: the exam's IP ranges do not include the caller's address.
    #[error("ip not allowed")]
    IpNotAllowed,
    /// 404 `not_found`.
    #[error("not found")]
    NotFound,
    /// 409 `conflict`.
    #[error("conflict: {detail}")]
    Conflict { detail: String },
    /// 409 `another_device`: the attempt was taken over by another portal session.
    #[error("attempt taken over by another device")]
    AnotherDevice,
    /// 409 `registration_exists`: a returning registrant who has not proved who they are;
    /// `details` says how they can.
    #[error("registration exists; proof required")]
    RegistrationExists(shared::exams::RegistrationExists),
    /// 410 `gone`: it existed but is gone for good (an export downloaded or expired).
    #[error("gone")]
    Gone,
    /// 413 `payload_too_large`: the body exceeds `limit` bytes.
    #[error("payload larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// 413 `file_too_large`: an uploaded file goes past the import limit `limit` (a
    /// `question_formats::limits::Limit` code), whose value is `max`.
    #[error("file past the {limit} limit")]
    FileTooLarge { limit: &'static str, max: u64 },
    /// 415 `unsupported_media_type`.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 429 `rate_limited`, with `Retry-After`.
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    /// 503 `service_unavailable`, with `Retry-After` (for example the database pool is
    /// exhausted). `detail` is for operators and is sent only as a detail string.
    #[error("service unavailable: {detail}")]
    Unavailable {
        detail: String,
        retry_after_secs: u64,
    },
    /// 503 `server_busy`, with `Retry-After`: password hashing is at capacity on this node.
    #[error("password hashing at capacity")]
    Busy { retry_after_secs: u64 },
    /// 500 `internal_error`: logged with the request id, never sent.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// One invalid field of a `validation_failed` error.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FieldError {
    /// The field's name as in the request (dotted path for nested fields).
    pub field: String,
    /// A stable snake_case reason such as `required`, `too_long`, `invalid_format`.
    pub reason: String,
}

/// Every invalid field of an input, as collected by [`crate::http::Fields`]: 422
/// `validation_failed` from a handler, [`ModelError::Invalid`] from a model.
#[derive(Debug, Clone)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// One invalid field.
    pub fn single(field: &str, reason: &str) -> FieldErrors {
        FieldErrors(vec![FieldError {
            field: field.to_owned(),
            reason: reason.to_owned(),
        }])
    }
}

impl From<FieldErrors> for ApiError {
    fn from(err: FieldErrors) -> Self {
        ApiError::Validation { fields: err.0 }
    }
}

/// What a model fails with when `QueryResult` is not enough. No HTTP in it: handlers turn it
/// into an [`ApiError`] with `?`.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Nothing of that id in the caller's scope.
    #[error("not found")]
    NotFound,
    /// The input has invalid fields.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The data's state refuses the change; the reason is a stable snake_case word.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    /// Stored data that does not read, or another failure that is ours, not the caller's.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ModelError {
    /// The input's `field` is invalid for `reason`.
    pub fn field(field: &str, reason: &str) -> ModelError {
        ModelError::Invalid(FieldErrors::single(field, reason))
    }
}

impl From<FieldErrors> for ModelError {
    fn from(err: FieldErrors) -> Self {
        ModelError::Invalid(err)
    }
}

impl From<crate::crypto::CryptoError> for ModelError {
    fn from(err: crate::crypto::CryptoError) -> Self {
        ModelError::Internal(anyhow::Error::new(err).context("field encryption"))
    }
}

/// 404, 422 `validation_failed`, 409 `conflict` with the reason, or what the database error
/// maps to.
impl From<ModelError> for ApiError {
    fn from(err: ModelError) -> Self {
        match err {
            ModelError::NotFound => ApiError::NotFound,
            ModelError::Invalid(fields) => fields.into(),
            ModelError::Conflict(reason) => ApiError::Conflict {
                detail: reason.to_owned(),
            },
            ModelError::Database(e) => e.into(),
            ModelError::Internal(e) => ApiError::Internal(e),
        }
    }
}

impl ApiError {
    /// 409 `conflict` with a stable snake_case `reason`.
    pub fn conflict(reason: &str) -> ApiError {
        ApiError::Conflict {
            detail: reason.to_owned(),
        }
    }

    /// The 422 of an import with errors; `report` becomes the `details`.
    pub fn import_rejected(report: &impl serde::Serialize) -> ApiError {
        match serde_json::to_value(report) {
            Ok(v) => ApiError::ImportRejected {
                report: Box::new(v),
            },
            Err(e) => ApiError::Internal(anyhow::Error::new(e).context("import report")),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::InvalidJson { .. } => ErrorCode::InvalidJson,
            ApiError::BadRequest { .. } => ErrorCode::BadRequest,
            ApiError::Validation { .. } => ErrorCode::ValidationFailed,
            ApiError::ImportRejected { .. } => ErrorCode::ImportRejected,
            ApiError::Unauthorized => ErrorCode::Unauthorized,
            ApiError::InvalidCredentials => ErrorCode::InvalidCredentials,
            ApiError::CsrfRejected => ErrorCode::CsrfRejected,
            ApiError::Forbidden => ErrorCode::Forbidden,
            ApiError::IpNotAllowed => ErrorCode::IpNotAllowed,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::Conflict { .. } => ErrorCode::Conflict,
            ApiError::AnotherDevice => ErrorCode::AnotherDevice,
            ApiError::RegistrationExists(_) => ErrorCode::RegistrationExists,
            ApiError::Gone => ErrorCode::Gone,
            ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            ApiError::FileTooLarge { .. } => ErrorCode::FileTooLarge,
            ApiError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Unavailable { .. } => ErrorCode::ServiceUnavailable,
            ApiError::Busy { .. } => ErrorCode::ServerBusy,
            ApiError::Internal(_) => ErrorCode::InternalError,
        }
    }

    /// The `details` sent to the client, if any. Never includes internal error text.
    pub fn details(&self) -> Option<serde_json::Value> {
        match self {
            ApiError::InvalidJson { detail } | ApiError::BadRequest { detail } => {
                Some(serde_json::json!({ "reason": detail }))
            }
            ApiError::Conflict { detail } | ApiError::Unavailable { detail, .. } => {
                Some(serde_json::json!({ "reason": detail }))
            }
            ApiError::Validation { fields } => Some(serde_json::json!({ "fields": fields })),
            ApiError::ImportRejected { report } => Some((**report).clone()),
            ApiError::RegistrationExists(how) => serde_json::to_value(how).ok(),
            ApiError::PayloadTooLarge { limit } => {
                Some(serde_json::json!({ "limit_bytes": limit }))
            }
            ApiError::FileTooLarge { limit, max } => {
                Some(serde_json::json!({ "limit": limit, "max": max }))
            }
            ApiError::RateLimited { retry_after_secs } | ApiError::Busy { retry_after_secs } => {
                Some(serde_json::json!({ "retry_after_seconds": retry_after_secs }))
            }
            _ => None,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::RateLimited { retry_after_secs }
            | ApiError::Busy { retry_after_secs }
            | ApiError::Unavailable {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The status and headers only; the body is filled in by the error-envelope middleware,
    /// which finds this error on the response.
    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        if let Some(secs) = self.retry_after()
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            res.insert_header((header::RETRY_AFTER, value));
        }
        res.finish()
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => ApiError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => ApiError::Conflict {
                detail: "already_exists".to_owned(),
            },
            other => ApiError::Internal(anyhow::Error::new(other).context("database error")),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        tracing::warn!(error = %err, "database pool exhausted or unreachable");
        ApiError::Unavailable {
            detail: "database_busy".to_owned(),
            retry_after_secs: 1,
        }
    }
}

/// A wrong, expired or used-up code is a field error on `code`; the limits are a 429.
impl From<crate::verification::CodeError> for ApiError {
    fn from(err: crate::verification::CodeError) -> Self {
        use crate::verification::CodeError;
        match err {
            CodeError::Invalid => ApiError::Validation {
                fields: vec![FieldError {
                    field: "code".to_owned(),
                    reason: "invalid_code".to_owned(),
                }],
            },
            CodeError::RateLimited { retry_after_secs } => {
                ApiError::RateLimited { retry_after_secs }
            }
            CodeError::Database(e) => e.into(),
        }
    }
}

impl From<crate::crypto::CryptoError> for ApiError {
    fn from(err: crate::crypto::CryptoError) -> Self {
        ApiError::Internal(anyhow::Error::new(err).context("field encryption"))
    }
}

impl From<question_formats::limits::Exceeded> for ApiError {
    fn from(e: question_formats::limits::Exceeded) -> Self {
        ApiError::FileTooLarge {
            limit: e.limit.code(),
            max: e.max,
        }
    }
}

impl From<crate::domain::password::HashError> for ApiError {
    fn from(err: crate::domain::password::HashError) -> Self {
        use crate::domain::password::HashError;
        match err {
            HashError::Busy(busy) => {
                tracing::warn!("password hashing at capacity; answering 503");
                ApiError::Busy {
                    retry_after_secs: busy.retry_after_secs,
                }
            }
            HashError::Failed(e) => ApiError::Internal(e),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(err: tokio::task::JoinError) -> Self {
        ApiError::Internal(anyhow::Error::new(err).context("blocking task failed"))
    }
}

/// The error code that goes with a status produced outside our handlers (for example actix's
/// own 404 or 405), so those responses get the same envelope.
pub fn code_for_status(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        410 => ErrorCode::Gone,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        422 => ErrorCode::ValidationFailed,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::ServiceUnavailable,
        400..=499 => ErrorCode::BadRequest,
        _ => ErrorCode::InternalError,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_status_matches_its_code() {
        let all = [
            ApiError::InvalidJson {
                detail: String::new(),
            },
            ApiError::BadRequest {
                detail: String::new(),
            },
            ApiError::Validation { fields: vec![] },
            ApiError::import_rejected(&serde_json::json!({ "errors": [] })),
            ApiError::Unauthorized,
            ApiError::InvalidCredentials,
            ApiError::CsrfRejected,
            ApiError::Forbidden,
            ApiError::IpNotAllowed,
            ApiError::NotFound,
            ApiError::Conflict {
                detail: String::new(),
            },
            ApiError::AnotherDevice,
            ApiError::RegistrationExists(shared::exams::RegistrationExists {
                can_send_code: false,
                contact_hint: None,
            }),
            ApiError::PayloadTooLarge { limit: 1 },
            ApiError::FileTooLarge {
                limit: "rows",
                max: 1,
            },
            ApiError::UnsupportedMediaType,
            ApiError::Busy {
                retry_after_secs: 1,
            },
            ApiError::RateLimited {
                retry_after_secs: 3,
            },
            ApiError::Unavailable {
                detail: String::new(),
                retry_after_secs: 1,
            },
            ApiError::Internal(anyhow::anyhow!("secret internal text")),
        ];
        for err in all {
            assert_eq!(err.status_code().as_u16(), err.code().status());
            assert_eq!(
                code_for_status(err.status_code()).status(),
                err.code().status(),
                "{err:?}"
            );
            let details = err.details().map(|d| d.to_string()).unwrap_or_default();
            assert!(!details.contains("secret internal text"));
        }
    }

    #[test]
    fn diesel_errors_map_to_404_409_and_500() {
        use diesel::result::{DatabaseErrorKind, Error};
        assert!(matches!(
            ApiError::from(Error::NotFound),
            ApiError::NotFound
        ));
        let unique = Error::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            Box::new(String::from("dup")),
        );
        assert!(matches!(ApiError::from(unique), ApiError::Conflict { .. }));
        assert!(matches!(
            ApiError::from(Error::RollbackTransaction),
            ApiError::Internal(_)
        ));
    }

    #[test]
    fn rate_limited_sets_retry_after() {
        let res = ApiError::RateLimited {
            retry_after_secs: 42,
        }
        .error_response();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            res.headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()),
            Some("42")
        );
    }
}
