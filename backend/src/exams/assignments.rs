//! Assignments (`/api/exams/{id}/assignments`): assigning candidates and groups (their papers
//! are generated at once), listing them, accommodations, and the exam's attempts.

use std::collections::HashSet;

use actix_web::{HttpRequest, web};
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::exams::{
    Accommodation, AssignmentDto, AssignmentRequest, AssignmentResult, AttemptStatus,
    ExamAttemptDto,
};

use super::model::{self, ExamRow};
use crate::candidates::model::visible_ids;
use crate::db::DbConnection;
use crate::db::schema::{
    attempts as attempts_t, candidate_group_members, candidate_groups, exam_assignments,
};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, ModelError};
use crate::http::{ClientInfo, Fields};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

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
            let wanted = wanted_candidates(conn, &scope, &candidate_ids, &group_ids)?;
            let result = assign(conn, &scope, &exam, &wanted)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "exam.assign",
                Some(("exam", id.to_string())),
                serde_json::json!({ "assigned": result.assigned, "groups": group_ids.len(),
                    "papers_generated": result.papers_generated }),
            )?;
            Ok(result)
        })
        .await?;
    Ok(web::Json(result))
}

/// The candidates to assign: those named (each one the caller may see) and the members of the
/// groups named (each within the caller's groups), each with the group it came from (the
/// first one), if any. 422 naming every one not found, or when there are none or too many.
fn wanted_candidates(
    conn: &mut DbConnection,
    scope: &OrgScope,
    candidate_ids: &[DbUuid],
    group_ids: &[DbUuid],
) -> Result<Vec<(DbUuid, Option<DbUuid>)>, ModelError> {
    let mut fields = Fields::default();
    let visible = visible_ids(conn, scope, candidate_ids)?;
    for (i, c) in candidate_ids.iter().enumerate() {
        if !visible.contains(c) {
            fields.push(&format!("candidate_ids[{i}]"), "not_found");
        }
    }
    let mut wanted: Vec<(DbUuid, Option<DbUuid>)> =
        candidate_ids.iter().map(|c| (*c, None)).collect();
    for (i, g) in group_ids.iter().enumerate() {
        let allowed = scope.group_scope().is_none_or(|s| s.contains(g));
        let exists = allowed
            && scoped!(candidate_groups, scope)
                .filter(candidate_groups::id.eq(g))
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
    Ok(wanted)
}

/// Assigns those of `wanted` not yet assigned to the exam and makes sure every one has a
/// paper of the current revision.
fn assign(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: &ExamRow,
    wanted: &[(DbUuid, Option<DbUuid>)],
) -> Result<AssignmentResult, ModelError> {
    let ids: Vec<DbUuid> = wanted.iter().map(|w| w.0).collect();
    let existing: HashSet<DbUuid> = ids
        .chunks(500)
        .map(|chunk| {
            scoped!(exam_assignments, scope)
                .filter(exam_assignments::exam_id.eq(exam.id))
                .filter(exam_assignments::candidate_id.eq_any(chunk))
                .select(exam_assignments::candidate_id)
                .load::<DbUuid>(conn)
        })
        .collect::<QueryResult<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    let mut assigned = 0i64;
    for (candidate, group) in wanted {
        if existing.contains(candidate) {
            continue;
        }
        model::insert_assignment(conn, scope, exam.id, *candidate, *group)?;
        assigned += 1;
    }
    let (generated, _) =
        crate::papers::instances::pregenerate_for(conn, scope, exam.paper_id, &ids)?;
    Ok(AssignmentResult {
        assigned,
        already_assigned: existing.len() as i64,
        papers_generated: generated,
    })
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
