//! The candidate portal's certificates: the signed-in candidate's own, listed and downloaded.
//! Another candidate's certificate is simply not found.

use actix_web::{HttpResponse, web};
use shared::certificates::CertificateDto;

use super::{document, model};
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::state::AppState;
use crate::tenancy::CandidateScope;

#[utoipa::path(
    get,
    path = "/api/candidate/certificates",
    operation_id = "list_my_certificates",
    tag = "certificates",
    security(("portal_cookie" = [])),
    responses(
        (status = 200, description = "The signed-in candidate's certificates, valid and revoked, newest first.", body = Vec<CertificateDto>),
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
            let rows = model::list_own(conn, &cand.org_scope())?;
            rows.iter()
                .map(|c| c.dto(&st.cipher).map_err(ApiError::from))
                .collect::<Result<Vec<_>, _>>()
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
        (status = 404, description = "No such certificate of the signed-in candidate.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn download_my_certificate(
    cand: CandidateScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    document::download(&state, cand.org_scope(), DbUuid(path.into_inner())).await
}
