//! One module per screen.

mod account;
mod audit;
mod forgot_password;
mod home;
mod login;
mod not_found;
mod organisation;
mod register;
mod security;
mod sessions;
mod status;

mod api_keys;
mod candidate_exams;
mod candidate_groups;
pub mod candidate_import;
pub mod candidates;
pub mod exam_admin;
mod exam_screen;
pub mod exams;
mod paper_builder;
mod paper_preview;
mod papers;
mod portal;
pub mod question_bank;
mod question_banks;
mod question_editor;
mod question_import;

pub use account::AccountPage;
pub use audit::AuditLogPage;
pub use forgot_password::ForgotPasswordPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use organisation::OrganisationPage;
pub use register::RegisterPage;
pub use security::SecurityPage;
pub use sessions::SessionsPage;
pub use status::StatusPage;

pub use api_keys::ApiKeysPage;
pub use candidate_exams::CandidateExamPage;
pub use candidate_groups::CandidateGroupsPage;
pub use candidate_import::CandidateImportPage;
pub use candidates::CandidatesPage;
pub use exam_admin::ExamAdminPage;
pub use exam_screen::ExamScreenPage;
pub use exams::ExamsPage;
pub use paper_builder::PaperBuilderPage;
pub use paper_preview::PaperPreviewPage;
pub use papers::PapersPage;
pub use portal::{PortalHomePage, PortalLoginPage};
pub use question_bank::QuestionBankPage;
pub use question_banks::QuestionBanksPage;
pub use question_editor::QuestionEditorPage;
pub use question_import::QuestionImportPage;
