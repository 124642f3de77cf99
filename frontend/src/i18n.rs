//! The language the SPA speaks: a reactive [`Lang`] in context, persisted in localStorage, and
//! every user-visible string as a message with a text in each language: [`Msg`] for the shell,
//! [`AccountMsg`] (in `account`) for registration, sign-in and the account overview,
//! [`RecoverMsg`] for resetting a forgotten password, [`SettingsMsg`] for the account settings,
//! [`AuditMsg`] for the audit log, [`FieldMsg`] for invalid fields, and the messages that take a
//! value (in `values`). [`AnyMsg`] holds any of them, for widgets shared by every screen.

mod account;
mod audit;
mod audit_names;
mod fields;
mod recover;
mod settings;
mod values;

mod api_keys;
mod cancellation;
mod candidates;
mod catalog;
mod certificates;
mod console;
mod dashboard;
mod editor;
mod exam;
mod exams_console;
mod grading;
mod my_data;
mod papers;
mod portal;
mod privacy;
mod questions;
mod regrade;
mod results;
mod retention;

use leptos::prelude::*;
use shared::Lang;

pub use account::{AccountMsg, role_msg};
pub use audit::{AuditMsg, actor_msg};
pub use audit_names::{
    AREAS as AUDIT_AREAS, action_text, actions_of, area_text, detail_key_text, detail_value_text,
    target_text,
};
pub use fields::{FieldMsg, field_error_msg};
pub use recover::RecoverMsg;
pub use settings::SettingsMsg;
pub use values::{code_sent_text, cooldown_text, page_text, too_many_text};

pub use api_keys::{ApiKeyMsg, KEY_SCOPES, key_status_msg, revoke_text, scope_msg};
pub use cancellation::{CancelMsg, banner_text, code_destination_text, grace_text};
pub use candidates::{
    CandidateMsg, delete_candidate_text, import_button_text, import_field_text, import_reason_text,
    imported_text, only_first_text, percent_text, problems_text, rows_text,
};
pub use certificates::{CertificateMsg, certificate_score_text, date_text};
pub use console::{AnyText, ConsoleMsg, format_time, range_text};
pub use dashboard::{
    DashboardMsg, failed_notifications_text, grading_due_text, import_text, in_progress_text,
    pass_rate_text, step_text,
};
pub use editor::{DifficultyMsg, EditorMsg, difficulty_msg};
pub use exam::{
    ExamMsg, answered_text, exam_state_msg, focus_losses_text, minutes_text, question_label,
    queued_text, registration_reason_msg, score_text, send_resume_code_text, start_refused_msg,
};
pub use exams_console::{
    ExamAdminMsg, ProctorMsg, WindowState, assigned_text, attempt_status_msg, event_kind_msg,
    exam_problem_text, monitor_status_msg, other_events_text, other_events_total,
    proctor_conflict_msg, release_msg, review_msg, scoring_msg, selection_text, submit_reason_msg,
    time_left_text,
};
pub use grading::{
    GradingMsg, grader_text, item_status_msg, limit_question_text, queue_question_text,
    sitting_text,
};
pub use my_data::{
    MyDataMsg, audit_by_msg, audit_total_text, export_status_msg, my_attempt_status_text,
    registration_field_text, size_text,
};
pub use papers::{
    PaperMsg, available_text, export_check_text, format_msg, numbered_text, paper_problem_text,
    totals_text,
};
pub use portal::{PortalMsg, hello_text, logo_alt_text};
pub use privacy::{PrivacyMsg, method_msg, purpose_msg};
pub use questions::{
    QuestionMsg, import_questions_button_text, imported_questions_text, problem_text,
    question_field_text, question_rows_text, type_msg,
};
pub use regrade::{RegradeMsg, regrade_count_text};
pub use results::{ResultsMsg, duration_text, rank_text, score_of_text};
pub use retention::{RetentionMsg, retention_action_msg, retention_days_text, retention_kind_msgs};

/// A message with a text in every language.
pub trait Text: Copy {
    fn text(self, lang: Lang) -> &'static str;
}

/// A message of any screen, so a shared widget (a field's label, a form's notice) can take
/// whichever the page has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyMsg {
    Shell(Msg),
    Account(AccountMsg),
    Recover(RecoverMsg),
    Settings(SettingsMsg),
    Audit(AuditMsg),
    Field(FieldMsg),
    Privacy(PrivacyMsg),
    Retention(RetentionMsg),
    MyData(MyDataMsg),
    Cancel(CancelMsg),
}

impl Text for AnyMsg {
    fn text(self, lang: Lang) -> &'static str {
        match self {
            AnyMsg::Shell(msg) => msg.text(lang),
            AnyMsg::Account(msg) => msg.text(lang),
            AnyMsg::Recover(msg) => msg.text(lang),
            AnyMsg::Settings(msg) => msg.text(lang),
            AnyMsg::Audit(msg) => msg.text(lang),
            AnyMsg::Field(msg) => msg.text(lang),
            AnyMsg::Privacy(msg) => msg.text(lang),
            AnyMsg::Retention(msg) => msg.text(lang),
            AnyMsg::MyData(msg) => msg.text(lang),
            AnyMsg::Cancel(msg) => msg.text(lang),
        }
    }
}

macro_rules! any_msg_from {
    ($($variant:ident($msg:ty)),* $(,)?) => {
        $(impl From<$msg> for AnyMsg {
            fn from(msg: $msg) -> Self {
                AnyMsg::$variant(msg)
            }
        })*
    };
}

any_msg_from!(
    Privacy(PrivacyMsg),
    Shell(Msg),
    Account(AccountMsg),
    Recover(RecoverMsg),
    Settings(SettingsMsg),
    Audit(AuditMsg),
    Field(FieldMsg),
    Retention(RetentionMsg),
    MyData(MyDataMsg),
    Cancel(CancelMsg),
);

/// The localStorage key holding the language the user picked.
const STORAGE_KEY: &str = "examcloud.lang";

/// The current language, shared through context. Reading it inside a closure in a view makes
/// that part of the view follow language changes.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// The current language (tracked).
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The current language, without tracking: for event handlers and requests started by them.
    pub fn lang_untracked(&self) -> Lang {
        self.lang.get_untracked()
    }

    /// Switches language and remembers the choice for the next visit.
    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        store_lang(lang);
    }

    /// The text of `msg` in the current language (tracked).
    pub fn t(&self, msg: impl Text) -> &'static str {
        msg.text(self.lang())
    }
}

/// Puts the language into context and keeps `<html lang>` in sync with it.
pub fn provide_i18n() -> I18n {
    let i18n = I18n {
        lang: RwSignal::new(initial_lang()),
    };
    Effect::new(move |_| set_document_lang(i18n.lang()));
    provide_context(i18n);
    i18n
}

/// The language context provided by [`provide_i18n`] at the root of the app.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// The stored choice, else the browser's language, else zh-CN (the product's primary language).
fn initial_lang() -> Lang {
    stored_lang()
        .or_else(|| {
            let language = web_sys::window()?.navigator().language()?;
            Lang::from_tag(&language)
        })
        .unwrap_or_default()
}

fn local_storage() -> Option<web_sys::Storage> {
    // Storage may be unavailable (privacy modes, sandboxed frames); the choice then lasts only
    // until the page is reloaded.
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored_lang() -> Option<Lang> {
    let tag = local_storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    Lang::from_tag(&tag)
}

fn store_lang(lang: Lang) {
    if let Some(storage) = local_storage() {
        // A full or disabled storage only costs the preference, never the page.
        let _ = storage.set_item(STORAGE_KEY, lang.tag());
    }
}

fn set_document_lang(lang: Lang) {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    if let Some(root) = root {
        // Setting an attribute on <html> cannot fail for a valid attribute name.
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// A language's own name for itself, shown on the language buttons. It is deliberately the same
/// whatever the current language is, so that a reader can always find their language.
pub fn endonym(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "中文",
        Lang::En => "English",
    }
}

/// Every user-visible string of the SPA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    AppName,
    MainNav,
    Menu,
    NavHome,
    NavStatus,
    LanguagePicker,
    Footer,
    HomeTitle,
    HomeLead,
    HomeStatusLink,
    StatusTitle,
    StatusLead,
    Refresh,
    Refreshing,
    Loading,
    Liveness,
    Readiness,
    Version,
    AllChecksPass,
    SomeChecksFail,
    StatusOk,
    StatusFailing,
    ErrorTitle,
    ErrorNetwork,
    ErrorUnexpectedResponse,
    RequestId,
    NotFoundTitle,
    NotFoundLead,
    BackHome,
}

impl Msg {
    #[cfg(test)]
    pub const ALL: [Msg; 29] = [
        Msg::AppName,
        Msg::MainNav,
        Msg::Menu,
        Msg::NavHome,
        Msg::NavStatus,
        Msg::LanguagePicker,
        Msg::Footer,
        Msg::HomeTitle,
        Msg::HomeLead,
        Msg::HomeStatusLink,
        Msg::StatusTitle,
        Msg::StatusLead,
        Msg::Refresh,
        Msg::Refreshing,
        Msg::Loading,
        Msg::Liveness,
        Msg::Readiness,
        Msg::Version,
        Msg::AllChecksPass,
        Msg::SomeChecksFail,
        Msg::StatusOk,
        Msg::StatusFailing,
        Msg::ErrorTitle,
        Msg::ErrorNetwork,
        Msg::ErrorUnexpectedResponse,
        Msg::RequestId,
        Msg::NotFoundTitle,
        Msg::NotFoundLead,
        Msg::BackHome,
    ];

    pub fn text(self, lang: Lang) -> &'static str {
        use Msg::*;
        match (self, lang) {
            (AppName, Lang::ZhCn) => "考试云",
            (AppName, Lang::En) => "ExamCloud",
            (MainNav, Lang::ZhCn) => "主导航",
            (MainNav, Lang::En) => "Main navigation",
            (Menu, Lang::ZhCn) => "菜单",
            (Menu, Lang::En) => "Menu",
            (NavHome, Lang::ZhCn) => "首页",
            (NavHome, Lang::En) => "Home",
            (NavStatus, Lang::ZhCn) => "系统状态",
            (NavStatus, Lang::En) => "System status",
            (LanguagePicker, Lang::ZhCn) => "界面语言",
            (LanguagePicker, Lang::En) => "Interface language",
            (Footer, Lang::ZhCn) => "考试云 · 在线考试平台",
            (Footer, Lang::En) => "ExamCloud · Online examination platform",
            (HomeTitle, Lang::ZhCn) => "欢迎使用考试云",
            (HomeTitle, Lang::En) => "Welcome to ExamCloud",
            (HomeLead, Lang::ZhCn) => {
                "考试云是面向学校、企业和认证机构的在线考试平台：题库、组卷、考试、阅卷与成绩分析，一站完成。"
            }
            (HomeLead, Lang::En) => {
                "ExamCloud is the online examination platform for schools, companies and \
                 certification bodies: question banks, papers, exams, grading and analytics in \
                 one place."
            }
            (HomeStatusLink, Lang::ZhCn) => "查看系统状态",
            (HomeStatusLink, Lang::En) => "View system status",
            (StatusTitle, Lang::ZhCn) => "系统状态",
            (StatusTitle, Lang::En) => "System status",
            (StatusLead, Lang::ZhCn) => "服务的运行与就绪情况。",
            (StatusLead, Lang::En) => "Whether the service is up and ready to serve.",
            (Refresh, Lang::ZhCn) => "刷新",
            (Refresh, Lang::En) => "Refresh",
            (Refreshing, Lang::ZhCn) => "正在刷新…",
            (Refreshing, Lang::En) => "Refreshing…",
            (Loading, Lang::ZhCn) => "正在加载…",
            (Loading, Lang::En) => "Loading…",
            (Liveness, Lang::ZhCn) => "服务运行",
            (Liveness, Lang::En) => "Liveness",
            (Readiness, Lang::ZhCn) => "服务就绪",
            (Readiness, Lang::En) => "Readiness",
            (Version, Lang::ZhCn) => "版本",
            (Version, Lang::En) => "Version",
            (AllChecksPass, Lang::ZhCn) => "所有检查均已通过，服务可以正常使用。",
            (AllChecksPass, Lang::En) => "All checks pass; the service is ready.",
            (SomeChecksFail, Lang::ZhCn) => "部分检查未通过，服务暂时无法正常使用。",
            (SomeChecksFail, Lang::En) => "Some checks fail; the service is not ready.",
            (StatusOk, Lang::ZhCn) => "正常",
            (StatusOk, Lang::En) => "OK",
            (StatusFailing, Lang::ZhCn) => "异常",
            (StatusFailing, Lang::En) => "Failing",
            (ErrorTitle, Lang::ZhCn) => "加载失败",
            (ErrorTitle, Lang::En) => "Could not load",
            (ErrorNetwork, Lang::ZhCn) => "无法连接到服务器，请检查网络后重试。",
            (ErrorNetwork, Lang::En) => {
                "Could not reach the server. Check your connection and try again."
            }
            (ErrorUnexpectedResponse, Lang::ZhCn) => "服务器返回了无法识别的响应。",
            (ErrorUnexpectedResponse, Lang::En) => {
                "The server sent a response that could not be understood."
            }
            (RequestId, Lang::ZhCn) => "请求编号",
            (RequestId, Lang::En) => "Request id",
            (NotFoundTitle, Lang::ZhCn) => "页面不存在",
            (NotFoundTitle, Lang::En) => "Page not found",
            (NotFoundLead, Lang::ZhCn) => "您访问的页面不存在或已被移动。",
            (NotFoundLead, Lang::En) => "The page you asked for does not exist or has moved.",
            (BackHome, Lang::ZhCn) => "返回首页",
            (BackHome, Lang::En) => "Back to the home page",
        }
    }
}

impl Text for Msg {
    fn text(self, lang: Lang) -> &'static str {
        Msg::text(self, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::{Msg, endonym};
    use shared::Lang;

    #[test]
    fn every_message_has_a_text_in_every_language() {
        for msg in Msg::ALL {
            for lang in Lang::ALL {
                assert!(!msg.text(lang).trim().is_empty(), "{msg:?} in {lang:?}");
            }
            assert_ne!(msg.text(Lang::ZhCn), msg.text(Lang::En), "{msg:?}");
        }
        for lang in Lang::ALL {
            assert!(!endonym(lang).is_empty());
        }
    }

    #[test]
    fn page_titles_are_the_ones_the_browser_tests_expect() {
        assert_eq!(Msg::HomeTitle.text(Lang::ZhCn), "欢迎使用考试云");
        assert_eq!(Msg::HomeTitle.text(Lang::En), "Welcome to ExamCloud");
        assert_eq!(Msg::StatusTitle.text(Lang::ZhCn), "系统状态");
        assert_eq!(Msg::StatusTitle.text(Lang::En), "System status");
        assert_eq!(Msg::NotFoundTitle.text(Lang::ZhCn), "页面不存在");
        assert_eq!(Msg::NotFoundTitle.text(Lang::En), "Page not found");
    }
}
