//! `POST /api/auth/login`: sign in by login account, email or mobile number with a password or
//! a code. Every failure answers the same `invalid_credentials`, whether the account exists or
//! not (an unknown account costs the same password hashing as a known one). Repeated failures
//! lock the identifier for a while and slow a client down; both answer 429 with `Retry-After`.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Duration;
use diesel::prelude::*;
use shared::accounts::{LoginRequest, MeResponse};

use super::model::{self, Credentials, Identifier};
use super::{ClientInfo, set_session_cookies};
use crate::audit::{self, Actor, Outcome};
use crate::auth::sessions::{self, PrincipalKind};
use crate::crypto::{BlindIndex, IndexKind};
use crate::db::DbConnection;
use crate::db::schema::login_attempts;
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::Contact;
use crate::errors::ApiError;
use crate::state::AppState;
use crate::verification::{self, CodeError, Purpose};

/// Failed attempts per identifier within the window before it is locked.
const MAX_FAILURES_PER_IDENTIFIER: i64 = 5;
/// Failed attempts per client address within the window before it is slowed down.
const MAX_FAILURES_PER_IP: i64 = 30;
const WINDOW_SECS: i64 = 15 * 60;

#[utoipa::path(
    post,
    path = "/api/auth/login",
    operation_id = "login",
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in (session cookies set).", body = MeResponse),
        (status = 401, description = "Wrong account, password or code.", body = shared::ErrorBody),
        (status = 429, description = "Too many failures; see `Retry-After`.", body = shared::ErrorBody),
        (status = 503, description = "`server_busy`: every password-hashing slot of this node is taken and the queue is full; nothing was done. Retry after `Retry-After` seconds.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let client = ClientInfo::of(&req);
    let Some(who) = Identifier::parse(&body.identifier) else {
        return Err(super::Fields::single("identifier", "invalid_format"));
    };
    if let Some(field) = body.device.as_ref().and_then(|d| d.invalid_field()) {
        return Err(super::Fields::single(field, "invalid_format"));
    }
    let identifier_index = who.index(&state.bidx);
    let ip_index = client
        .ip
        .as_deref()
        .map(|ip| state.bidx.compute(IndexKind::Ip, ip));

    // Throttle first, then look the account up.
    let st = state.clone();
    let (idx, ipx, w) = (identifier_index.clone(), ip_index.clone(), who.clone());
    let creds = state
        .db
        .run(move |conn| {
            throttle(conn, &idx, ipx.as_deref())?;
            Ok::<_, ApiError>(model::find_credentials(conn, &st.bidx, &w)?)
        })
        .await?;

    let verified = match (&body.password, &body.code) {
        (Some(password), None) => {
            let hash = creds.as_ref().map(|c| c.password_hash.clone());
            state.hasher.verify(password, hash).await?
        }
        (None, Some(code)) => match &who {
            Identifier::Contact(contact) => {
                check_login_code(&state, contact.clone(), code.clone()).await? && creds.is_some()
            }
            Identifier::Account(_) => false,
        },
        _ => return Err(super::Fields::single("password", "required")),
    };
    let active = creds.filter(|c| verified && c.status == "active");

    let cipher = state.cipher.clone();
    let issued = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                record_attempt(conn, identifier_index, ip_index, active.is_some())?;
                let (org_id, actor, outcome) = match &active {
                    Some(Credentials { id, org_id, .. }) => {
                        (Some(*org_id), Actor::User(*id), Outcome::Success)
                    }
                    None => (None, Actor::Anonymous, Outcome::Failure),
                };
                let method = if body.code.is_some() {
                    "code"
                } else {
                    "password"
                };
                let mut entry = client.audit(
                    org_id,
                    actor,
                    "auth.login",
                    outcome,
                    serde_json::json!({ "method": method }),
                );
                entry.device = body.device.clone();
                audit::append(conn, &cipher, entry)?;
                let Some(user) = active else {
                    return Ok(None);
                };
                let issued = sessions::create(
                    conn,
                    &cipher,
                    PrincipalKind::User,
                    user.id,
                    client.user_agent.as_deref(),
                )?;
                let me = model::load_me(conn, &cipher, user.id, user.org_id)?;
                Ok::<_, ApiError>(Some((issued, me)))
            })
        })
        .await?;
    let Some((issued, me)) = issued else {
        return Err(ApiError::InvalidCredentials);
    };
    let mut res = HttpResponse::Ok();
    set_session_cookies(&mut res, &state, &issued)?;
    Ok(res.json(me))
}

async fn check_login_code(
    state: &AppState,
    contact: Contact,
    code: String,
) -> Result<bool, ApiError> {
    let bidx: BlindIndex = state.bidx.clone();
    state
        .db
        .run(move |conn| {
            match verification::check_code(conn, &bidx, Purpose::Login, &contact, &code) {
                Ok(()) => Ok(true),
                Err(CodeError::Invalid) => Ok(false),
                Err(other) => Err(ApiError::from(other)),
            }
        })
        .await
}

/// 429 while the identifier or the client has too many recent failures.
pub(crate) fn throttle(
    conn: &mut DbConnection,
    identifier: &[u8],
    ip: Option<&[u8]>,
) -> Result<(), ApiError> {
    let now = Timestamp::now();
    let since = Timestamp::from(now.0 - Duration::seconds(WINDOW_SECS));
    let recent_failures = |conn: &mut DbConnection,
                           by_ip: bool,
                           key: &[u8],
                           limit: i64|
     -> QueryResult<Option<Timestamp>> {
        let query = login_attempts::table
            .filter(login_attempts::succeeded.eq(false))
            .filter(login_attempts::created_at.gt(since))
            .order(login_attempts::created_at.desc())
            .select(login_attempts::created_at)
            .limit(limit)
            .into_boxed();
        let query = if by_ip {
            query.filter(login_attempts::ip_bidx.eq(key.to_vec()))
        } else {
            query.filter(login_attempts::identifier_bidx.eq(key.to_vec()))
        };
        let failures: Vec<Timestamp> = query.load(conn)?;
        // Locked until the oldest counted failure leaves the window.
        Ok((failures.len() as i64 >= limit).then(|| failures.last().copied().unwrap_or(now)))
    };
    let mut oldest = recent_failures(conn, false, identifier, MAX_FAILURES_PER_IDENTIFIER)?;
    if let Some(ip) = ip
        && oldest.is_none()
    {
        oldest = recent_failures(conn, true, ip, MAX_FAILURES_PER_IP)?;
    }
    match oldest {
        Some(t) => {
            let retry = (t.0 + Duration::seconds(WINDOW_SECS) - now.0)
                .num_seconds()
                .max(1);
            Err(ApiError::RateLimited {
                retry_after_secs: retry as u64,
            })
        }
        None => Ok(()),
    }
}

pub(crate) fn record_attempt(
    conn: &mut DbConnection,
    identifier: Vec<u8>,
    ip: Option<Vec<u8>>,
    succeeded: bool,
) -> QueryResult<usize> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::id.eq(DbUuid::new_v7()),
            login_attempts::identifier_bidx.eq(identifier),
            login_attempts::ip_bidx.eq(ip),
            login_attempts::succeeded.eq(succeeded),
            login_attempts::created_at.eq(Timestamp::now()),
        ))
        .execute(conn)
}
