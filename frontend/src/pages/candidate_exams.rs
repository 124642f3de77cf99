//! The candidate's exams in the portal: the list on the portal's home page (state, window,
//! attempts left, released score) and `/o/{slug}/exam?id=`, an exam's instructions, the
//! candidate's attempts and the button that starts (or resumes) an attempt.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::exams::{CandidateExam, ExamState};

use crate::api::{self, ExamsApi};
use crate::components::form::{FormAlert, FormError};
use crate::components::portal_frame::PortalFrame;
use crate::components::rich_text::RichText;
use crate::components::{ApiErrors, LocalTime};
use crate::i18n::{
    ExamMsg, Msg, exam_state_msg, minutes_text, score_text, start_refused_msg, use_i18n,
};
use crate::routes::{ID_PARAM, PortalPage};

use super::portal::{go_to_login_on_401, use_slug};

/// The state as tests and styles read it.
fn state_name(state: ExamState) -> &'static str {
    match state {
        ExamState::Upcoming => "upcoming",
        ExamState::Open => "open",
        ExamState::InProgress => "in_progress",
        ExamState::Closed => "closed",
    }
}

/// The exam list on the candidate's home page.
#[component]
pub fn CandidateExamList(slug: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let exams = LocalResource::new(move || {
        let api = ExamsApi::new(i18n.lang_untracked());
        async move { api.list().await }
    });
    view! {
        <section class="card" data-testid="exam-list">
            <h2 class="section-title">{move || i18n.t(ExamMsg::MyExams)}</h2>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let list = exams.await?;
                        let view = if list.is_empty() {
                            view! {
                                <p class="empty" data-testid="portal-no-exams">
                                    {move || i18n.t(crate::i18n::PortalMsg::NoExams)}
                                </p>
                            }
                            .into_any()
                        } else {
                            list.into_iter()
                                .map(|exam| view! { <ExamRow exam=exam slug=slug /> })
                                .collect_view()
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
fn ExamRow(exam: CandidateExam, slug: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let href = PortalPage::Exam.path_with_id(&slug.get_untracked(), &exam.id);
    let state = exam.state;
    let score = exam.score;
    view! {
        <article class="exam-row" data-testid="exam-row" data-exam-id=exam.id.clone() data-state=state_name(state)>
            <h3 class="exam-row__name">
                <a href=href data-testid="exam-open">{exam.name.clone()}</a>
            </h3>
            <span class=format!("badge badge--{}", state_name(state)) data-testid="exam-state">
                {move || i18n.t(exam_state_msg(state))}
            </span>
            <p class="hint">
                <LocalTime rfc3339=exam.opens_at.clone() /> " – " <LocalTime rfc3339=exam.closes_at.clone() />
                " · " {move || minutes_text(exam.duration_minutes, i18n.lang())}
            </p>
            {score.map(|s| view! {
                <p class="exam-row__score" data-testid="exam-score">
                    {move || i18n.t(ExamMsg::Score)} ": " {score_text(s, None)}
                </p>
            })}
        </article>
    }
}

#[component]
pub fn CandidateExamPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_slug();
    let query = use_query_map();
    let id = Memo::new(move |_| query.with(|q| q.get(ID_PARAM).unwrap_or_default()));
    let exams = LocalResource::new(move || {
        let api = ExamsApi::new(i18n.lang_untracked());
        async move { api.list().await }
    });
    go_to_login_on_401(slug, move || {
        exams.with(|r| {
            r.as_ref()
                .is_some_and(|r| matches!(r, Err(e) if e.is_unauthorized()))
        })
    });
    view! {
        <PortalFrame slug=slug>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                    {move || Suspend::new(async move {
                        let list = exams.await?;
                        let view = match list.into_iter().find(|e| e.id == id.get_untracked()) {
                            Some(exam) => view! { <ExamDetails exam=exam slug=slug /> }.into_any(),
                            None => view! {
                                <p class="notice notice--error" data-testid="exam-not-found">
                                    {move || i18n.t(ExamMsg::ExamNotFound)}
                                </p>
                            }
                            .into_any(),
                        };
                        Ok::<_, api::Error>(view)
                    })}
                </ErrorBoundary>
            </Transition>
        </PortalFrame>
    }
}

#[component]
fn ExamDetails(exam: CandidateExam, slug: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let starting = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let refused = RwSignal::new(None::<ExamMsg>);
    let exam_id = exam.id.clone();
    let start = move |_| {
        if starting.get_untracked() {
            return;
        }
        starting.set(true);
        error.set(None);
        refused.set(None);
        let api = ExamsApi::new(i18n.lang_untracked());
        let (navigate, exam_id) = (navigate.clone(), exam_id.clone());
        spawn_local(async move {
            let result = api.start(&exam_id).await;
            starting.set(false);
            match result {
                Ok(attempt) => navigate(
                    &PortalPage::Attempt.path_with_id(&slug.get_untracked(), &attempt.summary.id),
                    Default::default(),
                ),
                Err(err) => match err.conflict_reason().and_then(start_refused_msg) {
                    Some(msg) => refused.set(Some(msg)),
                    None => error.set(Some(FormError::Other(err))),
                },
            }
        });
    };
    let can_start = matches!(exam.state, ExamState::Open | ExamState::InProgress);
    let resume = exam.state == ExamState::InProgress;
    let instructions = exam.instructions.clone();
    let attempts = exam
        .attempts
        .iter()
        .map(|a| {
            let score = a.score;
            let href = PortalPage::Attempt.path_with_id(&slug.get_untracked(), &a.id);
            let review = exam.reviewable.contains(&a.id).then(|| {
                let href = PortalPage::Review.path_with_id(&slug.get_untracked(), &a.id);
                view! {
                    <a href=href data-testid="attempt-review">{move || i18n.t(ExamMsg::ReviewAnswers)}</a>
                }
            });
            view! {
                <tr data-testid="attempt-row">
                    <td><a href=href>{a.number}</a></td>
                    <td><LocalTime rfc3339=a.started_at.clone() /></td>
                    <td>{a.submitted_at.clone().map(|t| view! { <LocalTime rfc3339=t /> })}</td>
                    <td data-testid="attempt-score">
                        {move || match score {
                            Some(s) => score_text(s, None),
                            None => i18n.t(ExamMsg::ScorePending).to_owned(),
                        }}
                    </td>
                    <td>{review}</td>
                </tr>
            }
        })
        .collect_view();
    let has_attempts = !exam.attempts.is_empty();
    let state = exam.state;
    view! {
        <section class="exam-details">
            <p><a href=PortalPage::Home.path(&slug.get_untracked()) data-testid="back-to-exams">
                {move || i18n.t(ExamMsg::BackToExams)}
            </a></p>
            <h1 class="page-title" data-testid="exam-title">{exam.name.clone()}</h1>
            <p><span class=format!("badge badge--{}", state_name(state)) data-testid="exam-state">
                {move || i18n.t(exam_state_msg(state))}
            </span></p>
            <div class="card">
                <dl class="details">
                    <dt>{move || i18n.t(ExamMsg::Window)}</dt>
                    <dd><LocalTime rfc3339=exam.opens_at.clone() /> " – " <LocalTime rfc3339=exam.closes_at.clone() /></dd>
                    <dt>{move || i18n.t(ExamMsg::Duration)}</dt>
                    <dd data-testid="exam-duration">{move || minutes_text(exam.duration_minutes, i18n.lang())}</dd>
                    <dt>{move || i18n.t(ExamMsg::LateEntryUntil)}</dt>
                    <dd><LocalTime rfc3339=exam.late_entry_until.clone() /></dd>
                    <dt>{move || i18n.t(ExamMsg::AttemptsLeft)}</dt>
                    <dd data-testid="exam-attempts-left">{exam.attempts_left}</dd>
                </dl>
            </div>
            <div class="card">
                <h2 class="section-title">{move || i18n.t(ExamMsg::Instructions)}</h2>
                {if instructions.trim().is_empty() {
                    view! { <p class="hint">{move || i18n.t(ExamMsg::NoInstructions)}</p> }.into_any()
                } else {
                    view! { <RichText html=instructions testid="exam-instructions" /> }.into_any()
                }}
                <p class="hint">{move || i18n.t(ExamMsg::StartLead)}</p>
            </div>
            <Show when=move || refused.get().is_some()>
                <p class="notice notice--error" role="alert" data-testid="exam-refused">
                    {move || refused.get().map(|m| i18n.t(m))}
                </p>
            </Show>
            <FormAlert error=error testid="exam-error" />
            {can_start.then(move || view! {
                <p class="actions">
                    <button type="button" class="button" data-testid="exam-start" disabled=starting on:click=start>
                        {move || i18n.t(if starting.get() {
                            ExamMsg::Starting
                        } else if resume {
                            ExamMsg::Resume
                        } else {
                            ExamMsg::Start
                        })}
                    </button>
                </p>
            })}
            {has_attempts.then(move || view! {
                <div class="card">
                    <h2 class="section-title">{move || i18n.t(ExamMsg::PreviousAttempts)}</h2>
                    <div class="table-wrap">
                    <table class="table">
                        <thead><tr>
                            <th>{move || i18n.t(ExamMsg::AttemptNumber)}</th>
                            <th>{move || i18n.t(ExamMsg::StartedAt)}</th>
                            <th>{move || i18n.t(ExamMsg::SubmittedAt)}</th>
                            <th>{move || i18n.t(ExamMsg::Score)}</th>
                            <th><span class="visually-hidden">{move || i18n.t(ExamMsg::ReviewAnswers)}</span></th>
                        </tr></thead>
                        <tbody>{attempts}</tbody>
                    </table>
                    </div>
                </div>
            })}
        </section>
    }
}
