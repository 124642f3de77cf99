//! The candidate portal of an organisation: `/o/{slug}` and `/o/{slug}/login` sign a candidate
//! in by account, email or phone and password, or by a code sent to their email or phone;
//! `/o/{slug}/home` greets the signed-in candidate. Both show the organisation's own branding
//! and none of the console.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::candidates::{CandidateLoginRequest, CandidateMe};

use crate::api::{self, CandidateApi, PortalApi};
use crate::components::ApiErrors;
use crate::components::code_target::CodeTarget;
use crate::components::form::{
    Field, FormAlert, FormError, PasswordSignInFields, SignInForm, SignInMode as Mode, SignInModes,
    contact_autocomplete,
};
use crate::components::portal_frame::PortalFrame;
use crate::components::send_code::{CodeSender, CodeSentNotice, SendCodeButton};
use crate::i18n::{
    AccountMsg, ExamMsg, Msg, MyDataMsg, PortalMsg, ResultsMsg, hello_text, use_i18n,
};
use crate::routes::{PortalPage, SLUG_PARAM};

use super::candidate_exams::CandidateExamList;
use super::certificates_portal::MyCertificates;

/// The query parameter telling the sign-in page why the candidate is there.
const NOTICE_PARAM: &str = "notice";
const SIGNED_OUT: &str = "signed_out";
const EXPIRED: &str = "expired";

/// The organisation's slug from the URL (tracked).
pub(super) fn use_slug() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get(SLUG_PARAM).unwrap_or_default()))
}

/// Whether `me` is signed in to the portal of `slug` (a candidate of another organisation,
/// signed in on the same browser, is not).
fn signed_in_here(me: &CandidateMe, slug: &str) -> bool {
    me.portal.slug == slug
}

/// Sends the candidate to the portal's sign-in page (saying the session ended) once
/// `signed_out` turns true: a portal call answered 401 even after renewing the session.
pub(super) fn go_to_login_on_401(
    slug: Memo<String>,
    signed_out: impl Fn() -> bool + Send + Sync + 'static,
) {
    let navigate = use_navigate();
    Effect::new(move |_| {
        if signed_out() {
            let to = format!(
                "{}?{NOTICE_PARAM}={EXPIRED}",
                PortalPage::Login.path(&slug.get_untracked())
            );
            navigate(&to, replace());
        }
    });
}

fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

#[component]
pub fn PortalLoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_slug();
    let navigate = use_navigate();
    // A candidate already signed in to this portal goes straight to their page.
    let me = LocalResource::new(move || {
        let api = CandidateApi::new(i18n.lang_untracked());
        async move { api.me().await }
    });
    Effect::new(move |_| {
        let here = me.map(|me| matches!(me, Ok(Some(me)) if signed_in_here(me, &slug.get())));
        if here == Some(true) {
            navigate(&PortalPage::Home.path(&slug.get_untracked()), replace());
        }
    });
    view! {
        <PortalFrame slug=slug>
            <LoginForm slug=slug />
        </PortalFrame>
    }
}

#[component]
fn LoginForm(slug: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let query = use_query_map();
    let form = SignInForm::new();
    let target = CodeTarget::Portal {
        slug: slug.get_untracked(),
    };
    let sender = CodeSender::new(target, form.destination, form.errors, form.form_error);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(credentials) = form.begin() else {
            return;
        };
        let mode = credentials.mode;
        let request = CandidateLoginRequest {
            identifier: credentials.identifier.trim().to_owned(),
            password: credentials.password,
            code: credentials.code,
            device: None,
        };
        let api = PortalApi::new(i18n.lang_untracked());
        let slug = slug.get_untracked();
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api.login(&slug, &request).await;
            form.submitting.set(false);
            match result {
                Ok(_) => navigate(&PortalPage::Home.path(&slug), Default::default()),
                Err(err) => form.failed(mode, err),
            }
        });
    };

    let notice = move || {
        let msg = match query.with(|q| q.get(NOTICE_PARAM)).as_deref() {
            Some(SIGNED_OUT) => AccountMsg::NoticeSignedOut,
            Some(EXPIRED) => AccountMsg::NoticeSessionExpired,
            _ => return None,
        };
        Some(view! {
            <p class="notice notice--info" role="status" data-testid="portal-notice">
                {move || i18n.t(msg)}
            </p>
        })
    };
    let fields = move || {
        match form.mode.get() {
        Mode::Password => view! {
            <PasswordSignInFields
                identifier_id="portal-identifier"
                password_id="portal-password"
                identifier=form.identifier
                password=form.password
                errors=form.errors
            />
        }
        .into_any(),
        Mode::Code => view! {
            <Field
                id="portal-destination"
                label=AccountMsg::DestinationLabel
                value=form.destination
                testid="portal-destination"
                fields=&["destination", "identifier"]
                errors=form.errors
                autocomplete=Signal::derive(move || form.destination.with(|d| contact_autocomplete(d)))
            />
            <p class="field__hint">{move || i18n.t(PortalMsg::CodeHint)}</p>
            <Field
                id="portal-code"
                label=AccountMsg::CodeLabel
                value=form.code
                testid="portal-code"
                fields=&["code"]
                errors=form.errors
                autocomplete="one-time-code"
                inputmode="numeric"
            >
                <SendCodeButton sender=sender testid="portal-send-code" />
            </Field>
            <CodeSentNotice sender=sender />
        }
        .into_any(),
    }
    };
    view! {
        <section class="auth">
            <h1 class="page-title" data-testid="page-title">
                {move || i18n.t(PortalMsg::LoginTitle)}
            </h1>
            <p class="lead">{move || i18n.t(PortalMsg::LoginLead)}</p>
            {notice}
            <form class="form card" novalidate=true on:submit=on_submit>
                <SignInModes
                    mode=form.mode
                    on_select=move |mode| form.switch_to(mode)
                    password_testid="portal-mode-password"
                    code_testid="portal-mode-code"
                />
                <FormAlert error=form.form_error testid="portal-login-error" />
                {fields}
                <button
                    type="submit"
                    class="button button--block"
                    data-testid="portal-login-submit"
                    disabled=form.submitting
                >
                    {move || {
                        i18n.t(
                            if form.submitting.get() {
                                AccountMsg::LoginSubmitting
                            } else {
                                AccountMsg::LoginSubmit
                            },
                        )
                    }}
                </button>
            </form>
            <p class="hint">
                <a href=move || PortalPage::Code.path(&slug.get()) data-testid="portal-have-code">
                    {move || i18n.t(ExamMsg::HaveCode)}
                </a>
            </p>
        </section>
    }
}

#[component]
pub fn PortalHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_slug();
    let navigate = use_navigate();
    let me = LocalResource::new(move || {
        let api = CandidateApi::new(i18n.lang_untracked());
        async move { api.me().await }
    });
    // Nobody signed in to this portal: to its sign-in page.
    Effect::new(move |_| {
        let away = me.map(|me| match me {
            Ok(Some(me)) => !signed_in_here(me, &slug.get()),
            Ok(None) => true,
            Err(_) => false,
        });
        if away == Some(true) {
            let to = format!(
                "{}?{NOTICE_PARAM}={EXPIRED}",
                PortalPage::Login.path(&slug.get_untracked())
            );
            navigate(&to, replace());
        }
    });
    view! {
        <PortalFrame slug=slug>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let view = match me.await? {
                            Some(me) if signed_in_here(&me, &slug.get_untracked()) => {
                                view! { <CandidateHome me=me slug=slug /> }.into_any()
                            }
                            _ => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                        };
                        Ok::<_, api::Error>(view)
                    })}
                </ErrorBoundary>
            </Transition>
        </PortalFrame>
    }
}

#[component]
fn CandidateHome(me: CandidateMe, slug: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let signing_out = RwSignal::new(false);
    let error = RwSignal::new(None);
    let sign_out = move |_| {
        if signing_out.get_untracked() {
            return;
        }
        signing_out.set(true);
        error.set(None);
        let api = CandidateApi::new(i18n.lang_untracked());
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api.logout().await;
            signing_out.set(false);
            match result {
                Ok(()) => {
                    let to = format!(
                        "{}?{NOTICE_PARAM}={SIGNED_OUT}",
                        PortalPage::Login.path(&slug.get_untracked())
                    );
                    navigate(&to, Default::default());
                }
                Err(err) => error.set(Some(FormError::Other(err))),
            }
        });
    };
    let name = me.name.clone();
    view! {
        <section class="portal-home">
            <h1 class="page-title" data-testid="portal-hello">
                {move || hello_text(&name, i18n.lang())}
            </h1>
            <p class="lead">{move || i18n.t(PortalMsg::HomeLead)}</p>
            <div class="card">
                <dl class="details">
                    <dt>{move || i18n.t(PortalMsg::SignedInAs)}</dt>
                    <dd>
                        <code data-testid="portal-account">{me.account.clone()}</code>
                    </dd>
                </dl>
            </div>
            <CandidateExamList slug=slug />
            <p class="actions">
                <a class="button" href=move || PortalPage::Results.path(&slug.get()) data-testid="portal-my-results">
                    {move || i18n.t(ResultsMsg::MyResults)}
                </a>
                <a class="button button--secondary" href=move || PortalPage::MyData.path(&slug.get()) data-testid="portal-my-data">
                    {move || i18n.t(MyDataMsg::Title)}
                </a>
            </p>
            <MyCertificates />
            <FormAlert error=error testid="portal-error" />
            <p class="actions">
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="portal-logout"
                    disabled=signing_out
                    on:click=sign_out
                >
                    {move || {
                        i18n.t(if signing_out.get() { AccountMsg::SigningOut } else { AccountMsg::Logout })
                    }}
                </button>
            </p>
        </section>
    }
}
