//! `/exam[?id=…]`: one exam in the console. Without an id, the form that creates one (then
//! the page moves to the new exam's id); with one, its settings (read-only until the API can
//! change an exam), its ways in (access code, open link, invite links, registrations), its
//! assignments with accommodations, and its attempts.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{self, ExamsConsoleApi};
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::console_gate::{RequirePermission, watch_session};
use crate::components::console_nav::EXAMS_READ;
use crate::components::exam_assignments::Assignments;
use crate::components::exam_attempts::Attempts;
use crate::components::exam_directory::Directory;
use crate::components::exam_entry_access::EntryAccessCard;
use crate::components::exam_form::ExamForm;
use crate::components::page_header::{Back, PageHeader};
use crate::i18n::{ExamAdminMsg, GradingMsg, Msg, ProctorMsg, ResultsMsg, use_i18n};
use crate::pages::certificates_exam::ExamCertificates;
use crate::pages::exam_monitor::monitor_href;
use crate::pages::exam_results::results_href;
use crate::pages::exams::EXAM_PARAM;
use crate::pages::grading::queue_href;
use crate::routes::Page;

#[component]
pub fn ExamAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // Tracked: creating an exam moves this page to `?id=<new id>`.
    let id = Memo::new(move |_| {
        query
            .with(|q| q.get(EXAM_PARAM))
            .filter(|id| !id.is_empty())
    });
    let title = move || {
        i18n.t(if id.with(Option::is_some) {
            ExamAdminMsg::ExamTitle
        } else {
            ExamAdminMsg::NewTitle
        })
    };
    let back = Back {
        href: Page::Exams.path().to_owned(),
        testid: "back-to-exams",
        label: (move || i18n.t(ExamAdminMsg::BackToExams)).into(),
    };
    view! {
        <section class="page">
            <PageHeader back=back title=title>
                {move || id.get().map(|id| view! {
                    <a class="button button--secondary" href=monitor_href(&id) data-testid="exam-monitor-link">
                        {move || i18n.t(ProctorMsg::MonitorLink)}
                    </a>
                    <a class="button button--secondary" href=results_href(&id) data-testid="exam-results-link">
                        {move || i18n.t(ResultsMsg::OpenResults)}
                    </a>
                    <a class="button button--secondary" href=queue_href(&id) data-testid="exam-grading-link">
                        {move || i18n.t(GradingMsg::NavGrading)}
                    </a>
                })}
            </PageHeader>
            <RequirePermission needs=EXAMS_READ>
                {move || match id.get() {
                    Some(id) => view! { <LoadExam id=id /> }.into_any(),
                    None => view! { <ExamForm initial=None /> }.into_any(),
                }}
            </RequirePermission>
        </section>
    }
}

/// A saved exam: its settings, then its assignments and attempts.
#[component]
fn LoadExam(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let exam = {
        let id = id.clone();
        LocalResource::new(move || {
            let api = ExamsConsoleApi::new(i18n.lang_untracked());
            let id = id.clone();
            async move { api.exam(&id).await }
        })
    };
    watch_session(auth, exam);
    let directory = Directory::load();
    let exam_id = StoredValue::new(id);
    // Bumped when the assignments change: the list and the invite links both follow.
    let assignments_changed = RwSignal::new(0_u32);
    view! {
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let exam = exam.await?;
                    let id = exam.id.clone();
                    Ok::<_, api::Error>(view! {
                        <div class="exam-admin" data-testid="exam-admin" data-exam-id=id>
                            <ExamForm initial=Some(exam.clone()) />
                            <EntryAccessCard exam=exam directory=directory reload=assignments_changed />
                            <Assignments exam_id=exam_id.get_value() directory=directory reload=assignments_changed />
                            <Attempts exam_id=exam_id.get_value() directory=directory />
                            <ExamCertificates exam_id=exam_id.get_value() directory=directory />
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
