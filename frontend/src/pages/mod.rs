//! One module per screen.

mod account;
mod home;
mod login;
mod not_found;
mod register;
mod status;

mod api_keys;
mod candidate_groups;
mod candidate_import;
pub mod candidates;
mod portal;

pub use account::AccountPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use register::RegisterPage;
pub use status::StatusPage;

pub use api_keys::ApiKeysPage;
pub use candidate_groups::CandidateGroupsPage;
pub use candidate_import::CandidateImportPage;
pub use candidates::CandidatesPage;
pub use portal::{PortalHomePage, PortalLoginPage};
