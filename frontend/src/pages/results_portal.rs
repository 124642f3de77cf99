//! `/o/{slug}/results`: the candidate's released results (the link in the release notice):
//! per exam the score, pass or fail, the rank where the exam shows it, the certificates to
//! download, and — where the review policy allows — the answers with the keys, the points and
//! the graders' comments.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::certificates::CertificateDto;
use shared::exams::{AttemptReview, ReviewItem};
use shared::results::{MyResult, answer_text, key_text, plain_text};

use crate::api::{self, MyCertificatesApi, MyResultsApi, my_certificate_pdf_url};
use crate::components::form::{FormAlert, FormError};
use crate::components::portal_frame::PortalFrame;
use crate::components::{ApiErrors, LocalTime};
use crate::i18n::{
    CertificateMsg, Msg, QuestionMsg, ResultsMsg, rank_text, score_of_text, use_i18n,
};
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
    let review = RwSignal::new(None::<AttemptReview>);
    let error = RwSignal::new(None::<FormError>);
    let attempt = StoredValue::new(r.attempt_id.clone());
    let open_review = move |_| {
        let api = MyResultsApi::new(i18n.lang_untracked());
        let id = attempt.get_value();
        spawn_local(async move {
            match api.review(&id).await {
                Ok(v) => review.set(Some(v)),
                Err(e) => error.set(Some(FormError::Other(e))),
            }
        });
    };
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
                <Show when=move || r.review_available && review.with(Option::is_none)>
                    <button type="button" class="button button--secondary" data-testid="my-result-review"
                        on:click=open_review>
                        {move || i18n.t(ResultsMsg::Review)}
                    </button>
                </Show>
            </p>
            <FormAlert error=error testid="my-result-error" />
            {move || review.get().map(review_view)}
        </article>
    }
}

fn review_view(review: AttemptReview) -> impl IntoView {
    review.items.into_iter().map(review_item).collect_view()
}

fn review_item(item: ReviewItem) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_untracked();
    let answer = item
        .answer
        .as_ref()
        .map(|a| answer_text(&item.correct, a, lang))
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| i18n.t(ResultsMsg::NotAnswered).to_owned());
    let points = match item.earned {
        Some(e) => format!("{e} / {}", item.points),
        None => format!("– / {}", item.points),
    };
    let explanation = plain_text(&item.explanation);
    let comments = item
        .comments
        .into_iter()
        .map(|c| view! { <p data-testid="review-comment">{c.comment}</p> })
        .collect_view();
    view! {
        <article class="sheet__item" data-testid="review-item">
            <div class="sheet__head">
                <span>{item.number}". "{plain_text(item.correct.stem())}</span>
                <span class="results__num">{points}</span>
            </div>
            <dl class="sheet__grid">
                <dt>{move || i18n.t(ResultsMsg::Answer)}</dt>
                <dd>{answer}</dd>
                <dt>{move || i18n.t(ResultsMsg::Key)}</dt>
                <dd>{key_text(&item.correct, lang)}</dd>
                {(!explanation.is_empty()).then(|| view! {
                    <dt>{move || i18n.t(QuestionMsg::ExplanationLabel)}</dt>
                    <dd>{explanation.clone()}</dd>
                })}
                <dt>{move || i18n.t(ResultsMsg::Comments)}</dt>
                <dd>{comments}</dd>
            </dl>
        </article>
    }
}
