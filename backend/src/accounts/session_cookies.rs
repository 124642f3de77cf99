//! The session cookies of a newly issued session: the portal's for a candidate, the console's
//! for everyone else.

use actix_web::HttpResponseBuilder;
use actix_web::cookie::Cookie;

use crate::auth::cookies::{self, Area};
use crate::auth::sessions::{Issued, PrincipalKind};
use crate::errors::ApiError;
use crate::state::AppState;

/// Adds the session cookies of a newly issued session or rotation: the portal's for a
/// candidate, the console's for everyone else.
pub fn set_session_cookies(
    res: &mut HttpResponseBuilder,
    state: &AppState,
    issued: &Issued,
) -> Result<(), ApiError> {
    let secure = state.secure_cookies();
    let area = match issued.user.kind {
        PrincipalKind::Candidate => Area::Portal,
        PrincipalKind::User | PrincipalKind::Staff => Area::Console,
    };
    let access = state.signer.issue(&issued.user)?;
    let cookies: [Cookie<'static>; 2] = [
        cookies::access(area, access, state.signer.ttl_secs(), secure),
        cookies::refresh(area, issued.refresh_token.clone(), secure),
    ];
    for cookie in cookies {
        res.cookie(cookie);
    }
    Ok(())
}
