//! Exams themselves (`/api/exams`, permission `exams`): list, create, read, update (the paper
//! fixed once attempts exist), delete.

use actix_web::{HttpRequest, HttpResponse, web};
use shared::access::{Level, Module};
use shared::exams::{ExamDto, ExamInput};

use super::input::check_input;
use super::model;
use crate::db::types::DbUuid;
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::state::AppState;
use crate::tenancy::OrgScope;

#[utoipa::path(
    get,
    path = "/api/exams",
    operation_id = "list_exams",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    responses(
        (status = 200, description = "The organisation's exams, latest opening first.", body = Vec<ExamDto>),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_exams(
    scope: OrgScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<ExamDto>>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let list = state
        .db
        .run(move |conn| {
            let rows = model::list(conn, &scope)?;
            rows.iter()
                .map(|r| model::dto(conn, &scope, r))
                .collect::<Result<Vec<_>, _>>()
                .map_err(ApiError::from)
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    post,
    path = "/api/exams",
    operation_id = "create_exam",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    request_body = ExamInput,
    responses(
        (status = 201, description = "Created.", body = ExamDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields, e.g. `closes_at`: `before_opens_at`, `paper_id`: `not_found`, `release_at`: `required`, `pass_mark`: `out_of_range`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_exam(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    body: web::Json<ExamInput>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let input = body.into_inner();
    let client = ClientInfo::of(&req);
    let exam = state
        .transaction(move |conn, st| {
            let checked = check_input(conn, &scope, input)?;
            let id = DbUuid::new_v7();
            model::insert(conn, &scope, id, &checked)?;
            let saved = model::find(conn, &scope, id)?;
            crate::results::release::schedule(conn, &scope, &saved)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "exam.create",
                Some(("exam", id.to_string())),
                serde_json::json!({ "name": checked.settings.name, "paper_id": checked.settings.paper_id }),
            )?;
            let row = model::find(conn, &scope, id)?;
            Ok::<_, ApiError>(model::dto(conn, &scope, &row)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(exam))
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}",
    operation_id = "get_exam",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "The exam.", body = ExamDto),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_exam(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<ExamDto>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let exam = state
        .db
        .run(move |conn| {
            let row = model::find(conn, &scope, id)?;
            Ok::<_, ApiError>(model::dto(conn, &scope, &row)?)
        })
        .await?;
    Ok(web::Json(exam))
}

#[utoipa::path(
    put,
    path = "/api/exams/{id}",
    operation_id = "update_exam",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The exam id.")),
    request_body = ExamInput,
    responses(
        (status = 200, description = "Saved (validated as on creation). Attempts already started keep their deadlines. A new paper is generated at once for the assigned candidates.", body = ExamDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`exam_has_attempts`: the paper cannot change once an attempt exists (the window, duration and policies can).", body = shared::ErrorBody),
        (status = 422, description = "Invalid fields, as on creation; `integrity.ip_ranges[i]`: `invalid_format`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_exam(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<ExamInput>,
) -> Result<web::Json<ExamDto>, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let input = body.into_inner();
    let client = ClientInfo::of(&req);
    let exam = state
        .transaction(move |conn, st| {
            let before = model::find(conn, &scope, id)?;
            let checked = check_input(conn, &scope, input)?;
            let paper_changed = checked.paper_id != before.paper_id;
            if paper_changed && model::attempt_count(conn, &scope, id, false)? > 0 {
                return Err(ApiError::conflict("exam_has_attempts"));
            }
            model::update(conn, &scope, id, &checked)?;
            if checked.settings.release_at != before.settings.release_at {
                let saved = model::find(conn, &scope, id)?;
                crate::results::release::schedule(conn, &scope, &saved)?;
            }
            if paper_changed {
                let assigned = model::assigned_candidates(conn, &scope, id)?;
                if !assigned.is_empty() {
                    crate::papers::instances::pregenerate_for(
                        conn,
                        &scope,
                        checked.paper_id,
                        &assigned,
                    )?;
                }
            }
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "exam.update",
                Some(("exam", id.to_string())),
                serde_json::json!({ "name": checked.settings.name,
                    "paper_id": checked.settings.paper_id, "paper_changed": paper_changed }),
            )?;
            let row = model::find(conn, &scope, id)?;
            Ok::<_, ApiError>(model::dto(conn, &scope, &row)?)
        })
        .await?;
    Ok(web::Json(exam))
}

#[utoipa::path(
    delete,
    path = "/api/exams/{id}",
    operation_id = "delete_exam",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 204, description = "Deleted: gone from the console's lists and from candidates' views; finished attempts are kept."),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`exam_has_attempts`: attempts are in progress.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete_exam(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    state
        .transaction(move |conn, st| {
            let exam = model::find(conn, &scope, id)?;
            if model::attempt_count(conn, &scope, id, true)? > 0 {
                return Err(ApiError::conflict("exam_has_attempts"));
            }
            model::mark_deleted(conn, &scope, id)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "exam.delete",
                Some(("exam", id.to_string())),
                serde_json::json!({ "name": exam.settings.name }),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
