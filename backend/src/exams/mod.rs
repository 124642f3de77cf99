//! Exams (`/api/exams`, permission `exams`): a paper given to assigned candidates within a
//! time window, with duration, late entry, attempts, scoring, pass mark, negative marking and
//! release/review policies; assignments of candidates and groups (papers are generated for
//! them at once, so starting does no heavy work) and per-candidate accommodations.
//!
//! The candidate side (starting, saving, submitting) is in [`attempts`]; grading in
//! [`grading`]; checking an exam's input in [`input`]; the entry secrets in [`tokens`];
//! anti-cheat (IP ranges, the attempt event log, limits) in [`integrity`] and the candidate's
//! events in `events`; the proctor's console in [`proctor`]; answer review in [`review`].

pub mod attempts;
pub mod entry;
mod events;
pub mod grading;
pub mod input;
pub mod integrity;
pub mod model;
pub mod proctor;
pub mod registrations;
pub mod review;
pub mod tokens;

use std::collections::HashSet;

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::exams::{
    Accommodation, AssignmentDto, AssignmentRequest, AssignmentResult, AttemptStatus,
    ExamAttemptDto, ExamDto, ExamInput,
};

use crate::candidates::model::visible_ids;
use crate::db::schema::{attempts as attempts_t, candidate_group_members, exam_assignments};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

pub use attempts::{
    __path_get_attempt, __path_list_candidate_exams, __path_save_answer, __path_start_attempt,
    __path_submit_attempt, get_attempt, list_candidate_exams, save_answer, start_attempt,
    submit_attempt,
};
pub use entry::{
    __path_list_invites, __path_list_registrations, __path_rotate_access_code,
    __path_rotate_open_link, __path_unassign_candidate, list_invites, list_registrations,
    rotate_access_code, rotate_open_link, unassign_candidate,
};
pub use events::{__path_record_events, record_events};
pub use proctor::{
    __path_extend_attempt, __path_force_submit_attempt, __path_list_attempt_events,
    __path_monitor_exam, __path_reopen_attempt, extend_attempt, force_submit_attempt,
    list_attempt_events, monitor_exam, reopen_attempt,
};
pub use review::{__path_review_attempt, review_attempt};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/exams").get(list_exams).post(create_exam))
        .service(
            web::resource("/exams/{id}")
                .get(get_exam)
                .put(update_exam)
                .delete(delete_exam),
        )
        .service(web::resource("/exams/{id}/attempts").get(list_exam_attempts))
        .service(
            web::resource("/exams/{id}/assignments")
                .get(list_assignments)
                .post(assign_candidates),
        )
        .service(
            web::resource("/exams/{id}/assignments/{candidate_id}")
                .put(update_accommodation)
                .delete(unassign_candidate),
        )
        .service(web::resource("/exams/{id}/access-code").post(rotate_access_code))
        .service(web::resource("/exams/{id}/open-link").post(rotate_open_link))
        .service(web::resource("/exams/{id}/invites").get(list_invites))
        .service(web::resource("/exams/{id}/registrations").get(list_registrations));
    proctor::config(cfg);
    attempts::config(cfg);
    review::candidate_config(cfg);
}

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
            let checked = input::check_input(conn, &scope, input)?;
            let id = DbUuid::new_v7();
            model::insert(conn, &scope, id, &checked)?;
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
            let checked = input::check_input(conn, &scope, input)?;
            let paper_changed = checked.paper_id != before.paper_id;
            if paper_changed {
                let started: i64 = attempts_t::table
                    .filter(attempts_t::org_id.eq(scope.org_id()))
                    .filter(attempts_t::exam_id.eq(id))
                    .count()
                    .get_result(conn)?;
                if started > 0 {
                    return Err(ApiError::conflict("exam_has_attempts"));
                }
            }
            model::update(conn, &scope, id, &checked)?;
            if paper_changed {
                let assigned: Vec<DbUuid> = scoped!(exam_assignments, scope)
                    .filter(exam_assignments::exam_id.eq(id))
                    .select(exam_assignments::candidate_id)
                    .load(conn)?;
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
            let running: i64 = attempts_t::table
                .filter(attempts_t::org_id.eq(scope.org_id()))
                .filter(attempts_t::exam_id.eq(id))
                .filter(attempts_t::status.eq(AttemptStatus::InProgress.as_str()))
                .count()
                .get_result(conn)?;
            if running > 0 {
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

/// Parses ids at `field[i]`, dropping duplicates.
fn parse_ids(fields: &mut Fields, field: &str, ids: &[String]) -> Vec<DbUuid> {
    let mut out = Vec::new();
    for (i, raw) in ids.iter().enumerate() {
        match uuid::Uuid::parse_str(raw.trim()) {
            Ok(id) if !out.contains(&DbUuid(id)) => out.push(DbUuid(id)),
            Ok(_) => {}
            Err(_) => fields.push(&format!("{field}[{i}]"), "invalid_format"),
        }
    }
    out
}

#[utoipa::path(
    post,
    path = "/api/exams/{id}/assignments",
    operation_id = "assign_candidates",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The exam id.")),
    request_body = AssignmentRequest,
    responses(
        (status = 200, description = "The candidates, and every current member of the groups, are assigned; their papers are generated now. All or nothing.", body = AssignmentResult),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`rules_not_satisfiable`: the paper's rules can no longer be met.", body = shared::ErrorBody),
        (status = 422, description = "`candidate_ids[i]` / `group_ids[i]`: `invalid_format` or `not_found`; `candidate_ids`: `required` (nothing to assign) or `too_many` (at most 5,000).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn assign_candidates(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<AssignmentRequest>,
) -> Result<web::Json<AssignmentResult>, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let input = body.into_inner();
    let client = ClientInfo::of(&req);
    let result = state
        .transaction(move |conn, st| {
            let exam = model::find(conn, &scope, id)?;
            let mut fields = Fields::default();
            let candidate_ids = parse_ids(&mut fields, "candidate_ids", &input.candidate_ids);
            let group_ids = parse_ids(&mut fields, "group_ids", &input.group_ids);
            fields.finish()?;
            let mut fields = Fields::default();
            let visible: HashSet<DbUuid> = candidate_ids
                .chunks(500)
                .map(|chunk| {
                    crate::candidates::model::visible(&scope)
                        .filter(crate::db::schema::candidates::id.eq_any(chunk.to_vec()))
                        .select(crate::db::schema::candidates::id)
                        .load::<DbUuid>(conn)
                })
                .collect::<QueryResult<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect();
            for (i, c) in candidate_ids.iter().enumerate() {
                if !visible.contains(c) {
                    fields.push(&format!("candidate_ids[{i}]"), "not_found");
                }
            }
            // Each candidate with the group it came from (the first one), if any.
            let mut wanted: Vec<(DbUuid, Option<DbUuid>)> =
                candidate_ids.iter().map(|c| (*c, None)).collect();
            for (i, g) in group_ids.iter().enumerate() {
                let allowed = scope.group_scope().is_none_or(|s| s.contains(g));
                let exists = allowed
                    && scoped!(candidate_groups, scope)
                        .filter(crate::db::schema::candidate_groups::id.eq(g))
                        .count()
                        .get_result::<i64>(conn)?
                        > 0;
                if !exists {
                    fields.push(&format!("group_ids[{i}]"), "not_found");
                    continue;
                }
                let members: Vec<DbUuid> = scoped!(candidate_group_members, scope)
                    .filter(candidate_group_members::group_id.eq(g))
                    .select(candidate_group_members::candidate_id)
                    .load(conn)?;
                for m in members {
                    if !wanted.iter().any(|(c, _)| *c == m) {
                        wanted.push((m, Some(*g)));
                    }
                }
            }
            if wanted.is_empty() {
                fields.push("candidate_ids", "required");
            }
            if wanted.len() > shared::papers::MAX_PREGENERATE {
                fields.push("candidate_ids", "too_many");
            }
            fields.finish()?;
            let ids: Vec<DbUuid> = wanted.iter().map(|w| w.0).collect();
            let existing: HashSet<DbUuid> = ids
                .chunks(500)
                .map(|chunk| {
                    scoped!(exam_assignments, scope)
                        .filter(exam_assignments::exam_id.eq(id))
                        .filter(exam_assignments::candidate_id.eq_any(chunk))
                        .select(exam_assignments::candidate_id)
                        .load::<DbUuid>(conn)
                })
                .collect::<QueryResult<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect();
            let mut assigned = 0i64;
            for (candidate, group) in &wanted {
                if existing.contains(candidate) {
                    continue;
                }
                model::insert_assignment(conn, &scope, id, *candidate, *group)?;
                assigned += 1;
            }
            let (generated, _) =
                crate::papers::instances::pregenerate_for(conn, &scope, exam.paper_id, &ids)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "exam.assign",
                Some(("exam", id.to_string())),
                serde_json::json!({ "assigned": assigned, "groups": group_ids.len(), "papers_generated": generated }),
            )?;
            Ok(AssignmentResult {
                assigned,
                already_assigned: existing.len() as i64,
                papers_generated: generated,
            })
        })
        .await?;
    Ok(web::Json(result))
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/assignments",
    operation_id = "list_assignments",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "The assigned candidates the caller may see (an admin limited to groups: those groups' members), with their accommodations and attempts used.", body = Vec<AssignmentDto>),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_assignments(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<Vec<AssignmentDto>>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let list = state
        .db
        .run(move |conn| {
            model::find(conn, &scope, id)?;
            let rows: Vec<(DbUuid, i32, i32, i32)> = scoped!(exam_assignments, scope)
                .filter(exam_assignments::exam_id.eq(id))
                .order(exam_assignments::created_at)
                .select((
                    exam_assignments::candidate_id,
                    exam_assignments::extra_minutes,
                    exam_assignments::extra_percent,
                    exam_assignments::extra_attempts,
                ))
                .load(conn)?;
            let used: Vec<DbUuid> = attempts_t::table
                .filter(attempts_t::org_id.eq(scope.org_id()))
                .filter(attempts_t::exam_id.eq(id))
                .select(attempts_t::candidate_id)
                .load(conn)?;
            // Only the candidates in the caller's data scope (an admin's groups).
            let ids: Vec<DbUuid> = rows.iter().map(|r| r.0).collect();
            let visible = visible_ids(conn, &scope, &ids)?;
            Ok::<_, ApiError>(
                rows.into_iter()
                    .filter(|r| visible.contains(&r.0))
                    .map(|(c, m, p, a)| AssignmentDto {
                        candidate_id: c.to_string(),
                        accommodation: Accommodation {
                            extra_minutes: u32::try_from(m).unwrap_or(0),
                            extra_percent: u32::try_from(p).unwrap_or(0),
                            extra_attempts: u32::try_from(a).unwrap_or(0),
                        },
                        attempts_used: used.iter().filter(|u| **u == c).count() as i64,
                    })
                    .collect(),
            )
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    put,
    path = "/api/exams/{id}/assignments/{candidate_id}",
    operation_id = "update_accommodation",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(
        ("id" = String, Path, description = "The exam id."),
        ("candidate_id" = String, Path, description = "An assigned candidate's id."),
    ),
    request_body = Accommodation,
    responses(
        (status = 200, description = "Saved; applies to attempts started from now on.", body = AssignmentDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam, or the candidate is not assigned to it.", body = shared::ErrorBody),
        (status = 422, description = "`extra_minutes` (at most 1,440), `extra_percent` (at most 400) or `extra_attempts` (at most 100): `out_of_range`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn update_accommodation(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: web::Json<Accommodation>,
) -> Result<web::Json<AssignmentDto>, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let (id, candidate) = path.into_inner();
    let (id, candidate) = (DbUuid(id), DbUuid(candidate));
    let input = body.into_inner();
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            model::find(conn, &scope, id)?;
            crate::candidates::model::find(conn, &scope, candidate)?;
            let mut fields = Fields::default();
            for (name, value, max) in [
                ("extra_minutes", input.extra_minutes, 1440),
                ("extra_percent", input.extra_percent, 400),
                ("extra_attempts", input.extra_attempts, 100),
            ] {
                if value > max {
                    fields.push(name, "out_of_range");
                }
            }
            fields.finish()?;
            let small = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
            let changed = diesel::update(
                scoped!(exam_assignments, scope)
                    .filter(exam_assignments::exam_id.eq(id))
                    .filter(exam_assignments::candidate_id.eq(candidate)),
            )
            .set((
                exam_assignments::extra_minutes.eq(small(input.extra_minutes)),
                exam_assignments::extra_percent.eq(small(input.extra_percent)),
                exam_assignments::extra_attempts.eq(small(input.extra_attempts)),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Err(ApiError::NotFound);
            }
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "exam.accommodation",
                Some(("exam", id.to_string())),
                serde_json::json!({ "candidate_id": candidate.to_string(),
                    "extra_minutes": input.extra_minutes, "extra_percent": input.extra_percent,
                    "extra_attempts": input.extra_attempts }),
            )?;
            let used: i64 = attempts_t::table
                .filter(attempts_t::org_id.eq(scope.org_id()))
                .filter(attempts_t::exam_id.eq(id))
                .filter(attempts_t::candidate_id.eq(candidate))
                .count()
                .get_result(conn)?;
            Ok(AssignmentDto {
                candidate_id: candidate.to_string(),
                accommodation: input,
                attempts_used: used,
            })
        })
        .await?;
    Ok(web::Json(dto))
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/attempts",
    operation_id = "list_exam_attempts",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "Every attempt at the exam by a candidate the caller may see (an admin limited to groups: those groups' members), oldest first, with status and score.", body = Vec<ExamAttemptDto>),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_exam_attempts(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<Vec<ExamAttemptDto>>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let list = state
        .db
        .run(move |conn| {
            model::find(conn, &scope, id)?;
            type Row = (
                DbUuid,
                DbUuid,
                i32,
                String,
                Timestamp,
                Timestamp,
                Option<Timestamp>,
                bool,
                Option<i32>,
                i32,
                bool,
            );
            let rows: Vec<Row> = attempts_t::table
                .filter(attempts_t::org_id.eq(scope.org_id()))
                .filter(attempts_t::exam_id.eq(id))
                .order((attempts_t::started_at, attempts_t::number))
                .select((
                    attempts_t::id,
                    attempts_t::candidate_id,
                    attempts_t::number,
                    attempts_t::status,
                    attempts_t::started_at,
                    attempts_t::deadline,
                    attempts_t::submitted_at,
                    attempts_t::auto_submitted,
                    attempts_t::score_centi,
                    attempts_t::max_score_centi,
                    attempts_t::needs_manual_grading,
                ))
                .load(conn)?;
            // Only the candidates in the caller's data scope (an admin's groups).
            let ids: Vec<DbUuid> = rows.iter().map(|r| r.1).collect();
            let visible = visible_ids(conn, &scope, &ids)?;
            Ok::<_, ApiError>(
                rows.into_iter()
                    .filter(|r| visible.contains(&r.1))
                    .map(|r| ExamAttemptDto {
                        id: r.0.to_string(),
                        candidate_id: r.1.to_string(),
                        number: r.2,
                        status: AttemptStatus::parse(&r.3).unwrap_or(AttemptStatus::InProgress),
                        started_at: r.4.to_canonical_string(),
                        deadline: r.5.to_canonical_string(),
                        submitted_at: r.6.map(Timestamp::to_canonical_string),
                        auto_submitted: r.7,
                        score: r.8.map(|s| f64::from(s) / 100.0),
                        max_score: f64::from(r.9) / 100.0,
                        needs_manual_grading: r.10,
                    })
                    .collect(),
            )
        })
        .await?;
    Ok(web::Json(list))
}
