//! `/question-import?bank=…`: importing questions into a bank from a spreadsheet (template in
//! zh-CN or English headers) or an interchange file (Moodle XML, GIFT, Aiken, IMS QTI 2.1/3.0
//! items and packages). The format is recognised by the server unless one is chosen. The file
//! is checked on the server (a dry run) and its problems listed by row or line (and item) and
//! field with a preview; only a file without problems can then be imported. The upload and
//! progress are the candidate import's.

use std::rc::Rc;

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::Lang;
use shared::candidates::ImportRowError;
use shared::questions::{QuestionImportReport, QuestionPreviewRow};
use web_sys::File;

use crate::api::{QuestionsApi, UploadProgress, question_template_url};
use crate::auth::use_auth;
use crate::components::console_gate::{RequirePermission, report_error};
use crate::components::console_nav::QUESTIONS_WRITE;
use crate::components::form::{FormAlert, FormError};
use crate::components::rich_text::render_math;
use crate::i18n::{
    CandidateMsg, QuestionMsg, import_questions_button_text, imported_questions_text, problem_text,
    problems_text, question_field_text, question_rows_text, type_msg, use_i18n,
};
use crate::pages::candidate_import::Progress;
use crate::pages::question_bank::{BANK_PARAM, bank_link};

/// Problems listed at most; the count above the list is always complete.
const MAX_PROBLEMS_SHOWN: usize = 200;
/// The server's limit for one import file.
const MAX_BYTES: f64 = 50.0 * 1024.0 * 1024.0;
const EXTENSIONS: [&str; 8] = ["xlsx", "xls", "ods", "csv", "xml", "txt", "gift", "zip"];
/// The formats a user can choose (`None`: recognised by the server from the file).
const FORMATS: [(&str, &str); 7] = [
    ("xlsx", "Excel (.xlsx/.xls/.ods)"),
    ("csv", "CSV"),
    ("moodle_xml", "Moodle XML"),
    ("gift", "GIFT"),
    ("aiken", "Aiken"),
    ("qti21", "IMS QTI 2.1"),
    ("qti30", "IMS QTI 3.0"),
];

/// Why a chosen file cannot be imported, before uploading it.
fn file_problem(name: &str, size: f64) -> Option<QuestionMsg> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    if !EXTENSIONS.contains(&ext.as_str()) {
        Some(QuestionMsg::ImportFileWrongType)
    } else if size > MAX_BYTES {
        Some(QuestionMsg::ImportFileTooLarge)
    } else {
        None
    }
}

#[component]
pub fn QuestionImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let bank = query
        .with_untracked(|q| q.get(BANK_PARAM))
        .unwrap_or_default();
    let back = bank_link(&bank);
    view! {
        <section class="page">
            <div class="page-header">
                <div>
                    <p>
                        <a href=back data-testid="back-to-bank">
                            {move || i18n.t(QuestionMsg::BankTitle)}
                        </a>
                    </p>
                    <h1 class="page-title" data-testid="page-title">
                        {move || i18n.t(QuestionMsg::ImportTitle)}
                    </h1>
                    <p class="lead">{move || i18n.t(QuestionMsg::ImportLead)}</p>
                </div>
            </div>
            <RequirePermission needs=QUESTIONS_WRITE>
                <Wizard bank=bank.clone() />
            </RequirePermission>
        </section>
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Idle,
    Uploading { commit: bool, share: Option<f64> },
    Working { commit: bool },
    Checked(QuestionImportReport),
    Rejected(QuestionImportReport),
    Imported(QuestionImportReport),
}

impl Stage {
    fn busy(&self) -> bool {
        matches!(self, Stage::Uploading { .. } | Stage::Working { .. })
    }
}

#[component]
fn Wizard(bank: String) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let bank = StoredValue::new(bank);
    let stage = RwSignal::new(Stage::Idle);
    let error = RwSignal::new(None::<FormError>);
    let problem = RwSignal::new(None::<QuestionMsg>);
    let format = RwSignal::new(String::new());
    let file = StoredValue::new_local(None::<File>);
    // A newer file or a reset makes the answers of earlier uploads stale.
    let attempt = StoredValue::new(0u32);
    let input = NodeRef::<Input>::new();

    let start = move |commit: bool| {
        let Some(chosen) = file.get_value() else {
            return;
        };
        let this = attempt.with_value(|n| n + 1);
        attempt.set_value(this);
        let current = move || attempt.with_value(|n| *n == this);
        error.set(None);
        stage.set(Stage::Uploading {
            commit,
            share: None,
        });
        let on_progress: Rc<dyn Fn(UploadProgress)> = Rc::new(move |progress| {
            if !current() {
                return;
            }
            stage.set(match progress {
                UploadProgress::Sending(share) => Stage::Uploading { commit, share },
                UploadProgress::Sent => Stage::Working { commit },
            });
        });
        let api = QuestionsApi::new(i18n.lang_untracked());
        let chosen_format = format.get_untracked();
        spawn_local(async move {
            let chosen_format = Some(chosen_format.as_str()).filter(|f| !f.is_empty());
            let result = api
                .import(
                    &bank.get_value(),
                    &chosen,
                    chosen_format,
                    !commit,
                    on_progress,
                )
                .await;
            if !current() {
                return;
            }
            match result {
                Ok(report) if report.committed => stage.set(Stage::Imported(report)),
                Ok(report) if commit => stage.set(Stage::Rejected(report)),
                Ok(report) => stage.set(Stage::Checked(report)),
                Err(err) => {
                    stage.set(Stage::Idle);
                    report_error(auth, err, error);
                }
            }
        });
    };

    let on_change = move |_| {
        let chosen = input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        problem.set(None);
        error.set(None);
        stage.set(Stage::Idle);
        let Some(chosen) = chosen else {
            file.set_value(None);
            return;
        };
        if let Some(why) = file_problem(&chosen.name(), chosen.size()) {
            problem.set(Some(why));
            file.set_value(None);
            return;
        }
        file.set_value(Some(chosen));
        start(false);
    };
    let reset = move || {
        attempt.update_value(|n| *n += 1);
        file.set_value(None);
        stage.set(Stage::Idle);
        error.set(None);
        problem.set(None);
        if let Some(input) = input.get_untracked() {
            input.set_value("");
        }
    };
    let problem_view = move || {
        problem.get().map(|msg| {
            view! {
                <p class="field__error" role="alert" data-testid="import-file-problem">
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };
    let body = move || match stage.get() {
        Stage::Idle => ().into_any(),
        Stage::Uploading { commit, share } => {
            view! { <Progress commit=commit share=share working=false /> }.into_any()
        }
        Stage::Working { commit } => {
            view! { <Progress commit=commit share=Some(1.0) working=true /> }.into_any()
        }
        Stage::Checked(report) => {
            let importable = report.errors.is_empty() && report.total_rows > 0;
            let rows = report.total_rows;
            let verdict = if importable {
                view! {
                    <p class="notice notice--ok" data-testid="import-ok">
                        {move || i18n.t(CandidateMsg::CheckPassed)}
                    </p>
                    <p class="actions">
                        <button type="button" class="button" data-testid="import-submit" on:click=move |_| start(true)>
                            {move || import_questions_button_text(rows, i18n.lang())}
                        </button>
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <p class="alert alert--error" role="alert" data-testid="import-has-errors">
                        {move || i18n.t(QuestionMsg::HasErrors)}
                    </p>
                }
                .into_any()
            };
            view! {
                {verdict}
                <Report report=report />
            }
            .into_any()
        }
        Stage::Rejected(report) => view! {
            <p class="alert alert--error" role="alert" data-testid="import-rejected">
                {move || i18n.t(QuestionMsg::Rejected)}
            </p>
            <Report report=report />
        }
        .into_any(),
        Stage::Imported(report) => {
            let count = report.imported;
            view! {
                <p class="notice notice--ok" role="status" data-testid="import-result" data-imported=count>
                    {move || imported_questions_text(count, i18n.lang())}
                </p>
                <p class="actions">
                    <a href=bank_link(&bank.get_value()) class="button" data-testid="import-view-questions">
                        {move || i18n.t(QuestionMsg::ViewQuestions)}
                    </a>
                    <button type="button" class="button button--secondary" data-testid="import-again" on:click=move |_| reset()>
                        {move || i18n.t(CandidateMsg::ImportAnother)}
                    </button>
                </p>
            }
            .into_any()
        }
    };
    let template = |lang: Lang, label: CandidateMsg| {
        let testid = format!("question-template-{}", lang.tag());
        view! {
            <a href=question_template_url(lang) class="button button--secondary" download="" data-testid=testid>
                {move || i18n.t(label)}
            </a>
        }
    };
    view! {
        <div class="wizard">
            <section class="card wizard__step">
                <h2 class="card__title">{move || i18n.t(CandidateMsg::StepTemplate)}</h2>
                <p class="hint">{move || i18n.t(QuestionMsg::TemplateHint)}</p>
                <p class="template-links">
                    {template(Lang::ZhCn, CandidateMsg::TemplateZh)}
                    " "
                    {template(Lang::En, CandidateMsg::TemplateEn)}
                </p>
            </section>
            <section class="card wizard__step">
                <h2 class="card__title">{move || i18n.t(CandidateMsg::StepFile)}</h2>
                <div class="field">
                    <label class="field__label" for="import-format">
                        {move || i18n.t(QuestionMsg::ImportFormatLabel)}
                    </label>
                    <select
                        id="import-format"
                        class="input"
                        data-testid="import-format"
                        disabled=move || stage.with(Stage::busy)
                        on:change=move |ev| {
                            format.set(event_target_value(&ev));
                            if file.with_value(Option::is_some) {
                                start(false);
                            }
                        }
                    >
                        <option value="" selected=true>{move || i18n.t(QuestionMsg::ImportFormatAuto)}</option>
                        {FORMATS
                            .iter()
                            .map(|(value, label)| view! { <option value=*value>{*label}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="import-file">
                        {move || i18n.t(CandidateMsg::FileLabel)}
                    </label>
                    <input
                        id="import-file"
                        class="input input--file"
                        type="file"
                        accept=".xlsx,.xls,.ods,.csv,.xml,.txt,.gift,.zip"
                        aria-describedby="import-file-hint"
                        data-testid="import-file"
                        disabled=move || stage.with(Stage::busy)
                        node_ref=input
                        on:change=on_change
                    />
                    <p class="field__hint" id="import-file-hint">
                        {move || i18n.t(QuestionMsg::ImportFileHint)}
                    </p>
                    {problem_view}
                </div>
            </section>
            <section class="card wizard__step" aria-live="polite">
                <h2 class="card__title">{move || i18n.t(CandidateMsg::StepCheck)}</h2>
                <FormAlert error=error testid="import-error" />
                {body}
            </section>
        </div>
    }
}

/// Rows, problems by row and column, and the parsed rows.
#[component]
fn Report(report: QuestionImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let QuestionImportReport {
        total_rows,
        errors,
        preview,
        ..
    } = report;
    let count = errors.len();
    let problems = (!errors.is_empty()).then(|| view! { <Problems errors=errors /> });
    let preview = (!preview.is_empty()).then(|| view! { <Preview rows=preview /> });
    view! {
        <p class="import-summary">
            <span data-testid="import-total" data-rows=total_rows>
                {move || question_rows_text(total_rows, i18n.lang())}
            </span>
            " · "
            <span data-testid="import-error-count" data-count=count>
                {move || problems_text(count, i18n.lang())}
            </span>
        </p>
        {problems}
        {preview}
    }
}

#[component]
fn Problems(errors: Vec<ImportRowError>) -> impl IntoView {
    let i18n = use_i18n();
    // Interchange files name the item (XML identifier, file in a package) beside the line.
    let with_items = errors.iter().any(|e| e.item.is_some());
    let rows = errors
        .into_iter()
        .take(MAX_PROBLEMS_SHOWN)
        .map(
            |ImportRowError {
                 row,
                 field,
                 reason,
                 item,
             }| {
                let field_text = {
                    let field = field.clone();
                    move || question_field_text(&field, i18n.lang())
                };
                let reason_text = {
                    let reason = reason.clone();
                    move || problem_text(&reason, i18n.lang())
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
                        data-item=item.unwrap_or_default()
                    >
                        <td data-testid="import-error-row-number">{row}</td>
                        {item_cell}
                        <td data-testid="import-error-field">{field_text}</td>
                        <td data-testid="import-error-reason">{reason_text}</td>
                    </tr>
                }
            },
        )
        .collect_view();
    let item_head =
        with_items.then(|| view! { <th scope="col">{move || i18n.t(QuestionMsg::ColItem)}</th> });
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
    }
}

#[component]
fn Preview(rows: Vec<QuestionPreviewRow>) -> impl IntoView {
    let i18n = use_i18n();
    let body = rows
        .into_iter()
        .map(|row| {
            let type_name = type_msg(row.question_type);
            view! {
                <tr data-testid="import-preview-row" data-row=row.row>
                    <td>{row.row}</td>
                    <td data-testid="import-preview-type">{move || i18n.t(type_name)}</td>
                    // The server sanitised the stem.
                    <td data-testid="import-preview-stem" inner_html=render_math(&row.stem)></td>
                    <td>{row.points}</td>
                    <td>{row.category.unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3 class="section-title">{move || i18n.t(CandidateMsg::PreviewTitle)}</h3>
        <div class="table-wrap">
            <table class="table" data-testid="import-preview">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(CandidateMsg::ColRow)}</th>
                        <th scope="col">{move || i18n.t(QuestionMsg::ColType)}</th>
                        <th scope="col">{move || i18n.t(QuestionMsg::ColStem)}</th>
                        <th scope="col">{move || i18n.t(QuestionMsg::Points)}</th>
                        <th scope="col">{move || i18n.t(QuestionMsg::ColCategory)}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
