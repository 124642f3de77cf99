//! The proctor's console (permission `exams`: reads need read, actions write): the monitor of
//! an exam (every assigned candidate with their latest attempt, its clock, progress and
//! events), an attempt's event timeline, and the actions — extend the deadline, submit now,
//! reopen a finished attempt. Every action is audited in the action's transaction.

use actix_web::{HttpRequest, web};
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::exams::{
    AttemptEventDto, AttemptEventKind, AttemptStatus, ExamAttemptDto, ProctorMinutes,
    ProctoredAttempt, SubmitReason,
};

use super::attempts::model::{self as attempts, AttemptRow};
use super::model;
use crate::crypto::Aad;
use crate::db::DbConnection;
use crate::db::schema::{attempt_events, attempts as attempts_t, grading_items};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/exams/{id}/monitor").get(super::monitor::monitor_exam))
        .service(web::resource("/exams/{id}/attempts/{attempt_id}/events").get(list_attempt_events))
        .service(web::resource("/exams/{id}/attempts/{attempt_id}/extend").post(extend_attempt))
        .service(
            web::resource("/exams/{id}/attempts/{attempt_id}/force-submit")
                .post(force_submit_attempt),
        )
        .service(web::resource("/exams/{id}/attempts/{attempt_id}/reopen").post(reopen_attempt));
}

/// Most minutes one extension or reopening grants.
const MAX_MINUTES: u32 = 600;

/// An attempt of the exam whose candidate the scope may see, or 404.
fn find(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    attempt: DbUuid,
) -> Result<AttemptRow, ApiError> {
    model::find(conn, scope, exam)?;
    let row: AttemptRow = attempts_t::table
        .filter(attempts_t::org_id.eq(scope.org_id()))
        .filter(attempts_t::exam_id.eq(exam))
        .filter(attempts_t::id.eq(attempt))
        .select(AttemptRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    crate::candidates::model::find(conn, scope, row.candidate_id)?;
    Ok(row)
}

/// The attempt as the console shows it, with why it was submitted.
fn proctored(
    conn: &mut DbConnection,
    scope: &OrgScope,
    attempt: DbUuid,
) -> Result<ProctoredAttempt, ApiError> {
    let row: AttemptRow = attempts_t::table
        .filter(attempts_t::org_id.eq(scope.org_id()))
        .filter(attempts_t::id.eq(attempt))
        .select(AttemptRow::as_select())
        .first(conn)?;
    let auto: bool = attempts_t::table
        .filter(attempts_t::org_id.eq(scope.org_id()))
        .filter(attempts_t::id.eq(attempt))
        .select(attempts_t::auto_submitted)
        .first(conn)?;
    Ok(ProctoredAttempt {
        attempt: ExamAttemptDto {
            id: row.id.to_string(),
            candidate_id: row.candidate_id.to_string(),
            number: row.number,
            status: row.status(),
            started_at: row.started_at.to_canonical_string(),
            deadline: row.deadline.to_canonical_string(),
            submitted_at: row.submitted_at.map(Timestamp::to_canonical_string),
            auto_submitted: auto,
            score: row.score_centi.map(|s| f64::from(s) / 100.0),
            max_score: f64::from(row.max_score_centi) / 100.0,
            needs_manual_grading: row.needs_manual_grading,
        },
        submitted_reason: row
            .submitted_reason
            .as_deref()
            .and_then(SubmitReason::parse),
    })
}

fn minutes_of(input: &ProctorMinutes) -> Result<chrono::Duration, ApiError> {
    if !(1..=MAX_MINUTES).contains(&input.minutes) {
        return Err(Fields::single("minutes", "out_of_range"));
    }
    Ok(chrono::Duration::minutes(i64::from(input.minutes)))
}

/// Needs `exams:write`: the exam and the attempt an action on an attempt names.
fn action_target(
    scope: &OrgScope,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> Result<(DbUuid, DbUuid), ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let (exam, attempt) = path.into_inner();
    Ok((DbUuid(exam), DbUuid(attempt)))
}

/// What an action on an attempt works with: the caller's scope and client, the exam and the
/// attempt (one the scope may see).
struct AttemptAction {
    scope: OrgScope,
    client: ClientInfo,
    exam: DbUuid,
    attempt: DbUuid,
}

/// The frame of an action on an attempt: [`action_target`], then in one transaction 404
/// unless the scope may see the attempt, and `act`.
async fn act_on_attempt<F>(
    req: &HttpRequest,
    scope: OrgScope,
    state: &AppState,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    act: F,
) -> Result<web::Json<ProctoredAttempt>, ApiError>
where
    F: FnOnce(&mut DbConnection, &AppState, AttemptAction) -> Result<ProctoredAttempt, ApiError>
        + Send
        + 'static,
{
    let (exam, attempt) = action_target(&scope, path)?;
    let client = ClientInfo::of(req);
    let dto = state
        .transaction(move |conn, st| {
            find(conn, &scope, exam, attempt)?;
            let action = AttemptAction {
                scope,
                client,
                exam,
                attempt,
            };
            act(conn, st, action)
        })
        .await?;
    Ok(web::Json(dto))
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/attempts/{attempt_id}/events",
    operation_id = "list_attempt_events",
    tag = "proctoring",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(
        ("id" = String, Path, description = "The exam id."),
        ("attempt_id" = String, Path, description = "An attempt at the exam."),
    ),
    responses(
        (status = 200, description = "The attempt's events, oldest first, with the address each came from.", body = Vec<AttemptEventDto>),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam or attempt in this organisation (or its candidate is outside the caller's groups).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_attempt_events(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> Result<web::Json<Vec<AttemptEventDto>>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let (exam, attempt) = path.into_inner();
    let (exam, attempt) = (DbUuid(exam), DbUuid(attempt));
    let cipher = state.cipher.clone();
    let list = state
        .db
        .run(move |conn| {
            find(conn, &scope, exam, attempt)?;
            type Row = (
                DbUuid,
                String,
                Timestamp,
                Option<Timestamp>,
                Option<i32>,
                Option<Vec<u8>>,
                Option<Vec<u8>>,
            );
            let rows: Vec<Row> = scoped!(attempt_events, scope)
                .filter(attempt_events::attempt_id.eq(attempt))
                .order((attempt_events::occurred_at, attempt_events::id))
                .select((
                    attempt_events::id,
                    attempt_events::kind,
                    attempt_events::occurred_at,
                    attempt_events::client_time,
                    attempt_events::idle_seconds,
                    attempt_events::detail_enc,
                    attempt_events::ip_enc,
                ))
                .load(conn)?;
            let mut out = Vec::with_capacity(rows.len());
            for (id, kind, at, client_time, idle, detail, ip) in rows {
                let Some(kind) = AttemptEventKind::parse(&kind) else {
                    continue;
                };
                let row = id.to_string();
                let open = |ct: Option<Vec<u8>>, column: &str| {
                    ct.map(|ct| {
                        cipher.decrypt(
                            &ct,
                            Aad {
                                table: "attempt_events",
                                column,
                                row_id: &row,
                            },
                        )
                    })
                    .transpose()
                };
                out.push(AttemptEventDto {
                    detail: open(detail, "detail_enc")?,
                    ip: open(ip, "ip_enc")?,
                    id: row.clone(),
                    kind,
                    occurred_at: at.to_canonical_string(),
                    client_time: client_time.map(Timestamp::to_canonical_string),
                    idle_seconds: idle.and_then(|s| u32::try_from(s).ok()),
                });
            }
            Ok::<_, ApiError>(out)
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    post,
    path = "/api/exams/{id}/attempts/{attempt_id}/extend",
    operation_id = "extend_attempt",
    tag = "proctoring",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(
        ("id" = String, Path, description = "The exam id."),
        ("attempt_id" = String, Path, description = "An attempt in progress."),
    ),
    request_body = ProctorMinutes,
    responses(
        (status = 200, description = "The deadline is `minutes` later (it may pass the exam's close); the auto-submission follows it. Audited.", body = ProctoredAttempt),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam or attempt in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`attempt_not_in_progress` or `deadline_passed`.", body = shared::ErrorBody),
        (status = 422, description = "`minutes`: `out_of_range` (1 to 600).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn extend_attempt(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: web::Json<ProctorMinutes>,
) -> Result<web::Json<ProctoredAttempt>, ApiError> {
    let input = body.into_inner();
    act_on_attempt(&req, scope, &state, path, move |conn, st, action| {
        extend(conn, st, action, &input)
    })
    .await
}

/// Moves the deadline of an attempt in progress `input.minutes` later.
fn extend(
    conn: &mut DbConnection,
    st: &AppState,
    AttemptAction {
        scope,
        client,
        exam,
        attempt,
    }: AttemptAction,
    input: &ProctorMinutes,
) -> Result<ProctoredAttempt, ApiError> {
    let extra = minutes_of(input)?;
    attempts::lock(conn, attempt)?;
    let row = find(conn, &scope, exam, attempt)?;
    if row.status() != AttemptStatus::InProgress {
        return Err(ApiError::conflict("attempt_not_in_progress"));
    }
    if row.deadline <= Timestamp::now() {
        return Err(ApiError::conflict("deadline_passed"));
    }
    // The pending deadline job sees the later deadline and queues itself again.
    let deadline = Timestamp::from(row.deadline.0 + extra);
    diesel::update(
        attempts_t::table
            .filter(attempts_t::org_id.eq(scope.org_id()))
            .filter(attempts_t::id.eq(attempt)),
    )
    .set(attempts_t::deadline.eq(deadline))
    .execute(conn)?;
    client.log_change(
        conn,
        &st.cipher,
        &scope,
        "exam.attempt.extend",
        Some(("attempt", attempt.to_string())),
        serde_json::json!({ "exam_id": exam.to_string(),
            "candidate_id": row.candidate_id.to_string(), "minutes": input.minutes,
            "deadline": deadline.to_canonical_string() }),
    )?;
    proctored(conn, &scope, attempt)
}

#[utoipa::path(
    post,
    path = "/api/exams/{id}/attempts/{attempt_id}/force-submit",
    operation_id = "force_submit_attempt",
    tag = "proctoring",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(
        ("id" = String, Path, description = "The exam id."),
        ("attempt_id" = String, Path, description = "An attempt in progress."),
    ),
    responses(
        (status = 200, description = "Submitted and graded now (`submitted_reason: proctor`). Audited.", body = ProctoredAttempt),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam or attempt in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`attempt_not_in_progress`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn force_submit_attempt(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> Result<web::Json<ProctoredAttempt>, ApiError> {
    act_on_attempt(&req, scope, &state, path, force_submit).await
}

/// Submits and grades an attempt in progress now.
fn force_submit(
    conn: &mut DbConnection,
    st: &AppState,
    AttemptAction {
        scope,
        client,
        exam,
        attempt,
    }: AttemptAction,
) -> Result<ProctoredAttempt, ApiError> {
    attempts::lock(conn, attempt)?;
    let row = find(conn, &scope, exam, attempt)?;
    if row.status() != AttemptStatus::InProgress {
        return Err(ApiError::conflict("attempt_not_in_progress"));
    }
    attempts::finalise(conn, &scope, attempt, SubmitReason::Proctor)?;
    client.log_change(
        conn,
        &st.cipher,
        &scope,
        "exam.attempt.force_submit",
        Some(("attempt", attempt.to_string())),
        serde_json::json!({ "exam_id": exam.to_string(),
            "candidate_id": row.candidate_id.to_string() }),
    )?;
    proctored(conn, &scope, attempt)
}

#[utoipa::path(
    post,
    path = "/api/exams/{id}/attempts/{attempt_id}/reopen",
    operation_id = "reopen_attempt",
    tag = "proctoring",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(
        ("id" = String, Path, description = "The exam id."),
        ("attempt_id" = String, Path, description = "A submitted or graded attempt."),
    ),
    request_body = ProctorMinutes,
    responses(
        (status = 200, description = "In progress again with its answers, deadline now + `minutes`; score, receipt and grading cleared, submitted again at the new deadline. Audited.", body = ProctoredAttempt),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam or attempt in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`attempt_in_progress` (nothing to reopen) or `attempt_running` (the candidate has another attempt in progress) or `keys_seen` (the candidate has read this exam's answer keys in a review, so no attempt of theirs at it can be answered again).", body = shared::ErrorBody),
        (status = 422, description = "`minutes`: `out_of_range` (1 to 600).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn reopen_attempt(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: web::Json<ProctorMinutes>,
) -> Result<web::Json<ProctoredAttempt>, ApiError> {
    let (exam, attempt) = action_target(&scope, path)?;
    let input = body.into_inner();
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            find(conn, &scope, exam, attempt)?;
            let minutes = minutes_of(&input)?;
            attempts::lock(conn, attempt)?;
            let row = find(conn, &scope, exam, attempt)?;
            if row.status() == AttemptStatus::InProgress {
                return Err(ApiError::conflict("attempt_in_progress"));
            }
            let running: i64 = attempts_t::table
                .filter(attempts_t::org_id.eq(scope.org_id()))
                .filter(attempts_t::exam_id.eq(exam))
                .filter(attempts_t::candidate_id.eq(row.candidate_id))
                .filter(attempts_t::status.eq(AttemptStatus::InProgress.as_str()))
                .count()
                .get_result(conn)?;
            if running > 0 {
                return Err(ApiError::conflict("attempt_running"));
            }
            let mine = attempts::at_exam(conn, &scope, exam, row.candidate_id)?;
            if attempts::keys_shown_at(&mine).is_some() {
                // Reopened, the attempt would be answered with the keys the candidate read.
                return Err(ApiError::conflict("keys_seen"));
            }
            let now = Timestamp::now();
            let deadline = Timestamp::from(now.0 + minutes);
            diesel::update(
                attempts_t::table
                    .filter(attempts_t::org_id.eq(scope.org_id()))
                    .filter(attempts_t::id.eq(attempt)),
            )
            .set((
                attempts_t::status.eq(AttemptStatus::InProgress.as_str()),
                attempts_t::deadline.eq(deadline),
                attempts_t::submitted_at.eq(None::<Timestamp>),
                attempts_t::auto_submitted.eq(false),
                attempts_t::receipt.eq(None::<String>),
                attempts_t::score_centi.eq(None::<i32>),
                attempts_t::needs_manual_grading.eq(false),
                attempts_t::grading.eq(None::<String>),
                attempts_t::submitted_reason.eq(None::<String>),
                attempts_t::last_activity_at.eq(Some(now)),
            ))
            .execute(conn)?;
            // A review asked of the old submission judged an answer that may now change, and
            // its grading entry is gone: it ends (essay items go when the queue next syncs).
            diesel::delete(
                grading_items::table
                    .filter(grading_items::org_id.eq(scope.org_id()))
                    .filter(grading_items::attempt_id.eq(attempt))
                    .filter(grading_items::origin.eq("review")),
            )
            .execute(conn)?;
            attempts::enqueue_deadline(conn, scope.org_id(), attempt, deadline)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "exam.attempt.reopen",
                Some(("attempt", attempt.to_string())),
                serde_json::json!({ "exam_id": exam.to_string(),
                    "candidate_id": row.candidate_id.to_string(), "minutes": input.minutes,
                    "previous_status": row.status, "deadline": deadline.to_canonical_string() }),
            )?;
            proctored(conn, &scope, attempt)
        })
        .await?;
    Ok(web::Json(dto))
}
