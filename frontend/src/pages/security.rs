//! `/account/security`: bind or change the email address or mobile number (a code to the new
//! address and the current password), and change the password, which signs every other device
//! out.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ErrorCode;
use shared::accounts::{BindContactRequest, ChangePasswordRequest};

use crate::api::{self, AuthApi, FieldError};
use crate::auth::use_auth;
use crate::components::AccountShell;
use crate::components::form::{
    CodeField, ContactField, Field, FieldErrors, FormAlert, FormError, FormNotice, FormState,
    NewPasswordFields, SubmitButton, confirmation_error, missing, report,
};
use crate::components::send_code::{CodeSender, normalise_code};
use crate::i18n::{AccountMsg, SettingsMsg, use_i18n};
use crate::routes::Page;

#[component]
pub fn SecurityPage() -> impl IntoView {
    view! {
        <AccountShell
            page=Page::AccountSecurity
            title=SettingsMsg::SecurityTitle
            lead=SettingsMsg::SecurityLead
        >
            <div class="settings-grid">
                <ContactForm />
                <PasswordForm />
            </div>
        </AccountShell>
    }
}

/// Shows a wrong current password beside `password_field` and an address taken by another
/// account beside the address; anything else as [`report`] does.
fn report_account_change(
    err: api::Error,
    password_field: &'static str,
    shown: &[&str],
    errors: FieldErrors,
    form_error: RwSignal<Option<FormError>>,
) {
    match err.code() {
        Some(ErrorCode::InvalidCredentials) => {
            errors.set(vec![FieldError {
                field: password_field.to_owned(),
                reason: "wrong".to_owned(),
            }]);
            form_error.set(Some(FormError::CheckFields));
        }
        Some(ErrorCode::Conflict) => {
            errors.set(vec![FieldError {
                field: "destination".to_owned(),
                reason: "taken".to_owned(),
            }]);
            form_error.set(Some(FormError::CheckFields));
        }
        _ => report(err, shown, errors, form_error, |_| None),
    }
}

#[component]
fn ContactForm() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let destination = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let form = FormState::new();
    let FormState {
        errors,
        error: form_error,
        notice,
        submitting,
    } = form;
    let sender = CodeSender::for_binding(destination, errors, form_error);

    let on_submit = form.on_submit(move || {
        let request = BindContactRequest {
            destination: destination.get_untracked().trim().to_owned(),
            code: normalise_code(&code.get_untracked()),
            password: password.get_untracked(),
        };
        let blank = missing(&[
            ("destination", &request.destination),
            ("code", &request.code),
            ("current_password", &request.password),
        ]);
        if !blank.is_empty() {
            errors.set(blank);
            form_error.set(Some(FormError::CheckFields));
            return;
        }
        submitting.set(true);
        let api = AuthApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = auth.checked(api.bind_contact(&request).await);
            submitting.set(false);
            match result {
                Ok(me) => {
                    auth.update_user(|current| *current = me);
                    destination.set(String::new());
                    code.set(String::new());
                    password.set(String::new());
                    notice.set(Some(SettingsMsg::ContactSaved.into()));
                }
                Err(err) => report_account_change(
                    err,
                    "current_password",
                    &["destination", "code", "current_password"],
                    errors,
                    form_error,
                ),
            }
        });
    });

    let current = move |masked: fn(&shared::accounts::MeResponse) -> Option<String>| {
        move || {
            auth.user()
                .and_then(|me| masked(&me))
                .unwrap_or_else(|| i18n.t(AccountMsg::NotSet).to_owned())
        }
    };

    view! {
        <form class="form card" novalidate=true on:submit=on_submit>
            <h2 class="card__title">{move || i18n.t(SettingsMsg::ContactSection)}</h2>
            <dl class="details">
                <dt>{move || i18n.t(AccountMsg::Email)}</dt>
                <dd data-testid="contact-current-email">{current(|me| me.email.clone())}</dd>
                <dt>{move || i18n.t(AccountMsg::Phone)}</dt>
                <dd data-testid="contact-current-phone">{current(|me| me.phone.clone())}</dd>
            </dl>
            <FormAlert error=form_error testid="contact-error" />
            <ContactField
                id="contact-destination"
                label=SettingsMsg::ContactNewLabel
                value=destination
                fields=&["destination"]
                errors=errors
                hint=SettingsMsg::ContactHint
            />
            <CodeField
                id="contact-code"
                value=code
                errors=errors
                sender=sender
                send_testid="contact-send-code"
            />
            <Field
                id="contact-password"
                label=SettingsMsg::CurrentPasswordLabel
                value=password
                testid="contact-password"
                fields=&["current_password"]
                errors=errors
                autocomplete="current-password"
                input_type="password"
            />
            <FormNotice notice=notice testid="contact-saved" />
            <SubmitButton
                testid="contact-submit"
                busy=submitting
                label=SettingsMsg::ContactSubmit
                busy_label=SettingsMsg::ContactSubmitting
                class="button"
            />
        </form>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let form = FormState::new();
    let FormState {
        errors,
        error: form_error,
        notice,
        submitting,
    } = form;

    let on_submit = form.on_submit(move || {
        let request = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: password.get_untracked(),
        };
        let mut problems = missing(&[
            ("current_password", &request.current_password),
            ("new_password", &request.new_password),
        ]);
        problems.extend(confirmation_error(
            &request.new_password,
            &confirm.get_untracked(),
        ));
        if !problems.is_empty() {
            errors.set(problems);
            form_error.set(Some(FormError::CheckFields));
            return;
        }
        submitting.set(true);
        let api = AuthApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = auth.checked(api.change_password(&request).await);
            submitting.set(false);
            match result {
                Ok(()) => {
                    current.set(String::new());
                    password.set(String::new());
                    confirm.set(String::new());
                    notice.set(Some(SettingsMsg::PasswordChanged.into()));
                }
                Err(err) => report_account_change(
                    err,
                    "current_password",
                    &["current_password", "new_password"],
                    errors,
                    form_error,
                ),
            }
        });
    });

    view! {
        <form class="form card" novalidate=true on:submit=on_submit>
            <h2 class="card__title">{move || i18n.t(SettingsMsg::PasswordSection)}</h2>
            <p class="notice notice--info" data-testid="password-note">
                {move || i18n.t(SettingsMsg::PasswordNote)}
            </p>
            <FormAlert error=form_error testid="password-error" />
            <Field
                id="password-current"
                label=SettingsMsg::CurrentPasswordLabel
                value=current
                testid="password-current"
                fields=&["current_password"]
                errors=errors
                autocomplete="current-password"
                input_type="password"
            />
            <NewPasswordFields
                id="password-new"
                confirm_id="password-new-confirm"
                label=SettingsMsg::NewPasswordLabel
                confirm_label=SettingsMsg::NewPasswordConfirmLabel
                fields=&["new_password"]
                password=password
                confirm=confirm
                errors=errors
            />
            <FormNotice notice=notice testid="password-changed" />
            <SubmitButton
                testid="password-submit"
                busy=submitting
                label=SettingsMsg::PasswordSubmit
                busy_label=SettingsMsg::PasswordSubmitting
                class="button"
            />
        </form>
    }
}
