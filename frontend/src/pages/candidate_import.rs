//! `/candidate-import`: the import wizard for candidates. Download a template (zh-CN or
//! English headers, xlsx or csv), choose a file, see it checked (a preview, every problem by
//! row, the groups it would create), then import it, all or nothing.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::Lang;
use shared::candidates::ImportReport;
use web_sys::File;

use crate::api::{self, AuthApi, CandidatesApi, TemplateFormat, UploadProgress, template_url};
use crate::auth::use_auth;
use crate::components::CandidateTabs;
use crate::components::console_gate::RequirePermission;
use crate::components::console_nav::CANDIDATES_WRITE;
use crate::components::import_report::ImportReportView;
use crate::components::import_wizard::{ImportTexts, ImportWizard, Importer};
use crate::components::page_header::PageHeader;
use crate::i18n::{AnyText, CandidateMsg, import_button_text, imported_text, use_i18n};
use crate::routes::Page;

#[component]
pub fn CandidateImportPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader
                title=move || i18n.t(CandidateMsg::ImportTitle)
                lead=move || i18n.t(CandidateMsg::ImportLead)
            />
            <CandidateTabs />
            <RequirePermission needs=CANDIDATES_WRITE>
                <ImportWizard importer=CandidateImport />
            </RequirePermission>
        </section>
    }
}

/// Candidates from a spreadsheet.
#[derive(Debug, Clone, Copy)]
struct CandidateImport;

impl Importer for CandidateImport {
    type Report = ImportReport;

    const EXTENSIONS: &'static [&'static str] = &["xlsx", "xls", "ods", "csv"];
    const MAX_BYTES: f64 = 5.0 * 1024.0 * 1024.0;
    const TEXTS: ImportTexts = ImportTexts {
        template_hint: AnyText::Candidate(CandidateMsg::TemplateHint),
        file_hint: AnyText::Candidate(CandidateMsg::FileHint),
        wrong_type: AnyText::Candidate(CandidateMsg::FileWrongType),
        too_large: AnyText::Candidate(CandidateMsg::FileTooLarge),
        has_errors: AnyText::Candidate(CandidateMsg::HasErrors),
        rejected: AnyText::Candidate(CandidateMsg::Rejected),
        button: import_button_text,
        imported: imported_text,
        view_results: AnyText::Candidate(CandidateMsg::ViewCandidates),
        view_results_testid: "import-view-candidates",
    };

    fn send(
        self,
        lang: Lang,
        file: File,
        commit: bool,
        on_progress: Rc<dyn Fn(UploadProgress)>,
    ) -> impl Future<Output = Result<ImportReport, api::Error>> + 'static {
        let api = CandidatesApi::new(lang);
        async move { api.import(&file, !commit, on_progress).await }
    }

    fn templates(self) -> AnyView {
        view! {
            <TemplateLinks lang=Lang::ZhCn label=CandidateMsg::TemplateZh />
            <TemplateLinks lang=Lang::En label=CandidateMsg::TemplateEn />
        }
        .into_any()
    }

    fn report(report: ImportReport) -> AnyView {
        view! { <ImportReportView report=report /> }.into_any()
    }

    fn results_href(self) -> String {
        Page::Candidates.path().to_owned()
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
