//! Field-level validation errors: [`Fields`] collects every invalid field of an input, so the
//! caller hears of all of them at once (422 `validation_failed`, `details.fields`). Models use
//! it too: what it finishes with, [`FieldErrors`], is no HTTP error, and `?` turns it into an
//! `ApiError` or a `ModelError`.

use crate::domain::Invalid;
use crate::errors::{ApiError, FieldError, FieldErrors};

/// Collects field errors; `finish` fails with all of them at once.
#[derive(Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    /// A page's `offset` (0 or more, default 0) and `limit` (1 to 200, default 50), each
    /// `out_of_range` otherwise.
    pub fn page(&mut self, offset: Option<i64>, limit: Option<i64>) -> (i64, i64) {
        let limit = limit.unwrap_or(50);
        if !(1..=200).contains(&limit) {
            self.push("limit", "out_of_range");
        }
        let offset = offset.unwrap_or(0);
        if offset < 0 {
            self.push("offset", "out_of_range");
        }
        (offset, limit)
    }

    pub fn check<T>(&mut self, field: &str, parsed: Result<T, Invalid>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(why) => {
                self.0.push(FieldError {
                    field: field.to_owned(),
                    reason: why.as_str().to_owned(),
                });
                None
            }
        }
    }

    pub fn push(&mut self, field: &str, reason: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            reason: reason.to_owned(),
        });
    }

    /// The trimmed `name` (1–100 characters, no control characters) and `description` (at most
    /// 2000 characters) of a named thing (a question bank, a paper), each checked as the field
    /// of that name.
    pub fn name_and_description(&mut self, name: &str, description: &str) -> (String, String) {
        let name = name.trim().to_owned();
        match name.chars().count() {
            0 => self.push("name", "required"),
            101.. => self.push("name", "too_long"),
            _ if name.chars().any(char::is_control) => self.push("name", "invalid_format"),
            _ => {}
        }
        let description = description.trim().to_owned();
        if description.chars().count() > 2000 {
            self.push("description", "too_long");
        }
        (name, description)
    }

    /// A validation error naming one field.
    pub fn single(field: &str, reason: &str) -> ApiError {
        FieldErrors::single(field, reason).into()
    }

    /// Every field collected, if any.
    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(FieldErrors(self.0))
        }
    }
}

/// A staff member's stated reason for an action (5–500 characters, no control characters),
/// trimmed; 422 on the field `reason` otherwise.
pub fn parse_reason(r: Option<&str>) -> Result<String, ApiError> {
    let reason = r.map(str::trim).unwrap_or_default();
    match reason.chars().count() {
        0 => Err(Fields::single("reason", "required")),
        1..5 => Err(Fields::single("reason", "too_short")),
        501.. => Err(Fields::single("reason", "too_long")),
        _ if reason.chars().any(char::is_control) => {
            Err(Fields::single("reason", "invalid_format"))
        }
        _ => Ok(reason.to_owned()),
    }
}
