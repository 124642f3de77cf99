//! The frame of every account page: title, lead and tabs, and the page itself once the session
//! is known to be signed in. Visitors who are not signed in are sent to sign in and come back.
//! Parts only the organisation's managers may use sit inside [`ManagersOnly`].

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api;
use crate::auth::{Session, can_manage_org, use_auth};
use crate::components::AccountTabs;
use crate::components::form::{FormAlert, FormError};
use crate::components::page_header::PageHeader;
use crate::i18n::{AccountMsg, AnyMsg, Msg, SettingsMsg, use_i18n};
use crate::routes::{Page, login_then};

/// What the frame shows. A change of the signed-in account itself (a new organisation name, a
/// new contact) keeps it `SignedIn`, so the page below is not rebuilt and keeps what is typed.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Waiting,
    Unknown(api::Error),
    SignedIn,
}

#[component]
pub fn AccountShell(
    /// The page this frame is on, to come back to after signing in.
    page: Page,
    #[prop(into)] title: AnyMsg,
    #[prop(into)] lead: AnyMsg,
    /// Rendered once signed in; reads the account through `use_auth().user()`.
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move |_| {
        // Signing out navigates by itself; by the time this runs the page may already be gone.
        let still_here = location.pathname.with_untracked(|p| p == page.path());
        if matches!(auth.session(), Session::SignedOut) && still_here {
            let options = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(&login_then(page.path()), options);
        }
    });

    let shown = Memo::new(move |_| match auth.session() {
        Session::Checking | Session::SignedOut => Shown::Waiting,
        Session::Unknown(err) => Shown::Unknown(err),
        Session::SignedIn(_) => Shown::SignedIn,
    });
    let body = move || match shown.get() {
        Shown::Waiting => view! {
            <p class="loading">{move || i18n.t(Msg::Loading)}</p>
        }
        .into_any(),
        Shown::Unknown(err) => view! { <SessionUnknown err=err /> }.into_any(),
        Shown::SignedIn => view! {
            <AccountTabs />
            {children()}
        }
        .into_any(),
    };

    view! {
        <section class="page">
            <PageHeader title=move || i18n.t(title) lead=move || i18n.t(lead) />
            {body}
        </section>
    }
}

/// Its children for the organisation's owner and admins, a notice for everyone else. The role is
/// read through a memo, so a change of the account that keeps the role does not rebuild them.
#[component]
pub fn ManagersOnly(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let manages = Memo::new(move |_| auth.user().is_some_and(|me| can_manage_org(&me.role)));
    view! {
        <Show
            when=move || manages.get()
            fallback=move || {
                view! {
                    <p class="notice notice--info" data-testid="admins-only">
                        {move || i18n.t(SettingsMsg::AdminsOnly)}
                    </p>
                }
            }
        >
            {children()}
        </Show>
    }
}

/// The session check failed: say why and offer to ask again.
#[component]
fn SessionUnknown(err: api::Error) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let error = RwSignal::new(Some(FormError::Other(err)));
    view! {
        <FormAlert error=error testid="api-error" />
        <p class="actions">
            <button type="button" class="button" on:click=move |_| auth.check()>
                {move || i18n.t(AccountMsg::Retry)}
            </button>
        </p>
    }
}
