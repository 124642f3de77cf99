//! The `AuthUser` extractor: a handler that takes one runs only for a signed-in caller whose
//! session is still active; anything else is a 401.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::cookies::ACCESS_COOKIE;
use super::sessions;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::state::AppState;

/// The signed-in caller. `org_id` is the tenant every query of the request is scoped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub user_id: DbUuid,
    pub org_id: DbUuid,
    pub role: String,
    pub session_id: DbUuid,
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<AuthUser, ApiError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req.cookie(ACCESS_COOKIE).map(|c| c.value().to_owned());
        Box::pin(async move {
            let state =
                state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("app state missing")))?;
            let claims = token
                .and_then(|t| state.signer.verify(&t))
                .ok_or(ApiError::Unauthorized)?;
            let session = claims.sid;
            let active = state
                .db
                .run(move |conn| {
                    sessions::active_session(conn, session, Timestamp::now())
                        .map_err(ApiError::from)
                })
                .await?;
            match active {
                Some(s) if s.user_id == claims.sub => Ok(AuthUser {
                    user_id: s.user_id,
                    org_id: s.org_id,
                    role: s.role,
                    session_id: s.session_id,
                }),
                _ => Err(ApiError::Unauthorized),
            }
        })
    }
}
