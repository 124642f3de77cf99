//! Who is calling: sessions (JWT access tokens and rotating refresh tokens in HttpOnly
//! cookies), the extractor that turns a request into an [`AuthUser`], and CSRF protection for
//! cookie-authenticated changes.
//!
//! The SPA never sees a token. An access token lives 15 minutes at most and names its session;
//! every request checks that the session is still active, so logout, logout-everywhere, a
//! password change or disabling an account take effect at once, not when tokens expire.

pub mod cookies;
pub mod csrf;
mod extractor;
pub mod sessions;
pub mod tokens;

pub(crate) use extractor::session_of;
pub use extractor::{AuthCandidate, AuthStaff, AuthUser};
pub use tokens::TokenSigner;
