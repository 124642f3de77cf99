//! `/o/{slug}/review?id=`: a finished attempt reviewed by its candidate, where the exam's
//! review policy allows (the receipt, the exam page and "my results" link here): the score,
//! then each question with the candidate's answer, the correct answer, the points and the
//! explanation. Opening it records that the candidate has seen the keys (the server's rule).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{self, MyResultsApi};
use crate::components::ApiErrors;
use crate::components::attempt_review::{AttemptReviewView, review_score};
use crate::components::portal_frame::PortalFrame;
use crate::i18n::{Msg, ResultsMsg, use_i18n};
use crate::routes::{ID_PARAM, PortalPage};

use super::portal::{go_to_login_on_401, use_slug};

#[component]
pub fn AttemptReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_slug();
    let query = use_query_map();
    let id = Memo::new(move |_| query.with(|q| q.get(ID_PARAM).unwrap_or_default()));
    let review = LocalResource::new(move || {
        let (api, id) = (MyResultsApi::new(i18n.lang_untracked()), id.get());
        async move { api.review(&id).await }
    });
    go_to_login_on_401(slug, move || {
        review
            .get()
            .is_some_and(|r| matches!(r, Err(e) if e.is_unauthorized()))
    });
    view! {
        <PortalFrame slug=slug>
            <section class="review-page" data-testid="review-page">
                <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                    <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                        {move || Suspend::new(async move {
                            let review = review.await?;
                            let score = review_score(&review, i18n.lang_untracked());
                            let name = review.exam_name.clone();
                            Ok::<_, api::Error>(view! {
                                <header class="review-page__head">
                                    <div>
                                        <p class="hint">{move || i18n.t(ResultsMsg::ReviewPageTitle)}</p>
                                        <h1 class="page-title" data-testid="review-exam">{name}</h1>
                                        <p class="lead">{move || i18n.t(ResultsMsg::ReviewPageLead)}</p>
                                    </div>
                                    {score.map(|s| view! { <p class="review-page__score" data-testid="review-score">{s}</p> })}
                                </header>
                                <AttemptReviewView review=review />
                            })
                        })}
                    </ErrorBoundary>
                </Transition>
                <p class="actions">
                    <a class="button button--secondary" data-testid="review-to-results"
                        href=move || PortalPage::Results.path(&slug.get())>
                        {move || i18n.t(ResultsMsg::ToMyResults)}
                    </a>
                    <a class="button button--secondary" href=move || PortalPage::Home.path(&slug.get())>
                        {move || i18n.t(ResultsMsg::BackToHome)}
                    </a>
                </p>
            </section>
        </PortalFrame>
    }
}
