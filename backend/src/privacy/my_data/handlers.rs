//! The "my data" endpoints of organisation users (`/api/me/data…`) and candidates
//! (`/api/candidate/me/data…`): what is held, requesting an export, downloading it once.

use actix_web::{HttpRequest, HttpResponse, web};
use shared::my_data::{DataExport, ExportStatus, MyData};

use super::collect::{self, AUDIT_ON_PAGE};
use super::export::{self, Refused};
use crate::audit::{self, Actor, Outcome};
use crate::auth::{AuthCandidate, AuthUser};
use crate::db::DbConnection;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::privacy::consent::{self, Subject};
use crate::state::AppState;

const USER_EXPORTS: &str = "/api/me/data/exports";
const CANDIDATE_EXPORTS: &str = "/api/candidate/me/data/exports";

fn of_user(user: &AuthUser) -> (Subject, Actor, &'static str) {
    let who = Subject::User {
        org: user.org_id,
        id: user.user_id,
    };
    (who, Actor::User(user.user_id), USER_EXPORTS)
}

fn of_candidate(cand: &AuthCandidate) -> (Subject, Actor, &'static str) {
    let who = Subject::Candidate {
        org: cand.org_id,
        id: cand.candidate_id,
    };
    (who, Actor::Candidate(cand.candidate_id), CANDIDATE_EXPORTS)
}

fn gather(
    conn: &mut DbConnection,
    st: &AppState,
    who: Subject,
    exports_base: &str,
) -> Result<MyData, ApiError> {
    let mut profile = collect::profile(conn, &st.cipher, who)?.ok_or(ApiError::Unauthorized)?;
    profile.id_number = profile.id_number.as_deref().map(collect::mask_id_number);
    let mut registrations = collect::registrations_of(conn, &st.cipher, who)?;
    for field in registrations.iter_mut().flat_map(|r| r.fields.iter_mut()) {
        if field.key == "id_number" {
            field.value = collect::mask_id_number(&field.value);
        }
    }
    let now = Timestamp::now();
    Ok(MyData {
        subject: collect::subject_kind(who),
        profile,
        devices: collect::devices(conn, &st.cipher, who)?,
        consents: consent::history(conn, who)?,
        attempts: collect::attempts_of(conn, who)?,
        registrations,
        certificates: collect::certificates_of(conn, who)?,
        audit_total: u64::try_from(collect::audit_total(conn, who)?).unwrap_or(0),
        audit_latest: collect::audit_page(conn, who, None, AUDIT_ON_PAGE)?
            .into_iter()
            .map(|(_, entry, _)| entry)
            .collect(),
        exports: export::list(conn, who)?
            .iter()
            .map(|e| e.dto(now, exports_base))
            .collect(),
    })
}

async fn my_data(
    state: web::Data<AppState>,
    (who, _, base): (Subject, Actor, &'static str),
) -> Result<web::Json<MyData>, ApiError> {
    let st = state.clone();
    Ok(web::Json(
        state
            .db
            .run(move |conn| gather(conn, &st, who, base))
            .await?,
    ))
}

async fn request_export(
    req: HttpRequest,
    state: web::Data<AppState>,
    (who, actor, base): (Subject, Actor, &'static str),
) -> Result<HttpResponse, ApiError> {
    let client = ClientInfo::of(&req);
    let row = state
        .transaction(move |conn, st| {
            let now = Timestamp::now();
            let row = export::request(conn, who, now).map_err(|e| match e {
                Refused::Pending => ApiError::Conflict {
                    detail: "export_pending".to_owned(),
                },
                Refused::TooMany(retry_after_secs) => ApiError::RateLimited { retry_after_secs },
                Refused::Database(e) => e.into(),
            })?;
            let mut entry = client.audit(
                Some(who.org()),
                actor,
                "privacy.export_request",
                Outcome::Success,
                serde_json::json!({ "export": row.id.to_string() }),
            );
            entry.target_kind = Some(who.kind());
            entry.target_id = Some(who.id().to_string());
            audit::append(conn, &st.cipher, entry)?;
            Ok(row.dto(now, base))
        })
        .await?;
    Ok(HttpResponse::Accepted().json(row))
}

async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    (who, actor, _): (Subject, Actor, &'static str),
    id: String,
) -> Result<HttpResponse, ApiError> {
    let id = DbUuid(uuid::Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?);
    let now = Timestamp::now();
    let row = state
        .db
        .run(move |conn| export::find(conn, who, id).map_err(ApiError::from))
        .await?
        .ok_or(ApiError::NotFound)?;
    match row.status(now) {
        ExportStatus::Ready => {}
        ExportStatus::Pending => {
            return Err(ApiError::Conflict {
                detail: "export_pending".to_owned(),
            });
        }
        _ => return Err(ApiError::Gone),
    }
    let key = row.storage_key.clone().ok_or(ApiError::Gone)?;
    let storage = state.storage.clone();
    let read_key = key.clone();
    let bytes = web::block(move || storage.get(&read_key))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("reading an export: {e}")))??
        .ok_or(ApiError::Gone)?;
    let client = ClientInfo::of(&req);
    let size = bytes.len();
    state
        .transaction(move |conn, st| {
            if !export::take(conn, &row, now)? {
                return Err(ApiError::Gone);
            }
            let mut entry = client.audit(
                Some(who.org()),
                actor,
                "privacy.export_download",
                Outcome::Success,
                serde_json::json!({ "export": row.id.to_string(), "bytes": size }),
            );
            entry.target_kind = Some(who.kind());
            entry.target_id = Some(who.id().to_string());
            audit::append(conn, &st.cipher, entry)?;
            Ok(())
        })
        .await?;
    crate::storage::delete_replaced(state.storage.clone(), Some(key)).await;
    let name = format!("examcloud-my-data-{}.zip", now.0.format("%Y%m%d"));
    Ok(crate::spreadsheet::download(
        bytes,
        "application/zip",
        &name,
    ))
}

#[utoipa::path(
    get,
    path = "/api/me/data",
    operation_id = "get_my_data",
    tag = "privacy",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Everything the platform holds about the signed-in user: profile (in full), devices, consent records, the number of audit entries naming them with the latest 50, and their exports.", body = MyData),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_my_data(
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<MyData>, ApiError> {
    my_data(state, of_user(&user)).await
}

#[utoipa::path(
    post,
    path = "/api/me/data/exports",
    operation_id = "request_my_data_export",
    tag = "privacy",
    security(("session_cookie" = [])),
    responses(
        (status = 202, description = "The export is queued (audited `privacy.export_request`); a job builds a ZIP of JSON files (and CSV where tabular), downloadable once for 72 hours from when it is ready. Poll `GET /api/me/data`.", body = DataExport),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
        (status = 409, description = "An export is being built (`details.reason`: `export_pending`).", body = shared::ErrorBody),
        (status = 429, description = "Five exports in 24 hours; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn request_my_data_export(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    request_export(req, state, of_user(&user)).await
}

#[utoipa::path(
    get,
    path = "/api/me/data/exports/{id}/download",
    operation_id = "download_my_data_export",
    tag = "privacy",
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The export's id.", format = Uuid)),
    responses(
        (status = 200, description = "The ZIP (`Content-Disposition: attachment`), once: the file is deleted after this answer (audited `privacy.export_download`).", content_type = "application/zip", body = Vec<u8>),
        (status = 401, description = "Not signed in.", body = shared::ErrorBody),
        (status = 404, description = "No such export of this user.", body = shared::ErrorBody),
        (status = 409, description = "Not ready yet (`details.reason`: `export_pending`).", body = shared::ErrorBody),
        (status = 410, description = "Already downloaded, expired or failed (`gone`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn download_my_data_export(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    download(req, state, of_user(&user), path.into_inner()).await
}

#[utoipa::path(
    get,
    path = "/api/candidate/me/data",
    operation_id = "get_candidate_data",
    tag = "privacy",
    security(("portal_cookie" = [])),
    responses(
        (status = 200, description = "Everything the platform holds about the signed-in candidate: profile (ID number masked), groups, devices, consent records, exam attempts (scores once released), registration forms (ID numbers masked), certificates, the number of audit entries naming them with the latest 50, and their exports.", body = MyData),
        (status = 401, description = "Not signed in to a portal.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_candidate_data(
    cand: AuthCandidate,
    state: web::Data<AppState>,
) -> Result<web::Json<MyData>, ApiError> {
    my_data(state, of_candidate(&cand)).await
}

#[utoipa::path(
    post,
    path = "/api/candidate/me/data/exports",
    operation_id = "request_candidate_data_export",
    tag = "privacy",
    security(("portal_cookie" = [])),
    responses(
        (status = 202, description = "The export is queued (audited `privacy.export_request`); a job builds a ZIP of JSON files (and CSV where tabular), downloadable once for 72 hours from when it is ready. Poll `GET /api/candidate/me/data`.", body = DataExport),
        (status = 401, description = "Not signed in to a portal.", body = shared::ErrorBody),
        (status = 409, description = "An export is being built (`details.reason`: `export_pending`).", body = shared::ErrorBody),
        (status = 429, description = "Five exports in 24 hours; see `Retry-After`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn request_candidate_data_export(
    req: HttpRequest,
    cand: AuthCandidate,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    request_export(req, state, of_candidate(&cand)).await
}

#[utoipa::path(
    get,
    path = "/api/candidate/me/data/exports/{id}/download",
    operation_id = "download_candidate_data_export",
    tag = "privacy",
    security(("portal_cookie" = [])),
    params(("id" = String, Path, description = "The export's id.", format = Uuid)),
    responses(
        (status = 200, description = "The ZIP (`Content-Disposition: attachment`), once: the file is deleted after this answer (audited `privacy.export_download`).", content_type = "application/zip", body = Vec<u8>),
        (status = 401, description = "Not signed in to a portal.", body = shared::ErrorBody),
        (status = 404, description = "No such export of this candidate.", body = shared::ErrorBody),
        (status = 409, description = "Not ready yet (`details.reason`: `export_pending`).", body = shared::ErrorBody),
        (status = 410, description = "Already downloaded, expired or failed (`gone`).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn download_candidate_data_export(
    req: HttpRequest,
    cand: AuthCandidate,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    download(req, state, of_candidate(&cand), path.into_inner()).await
}
