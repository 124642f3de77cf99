//! The frame of a candidate portal page: the organisation's logo, candidate app name and name
//! (from `GET /api/portal/{slug}`), the language buttons, and nothing of the console. An
//! unknown portal shows a clear "no such portal" page instead.

use leptos::prelude::*;
use shared::ErrorCode;
use shared::accounts::PortalBranding;

use crate::api::{self, PortalApi};
use crate::components::consent_gate::PortalConsentGate;
use crate::components::layout::PRIVACY_EMAIL;
use crate::components::{ApiErrors, LangSwitch};
use crate::i18n::{Msg, PortalMsg, PrivacyMsg, logo_alt_text, use_i18n};
use crate::routes::PortalPage;

#[component]
pub fn PortalFrame(#[prop(into)] slug: Signal<String>, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    // Not refetched on a language switch: the names are the organisation's own, and the page
    // below (a half-filled form) must not be rebuilt.
    let branding = LocalResource::new(move || {
        let (api, slug) = (PortalApi::new(i18n.lang_untracked()), slug.get());
        async move { api.branding(&slug).await }
    });
    keep_title(branding);
    let children = StoredValue::new(children);
    view! {
        <div class="portal" data-testid="portal">
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let view = match branding.await {
                            Ok(branding) => view! {
                                <PortalHeader branding=branding />
                                <main class="portal__main">{children.read_value()()}</main>
                                <footer class="portal__footer">
                                    <p class="footer-links">
                                        <span>{move || i18n.t(PortalMsg::PoweredBy)}</span>
                                        <a href=move || PortalPage::Privacy.path(&slug.get()) data-testid="footer-privacy">
                                            {move || i18n.t(PrivacyMsg::FooterPrivacy)}
                                        </a>
                                        <span>{move || i18n.t(PrivacyMsg::FooterContact)} ": "
                                            <a href=format!("mailto:{PRIVACY_EMAIL}")>{PRIVACY_EMAIL}</a>
                                        </span>
                                    </p>
                                </footer>
                                <PortalConsentGate slug=slug />
                            }
                            .into_any(),
                            Err(err) if err.code() == Some(ErrorCode::NotFound) => {
                                view! { <NoSuchPortal /> }.into_any()
                            }
                            Err(err) => return Err(err),
                        };
                        Ok::<_, api::Error>(view)
                    })}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

thread_local! {
    /// The page title outside the portals, as `index.html` sets it (read before any portal
    /// changes it).
    static CONSOLE_TITLE: std::cell::OnceCell<String> = const { std::cell::OnceCell::new() };
}

/// The portal's name as the browser tab's title while a portal page is open.
fn keep_title(branding: LocalResource<Result<PortalBranding, api::Error>>) {
    let document = || web_sys::window().and_then(|w| w.document());
    let console_title = CONSOLE_TITLE.with(|title| {
        title
            .get_or_init(|| document().map(|d| d.title()).unwrap_or_default())
            .clone()
    });
    Effect::new(move |_| {
        let name = branding.map(|b| b.as_ref().ok().map(|b| b.app_name.clone()));
        if let (Some(Some(name)), Some(document)) = (name, document()) {
            document.set_title(&name);
        }
    });
    on_cleanup(move || {
        if let Some(document) = document() {
            document.set_title(&console_title);
        }
    });
}

#[component]
fn PortalHeader(branding: PortalBranding) -> impl IntoView {
    let i18n = use_i18n();
    let PortalBranding {
        app_name,
        org_name,
        logo_url,
        ..
    } = branding;
    let logo = logo_url.map(|url| {
        let org = org_name.clone();
        view! {
            <img
                class="portal__logo"
                src=url
                alt=move || logo_alt_text(&org, i18n.lang())
                data-testid="portal-logo"
            />
        }
    });
    // The org name repeats the app name when none is set; say it once then.
    let org_line = (org_name != app_name).then(|| {
        view! {
            <span class="portal__org" data-testid="portal-org-name">
                {org_name}
            </span>
        }
    });
    view! {
        <header class="portal__header">
            <div class="portal__brand">
                {logo}
                <div class="portal__names">
                    <span class="portal__app-name" data-testid="portal-app-name">
                        {app_name}
                    </span>
                    {org_line}
                </div>
            </div>
            <LangSwitch />
        </header>
    }
}

#[component]
fn NoSuchPortal() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero" data-testid="portal-not-found">
            <h1 class="page-title" data-testid="page-title">
                {move || i18n.t(PortalMsg::NotFoundTitle)}
            </h1>
            <p class="lead">{move || i18n.t(PortalMsg::NotFoundLead)}</p>
        </section>
    }
}
