//! The candidate's certificates on their portal page: each with its exam, date, score and
//! state, and a link that downloads the PDF.

use leptos::prelude::*;
use shared::certificates::CertificateDto;

use crate::api::{self, MyCertificatesApi, my_certificate_pdf_url};
use crate::components::ApiErrors;
use crate::i18n::{CertificateMsg, Msg, certificate_score_text, date_text, use_i18n};

#[component]
pub fn MyCertificates() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(move || {
        let api = MyCertificatesApi::new(i18n.lang_untracked());
        async move { api.list().await }
    });
    view! {
        <section class="card my-certificates" data-testid="my-certificates">
            <h2>{move || i18n.t(CertificateMsg::MyCertificates)}</h2>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let certificates = list.await?;
                        let view = if certificates.is_empty() {
                            view! { <p class="muted">{move || i18n.t(CertificateMsg::NoCertificates)}</p> }
                                .into_any()
                        } else {
                            view! {
                                <ul class="named-list">
                                    {certificates
                                        .into_iter()
                                        .map(|c| view! { <CertificateItem certificate=c /> })
                                        .collect_view()}
                                </ul>
                            }
                            .into_any()
                        };
                        Ok::<_, api::Error>(view)
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn CertificateItem(certificate: CertificateDto) -> impl IntoView {
    let i18n = use_i18n();
    let c = certificate;
    let revoked = c.revoked_at.is_some();
    let (score, max, percent) = (c.score, c.max_score, c.percent);
    view! {
        <li class="named-list__item" data-testid="my-certificate">
            <div>
                <strong>{c.exam_name.clone()}</strong>
                {revoked.then(|| view! {
                    " "
                    <span class="badge badge--failing">{move || i18n.t(CertificateMsg::Revoked)}</span>
                })}
                <p class="muted">
                    <code>{c.number.clone()}</code>
                    " · "
                    {date_text(&c.issued_at)}
                    " · "
                    {move || certificate_score_text(score, max, percent, i18n.lang())}
                </p>
            </div>
            <a
                class="button button--secondary"
                href=my_certificate_pdf_url(&c.id)
                download=format!("certificate-{}.pdf", c.number)
                data-testid="my-certificate-download"
            >
                {move || i18n.t(CertificateMsg::Download)}
            </a>
        </li>
    }
}
