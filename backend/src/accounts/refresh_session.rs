//! `POST /api/auth/refresh`: spend the refresh token for a new access token and refresh token.
//! A spent token presented again revokes the whole session and is logged.

use actix_web::{HttpRequest, HttpResponse, web};

use super::{ClientInfo, set_session_cookies};
use crate::audit::{self, Actor, Outcome};
use crate::auth::cookies::{self, Area, REFRESH_COOKIE};
use crate::auth::sessions::{self, PrincipalKind, RefreshError};
use crate::errors::ApiError;
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
    let presented = req
        .cookie(REFRESH_COOKIE)
        .map(|c| c.value().to_owned())
        .ok_or(ApiError::Unauthorized)?;
    let client = ClientInfo::of(&req);
    let cipher = state.cipher.clone();
    let outcome = state
        .db
        .run(move |conn| {
            match sessions::rotate(
                conn,
                &[PrincipalKind::User, PrincipalKind::Staff],
                &presented,
            ) {
                Ok(issued) => Ok(Ok(issued)),
                Err(RefreshError::Reused {
                    session_id,
                    kind,
                    user_id,
                    org_id,
                }) => {
                    tracing::warn!(session = %session_id, "refresh token reuse: session revoked");
                    let entry = client.audit(
                        org_id,
                        match kind {
                            PrincipalKind::Staff => Actor::Staff(user_id),
                            _ => Actor::User(user_id),
                        },
                        "auth.refresh_token_reuse",
                        Outcome::Failure,
                        serde_json::json!({ "session_id": session_id, "session_revoked": true }),
                    );
                    audit::append(conn, &cipher, entry)?;
                    Ok(Err(ApiError::Unauthorized))
                }
                Err(RefreshError::Invalid) => Ok(Err(ApiError::Unauthorized)),
                Err(RefreshError::Database(e)) => Err(ApiError::from(e)),
            }
        })
        .await?;
    match outcome {
        Ok(issued) => {
            let mut res = HttpResponse::NoContent();
            set_session_cookies(&mut res, &state, &issued)?;
            Ok(res.finish())
        }
        Err(err) => {
            // Clear the dead cookies so the SPA goes to the sign-in page.
            let mut res = actix_web::HttpResponse::from_error(err);
            for cookie in cookies::cleared(Area::Console, state.secure_cookies()) {
                let _ = res.add_cookie(&cookie);
            }
            Ok(res)
        }
    }
}
