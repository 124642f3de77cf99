//! Getting around the account: the account corner of the header (sign-in and register links
//! for visitors, the organisation and a link to the account page for a signed-in user), and the
//! tabs between the account pages.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::{Session, can_manage_org, use_auth};
use crate::i18n::{AccountMsg, CancelMsg, MyDataMsg, RetentionMsg, SettingsMsg, use_i18n};
use crate::pages::can_cancel_org;
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

/// The tabs above every account page. The audit log is offered only to those who may read it;
/// the retention policy is public; "my data" is everyone's own; cancelling the organisation is
/// the owner's alone.
#[component]
pub fn AccountTabs() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let manages = Memo::new(move |_| auth.user().is_some_and(|me| can_manage_org(&me.role)));
    let owns = Memo::new(move |_| auth.user().is_some_and(|me| can_cancel_org(&me.role)));
    let tab = move |page: Page, label: SettingsMsg, testid: &'static str| {
        view! {
            <A href=page.path() exact=true attr:class="tabs__tab" {..} data-testid=testid>
                {move || i18n.t(label)}
            </A>
        }
    };
    view! {
        <nav class="tabs" aria-label=move || i18n.t(SettingsMsg::TabsLabel)>
            {tab(Page::Account, SettingsMsg::TabOverview, "account-tab-overview")}
            {tab(Page::AccountOrganisation, SettingsMsg::TabOrganisation, "account-tab-organisation")}
            {tab(Page::AccountSecurity, SettingsMsg::TabSecurity, "account-tab-security")}
            {tab(Page::AccountSessions, SettingsMsg::TabSessions, "account-tab-sessions")}
            <A href=Page::AccountData.path() exact=true attr:class="tabs__tab" {..} data-testid="account-tab-data">
                {move || i18n.t(MyDataMsg::Title)}
            </A>
            {move || {
                manages.get().then(|| tab(Page::AccountAudit, SettingsMsg::TabAudit, "account-tab-audit"))
            }}
            <A
                href=Page::AccountRetention.path()
                exact=true
                attr:class="tabs__tab"
                {..}
                data-testid="account-tab-retention"
            >
                {move || i18n.t(RetentionMsg::Tab)}
            </A>
            {move || {
                owns.get().then(|| view! {
                    <A href=Page::AccountCancel.path() exact=true attr:class="tabs__tab" {..} data-testid="account-tab-cancel">
                        {move || i18n.t(CancelMsg::Tab)}
                    </A>
                })
            }}
        </nav>
    }
}
