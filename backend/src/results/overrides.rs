//! An admin overrides an automatic mark: `PUT /api/exams/{id}/attempts/{attempt_id}/questions/
//! {question_id}/override` sets the points of one automatically graded question of a finished
//! attempt, with a reason. The attempt's score follows, the change is audited with the points
//! before and after, a released result's candidate is told, and a result that now passes gets
//! the exam's automatic certificate. Answers that wait for a person are marked in the grading
//! workspace instead.
//!
//! With a review of the question (`grading::review`) the later act wins: an override replaces
//! a decided review's mark (and a review decided later replaces an override), and while the
//! review is open the question is the graders' (409 `in_review`).

use actix_web::{HttpRequest, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use shared::access::{Level, Module};
use shared::exams::AttemptStatus;
use utoipa::ToSchema;

use crate::db::DbConnection;
use crate::db::schema::attempts;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, FieldErrors, ModelError};
use crate::exams::attempts::model as attempt_model;
use crate::http::{ClientInfo, Fields};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// Most characters of an override's reason.
pub const MAX_REASON_CHARS: usize = 500;

/// `PUT /api/exams/{id}/attempts/{attempt_id}/questions/{question_id}/override`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct OverrideInput {
    /// 0 to the question's points, in hundredths (422 `out_of_range`).
    #[schema(minimum = 0, maximum = 1000)]
    pub points: f64,
    /// Why (1 to 500 characters; 422 `required` / `too_long`). Audited.
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// The attempt after an override.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct OverrideResult {
    pub attempt_id: String,
    pub question_id: String,
    /// The question's points before and after.
    pub before: f64,
    pub after: f64,
    /// What automatic grading gave (kept across overrides).
    pub automatic: f64,
    /// The attempt's score after.
    pub score: f64,
}

struct Changed {
    result: OverrideResult,
    score_before: f64,
    graded: bool,
}

fn override_points(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    attempt: DbUuid,
    question: &str,
    input: &OverrideInput,
) -> Result<Changed, ModelError> {
    attempt_model::lock(conn, attempt)?;
    let row = attempt_model::find(conn, scope, attempt)
        .optional()?
        .ok_or(ModelError::NotFound)?;
    if row.exam_id != exam {
        return Err(ModelError::NotFound);
    }
    let status = row.status();
    if !matches!(status, AttemptStatus::Submitted | AttemptStatus::Graded) {
        return Err(ModelError::Conflict("attempt_not_finished"));
    }
    let mut entries: Vec<serde_json::Value> = attempt_model::grading_entries(conn, scope, attempt)?;
    let entry = entries
        .iter_mut()
        .find(|e| e["question_id"].as_str() == Some(question))
        .ok_or(ModelError::NotFound)?;
    if entry["needs_manual"].as_bool() == Some(true) || entry.get("manual").is_some() {
        return Err(FieldErrors::single("question_id", "manual_question").into());
    }
    if entry.get("review").is_some() && entry["review"].get("points").is_none() {
        return Err(ModelError::Conflict("in_review"));
    }
    let max = entry["max"].as_f64().unwrap_or(0.0);
    let centi = (input.points * 100.0).round();
    if (input.points * 100.0 - centi).abs() > 1e-6 || centi > (max * 100.0).round() {
        return Err(FieldErrors::single("points", "out_of_range").into());
    }
    let before = entry["earned"].as_f64().unwrap_or(0.0);
    let automatic = entry["override"]["automatic"]
        .as_f64()
        .or_else(|| entry["review"]["automatic"].as_f64())
        .unwrap_or(before);
    let after = centi / 100.0;
    entry["earned"] = serde_json::json!(after);
    entry["override"] = serde_json::json!({
        "automatic": automatic,
        "reason": input.reason.trim(),
        "by": scope.user_id().map(|u| u.to_string()),
        "at": Timestamp::now().to_canonical_string(),
    });
    let score_centi: i64 = entries
        .iter()
        .map(|e| (e["earned"].as_f64().unwrap_or(0.0) * 100.0).round() as i64)
        .sum();
    let score = i32::try_from(score_centi).unwrap_or(i32::MAX);
    let grading = serde_json::to_string(&entries).map_err(anyhow::Error::from)?;
    diesel::update(scoped!(attempts, scope).filter(attempts::id.eq(attempt)))
        .set((
            attempts::score_centi.eq(Some(score)),
            attempts::grading.eq(Some(grading)),
        ))
        .execute(conn)?;
    Ok(Changed {
        result: OverrideResult {
            attempt_id: attempt.to_string(),
            question_id: question.to_owned(),
            before,
            after,
            automatic,
            score: f64::from(score) / 100.0,
        },
        score_before: row.score_centi.map_or(0.0, |s| f64::from(s) / 100.0),
        graded: status == AttemptStatus::Graded,
    })
}

#[utoipa::path(
    put,
    path = "/api/exams/{id}/attempts/{attempt_id}/questions/{question_id}/override",
    operation_id = "override_mark",
    tag = "results",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(
        ("id" = String, Path, description = "The exam id."),
        ("attempt_id" = String, Path, description = "A finished attempt at that exam."),
        ("question_id" = String, Path, description = "An automatically graded question of the attempt."),
    ),
    request_body = OverrideInput,
    responses(
        (status = 200, description = "Set: the attempt's score follows; audited (`attempt.mark_override`, points before and after, the reason); a released result's candidate is told it changed; a graded result that now passes gets the exam's automatic certificate.", body = OverrideResult),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam, attempt at it, or question in the attempt.", body = shared::ErrorBody),
        (status = 409, description = "`attempt_not_finished`: the attempt is still in progress; `in_review`: the question was sent for review and the graders have not decided yet (the later act wins: an override after their decision replaces their mark, a review decided after an override replaces it).", body = shared::ErrorBody),
        (status = 422, description = "`points`: `out_of_range`; `reason`: `required` or `too_long`; `question_id`: `manual_question` (an answer marked by a person: use the grading workspace).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn override_mark(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid, uuid::Uuid)>,
    body: web::Json<OverrideInput>,
) -> Result<web::Json<OverrideResult>, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let (exam, attempt, question) = path.into_inner();
    let (exam, attempt, question) = (DbUuid(exam), DbUuid(attempt), question.to_string());
    let input = body.into_inner();
    let mut fields = Fields::default();
    if !input.points.is_finite() || input.points < 0.0 {
        fields.push("points", "out_of_range");
    }
    match input.reason.trim().chars().count() {
        0 => fields.push("reason", "required"),
        n if n > MAX_REASON_CHARS => fields.push("reason", "too_long"),
        _ => {}
    }
    fields.finish()?;
    let client = ClientInfo::of(&req);
    let result = state
        .transaction(move |conn, st| {
            let exam_row = crate::exams::model::find(conn, &scope, exam)?;
            let changed = override_points(conn, &scope, exam, attempt, &question, &input)?;
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "attempt.mark_override",
                Some(("attempt", attempt.to_string())),
                serde_json::json!({
                    "exam_id": exam.to_string(),
                    "question_id": question,
                    "before": changed.result.before,
                    "after": changed.result.after,
                    "automatic": changed.result.automatic,
                    "score_before": changed.score_before,
                    "score_after": changed.result.score,
                    "reason": input.reason.trim(),
                }),
            )?;
            if changed.graded {
                super::release::queue_changed(conn, &scope, &exam_row, &[attempt])?;
                attempt_model::enqueue_finished(conn, scope.org_id(), attempt)?;
            }
            Ok(changed.result)
        })
        .await?;
    Ok(web::Json(result))
}
