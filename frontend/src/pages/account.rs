//! `/account`: the signed-in account (organisation, portal, role, masked contacts) and signing
//! out here or everywhere.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::accounts::MeResponse;

use crate::auth::use_auth;
use crate::components::AccountShell;
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{AccountMsg, role_msg, use_i18n};
use crate::routes::Page;

#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = use_auth();
    view! {
        <AccountShell page=Page::Account title=AccountMsg::AccountTitle lead=AccountMsg::AccountLead>
            {move || auth.user().map(|me| view! { <AccountDetails me=me /> })}
        </AccountShell>
    }
}

#[component]
fn AccountDetails(me: MeResponse) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    // Which sign-out is under way: `Some(everywhere)`.
    let signing_out = RwSignal::new(None::<bool>);
    let busy = move || signing_out.with(Option::is_some);
    let error = RwSignal::new(None);
    let sign_out = move |everywhere: bool| {
        if signing_out.with_untracked(Option::is_some) {
            return;
        }
        signing_out.set(Some(everywhere));
        error.set(None);
        spawn_local(async move {
            let result = auth.sign_out(everywhere).await;
            signing_out.set(None);
            if let Err(err) = result {
                error.set(Some(FormError::Other(err)));
            }
        });
    };

    let MeResponse {
        role,
        org,
        email,
        phone,
        ..
    } = me;
    let role_label = {
        let role = role.clone();
        move || role_msg(&role).map_or_else(|| role.clone(), |msg| i18n.t(msg).to_owned())
    };
    let portal = format!("/o/{}", org.slug);
    let button_text = move |everywhere: bool, msg: AccountMsg| {
        move || {
            i18n.t(if signing_out.get() == Some(everywhere) {
                AccountMsg::SigningOut
            } else {
                msg
            })
        }
    };

    view! {
        <div class="cards">
            <article class="card">
                <h2 class="card__title">{move || i18n.t(AccountMsg::OrgSection)}</h2>
                <dl class="details">
                    <dt>{move || i18n.t(AccountMsg::OrgName)}</dt>
                    <dd data-testid="account-org-name">{org.name}</dd>
                    <dt>{move || i18n.t(AccountMsg::PortalSlug)}</dt>
                    <dd>
                        <code data-testid="account-slug">{org.slug}</code>
                    </dd>
                </dl>
                <p class="card__note">
                    {move || i18n.t(AccountMsg::PortalHint)} " " <code>{portal}</code>
                </p>
            </article>
            <article class="card">
                <h2 class="card__title">{move || i18n.t(AccountMsg::SignInSection)}</h2>
                <dl class="details">
                    <dt>{move || i18n.t(AccountMsg::Role)}</dt>
                    <dd data-testid="account-role" data-role=role>
                        {role_label}
                    </dd>
                    <dt>{move || i18n.t(AccountMsg::Email)}</dt>
                    <Contact value=email testid="account-email" />
                    <dt>{move || i18n.t(AccountMsg::Phone)}</dt>
                    <Contact value=phone testid="account-phone" />
                </dl>
            </article>
        </div>
        <FormAlert error=error testid="account-error" />
        <div class="actions">
            <button
                type="button"
                class="button"
                data-testid="logout"
                disabled=busy
                on:click=move |_| sign_out(false)
            >
                {button_text(false, AccountMsg::Logout)}
            </button>
            <button
                type="button"
                class="button button--secondary"
                data-testid="logout-all"
                disabled=busy
                on:click=move |_| sign_out(true)
            >
                {button_text(true, AccountMsg::LogoutAll)}
            </button>
        </div>
        <p class="hint">{move || i18n.t(AccountMsg::LogoutAllHint)}</p>
    }
}

/// A masked email address or phone number, or "not set".
#[component]
fn Contact(value: Option<String>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    match value {
        Some(value) => view! {
            <dd class="details__contact" data-testid=testid>
                {value}
            </dd>
        }
        .into_any(),
        None => view! {
            <dd class="details__unset" data-testid=testid data-unset="true">
                {move || i18n.t(AccountMsg::NotSet)}
            </dd>
        }
        .into_any(),
    }
}
