//! The consent step (privacy statement clause 7): a modal over every page, for whoever is
//! signed in and has not agreed to the current major version of a document — a candidate at
//! their first sign-in, anyone after a major change. Reading the documents (the privacy page)
//! stays possible; agreeing records the consent and closes the step, declining signs out.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use shared::policies::{ConsentRequired, ConsentUpdate, PolicyAcceptance, PolicyKind};

use crate::api::{AuthApi, CandidateApi, ConsentArea, PrivacyApi};
use crate::auth::use_auth;
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{PrivacyMsg, use_i18n};

/// The gate of the console: shown while the signed-in user's `consent_required` is not empty.
#[component]
pub fn ConsoleConsentGate() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let location = use_location();
    let required = move || {
        auth.user()
            .map(|me| me.consent_required)
            .unwrap_or_default()
    };
    let on_privacy = move || location.pathname.with(|p| p == "/privacy");
    view! {
        <Show when=move || !required().is_empty() && !on_privacy()>
            <ConsentDialog
                required=required()
                area=ConsentArea::Console
                privacy_href="/privacy".to_owned()
                on_agreed=move || auth.update_user(|me| me.consent_required.clear())
                on_declined=move || {
                    leptos::task::spawn_local(async move {
                        let _ = AuthApi::new(i18n.lang_untracked()).logout().await;
                        auth.expire();
                    });
                }
            />
        </Show>
    }
}

/// The gate of a portal: asks the signed-in candidate (if any) whether they still need to
/// agree.
#[component]
pub fn PortalConsentGate(#[prop(into)] slug: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let mine = LocalResource::new(move || {
        let api = PrivacyApi::new(i18n.lang_untracked(), ConsentArea::Portal);
        async move { api.mine().await }
    });
    let done = RwSignal::new(false);
    let on_privacy = move || location.pathname.with(|p| p.ends_with("/privacy"));
    move || {
        let required = mine
            .get()
            .and_then(|r| r.ok())
            .flatten()
            .map(|m| m.required)
            .unwrap_or_default();
        (!required.is_empty() && !done.get() && !on_privacy()).then(|| {
            let privacy_href = crate::routes::PortalPage::Privacy.path(&slug.get_untracked());
            let home = crate::routes::PortalPage::Login.path(&slug.get_untracked());
            view! {
                <ConsentDialog
                    required=required
                    area=ConsentArea::Portal
                    privacy_href=privacy_href
                    on_agreed=move || done.set(true)
                    on_declined=move || {
                        let home = home.clone();
                        leptos::task::spawn_local(async move {
                            let _ = CandidateApi::new(i18n.lang_untracked()).logout().await;
                            if let Some(w) = web_sys::window() {
                                let _ = w.location().set_href(&home);
                            }
                        });
                    }
                />
            }
        })
    }
}

#[component]
fn ConsentDialog(
    required: Vec<ConsentRequired>,
    area: ConsentArea,
    privacy_href: String,
    on_agreed: impl Fn() + Send + Sync + 'static,
    on_declined: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let renewal = required.iter().any(|r| r.renewal);
    let accept = PolicyAcceptance {
        privacy: required
            .iter()
            .find(|r| r.kind == PolicyKind::Privacy)
            .map(|r| r.version.clone())
            .unwrap_or_default(),
        terms: required
            .iter()
            .find(|r| r.kind == PolicyKind::Terms)
            .map(|r| r.version.clone()),
    };
    let on_agreed = StoredValue::new(on_agreed);
    let agree = move |_| {
        busy.set(true);
        let api = PrivacyApi::new(i18n.lang_untracked(), area);
        let update = ConsentUpdate {
            accept: Some(accept.clone()),
            device_details: None,
        };
        leptos::task::spawn_local(async move {
            match api.update(&update).await {
                Ok(now) if now.required.is_empty() => on_agreed.with_value(|f| f()),
                Ok(_) => error.set(Some(FormError::Text(PrivacyMsg::Outdated.into()))),
                Err(err) => error.set(Some(FormError::Other(err))),
            }
            busy.set(false);
        });
    };
    let items = required
        .into_iter()
        .map(|r| {
            let (msg, href) = match r.kind {
                PolicyKind::Privacy => (PrivacyMsg::PrivacyTab, privacy_href.clone()),
                PolicyKind::Terms => (PrivacyMsg::TermsTab, format!("{privacy_href}?doc=terms")),
            };
            view! {
                <li>
                    <a href=href target="_blank" rel="noopener" data-testid=format!("consent-read-{}", r.kind.as_str())>
                        {move || i18n.t(msg)}
                    </a>
                    " (" {move || i18n.t(PrivacyMsg::Version)} " " {r.version.clone()} ")"
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="modal-backdrop" data-testid="consent-gate">
            <div class="card modal consent-gate" role="dialog" aria-modal="true" aria-labelledby="consent-title">
                <h2 class="section-title" id="consent-title">{move || i18n.t(PrivacyMsg::GateTitle)}</h2>
                <p>{move || i18n.t(if renewal { PrivacyMsg::GateRenewal } else { PrivacyMsg::GateFirst })}</p>
                <ul>{items}</ul>
                <FormAlert error=error testid="consent-error" />
                <p class="actions">
                    <button type="button" class="button" data-testid="consent-accept" disabled=busy on:click=agree>
                        {move || i18n.t(PrivacyMsg::GateAgree)}
                    </button>
                    <button type="button" class="button button--secondary" data-testid="consent-decline"
                        on:click=move |_| on_declined()>
                        {move || i18n.t(PrivacyMsg::GateSignOut)}
                    </button>
                </p>
            </div>
        </div>
    }
}
