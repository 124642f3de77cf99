//! A template's images (`/api/certificate-templates/{id}/images/{kind}`: logo, signature,
//! background) and its sample PDF (`/api/certificate-templates/{id}/preview`). An upload is
//! the raw PNG or JPEG body; it is decoded completely before it is stored (see [`raster`]),
//! under a fresh key, and the replaced file is deleted after the change commits.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use shared::access::{Level, Module};
use shared::certificates::{CertificateTemplateDto, TemplateImage};

use super::document::{self, Printable};
use super::model::{self, Certificate};
use super::raster;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, FieldError};
use crate::http::{ClientInfo, stored_image};
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// The largest body any image route accepts (the background's limit); each kind checks its
/// own.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

fn kind_of(segment: &str) -> Result<TemplateImage, ApiError> {
    TemplateImage::parse(segment).ok_or(ApiError::NotFound)
}

#[utoipa::path(
    put,
    path = "/api/certificate-templates/{id}/images/{kind}",
    operation_id = "upload_certificate_template_image",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(
        ("id" = String, Path, description = "The template id."),
        ("kind" = TemplateImage, Path, description = "Which image: `logo` (above the organisation's name), `signature` (above the signatory line) or `background` (the whole page; no frame is drawn then)."),
    ),
    request_body(description = "A PNG or JPEG image as the raw body, with `Content-Type` `image/png` or `image/jpeg`. `logo` and `signature`: at most 512 KiB and 2048×2048; `background`: at most 2 MiB and 4096×4096 (A4 at 300 dpi is 3508×2480). A PNG's transparency is kept.", content(("image/png"), ("image/jpeg"))),
    responses(
        (status = 200, description = "Stored; the updated template, whose `*_url` fields point at the images.", body = CertificateTemplateDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such template in this organisation, or an unknown `kind`.", body = shared::ErrorBody),
        (status = 413, description = "`payload_too_large`: larger than the kind's limit.", body = shared::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: `Content-Type` is not `image/png` or `image/jpeg`.", body = shared::ErrorBody),
        (status = 422, description = "`validation_failed` on field `image`: `unsupported_image_type` (the bytes are not a PNG or JPEG; SVG and GIF are refused), `unreadable_image` (it does not decode), or `image_too_large` (wider or taller than the kind allows).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn upload_certificate_template_image(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, String)>,
    body: web::Bytes,
) -> Result<web::Json<CertificateTemplateDto>, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let (id, kind) = path.into_inner();
    let (id, kind) = (DbUuid(id), kind_of(&kind)?);
    // Another organisation's template is not found, whatever the body.
    let lookup = scope.clone();
    state
        .db
        .run(move |conn| Ok::<_, ApiError>(model::find_template(conn, &lookup, id)?))
        .await?;
    let declared = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !matches!(declared, "image/png" | "image/jpeg") {
        return Err(ApiError::UnsupportedMediaType);
    }
    if body.len() > kind.max_bytes() {
        return Err(ApiError::PayloadTooLarge {
            limit: kind.max_bytes(),
        });
    }
    let checked = body.clone();
    let format = tokio::task::spawn_blocking(move || {
        raster::decode(&checked, kind)?;
        raster::sniff(&checked, kind.max_side())
    })
    .await?
    .map_err(|reason| ApiError::Validation {
        fields: vec![FieldError {
            field: "image".to_owned(),
            reason: reason.to_owned(),
        }],
    })?;
    let ext = if format == image::ImageFormat::Png {
        "png"
    } else {
        "jpg"
    };
    let key = format!(
        "orgs/{}/certificate-templates/{id}/{}-{}.{ext}",
        scope.org_id(),
        kind.as_str(),
        uuid::Uuid::now_v7().simple()
    );
    let client = ClientInfo::of(&req);
    let st = state.clone();
    let (row, old) = state
        .db
        .run(move |conn| {
            st.storage.put(&key, &body)?;
            crate::db::transaction(conn, |conn| {
                let old = model::set_template_image(conn, &scope, id, kind, Some(&key))?;
                client.log_change(
                    conn,
                    &st.cipher,
                    &scope,
                    "certificate_template.image_upload",
                    Some(("certificate_template", id.to_string())),
                    serde_json::json!({ "kind": kind.as_str(), "bytes": body.len(), "type": ext }),
                )?;
                Ok::<_, ApiError>((model::find_template(conn, &scope, id)?, old))
            })
            .inspect_err(|_| {
                // Nothing refers to the new file: do not leave it behind.
                let _ = st.storage.delete(&key);
            })
        })
        .await?;
    crate::storage::delete_replaced(state.storage.clone(), old).await;
    Ok(web::Json(row.dto()))
}

#[utoipa::path(
    delete,
    path = "/api/certificate-templates/{id}/images/{kind}",
    operation_id = "delete_certificate_template_image",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(
        ("id" = String, Path, description = "The template id."),
        ("kind" = TemplateImage, Path, description = "Which image."),
    ),
    responses(
        (status = 200, description = "Removed (or there was none); the updated template.", body = CertificateTemplateDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such template in this organisation, or an unknown `kind`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_certificate_template_image(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, String)>,
) -> Result<web::Json<CertificateTemplateDto>, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let (id, kind) = path.into_inner();
    let (id, kind) = (DbUuid(id), kind_of(&kind)?);
    let client = ClientInfo::of(&req);
    let (row, old) = state
        .transaction(move |conn, st| {
            let old = model::set_template_image(conn, &scope, id, kind, None)?;
            if old.is_some() {
                client.log_change(
                    conn,
                    &st.cipher,
                    &scope,
                    "certificate_template.image_delete",
                    Some(("certificate_template", id.to_string())),
                    serde_json::json!({ "kind": kind.as_str() }),
                )?;
            }
            Ok::<_, ApiError>((model::find_template(conn, &scope, id)?, old))
        })
        .await?;
    crate::storage::delete_replaced(state.storage.clone(), old).await;
    Ok(web::Json(row.dto()))
}

#[utoipa::path(
    get,
    path = "/api/certificate-templates/{id}/images/{kind}",
    operation_id = "get_certificate_template_image",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(
        ("id" = String, Path, description = "The template id."),
        ("kind" = TemplateImage, Path, description = "Which image."),
    ),
    responses(
        (status = 200, description = "The image as uploaded.", content_type = "image/png"),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such template, unknown `kind`, or the template has no such image.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_certificate_template_image(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, String)>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let (id, kind) = path.into_inner();
    let (id, kind) = (DbUuid(id), kind_of(&kind)?);
    let st = state.clone();
    let (key, bytes) = state
        .db
        .run(move |conn| {
            let row = model::find_template(conn, &scope, id)?;
            let key = row.image(kind).ok_or(ApiError::NotFound)?.to_owned();
            let bytes = st.storage.get(&key)?.ok_or(ApiError::NotFound)?;
            Ok::<_, ApiError>((key, bytes))
        })
        .await?;
    Ok(stored_image(&key, bytes, "private, max-age=86400"))
}

#[utoipa::path(
    get,
    path = "/api/certificate-templates/{id}/preview",
    operation_id = "preview_certificate_template",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The template id.")),
    responses(
        (status = 200, description = "A sample certificate from the template (holder 张三丰, score 92.5 of 100, number `EC-SAMPLE`) as a PDF shown inline; its QR code points at a verification page that says the number is unknown.", content_type = "application/pdf"),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such template in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn preview_certificate_template(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let printable = state
        .db
        .run(move |conn| {
            let template = model::find_template(conn, &scope, id)?;
            let org_name: String = {
                use crate::db::schema::orgs;
                use diesel::prelude::*;
                orgs::table
                    .filter(orgs::id.eq(scope.org_id()))
                    .select(orgs::name)
                    .first(conn)?
            };
            Ok::<_, ApiError>(sample(template, org_name))
        })
        .await?;
    let bytes = document::render_blocking(&state, printable).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "inline; filename=\"certificate-preview.pdf\"",
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// A certificate that was never issued, for the preview.
fn sample(template: model::TemplateRow, org_name: String) -> Printable {
    let nil = DbUuid(uuid::Uuid::nil());
    Printable {
        cert: Certificate {
            id: nil,
            org_id: template.org_id,
            number: "EC-SAMPLE".to_owned(),
            template_id: template.id,
            exam_id: nil,
            attempt_id: nil,
            candidate_id: nil,
            holder_name_enc: Vec::new(),
            exam_name: "示例考试 Sample Exam".to_owned(),
            score_centi: 9250,
            max_score_centi: 10000,
            issued_at: Timestamp::now(),
            issued_by: None,
            revoked_at: None,
            revoke_reason: None,
        },
        template,
        org_name,
        holder_name: "张三丰".to_owned(),
    }
}
