//! `GET /api/verify/{number}`: the public verification of a certificate number, without
//! signing in. It says whether the certificate is valid or revoked, for which exam, from
//! which organisation and when, and the holder's name as the organisation chose to show it
//! (full, or masked to 张*丰). The number itself is the secret: 80 random bits, so numbers
//! cannot be guessed or enumerated.

use actix_web::{HttpRequest, web};
use diesel::prelude::*;
use shared::certificates::{CertificateStatus, VerifiedCertificate, mask_name};

use super::model;
use super::number::CertificateNumber;
use crate::db::schema::orgs;
use crate::errors::ApiError;
use crate::http::{address_group, client_addr};
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/verify/{number}",
    operation_id = "verify_certificate",
    tag = "certificates",
    params(("number" = String, Path, description = "The certificate number, `EC-XXXX-XXXX-XXXX-XXXX` (Crockford base32; case, hyphens and the look-alikes O, I, L are forgiven).")),
    responses(
        (status = 200, description = "The certificate exists: valid or revoked.", body = VerifiedCertificate),
        (status = 404, description = "No certificate has this number (or it is not a well-formed number).", body = shared::ErrorBody),
        (status = 429, description = "`rate_limited`: more than 30 lookups a minute from this address; `Retry-After` says when to try again.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn verify_certificate(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<web::Json<VerifiedCertificate>, ApiError> {
    let address = client_addr(&req).map(address_group).unwrap_or_default();
    state
        .verify_limiter
        .check(&address)
        .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;
    let number = CertificateNumber::parse(&path.into_inner()).ok_or(ApiError::NotFound)?;
    let verified = state
        .transaction(move |conn, st| {
            let cert = model::find_by_number(conn, &number)?.ok_or(ApiError::NotFound)?;
            let template = model::template_of(conn, cert.org_id, cert.template_id)?;
            let org_name: String = orgs::table
                .filter(orgs::id.eq(cert.org_id))
                .select(orgs::name)
                .first(conn)?;
            Ok::<_, ApiError>(VerifiedCertificate {
                number: cert.number.clone(),
                status: if cert.revoked_at.is_some() {
                    CertificateStatus::Revoked
                } else {
                    CertificateStatus::Valid
                },
                holder_name: mask_name(&cert.holder_name(&st.cipher)?, template.name_display()),
                exam_name: cert.exam_name.clone(),
                org_name,
                issued_at: cert.issued_at.to_canonical_string(),
                revoked_at: cert.revoked_at.map(|t| t.to_canonical_string()),
            })
        })
        .await?;
    Ok(web::Json(verified))
}
