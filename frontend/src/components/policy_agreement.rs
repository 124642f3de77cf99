//! The agreement box of a form that creates an account or a registration: "I have read and
//! agree to the privacy statement (and the terms)", with links to read them, and the current
//! versions the agreement is for (sent with the form; the server refuses older ones).

use leptos::prelude::*;
use shared::policies::PolicyAcceptance;

use crate::api::{ConsentArea, PrivacyApi};
use crate::i18n::{PrivacyMsg, use_i18n};

/// What the form sends once the box is ticked: the versions shown.
pub fn acceptance(
    checked: RwSignal<bool>,
    versions: RwSignal<Option<PolicyAcceptance>>,
) -> Option<PolicyAcceptance> {
    if checked.get_untracked() {
        versions.get_untracked()
    } else {
        None
    }
}

#[component]
pub fn PolicyAgreement(
    checked: RwSignal<bool>,
    versions: RwSignal<Option<PolicyAcceptance>>,
    /// Set when the form was sent without the box ticked.
    missing: RwSignal<bool>,
    /// Organisations agree to the terms too; candidates to the privacy statement.
    with_terms: bool,
    /// Where the privacy page is (the console's, or the portal's).
    #[prop(into)]
    privacy_href: String,
    /// The label's wording, when the form has its own (the exam registration form).
    #[prop(optional)]
    label: Option<PrivacyMsg>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let policies = LocalResource::new(move || {
        let api = PrivacyApi::new(i18n.lang_untracked(), ConsentArea::Console);
        async move { api.policies().await }
    });
    Effect::new(move |_| {
        if let Some(Ok(p)) = policies.get() {
            versions.set(Some(PolicyAcceptance {
                privacy: p.privacy.version,
                terms: with_terms.then_some(p.terms.version),
            }));
        }
    });
    let terms_href = format!("{privacy_href}?doc=terms");
    let error_testid = format!("{testid}-error");
    view! {
        <div class="field">
            <label class="form__check" class:is-invalid=move || missing.get()>
                <input
                    type="checkbox"
                    data-testid=testid
                    prop:checked=move || checked.get()
                    on:change=move |ev| {
                        checked.set(event_target_checked(&ev));
                        missing.set(false);
                    }
                />
                <span>
                    {match label {
                        Some(msg) => view! {
                            {move || i18n.t(msg)} " ("
                            <a href=privacy_href.clone() target="_blank" rel="noopener">{move || i18n.t(PrivacyMsg::Read)}</a>
                            ")"
                        }.into_any(),
                        None => view! {
                            {move || i18n.t(PrivacyMsg::AgreeLabel)} " "
                            <a href=privacy_href.clone() target="_blank" rel="noopener">{move || i18n.t(PrivacyMsg::PrivacyTab)}</a>
                            {with_terms.then(|| view! {
                                " " {move || i18n.t(PrivacyMsg::And)} " "
                                <a href=terms_href.clone() target="_blank" rel="noopener">{move || i18n.t(PrivacyMsg::TermsTab)}</a>
                            })}
                        }.into_any(),
                    }}
                </span>
            </label>
            <Show when=move || missing.get()>
                <p class="field__error" role="alert" data-testid=error_testid.clone()>{move || i18n.t(PrivacyMsg::AgreeRequired)}</p>
            </Show>
        </div>
    }
}
