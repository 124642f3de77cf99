//! The candidate portal's certificates: the signed-in candidate's own, listed and downloaded.
//! Another candidate's certificate is simply not found, and so is one whose result is not
//! released yet (a certificate states the score).

use actix_web::{HttpResponse, web};
use shared::certificates::CertificateDto;

use super::{document, model};
use crate::db::DbConnection;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, ModelError};
use crate::exams::attempts::{model as attempt_model, view::released};
use crate::state::AppState;
use crate::tenancy::{CandidateScope, OrgScope};

/// Whether the candidate already sees the result the certificate states.
fn released_to_candidate(
    conn: &mut DbConnection,
    scope: &OrgScope,
    cert: &model::Certificate,
    now: Timestamp,
) -> Result<bool, ModelError> {
    let row = attempt_model::find(conn, scope, cert.attempt_id)?;
    let exam = crate::exams::model::find(conn, scope, row.exam_id)?;
    Ok(released(&row, &exam, now))
}

#[utoipa::path(
    get,
    path = "/api/candidate/certificates",
    operation_id = "list_my_certificates",
    tag = "certificates",
    security(("portal_cookie" = [])),
    responses(
        (status = 200, description = "The signed-in candidate's certificates, valid and revoked, newest first; only those whose result is released.", body = Vec<CertificateDto>),
        (status = 401, description = "Not signed in to the portal.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_my_certificates(
    cand: CandidateScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<CertificateDto>>, ApiError> {
    let list = state
        .transaction(move |conn, st| {
            let scope = cand.org_scope();
            let now = Timestamp::now();
            let mut out = Vec::new();
            for c in model::list_own(conn, &scope)? {
                if released_to_candidate(conn, &scope, &c, now)? {
                    out.push(c.dto(&st.cipher)?);
                }
            }
            Ok::<_, ApiError>(out)
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    get,
    path = "/api/candidate/certificates/{id}/pdf",
    operation_id = "download_my_certificate",
    tag = "certificates",
    security(("portal_cookie" = [])),
    params(("id" = String, Path, description = "The certificate id.")),
    responses(
        (status = 200, description = "The certificate as an A4 PDF.", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, description = "Not signed in to the portal.", body = shared::ErrorBody),
        (status = 404, description = "No such certificate of the signed-in candidate, or its result is not released yet.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn download_my_certificate(
    cand: CandidateScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = DbUuid(path.into_inner());
    let scope = cand.org_scope();
    let check = scope.clone();
    let visible = state
        .db
        .run(move |conn| {
            let cert = model::find(conn, &check, id)?;
            Ok::<_, ApiError>(released_to_candidate(
                conn,
                &check,
                &cert,
                Timestamp::now(),
            )?)
        })
        .await?;
    if !visible {
        return Err(ApiError::NotFound);
    }
    document::download(&state, scope, id).await
}
