//! `/register`: register an organisation with a verified email or mobile number; the new owner
//! is signed in and lands on the account page.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::ErrorCode;
use shared::accounts::{CodePurpose, RegisterOrgRequest};

use crate::api::PublicApi;
use crate::auth::use_auth;
use crate::components::SignedInNotice;
use crate::components::form::{
    CodeField, ContactField, Field, FieldErrors, FormAlert, FormError, NewPasswordFields,
    SubmitButton, SwitchLink, confirmation_error, missing, report,
};
use crate::components::policy_agreement::{PolicyAgreement, acceptance};
use crate::components::send_code::{CodeSender, normalise_code};
use crate::i18n::{AccountMsg, use_i18n};
use crate::routes::Page;

/// The request's fields, each shown beside its input.
const FIELDS: &[&str] = &["org_name", "destination", "code", "password"];

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let org_name = RwSignal::new(String::new());
    let destination = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_confirm = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let form_error = RwSignal::new(None);
    let submitting = RwSignal::new(false);
    let sender = CodeSender::new(CodePurpose::Register, destination, errors, form_error);
    let agreed = RwSignal::new(false);
    let versions = RwSignal::new(None);
    let agreement_missing = RwSignal::new(false);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if submitting.get_untracked() {
            return;
        }
        errors.clear();
        form_error.set(None);
        let request = RegisterOrgRequest {
            org_name: org_name.get_untracked(),
            password: password.get_untracked(),
            destination: destination.get_untracked(),
            code: normalise_code(&code.get_untracked()),
            accept: acceptance(agreed, versions),
        };
        // Blank fields are reported here (the server would say "invalid" for a blank code);
        // the server checks everything else, except the confirmation it never sees.
        let mut problems = missing(&[
            ("org_name", &request.org_name),
            ("destination", &request.destination),
            ("code", &request.code),
            ("password", &request.password),
        ]);
        problems.extend(confirmation_error(
            &request.password,
            &password_confirm.get_untracked(),
        ));
        agreement_missing.set(request.accept.is_none());
        if !problems.is_empty() || request.accept.is_none() {
            errors.set(problems);
            form_error.set(Some(FormError::CheckFields));
            return;
        }
        submitting.set(true);
        let api = PublicApi::new(i18n.lang_untracked());
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api.register_org(&request).await;
            submitting.set(false);
            match result {
                Ok(me) => {
                    auth.signed_in(me);
                    navigate(Page::Account.path(), Default::default());
                }
                Err(err) => report(err, FIELDS, errors, form_error, |err| {
                    (err.code() == Some(ErrorCode::Conflict))
                        .then_some(FormError::AlreadyRegistered)
                }),
            }
        });
    };

    view! {
        <section class="auth">
            <h1 class="page-title" data-testid="page-title">
                {move || i18n.t(AccountMsg::RegisterTitle)}
            </h1>
            <p class="lead">{move || i18n.t(AccountMsg::RegisterLead)}</p>
            <SignedInNotice />
            <form class="form card" novalidate=true on:submit=on_submit>
                <FormAlert error=form_error testid="register-error" />
                <Field
                    id="register-org-name"
                    label=AccountMsg::OrgNameLabel
                    value=org_name
                    testid="register-org-name"
                    fields=&["org_name"]
                    errors=errors
                    autocomplete="organization"
                    maxlength=100
                    hint=AccountMsg::OrgNameHint
                />
                <ContactField
                    id="register-destination"
                    label=AccountMsg::DestinationLabel
                    value=destination
                    fields=&["destination"]
                    errors=errors
                    hint=AccountMsg::DestinationHint
                />
                <CodeField
                    id="register-code"
                    value=code
                    errors=errors
                    sender=sender
                    send_testid="register-send-code"
                />
                <NewPasswordFields
                    id="register-password"
                    confirm_id="register-password-confirm"
                    label=AccountMsg::PasswordLabel
                    confirm_label=AccountMsg::PasswordConfirmLabel
                    fields=&["password"]
                    password=password
                    confirm=password_confirm
                    errors=errors
                />
                <PolicyAgreement
                    checked=agreed
                    versions=versions
                    missing=agreement_missing
                    with_terms=true
                    privacy_href=Page::Privacy.path()
                    testid="register-accept"
                />
                <SubmitButton
                    testid="register-submit"
                    busy=submitting
                    label=AccountMsg::RegisterSubmit
                    busy_label=AccountMsg::RegisterSubmitting
                />
            </form>
            <SwitchLink
                question=AccountMsg::HaveAccount
                page=Page::Login
                link=AccountMsg::NavLogin
                testid="register-login-link"
            />
        </section>
    }
}
