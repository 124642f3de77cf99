//! What the server found in an import file, whatever is imported: how many rows, and every
//! problem by row (and, in interchange files, item) and column, worded in the user's language.
//! The candidate import's report adds the groups it would create and a preview of the rows as
//! parsed; the question import's preview is its own (`pages/question_import.rs`).

use leptos::prelude::*;
use shared::Lang;
use shared::candidates::{ImportPreviewRow, ImportReport, ImportRowError};

use crate::i18n::{
    CandidateMsg, QuestionMsg, import_field_text, import_reason_text, only_first_text,
    problems_text, rows_text, use_i18n,
};

/// Problems listed at most; a file with thousands of bad rows would otherwise make a table too
/// big to scroll through (and slow to draw). The count above it is always complete.
const MAX_PROBLEMS_SHOWN: usize = 200;

/// Rows the server previews at most.
const PREVIEW_LIMIT: usize = 100;

/// How an import words its rows and problems.
#[derive(Clone, Copy)]
pub struct ProblemWording {
    /// "12 rows" (of candidates, of questions).
    pub rows: fn(u32, Lang) -> String,
    /// A column by its field name.
    pub field: fn(&str, Lang) -> String,
    /// A problem, by the field and its reason.
    pub reason: fn(&str, &str, Lang) -> String,
}

/// The counts above a report, then its problems.
#[component]
pub fn ImportSummary(
    total_rows: u32,
    errors: Vec<ImportRowError>,
    wording: ProblemWording,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem_count = errors.len();
    let summary_class = if problem_count > 0 {
        "import-summary__bad"
    } else {
        "import-summary__good"
    };
    let problems =
        (!errors.is_empty()).then(|| view! { <Problems errors=errors wording=wording /> });
    view! {
        <p class="import-summary">
            <span data-testid="import-total" data-rows=total_rows>
                {move || (wording.rows)(total_rows, i18n.lang())}
            </span>
            " · "
            <span
                class=summary_class
                data-testid="import-error-count"
                data-count=problem_count
            >
                {move || problems_text(problem_count, i18n.lang())}
            </span>
        </p>
        {problems}
    }
}

#[component]
fn Problems(errors: Vec<ImportRowError>, wording: ProblemWording) -> impl IntoView {
    let i18n = use_i18n();
    let total = errors.len();
    // Interchange files name the item (XML identifier, file in a package) beside the line.
    let with_items = errors.iter().any(|e| e.item.is_some());
    let rows = errors
        .into_iter()
        .take(MAX_PROBLEMS_SHOWN)
        .map(|error| {
            let ImportRowError {
                row,
                field,
                reason,
                item,
            } = error;
            let field_text = {
                let field = field.clone();
                move || (wording.field)(&field, i18n.lang())
            };
            let reason_text = {
                let (field, reason) = (field.clone(), reason.clone());
                move || (wording.reason)(&field, &reason, i18n.lang())
            };
            let item_cell = with_items.then(|| {
                let item = item.clone().unwrap_or_default();
                view! { <td data-testid="import-error-item">{item}</td> }
            });
            view! {
                <tr
                    data-testid="import-error-row"
                    data-row=row
                    data-field=field.clone()
                    data-reason=reason
                    data-item=item
                >
                    <td data-testid="import-error-row-number">{row}</td>
                    {item_cell}
                    <td data-testid="import-error-field">{field_text}</td>
                    <td data-testid="import-error-reason">{reason_text}</td>
                </tr>
            }
        })
        .collect_view();
    let item_head =
        with_items.then(|| view! { <th scope="col">{move || i18n.t(QuestionMsg::ColItem)}</th> });
    let more = (total > MAX_PROBLEMS_SHOWN).then(|| {
        view! {
            <p class="hint">{move || only_first_text(MAX_PROBLEMS_SHOWN, total, i18n.lang())}</p>
        }
    });
    view! {
        <h3 class="section-title">{move || i18n.t(CandidateMsg::ErrorsTitle)}</h3>
        <div class="table-wrap">
            <table class="table table--problems" data-testid="import-errors">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(CandidateMsg::ColRow)}</th>
                        {item_head}
                        <th scope="col">{move || i18n.t(CandidateMsg::ColField)}</th>
                        <th scope="col">{move || i18n.t(CandidateMsg::ColProblem)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {more}
    }
}

/// How the candidate import words its rows and problems.
const CANDIDATE_WORDING: ProblemWording = ProblemWording {
    rows: rows_text,
    field: import_field_text,
    reason: import_reason_text,
};

/// The candidate import's report: counts, problems, the groups it would create, a preview.
#[component]
pub fn ImportReportView(report: ImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let ImportReport {
        total_rows,
        new_groups,
        errors,
        preview,
        ..
    } = report;
    let new_groups = (!new_groups.is_empty()).then(|| {
        let items = new_groups
            .into_iter()
            .map(|name| view! { <li data-testid="import-new-group">{name}</li> })
            .collect_view();
        view! {
            <h3 class="section-title">{move || i18n.t(CandidateMsg::NewGroupsTitle)}</h3>
            <ul class="chips" data-testid="import-new-groups">
                {items}
            </ul>
        }
    });
    let preview =
        (!preview.is_empty()).then(|| view! { <Preview rows=preview total=total_rows /> });
    view! {
        <ImportSummary total_rows=total_rows errors=errors wording=CANDIDATE_WORDING />
        {new_groups}
        {preview}
    }
}

#[component]
fn Preview(rows: Vec<ImportPreviewRow>, total: u32) -> impl IntoView {
    let i18n = use_i18n();
    let shown = rows.len();
    let total = usize::try_from(total).unwrap_or(usize::MAX);
    let body = rows
        .into_iter()
        .map(|row| {
            let password = if row.has_password {
                CandidateMsg::PasswordSet
            } else {
                CandidateMsg::PasswordUnset
            };
            view! {
                <tr data-testid="import-preview-row" data-row=row.row>
                    <td>{row.row}</td>
                    <td data-testid="import-preview-account">
                        <code>{row.account}</code>
                    </td>
                    <td data-testid="import-preview-name">{row.name}</td>
                    <td>{row.phone}</td>
                    <td>{row.email}</td>
                    <td>{row.groups.join("、")}</td>
                    <td>{move || i18n.t(password)}</td>
                </tr>
            }
        })
        .collect_view();
    let header = |msg: CandidateMsg| view! { <th scope="col">{move || i18n.t(msg)}</th> };
    // Rows with problems are left out of the preview, so only a full preview is cut short.
    let more = (shown >= PREVIEW_LIMIT && total > shown).then(
        || view! { <p class="hint">{move || only_first_text(shown, total, i18n.lang())}</p> },
    );
    view! {
        <h3 class="section-title">{move || i18n.t(CandidateMsg::PreviewTitle)}</h3>
        <div class="table-wrap">
            <table class="table" data-testid="import-preview">
                <thead>
                    <tr>
                        {header(CandidateMsg::ColRow)}
                        {header(CandidateMsg::ColAccount)}
                        {header(CandidateMsg::ColName)}
                        {header(CandidateMsg::ColPhone)}
                        {header(CandidateMsg::ColEmail)}
                        {header(CandidateMsg::ColGroups)}
                        {header(CandidateMsg::ColPassword)}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {more}
    }
}
