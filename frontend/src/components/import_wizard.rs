//! The import wizard, whatever is imported (candidates, questions, …): get a template, choose
//! a file, and the file is checked at once on the server (a dry run: a preview and every
//! problem by row); only a file without problems can then be imported, all or nothing. A
//! refused import (`422 import_rejected`) shows its problems the same way.
//!
//! The file goes to the server as it is (never read into the page), with upload progress, so
//! a large file does not freeze the page. What differs between imports — the files taken, the
//! call, the wording, the template step and the report — is an [`Importer`].

use std::future::Future;
use std::rc::Rc;

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::Lang;
use shared::candidates::ImportReport;
use shared::questions::QuestionImportReport;
use web_sys::File;

use crate::api::{self, UploadProgress};
use crate::auth::use_auth;
use crate::components::console_gate::report_error;
use crate::components::form::{FormAlert, FormError};
use crate::i18n::{AnyText, CandidateMsg, percent_text, use_i18n};

/// What the report of any import says.
pub trait ImportOutcome: Clone + PartialEq + Send + Sync + 'static {
    /// Whether the file was imported (not only checked).
    fn committed(&self) -> bool;
    fn total_rows(&self) -> u32;
    fn problem_count(&self) -> usize;
    fn imported(&self) -> u32;
}

macro_rules! import_outcome {
    ($($report:ty),+) => {
        $(impl ImportOutcome for $report {
            fn committed(&self) -> bool {
                self.committed
            }
            fn total_rows(&self) -> u32 {
                self.total_rows
            }
            fn problem_count(&self) -> usize {
                self.errors.len()
            }
            fn imported(&self) -> u32 {
                self.imported
            }
        })+
    };
}

import_outcome!(ImportReport, QuestionImportReport);

/// What an import's wizard says where imports differ.
pub struct ImportTexts {
    pub template_hint: AnyText,
    pub file_hint: AnyText,
    pub wrong_type: AnyText,
    pub too_large: AnyText,
    pub has_errors: AnyText,
    pub rejected: AnyText,
    /// The import button, for a file of this many rows.
    pub button: fn(u32, Lang) -> String,
    /// The result, for this many items imported.
    pub imported: fn(u32, Lang) -> String,
    /// The link to the imported items, and its test id.
    pub view_results: AnyText,
    pub view_results_testid: &'static str,
}

/// What is imported: the files taken, the call that sends one, the wording, and the parts of
/// the page that are the import's own.
pub trait Importer: Copy + Send + Sync + 'static {
    type Report: ImportOutcome;

    /// The file types the server reads, by extension.
    const EXTENSIONS: &'static [&'static str];
    /// The largest file the server accepts.
    const MAX_BYTES: f64;
    const TEXTS: ImportTexts;

    /// Sends `file` to be checked, or (`commit`) imported.
    fn send(
        self,
        lang: Lang,
        file: File,
        commit: bool,
        on_progress: Rc<dyn Fn(UploadProgress)>,
    ) -> impl Future<Output = Result<Self::Report, api::Error>> + 'static;

    /// The first step: where the templates are.
    fn templates(self) -> AnyView;

    /// Fields of the file step above the file input (a format to read the file as); a change
    /// calls `check_again` to check the chosen file anew.
    fn options(self, _busy: Signal<bool>, _check_again: Callback<()>) -> Option<AnyView> {
        None
    }

    /// What the report says: totals, problems, preview.
    fn report(report: Self::Report) -> AnyView;

    /// Where the imported items are seen.
    fn results_href(self) -> String;
}

/// Why a chosen file is not sent at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    WrongType,
    TooLarge,
}

/// Whether a file of this name and size is worth sending.
pub fn file_problem(
    name: &str,
    size: f64,
    extensions: &[&str],
    max_bytes: f64,
) -> Option<FileProblem> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    if !extensions.contains(&ext.as_str()) {
        Some(FileProblem::WrongType)
    } else if size > max_bytes {
        Some(FileProblem::TooLarge)
    } else {
        None
    }
}

/// Where the wizard is.
#[derive(Debug, Clone, PartialEq)]
enum Stage<R> {
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
    Checked(R),
    /// The import was refused; the report names every problem.
    Rejected(R),
    Imported(R),
}

impl<R> Stage<R> {
    fn busy(&self) -> bool {
        matches!(self, Stage::Uploading { .. } | Stage::Working { .. })
    }
}

#[component]
pub fn ImportWizard<I: Importer>(importer: I) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let texts = I::TEXTS;
    let stage = RwSignal::new(Stage::<I::Report>::Idle);
    let error = RwSignal::new(None::<FormError>);
    let problem = RwSignal::new(None::<AnyText>);
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
        let sent = importer.send(i18n.lang_untracked(), chosen, commit, on_progress);
        spawn_local(async move {
            let result = sent.await;
            if !current() {
                return;
            }
            match result {
                Ok(report) if report.committed() => stage.set(Stage::Imported(report)),
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
        if let Some(why) = file_problem(&chosen.name(), chosen.size(), I::EXTENSIONS, I::MAX_BYTES)
        {
            problem.set(Some(match why {
                FileProblem::WrongType => texts.wrong_type,
                FileProblem::TooLarge => texts.too_large,
            }));
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
    let busy = Signal::derive(move || stage.with(Stage::busy));
    let check_again = Callback::new(move |()| {
        if file.with_value(Option::is_some) {
            start(false);
        }
    });
    let accept = I::EXTENSIONS
        .iter()
        .map(|ext| format!(".{ext}"))
        .collect::<Vec<_>>()
        .join(",");

    let problem_view = move || {
        problem.get().map(|msg| {
            view! {
                <p class="field__error" role="alert" data-testid="import-file-problem">
                    {move || i18n.t(msg)}
                </p>
            }
        })
    };
    let results_href = importer.results_href();
    let body = move || match stage.get() {
        Stage::Idle => ().into_any(),
        Stage::Uploading { commit, share } => {
            view! { <Progress commit=commit share=share working=false /> }.into_any()
        }
        Stage::Working { commit } => {
            view! { <Progress commit=commit share=Some(1.0) working=true /> }.into_any()
        }
        Stage::Checked(report) => {
            let rows = report.total_rows();
            let importable = report.problem_count() == 0 && rows > 0;
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
                            {move || (texts.button)(rows, i18n.lang())}
                        </button>
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <p class="alert alert--error" role="alert" data-testid="import-has-errors">
                        {move || i18n.t(texts.has_errors)}
                    </p>
                }
                .into_any()
            };
            view! {
                {verdict}
                {I::report(report)}
            }
            .into_any()
        }
        Stage::Rejected(report) => view! {
            <p class="alert alert--error" role="alert" data-testid="import-rejected">
                {move || i18n.t(texts.rejected)}
            </p>
            {I::report(report)}
        }
        .into_any(),
        Stage::Imported(report) => {
            let count = report.imported();
            view! {
                <p class="notice notice--ok" role="status" data-testid="import-result" data-imported=count>
                    {move || (texts.imported)(count, i18n.lang())}
                </p>
                <p class="actions">
                    <a href=results_href.clone() class="button" data-testid=texts.view_results_testid>
                        {move || i18n.t(texts.view_results)}
                    </a>
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
                <p class="hint">{move || i18n.t(texts.template_hint)}</p>
                {importer.templates()}
            </section>
            <section class="card wizard__step">
                <h2 class="card__title">{move || i18n.t(CandidateMsg::StepFile)}</h2>
                {importer.options(busy, check_again)}
                <div class="field">
                    <label class="field__label" for="import-file">
                        {move || i18n.t(CandidateMsg::FileLabel)}
                    </label>
                    <input
                        id="import-file"
                        class="input input--file"
                        type="file"
                        accept=accept
                        aria-describedby="import-file-hint"
                        data-testid="import-file"
                        disabled=busy
                        node_ref=input
                        on:change=on_change
                    />
                    <p class="field__hint" id="import-file-hint">
                        {move || i18n.t(texts.file_hint)}
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
fn Progress(commit: bool, share: Option<f64>, working: bool) -> impl IntoView {
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

#[cfg(test)]
mod tests {
    use super::{FileProblem, file_problem};

    const SHEETS: [&str; 4] = ["xlsx", "xls", "ods", "csv"];
    const MIB_5: f64 = 5.0 * 1024.0 * 1024.0;

    #[test]
    fn only_files_of_the_listed_types_up_to_the_limit_are_sent() {
        assert_eq!(file_problem("名单.XLSX", 1024.0, &SHEETS, MIB_5), None);
        assert_eq!(file_problem("list.csv", MIB_5, &SHEETS, MIB_5), None);
        assert_eq!(
            file_problem("list.csv", MIB_5 + 1.0, &SHEETS, MIB_5),
            Some(FileProblem::TooLarge)
        );
        assert_eq!(
            file_problem("photo.png", 10.0, &SHEETS, MIB_5),
            Some(FileProblem::WrongType)
        );
        assert_eq!(
            file_problem("noext", 10.0, &SHEETS, MIB_5),
            Some(FileProblem::WrongType)
        );
    }
}
