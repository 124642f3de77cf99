//! The signed-in candidate: `GET /api/candidate/me`, `POST /api/candidate/auth/refresh`,
//! `POST /api/candidate/auth/logout`.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::candidates::CandidateMe;

use crate::audit::{self, Actor, Outcome};
use crate::auth::AuthCandidate;
use crate::auth::cookies::{self, Area};
use crate::auth::sessions::{self, PrincipalKind};
use crate::crypto::{Aad, FieldCipher};
use crate::db::DbConnection;
use crate::db::schema::candidates;
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::state::AppState;

pub(crate) fn load_me(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    org: DbUuid,
    id: DbUuid,
) -> Result<CandidateMe, ApiError> {
    let (account_enc, name_enc): (Vec<u8>, Vec<u8>) = candidates::table
        .filter(candidates::org_id.eq(org))
        .filter(candidates::id.eq(id))
        .select((candidates::account_enc, candidates::name_enc))
        .first(conn)?;
    let row = id.to_string();
    let open = |ct: &[u8], column| {
        cipher.decrypt(
            ct,
            Aad {
                table: "candidates",
                column,
                row_id: &row,
            },
        )
    };
    Ok(CandidateMe {
        id: row.clone(),
        account: open(&account_enc, "account_enc")?,
        name: open(&name_enc, "name_enc")?,
        portal: crate::orgs::branding_of(conn, org)?,
        consent_required: crate::privacy::consent::required(
            conn,
            crate::privacy::consent::Subject::Candidate { org, id },
        )?,
    })
}

#[utoipa::path(
    get,
    path = "/api/candidate/me",
    operation_id = "candidate_me",
    tag = "portal",
    security(("portal_cookie" = [])),
    responses(
        (status = 200, description = "The signed-in candidate and their portal's branding.", body = CandidateMe),
        (status = 401, description = "Not signed in to a portal.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn candidate_me(
    candidate: AuthCandidate,
    state: web::Data<AppState>,
) -> Result<web::Json<CandidateMe>, ApiError> {
    let cipher = state.cipher.clone();
    let me = state
        .db
        .run(move |conn| load_me(conn, &cipher, candidate.org_id, candidate.candidate_id))
        .await?;
    Ok(web::Json(me))
}

#[utoipa::path(
    post,
    path = "/api/candidate/auth/refresh",
    operation_id = "refresh_candidate_session",
    tag = "portal",
    security(("portal_refresh_cookie" = [])),
    responses(
        (status = 204, description = "New portal session cookies are set."),
        (status = 401, description = "No valid refresh token; sign in again.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn refresh_candidate_session(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    crate::accounts::refresh_in(&req, &state, Area::Portal, &[PrincipalKind::Candidate]).await
}

#[utoipa::path(
    post,
    path = "/api/candidate/auth/logout",
    operation_id = "candidate_logout",
    tag = "portal",
    security(("portal_cookie" = [])),
    responses(
        (status = 204, description = "Signed out of the portal; its cookies are cleared."),
        (status = 401, description = "Not signed in to a portal.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn candidate_logout(
    req: HttpRequest,
    candidate: AuthCandidate,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let client = ClientInfo::of(&req);
    let cipher = state.cipher.clone();
    state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                sessions::revoke(conn, candidate.session_id, "logout")?;
                let entry = client.audit(
                    Some(candidate.org_id),
                    Actor::Candidate(candidate.candidate_id),
                    "portal.logout",
                    Outcome::Success,
                    serde_json::json!({}),
                );
                audit::append(conn, &cipher, entry)?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    let mut res = HttpResponse::NoContent();
    for cookie in cookies::cleared(Area::Portal, state.secure_cookies()) {
        res.cookie(cookie);
    }
    Ok(res.finish())
}
