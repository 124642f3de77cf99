//! `/papers`: the organisation's papers (fixed or random) with their question counts and
//! total points; opening one in the builder, starting a new one, deleting one.

use leptos::prelude::*;
use shared::papers::{PaperKind, PaperSummary};

use crate::api::PapersApi;
use crate::auth::use_auth;
use crate::components::LocalTime;
use crate::components::console_gate::{RequirePermission, may};
use crate::components::console_nav::{QUESTIONS_READ, QUESTIONS_WRITE};
use crate::components::named_list::{
    DeleteKind, ListKind, ListState, NamedList, NamedRow, named, pending,
};
use crate::components::page_header::PageHeader;
use crate::i18n::{AnyText, ConsoleMsg, PaperMsg, use_i18n};
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

const PAPERS: ListKind = ListKind {
    one: "paper",
    columns: &[
        AnyText::Paper(PaperMsg::ColName),
        AnyText::Paper(PaperMsg::ColKind),
        AnyText::Paper(PaperMsg::ColQuestions),
        AnyText::Paper(PaperMsg::ColPoints),
        AnyText::Paper(PaperMsg::ColUpdated),
    ],
    empty: AnyText::Paper(PaperMsg::NoPapers),
    rename: None,
    delete: DeleteKind {
        label: AnyText::Console(ConsoleMsg::Delete),
        action: "delete",
        question: named,
        detail: AnyText::Paper(PaperMsg::DeletePaperQuestion),
        confirm: AnyText::Console(ConsoleMsg::ConfirmDelete),
        done: AnyText::Console(ConsoleMsg::Deleted),
        refusal: None,
    },
};

#[component]
pub fn PapersPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader
                title=move || i18n.t(PaperMsg::PapersTitle)
                lead=move || i18n.t(PaperMsg::PapersLead)
            />
            <RequirePermission needs=QUESTIONS_READ>
                <Papers />
            </RequirePermission>
        </section>
    }
}

#[component]
fn Papers() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let state = ListState::new(Memo::new(move |_| may(auth, QUESTIONS_WRITE)));
    let delete = Callback::new(move |id: String| {
        let api = PapersApi::new(i18n.lang_untracked());
        pending(async move { api.delete(&id).await })
    });
    view! {
        <Show when=move || state.can_write.get()>
            <p class="actions">
                <a class="button" href=Page::Paper.path() data-testid="paper-new">
                    {move || i18n.t(PaperMsg::NewPaper)}
                </a>
            </p>
        </Show>
        <NamedList
            kind=PAPERS
            state=state
            load=|lang| async move { PapersApi::new(lang).list().await }
            row=paper_row
            delete=delete
        />
    }
}

fn paper_row(paper: PaperSummary) -> NamedRow {
    let i18n = use_i18n();
    let link = paper_link(Page::Paper, &paper.id);
    let kind = kind_msg(paper.kind);
    let kind_name = match paper.kind {
        PaperKind::Fixed => "fixed",
        PaperKind::Random => "random",
    };
    NamedRow {
        cells: view! {
            <td data-testid="paper-kind" data-kind=kind_name>
                {move || i18n.t(kind)}
            </td>
            <td data-testid="paper-count">{paper.question_count}</td>
            <td data-testid="paper-points">{paper.total_points}</td>
            <td class="table__nowrap">
                <LocalTime rfc3339=paper.updated_at.clone() />
            </td>
        }
        .into_any(),
        actions: Some(
            view! {
                <a class="link-button" href=link.clone() data-testid="paper-open">
                    {move || i18n.t(PaperMsg::Open)}
                </a>
            }
            .into_any(),
        ),
        link: Some(link),
        id: paper.id,
        name: paper.name,
        status: None,
        deletable: true,
    }
}
