//! Input parsed into domain types at the boundary: once a value is a `CnMobile` or an `Email` it
//! is valid and normalised, so nothing further in does its own checking.

mod contact;
mod names;
pub mod password;
mod people;

pub use contact::{CnMobile, Contact, Email};
pub use names::{LoginAccount, OrgName};
pub use password::Password;
pub use people::{CandidateAccount, IdNumber, PersonName};

/// Why an input was rejected: a stable snake_case reason for `FieldError::reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    Required,
    TooShort,
    TooLong,
    InvalidFormat,
}

impl Invalid {
    pub fn as_str(self) -> &'static str {
        match self {
            Invalid::Required => "required",
            Invalid::TooShort => "too_short",
            Invalid::TooLong => "too_long",
            Invalid::InvalidFormat => "invalid_format",
        }
    }
}
