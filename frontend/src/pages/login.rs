//! `/login`: sign in with a password or with a code sent to an email address or mobile number,
//! then go to the page named by `?next=` (the account page by default).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::ErrorCode;
use shared::accounts::{CodePurpose, LoginRequest};

use crate::api::PublicApi;
use crate::auth::use_auth;
use crate::components::SignedInNotice;
use crate::components::form::{
    CodeField, ContactField, FieldErrors, FormAlert, FormError, PasswordSignInFields,
    SignInMode as Mode, SignInModes, SubmitButton, SwitchLink, missing, report,
};
use crate::components::send_code::{CodeSender, normalise_code};
use crate::i18n::{AccountMsg, RecoverMsg, use_i18n};
use crate::routes::{NEXT_PARAM, Page, after_sign_in};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();
    let next = Memo::new(move |_| query.with(|q| q.get(NEXT_PARAM)));

    let mode = RwSignal::new(Mode::Password);
    let identifier = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let destination = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let form_error = RwSignal::new(None);
    let submitting = RwSignal::new(false);
    let share_device = RwSignal::new(false);
    let sender = CodeSender::new(CodePurpose::Login, destination, errors, form_error);

    let switch_to = move |new_mode: Mode| {
        if mode.get_untracked() != new_mode {
            mode.set(new_mode);
            errors.clear();
            form_error.set(None);
        }
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if submitting.get_untracked() {
            return;
        }
        errors.clear();
        form_error.set(None);
        let current = mode.get_untracked();
        let by_code = current == Mode::Code;
        // Read only when the person chose to share them.
        let device = share_device.get_untracked().then(crate::device::current);
        let (request, blank) = if by_code {
            let (destination, code) = (destination.get_untracked(), code.get_untracked());
            let blank = missing(&[("destination", &destination), ("code", &code)]);
            let request = LoginRequest {
                identifier: destination,
                password: None,
                code: Some(normalise_code(&code)),
                device: device.clone(),
            };
            (request, blank)
        } else {
            let (identifier, password) = (identifier.get_untracked(), password.get_untracked());
            let blank = missing(&[("identifier", &identifier), ("password", &password)]);
            let request = LoginRequest {
                identifier,
                password: Some(password),
                code: None,
                device,
            };
            (request, blank)
        };
        // An empty field would only count as a failed attempt towards the lockout.
        if !blank.is_empty() {
            errors.set(blank);
            form_error.set(Some(FormError::CheckFields));
            return;
        }
        submitting.set(true);
        let api = PublicApi::new(i18n.lang_untracked());
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api.login(&request).await;
            submitting.set(false);
            match result {
                Ok(me) => {
                    auth.signed_in(me);
                    let to = after_sign_in(next.get_untracked().as_deref());
                    navigate(&to, Default::default());
                }
                Err(err) => report(err, current.fields(), errors, form_error, |err| {
                    match err.code() {
                        Some(ErrorCode::InvalidCredentials) => {
                            Some(FormError::InvalidCredentials { by_code })
                        }
                        Some(ErrorCode::RateLimited) => Some(FormError::TooMany {
                            retry_after: err.retry_after(),
                            locked: true,
                        }),
                        _ => None,
                    }
                }),
            }
        });
    };

    let notice = move || {
        let msg = match auth.notice() {
            Some(notice) => notice.msg(),
            None if next.with(Option::is_some) && auth.user().is_none() => {
                AccountMsg::SignInToContinue
            }
            None => return None,
        };
        Some(view! {
            <p class="notice notice--info" role="status" data-testid="login-notice">
                {move || i18n.t(msg)}
            </p>
        })
    };

    let fields = move || match mode.get() {
        Mode::Password => view! {
            <PasswordSignInFields
                identifier_id="login-identifier"
                password_id="login-password"
                identifier=identifier
                password=password
                errors=errors
            />
            <p class="form__aside">
                <A href=Page::ForgotPassword.path() {..} data-testid="login-forgot">
                    {move || i18n.t(RecoverMsg::ForgotLink)}
                </A>
            </p>
        }
        .into_any(),
        Mode::Code => view! {
            <ContactField
                id="login-destination"
                label=AccountMsg::DestinationLabel
                value=destination
                fields=&["destination", "identifier"]
                errors=errors
            />
            <CodeField
                id="login-code"
                value=code
                errors=errors
                sender=sender
                send_testid="login-send-code"
            />
        }
        .into_any(),
    };

    view! {
        <section class="auth">
            <h1 class="page-title" data-testid="page-title">
                {move || i18n.t(AccountMsg::LoginTitle)}
            </h1>
            <p class="lead">{move || i18n.t(AccountMsg::LoginLead)}</p>
            {notice}
            <SignedInNotice />
            <form class="form card" novalidate=true on:submit=on_submit>
                <SignInModes
                    mode=mode
                    on_select=switch_to
                    password_testid="login-mode-password"
                    code_testid="login-mode-code"
                />
                <FormAlert error=form_error testid="login-error" />
                {fields}
                <label class="form__check">
                    <input
                        type="checkbox"
                        data-testid="login-share-device"
                        prop:checked=move || share_device.get()
                        on:change=move |ev| share_device.set(event_target_checked(&ev))
                    />
                    " "
                    {move || i18n.t(AccountMsg::ShareDevice)}
                </label>
                <SubmitButton
                    testid="login-submit"
                    busy=submitting
                    label=AccountMsg::LoginSubmit
                    busy_label=AccountMsg::LoginSubmitting
                />
            </form>
            <SwitchLink
                question=AccountMsg::NoAccount
                page=Page::Register
                link=AccountMsg::NavRegister
                testid="login-register-link"
            />
        </section>
    }
}
