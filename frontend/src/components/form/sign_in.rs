//! What the sign-in forms (console and portal) share: the password/code switch and the
//! account-and-password fields.

use leptos::prelude::*;

use shared::ErrorCode;

use super::errors::{FieldErrors, FormError, missing, report};
use super::fields::Field;
use crate::api;
use crate::components::send_code::normalise_code;
use crate::i18n::{AccountMsg, use_i18n};

/// How someone signs in: with a password or with a code sent to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMode {
    Password,
    Code,
}

impl SignInMode {
    /// The API fields whose errors show on this mode's inputs.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            SignInMode::Password => &["identifier", "password"],
            SignInMode::Code => &["destination", "identifier", "code"],
        }
    }
}

/// What a sign-in form (console or portal) holds: its mode, the values of both modes, and its
/// errors and progress.
#[derive(Debug, Clone, Copy)]
pub struct SignInForm {
    pub mode: RwSignal<SignInMode>,
    pub identifier: RwSignal<String>,
    pub password: RwSignal<String>,
    pub destination: RwSignal<String>,
    pub code: RwSignal<String>,
    pub errors: FieldErrors,
    pub form_error: RwSignal<Option<FormError>>,
    pub submitting: RwSignal<bool>,
}

/// What a sign-in sends, as typed: the account and password, or the address a code went to
/// and the code (normalised).
#[derive(Debug, Clone)]
pub struct Credentials {
    pub mode: SignInMode,
    pub identifier: String,
    pub password: Option<String>,
    pub code: Option<String>,
}

impl SignInForm {
    pub fn new() -> Self {
        SignInForm {
            mode: RwSignal::new(SignInMode::Password),
            identifier: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            destination: RwSignal::new(String::new()),
            code: RwSignal::new(String::new()),
            errors: FieldErrors::default(),
            form_error: RwSignal::new(None),
            submitting: RwSignal::new(false),
        }
    }

    /// Switches to `mode`, forgetting what the form said in the other one.
    pub fn switch_to(&self, mode: SignInMode) {
        if self.mode.get_untracked() != mode {
            self.mode.set(mode);
            self.errors.clear();
            self.form_error.set(None);
        }
    }

    /// Starts a submission: `None` while one is under way, or when a field of the current mode
    /// is empty (shown beside it: sent, it would only count as a failed attempt towards the
    /// lockout); otherwise what to send, with the form marked as submitting.
    pub fn begin(&self) -> Option<Credentials> {
        if self.submitting.get_untracked() {
            return None;
        }
        self.errors.clear();
        self.form_error.set(None);
        let mode = self.mode.get_untracked();
        let (credentials, blank) = match mode {
            SignInMode::Code => {
                let (destination, code) =
                    (self.destination.get_untracked(), self.code.get_untracked());
                let blank = missing(&[("destination", &destination), ("code", &code)]);
                let credentials = Credentials {
                    mode,
                    identifier: destination,
                    password: None,
                    code: Some(normalise_code(&code)),
                };
                (credentials, blank)
            }
            SignInMode::Password => {
                let (identifier, password) = (
                    self.identifier.get_untracked(),
                    self.password.get_untracked(),
                );
                let blank = missing(&[("identifier", &identifier), ("password", &password)]);
                let credentials = Credentials {
                    mode,
                    identifier,
                    password: Some(password),
                    code: None,
                };
                (credentials, blank)
            }
        };
        if !blank.is_empty() {
            self.errors.set(blank);
            self.form_error.set(Some(FormError::CheckFields));
            return None;
        }
        self.submitting.set(true);
        Some(credentials)
    }

    /// Shows why a sign-in in `mode` failed: wrong credentials and a lockout in sign-in words,
    /// anything else as [`report`] does.
    pub fn failed(&self, mode: SignInMode, err: api::Error) {
        let by_code = mode == SignInMode::Code;
        report(
            err,
            mode.fields(),
            self.errors,
            self.form_error,
            |err| match err.code() {
                Some(ErrorCode::InvalidCredentials) => {
                    Some(FormError::InvalidCredentials { by_code })
                }
                Some(ErrorCode::RateLimited) => Some(FormError::TooMany {
                    retry_after: err.retry_after(),
                    locked: true,
                }),
                _ => None,
            },
        );
    }
}

impl Default for SignInForm {
    fn default() -> Self {
        Self::new()
    }
}

/// The password/code switch of a sign-in form (console or portal); the pressed button is the
/// current mode.
#[component]
pub fn SignInModes(
    mode: RwSignal<SignInMode>,
    on_select: impl Fn(SignInMode) + Copy + 'static,
    password_testid: &'static str,
    code_testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let button = move |value: SignInMode, label: AccountMsg, testid: &'static str| {
        let pressed = move || if mode.get() == value { "true" } else { "false" };
        view! {
            <button
                type="button"
                class="segmented__button"
                aria-pressed=pressed
                data-testid=testid
                on:click=move |_| on_select(value)
            >
                {move || i18n.t(label)}
            </button>
        }
    };
    view! {
        <div class="segmented" role="group" aria-label=move || i18n.t(AccountMsg::LoginModes)>
            {button(SignInMode::Password, AccountMsg::ModePassword, password_testid)}
            {button(SignInMode::Code, AccountMsg::ModeCode, code_testid)}
        </div>
    }
}

/// The account and password of a sign-in form; the ids are also the test ids.
#[component]
pub fn PasswordSignInFields(
    identifier_id: &'static str,
    password_id: &'static str,
    identifier: RwSignal<String>,
    password: RwSignal<String>,
    errors: FieldErrors,
) -> impl IntoView {
    view! {
        <Field
            id=identifier_id
            label=AccountMsg::IdentifierLabel
            value=identifier
            testid=identifier_id
            fields=&["identifier"]
            errors=errors
            autocomplete="username"
            hint=AccountMsg::IdentifierHint
        />
        <Field
            id=password_id
            label=AccountMsg::PasswordLabel
            value=password
            testid=password_id
            fields=&["password"]
            errors=errors
            autocomplete="current-password"
            input_type="password"
        />
    }
}
