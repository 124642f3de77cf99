//! One module per screen.

mod home;
mod not_found;
mod status;

pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use status::StatusPage;
