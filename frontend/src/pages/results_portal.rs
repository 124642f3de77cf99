//! `/o/{slug}/results`: the candidate's released results (the link in the release notice):
//! per exam the score, pass or fail, the rank where the exam shows it, the certificates to
//! download, and — where the review policy allows — a link to the answer review
//! (`/o/{slug}/review`).

use leptos::prelude::*;
use shared::certificates::CertificateDto;
use shared::results::MyResult;

use crate::api::{self, MyCertificatesApi, MyResultsApi, my_certificate_pdf_url};
use crate::components::portal_frame::PortalFrame;
use crate::components::{ApiErrors, LocalTime};
use crate::i18n::{CertificateMsg, Msg, ResultsMsg, rank_text, score_of_text, use_i18n};
use crate::routes::PortalPage;

use super::portal::{go_to_login_on_401, use_slug};

#[component]
pub fn MyResultsPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_slug();
    let loaded = LocalResource::new(move || {
        let lang = i18n.lang_untracked();
        async move {
            let results = MyResultsApi::new(lang).list().await?;
            let certificates = MyCertificatesApi::new(lang).list().await?;
            Ok::<_, api::Error>((results, certificates))
        }
    });
    go_to_login_on_401(slug, move || {
        loaded
            .get()
            .is_some_and(|r| matches!(r, Err(e) if e.is_unauthorized()))
    });
    view! {
        <PortalFrame slug=slug>
            <section class="portal-home" data-testid="my-results">
                <p><a href=move || PortalPage::Home.path(&slug.get()) data-testid="my-results-home">
                    {move || i18n.t(ResultsMsg::BackToHome)}
                </a></p>
                <h1 class="page-title">{move || i18n.t(ResultsMsg::MyResults)}</h1>
                <p class="lead">{move || i18n.t(ResultsMsg::MyResultsLead)}</p>
                <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                    <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                        {move || Suspend::new(async move {
                            let (results, certificates) = loaded.await?;
                            let view = if results.is_empty() {
                                view! { <p class="card empty" data-testid="my-results-empty">{move || i18n.t(ResultsMsg::NoMyResults)}</p> }.into_any()
                            } else {
                                results
                                    .into_iter()
                                    .map(|r| {
                                        let mine: Vec<CertificateDto> = certificates
                                            .iter()
                                            .filter(|c| c.exam_id == r.exam_id)
                                            .cloned()
                                            .collect();
                                        view! { <ResultCard result=r certificates=mine /> }
                                    })
                                    .collect_view()
                                    .into_any()
                            };
                            Ok::<_, api::Error>(view)
                        })}
                    </ErrorBoundary>
                </Transition>
            </section>
        </PortalFrame>
    }
}

#[component]
fn ResultCard(result: MyResult, certificates: Vec<CertificateDto>) -> impl IntoView {
    let i18n = use_i18n();
    let r = result;
    let (verdict, class) = if r.passed {
        (ResultsMsg::Passed, "badge badge--ok")
    } else {
        (ResultsMsg::Failed, "badge badge--failing")
    };
    let (score, max) = (r.score, r.max_score);
    let rank = r.rank.zip(r.ranked);
    let slug = use_slug();
    let attempt = r.attempt_id.clone();
    let certificates = certificates
        .into_iter()
        .map(|c| {
            view! {
                <a class="button button--secondary" data-testid="my-result-certificate"
                    href=my_certificate_pdf_url(&c.id) download="">
                    {move || i18n.t(CertificateMsg::Download)}" · "{c.number.clone()}
                </a>
            }
        })
        .collect_view();
    view! {
        <article class="card" data-testid="my-result" data-exam=r.exam_id.clone()>
            <div class="my-result">
                <div>
                    <h2 class="section-title">{r.exam_name.clone()}</h2>
                    <p class="results__muted"><LocalTime rfc3339=r.submitted_at.clone() /></p>
                </div>
                <div>
                    <span class="my-result__score" data-testid="my-result-score">
                        {move || score_of_text(score, max, i18n.lang())}
                    </span>
                    " "
                    <span class=class data-testid="my-result-verdict">{move || i18n.t(verdict)}</span>
                    {rank.map(|(rank, of)| view! {
                        <p data-testid="my-result-rank">{move || rank_text(rank, of, i18n.lang())}</p>
                    })}
                </div>
            </div>
            <p class="actions">
                {certificates}
                {r.review_available.then(|| view! {
                    <a class="button button--secondary" data-testid="my-result-review"
                        href=move || PortalPage::Review.path_with_id(&slug.get(), &attempt)>
                        {move || i18n.t(ResultsMsg::Review)}
                    </a>
                })}
            </p>
        </article>
    }
}
