//! The session cookies. `HttpOnly` (no script reads them), `SameSite`, `Secure` unless
//! configured off for plain-http local use.
//!
//! The console (organisation users and staff) and the candidate portal have their own pair of
//! cookies, so an admin who opens the portal in the same browser to try it stays signed in to
//! the console. Each refresh cookie is sent only to its own refresh/logout endpoints.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};

use super::sessions::REFRESH_TTL_DAYS;

pub const ACCESS_COOKIE: &str = "ec_access";
pub const REFRESH_COOKIE: &str = "ec_refresh";
pub const PORTAL_ACCESS_COOKIE: &str = "ec_portal_access";
pub const PORTAL_REFRESH_COOKIE: &str = "ec_portal_refresh";

/// Which pair of session cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The admin console: organisation users and platform staff.
    Console,
    /// The candidate portal.
    Portal,
}

impl Area {
    pub fn access_name(self) -> &'static str {
        match self {
            Area::Console => ACCESS_COOKIE,
            Area::Portal => PORTAL_ACCESS_COOKIE,
        }
    }

    pub fn refresh_name(self) -> &'static str {
        match self {
            Area::Console => REFRESH_COOKIE,
            Area::Portal => PORTAL_REFRESH_COOKIE,
        }
    }

    fn refresh_path(self) -> &'static str {
        match self {
            Area::Console => "/api/auth",
            Area::Portal => "/api/candidate/auth",
        }
    }
}

/// Every session cookie name (for the CSRF guard).
pub const ALL: [&str; 4] = [
    ACCESS_COOKIE,
    REFRESH_COOKIE,
    PORTAL_ACCESS_COOKIE,
    PORTAL_REFRESH_COOKIE,
];

/// The access-token cookie, for every API path.
pub fn access(area: Area, token: String, ttl_secs: i64, secure: bool) -> Cookie<'static> {
    Cookie::build(area.access_name(), token)
        .path("/api")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::seconds(ttl_secs))
        .finish()
}

/// The refresh-token cookie, sent only to the session endpoints of its area.
pub fn refresh(area: Area, token: String, secure: bool) -> Cookie<'static> {
    Cookie::build(area.refresh_name(), token)
        .path(area.refresh_path())
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(REFRESH_TTL_DAYS))
        .finish()
}

/// Cookies that delete both session cookies of an area.
pub fn cleared(area: Area, secure: bool) -> [Cookie<'static>; 2] {
    let mut a = access(area, String::new(), 0, secure);
    a.make_removal();
    let mut r = refresh(area, String::new(), secure);
    r.make_removal();
    [a, r]
}
