//! What the server found in an import file: how many rows, every problem by row and column
//! (worded in the user's language), the groups the import would create, and a preview of the
//! first rows as parsed.

use leptos::prelude::*;
use shared::candidates::{ImportPreviewRow, ImportReport, ImportRowError};

use crate::i18n::{
    CandidateMsg, import_field_text, import_reason_text, only_first_text, problems_text, rows_text,
    use_i18n,
};

/// Problems listed at most; a file with thousands of bad rows would otherwise make a table too
/// big to scroll through (and slow to draw). The count above it is always complete.
const MAX_PROBLEMS_SHOWN: usize = 200;

/// Rows the server previews at most.
const PREVIEW_LIMIT: usize = 100;

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
    let problem_count = errors.len();
    let summary_class = if problem_count > 0 {
        "import-summary__bad"
    } else {
        "import-summary__good"
    };
    let problems = (!errors.is_empty()).then(|| view! { <Problems errors=errors /> });
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
        <p class="import-summary">
            <span data-testid="import-total" data-rows=total_rows>
                {move || rows_text(total_rows, i18n.lang())}
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
        {new_groups}
        {preview}
    }
}

#[component]
fn Problems(errors: Vec<ImportRowError>) -> impl IntoView {
    let i18n = use_i18n();
    let total = errors.len();
    let rows = errors
        .into_iter()
        .take(MAX_PROBLEMS_SHOWN)
        .map(|error| {
            let ImportRowError {
                row, field, reason, ..
            } = error;
            let field_text = {
                let field = field.clone();
                move || import_field_text(&field, i18n.lang())
            };
            let reason_text = {
                let (field, reason) = (field.clone(), reason.clone());
                move || import_reason_text(&field, &reason, i18n.lang())
            };
            view! {
                <tr data-testid="import-error-row" data-row=row data-field=field.clone() data-reason=reason>
                    <td data-testid="import-error-row-number">{row}</td>
                    <td data-testid="import-error-field">{field_text}</td>
                    <td data-testid="import-error-reason">{reason_text}</td>
                </tr>
            }
        })
        .collect_view();
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
