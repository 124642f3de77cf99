//! One module per screen.

mod account;
mod home;
mod login;
mod not_found;
mod register;
mod status;

pub use account::AccountPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use register::RegisterPage;
pub use status::StatusPage;
