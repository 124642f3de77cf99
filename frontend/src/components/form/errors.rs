//! What went wrong in a form: the errors of its fields (keyed by the API's field names), the
//! summary above it, how an API error is spread over both, and the checks made before a
//! request is sent.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::ErrorCode;

use crate::api::{self, FieldError};
use crate::i18n::{AnyMsg, FieldMsg, field_error_msg};

/// The field errors of one form, keyed by the API's field names.
#[derive(Debug, Clone, Copy)]
pub struct FieldErrors(RwSignal<Vec<FieldError>>);

impl Default for FieldErrors {
    fn default() -> Self {
        FieldErrors(RwSignal::new(Vec::new()))
    }
}

impl FieldErrors {
    pub fn set(&self, errors: Vec<FieldError>) {
        self.0.set(errors);
    }

    pub fn add(&self, field: &str, reason: &str) {
        self.0.update(|errors| {
            errors.push(FieldError {
                field: field.to_owned(),
                reason: reason.to_owned(),
            });
        });
    }

    pub fn clear(&self) {
        self.0.set(Vec::new());
    }

    /// Forgets the errors of `fields`, when the user edits them.
    pub fn clear_fields(&self, fields: &[&str]) {
        let stale = self
            .0
            .with_untracked(|errors| errors.iter().any(|e| fields.contains(&e.field.as_str())));
        if stale {
            self.0
                .update(|errors| errors.retain(|e| !fields.contains(&e.field.as_str())));
        }
    }

    /// The message for the first error of any of `fields`, worded for `fields[0]` (tracked).
    pub fn message(&self, fields: &[&str]) -> Option<FieldMsg> {
        let canonical = fields.first()?;
        self.0.with(|errors| {
            errors
                .iter()
                .find(|e| fields.contains(&e.field.as_str()))
                .map(|e| field_error_msg(canonical, &e.reason))
        })
    }
}

/// What a settings form keeps while it is used: its field errors, the summary above it, the
/// notice after a success, and whether a request is under way.
#[derive(Debug, Clone, Copy)]
pub struct FormState {
    pub errors: FieldErrors,
    pub error: RwSignal<Option<FormError>>,
    pub notice: RwSignal<Option<AnyMsg>>,
    pub submitting: RwSignal<bool>,
}

impl FormState {
    pub fn new() -> Self {
        FormState {
            errors: FieldErrors::default(),
            error: RwSignal::new(None),
            notice: RwSignal::new(None),
            submitting: RwSignal::new(false),
        }
    }

    /// The form's submit handler: keeps the browser from submitting the form and, unless a
    /// submission is under way, forgets what the last one said and runs `submit`.
    pub fn on_submit(self, submit: impl Fn() + 'static) -> impl Fn(SubmitEvent) + 'static {
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if self.begin() {
                submit();
            }
        }
    }

    /// Starts a submission: `false` while one is under way; otherwise forgets what the last
    /// one said.
    fn begin(&self) -> bool {
        if self.submitting.get_untracked() {
            return false;
        }
        self.errors.clear();
        self.error.set(None);
        self.notice.set(None);
        true
    }
}

/// What the summary above a form says.
#[derive(Debug, Clone, PartialEq)]
pub enum FormError {
    /// Some fields are invalid; each says why beside it.
    CheckFields,
    /// Registration: the email or mobile number already has an account (409).
    AlreadyRegistered,
    /// Sign-in: wrong account and password, or account and code (401).
    InvalidCredentials { by_code: bool },
    /// 429: after repeated failed sign-ins (`locked`), or too many requests.
    TooMany {
        retry_after: Option<u64>,
        locked: bool,
    },
    /// A case the page words itself.
    Text(AnyMsg),
    /// Anything else, in the server's own (localised) words.
    Other(api::Error),
}

/// Shows an API error: invalid fields beside the fields in `shown` (with a summary), anything
/// else as the summary, worded by `specific` when it knows the case.
pub fn report(
    err: api::Error,
    shown: &[&str],
    errors: FieldErrors,
    form_error: RwSignal<Option<FormError>>,
    specific: impl FnOnce(&api::Error) -> Option<FormError>,
) {
    let fields = err.field_errors();
    if fields.iter().any(|e| shown.contains(&e.field.as_str())) {
        errors.set(fields);
        form_error.set(Some(FormError::CheckFields));
        return;
    }
    let summary = specific(&err).unwrap_or_else(|| match err.code() {
        Some(ErrorCode::RateLimited) => FormError::TooMany {
            retry_after: err.retry_after(),
            locked: false,
        },
        _ => FormError::Other(err),
    });
    form_error.set(Some(summary));
}

/// The fields of `values` (name, value) left empty, as `required` errors; checked before a
/// request that would otherwise count as a failed attempt.
pub fn missing(values: &[(&str, &str)]) -> Vec<FieldError> {
    values
        .iter()
        .filter(|(_, value)| value.trim().is_empty())
        .map(|(field, _)| FieldError {
            field: (*field).to_owned(),
            reason: "required".to_owned(),
        })
        .collect()
}

/// The `password_confirm` error when a new password and its confirmation differ. The server
/// never sees the confirmation, so only here can a mistyped password be caught.
pub fn confirmation_error(password: &str, confirm: &str) -> Option<FieldError> {
    (!password.is_empty() && password != confirm).then(|| FieldError {
        field: "password_confirm".to_owned(),
        reason: "mismatch".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::{confirmation_error, missing};

    #[test]
    fn blank_values_are_missing() {
        let found = missing(&[("identifier", "  "), ("password", "secret"), ("code", "")]);
        let names: Vec<(&str, &str)> = found
            .iter()
            .map(|e| (e.field.as_str(), e.reason.as_str()))
            .collect();
        assert_eq!(names, [("identifier", "required"), ("code", "required")]);
    }

    #[test]
    fn a_differing_confirmation_is_an_error_on_the_confirmation() {
        assert_eq!(confirmation_error("", ""), None);
        assert_eq!(confirmation_error("secret-1", "secret-1"), None);
        let err = confirmation_error("secret-1", "secret-2");
        assert_eq!(
            err.map(|e| (e.field, e.reason)),
            Some(("password_confirm".to_owned(), "mismatch".to_owned()))
        );
    }
}
