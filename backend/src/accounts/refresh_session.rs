//! `POST /api/auth/refresh`: spend the refresh token for a new access token and refresh token.
//! A spent token presented again revokes the whole session and is logged. The candidate
//! portal's refresh (`crate::portal`) is the same with the portal's cookies.

use actix_web::{HttpRequest, HttpResponse, web};

use super::set_session_cookies;
use crate::audit::{self, Actor, Outcome};
use crate::auth::cookies::{self, Area};
use crate::auth::sessions::{self, PrincipalKind, RefreshError};
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/auth/refresh",
    operation_id = "refresh_session",
    tag = "accounts",
    security(("refresh_cookie" = [])),
    responses(
        (status = 204, description = "New session cookies are set."),
        (status = 401, description = "No valid refresh token; sign in again.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn refresh_session(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    refresh_in(
        &req,
        &state,
        Area::Console,
        &[PrincipalKind::User, PrincipalKind::Staff],
    )
    .await
}

/// Rotates the refresh token of `area`'s cookie, for a session of one of the `kinds`. On
/// failure the area's cookies are cleared, so the SPA goes to its sign-in page.
pub(crate) async fn refresh_in(
    req: &HttpRequest,
    state: &AppState,
    area: Area,
    kinds: &'static [PrincipalKind],
) -> Result<HttpResponse, ApiError> {
    let presented = req
        .cookie(area.refresh_name())
        .map(|c| c.value().to_owned())
        .ok_or(ApiError::Unauthorized)?;
    let client = ClientInfo::of(req);
    let cipher = state.cipher.clone();
    let outcome = state
        .db
        .run(
            move |conn| match sessions::rotate(conn, kinds, &presented) {
                Ok(issued) => Ok(Ok(issued)),
                Err(RefreshError::Reused {
                    session_id,
                    kind,
                    user_id,
                    org_id,
                }) => {
                    tracing::warn!(session = %session_id, "refresh token reuse: session revoked");
                    let actor = match kind {
                        PrincipalKind::User => Actor::User(user_id),
                        PrincipalKind::Candidate => Actor::Candidate(user_id),
                        PrincipalKind::Staff => Actor::Staff(user_id),
                    };
                    let entry = client.audit(
                        org_id,
                        actor,
                        "auth.refresh_token_reuse",
                        Outcome::Failure,
                        serde_json::json!({ "session_id": session_id, "session_revoked": true }),
                    );
                    audit::append(conn, &cipher, entry)?;
                    Ok(Err(ApiError::Unauthorized))
                }
                Err(RefreshError::Invalid) => Ok(Err(ApiError::Unauthorized)),
                Err(RefreshError::Database(e)) => Err(ApiError::from(e)),
            },
        )
        .await?;
    match outcome {
        Ok(issued) => {
            let mut res = HttpResponse::NoContent();
            set_session_cookies(&mut res, state, &issued)?;
            Ok(res.finish())
        }
        Err(err) => {
            let mut res = HttpResponse::from_error(err);
            for cookie in cookies::cleared(area, state.secure_cookies()) {
                let _ = res.add_cookie(&cookie);
            }
            Ok(res)
        }
    }
}
