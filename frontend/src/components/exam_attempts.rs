//! An exam's attempts for the console: who, which attempt, status, times (local), whether the
//! server submitted it at the deadline, the score out of the paper's maximum and whether
//! answers wait for a person to grade them; refreshed on demand.

use leptos::prelude::*;
use shared::exams::ExamAttemptDto;

use crate::api::{self, ExamsConsoleApi};
use crate::auth::use_auth;
use crate::components::console_gate::watch_session;
use crate::components::exam_directory::Directory;
use crate::components::{ApiErrors, LocalTime};
use crate::i18n::{ExamAdminMsg, Msg, attempt_status_msg, score_text, use_i18n};

#[component]
pub fn Attempts(exam_id: String, directory: Directory) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let exam_id = StoredValue::new(exam_id);
    let reload = RwSignal::new(0_u32);
    let attempts = LocalResource::new(move || {
        reload.track();
        let api = ExamsConsoleApi::new(i18n.lang_untracked());
        let id = exam_id.get_value();
        async move { api.attempts(&id).await }
    });
    watch_session(auth, attempts);
    view! {
        <section class="card exam-attempts" data-testid="exam-attempts" data-reloads=move || reload.get()>
            <div class="exam-attempts__head">
                <h2 class="card__title">{move || i18n.t(ExamAdminMsg::Attempts)}</h2>
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="attempts-refresh"
                    on:click=move |_| reload.update(|n| *n += 1)
                >
                    {move || i18n.t(ExamAdminMsg::Refresh)}
                </button>
            </div>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let list = attempts.await?;
                        Ok::<_, api::Error>(view! { <AttemptTable list=list directory=directory /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn AttemptTable(list: Vec<ExamAttemptDto>, directory: Directory) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! {
            <p class="empty" data-testid="attempts-empty">{move || i18n.t(ExamAdminMsg::NoAttempts)}</p>
        }
        .into_any();
    }
    let rows = list
        .into_iter()
        .map(|a| view! { <AttemptRow attempt=a directory=directory /> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="attempts-table">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColCandidate)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColNumber)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColStatus)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColStarted)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColDeadline)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColSubmitted)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColAutoSubmitted)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColScore)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColNeedsGrading)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// "Yes" or "No".
fn yes_no(value: bool) -> ExamAdminMsg {
    if value {
        ExamAdminMsg::Yes
    } else {
        ExamAdminMsg::No
    }
}

#[component]
fn AttemptRow(attempt: ExamAttemptDto, directory: Directory) -> impl IntoView {
    let i18n = use_i18n();
    let candidate_id = StoredValue::new(attempt.candidate_id.clone());
    let candidate = move || {
        candidate_id
            .with_value(|id| directory.get(id))
            .map(|(name, account)| format!("{name} ({account})"))
            .unwrap_or_else(|| candidate_id.get_value())
    };
    let status = attempt.status;
    let submitted = attempt
        .submitted_at
        .clone()
        .map(|at| view! { <LocalTime rfc3339=at /> });
    let score = attempt
        .score
        .map(|s| score_text(s, Some(attempt.max_score)))
        .unwrap_or_else(|| format!("– / {}", score_text(attempt.max_score, None)));
    let (auto, manual) = (attempt.auto_submitted, attempt.needs_manual_grading);
    view! {
        <tr
            data-testid="exam-attempt-row"
            data-attempt-id=attempt.id.clone()
            data-candidate-id=attempt.candidate_id.clone()
            data-status=status.as_str()
        >
            <td data-testid="exam-attempt-candidate">{candidate}</td>
            <td data-testid="exam-attempt-number">{attempt.number}</td>
            <td data-testid="exam-attempt-status">{move || i18n.t(attempt_status_msg(status))}</td>
            <td class="table__nowrap"><LocalTime rfc3339=attempt.started_at.clone() /></td>
            <td class="table__nowrap"><LocalTime rfc3339=attempt.deadline.clone() /></td>
            <td class="table__nowrap" data-testid="exam-attempt-submitted">{submitted}</td>
            <td data-testid="exam-attempt-auto" data-value=auto.to_string()>{move || i18n.t(yes_no(auto))}</td>
            <td data-testid="exam-attempt-score">{score}</td>
            <td data-testid="exam-attempt-manual" data-value=manual.to_string()>{move || i18n.t(yes_no(manual))}</td>
        </tr>
    }
}
