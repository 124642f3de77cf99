//! The end of an attempt on the exam screen: the receipt, when and how it was submitted, the
//! score out of the paper's total and pass or fail once released, and the answer review where
//! the exam's review policy allows it.

use leptos::prelude::*;

use crate::components::LocalTime;
use crate::exam::sender::Finished;
use crate::i18n::{ExamMsg, ResultsMsg, score_text, use_i18n};
use crate::routes::PortalPage;

/// The end of an attempt: the receipt, when and how it was submitted, and the score when
/// released.
#[component]
pub fn AttemptResult(finished: Finished, slug: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let (title, receipt, submitted_at, count, score, total, note) = match finished.clone() {
        Finished::Submitted(r) => (
            ExamMsg::SubmittedTitle,
            r.receipt,
            r.submitted_at,
            Some(r.answer_count),
            r.score,
            r.max_score,
            None,
        ),
        Finished::Closed { view, note } => (
            ExamMsg::SubmittedTitle,
            view.receipt.unwrap_or_default(),
            view.summary.submitted_at.unwrap_or_default(),
            Some(view.answers.len() as i64),
            view.summary.score,
            Some(view.paper.total_points),
            note,
        ),
    };
    let (passed, review, attempt) = match finished {
        Finished::Submitted(r) => (r.passed, r.review_available, r.attempt_id),
        Finished::Closed { view, .. } => {
            (view.summary.passed, view.review_available, view.summary.id)
        }
    };
    let verdict = passed.map(|p| {
        if p {
            (ResultsMsg::Passed, "badge badge--ok")
        } else {
            (ResultsMsg::Failed, "badge badge--failing")
        }
    });
    view! {
        <section class="exam-result" data-testid="exam-result">
            <h1 class="page-title">{move || i18n.t(title)}</h1>
            {note.map(|note| view! { <p class="lead" data-testid="exam-closed">{move || i18n.t(note)}</p> })}
            <div class="card">
                <dl class="details">
                    <dt>{move || i18n.t(ExamMsg::Receipt)}</dt>
                    <dd><code class="receipt" data-testid="exam-receipt">{receipt}</code></dd>
                    <dt>{move || i18n.t(ExamMsg::SubmittedAt)}</dt>
                    <dd><LocalTime rfc3339=submitted_at /></dd>
                    <dt>{move || i18n.t(ExamMsg::AnswerCount)}</dt>
                    <dd data-testid="exam-answer-count">{count}</dd>
                    <dt>{move || i18n.t(ExamMsg::Score)}</dt>
                    <dd>
                        <span data-testid="exam-result-score">
                            {move || match score {
                                Some(s) => score_text(s, total),
                                None => i18n.t(ExamMsg::ScorePending).to_owned(),
                            }}
                        </span>
                        {verdict.map(|(msg, class)| view! {
                            " " <span class=class data-testid="exam-result-verdict">{move || i18n.t(msg)}</span>
                        })}
                    </dd>
                </dl>
                <p class="hint">{move || i18n.t(ExamMsg::ReceiptHint)}</p>
            </div>
            <p class="actions">
                {review.then(|| view! {
                    <a class="button" data-testid="exam-result-review"
                        href=move || PortalPage::Review.path_with_id(&slug.get(), &attempt)>
                        {move || i18n.t(ResultsMsg::Review)}
                    </a>
                })}
                <a class="button button--secondary" href=move || PortalPage::Home.path(&slug.get()) data-testid="back-to-exams">
                    {move || i18n.t(ExamMsg::BackToExams)}
                </a>
            </p>
        </section>
    }
}
