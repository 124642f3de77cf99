//! The session cookies. `HttpOnly` (no script reads them), `SameSite`, `Secure` unless
//! configured off for plain-http local use; the refresh cookie is sent only to `/api/auth`.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};

use super::sessions::REFRESH_TTL_DAYS;

pub const ACCESS_COOKIE: &str = "ec_access";
pub const REFRESH_COOKIE: &str = "ec_refresh";

/// The access-token cookie, for every API path.
pub fn access(token: String, ttl_secs: i64, secure: bool) -> Cookie<'static> {
    Cookie::build(ACCESS_COOKIE, token)
        .path("/api")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::seconds(ttl_secs))
        .finish()
}

/// The refresh-token cookie, sent only to the session endpoints.
pub fn refresh(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token)
        .path("/api/auth")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(REFRESH_TTL_DAYS))
        .finish()
}

/// Cookies that delete both session cookies.
pub fn cleared(secure: bool) -> [Cookie<'static>; 2] {
    let mut a = access(String::new(), 0, secure);
    a.make_removal();
    let mut r = refresh(String::new(), secure);
    r.make_removal();
    [a, r]
}
