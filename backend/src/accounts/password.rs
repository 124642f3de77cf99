//! `POST /api/auth/password` (change, signed in) and `POST /api/auth/password/reset` (forgot,
//! with a code). Either ends every session of the account; a change keeps the caller signed in
//! on a fresh session.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::accounts::{ChangePasswordRequest, ResetPasswordRequest};

use super::model::{self, Identifier};
use super::{set_session_cookies, throttle};
use crate::audit::{self, Actor, Outcome};
use crate::auth::AuthUser;
use crate::auth::sessions::{self, PrincipalKind};
use crate::db::DbConnection;
use crate::db::schema::users;
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::{Contact, Password};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::state::AppState;
use crate::verification::{self, Purpose};

async fn hash_off_thread(state: &AppState, password: &Password) -> Result<String, ApiError> {
    Ok(state.hasher.hash(password.expose()).await?)
}

fn set_password(
    conn: &mut DbConnection,
    user_id: DbUuid,
    hash: &str,
    reason: &str,
) -> QueryResult<usize> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(hash),
            users::updated_at.eq(Timestamp::now()),
        ))
        .execute(conn)?;
    sessions::revoke_all(conn, PrincipalKind::User, user_id, reason)
}

/// Fails with `invalid_credentials` unless `password` is the signed-in user's current password.
/// Sensitive changes (password, email, mobile) ask for it even within a session.
///
/// Throttled like sign-in, per account: a stolen session (or an unlocked computer) must not
/// become a way to guess the password, so after five wrong passwords in fifteen minutes every
/// try answers 429 `rate_limited` (with `Retry-After`), the right password included.
pub(crate) async fn require_current_password(
    state: &AppState,
    user: &AuthUser,
    password: &str,
) -> Result<(), ApiError> {
    let id = user.user_id;
    // Throttled per account like a sign-in: recorded before it is verified.
    let key = throttle::principal_key(&state.bidx, &format!("current-password:{id}"));
    let (stored, attempt): (String, throttle::Attempt) = state
        .db
        .run(move |conn| {
            let attempt = throttle::begin(conn, &key, None, throttle::SIGN_IN)?;
            let stored = users::table
                .find(id)
                .select(users::password_hash)
                .first(conn)?;
            Ok::<_, ApiError>((stored, attempt))
        })
        .await?;
    let ok = state.hasher.verify(password, Some(stored)).await?;
    state
        .db
        .run(move |conn| attempt.settle(conn, ok).map_err(ApiError::from))
        .await?;
    if ok {
        Ok(())
    } else {
        Err(ApiError::InvalidCredentials)
    }
}

#[utoipa::path(
    post,
    path = "/api/auth/password",
    operation_id = "change_password",
    tag = "accounts",
    security(("session_cookie" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed. Every other session is signed out; this one gets new cookies."),
        (status = 401, description = "Not signed in, or the current password is wrong.", body = shared::ErrorBody),
        (status = 422, description = "The new password does not meet the policy.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
        (status = 429, description = "Too many wrong current passwords for this account (five in fifteen minutes); see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn change_password(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = Password::parse(&body.new_password)
        .map_err(|why| Fields::single("new_password", why.as_str()))?;
    require_current_password(&state, &user, &body.current_password).await?;
    let hash = hash_off_thread(&state, &new).await?;
    let client = ClientInfo::of(&req);
    let cipher = state.cipher.clone();
    let issued = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                let revoked = set_password(conn, user.user_id, &hash, "password_changed")?;
                let entry = client.audit(
                    Some(user.org_id),
                    Actor::User(user.user_id),
                    "auth.password_change",
                    Outcome::Success,
                    serde_json::json!({ "sessions_revoked": revoked }),
                );
                audit::append(conn, &cipher, entry)?;
                Ok::<_, ApiError>(sessions::create(
                    conn,
                    &cipher,
                    PrincipalKind::User,
                    user.user_id,
                    client.user_agent.as_deref(),
                )?)
            })
        })
        .await?;
    let mut res = HttpResponse::NoContent();
    set_session_cookies(&mut res, &state, &issued)?;
    Ok(res.finish())
}

#[utoipa::path(
    post,
    path = "/api/auth/password/reset",
    operation_id = "reset_password",
    tag = "accounts",
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "The password is set and every session of the account is signed out."),
        (status = 422, description = "Invalid fields, or a wrong or expired code.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<ResetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut fields = Fields::default();
    let contact = fields.check("destination", Contact::parse(&body.destination));
    let new = fields.check("new_password", Password::parse(&body.new_password));
    fields.finish()?;
    let (Some(contact), Some(new)) = (contact, new) else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let hash = hash_off_thread(&state, &new).await?;
    let client = ClientInfo::of(&req);
    let st = state.clone();
    state
        .db
        .run(move |conn| {
            // The code is only ever sent to registered destinations, so a valid code means the
            // account exists; an unknown destination fails exactly like a wrong code.
            verification::check_code(conn, &st.bidx, Purpose::Recover, &contact, &body.code)?;
            let Some(creds) =
                model::find_credentials(conn, &st.bidx, &Identifier::Contact(contact))?
            else {
                return Err(Fields::single("code", "invalid_code"));
            };
            crate::db::transaction(conn, |conn| {
                let revoked = set_password(conn, creds.id, &hash, "password_reset")?;
                let entry = client.audit(
                    Some(creds.org_id),
                    Actor::User(creds.id),
                    "auth.password_reset",
                    Outcome::Success,
                    serde_json::json!({ "sessions_revoked": revoked }),
                );
                audit::append(conn, &st.cipher, entry)?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
