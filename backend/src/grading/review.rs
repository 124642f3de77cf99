//! Sending an automatically graded answer for review: `POST /api/exams/{id}/attempts/
//! {attempt_id}/questions/{question_id}/review` makes a grading item of the whole question
//! (origin `review`, part -1, worth the question's points in the attempt) that graders mark
//! like an essay, blind, against the question's key. Until it is decided the attempt is back
//! in grading (submitted, waiting for a person), so "release after grading" holds its result
//! back; the final mark then replaces the question's automatic points
//! (`marks::complete_attempt`), and the attempt is graded again through the same path as any
//! grading completion (`attempt_finished`, the "changed" notice of a result already told).
//!
//! With an admin's override (`results::overrides`) the later act wins: a review replaces an
//! earlier override once decided, an override after the decision replaces the review's mark,
//! and while the review is open the override is refused (409 `in_review`).

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::exams::AttemptStatus;
use shared::grading::{GradingItemDto, MAX_REVIEW_REASON_CHARS, ReviewRequestInput};

use super::items::{self, ItemRow, ReviewUnit};
use super::{marks, task};
use crate::db::DbConnection;
use crate::db::schema::{attempts, grading_items};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, FieldErrors, ModelError};
use crate::exams::attempts::model as attempt_model;
use crate::http::{ClientInfo, Fields};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// What a review request did, for the audit log.
struct Requested {
    item: ItemRow,
    /// The question's points when it was sent.
    points: f64,
    previous_status: AttemptStatus,
}

/// Sends `question` of `attempt` (at `exam`) for review.
fn request(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    attempt: DbUuid,
    question: DbUuid,
) -> Result<Requested, ModelError> {
    // The queue makes an attempt's essay items only while it has none of its submission, so
    // they are made before the review item would hide them.
    items::sync(conn, scope, exam)?;
    attempt_model::lock(conn, attempt)?;
    let row = attempt_model::find(conn, scope, attempt)
        .optional()?
        .filter(|r| r.exam_id == exam)
        .ok_or(ModelError::NotFound)?;
    let status = row.status();
    let submitted_at = match (status, row.submitted_at) {
        (AttemptStatus::Submitted | AttemptStatus::Graded, Some(at)) => at,
        _ => return Err(ModelError::Conflict("attempt_not_finished")),
    };
    let id = question.to_string();
    let mut entries: Vec<serde_json::Value> = attempt_model::grading_entries(conn, scope, attempt)?;
    let entry = entries
        .iter_mut()
        .find(|e| e["question_id"].as_str() == Some(id.as_str()))
        .ok_or(ModelError::NotFound)?;
    if entry["needs_manual"].as_bool() == Some(true) || entry.get("manual").is_some() {
        return Err(FieldErrors::single("question_id", "manual_question").into());
    }
    let existing: Vec<Timestamp> = scoped!(grading_items, scope)
        .filter(grading_items::attempt_id.eq(attempt))
        .filter(grading_items::question_id.eq(question))
        .select(grading_items::attempt_submitted_at)
        .load(conn)?;
    if existing.contains(&submitted_at) {
        return Err(ModelError::Conflict("already_in_review"));
    }
    // Items of an earlier submission (the attempt was reopened since) graded another answer.
    diesel::delete(
        scoped!(grading_items, scope)
            .filter(grading_items::attempt_id.eq(attempt))
            .filter(grading_items::question_id.eq(question)),
    )
    .execute(conn)?;
    let version = match entry["regraded_version"].as_i64() {
        Some(v) => i32::try_from(v).map_err(anyhow::Error::from)?,
        None => row
            .arrangement()?
            .iter()
            .flatten()
            .find(|p| p.question_id == id)
            .map(|p| p.version)
            .ok_or(ModelError::NotFound)?,
    };
    let points = entry["earned"].as_f64().unwrap_or(0.0);
    let item = items::insert_review(
        conn,
        scope,
        &ReviewUnit {
            exam,
            attempt,
            submitted_at,
            question,
            version,
            max_centi: (entry["max"].as_f64().unwrap_or(0.0) * 100.0).round() as i32,
        },
    )?;
    let automatic = entry["override"]["automatic"].as_f64().unwrap_or(points);
    entry["review"] = serde_json::json!({
        "item_id": item.id.to_string(),
        "automatic": automatic,
        "requested_at": Timestamp::now().to_canonical_string(),
        "by": scope.user_id().map(|u| u.to_string()),
    });
    let grading = serde_json::to_string(&entries).map_err(anyhow::Error::from)?;
    diesel::update(scoped!(attempts, scope).filter(attempts::id.eq(attempt)))
        .set((
            attempts::status.eq(AttemptStatus::Submitted.as_str()),
            attempts::needs_manual_grading.eq(true),
            attempts::grading.eq(Some(grading)),
        ))
        .execute(conn)?;
    Ok(Requested {
        item,
        points,
        previous_status: status,
    })
}

#[utoipa::path(
    post,
    path = "/api/exams/{id}/attempts/{attempt_id}/questions/{question_id}/review",
    operation_id = "request_review",
    tag = "grading",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(
        ("id" = String, Path, description = "The exam id."),
        ("attempt_id" = String, Path, description = "A finished (submitted or graded) attempt at that exam."),
        ("question_id" = String, Path, description = "An automatically graded question of the attempt."),
    ),
    request_body = ReviewRequestInput,
    responses(
        (status = 201, description = "Sent: a grading item of the whole question (`origin` `review`, worth the question's points), open, with the attempt's anonymous code; graders see the candidate's answer and the key, never the candidate. The attempt waits for grading again (results table `pending`; \"after grading\" release holds it back) until the item's final mark, which then replaces the question's automatic points: score, pass/fail, notices and automatic certificate follow as for any grading. Audited (`attempt.review_request`). The later act wins over an admin's override: the decided review replaces an earlier override; an override after the decision replaces the review's mark; while the review is open, overrides of the question are refused (409 `in_review`). Re-grading skips the question from the request on.", body = GradingItemDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam, attempt at it, or question in the attempt.", body = shared::ErrorBody),
        (status = 409, description = "`attempt_not_finished`: the attempt is still in progress; `already_in_review`: the question of this submission was sent for review already (open or decided).", body = shared::ErrorBody),
        (status = 422, description = "`reason`: `required` or `too_long` (500 characters); `question_id`: `manual_question` (an answer marked by a person already: see the grading workspace).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn request_review(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid, uuid::Uuid)>,
    body: web::Json<ReviewRequestInput>,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let (exam, attempt, question) = path.into_inner();
    let (exam, attempt, question) = (DbUuid(exam), DbUuid(attempt), DbUuid(question));
    let reason = body.into_inner().reason.trim().to_owned();
    let mut fields = Fields::default();
    match reason.chars().count() {
        0 => fields.push("reason", "required"),
        n if n > MAX_REVIEW_REASON_CHARS => fields.push("reason", "too_long"),
        _ => {}
    }
    fields.finish()?;
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            crate::exams::model::find(conn, &scope, exam)?;
            let requested = request(conn, &scope, exam, attempt, question)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "attempt.review_request",
                Some(("attempt", attempt.to_string())),
                serde_json::json!({
                    "exam_id": exam.to_string(),
                    "question_id": question.to_string(),
                    "item_id": requested.item.id.to_string(),
                    "points": requested.points,
                    "previous_status": requested.previous_status.as_str(),
                    "reason": reason,
                }),
            )?;
            let settings = marks::marking(conn, &scope, exam)?;
            Ok::<_, ApiError>(task::item_dto(
                &requested.item,
                settings.graders_per_answer,
                None,
            ))
        })
        .await?;
    Ok(HttpResponse::Created().json(dto))
}
