//! `/candidate-import`: the import wizard. Download a template, choose a file, and the file is
//! checked at once (a dry run: a preview, every problem by row, the groups it would create);
//! only a file without problems can then be imported, all or nothing. A refused import
//! (`422 import_rejected`) shows its problems the same way.
//!
//! The file goes to the server as it is (never read into the page), with upload progress, so
//! a large file does not freeze the page.

use std::rc::Rc;

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::Lang;
use shared::candidates::ImportReport;
use web_sys::File;

use crate::api::{AuthApi, CandidatesApi, TemplateFormat, UploadProgress, template_url};
use crate::auth::use_auth;
use crate::components::CandidateTabs;
use crate::components::console_gate::{RequirePermission, report_error};
use crate::components::console_nav::CANDIDATES_WRITE;
use crate::components::form::{FormAlert, FormError};
use crate::components::import_report::ImportReportView;
use crate::i18n::{CandidateMsg, import_button_text, imported_text, percent_text, use_i18n};
use crate::routes::Page;

/// The largest file the server accepts.
const MAX_BYTES: f64 = 5.0 * 1024.0 * 1024.0;

/// The file types the server reads.
const EXTENSIONS: [&str; 4] = ["xlsx", "xls", "ods", "csv"];

#[component]
pub fn CandidateImportPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <div class="page-header">
                <div>
                    <h1 class="page-title" data-testid="page-title">
                        {move || i18n.t(CandidateMsg::ImportTitle)}
                    </h1>
                    <p class="lead">{move || i18n.t(CandidateMsg::ImportLead)}</p>
                </div>
            </div>
            <CandidateTabs />
            <RequirePermission needs=CANDIDATES_WRITE>
                <Wizard />
            </RequirePermission>
        </section>
    }
}

/// Where the wizard is.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Idle,
    /// Sending the file, to check it or (`commit`) to import it.
    Uploading {
        commit: bool,
        share: Option<f64>,
    },
    /// The file is sent; the server is checking or importing it.
    Working {
        commit: bool,
    },
    Checked(ImportReport),
    /// The import was refused; the report names every problem.
    Rejected(ImportReport),
    Imported(ImportReport),
}

impl Stage {
    fn busy(&self) -> bool {
        matches!(self, Stage::Uploading { .. } | Stage::Working { .. })
    }
}

/// Why a chosen file is not sent at all.
pub fn file_problem(name: &str, size: f64) -> Option<CandidateMsg> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    if !EXTENSIONS.contains(&ext.as_str()) {
        Some(CandidateMsg::FileWrongType)
    } else if size > MAX_BYTES {
        Some(CandidateMsg::FileTooLarge)
    } else {
        None
    }
}

#[component]
fn Wizard() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let stage = RwSignal::new(Stage::Idle);
    let error = RwSignal::new(None::<FormError>);
    let problem = RwSignal::new(None::<CandidateMsg>);
    let file = StoredValue::new_local(None::<File>);
    // Each upload's number: an answer for a file the user has since replaced is dropped.
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
        let api = CandidatesApi::new(i18n.lang_untracked());
        spawn_local(async move {
            let result = api.import(&chosen, !commit, on_progress).await;
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
                        <button
                            type="button"
                            class="button"
                            data-testid="import-submit"
                            on:click=move |_| start(true)
                        >
                            {move || import_button_text(rows, i18n.lang())}
                        </button>
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <p class="alert alert--error" role="alert" data-testid="import-has-errors">
                        {move || i18n.t(CandidateMsg::HasErrors)}
                    </p>
                }
                .into_any()
            };
            view! {
                {verdict}
                <ImportReportView report=report />
            }
            .into_any()
        }
        Stage::Rejected(report) => view! {
            <p class="alert alert--error" role="alert" data-testid="import-rejected">
                {move || i18n.t(CandidateMsg::Rejected)}
            </p>
            <ImportReportView report=report />
        }
        .into_any(),
        Stage::Imported(report) => {
            let count = report.imported;
            view! {
                <p class="notice notice--ok" role="status" data-testid="import-result" data-imported=count>
                    {move || imported_text(count, i18n.lang())}
                </p>
                <p class="actions">
                    <A href=Page::Candidates.path() attr:class="button" {..} data-testid="import-view-candidates">
                        {move || i18n.t(CandidateMsg::ViewCandidates)}
                    </A>
                    <button
                        type="button"
                        class="button button--secondary"
                        data-testid="import-again"
                        on:click=move |_| reset()
                    >
                        {move || i18n.t(CandidateMsg::ImportAnother)}
                    </button>
                </p>
            }
            .into_any()
        }
    };

    view! {
        <div class="wizard">
            <section class="card wizard__step">
                <h2 class="card__title">{move || i18n.t(CandidateMsg::StepTemplate)}</h2>
                <p class="hint">{move || i18n.t(CandidateMsg::TemplateHint)}</p>
                <TemplateLinks lang=Lang::ZhCn label=CandidateMsg::TemplateZh />
                <TemplateLinks lang=Lang::En label=CandidateMsg::TemplateEn />
            </section>
            <section class="card wizard__step">
                <h2 class="card__title">{move || i18n.t(CandidateMsg::StepFile)}</h2>
                <div class="field">
                    <label class="field__label" for="import-file">
                        {move || i18n.t(CandidateMsg::FileLabel)}
                    </label>
                    <input
                        id="import-file"
                        class="input input--file"
                        type="file"
                        accept=".xlsx,.xls,.ods,.csv"
                        aria-describedby="import-file-hint"
                        data-testid="import-file"
                        disabled=move || stage.with(Stage::busy)
                        node_ref=input
                        on:change=on_change
                    />
                    <p class="field__hint" id="import-file-hint">
                        {move || i18n.t(CandidateMsg::FileHint)}
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

/// The upload's progress bar and what is happening.
#[component]
pub fn Progress(commit: bool, share: Option<f64>, working: bool) -> impl IntoView {
    let i18n = use_i18n();
    let (stage, msg) = match (working, commit) {
        (false, _) => ("uploading", CandidateMsg::Uploading),
        (true, false) => ("checking", CandidateMsg::Checking),
        (true, true) => ("importing", CandidateMsg::Importing),
    };
    // Without a known total the bar is indeterminate (no value).
    let value = share.map(|share| (share * 100.0).round());
    view! {
        <div class="progress" role="status" data-testid="import-progress" data-stage=stage>
            <p class="progress__label">
                {move || i18n.t(msg)} " "
                {share.filter(|_| !working).map(percent_text)}
            </p>
            <progress
                class="progress__bar"
                max="100"
                value=value
                aria-label=move || i18n.t(CandidateMsg::ProgressLabel)
            ></progress>
        </div>
    }
}

/// The xlsx and csv template links of one language. The links work as plain downloads; a
/// click first makes sure the session is fresh, so a download after a long pause on the page
/// does not end on an error page.
#[component]
fn TemplateLinks(lang: Lang, label: CandidateMsg) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let link = move |format: TemplateFormat| {
        let url = template_url(format, lang);
        let testid = format!("import-template-{}-{}", lang.tag(), format.as_str());
        let on_click = {
            let url = url.clone();
            move |ev: leptos::ev::MouseEvent| {
                ev.prevent_default();
                let url = url.clone();
                let api = AuthApi::new(i18n.lang_untracked());
                spawn_local(async move {
                    match api.me().await {
                        Ok(None) => auth.expire(),
                        // An error here will show on the download too; let the browser say.
                        Ok(Some(_)) | Err(_) => download(&url),
                    }
                });
            }
        };
        view! {
            <a href=url class="button button--secondary" download="" data-testid=testid on:click=on_click>
                {format.as_str().to_uppercase()}
            </a>
        }
    };
    view! {
        <p class="template-links">
            <span class="template-links__label">{move || i18n.t(label)}</span>
            {link(TemplateFormat::Xlsx)}
            {link(TemplateFormat::Csv)}
        </p>
    }
}

/// Starts the download of `url` (an attachment, so the page stays).
fn download(url: &str) {
    if let Some(window) = web_sys::window() {
        // Assigning a same-origin URL cannot fail.
        let _ = window.location().assign(url);
    }
}

#[cfg(test)]
mod tests {
    use super::file_problem;
    use crate::i18n::CandidateMsg;

    #[test]
    fn only_spreadsheets_up_to_5_mib_are_sent() {
        assert_eq!(file_problem("名单.XLSX", 1024.0), None);
        assert_eq!(file_problem("list.csv", 5.0 * 1024.0 * 1024.0), None);
        assert_eq!(
            file_problem("list.csv", 5.0 * 1024.0 * 1024.0 + 1.0),
            Some(CandidateMsg::FileTooLarge)
        );
        assert_eq!(
            file_problem("photo.png", 10.0),
            Some(CandidateMsg::FileWrongType)
        );
        assert_eq!(
            file_problem("noext", 10.0),
            Some(CandidateMsg::FileWrongType)
        );
    }
}
