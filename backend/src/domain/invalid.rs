//! Why an input was rejected.

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
