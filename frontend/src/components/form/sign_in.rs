//! What the sign-in forms (console and portal) share: the password/code switch and the
//! account-and-password fields.

use leptos::prelude::*;

use super::errors::FieldErrors;
use super::fields::Field;
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
