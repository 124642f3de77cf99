//! The account corner of the header: sign-in and register links for visitors, the organisation
//! and a link to the account page for a signed-in user.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::{Session, use_auth};
use crate::i18n::{AccountMsg, use_i18n};
use crate::routes::Page;

#[component]
pub fn AccountNav() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let links = move || {
        match auth.session() {
        // Nothing until the check answers, rather than sign-in links that then vanish.
        Session::Checking => ().into_any(),
        Session::SignedIn(me) => view! {
            <span class="account-nav__org" data-testid="nav-org-name" title=me.org.name.clone()>
                {me.org.name.clone()}
            </span>
            <A href=Page::Account.path() {..} data-testid="nav-account">
                {move || i18n.t(AccountMsg::NavAccount)}
            </A>
        }
        .into_any(),
        Session::SignedOut | Session::Unknown(_) => view! {
            <A href=Page::Login.path() {..} data-testid="nav-login">
                {move || i18n.t(AccountMsg::NavLogin)}
            </A>
            <A href=Page::Register.path() attr:class="account-nav__cta" {..} data-testid="nav-register">
                {move || i18n.t(AccountMsg::NavRegister)}
            </A>
        }
        .into_any(),
    }
    };
    view! {
        <nav class="account-nav" aria-label=move || i18n.t(AccountMsg::AccountMenu)>
            {links}
        </nav>
    }
}
