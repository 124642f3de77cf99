//! Certificate templates (`/api/certificate-templates`, permission `exams`): list, create,
//! read, update, delete. Issued certificates copy the holder's name, the exam and the score;
//! the design (title, body, orientation, signatory, images) is the template's current one, so
//! a corrected typo or a new logo shows on certificates already issued too. A deleted
//! template stays stored for the certificates issued from it.

use actix_web::{HttpRequest, HttpResponse, web};
use shared::access::{Level, Module};
use shared::certificates::{CertificateTemplateDto, CertificateTemplateInput};

use super::model;
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::http::{ClientInfo, audited_delete};
use crate::state::AppState;
use crate::tenancy::OrgScope;

#[utoipa::path(
    get,
    path = "/api/certificate-templates",
    operation_id = "list_certificate_templates",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    responses(
        (status = 200, description = "The organisation's templates by name.", body = Vec<CertificateTemplateDto>),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_certificate_templates(
    scope: OrgScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<CertificateTemplateDto>>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let rows = state
        .db
        .run(move |conn| Ok::<_, ApiError>(model::list_templates(conn, &scope)?))
        .await?;
    Ok(web::Json(
        rows.iter().map(model::TemplateRow::dto).collect(),
    ))
}

#[utoipa::path(
    post,
    path = "/api/certificate-templates",
    operation_id = "create_certificate_template",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    request_body = CertificateTemplateInput,
    responses(
        (status = 201, description = "Created.", body = CertificateTemplateDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 422, description = "`name`, `title`: `required` or `too_long` (100 characters); `body`: `too_long` (2,000); `signatory`: `too_long` (100).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_certificate_template(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    body: web::Json<CertificateTemplateInput>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let input = model::check_template(body.into_inner())?;
    let client = ClientInfo::of(&req);
    let row = state
        .transaction(move |conn, st| {
            let id = DbUuid::new_v7();
            model::insert_template(conn, &scope, id, &input)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "certificate_template.create",
                Some(("certificate_template", id.to_string())),
                serde_json::json!({ "name": input.name }),
            )?;
            Ok::<_, ApiError>(model::find_template(conn, &scope, id)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(row.dto()))
}

#[utoipa::path(
    get,
    path = "/api/certificate-templates/{id}",
    operation_id = "get_certificate_template",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The template id.")),
    responses(
        (status = 200, description = "The template.", body = CertificateTemplateDto),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such template in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_certificate_template(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<CertificateTemplateDto>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let row = state
        .db
        .run(move |conn| Ok::<_, ApiError>(model::find_template(conn, &scope, id)?))
        .await?;
    Ok(web::Json(row.dto()))
}

#[utoipa::path(
    put,
    path = "/api/certificate-templates/{id}",
    operation_id = "update_certificate_template",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The template id.")),
    request_body = CertificateTemplateInput,
    responses(
        (status = 200, description = "Saved. Certificates already issued from the template print the new design; their holder, exam, score, date and number do not change.", body = CertificateTemplateDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such template in this organisation.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields, as on creation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_certificate_template(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<CertificateTemplateInput>,
) -> Result<web::Json<CertificateTemplateDto>, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let input = model::check_template(body.into_inner())?;
    let client = ClientInfo::of(&req);
    let row = state
        .transaction(move |conn, st| {
            model::update_template(conn, &scope, id, &input)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "certificate_template.update",
                Some(("certificate_template", id.to_string())),
                serde_json::json!({ "name": input.name }),
            )?;
            Ok::<_, ApiError>(model::find_template(conn, &scope, id)?)
        })
        .await?;
    Ok(web::Json(row.dto()))
}

#[utoipa::path(
    delete,
    path = "/api/certificate-templates/{id}",
    operation_id = "delete_certificate_template",
    tag = "certificates",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The template id.")),
    responses(
        (status = 204, description = "Deleted: no longer listed or usable for new certificates; issued ones stay valid."),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such template in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_certificate_template(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let id = DbUuid(path.into_inner());
    audited_delete(
        &req,
        scope,
        &state,
        "certificate_template",
        id,
        move |conn, scope| {
            model::delete_template(conn, scope, id)?;
            Ok(((), serde_json::json!({})))
        },
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
