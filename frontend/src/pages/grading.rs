//! `/grading`: where a grader starts. The exams with submitted attempts waiting for a person
//! (soonest closing first), each with its answers to mark and to arbitrate, its progress, a
//! link to its queue and one to start marking.

use leptos::prelude::*;
use shared::grading::{GradingExam, GradingProgress};

use crate::api::{self, GradingApi};
use crate::auth::use_auth;
use crate::components::console_gate::{RequirePermission, watch_session};
use crate::components::console_nav::GRADING_READ;
use crate::components::page_header::PageHeader;
use crate::components::{ApiErrors, LocalTime};
use crate::i18n::{GradingMsg, Msg, use_i18n};
use crate::routes::{Page, encode_query_value};

/// The queue's and the marking screen's query parameter naming the exam.
pub const GRADING_EXAM_PARAM: &str = "exam";
/// The marking screen's query parameter naming an item to open first.
pub const GRADING_ITEM_PARAM: &str = "item";

/// The address of an exam's grading queue.
pub fn queue_href(exam_id: &str) -> String {
    format!(
        "{}?{GRADING_EXAM_PARAM}={}",
        Page::GradingExam.path(),
        encode_query_value(exam_id)
    )
}

/// The address of the marking screen of an exam, opening `item` first when given.
pub fn mark_href(exam_id: &str, item: Option<&str>) -> String {
    let mut href = format!(
        "{}?{GRADING_EXAM_PARAM}={}",
        Page::GradingMark.path(),
        encode_query_value(exam_id)
    );
    if let Some(item) = item {
        href.push_str(&format!(
            "&{GRADING_ITEM_PARAM}={}",
            encode_query_value(item)
        ));
    }
    href
}

/// Answers still waiting for a first (or further) mark: neither done nor with an arbiter.
pub fn to_mark(p: &GradingProgress) -> u32 {
    p.total.saturating_sub(p.done + p.arbitration)
}

#[component]
pub fn GradingPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader title=move || i18n.t(GradingMsg::Title) lead=move || i18n.t(GradingMsg::Lead) />
            <RequirePermission needs=GRADING_READ>
                <ExamList />
            </RequirePermission>
        </section>
    }
}

#[component]
fn ExamList() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let exams = LocalResource::new(move || {
        let lang = i18n.lang_untracked();
        async move { GradingApi::new(lang).exams().await }
    });
    watch_session(auth, exams);
    view! {
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let exams = exams.await?;
                    Ok::<_, api::Error>(exams_view(exams))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

fn exams_view(exams: Vec<GradingExam>) -> AnyView {
    let i18n = use_i18n();
    if exams.is_empty() {
        return view! {
            <p class="card empty" data-testid="grading-no-exams">{move || i18n.t(GradingMsg::NoExams)}</p>
        }
        .into_any();
    }
    let header = |msg: GradingMsg| view! { <th scope="col">{move || i18n.t(msg)}</th> };
    let rows = exams.into_iter().map(exam_row).collect_view();
    view! {
        <section class="card">
            <div class="table-wrap">
                <table class="table grading__table" data-testid="grading-exams">
                    <thead>
                        <tr>
                            {header(GradingMsg::Exam)}
                            {header(GradingMsg::ClosesAt)}
                            {header(GradingMsg::AttemptsWaiting)}
                            {header(GradingMsg::ToMark)}
                            {header(GradingMsg::ToArbitrate)}
                            {header(GradingMsg::Progress)}
                            <th scope="col"></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

fn exam_row(exam: GradingExam) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(exam.id.clone());
    let progress = LocalResource::new(move || {
        let lang = i18n.lang_untracked();
        async move { GradingApi::new(lang).progress(&id.get_value()).await }
    });
    // A figure of the exam's progress; a dash until it arrives (or if it fails: the queue
    // page shows the error).
    let figure = move |f: fn(&GradingProgress) -> String| {
        move || {
            progress
                .get()
                .and_then(|p| p.ok())
                .map_or_else(|| "–".to_owned(), |p| f(&p))
        }
    };
    view! {
        <tr data-testid="grading-exam" data-exam-id=exam.id.clone()>
            <td class="grading__name">
                <a href=queue_href(&exam.id) data-testid="grading-exam-name">{exam.name.clone()}</a>
            </td>
            <td class="table__nowrap"><LocalTime rfc3339=exam.closes_at.clone() /></td>
            <td class="results__num" data-testid="grading-exam-waiting">{exam.attempts_waiting}</td>
            <td class="results__num" data-testid="grading-exam-to-mark">
                {figure(|p| to_mark(p).to_string())}
            </td>
            <td class="results__num" data-testid="grading-exam-to-arbitrate">
                {figure(|p| p.arbitration.to_string())}
            </td>
            <td class="results__num" data-testid="grading-exam-progress">
                {figure(|p| format!("{} / {}", p.done, p.total))}
            </td>
            <td>
                <span class="grading__actions">
                    <a class="button button--secondary" href=queue_href(&exam.id) data-testid="grading-exam-queue">
                        {move || i18n.t(GradingMsg::OpenQueue)}
                    </a>
                    <a class="button" href=mark_href(&exam.id, None) data-testid="grading-exam-start">
                        {move || i18n.t(GradingMsg::StartMarking)}
                    </a>
                </span>
            </td>
        </tr>
    }
}
