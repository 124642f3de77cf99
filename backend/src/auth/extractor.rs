//! Extractors for signed-in callers. A handler that takes one runs only for a caller of that
//! kind whose session is still active; anything else is a 401.
//!
//! - [`AuthUser`]: an organisation user (owner, admin, grader) signed in to the console.
//! - [`AuthCandidate`]: a candidate signed in to their organisation's portal.
//! - [`AuthStaff`]: platform staff signed in to the console.
//!
//! Handlers that act on an organisation's data take [`crate::tenancy::OrgScope`] instead, which
//! also accepts API keys and carries the permissions.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use shared::access::StaffRole;

use super::cookies::Area;
use super::sessions::{self, PrincipalKind, SessionUser};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::state::AppState;

/// The signed-in organisation user. `org_id` is the tenant every query of the request is
/// scoped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub user_id: DbUuid,
    pub org_id: DbUuid,
    pub role: String,
    pub session_id: DbUuid,
}

/// The signed-in candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCandidate {
    pub candidate_id: DbUuid,
    pub org_id: DbUuid,
    pub session_id: DbUuid,
}

/// The signed-in platform staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthStaff {
    pub staff_id: DbUuid,
    pub role: StaffRole,
    pub session_id: DbUuid,
}

/// The active session behind the access cookie of `area`, if it belongs to a `kind`.
pub(crate) async fn session_of(
    req: &HttpRequest,
    area: Area,
    kind: PrincipalKind,
) -> Result<SessionUser, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("app state missing")))?;
    let token = req.cookie(area.access_name()).map(|c| c.value().to_owned());
    let claims = token
        .and_then(|t| state.signer.verify(&t))
        .filter(|c| c.knd == kind)
        .ok_or(ApiError::Unauthorized)?;
    let session = claims.sid;
    let active = state
        .db
        .run(move |conn| {
            sessions::active_session(conn, session, Timestamp::now()).map_err(ApiError::from)
        })
        .await?;
    match active {
        Some(s) if s.user_id == claims.sub && s.kind == kind => Ok(s),
        _ => Err(ApiError::Unauthorized),
    }
}

type Fut<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Fut<AuthUser>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let s = session_of(&req, Area::Console, PrincipalKind::User).await?;
            Ok(AuthUser {
                user_id: s.user_id,
                org_id: s.org_id.ok_or(ApiError::Unauthorized)?,
                role: s.role,
                session_id: s.session_id,
            })
        })
    }
}

impl FromRequest for AuthCandidate {
    type Error = ApiError;
    type Future = Fut<AuthCandidate>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let s = session_of(&req, Area::Portal, PrincipalKind::Candidate).await?;
            Ok(AuthCandidate {
                candidate_id: s.user_id,
                org_id: s.org_id.ok_or(ApiError::Unauthorized)?,
                session_id: s.session_id,
            })
        })
    }
}

impl FromRequest for AuthStaff {
    type Error = ApiError;
    type Future = Fut<AuthStaff>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let s = session_of(&req, Area::Console, PrincipalKind::Staff).await?;
            Ok(AuthStaff {
                staff_id: s.user_id,
                role: StaffRole::parse(&s.role).ok_or(ApiError::Unauthorized)?,
                session_id: s.session_id,
            })
        })
    }
}
