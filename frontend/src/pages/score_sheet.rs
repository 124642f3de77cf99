//! `/score-sheet?id=<exam>&attempt=<attempt>`: one attempt's score sheet — per question the
//! stem, the candidate's answer, the key, the points and the graders' comments; for users who
//! may change exams, "Send for review" on automatically graded answers.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::results::{ScoreSheet, ScoreSheetItem, answer_text, key_text};

use crate::api::{self, ResultsApi};
use crate::auth::use_auth;
use crate::components::console_gate::{RequirePermission, may};
use crate::components::console_nav::{EXAMS_READ, EXAMS_WRITE};
use crate::components::page_header::{Back, PageHeader};
use crate::components::review_request::{ReviewAction, ReviewTarget};
use crate::components::rich_text::blanks_as_gaps;
use crate::components::{ApiErrors, LocalTime};
use crate::i18n::{Msg, ResultsMsg, score_of_text, use_i18n};
use crate::pages::exam_results::{ATTEMPT_PARAM, results_href};
use crate::pages::exams::EXAM_PARAM;

#[component]
pub fn ScoreSheetPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let ids = Memo::new(move |_| {
        query.with(|q| {
            let exam = q.get(EXAM_PARAM).filter(|s| !s.is_empty())?;
            let attempt = q.get(ATTEMPT_PARAM).filter(|s| !s.is_empty())?;
            Some((exam, attempt))
        })
    });
    let title = move || i18n.t(ResultsMsg::SheetTitle);
    let header = move || match ids.get() {
        Some((exam, _)) => {
            let back = Back {
                href: results_href(&exam),
                testid: "sheet-back",
                label: (move || i18n.t(ResultsMsg::BackToResults)).into(),
            };
            view! { <PageHeader back=back title=title /> }.into_any()
        }
        None => view! { <PageHeader title=title /> }.into_any(),
    };
    view! {
        <section class="page">
            {header}
            <RequirePermission needs=EXAMS_READ>
                {move || ids.get().map(|(exam, attempt)| view! { <Sheet exam_id=exam attempt_id=attempt /> })}
            </RequirePermission>
        </section>
    }
}

#[component]
fn Sheet(exam_id: String, attempt_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let (exam_id, attempt_id) = (StoredValue::new(exam_id), StoredValue::new(attempt_id));
    let sheet = LocalResource::new(move || {
        let lang = i18n.lang_untracked();
        let (exam, attempt) = (exam_id.get_value(), attempt_id.get_value());
        async move { ResultsApi::new(lang).score_sheet(&exam, &attempt).await }
    });
    view! {
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let sheet = sheet.await?;
                    Ok::<_, api::Error>(sheet_view(sheet))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

fn sheet_view(sheet: ScoreSheet) -> impl IntoView {
    let i18n = use_i18n();
    let score = sheet
        .score
        .map(|s| score_of_text(s, sheet.max_score, i18n.lang_untracked()));
    let verdict = sheet.passed.map(|p| {
        if p {
            (ResultsMsg::Passed, "badge badge--ok")
        } else {
            (ResultsMsg::Failed, "badge badge--failing")
        }
    });
    let can_send = may(use_auth(), EXAMS_WRITE);
    let (exam_id, attempt_id) = (sheet.exam_id.clone(), sheet.attempt_id.clone());
    let items = sheet
        .items
        .into_iter()
        .map(|item| {
            let target = ReviewTarget {
                exam_id: exam_id.clone(),
                attempt_id: attempt_id.clone(),
                question_id: item.question_id.clone(),
            };
            item_view(item, target, can_send)
        })
        .collect_view();
    view! {
        <section class="card" data-testid="score-sheet">
            <div class="my-result">
                <div>
                    <h2>{sheet.exam_name.clone()}</h2>
                    <p>{sheet.candidate_name.clone()}</p>
                    <p class="results__muted">
                        {move || i18n.t(ResultsMsg::Started)}": " <LocalTime rfc3339=sheet.started_at.clone() />
                    </p>
                </div>
                <div class="my-result__verdict">
                    <span class="my-result__score" data-testid="sheet-score">{score}</span>
                    {verdict.map(|(msg, class)| view! { <span class=class>{move || i18n.t(msg)}</span> })}
                </div>
            </div>
            {items}
        </section>
    }
}

fn item_view(item: ScoreSheetItem, target: ReviewTarget, can_send: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_untracked();
    let answer = item
        .answer
        .as_ref()
        .map(|a| answer_text(&item.question, a, lang))
        .filter(|t| !t.trim().is_empty());
    let key = key_text(&item.question, lang);
    let stem = blanks_as_gaps(item.question.stem());
    let points = match item.earned {
        Some(e) => format!("{e} / {}", item.points),
        None => format!("– / {}", item.points),
    };
    let manual = item.needs_manual;
    // Automatically graded answers may go to the graders; the row says where a review stands.
    let review = (item.auto_graded || item.review.is_some()).then(|| {
        view! {
            <dt></dt>
            <dd class="sheet__review">
                <ReviewAction target=target review=item.review can_send=can_send && item.auto_graded />
            </dd>
        }
    });
    let comments = (!item.comments.is_empty()).then(|| {
        let texts = item
            .comments
            .into_iter()
            .map(
                |c| view! { <p class="sheet__comment" data-testid="sheet-comment">{c.comment}</p> },
            )
            .collect_view();
        view! {
            <dt>{move || i18n.t(ResultsMsg::Comments)}</dt>
            <dd>{texts}</dd>
        }
    });
    let key = (!key.trim().is_empty()).then(|| {
        view! {
            <dt>{move || i18n.t(ResultsMsg::Key)}</dt>
            <dd data-testid="sheet-key">{key}</dd>
        }
    });
    view! {
        <article class="sheet__item" data-testid="sheet-item">
            <div class="sheet__head">
                <span class="sheet__stem">
                    {item.number}". "<span class="rich-text" data-testid="sheet-stem" inner_html=stem></span>
                </span>
                <span class="results__num" data-testid="sheet-points">{points}</span>
            </div>
            <dl class="sheet__grid">
                <dt>{move || i18n.t(ResultsMsg::Answer)}</dt>
                <dd data-testid="sheet-answer">
                    {answer.unwrap_or_else(|| i18n.t(ResultsMsg::NotAnswered).to_owned())}
                </dd>
                {key}
                <Show when=move || manual>
                    <dt></dt>
                    <dd><span class="badge badge--pending">{move || i18n.t(ResultsMsg::WaitsForPerson)}</span></dd>
                </Show>
                {review}
                {comments}
            </dl>
        </article>
    }
}
