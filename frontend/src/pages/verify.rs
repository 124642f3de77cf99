//! `/verify/{number}`: the public verification page of a certificate number, reached from the
//! QR code on the certificate. No sign-in: it says whether the certificate is valid or
//! revoked, for which exam, from which organisation and when, and the holder's name as the
//! organisation chose to show it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::certificates::{CertificateStatus, VerifiedCertificate};

use crate::api::{self, VerifyApi};
use crate::components::ApiErrors;
use crate::i18n::{CertificateMsg, Msg, date_text, use_i18n};
use crate::routes::NUMBER_PARAM;

#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let number = Memo::new(move |_| params.with(|p| p.get(NUMBER_PARAM).unwrap_or_default()));
    let found = LocalResource::new(move || {
        let api = VerifyApi::new(i18n.lang_untracked());
        let number = number.get();
        async move {
            match api.verify(&number).await {
                Ok(found) => Ok(Some(found)),
                Err(api::Error::Api { status: 404, .. }) => Ok(None),
                Err(err) => Err(err),
            }
        }
    });
    view! {
        <section class="verify" data-testid="verify-page">
            <h1 class="page-title" data-testid="page-title">
                {move || i18n.t(CertificateMsg::VerifyTitle)}
            </h1>
            <p class="lead">{move || i18n.t(CertificateMsg::VerifyLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let view = match found.await? {
                            Some(found) => view! { <VerifiedCard found=found /> }.into_any(),
                            None => view! {
                                <p class="alert alert--error" role="alert" data-testid="verify-not-found">
                                    {move || i18n.t(CertificateMsg::NotFound)}
                                </p>
                            }
                            .into_any(),
                        };
                        Ok::<_, api::Error>(view)
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn VerifiedCard(found: VerifiedCertificate) -> impl IntoView {
    let i18n = use_i18n();
    let (class, status, wire) = match found.status {
        CertificateStatus::Valid => ("badge badge--ok", CertificateMsg::Valid, "valid"),
        CertificateStatus::Revoked => ("badge badge--failing", CertificateMsg::Revoked, "revoked"),
    };
    let revoked_at = found.revoked_at.as_deref().map(date_text);
    view! {
        <div class="card verify__card">
            <p class="status">
                <span class=class data-testid="verify-status" data-status=wire>
                    {move || i18n.t(status)}
                </span>
            </p>
            <dl class="details">
                <dt>{move || i18n.t(CertificateMsg::Holder)}</dt>
                <dd data-testid="verify-holder">{found.holder_name.clone()}</dd>
                <dt>{move || i18n.t(CertificateMsg::Exam)}</dt>
                <dd data-testid="verify-exam">{found.exam_name.clone()}</dd>
                <dt>{move || i18n.t(CertificateMsg::Organisation)}</dt>
                <dd data-testid="verify-org">{found.org_name.clone()}</dd>
                <dt>{move || i18n.t(CertificateMsg::IssuedOn)}</dt>
                <dd>{date_text(&found.issued_at)}</dd>
                {revoked_at.map(|date| view! {
                    <dt>{move || i18n.t(CertificateMsg::RevokedOn)}</dt>
                    <dd data-testid="verify-revoked-at">{date}</dd>
                })}
                <dt>{move || i18n.t(CertificateMsg::Number)}</dt>
                <dd>
                    <code data-testid="verify-number">{found.number.clone()}</code>
                </dd>
            </dl>
        </div>
    }
}
