//! The results part of the exam form: whether candidates see their rank, and the certificate
//! template issued automatically to every graded attempt that passes.

use leptos::prelude::*;
use shared::certificates::CertificateTemplateDto;

use crate::api::{CertificatesConsoleApi, FieldError};
use crate::i18n::{ResultsMsg, exam_problem_text, use_i18n};

/// The fieldset. The template list loads once; an unknown template comes back from the
/// server as `certificate_template_id: not_found`.
#[component]
pub fn ResultsFieldset(
    show_rank: RwSignal<bool>,
    certificate_template_id: RwSignal<Option<String>>,
    errors: RwSignal<Vec<FieldError>>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let templates = LocalResource::new(move || {
        let api = CertificatesConsoleApi::new(i18n.lang_untracked());
        async move { api.templates().await.unwrap_or_default() }
    });
    let options = move || {
        let chosen = certificate_template_id.get();
        templates.get().map(|list: Vec<CertificateTemplateDto>| {
            list.into_iter()
                .map(|t| {
                    let selected = chosen.as_deref() == Some(t.id.as_str());
                    view! { <option value=t.id.clone() selected=selected>{t.name.clone()}</option> }
                })
                .collect_view()
        })
    };
    let problem = move || {
        errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.field == "certificate_template_id")
                .map(|e| exam_problem_text(&e.reason, i18n.lang()))
        })
    };
    view! {
        <fieldset class="exam-integrity-form" data-testid="exam-results-options">
            <legend>{move || i18n.t(ResultsMsg::ResultOptions)}</legend>
            <label class="checkbox">
                <input type="checkbox" data-testid="exam-show-rank" disabled=disabled bind:checked=show_rank />
                {move || i18n.t(ResultsMsg::ShowRank)}
            </label>
            <label class="field">
                <span class="field__label">{move || i18n.t(ResultsMsg::AutoCertificate)}</span>
                <select class="input" data-testid="exam-auto-certificate" disabled=disabled
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        certificate_template_id.set((!v.is_empty()).then_some(v));
                    }>
                    <option value="" selected=move || certificate_template_id.with(Option::is_none)>
                        {move || i18n.t(ResultsMsg::NoAutoCertificate)}
                    </option>
                    {options}
                </select>
                <span class="field__hint">{move || i18n.t(ResultsMsg::AutoCertificateHint)}</span>
                {move || problem().map(|text| view! { <span class="field__error" role="alert">{text}</span> })}
            </label>
        </fieldset>
    }
}
