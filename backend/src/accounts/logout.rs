//! `POST /api/auth/logout` (this device) and `POST /api/auth/logout-all` (every device).

use actix_web::{HttpRequest, HttpResponse, web};

use crate::audit::{self, Actor, Outcome};
use crate::auth::AuthUser;
use crate::auth::cookies::{self, Area};
use crate::auth::sessions::{self, PrincipalKind};
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/auth/logout",
    operation_id = "logout",
    tag = "accounts",
    security(("session_cookie" = [])),
    responses(
        (status = 204, description = "Signed out; the session cookies are cleared."),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn logout(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    end_sessions(&req, user, &state, false).await
}

#[utoipa::path(
    post,
    path = "/api/auth/logout-all",
    operation_id = "logout_all",
    tag = "accounts",
    security(("session_cookie" = [])),
    responses(
        (status = 204, description = "Every session of this account is revoked; cookies cleared."),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn logout_all(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    end_sessions(&req, user, &state, true).await
}

async fn end_sessions(
    req: &HttpRequest,
    user: AuthUser,
    state: &AppState,
    everywhere: bool,
) -> Result<HttpResponse, ApiError> {
    let client = ClientInfo::of(req);
    let cipher = state.cipher.clone();
    state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                let revoked = if everywhere {
                    sessions::revoke_all(conn, PrincipalKind::User, user.user_id, "logout_all")?
                } else {
                    sessions::revoke(conn, user.session_id, "logout")?
                };
                let action = if everywhere {
                    "auth.logout_all"
                } else {
                    "auth.logout"
                };
                let entry = client.audit(
                    Some(user.org_id),
                    Actor::User(user.user_id),
                    action,
                    Outcome::Success,
                    serde_json::json!({ "sessions_revoked": revoked }),
                );
                audit::append(conn, &cipher, entry)?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    let mut res = HttpResponse::NoContent();
    for cookie in cookies::cleared(Area::Console, state.secure_cookies()) {
        res.cookie(cookie);
    }
    Ok(res.finish())
}
