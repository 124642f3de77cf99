//! The frame around every page: header with the product name, navigation (the welcome and
//! status pages for visitors, the console's pages for a signed-in user), the account links
//! and language buttons, then the page, then a footer. A candidate portal page gets none of
//! it: the portal shows its organisation's own frame.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::auth::use_auth;
use crate::components::consent_gate::ConsoleConsentGate;
use crate::components::{AccountNav, ConsoleNav, LangSwitch};
use crate::i18n::{Msg, PrivacyMsg, use_i18n};
use crate::pages::{CancellationBanner, provide_org_cancellation};
use crate::routes::{Page, is_portal_path};

/// The privacy contact address of the footers (the privacy statement's clause 9; the privacy
/// page shows every channel from `GET /api/privacy/policies`).
pub const PRIVACY_EMAIL: &str = "service@zcth.cn";

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let location = use_location();
    let console = move || location.pathname.with(|path| !is_portal_path(path));
    // Every signed-in console user is warned while the organisation's cancellation is pending.
    provide_org_cancellation();
    // On phones the navigation folds behind a menu button; it folds again on every page.
    let menu_open = RwSignal::new(false);
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    view! {
        <Show when=console>
            <header class="site-header">
                <div class="site-header__inner">
                    // A plain link (the router still handles it): the brand is not a navigation
                    // item, so it must not be marked as the current page.
                    <a href=Page::Home.path() class="brand">
                        <span class="brand__mark" aria-hidden="true">
                            "考"
                        </span>
                        <span class="brand__name" data-testid="app-title">
                            {move || i18n.t(Msg::AppName)}
                        </span>
                    </a>
                    <button
                        type="button"
                        class="site-menu-toggle"
                        data-testid="nav-toggle"
                        aria-controls="site-nav"
                        aria-expanded=move || menu_open.get().to_string()
                        on:click=move |_| menu_open.update(|open| *open = !*open)
                    >
                        <span class="site-menu-toggle__bars" aria-hidden="true"></span>
                        {move || i18n.t(Msg::Menu)}
                    </button>
                    <nav
                        id="site-nav"
                        class="site-nav"
                        class:is-open=move || menu_open.get()
                        aria-label=move || i18n.t(Msg::MainNav)
                    >
                        // Visitors get the welcome page and the public status page; a
                        // signed-in user's home is the dashboard (first in `ConsoleNav`), and
                        // the system status is for operators (still at `/status`).
                        <Show when=move || auth.user().is_none()>
                            <A href=Page::Home.path() exact=true {..} data-testid="nav-home">
                                {move || i18n.t(Msg::NavHome)}
                            </A>
                            <A href=Page::Status.path() {..} data-testid="nav-status">
                                {move || i18n.t(Msg::NavStatus)}
                            </A>
                        </Show>
                        <ConsoleNav />
                    </nav>
                    <AccountNav />
                    <LangSwitch />
                </div>
            </header>
        </Show>
        <main class="site-main">
            <Show when=console>
                <CancellationBanner />
            </Show>
            {children()}
        </main>
        <Show when=console>
            <footer class="site-footer">
                <p class="footer-links">
                    <span>{move || i18n.t(Msg::Footer)}</span>
                    <a href=Page::Privacy.path() data-testid="footer-privacy">{move || i18n.t(PrivacyMsg::FooterPrivacy)}</a>
                    <span>{move || i18n.t(PrivacyMsg::FooterContact)} ": "
                        <a href=format!("mailto:{}", PRIVACY_EMAIL)>{PRIVACY_EMAIL}</a>
                    </span>
                </p>
            </footer>
            <ConsoleConsentGate />
        </Show>
    }
}
