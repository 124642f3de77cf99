//! `/exams`: the organisation's exams with their window (in local time), duration, number of
//! assigned candidates and where the window stands now (upcoming, open, closed); starting a
//! new exam and opening one.

use leptos::prelude::*;
use shared::exams::ExamDto;

use crate::api::{self, ExamsConsoleApi};
use crate::auth::use_auth;
use crate::components::console_gate::{RequirePermission, may, watch_session};
use crate::components::console_nav::{EXAMS_READ, EXAMS_WRITE};
use crate::components::page_header::PageHeader;
use crate::components::{ApiErrors, LocalTime};
use crate::dates::{epoch_millis, now_millis};
use crate::i18n::{ConsoleMsg, ExamAdminMsg, Msg, WindowState, minutes_text, use_i18n};
use crate::routes::{Page, encode_query_value};

/// The query parameter naming the exam on its page.
pub const EXAM_PARAM: &str = "id";

/// The link to an exam's page.
pub fn exam_link(id: &str) -> String {
    format!(
        "{}?{EXAM_PARAM}={}",
        Page::Exam.path(),
        encode_query_value(id)
    )
}

/// Where `exam`'s window stands by the browser's clock; closed when a time cannot be read
/// (the server always sends RFC 3339, so that only happens with a broken clock or answer).
pub fn window_state(exam: &ExamDto) -> WindowState {
    match (
        epoch_millis(&exam.settings.opens_at),
        epoch_millis(&exam.settings.closes_at),
    ) {
        (Some(opens), Some(closes)) => WindowState::at(now_millis(), opens, closes),
        _ => WindowState::Closed,
    }
}

#[component]
pub fn ExamsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader title=move || i18n.t(ExamAdminMsg::ExamsTitle) lead=move || i18n.t(ExamAdminMsg::ExamsLead) />
            <RequirePermission needs=EXAMS_READ>
                <Exams />
            </RequirePermission>
        </section>
    }
}

#[component]
fn Exams() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let can_write = Memo::new(move |_| may(auth, EXAMS_WRITE));
    let exams = LocalResource::new(move || {
        let api = ExamsConsoleApi::new(i18n.lang());
        async move { api.list().await }
    });
    watch_session(auth, exams);
    view! {
        <Show when=move || can_write.get()>
            <p class="actions">
                <a class="button" href=Page::Exam.path() data-testid="exam-new">
                    {move || i18n.t(ExamAdminMsg::NewExam)}
                </a>
            </p>
        </Show>
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let exams = exams.await?;
                    Ok::<_, api::Error>(view! { <ExamTable exams=exams /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ExamTable(exams: Vec<ExamDto>) -> impl IntoView {
    let i18n = use_i18n();
    if exams.is_empty() {
        return view! {
            <p class="empty" data-testid="exams-empty">
                {move || i18n.t(ExamAdminMsg::NoExams)}
            </p>
        }
        .into_any();
    }
    let rows = exams
        .into_iter()
        .map(|exam| view! { <ExamRow exam=exam /> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="exams-table">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColName)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColWindow)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColDuration)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColAssigned)}</th>
                        <th scope="col">{move || i18n.t(ExamAdminMsg::ColState)}</th>
                        <th scope="col">{move || i18n.t(ConsoleMsg::Actions)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ExamRow(exam: ExamDto) -> impl IntoView {
    let i18n = use_i18n();
    let link = exam_link(&exam.id);
    let state = window_state(&exam);
    let duration = exam.settings.duration_minutes;
    view! {
        <tr
            data-testid="exams-row"
            data-id=exam.id.clone()
            data-name=exam.settings.name.clone()
            data-state=state.as_str()
        >
            <td>
                <a href=link.clone() data-testid="exams-name">
                    {exam.settings.name.clone()}
                </a>
            </td>
            <td class="table__nowrap exam-window" data-testid="exams-window">
                <LocalTime rfc3339=exam.settings.opens_at.clone() />
                " " {move || i18n.t(ExamAdminMsg::WindowTo)} " "
                <LocalTime rfc3339=exam.settings.closes_at.clone() />
            </td>
            <td data-testid="exams-duration">{move || minutes_text(duration, i18n.lang())}</td>
            <td data-testid="exams-assigned">{exam.assigned_count}</td>
            <td>
                <span
                    class=format!("badge badge--{}", state.as_str())
                    data-testid="exams-state"
                >
                    {move || i18n.t(state.msg())}
                </span>
            </td>
            <td class="table__actions">
                <a class="link-button" href=link data-testid="exams-open">
                    {move || i18n.t(ExamAdminMsg::OpenExam)}
                </a>
            </td>
        </tr>
    }
}
