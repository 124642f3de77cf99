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
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::crypto::{Aad, FieldCipher};
use crate::db::DbConnection;
use crate::db::schema::{candidates, orgs, refresh_tokens, sessions, staff, users};
use crate::db::types::{DbUuid, Timestamp};

/// How long a session lasts without use before it needs a new login.
pub const REFRESH_TTL_DAYS: i64 = 30;

/// Who can hold a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    /// An organisation's owner, admin or grader.
    User,
    /// A candidate of an organisation (signs in on its portal).
    Candidate,
    /// Platform staff (no organisation).
    Staff,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Candidate => "candidate",
            PrincipalKind::Staff => "staff",
        }
    }

    fn parse(s: &str) -> Option<PrincipalKind> {
        match s {
            "user" => Some(PrincipalKind::User),
            "candidate" => Some(PrincipalKind::Candidate),
            "staff" => Some(PrincipalKind::Staff),
            _ => None,
        }
    }
}

/// The principal behind an active session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub session_id: DbUuid,
    pub kind: PrincipalKind,
    /// The user, candidate or staff id.
    pub user_id: DbUuid,
    /// `None` for staff only.
    pub org_id: Option<DbUuid>,
    /// `owner`/`admin`/`grader`, `candidate`, or the staff role.
    pub role: String,
    /// An organisation user's stored grants (read with the session, so the tenancy extractor
    /// needs no query of its own); `None` for candidates and staff.
    pub grants: Option<Grants>,
}

/// What an organisation user was granted, as stored: a JSON array of permissions and an
/// optional JSON array of candidate group ids (see `crate::tenancy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grants {
    pub permissions: String,
    pub scope_groups: Option<String>,
}

/// An active principal's organisation, role and grants.
type Found = (Option<DbUuid>, String, Option<Grants>);

/// A new or rotated session: the principal and the refresh token to hand out (plaintext, once).
#[derive(Debug)]
pub struct Issued {
    pub user: SessionUser,
    pub refresh_token: String,
}

/// The organisation and role of an active principal (also checks its org is active).
fn principal(
    conn: &mut DbConnection,
    kind: PrincipalKind,
    id: DbUuid,
) -> QueryResult<Option<Found>> {
    match kind {
        PrincipalKind::User => users::table
            .inner_join(orgs::table)
            .filter(users::id.eq(id))
            .filter(users::status.eq("active"))
            .filter(orgs::status.eq("active"))
            .select((
                users::org_id,
                users::role,
                users::permissions,
                users::scope_groups,
            ))
            .first::<(DbUuid, String, String, Option<String>)>(conn)
            .optional()
            .map(|r| {
                r.map(|(org, role, permissions, scope_groups)| {
                    let grants = Grants {
                        permissions,
                        scope_groups,
                    };
                    (Some(org), role, Some(grants))
                })
            }),
        PrincipalKind::Candidate => candidates::table
            .inner_join(orgs::table)
            .filter(candidates::id.eq(id))
            .filter(candidates::status.eq("active"))
            .filter(orgs::status.eq("active"))
            .select(candidates::org_id)
            .first::<DbUuid>(conn)
            .optional()
            .map(|r| r.map(|org| (Some(org), "candidate".to_owned(), None))),
        PrincipalKind::Staff => staff::table
            .filter(staff::id.eq(id))
            .filter(staff::status.eq("active"))
            .select(staff::role)
            .first::<String>(conn)
            .optional()
            .map(|r| r.map(|role| (None, role, None))),
    }
}

fn touch_last_login(
    conn: &mut DbConnection,
    kind: PrincipalKind,
    id: DbUuid,
    now: Timestamp,
) -> QueryResult<usize> {
    match kind {
        PrincipalKind::User => diesel::update(users::table.find(id))
            .set(users::last_login_at.eq(Some(now)))
            .execute(conn),
        PrincipalKind::Candidate => diesel::update(candidates::table.find(id))
            .set(candidates::last_login_at.eq(Some(now)))
            .execute(conn),
        PrincipalKind::Staff => diesel::update(staff::table.find(id))
            .set(staff::last_login_at.eq(Some(now)))
            .execute(conn),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error("unknown, expired or revoked refresh token")]
    Invalid,
    /// A spent token was presented again; the session has been revoked.
    #[error("refresh token reuse detected; session revoked")]
    Reused {
        session_id: DbUuid,
        kind: PrincipalKind,
        user_id: DbUuid,
        org_id: Option<DbUuid>,
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

/// Opens a session for a user, candidate or staff member who just proved who they are.
/// `device` (user agent) is personal data and stored encrypted.
pub fn create(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    kind: PrincipalKind,
    user_id: DbUuid,
    device: Option<&str>,
) -> anyhow::Result<Issued> {
    let now = Timestamp::now();
    crate::db::transaction(conn, |conn| {
        let (org_id, role, grants) = principal(conn, kind, user_id)?.ok_or(diesel::NotFound)?;
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
                sessions::principal_kind.eq(kind.as_str()),
                sessions::principal_id.eq(user_id),
                sessions::created_at.eq(now),
                sessions::last_used_at.eq(now),
                sessions::expires_at.eq(Timestamp::from(now.0 + Duration::days(REFRESH_TTL_DAYS))),
                sessions::device_enc.eq(device_enc),
            ))
            .execute(conn)?;
        touch_last_login(conn, kind, user_id, now)?;
        let refresh_token = insert_token(conn, session_id, now)?;
        Ok(Issued {
            user: SessionUser {
                session_id,
                kind,
                user_id,
                org_id,
                role,
                grants,
            },
            refresh_token,
        })
    })
}

/// Spends a refresh token and issues the next one in the same session, which must belong to a
/// principal of one of the `allowed` kinds (a candidate's token never refreshes a console
/// session).
pub fn rotate(
    conn: &mut DbConnection,
    allowed: &[PrincipalKind],
    presented: &str,
) -> Result<Issued, RefreshError> {
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
        let Some(user) = user.filter(|u| allowed.contains(&u.kind)) else {
            return Ok(Err(RefreshError::Invalid));
        };
        if used_at.is_some() {
            revoke(conn, session_id, "refresh_token_reuse")?;
            return Ok(Err(RefreshError::Reused {
                session_id,
                kind: user.kind,
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
                kind: user.kind,
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

/// The principal of a session that is active now (not revoked, not expired, principal and its
/// organisation not disabled).
pub fn active_session(
    conn: &mut DbConnection,
    session_id: DbUuid,
    now: Timestamp,
) -> QueryResult<Option<SessionUser>> {
    let row: Option<(String, DbUuid)> = sessions::table
        .filter(sessions::id.eq(session_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .select((sessions::principal_kind, sessions::principal_id))
        .first(conn)
        .optional()?;
    let Some((kind, id)) = row else {
        return Ok(None);
    };
    let Some(kind) = PrincipalKind::parse(&kind) else {
        return Ok(None);
    };
    Ok(
        principal(conn, kind, id)?.map(|(org_id, role, grants)| SessionUser {
            session_id,
            kind,
            user_id: id,
            org_id,
            role,
            grants,
        }),
    )
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

/// Revokes every session of a principal (logout everywhere, password change, account disabled).
pub fn revoke_all(
    conn: &mut DbConnection,
    kind: PrincipalKind,
    user_id: DbUuid,
    reason: &str,
) -> QueryResult<usize> {
    diesel::update(sessions::table)
        .filter(sessions::principal_kind.eq(kind.as_str()))
        .filter(sessions::principal_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .set((
            sessions::revoked_at.eq(Some(Timestamp::now())),
            sessions::revoke_reason.eq(Some(reason)),
        ))
        .execute(conn)
}

/// Deletes every session of a principal that is being deleted (their refresh tokens go with
/// them).
pub fn delete_all(conn: &mut DbConnection, kind: PrincipalKind, id: DbUuid) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::principal_kind.eq(kind.as_str()))
            .filter(sessions::principal_id.eq(id)),
    )
    .execute(conn)
}
