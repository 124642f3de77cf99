//! `/papers`: the organisation's papers (fixed or random) with their question counts and
//! total points; opening one in the builder, starting a new one, deleting one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::papers::{PaperKind, PaperSummary};

use crate::api::{self, PapersApi};
use crate::auth::use_auth;
use crate::components::confirm::Confirm;
use crate::components::console_gate::{RequirePermission, may, report_error, watch_session};
use crate::components::console_nav::{QUESTIONS_READ, QUESTIONS_WRITE};
use crate::components::form::{FormAlert, FormError};
use crate::components::{ApiErrors, LocalTime};
use crate::i18n::{ConsoleMsg, Msg, PaperMsg, use_i18n};
use crate::routes::{Page, encode_query_value};

/// The query parameter naming the paper (builder, preview).
pub const PAPER_PARAM: &str = "id";

/// The link to a page of one paper (the builder or the preview).
pub fn paper_link(page: Page, id: &str) -> String {
    format!("{}?{PAPER_PARAM}={}", page.path(), encode_query_value(id))
}

/// The wording of a paper's kind.
pub fn kind_msg(kind: PaperKind) -> PaperMsg {
    match kind {
        PaperKind::Fixed => PaperMsg::KindFixed,
        PaperKind::Random => PaperMsg::KindRandom,
    }
}

#[component]
pub fn PapersPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <div class="page-header">
                <div>
                    <h1 class="page-title" data-testid="page-title">
                        {move || i18n.t(PaperMsg::PapersTitle)}
                    </h1>
                    <p class="lead">{move || i18n.t(PaperMsg::PapersLead)}</p>
                </div>
            </div>
            <RequirePermission needs=QUESTIONS_READ>
                <Papers />
            </RequirePermission>
        </section>
    }
}

/// The state the list's rows share.
#[derive(Clone, Copy)]
struct ListState {
    reload: RwSignal<u32>,
    confirming: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<FormError>>,
    notice: RwSignal<bool>,
    can_write: Memo<bool>,
}

#[component]
fn Papers() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let state = ListState {
        reload: RwSignal::new(0),
        confirming: RwSignal::new(None),
        busy: RwSignal::new(false),
        error: RwSignal::new(None),
        notice: RwSignal::new(false),
        can_write: Memo::new(move |_| may(auth, QUESTIONS_WRITE)),
    };
    let papers = LocalResource::new(move || {
        state.reload.track();
        let api = PapersApi::new(i18n.lang());
        async move { api.list().await }
    });
    watch_session(auth, papers);
    view! {
        <Show when=move || state.can_write.get()>
            <p class="actions">
                <a class="button" href=Page::Paper.path() data-testid="paper-new">
                    {move || i18n.t(PaperMsg::NewPaper)}
                </a>
            </p>
        </Show>
        <Show when=move || state.notice.get()>
            <p class="notice" role="status" data-testid="papers-notice">
                {move || i18n.t(ConsoleMsg::Deleted)}
            </p>
        </Show>
        <FormAlert error=state.error testid="papers-error" />
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let papers = papers.await?;
                    Ok::<_, api::Error>(view! { <PaperTable papers=papers state=state /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn PaperTable(papers: Vec<PaperSummary>, state: ListState) -> impl IntoView {
    let i18n = use_i18n();
    if papers.is_empty() {
        return view! {
            <p class="empty" data-testid="papers-empty">
                {move || i18n.t(PaperMsg::NoPapers)}
            </p>
        }
        .into_any();
    }
    let rows = papers
        .into_iter()
        .map(|paper| view! { <PaperRow paper=paper state=state /> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="papers-table">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(PaperMsg::ColName)}</th>
                        <th scope="col">{move || i18n.t(PaperMsg::ColKind)}</th>
                        <th scope="col">{move || i18n.t(PaperMsg::ColQuestions)}</th>
                        <th scope="col">{move || i18n.t(PaperMsg::ColPoints)}</th>
                        <th scope="col">{move || i18n.t(PaperMsg::ColUpdated)}</th>
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
fn PaperRow(paper: PaperSummary, state: ListState) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let id = StoredValue::new(paper.id.clone());
    let confirming = move || {
        state
            .confirming
            .with(|c| id.with_value(|id| c.as_deref() == Some(id.as_str())))
    };
    let link = paper_link(Page::Paper, &paper.id);
    let delete = move || {
        let api = PapersApi::new(i18n.lang_untracked());
        state.busy.set(true);
        state.error.set(None);
        spawn_local(async move {
            let result = api.delete(&id.get_value()).await;
            state.busy.set(false);
            match result {
                Ok(()) => {
                    state.confirming.set(None);
                    state.notice.set(true);
                    state.reload.update(|n| *n += 1);
                }
                Err(err) => report_error(auth, err, state.error),
            }
        });
    };
    let kind = kind_msg(paper.kind);
    let kind_name = match paper.kind {
        PaperKind::Fixed => "fixed",
        PaperKind::Random => "random",
    };
    let name = paper.name.clone();
    let confirm_row = move || {
        confirming().then(|| {
            let name = name.clone();
            view! {
                <tr class="table__confirm">
                    <td colspan="6">
                        <Confirm
                            question=move || name.clone()
                            detail=move || i18n.t(PaperMsg::DeletePaperQuestion)
                            confirm_label=ConsoleMsg::ConfirmDelete
                            busy=state.busy
                            on_yes=delete
                            on_no=move || state.confirming.set(None)
                        />
                    </td>
                </tr>
            }
        })
    };
    view! {
        <tr data-testid="paper-row" data-name=paper.name.clone() data-id=paper.id.clone()>
            <td>
                <a href=link.clone() data-testid="paper-name">
                    {paper.name.clone()}
                </a>
            </td>
            <td data-testid="paper-kind" data-kind=kind_name>
                {move || i18n.t(kind)}
            </td>
            <td data-testid="paper-count">{paper.question_count}</td>
            <td data-testid="paper-points">{paper.total_points}</td>
            <td class="table__nowrap">
                <LocalTime rfc3339=paper.updated_at.clone() />
            </td>
            <td class="table__actions">
                <a class="link-button" href=link data-testid="paper-open">
                    {move || i18n.t(PaperMsg::Open)}
                </a>
                <Show when=move || state.can_write.get()>
                    <button
                        type="button"
                        class="link-button link-button--danger"
                        data-testid="paper-delete"
                        on:click=move |_| {
                            state.notice.set(false);
                            state.confirming.set(Some(id.get_value()));
                        }
                    >
                        {move || i18n.t(ConsoleMsg::Delete)}
                    </button>
                </Show>
            </td>
        </tr>
        {confirm_row}
    }
}
