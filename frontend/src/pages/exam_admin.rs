//! `/exam[?id=…]`: one exam in the console. Without an id, the form that creates one (then
//! the page moves to the new exam's id); with one, its settings (read-only until the API can
//! change an exam), its ways in (access code, open link, invite links, registrations), its
//! assignments with accommodations, and its attempts.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::candidates::CandidateDto;

use crate::api::{self, CandidateFilter, CandidatesApi, ExamsConsoleApi};
use crate::auth::use_auth;
use crate::components::ApiErrors;
use crate::components::console_gate::{RequirePermission, may, watch_session};
use crate::components::console_nav::{CANDIDATES_READ, EXAMS_READ};
use crate::components::exam_assignments::Assignments;
use crate::components::exam_attempts::Attempts;
use crate::components::exam_entry_access::EntryAccessCard;
use crate::components::exam_form::ExamForm;
use crate::i18n::{ExamAdminMsg, Msg, ProctorMsg, use_i18n};
use crate::pages::exam_monitor::monitor_href;
use crate::pages::exams::EXAM_PARAM;
use crate::routes::Page;

/// How many candidates are loaded to put names to the ids of assignments and attempts (the
/// API's largest page). Candidates beyond it, and those found by a search, show by id until
/// a search finds them.
const DIRECTORY_SIZE: i64 = 200;

/// The name and account of a candidate, by id, as far as the page knows them.
#[derive(Debug, Clone, Copy)]
pub struct Directory(RwSignal<HashMap<String, (String, String)>>);

impl Directory {
    /// Remembers these candidates' names and accounts.
    pub fn learn(&self, candidates: &[CandidateDto]) {
        self.0.update(|known| {
            for c in candidates {
                known.insert(c.id.clone(), (c.name.clone(), c.account.clone()));
            }
        });
    }

    /// The name and account of a candidate (tracked).
    pub fn get(&self, id: &str) -> Option<(String, String)> {
        self.0.with(|known| known.get(id).cloned())
    }
}

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
    view! {
        <section class="page">
            <div class="page-header">
                <div>
                    <p>
                        <a href=Page::Exams.path() data-testid="back-to-exams">
                            {move || i18n.t(ExamAdminMsg::BackToExams)}
                        </a>
                    </p>
                    <h1 class="page-title" data-testid="page-title">{title}</h1>
                </div>
                {move || id.get().map(|id| view! {
                    <a class="button button--secondary" href=monitor_href(&id) data-testid="exam-monitor-link">
                        {move || i18n.t(ProctorMsg::MonitorLink)}
                    </a>
                })}
            </div>
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
    let directory = Directory(RwSignal::new(HashMap::new()));
    if may(auth, CANDIDATES_READ) {
        let api = CandidatesApi::new(i18n.lang_untracked());
        let filter = CandidateFilter {
            limit: DIRECTORY_SIZE,
            ..CandidateFilter::default()
        };
        spawn_local(async move {
            // Without names the tables show ids, so a failure here costs only names; the
            // tables' own calls report errors.
            if let Ok(page) = api.list(&filter).await {
                directory.learn(&page.items);
            }
        });
    }
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
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
