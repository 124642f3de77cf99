//! `/login`: sign in with a password or with a code sent to an email address or mobile number,
//! then go to the page named by `?next=` (the account page by default).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::accounts::{CodePurpose, LoginRequest};

use crate::api::PublicApi;
use crate::auth::use_auth;
use crate::components::SignedInNotice;
use crate::components::form::{
    CodeField, ContactField, FormAlert, PasswordSignInFields, SignInForm, SignInMode as Mode,
    SignInModes, SubmitButton, SwitchLink,
};
use crate::components::send_code::CodeSender;
use crate::i18n::{AccountMsg, RecoverMsg, use_i18n};
use crate::routes::{NEXT_PARAM, Page, after_sign_in};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();
    let next = Memo::new(move |_| query.with(|q| q.get(NEXT_PARAM)));

    let form = SignInForm::new();
    let share_device = RwSignal::new(false);
    let sender = CodeSender::new(
        CodePurpose::Login,
        form.destination,
        form.errors,
        form.form_error,
    );

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(credentials) = form.begin() else {
            return;
        };
        // Read only when the person chose to share them.
        let device = share_device.get_untracked().then(crate::device::current);
        let mode = credentials.mode;
        let request = LoginRequest {
            identifier: credentials.identifier,
            password: credentials.password,
            code: credentials.code,
            device,
        };
        let api = PublicApi::new(i18n.lang_untracked());
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api.login(&request).await;
            form.submitting.set(false);
            match result {
                Ok(me) => {
                    auth.signed_in(me);
                    let to = after_sign_in(next.get_untracked().as_deref());
                    navigate(&to, Default::default());
                }
                Err(err) => form.failed(mode, err),
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

    let fields = move || match form.mode.get() {
        Mode::Password => view! {
            <PasswordSignInFields
                identifier_id="login-identifier"
                password_id="login-password"
                identifier=form.identifier
                password=form.password
                errors=form.errors
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
                value=form.destination
                fields=&["destination", "identifier"]
                errors=form.errors
            />
            <CodeField
                id="login-code"
                value=form.code
                errors=form.errors
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
                    mode=form.mode
                    on_select=move |mode| form.switch_to(mode)
                    password_testid="login-mode-password"
                    code_testid="login-mode-code"
                />
                <FormAlert error=form.form_error testid="login-error" />
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
                    busy=form.submitting
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
