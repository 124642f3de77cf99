//! The console's entries in the main navigation, each shown only to users who may use it; the
//! dashboard first, for every signed-in user.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::access::{Level, Module, Permission};

use crate::auth::use_auth;
use crate::components::console_gate::may;
use crate::i18n::{
    CertificateMsg, ConsoleMsg, DashboardMsg, ExamAdminMsg, GradingMsg, PaperMsg, QuestionMsg,
    use_i18n,
};
use crate::routes::Page;

/// The permission each console page needs to be listed.
pub const CANDIDATES_READ: Permission = Permission::new(Module::Candidates, Level::Read);
pub const CANDIDATES_WRITE: Permission = Permission::new(Module::Candidates, Level::Write);
pub const API_KEYS_READ: Permission = Permission::new(Module::ApiKeys, Level::Read);
pub const API_KEYS_WRITE: Permission = Permission::new(Module::ApiKeys, Level::Write);
pub const QUESTIONS_READ: Permission = Permission::new(Module::Questions, Level::Read);
pub const QUESTIONS_WRITE: Permission = Permission::new(Module::Questions, Level::Write);
pub const EXAMS_READ: Permission = Permission::new(Module::Exams, Level::Read);
pub const EXAMS_WRITE: Permission = Permission::new(Module::Exams, Level::Write);
pub const GRADING_READ: Permission = Permission::new(Module::Grading, Level::Read);
pub const GRADING_WRITE: Permission = Permission::new(Module::Grading, Level::Write);

#[component]
pub fn ConsoleNav() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    view! {
        // Every signed-in user's home; its sections follow their permissions.
        <Show when=move || auth.user().is_some()>
            <A href=Page::Dashboard.path() {..} data-testid="nav-dashboard">
                {move || i18n.t(DashboardMsg::Nav)}
            </A>
        </Show>
        <Show when=move || may(auth, CANDIDATES_READ)>
            <A href=Page::Candidates.path() {..} data-testid="nav-candidates">
                {move || i18n.t(ConsoleMsg::NavCandidates)}
            </A>
        </Show>
        <Show when=move || may(auth, QUESTIONS_READ)>
            <A href=Page::QuestionBanks.path() {..} data-testid="nav-questions">
                {move || i18n.t(QuestionMsg::NavQuestions)}
            </A>
        </Show>
        <Show when=move || may(auth, QUESTIONS_READ)>
            <A href=Page::Papers.path() {..} data-testid="nav-papers">
                {move || i18n.t(PaperMsg::NavPapers)}
            </A>
        </Show>
        <Show when=move || may(auth, EXAMS_READ)>
            <A href=Page::Exams.path() {..} data-testid="nav-exams">
                {move || i18n.t(ExamAdminMsg::NavExams)}
            </A>
        </Show>
        <Show when=move || may(auth, GRADING_READ)>
            <A href=Page::Grading.path() {..} data-testid="nav-grading">
                {move || i18n.t(GradingMsg::NavGrading)}
            </A>
        </Show>
        <Show when=move || may(auth, EXAMS_READ)>
            <A href=Page::CertificateTemplates.path() {..} data-testid="nav-certificates">
                {move || i18n.t(CertificateMsg::NavTemplates)}
            </A>
        </Show>
        <Show when=move || may(auth, API_KEYS_READ)>
            <A href=Page::ApiKeys.path() {..} data-testid="nav-api-keys">
                {move || i18n.t(ConsoleMsg::NavApiKeys)}
            </A>
        </Show>
    }
}
