//! `GET /api/auth/sessions` and `DELETE /api/auth/sessions/{id}`: the signed-in devices of the
//! account, and signing one of them out.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::accounts::SessionInfo;

use crate::audit::{self, Actor, Outcome};
use crate::auth::{AuthUser, sessions};
use crate::crypto::Aad;
use crate::db::schema::sessions as sessions_table;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/auth/sessions",
    operation_id = "list_sessions",
    tag = "accounts",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Active sessions, newest first.", body = Vec<SessionInfo>),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_sessions(
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<SessionInfo>>, ApiError> {
    let cipher = state.cipher.clone();
    let list = state
        .db
        .run(move |conn| {
            let rows: Vec<(DbUuid, Option<Vec<u8>>, Timestamp, Timestamp)> = sessions_table::table
                .filter(sessions_table::principal_kind.eq("user"))
                .filter(sessions_table::principal_id.eq(user.user_id))
                .filter(sessions_table::revoked_at.is_null())
                .filter(sessions_table::expires_at.gt(Timestamp::now()))
                .order(sessions_table::created_at.desc())
                .select((
                    sessions_table::id,
                    sessions_table::device_enc,
                    sessions_table::created_at,
                    sessions_table::last_used_at,
                ))
                .load(conn)?;
            let list = rows
                .into_iter()
                .map(|(id, device, created, used)| SessionInfo {
                    id: id.to_string(),
                    device: device.and_then(|ct| {
                        cipher
                            .decrypt(
                                &ct,
                                Aad {
                                    table: "sessions",
                                    column: "device_enc",
                                    row_id: &id.to_string(),
                                },
                            )
                            .ok()
                    }),
                    created_at: created.to_canonical_string(),
                    last_used_at: used.to_canonical_string(),
                    current: id == user.session_id,
                })
                .collect();
            Ok::<_, ApiError>(list)
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    delete,
    path = "/api/auth/sessions/{id}",
    operation_id = "revoke_session",
    tag = "accounts",
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The session id.")),
    responses(
        (status = 204, description = "That device is signed out."),
        (status = 404, description = "No such session of this account.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn revoke_session(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let target = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    let cipher = state.cipher.clone();
    state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                // Scoped to the caller's own sessions: another account's id is simply not found.
                let owned: i64 = sessions_table::table
                    .filter(sessions_table::id.eq(target))
                    .filter(sessions_table::principal_kind.eq("user"))
                    .filter(sessions_table::principal_id.eq(user.user_id))
                    .filter(sessions_table::revoked_at.is_null())
                    .count()
                    .get_result(conn)?;
                if owned == 0 {
                    return Err(ApiError::NotFound);
                }
                sessions::revoke(conn, target, "revoked_by_user")?;
                let mut entry = client.audit(
                    Some(user.org_id),
                    Actor::User(user.user_id),
                    "auth.session_revoke",
                    Outcome::Success,
                    serde_json::json!({}),
                );
                entry.target_kind = Some("session");
                entry.target_id = Some(target.to_string());
                audit::append(conn, &cipher, entry)?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
