//! `GET /api/auth/me`: the signed-in account.

use actix_web::web;
use shared::accounts::MeResponse;

use super::model;
use crate::auth::AuthUser;
use crate::errors::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/auth/me",
    operation_id = "get_me",
    tag = "accounts",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The signed-in account.", body = MeResponse),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_me(
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<MeResponse>, ApiError> {
    let cipher = state.cipher.clone();
    let me = state
        .db
        .run(move |conn| {
            model::load_me(conn, &cipher, user.user_id, user.org_id).map_err(ApiError::from)
        })
        .await?;
    Ok(web::Json(me))
}
