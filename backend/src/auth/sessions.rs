//! Sessions and refresh tokens in the database.
//!
//! A session is one signed-in device. It holds a family of refresh tokens: each refresh spends
//! the presented token and issues the next. Presenting a spent token means it was copied — the
//! whole session is revoked (the thief's copy and the owner's both stop working) and the caller
//! logs it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::crypto::{Aad, FieldCipher};
use crate::db::DbConnection;
use crate::db::schema::{refresh_tokens, sessions, users};
use crate::db::types::{DbUuid, Timestamp};

/// How long a session lasts without use before it needs a new login.
pub const REFRESH_TTL_DAYS: i64 = 30;

/// The user behind an active session.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct SessionUser {
    pub session_id: DbUuid,
    pub user_id: DbUuid,
    pub org_id: DbUuid,
    pub role: String,
}

/// A new or rotated session: the user and the refresh token to hand out (plaintext, once).
#[derive(Debug)]
pub struct Issued {
    pub user: SessionUser,
    pub refresh_token: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error("unknown, expired or revoked refresh token")]
    Invalid,
    /// A spent token was presented again; the session has been revoked.
    #[error("refresh token reuse detected; session revoked")]
    Reused {
        session_id: DbUuid,
        user_id: DbUuid,
        org_id: DbUuid,
    },
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Refresh tokens are 256-bit random values: a plain SHA-256 is enough to store them.
fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn insert_token(
    conn: &mut DbConnection,
    session_id: DbUuid,
    now: Timestamp,
) -> QueryResult<String> {
    let token = new_token();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(DbUuid::new_v7()),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash(&token)),
            refresh_tokens::created_at.eq(now),
            refresh_tokens::expires_at
                .eq(Timestamp::from(now.0 + Duration::days(REFRESH_TTL_DAYS))),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Opens a session for a user who just proved who they are. `device` (user agent) is
/// personal data and stored encrypted.
pub fn create(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    user_id: DbUuid,
    device: Option<&str>,
) -> anyhow::Result<Issued> {
    let now = Timestamp::now();
    crate::db::transaction(conn, |conn| {
        let (org_id, role): (DbUuid, String) = users::table
            .find(user_id)
            .select((users::org_id, users::role))
            .first(conn)?;
        let session_id = DbUuid::new_v7();
        let device_enc = device
            .map(|d| {
                cipher.encrypt(
                    d,
                    Aad {
                        table: "sessions",
                        column: "device_enc",
                        row_id: &session_id.to_string(),
                    },
                )
            })
            .transpose()?;
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(session_id),
                sessions::org_id.eq(org_id),
                sessions::user_id.eq(user_id),
                sessions::created_at.eq(now),
                sessions::last_used_at.eq(now),
                sessions::expires_at.eq(Timestamp::from(now.0 + Duration::days(REFRESH_TTL_DAYS))),
                sessions::device_enc.eq(device_enc),
            ))
            .execute(conn)?;
        diesel::update(users::table.find(user_id))
            .set(users::last_login_at.eq(Some(now)))
            .execute(conn)?;
        let refresh_token = insert_token(conn, session_id, now)?;
        Ok(Issued {
            user: SessionUser {
                session_id,
                user_id,
                org_id,
                role,
            },
            refresh_token,
        })
    })
}

/// Spends a refresh token and issues the next one in the same session.
pub fn rotate(conn: &mut DbConnection, presented: &str) -> Result<Issued, RefreshError> {
    let now = Timestamp::now();
    let hash = token_hash(presented);
    crate::db::transaction(conn, |conn| {
        let found: Option<(DbUuid, DbUuid, Option<Timestamp>, Timestamp)> = refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(&hash))
            .select((
                refresh_tokens::id,
                refresh_tokens::session_id,
                refresh_tokens::used_at,
                refresh_tokens::expires_at,
            ))
            .first(conn)
            .optional()?;
        let Some((token_id, session_id, used_at, expires_at)) = found else {
            return Ok(Err(RefreshError::Invalid));
        };
        let user = active_session(conn, session_id, now)?;
        let Some(user) = user else {
            return Ok(Err(RefreshError::Invalid));
        };
        if used_at.is_some() {
            revoke(conn, session_id, "refresh_token_reuse")?;
            return Ok(Err(RefreshError::Reused {
                session_id,
                user_id: user.user_id,
                org_id: user.org_id,
            }));
        }
        if expires_at <= now {
            return Ok(Err(RefreshError::Invalid));
        }
        // Spend it; a concurrent rotation of the same token loses here and counts as reuse.
        let spent = diesel::update(refresh_tokens::table.find(token_id))
            .filter(refresh_tokens::used_at.is_null())
            .set(refresh_tokens::used_at.eq(Some(now)))
            .execute(conn)?;
        if spent != 1 {
            revoke(conn, session_id, "refresh_token_reuse")?;
            return Ok(Err(RefreshError::Reused {
                session_id,
                user_id: user.user_id,
                org_id: user.org_id,
            }));
        }
        diesel::update(sessions::table.find(session_id))
            .set((
                sessions::last_used_at.eq(now),
                sessions::expires_at.eq(Timestamp::from(now.0 + Duration::days(REFRESH_TTL_DAYS))),
            ))
            .execute(conn)?;
        let refresh_token = insert_token(conn, session_id, now)?;
        Ok::<_, diesel::result::Error>(Ok(Issued {
            user,
            refresh_token,
        }))
    })?
}

/// The user of a session that is active now (not revoked, not expired, user not disabled).
pub fn active_session(
    conn: &mut DbConnection,
    session_id: DbUuid,
    now: Timestamp,
) -> QueryResult<Option<SessionUser>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(session_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .filter(users::status.eq("active"))
        .select((sessions::id, users::id, users::org_id, users::role))
        .first(conn)
        .optional()
}

/// Revokes one session.
pub fn revoke(conn: &mut DbConnection, session_id: DbUuid, reason: &str) -> QueryResult<usize> {
    diesel::update(sessions::table.find(session_id))
        .filter(sessions::revoked_at.is_null())
        .set((
            sessions::revoked_at.eq(Some(Timestamp::now())),
            sessions::revoke_reason.eq(Some(reason)),
        ))
        .execute(conn)
}

/// Revokes every session of a user (logout everywhere, password change, account disabled).
pub fn revoke_all(conn: &mut DbConnection, user_id: DbUuid, reason: &str) -> QueryResult<usize> {
    diesel::update(sessions::table)
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .set((
            sessions::revoked_at.eq(Some(Timestamp::now())),
            sessions::revoke_reason.eq(Some(reason)),
        ))
        .execute(conn)
}
