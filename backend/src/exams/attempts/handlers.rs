//! The candidate's attempt operations (portal cookie): extract, call the domain function in
//! one transaction, answer. `AttemptError` becomes its status here.

use actix_web::{HttpRequest, HttpResponse, web};
use shared::exams::{
    AttemptStatus, AttemptView, CandidateExam, SaveAnswer, SavedAnswer, SubmitReason, SubmitReceipt,
};

use super::error::AttemptError;
use super::save::{self, Saved};
use super::start::{Started, start};
use super::{guard, model, view};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::state::AppState;
use crate::tenancy::CandidateScope;

/// 404, 403 `ip_not_allowed`, 409 `another_device`, 409 `conflict` with the reason, 422
/// `validation_failed`, or what the model error maps to.
impl From<AttemptError> for ApiError {
    fn from(err: AttemptError) -> Self {
        match err {
            AttemptError::NotFound => ApiError::NotFound,
            AttemptError::IpNotAllowed => ApiError::IpNotAllowed,
            AttemptError::AnotherDevice => ApiError::AnotherDevice,
            AttemptError::Refused(reason) => ApiError::conflict(reason),
            AttemptError::Invalid(fields) => fields.into(),
            AttemptError::Model(e) => e.into(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/candidate/exams",
    operation_id = "list_candidate_exams",
    tag = "attempts",
    security(("portal_cookie" = [])),
    responses(
        (status = 200, description = "The exams assigned to the signed-in candidate, with their state, attempts left and attempts (scores as released).", body = Vec<CandidateExam>),
        (status = 401, description = "Not signed in to the portal.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_candidate_exams(
    cand: CandidateScope,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<CandidateExam>>, ApiError> {
    let list = state
        .db
        .run(move |conn| Ok::<_, ApiError>(view::candidate_exams(conn, &cand)?))
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    post,
    path = "/api/candidate/exams/{id}/attempts",
    operation_id = "start_attempt",
    tag = "attempts",
    security(("portal_cookie" = [])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 201, description = "Started: a first attempt on the candidate's pre-generated paper, each later attempt on a freshly drawn and shuffled one. Options, items, prompts and answers carry labels of this attempt, not authored ids; the paper carries no seed. The deadline is start + duration + accommodation, capped by the exam's close.", body = AttemptView),
        (status = 200, description = "An unfinished attempt was resumed instead. With `entry.single_device`, resuming from another portal session takes the attempt over (audited `attempt.takeover`): the previous session's requests then answer 409 `another_device`.", body = AttemptView),
        (status = 401, description = "Not signed in to the portal.", body = shared::ErrorBody),
        (status = 404, description = "No such exam assigned to this candidate.", body = shared::ErrorBody),
        (status = 403, description = "`ip_not_allowed`: the exam's IP ranges do not include the caller's address.", body = shared::ErrorBody),
        (status = 409, description = "`exam_not_open`, `exam_closed`, `late_entry_over`, `no_attempts_left` or `keys_seen` (the candidate has read the exam's answer keys in a review: no further attempt).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn start_attempt(
    req: HttpRequest,
    cand: CandidateScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let exam_id = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    let Started { created, view } = state
        .transaction(move |conn, st| Ok(start(conn, st, &cand, exam_id, &client)?))
        .await?;
    Ok(if created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

#[utoipa::path(
    get,
    path = "/api/candidate/attempts/{id}",
    operation_id = "get_attempt",
    tag = "attempts",
    security(("portal_cookie" = [])),
    params(("id" = String, Path, description = "The attempt id.")),
    responses(
        (status = 200, description = "The paper (never answer keys, explanations or rubrics), the saved answers, the deadline and the server's time.", body = AttemptView),
        (status = 401, description = "Not signed in to the portal.", body = shared::ErrorBody),
        (status = 403, description = "`ip_not_allowed`: the exam's IP ranges do not include the caller's address.", body = shared::ErrorBody),
        (status = 404, description = "No such attempt of this candidate.", body = shared::ErrorBody),
        (status = 409, description = "`another_device` (code): another device took the attempt over.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_attempt(
    req: HttpRequest,
    cand: CandidateScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<AttemptView>, ApiError> {
    let id = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    let view = state
        .transaction(move |conn, st| {
            let scope = cand.org_scope();
            let (mut row, exam) = guard::open(conn, &cand, id, client.ip.as_deref())?;
            if row.status() == AttemptStatus::InProgress && row.deadline <= Timestamp::now() {
                model::finalise(conn, &scope, id, SubmitReason::Deadline)?;
                row = model::find_own(conn, cand.me(), id)?;
            }
            Ok(view::view(conn, &scope, &st.bidx, &exam, &row)?)
        })
        .await?;
    Ok(web::Json(view))
}

#[utoipa::path(
    put,
    path = "/api/candidate/attempts/{id}/answers/{question_id}",
    operation_id = "save_answer",
    tag = "attempts",
    security(("portal_cookie" = [])),
    params(
        ("id" = String, Path, description = "The attempt id."),
        ("question_id" = String, Path, description = "A question of the attempt's paper."),
    ),
    request_body = SaveAnswer,
    responses(
        (status = 200, description = "The stored answer, after it is committed. A save whose `seq` is not newer than the stored one changes nothing (`applied: false`); replaying the save that is stored answers as it did (`applied: true`).", body = SavedAnswer),
        (status = 401, description = "Not signed in to the portal.", body = shared::ErrorBody),
        (status = 403, description = "`ip_not_allowed`: the exam's IP ranges do not include the caller's address.", body = shared::ErrorBody),
        (status = 404, description = "No such attempt of this candidate, or the question is not on its paper.", body = shared::ErrorBody),
        (status = 409, description = "`attempt_submitted` (also when the save finds the candidate idle past the exam's idle timeout: the attempt is submitted then) or `deadline_passed`; `another_device` (code) when another device took the attempt over.", body = shared::ErrorBody),
        (status = 422, description = "`answer`: `wrong_type`, `too_many`, `too_long`, or `unknown_id` (an id that is not one of this attempt's labels for the question: options, items, prompts and answers are named by the labels the attempt's paper shows, never by authored ids); `seq`: `out_of_range`.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn save_answer(
    req: HttpRequest,
    cand: CandidateScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: web::Json<SaveAnswer>,
) -> Result<web::Json<SavedAnswer>, ApiError> {
    let (id, question) = path.into_inner();
    let input = body.into_inner();
    i64::try_from(input.seq).map_err(|_| Fields::single("seq", "out_of_range"))?;
    let client = ClientInfo::of(&req);
    let saved = state
        .transaction(move |conn, st| {
            let target = (DbUuid(id), DbUuid(question));
            Ok(save::save(
                conn,
                st,
                &cand,
                target,
                input,
                client.ip.as_deref(),
            )?)
        })
        .await?;
    match saved {
        Saved::Answer(answer) => Ok(web::Json(answer)),
        Saved::Refused(err) => Err(err.into()),
    }
}

#[utoipa::path(
    post,
    path = "/api/candidate/attempts/{id}/submit",
    operation_id = "submit_attempt",
    tag = "attempts",
    security(("portal_cookie" = [])),
    params(("id" = String, Path, description = "The attempt id.")),
    responses(
        (status = 200, description = "Submitted (final) and graded where possible. The receipt is a SHA-256 over the attempt id and the stored answers; submitting again returns the same receipt.", body = SubmitReceipt),
        (status = 401, description = "Not signed in to the portal.", body = shared::ErrorBody),
        (status = 403, description = "`ip_not_allowed`: the exam's IP ranges do not include the caller's address.", body = shared::ErrorBody),
        (status = 404, description = "No such attempt of this candidate.", body = shared::ErrorBody),
        (status = 409, description = "`another_device` (code): another device took the attempt over.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn submit_attempt(
    req: HttpRequest,
    cand: CandidateScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<SubmitReceipt>, ApiError> {
    let id = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    let receipt = state
        .transaction(move |conn, st| Ok(save::submit(conn, st, &cand, id, client.ip.as_deref())?))
        .await?;
    Ok(web::Json(receipt))
}
