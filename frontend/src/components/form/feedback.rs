//! What a form says around its fields: the error summary above it, the notice after a
//! success, the submit button and the link to the other sign-in page.

use leptos::oco::Oco;
use leptos::prelude::*;
use leptos_router::components::A;

use super::errors::FormError;
use crate::i18n::{AccountMsg, AnyMsg, Msg, Text, too_many_text, use_i18n};
use crate::routes::Page;

/// The summary above a form; absent while there is nothing to say.
#[component]
pub fn FormAlert(
    error: RwSignal<Option<FormError>>,
    #[prop(into)] testid: Oco<'static, str>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let lang = i18n.lang();
        error.get().map(|error| {
            let (message, extra) = match error {
                FormError::CheckFields => {
                    (AccountMsg::ErrorCheckFields.text(lang).to_owned(), None)
                }
                FormError::AlreadyRegistered => {
                    let link = view! {
                        <p class="alert__action">
                            <A href=Page::Login.path() {..} data-testid="error-login-link">
                                {AccountMsg::GoToLogin.text(lang)}
                            </A>
                        </p>
                    };
                    (
                        AccountMsg::ErrorAlreadyRegistered.text(lang).to_owned(),
                        Some(link.into_any()),
                    )
                }
                FormError::InvalidCredentials { by_code } => {
                    let msg = if by_code {
                        AccountMsg::ErrorInvalidCode
                    } else {
                        AccountMsg::ErrorInvalidPassword
                    };
                    (msg.text(lang).to_owned(), None)
                }
                FormError::TooMany {
                    retry_after,
                    locked,
                } => (too_many_text(retry_after, locked, lang), None),
                FormError::Text(msg) => (msg.text(lang).to_owned(), None),
                FormError::Other(err) => {
                    let request_id = err.request_id().map(|id| {
                        view! {
                            <p class="alert__request-id">
                                {Msg::RequestId.text(lang)} ": " <code>{id.to_owned()}</code>
                            </p>
                        }
                        .into_any()
                    });
                    (err.message(lang), request_id)
                }
            };
            view! {
                <div class="alert alert--error form-alert" role="alert" data-testid=testid.clone()>
                    <p class="alert__message">{message}</p>
                    {extra}
                </div>
            }
        })
    }
}

/// The notice after a form succeeded; absent until then. Announced politely.
#[component]
pub fn FormNotice(notice: RwSignal<Option<AnyMsg>>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        notice.get().map(|msg| {
            view! {
                <p class="notice" data-testid=testid>
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };
    view! {
        <div class="form-notice" role="status">
            {text}
        </div>
    }
}

/// A form's submit button, disabled and relabelled while the request is under way.
#[component]
pub fn SubmitButton(
    testid: &'static str,
    busy: RwSignal<bool>,
    #[prop(into)] label: AnyMsg,
    #[prop(into)] busy_label: AnyMsg,
    /// Full width under the sign-in forms; inline in the settings cards.
    #[prop(default = "button button--block")]
    class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class=class data-testid=testid disabled=busy>
            {move || i18n.t(if busy.get() { busy_label } else { label })}
        </button>
    }
}

/// "No account yet? Register" under a sign-in form: the way to the neighbouring page.
#[component]
pub fn SwitchLink(
    #[prop(into)] question: AnyMsg,
    page: Page,
    #[prop(into)] link: AnyMsg,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="auth__switch">
            {move || i18n.t(question)} " "
            <A href=page.path() {..} data-testid=testid>
                {move || i18n.t(link)}
            </A>
        </p>
    }
}
