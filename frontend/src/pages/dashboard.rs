//! `/dashboard` (and `/` for a signed-in console user): the console's home. The getting-started
//! checklist while a step is left, the exams running now with the candidates in them, what
//! needs attention (answers to grade, failed notifications, recent imports), the recent exams
//! with their pass rate, and the portal address to copy. The API leaves out the sections the
//! user may not read, and so does the page.

use leptos::prelude::*;
use shared::dashboard::{
    ChecklistItem, ChecklistStep, Dashboard, GradingDue, ImportKind, LiveExam, RecentExam,
    RecentImport,
};

use crate::api::{self, DashboardApi};
use crate::auth::use_auth;
use crate::components::console_gate::{RequireSignedIn, watch_session};
use crate::components::exam_entry_access::{CopyButton, absolute, origin};
use crate::components::page_header::PageHeader;
use crate::components::{ApiErrors, LocalTime};
use crate::dates::{epoch_millis, now_millis};
use crate::i18n::{
    DashboardMsg, Msg, WindowState, failed_notifications_text, grading_due_text, import_text,
    in_progress_text, pass_rate_text, step_text, use_i18n,
};
use crate::pages::exam_monitor::monitor_href;
use crate::pages::exam_results::results_href;
use crate::pages::exams::exam_link;
use crate::pages::grading::queue_href;
use crate::pages::question_bank::bank_link;
use crate::routes::{Page, PortalPage};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page dashboard">
            <PageHeader title=move || i18n.t(DashboardMsg::Title) lead=move || i18n.t(DashboardMsg::Lead) />
            <RequireSignedIn>
                <Sections />
            </RequireSignedIn>
        </section>
    }
}

#[component]
fn Sections() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let dashboard = LocalResource::new(move || {
        let lang = i18n.lang_untracked();
        async move { DashboardApi::new(lang).get().await }
    });
    watch_session(auth, dashboard);
    view! {
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let dashboard = dashboard.await?;
                    Ok::<_, api::Error>(sections(dashboard))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

fn sections(d: Dashboard) -> impl IntoView {
    let attention =
        (d.grading.is_some() || d.failed_notifications.is_some() || d.imports.is_some())
            .then(|| attention_card(d.grading, d.failed_notifications, d.imports));
    view! {
        <div class="dashboard__grid" data-testid="dashboard">
            {d.checklist.filter(|steps| steps.iter().any(|s| !s.done)).map(checklist_card)}
            {d.running.map(running_card)}
            {attention}
            {d.recent_exams.map(recent_card)}
            <PortalCard />
        </div>
    }
}

/// A card of the dashboard with its title.
fn card(title: DashboardMsg, testid: &'static str, wide: bool, body: AnyView) -> impl IntoView {
    let i18n = use_i18n();
    let class = if wide {
        "card dashboard__card dashboard__card--wide"
    } else {
        "card dashboard__card"
    };
    view! {
        <section class=class data-testid=testid>
            <h2 class="dashboard__title">{move || i18n.t(title)}</h2>
            {body}
        </section>
    }
}

/// The paragraph shown when a list is empty.
fn empty(msg: DashboardMsg, testid: &'static str) -> AnyView {
    let i18n = use_i18n();
    view! { <p class="dashboard__empty" data-testid=testid>{move || i18n.t(msg)}</p> }.into_any()
}

fn running_card(exams: Vec<LiveExam>) -> impl IntoView {
    let body = if exams.is_empty() {
        empty(DashboardMsg::RunningEmpty, "dashboard-running-empty")
    } else {
        let items = exams.into_iter().map(live_exam).collect_view();
        view! { <ul class="dashboard__list">{items}</ul> }.into_any()
    };
    card(DashboardMsg::RunningTitle, "dashboard-running", false, body)
}

fn live_exam(exam: LiveExam) -> impl IntoView {
    let i18n = use_i18n();
    let n = exam.in_progress;
    let class = if n > 0 {
        "badge badge--open dashboard__count"
    } else {
        "badge badge--closed dashboard__count"
    };
    view! {
        <li class="dashboard__item" data-testid="dashboard-live-exam" data-exam-id=exam.id.clone()>
            <div class="dashboard__row">
                <a class="dashboard__name" href=exam_link(&exam.id) data-testid="dashboard-live-name">
                    {exam.name.clone()}
                </a>
                <span class=class data-testid="dashboard-live-count" data-count=n.to_string()>
                    {move || in_progress_text(n, i18n.lang())}
                </span>
            </div>
            <div class="dashboard__row dashboard__meta">
                <span>
                    {move || i18n.t(DashboardMsg::ClosesAt)} " "
                    <LocalTime rfc3339=exam.closes_at.clone() />
                </span>
                <a href=monitor_href(&exam.id) data-testid="dashboard-live-monitor">
                    {move || i18n.t(DashboardMsg::Monitor)}
                </a>
            </div>
        </li>
    }
}

fn attention_card(
    grading: Option<Vec<GradingDue>>,
    failed: Option<u32>,
    imports: Option<Vec<RecentImport>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let grading = grading.unwrap_or_default();
    let failed = failed.filter(|n| *n > 0);
    let imports = imports.unwrap_or_default();
    let body = if grading.is_empty() && failed.is_none() && imports.is_empty() {
        empty(DashboardMsg::NothingWaiting, "dashboard-nothing-waiting")
    } else {
        let grading = grading.into_iter().map(grading_item).collect_view();
        let failed = failed.map(|n| {
            view! {
                <li class="dashboard__item dashboard__item--warn" data-testid="dashboard-failed-notifications" data-count=n.to_string()>
                    {move || failed_notifications_text(n, i18n.lang())}
                </li>
            }
        });
        let imports = (!imports.is_empty()).then(|| {
            let items = imports.into_iter().map(import_item).collect_view();
            view! {
                <h3 class="dashboard__subtitle">{move || i18n.t(DashboardMsg::ImportsTitle)}</h3>
                <ul class="dashboard__list">{items}</ul>
            }
        });
        view! {
            <ul class="dashboard__list">{grading}{failed}</ul>
            {imports}
        }
        .into_any()
    };
    card(
        DashboardMsg::AttentionTitle,
        "dashboard-attention",
        false,
        body,
    )
}

fn grading_item(due: GradingDue) -> impl IntoView {
    let i18n = use_i18n();
    let (attempts, answers) = (due.attempts_waiting, due.answers_open);
    view! {
        <li class="dashboard__item" data-testid="dashboard-grading-exam" data-exam-id=due.exam_id.clone()>
            <div class="dashboard__row">
                <span class="dashboard__name">{due.exam_name.clone()}</span>
                <a class="button button--secondary dashboard__action" href=queue_href(&due.exam_id) data-testid="dashboard-grading-open">
                    {move || i18n.t(DashboardMsg::Grade)}
                </a>
            </div>
            <div class="dashboard__meta" data-testid="dashboard-grading-count" data-count=attempts.to_string()>
                {move || grading_due_text(attempts, answers, i18n.lang())}
            </div>
        </li>
    }
}

fn import_item(import: RecentImport) -> impl IntoView {
    let i18n = use_i18n();
    let href = match (import.kind, import.bank_id.as_deref()) {
        (ImportKind::Candidates, _) => Some(Page::Candidates.path().to_owned()),
        (ImportKind::Questions, Some(bank)) if import.bank_name.is_some() => Some(bank_link(bank)),
        (ImportKind::Questions, _) => None,
    };
    let (kind, count, bank) = (import.kind, import.count, import.bank_name.clone());
    let text = move || import_text(kind, count, bank.as_deref(), i18n.lang());
    let what = match href {
        Some(href) => view! { <a class="dashboard__name" href=href>{text}</a> }.into_any(),
        None => view! { <span class="dashboard__name">{text}</span> }.into_any(),
    };
    view! {
        <li class="dashboard__item" data-testid="dashboard-import">
            <div class="dashboard__row">
                {what}
                <span class="dashboard__meta"><LocalTime rfc3339=import.at.clone() /></span>
            </div>
        </li>
    }
}

fn recent_card(exams: Vec<RecentExam>) -> impl IntoView {
    let body = if exams.is_empty() {
        empty(DashboardMsg::RecentEmpty, "dashboard-recent-empty")
    } else {
        let items = exams.into_iter().map(recent_exam).collect_view();
        view! { <ul class="dashboard__list dashboard__list--columns">{items}</ul> }.into_any()
    };
    card(DashboardMsg::RecentTitle, "dashboard-recent", true, body)
}

fn recent_exam(exam: RecentExam) -> impl IntoView {
    let i18n = use_i18n();
    let state = match (epoch_millis(&exam.opens_at), epoch_millis(&exam.closes_at)) {
        (Some(opens), Some(closes)) => WindowState::at(now_millis(), opens, closes),
        _ => WindowState::Closed,
    };
    let (attempts, graded, passed) = (exam.attempts, exam.graded, exam.passed);
    let rate = move || {
        if graded == 0 {
            i18n.t(DashboardMsg::NoneGraded).to_owned()
        } else {
            pass_rate_text(passed, graded, i18n.lang())
        }
    };
    view! {
        <li class="dashboard__item" data-testid="dashboard-recent-exam" data-exam-id=exam.id.clone()>
            <div class="dashboard__row">
                <a class="dashboard__name" href=exam_link(&exam.id) data-testid="dashboard-recent-name">
                    {exam.name.clone()}
                </a>
                <span class=format!("badge badge--{}", state.as_str())>{move || i18n.t(state.msg())}</span>
            </div>
            <dl class="dashboard__facts">
                <div>
                    <dt>{move || i18n.t(DashboardMsg::Attempts)}</dt>
                    <dd data-testid="dashboard-recent-attempts">{attempts}</dd>
                </div>
                <div>
                    <dt>{move || i18n.t(DashboardMsg::PassRate)}</dt>
                    <dd data-testid="dashboard-pass-rate">{rate}</dd>
                </div>
            </dl>
            <a class="dashboard__meta" href=results_href(&exam.id) data-testid="dashboard-recent-results">
                {move || i18n.t(DashboardMsg::Results)}
            </a>
        </li>
    }
}

/// The candidate portal's sign-in address, absolute, with a copy button.
#[component]
fn PortalCard() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let origin = StoredValue::new(origin());
    let url = Signal::derive(move || {
        auth.user()
            .map(|me| absolute(&origin.get_value(), &PortalPage::Login.path(&me.org.slug)))
            .unwrap_or_default()
    });
    let body = view! {
        <p class="dashboard__meta">{move || i18n.t(DashboardMsg::PortalHint)}</p>
        <p class="dashboard__portal">
            <code class="dashboard__url" data-testid="dashboard-portal-url">{move || url.get()}</code>
            <CopyButton text=url testid="dashboard-portal-copy" />
        </p>
    }
    .into_any();
    card(DashboardMsg::PortalTitle, "dashboard-portal", true, body)
}

/// Where each step is done.
fn step_page(step: ChecklistStep) -> Page {
    match step {
        ChecklistStep::Branding => Page::AccountOrganisation,
        ChecklistStep::Candidates => Page::Candidates,
        ChecklistStep::Questions => Page::QuestionBanks,
        ChecklistStep::Paper => Page::Papers,
        ChecklistStep::Exam => Page::Exams,
    }
}

fn checklist_card(steps: Vec<ChecklistItem>) -> impl IntoView {
    let i18n = use_i18n();
    let items = steps
        .into_iter()
        .enumerate()
        .map(|(i, item)| checklist_step(i + 1, item))
        .collect_view();
    let body = view! {
        <p class="dashboard__meta">{move || i18n.t(DashboardMsg::ChecklistLead)}</p>
        <ol class="checklist">{items}</ol>
    }
    .into_any();
    card(
        DashboardMsg::ChecklistTitle,
        "dashboard-checklist",
        true,
        body,
    )
}

fn checklist_step(number: usize, item: ChecklistItem) -> impl IntoView {
    let i18n = use_i18n();
    let ChecklistItem { step, done } = item;
    let (class, mark, status) = if done {
        (
            "checklist__step is-done",
            "✓".to_owned(),
            DashboardMsg::StepDone,
        )
    } else {
        (
            "checklist__step",
            number.to_string(),
            DashboardMsg::StepTodo,
        )
    };
    let go = if done {
        DashboardMsg::StepOpen
    } else {
        DashboardMsg::StepGo
    };
    view! {
        <li class=class data-testid="checklist-step" data-step=step.as_str() data-done=done.to_string()>
            <span class="checklist__mark" role="img" aria-label=move || i18n.t(status)>{mark}</span>
            <span class="checklist__text">{move || step_text(step, i18n.lang())}</span>
            <a class="checklist__go" href=step_page(step).path()>{move || i18n.t(go)}</a>
        </li>
    }
}
