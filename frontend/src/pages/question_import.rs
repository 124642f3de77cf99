//! `/question-import?bank=…`: importing questions into a bank from a spreadsheet (template in
//! zh-CN or English headers) or an interchange file (Moodle XML, GIFT, Aiken, IMS QTI 2.1/3.0
//! items and packages), through the import wizard. The format is recognised by the server
//! unless one is chosen. Problems are listed by row or line (and item) and field, with a
//! preview of the questions as parsed.

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::Lang;
use shared::questions::{QuestionImportReport, QuestionPreviewRow};
use web_sys::File;

use crate::api::{self, QuestionsApi, UploadProgress, question_template_url};
use crate::components::console_gate::RequirePermission;
use crate::components::console_nav::QUESTIONS_WRITE;
use crate::components::import_report::{ImportSummary, ProblemWording};
use crate::components::import_wizard::{ImportTexts, ImportWizard, Importer};
use crate::components::page_header::{Back, PageHeader};
use crate::components::rich_text::render_math;
use crate::i18n::{
    AnyText, CandidateMsg, QuestionMsg, import_questions_button_text, imported_questions_text,
    problem_text, question_field_text, question_rows_text, type_msg, use_i18n,
};
use crate::pages::question_bank::{BANK_PARAM, bank_link};

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

const WORDING: ProblemWording = ProblemWording {
    rows: question_rows_text,
    field: question_field_text,
    reason: reason_text,
};

/// A question import's problems are worded by their reason alone.
fn reason_text(_field: &str, reason: &str, lang: Lang) -> String {
    problem_text(reason, lang)
}

#[component]
pub fn QuestionImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let bank = query
        .with_untracked(|q| q.get(BANK_PARAM))
        .unwrap_or_default();
    let back = Back {
        href: bank_link(&bank),
        testid: "back-to-bank",
        label: (move || i18n.t(QuestionMsg::BankTitle)).into(),
    };
    let importer = QuestionImport {
        bank: StoredValue::new(bank),
        format: RwSignal::new(String::new()),
    };
    view! {
        <section class="page">
            <PageHeader
                back=back
                title=move || i18n.t(QuestionMsg::ImportTitle)
                lead=move || i18n.t(QuestionMsg::ImportLead)
            />
            <RequirePermission needs=QUESTIONS_WRITE>
                <ImportWizard importer=importer />
            </RequirePermission>
        </section>
    }
}

/// Questions into one bank, read as the chosen format (empty: recognised by the server).
#[derive(Debug, Clone, Copy)]
struct QuestionImport {
    bank: StoredValue<String>,
    format: RwSignal<String>,
}

impl Importer for QuestionImport {
    type Report = QuestionImportReport;

    const EXTENSIONS: &'static [&'static str] =
        &["xlsx", "xls", "ods", "csv", "xml", "txt", "gift", "zip"];
    const MAX_BYTES: f64 = 50.0 * 1024.0 * 1024.0;
    const TEXTS: ImportTexts = ImportTexts {
        template_hint: AnyText::Question(QuestionMsg::TemplateHint),
        file_hint: AnyText::Question(QuestionMsg::ImportFileHint),
        wrong_type: AnyText::Question(QuestionMsg::ImportFileWrongType),
        too_large: AnyText::Question(QuestionMsg::ImportFileTooLarge),
        has_errors: AnyText::Question(QuestionMsg::HasErrors),
        rejected: AnyText::Question(QuestionMsg::Rejected),
        button: import_questions_button_text,
        imported: imported_questions_text,
        view_results: AnyText::Question(QuestionMsg::ViewQuestions),
        view_results_testid: "import-view-questions",
    };

    fn send(
        self,
        lang: Lang,
        file: File,
        commit: bool,
        on_progress: Rc<dyn Fn(UploadProgress)>,
    ) -> impl Future<Output = Result<QuestionImportReport, api::Error>> + 'static {
        let api = QuestionsApi::new(lang);
        let bank = self.bank.get_value();
        let format = self.format.get_untracked();
        async move {
            let format = Some(format.as_str()).filter(|f| !f.is_empty());
            api.import(&bank, &file, format, !commit, on_progress).await
        }
    }

    fn templates(self) -> AnyView {
        let i18n = use_i18n();
        let template = move |lang: Lang, label: CandidateMsg| {
            let testid = format!("question-template-{}", lang.tag());
            view! {
                <a href=question_template_url(lang) class="button button--secondary" download="" data-testid=testid>
                    {move || i18n.t(label)}
                </a>
            }
        };
        view! {
            <p class="template-links">
                {template(Lang::ZhCn, CandidateMsg::TemplateZh)}
                " "
                {template(Lang::En, CandidateMsg::TemplateEn)}
            </p>
        }
        .into_any()
    }

    fn options(self, busy: Signal<bool>, check_again: Callback<()>) -> Option<AnyView> {
        let i18n = use_i18n();
        let format = self.format;
        let view = view! {
            <div class="field">
                <label class="field__label" for="import-format">
                    {move || i18n.t(QuestionMsg::ImportFormatLabel)}
                </label>
                <select
                    id="import-format"
                    class="input"
                    data-testid="import-format"
                    disabled=busy
                    on:change=move |ev| {
                        format.set(event_target_value(&ev));
                        check_again.run(());
                    }
                >
                    <option value="" selected=true>{move || i18n.t(QuestionMsg::ImportFormatAuto)}</option>
                    {FORMATS
                        .iter()
                        .map(|(value, label)| view! { <option value=*value>{*label}</option> })
                        .collect_view()}
                </select>
            </div>
        };
        Some(view.into_any())
    }

    fn report(report: QuestionImportReport) -> AnyView {
        let QuestionImportReport {
            total_rows,
            errors,
            preview,
            ..
        } = report;
        let preview = (!preview.is_empty()).then(|| view! { <Preview rows=preview /> });
        view! {
            <ImportSummary total_rows=total_rows errors=errors wording=WORDING />
            {preview}
        }
        .into_any()
    }

    fn results_href(self) -> String {
        bank_link(&self.bank.get_value())
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
