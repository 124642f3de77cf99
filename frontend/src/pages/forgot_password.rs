//! `/forgot-password`: a code sent to the account's email address or mobile number, then a new
//! password. Resetting signs the account out everywhere, so the page ends with the way to sign
//! in again.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::accounts::{CodePurpose, ResetPasswordRequest};

use crate::api::PublicApi;
use crate::auth::use_auth;
use crate::components::form::{
    CodeField, ContactField, FieldErrors, FormAlert, FormError, NewPasswordFields, SubmitButton,
    SwitchLink, confirmation_error, missing, report,
};
use crate::components::send_code::{CodeSender, normalise_code};
use crate::i18n::{AccountMsg, RecoverMsg, use_i18n};
use crate::routes::Page;

/// The request's fields, each shown beside its input.
const FIELDS: &[&str] = &["destination", "code", "new_password"];

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let destination = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_confirm = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let form_error = RwSignal::new(None);
    let submitting = RwSignal::new(false);
    let done = RwSignal::new(false);
    let sender = CodeSender::new(CodePurpose::Recover, destination, errors, form_error);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if submitting.get_untracked() {
            return;
        }
        errors.clear();
        form_error.set(None);
        let request = ResetPasswordRequest {
            destination: destination.get_untracked(),
            code: normalise_code(&code.get_untracked()),
            new_password: password.get_untracked(),
        };
        let mut problems = missing(&[
            ("destination", &request.destination),
            ("code", &request.code),
            ("new_password", &request.new_password),
        ]);
        problems.extend(confirmation_error(
            &request.new_password,
            &password_confirm.get_untracked(),
        ));
        if !problems.is_empty() {
            errors.set(problems);
            form_error.set(Some(FormError::CheckFields));
            return;
        }
        submitting.set(true);
        let api = PublicApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = api.reset_password(&request).await;
            submitting.set(false);
            match result {
                Ok(()) => {
                    done.set(true);
                    // Every session of the account has ended, perhaps this browser's too.
                    if auth.user().is_some() {
                        auth.check();
                    }
                }
                Err(err) => report(err, FIELDS, errors, form_error, |_| None),
            }
        });
    };

    let form = move || {
        if done.get() {
            return view! {
                <div class="card form" role="status">
                    <p class="notice" data-testid="forgot-done">
                        {move || i18n.t(RecoverMsg::Done)}
                    </p>
                    <A
                        href=Page::Login.path()
                        attr:class="button button--block"
                        {..}
                        data-testid="forgot-login-link"
                    >
                        {move || i18n.t(AccountMsg::GoToLogin)}
                    </A>
                </div>
            }
            .into_any();
        }
        view! {
            <form class="form card" novalidate=true on:submit=on_submit>
                <FormAlert error=form_error testid="forgot-error" />
                <ContactField
                    id="forgot-destination"
                    label=AccountMsg::DestinationLabel
                    value=destination
                    fields=&["destination"]
                    errors=errors
                    hint=RecoverMsg::DestinationHint
                />
                <CodeField
                    id="forgot-code"
                    value=code
                    errors=errors
                    sender=sender
                    send_testid="forgot-send-code"
                />
                <NewPasswordFields
                    id="forgot-password"
                    confirm_id="forgot-password-confirm"
                    label=RecoverMsg::NewPasswordLabel
                    confirm_label=RecoverMsg::NewPasswordConfirmLabel
                    fields=&["new_password"]
                    password=password
                    confirm=password_confirm
                    errors=errors
                />
                <SubmitButton
                    testid="forgot-submit"
                    busy=submitting
                    label=RecoverMsg::Submit
                    busy_label=RecoverMsg::Submitting
                />
            </form>
        }
        .into_any()
    };

    view! {
        <section class="auth">
            <h1 class="page-title" data-testid="page-title">
                {move || i18n.t(RecoverMsg::Title)}
            </h1>
            <p class="lead">{move || i18n.t(RecoverMsg::Lead)}</p>
            {form}
            <SwitchLink
                question=RecoverMsg::Remembered
                page=Page::Login
                link=AccountMsg::NavLogin
                testid="forgot-back-to-login"
            />
        </section>
    }
}
