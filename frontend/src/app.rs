//! The root component: the language context, the router, the session and the layout around
//! every page.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};

use crate::auth;
use crate::components::Layout;
use crate::i18n;
use crate::pages::{
    AccountPage, AuditLogPage, ForgotPasswordPage, HomePage, LoginPage, NotFoundPage,
    OrganisationPage, RegisterPage, SecurityPage, SessionsPage, StatusPage, VerifyPage,
};
use crate::pages::{
    ApiKeysPage, CandidateGroupsPage, CandidateImportPage, CandidatesPage,
    CertificateTemplatesPage, DashboardPage, PortalHomePage, PortalLoginPage, QuestionBankPage,
    QuestionBanksPage, QuestionEditorPage, QuestionImportPage,
};
use crate::pages::{AttemptReviewPage, ExamResultsPage, MyResultsPage, ScoreSheetPage};
use crate::pages::{CancellationPage, MyDataPage, PortalMyDataPage, RetentionPage};
use crate::pages::{
    CandidateExamPage, ExamAdminPage, ExamMonitorPage, ExamScreenPage, ExamsPage, PaperBuilderPage,
    PaperPreviewPage, PapersPage,
};
use crate::pages::{GradingMarkPage, GradingPage, GradingQueuePage};
use crate::pages::{PortalCodePage, PortalInvitePage, PortalOpenLinkPage};
use crate::pages::{PortalPrivacyPage, PrivacyPage};
use crate::routes::{Page, PortalPage, verify_route};

#[component]
pub fn App() -> impl IntoView {
    i18n::provide_i18n();
    view! {
        <Router>
            <Shell />
        </Router>
    }
}

/// Everything inside the router: the session needs it to send the user to the login page.
#[component]
fn Shell() -> impl IntoView {
    auth::provide_auth();
    view! {
        <Layout>
            <Routes fallback=NotFoundPage>
                <Route path=Page::Home.segment() view=HomePage />
                <Route path=Page::Dashboard.segment() view=DashboardPage />
                <Route path=Page::Status.segment() view=StatusPage />
                <Route path=Page::Privacy.segment() view=PrivacyPage />
                <Route path=Page::Register.segment() view=RegisterPage />
                <Route path=Page::Login.segment() view=LoginPage />
                <Route path=Page::ForgotPassword.segment() view=ForgotPasswordPage />
                <Route path=Page::Account.segment() view=AccountPage />
                <Route path=Page::AccountOrganisation.nested_segments() view=OrganisationPage />
                <Route path=Page::AccountSecurity.nested_segments() view=SecurityPage />
                <Route path=Page::AccountSessions.nested_segments() view=SessionsPage />
                <Route path=Page::AccountAudit.nested_segments() view=AuditLogPage />
                <Route path=Page::AccountRetention.nested_segments() view=RetentionPage />
                <Route path=Page::AccountData.nested_segments() view=MyDataPage />
                <Route path=Page::AccountCancel.nested_segments() view=CancellationPage />
                <Route path=Page::Candidates.segment() view=CandidatesPage />
                <Route path=Page::CandidateGroups.segment() view=CandidateGroupsPage />
                <Route path=Page::CandidateImport.segment() view=CandidateImportPage />
                <Route path=Page::ApiKeys.segment() view=ApiKeysPage />
                <Route path=Page::QuestionBanks.segment() view=QuestionBanksPage />
                <Route path=Page::QuestionBank.segment() view=QuestionBankPage />
                <Route path=Page::QuestionEditor.segment() view=QuestionEditorPage />
                <Route path=Page::QuestionImport.segment() view=QuestionImportPage />
                <Route path=Page::Papers.segment() view=PapersPage />
                <Route path=Page::Paper.segment() view=PaperBuilderPage />
                <Route path=Page::PaperPreview.segment() view=PaperPreviewPage />
                <Route path=Page::Exams.segment() view=ExamsPage />
                <Route path=Page::Exam.segment() view=ExamAdminPage />
                <Route path=Page::ExamMonitor.segment() view=ExamMonitorPage />
                <Route path=Page::ExamResults.segment() view=ExamResultsPage />
                <Route path=Page::ScoreSheet.segment() view=ScoreSheetPage />
                <Route path=Page::CertificateTemplates.segment() view=CertificateTemplatesPage />
                <Route path=Page::Grading.segment() view=GradingPage />
                <Route path=Page::GradingExam.nested_segments() view=GradingQueuePage />
                <Route path=Page::GradingMark.nested_segments() view=GradingMarkPage />
                <Route path=verify_route() view=VerifyPage />
                <Route path=PortalPage::entry_route() view=PortalLoginPage />
                <Route path=PortalPage::Login.route() view=PortalLoginPage />
                <Route path=PortalPage::Home.route() view=PortalHomePage />
                <Route path=PortalPage::Exam.route() view=CandidateExamPage />
                <Route path=PortalPage::Attempt.route() view=ExamScreenPage />
                <Route path=PortalPage::Code.route() view=PortalCodePage />
                <Route path=PortalPage::Invite.route() view=PortalInvitePage />
                <Route path=PortalPage::Results.route() view=MyResultsPage />
                <Route path=PortalPage::Review.route() view=AttemptReviewPage />
                <Route path=PortalPage::Privacy.route() view=PortalPrivacyPage />
                <Route path=PortalPage::MyData.route() view=PortalMyDataPage />
                <Route path=PortalPage::open_link_route() view=PortalOpenLinkPage />
            </Routes>
        </Layout>
    }
}
