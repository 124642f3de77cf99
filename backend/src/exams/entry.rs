//! Entry modes of an exam, the console's side: rotating the open-link token and the access
//! code, the assigned candidates' invite links, the registrations of people who entered by
//! open link or access code, and removing an assignment (which ends its invite link). The
//! settings are checked in `input.rs`, the secrets made in `tokens.rs`.

use actix_web::{HttpRequest, web};
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::exams::{ExamDto, InviteLink, RegistrationDto};

use super::model;
use super::tokens::{invite_token, new_access_code, new_open_token};
use crate::candidates::model::visible_ids;
use crate::db::schema::{exam_assignments, exams, orgs};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::ClientInfo;
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

fn entry_disabled(mode: &str) -> ApiError {
    ApiError::Conflict {
        detail: format!("{mode}_disabled"),
    }
}

#[utoipa::path(
    post,
    path = "/api/exams/{id}/access-code",
    operation_id = "rotate_access_code",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "A new access code (10 characters) replaces the old one, which stops working at once.", body = ExamDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`access_code_disabled`: the exam has no access-code entry.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn rotate_access_code(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<ExamDto>, ApiError> {
    rotate(req, scope, state, path, Rotated::AccessCode).await
}

#[utoipa::path(
    post,
    path = "/api/exams/{id}/open-link",
    operation_id = "rotate_open_link",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "A new open-link token replaces the old one, which stops working at once.", body = ExamDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`open_link_disabled`: the exam has no open-link entry.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn rotate_open_link(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<ExamDto>, ApiError> {
    rotate(req, scope, state, path, Rotated::OpenLink).await
}

#[derive(Clone, Copy)]
enum Rotated {
    AccessCode,
    OpenLink,
}

/// The shared body of the two rotations.
async fn rotate(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    what: Rotated,
) -> Result<web::Json<ExamDto>, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            let exam = model::find(conn, &scope, id)?;
            let now = Timestamp::now();
            let target = scoped!(exams, scope).filter(exams::id.eq(id));
            let action = match what {
                Rotated::AccessCode => {
                    if !exam.settings.entry.access_code {
                        return Err(entry_disabled("access_code"));
                    }
                    let code = new_access_code(conn, scope.org_id(), now)?;
                    diesel::update(target)
                        .set((exams::access_code.eq(Some(code)), exams::updated_at.eq(now)))
                        .execute(conn)?;
                    "exam.access_code_rotate"
                }
                Rotated::OpenLink => {
                    if !exam.settings.entry.open_link {
                        return Err(entry_disabled("open_link"));
                    }
                    diesel::update(target)
                        .set((
                            exams::open_token.eq(Some(new_open_token())),
                            exams::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                    "exam.open_link_rotate"
                }
            };
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                action,
                Some(("exam", id.to_string())),
                serde_json::json!({}),
            )?;
            let row = model::find(conn, &scope, id)?;
            Ok::<_, ApiError>(model::dto(conn, &scope, &row)?)
        })
        .await?;
    Ok(web::Json(dto))
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/invites",
    operation_id = "list_invites",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "Every assigned candidate's personal invite link (the same each time; it stops working when the exam closes or the assignment is removed).", body = Vec<InviteLink>),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`invite_links_disabled`: the exam has no invite links.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_invites(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<Vec<InviteLink>>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let bidx = state.bidx.clone();
    let list = state
        .db
        .run(move |conn| {
            let exam = model::find(conn, &scope, id)?;
            if !exam.settings.entry.invite_links {
                return Err(entry_disabled("invite_links"));
            }
            let slug: String = orgs::table
                .filter(orgs::id.eq(scope.org_id()))
                .select(orgs::slug)
                .first(conn)?;
            let assigned: Vec<DbUuid> = scoped!(exam_assignments, scope)
                .filter(exam_assignments::exam_id.eq(id))
                .order(exam_assignments::created_at)
                .select(exam_assignments::candidate_id)
                .load(conn)?;
            let visible = visible_ids(conn, &scope, &assigned)?;
            Ok::<_, ApiError>(
                assigned
                    .into_iter()
                    .filter(|c| visible.contains(c))
                    .map(|c| {
                        let token = invite_token(&bidx, id, c);
                        InviteLink {
                            candidate_id: c.to_string(),
                            url: format!("/o/{slug}/invite#{token}"),
                            token,
                        }
                    })
                    .collect(),
            )
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/registrations",
    operation_id = "list_registrations",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "What the people who entered by open link or access code registered with, decrypted, oldest first. The read of personal data is audit-logged.", body = Vec<RegistrationDto>),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_registrations(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<Vec<RegistrationDto>>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    let list = state
        .transaction(move |conn, st| {
            model::find(conn, &scope, id)?;
            let list = super::registrations::list(conn, &st.cipher, &scope, id)?;
            // The read of personal data is logged before the data leaves.
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "exam.registrations_read",
                Some(("exam", id.to_string())),
                serde_json::json!({ "count": list.len() }),
            )?;
            Ok(list)
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    delete,
    path = "/api/exams/{id}/assignments/{candidate_id}",
    operation_id = "unassign_candidate",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(
        ("id" = String, Path, description = "The exam id."),
        ("candidate_id" = String, Path, description = "An assigned candidate's id."),
    ),
    responses(
        (status = 204, description = "The candidate is no longer assigned (their invite link stops working; attempts already made stay)."),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam, or the candidate is not assigned to it.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn unassign_candidate(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> Result<actix_web::HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let (id, candidate) = path.into_inner();
    let (id, candidate) = (DbUuid(id), DbUuid(candidate));
    let client = ClientInfo::of(&req);
    state
        .transaction(move |conn, st| {
            model::find(conn, &scope, id)?;
            crate::candidates::model::find(conn, &scope, candidate)?;
            let removed = diesel::delete(
                scoped!(exam_assignments, scope)
                    .filter(exam_assignments::exam_id.eq(id))
                    .filter(exam_assignments::candidate_id.eq(candidate)),
            )
            .execute(conn)?;
            if removed == 0 {
                return Err(ApiError::NotFound);
            }
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "exam.unassign",
                Some(("exam", id.to_string())),
                serde_json::json!({ "candidate_id": candidate.to_string() }),
            )?;
            Ok(())
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}
