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
mod candidate_groups;
mod candidate_import;
pub mod candidates;
mod portal;

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
pub use candidate_groups::CandidateGroupsPage;
pub use candidate_import::CandidateImportPage;
pub use candidates::CandidatesPage;
pub use portal::{PortalHomePage, PortalLoginPage};
