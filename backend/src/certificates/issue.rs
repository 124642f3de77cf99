//! The console's certificates (permission `exams`): issue one for a graded attempt by hand,
//! list an exam's, revoke one with a reason, download one as PDF.

use actix_web::{HttpRequest, HttpResponse, web};
use shared::access::{Level, Module};
use shared::certificates::{
    CertificateDto, CertificatePage, IssueCertificateInput, RevokeCertificateInput,
};

use super::model::Validity;
use super::{document, model};
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::state::AppState;
use crate::tenancy::OrgScope;

#[utoipa::path(
    post,
    path = "/api/exams/{id}/attempts/{attempt_id}/certificate",
    operation_id = "issue_certificate",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(
        ("id" = String, Path, description = "The exam id."),
        ("attempt_id" = String, Path, description = "The attempt id."),
    ),
    request_body = IssueCertificateInput,
    responses(
        (status = 201, description = "Issued (audited `certificate.issue`): the holder's name, the exam's name and the score are copied now; the number is fresh and unguessable.", body = CertificateDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such attempt of this exam, or no such template, in this organisation (or the candidate is outside the caller's groups).", body = shared::ErrorBody),
        (status = 409, description = "`attempt_not_graded`: the attempt has no final score yet; `certificate_exists`: it already holds a valid certificate.", body = shared::ErrorBody),
        (status = 422, description = "`template_id`: `invalid_format`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn issue_certificate(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: web::Json<IssueCertificateInput>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let (exam_id, attempt_id) = path.into_inner();
    let (exam_id, attempt_id) = (DbUuid(exam_id), DbUuid(attempt_id));
    let template_id = uuid::Uuid::parse_str(body.template_id.trim())
        .map(DbUuid)
        .map_err(|_| Fields::single("template_id", "invalid_format"))?;
    let client = ClientInfo::of(&req);
    let cert = state
        .transaction(move |conn, st| {
            if !model::attempt_of_exam(conn, &scope, exam_id, attempt_id)? {
                return Err(ApiError::NotFound);
            }
            let cert = model::issue_for_attempt(
                conn,
                &st.cipher,
                &scope,
                attempt_id,
                template_id,
                scope.user_id(),
            )?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "certificate.issue",
                Some(("certificate", cert.id.to_string())),
                serde_json::json!({ "number": cert.number, "attempt_id": attempt_id.to_string(),
                    "exam_id": exam_id.to_string(), "template_id": template_id.to_string() }),
            )?;
            Ok(cert.dto(&st.cipher)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(cert))
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/certificates",
    operation_id = "list_exam_certificates",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The exam id."), CertificateQuery),
    responses(
        (status = 200, description = "One page of the exam's certificates, newest first (of candidates in the caller's groups), and how many match in all.", body = CertificatePage),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "`status`: `invalid` (not `valid` or `revoked`); `offset`, `limit`: `out_of_range`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_exam_certificates(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    query: web::Query<CertificateQuery>,
) -> Result<web::Json<CertificatePage>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let exam_id = DbUuid(path.into_inner());
    let q = query.into_inner();
    let mut fields = Fields::default();
    let (offset, limit) = fields.page(q.offset, q.limit);
    let validity = match q.status.as_deref() {
        None => Validity::Any,
        Some("valid") => Validity::Valid,
        Some("revoked") => Validity::Revoked,
        Some(_) => {
            fields.push("status", "invalid");
            Validity::Any
        }
    };
    fields.finish()?;
    // A read: no write transaction (on SQLite that would wait behind a bulk issue's batch).
    let cipher = state.cipher.clone();
    let page = state
        .db
        .run(move |conn| {
            let (rows, total) =
                model::list_for_exam(conn, &scope, exam_id, validity, offset, limit)?;
            let items = rows
                .iter()
                .map(|c| c.dto(&cipher).map_err(ApiError::from))
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, ApiError>(CertificatePage {
                items,
                total,
                offset,
                limit,
            })
        })
        .await?;
    Ok(web::Json(page))
}

/// Filters of `GET /api/exams/{id}/certificates`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CertificateQuery {
    /// `valid` or `revoked` only (default: both).
    #[param(pattern = "^(valid|revoked)$")]
    pub status: Option<String>,
    /// Skip this many (default 0).
    #[param(minimum = 0)]
    pub offset: Option<i64>,
    /// Page size 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/api/certificates/{id}/revoke",
    operation_id = "revoke_certificate",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The certificate id.")),
    request_body = RevokeCertificateInput,
    responses(
        (status = 200, description = "Revoked (audited `certificate.revoke` with the reason): the public verification page now says revoked. The attempt may be issued a new certificate.", body = CertificateDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such certificate in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`already_revoked`.", body = shared::ErrorBody),
        (status = 422, description = "`reason`: `required` or `too_long` (500 characters).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn revoke_certificate(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<RevokeCertificateInput>,
) -> Result<web::Json<CertificateDto>, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let reason = body.into_inner().reason.trim().to_owned();
    match reason.chars().count() {
        0 => return Err(Fields::single("reason", "required")),
        n if n > 500 => return Err(Fields::single("reason", "too_long")),
        _ => {}
    }
    let client = ClientInfo::of(&req);
    let cert = state
        .transaction(move |conn, st| {
            let cert = model::revoke(conn, &scope, id, &reason)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "certificate.revoke",
                Some(("certificate", id.to_string())),
                serde_json::json!({ "number": cert.number, "reason": reason }),
            )?;
            Ok(cert.dto(&st.cipher)?)
        })
        .await?;
    Ok(web::Json(cert))
}

#[utoipa::path(
    get,
    path = "/api/certificates/{id}/pdf",
    operation_id = "download_certificate",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The certificate id.")),
    responses(
        (status = 200, description = "The certificate as an A4 PDF with embedded fonts and a QR code of the verification URL (revoked ones too: the page says revoked).", content_type = "application/pdf", body = Vec<u8>),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such certificate in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn download_certificate(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    document::download(&state, scope, DbUuid(path.into_inner())).await
}
