//! What a candidate's call on an attempt can be refused with. No HTTP in it: the handlers map
//! it to statuses (`handlers.rs`).

use crate::errors::{FieldErrors, ModelError};

#[derive(Debug, thiserror::Error)]
pub enum AttemptError {
    /// Not the candidate's attempt (or exam), or a question that is not on its paper.
    #[error("not found")]
    NotFound,
    /// The exam's IP ranges do not include the caller's address.
    #[error("ip not allowed")]
    IpNotAllowed,
    /// Another device took the single-device attempt over.
    #[error("attempt taken over by another device")]
    AnotherDevice,
    /// The state refuses the call; the reason is a stable snake_case word (`exam_not_open`,
    /// `exam_closed`, `late_entry_over`, `no_attempts_left`, `keys_seen`, `attempt_submitted`,
    /// `deadline_passed`).
    #[error("refused: {0}")]
    Refused(&'static str),
    /// The answer or another input has invalid fields.
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Model(ModelError),
}

impl AttemptError {
    /// The input's `field` is invalid for `reason`.
    pub fn field(field: &str, reason: &str) -> AttemptError {
        AttemptError::Invalid(FieldErrors::single(field, reason))
    }
}

impl From<ModelError> for AttemptError {
    fn from(err: ModelError) -> Self {
        match err {
            ModelError::NotFound | ModelError::Database(diesel::result::Error::NotFound) => {
                AttemptError::NotFound
            }
            ModelError::Invalid(fields) => AttemptError::Invalid(fields),
            other => AttemptError::Model(other),
        }
    }
}

impl From<diesel::result::Error> for AttemptError {
    fn from(err: diesel::result::Error) -> Self {
        ModelError::from(err).into()
    }
}

impl From<anyhow::Error> for AttemptError {
    fn from(err: anyhow::Error) -> Self {
        AttemptError::Model(ModelError::Internal(err))
    }
}

impl From<crate::crypto::CryptoError> for AttemptError {
    fn from(err: crate::crypto::CryptoError) -> Self {
        ModelError::from(err).into()
    }
}
