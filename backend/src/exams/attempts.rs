//! The candidate's side of an exam (portal cookie): the assigned exams, starting (or resuming)
//! an attempt on the pre-generated paper, saving answers ordered by a client sequence number,
//! and submitting with a receipt. Grading runs at submission, and at the deadline through the
//! job queue when the candidate never submits.
//!
//! Architecture invariant: a save is acknowledged only after its transaction committed, and
//! nothing sent to a candidate carries answer keys, explanations or rubrics (the paper is
//! built by `papers::model::candidate_paper`).

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Duration;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use shared::exams::{
    AnswerValue, AttemptStatus, AttemptSummary, AttemptView, CandidateExam, ExamState,
    ReleasePolicy, SaveAnswer, SavedAnswer, SubmitReason, SubmitReceipt,
};
use shared::labels::{answer_to_authored, answer_to_candidate};

use super::grading;
use super::integrity;
use super::model::{self as exam_model, ExamRow};
use crate::audit::{Actor, Outcome};
use crate::auth::AuthCandidate;
use crate::crypto::BlindIndex;
use crate::db::DbConnection;
use crate::db::schema::{attempt_answers, attempts, exam_assignments};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::{ClientInfo, Fields};
use crate::papers::generate::Arrangement;
use crate::papers::labels::Labels;
use crate::papers::model as paper_model;
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::{CandidateScope, OrgScope};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/candidate/exams").get(list_candidate_exams))
        .service(web::resource("/candidate/exams/{id}/attempts").post(start_attempt))
        .service(web::resource("/candidate/attempts/{id}").get(get_attempt))
        .service(web::resource("/candidate/attempts/{id}/answers/{question_id}").put(save_answer))
        .service(web::resource("/candidate/attempts/{id}/submit").post(submit_attempt));
    integrity::candidate_config(cfg);
}

/// The job kind that submits an attempt at its deadline.
pub const AUTO_SUBMIT: &str = "auto_submit";

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = attempts)]
pub struct AttemptRow {
    pub id: DbUuid,
    pub exam_id: DbUuid,
    pub candidate_id: DbUuid,
    pub number: i32,
    pub seed: String,
    pub arrangement: String,
    pub status: String,
    pub started_at: Timestamp,
    pub deadline: Timestamp,
    pub submitted_at: Option<Timestamp>,
    pub receipt: Option<String>,
    pub score_centi: Option<i32>,
    pub max_score_centi: i32,
    pub needs_manual_grading: bool,
    /// The portal session that last started or resumed the attempt.
    pub session_id: Option<DbUuid>,
    /// Whether only that session may work on it (the exam's `entry.single_device` then).
    pub single_device: bool,
    pub submitted_reason: Option<String>,
    pub last_activity_at: Option<Timestamp>,
    pub last_ip_enc: Option<Vec<u8>>,
}

impl AttemptRow {
    pub fn status(&self) -> AttemptStatus {
        AttemptStatus::parse(&self.status).unwrap_or(AttemptStatus::InProgress)
    }

    pub fn arrangement(&self) -> Result<Arrangement, ApiError> {
        Ok(serde_json::from_str(&self.arrangement).map_err(anyhow::Error::from)?)
    }
}

pub(crate) fn conflict(reason: &str) -> ApiError {
    ApiError::Conflict {
        detail: reason.to_owned(),
    }
}

/// Whether the attempt's score is released to its candidate under the exam's release policy.
pub(crate) fn released(row: &AttemptRow, exam: &ExamRow, now: Timestamp) -> bool {
    let status = row.status();
    match exam.settings.release_policy {
        ReleasePolicy::Immediately => status != AttemptStatus::InProgress,
        ReleasePolicy::AfterGrading => status == AttemptStatus::Graded,
        ReleasePolicy::AtTime => {
            status == AttemptStatus::Graded && exam.release_at().is_some_and(|t| t <= now)
        }
    }
}

/// The candidate's view of an attempt's result: the score once the release policy allows.
fn summary(row: &AttemptRow, exam: &ExamRow, now: Timestamp) -> AttemptSummary {
    let status = row.status();
    let released = released(row, exam, now);
    let score = row
        .score_centi
        .filter(|_| released)
        .map(|s| f64::from(s) / 100.0);
    AttemptSummary {
        id: row.id.to_string(),
        number: row.number,
        status,
        started_at: row.started_at.to_canonical_string(),
        deadline: row.deadline.to_canonical_string(),
        submitted_at: row.submitted_at.map(Timestamp::to_canonical_string),
        score,
        passed: score
            .filter(|_| status == AttemptStatus::Graded)
            .map(|s| s + 1e-9 >= exam.settings.pass_mark),
    }
}

pub(crate) fn find_attempt(
    conn: &mut DbConnection,
    me: &AuthCandidate,
    id: DbUuid,
) -> Result<AttemptRow, ApiError> {
    attempts::table
        .filter(attempts::org_id.eq(me.org_id))
        .filter(attempts::candidate_id.eq(me.candidate_id))
        .filter(attempts::id.eq(id))
        .select(AttemptRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Takes the attempt's row lock (PostgreSQL; SQLite transactions already hold the write lock),
/// so saves and submission of one attempt run one after another.
pub(crate) fn lock_attempt(conn: &mut DbConnection, id: DbUuid) -> QueryResult<()> {
    diesel::update(attempts::table.find(id))
        .set(attempts::status.eq(attempts::status))
        .execute(conn)?;
    Ok(())
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
        .run(move |conn| {
            let scope = cand.org_scope();
            let me = cand.me();
            let assigned: Vec<(DbUuid, i32)> = scoped!(exam_assignments, scope)
                .filter(exam_assignments::candidate_id.eq(me.candidate_id))
                .select((exam_assignments::exam_id, exam_assignments::extra_attempts))
                .load(conn)?;
            let ids: Vec<DbUuid> = assigned.iter().map(|a| a.0).collect();
            let exams = exam_model::find_many(conn, &scope, &ids)?;
            let rows: Vec<AttemptRow> = scoped!(attempts, scope)
                .filter(attempts::candidate_id.eq(me.candidate_id))
                .order(attempts::number)
                .select(AttemptRow::as_select())
                .load(conn)?;
            let now = Timestamp::now();
            Ok::<_, ApiError>(
                exams
                    .iter()
                    .map(|exam| {
                        let extra = assigned.iter().find(|a| a.0 == exam.id).map_or(0, |a| a.1);
                        let mine: Vec<&AttemptRow> =
                            rows.iter().filter(|r| r.exam_id == exam.id).collect();
                        let allowed =
                            exam.settings.attempts_allowed + u32::try_from(extra).unwrap_or(0);
                        let left = allowed.saturating_sub(mine.len() as u32);
                        let running = mine
                            .iter()
                            .any(|r| r.status() == AttemptStatus::InProgress && r.deadline > now);
                        let state = if running {
                            ExamState::InProgress
                        } else if now < exam.opens_at {
                            ExamState::Upcoming
                        } else if now <= exam.late_entry_until() && left > 0 {
                            ExamState::Open
                        } else {
                            ExamState::Closed
                        };
                        let summaries: Vec<AttemptSummary> =
                            mine.iter().map(|r| summary(r, exam, now)).collect();
                        let scores: Vec<f64> = summaries
                            .iter()
                            .filter(|s| s.status != AttemptStatus::InProgress)
                            .filter_map(|s| s.score)
                            .collect();
                        CandidateExam {
                            id: exam.id.to_string(),
                            name: exam.settings.name.clone(),
                            instructions: exam.settings.instructions.clone(),
                            opens_at: exam.settings.opens_at.clone(),
                            closes_at: exam.settings.closes_at.clone(),
                            duration_minutes: exam.settings.duration_minutes,
                            late_entry_until: exam.late_entry_until().to_canonical_string(),
                            state,
                            attempts_allowed: allowed,
                            attempts_left: left,
                            attempts: summaries,
                            score: grading::counting_score(exam.settings.scoring, &scores),
                        }
                    })
                    .collect(),
            )
        })
        .await?;
    Ok(web::Json(list))
}

/// The full view of an attempt: the paper without answer keys, the saved answers, the clock.
/// Ids of options, items, prompts and answers are the attempt's labels (`papers::labels`).
pub(crate) fn view(
    conn: &mut DbConnection,
    scope: &OrgScope,
    mac: &BlindIndex,
    exam: &ExamRow,
    row: &AttemptRow,
) -> Result<AttemptView, ApiError> {
    let (name, spec) = crate::papers::paper_for_attempt(conn, scope, exam.paper_id)?;
    let arrangement = row.arrangement()?;
    let keys = paper_model::arrangement_keys(&arrangement)?;
    let contents = paper_model::load_contents(conn, scope, &keys)?;
    let labels = Labels::Attempt {
        mac,
        attempt: row.id,
    };
    let paper = paper_model::build_candidate_paper(
        &contents,
        (exam.paper_id, &name),
        &spec,
        &arrangement,
        None,
        labels,
    )?;
    let versions: HashMap<DbUuid, i32> = keys.iter().copied().collect();
    let answers = load_answers(conn, row.id)?
        .into_iter()
        .map(|(question_id, answer, seq, saved_at)| {
            let answer = versions
                .get(&question_id)
                .and_then(|v| contents.get(&(question_id, *v)))
                .map_or(answer.clone(), |content| {
                    answer_to_candidate(
                        content,
                        &answer,
                        &labels.question(&question_id.to_string()),
                    )
                });
            SavedAnswer {
                question_id: question_id.to_string(),
                answer,
                seq,
                saved_at: saved_at.to_canonical_string(),
                applied: true,
            }
        })
        .collect();
    let now = Timestamp::now();
    Ok(AttemptView {
        summary: summary(row, exam, now),
        exam_id: exam.id.to_string(),
        exam_name: exam.settings.name.clone(),
        instructions: exam.settings.instructions.clone(),
        server_time: now.to_canonical_string(),
        paper,
        answers,
        receipt: row.receipt.clone(),
        integrity: shared::exams::IntegritySettings {
            ip_ranges: Vec::new(),
            ..exam.settings.integrity.clone()
        },
    })
}

pub(crate) type StoredAnswer = (DbUuid, AnswerValue, u64, Timestamp);

/// The stored answers of an attempt, by question id.
pub(crate) fn load_answers(
    conn: &mut DbConnection,
    attempt: DbUuid,
) -> Result<Vec<StoredAnswer>, ApiError> {
    let rows: Vec<(DbUuid, String, i64, Timestamp)> = attempt_answers::table
        .filter(attempt_answers::attempt_id.eq(attempt))
        .order(attempt_answers::question_id)
        .select((
            attempt_answers::question_id,
            attempt_answers::answer,
            attempt_answers::seq,
            attempt_answers::saved_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(q, a, seq, at)| {
            let answer: AnswerValue = serde_json::from_str(&a).map_err(anyhow::Error::from)?;
            Ok((q, answer, u64::try_from(seq).unwrap_or(0), at))
        })
        .collect()
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
        (status = 409, description = "`exam_not_open`, `exam_closed`, `late_entry_over` or `no_attempts_left`.", body = shared::ErrorBody),
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
    let (created, view) = state
        .transaction(move |conn, st| {
            let scope = cand.org_scope();
            let me = cand.me();
            let exam = exam_model::find(conn, &scope, exam_id)?;
            let (extra_minutes, extra_percent, extra_attempts): (i32, i32, i32) =
                scoped!(exam_assignments, scope)
                    .filter(exam_assignments::exam_id.eq(exam_id))
                    .filter(exam_assignments::candidate_id.eq(me.candidate_id))
                    .select((
                        exam_assignments::extra_minutes,
                        exam_assignments::extra_percent,
                        exam_assignments::extra_attempts,
                    ))
                    .first(conn)
                    .optional()?
                    .ok_or(ApiError::NotFound)?;
            let now = Timestamp::now();
            let mine: Vec<AttemptRow> = scoped!(attempts, scope)
                .filter(attempts::exam_id.eq(exam_id))
                .filter(attempts::candidate_id.eq(me.candidate_id))
                .order(attempts::number)
                .select(AttemptRow::as_select())
                .load(conn)?;
            let ip = client.ip.as_deref();
            integrity::require_ip(&exam, ip)?;
            if let Some(running) = mine
                .iter()
                .find(|r| r.status() == AttemptStatus::InProgress)
            {
                if running.deadline > now {
                    let single = exam.settings.entry.single_device;
                    if running.session_id != Some(me.session_id) || running.single_device != single
                    {
                        lock_attempt(conn, running.id)?;
                        diesel::update(attempts::table.find(running.id))
                            .set((
                                attempts::session_id.eq(Some(me.session_id)),
                                attempts::single_device.eq(single),
                            ))
                            .execute(conn)?;
                        if single && running.session_id.is_some_and(|s| s != me.session_id) {
                            // Another device takes the attempt over; the old one is refused.
                            let mut entry = client.audit(
                                Some(me.org_id),
                                Actor::Candidate(me.candidate_id),
                                "attempt.takeover",
                                Outcome::Success,
                                serde_json::json!({ "exam_id": exam_id.to_string() }),
                            );
                            entry.target_kind = Some("attempt");
                            entry.target_id = Some(running.id.to_string());
                            crate::audit::append(conn, &st.cipher, entry)?;
                        }
                    }
                    integrity::track_ip(conn, &st.cipher, running, ip)?;
                    let row = find_attempt(conn, me, running.id)?;
                    return Ok((false, view(conn, &scope, &st.bidx, &exam, &row)?));
                }
                // Past its deadline and not yet submitted by the queue: submit it now.
                finalise(conn, &scope, running.id, SubmitReason::Deadline)?;
            }
            if now < exam.opens_at {
                return Err(conflict("exam_not_open"));
            }
            if now >= exam.closes_at {
                return Err(conflict("exam_closed"));
            }
            if now > exam.late_entry_until() {
                return Err(conflict("late_entry_over"));
            }
            let allowed = i64::from(exam.settings.attempts_allowed) + i64::from(extra_attempts);
            if mine.len() as i64 >= allowed {
                return Err(conflict("no_attempts_left"));
            }
            // The first attempt takes the paper generated ahead of the start; each later one a
            // freshly drawn and shuffled paper.
            let first = mine.is_empty();
            let pregenerated = if first {
                crate::papers::instance_of(conn, &scope, exam.paper_id, me.candidate_id)?
            } else {
                Some(crate::papers::fresh_paper(conn, &scope, exam.paper_id)?)
            };
            let (seed, arrangement) = match pregenerated {
                Some(found) => found,
                None => {
                    crate::papers::pregenerate_for(
                        conn,
                        &scope,
                        exam.paper_id,
                        &[me.candidate_id],
                    )?;
                    crate::papers::instance_of(conn, &scope, exam.paper_id, me.candidate_id)?
                        .ok_or_else(|| anyhow::anyhow!("paper not generated"))?
                }
            };
            let parsed: Arrangement =
                serde_json::from_str(&arrangement).map_err(anyhow::Error::from)?;
            let max: i64 = parsed
                .iter()
                .flatten()
                .map(|p| i64::from(p.points_centi))
                .sum();
            let duration = i64::from(exam.settings.duration_minutes);
            let extra_secs =
                i64::from(extra_minutes) * 60 + duration * 60 * i64::from(extra_percent) / 100;
            let deadline = Timestamp::from(
                (now.0 + Duration::minutes(duration) + Duration::seconds(extra_secs))
                    .min(exam.closes_at.0),
            );
            let id = DbUuid::new_v7();
            diesel::insert_into(attempts::table)
                .values((
                    attempts::id.eq(id),
                    attempts::org_id.eq(me.org_id),
                    attempts::exam_id.eq(exam_id),
                    attempts::candidate_id.eq(me.candidate_id),
                    attempts::number.eq(mine.len() as i32 + 1),
                    attempts::seed.eq(&seed),
                    attempts::arrangement.eq(&arrangement),
                    attempts::status.eq(AttemptStatus::InProgress.as_str()),
                    attempts::started_at.eq(now),
                    attempts::deadline.eq(deadline),
                    attempts::max_score_centi.eq(i32::try_from(max).unwrap_or(i32::MAX)),
                    attempts::session_id.eq(Some(me.session_id)),
                    attempts::single_device.eq(exam.settings.entry.single_device),
                    attempts::last_activity_at.eq(Some(now)),
                ))
                .execute(conn)?;
            integrity::set_last_ip(conn, &st.cipher, id, ip)?;
            enqueue_deadline(conn, me.org_id, id, deadline)?;
            let row = find_attempt(conn, me, id)?;
            Ok((true, view(conn, &scope, &st.bidx, &exam, &row)?))
        })
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
            let me = cand.me();
            let mut row = find_attempt(conn, me, id)?;
            let exam = exam_of(conn, &scope, row.exam_id)?;
            integrity::require_ip(&exam, client.ip.as_deref())?;
            cand.require_device(row.single_device, row.session_id)?;
            if row.status() == AttemptStatus::InProgress && row.deadline <= Timestamp::now() {
                finalise(conn, &scope, id, SubmitReason::Deadline)?;
                row = find_attempt(conn, me, id)?;
            }
            view(conn, &scope, &st.bidx, &exam, &row)
        })
        .await?;
    Ok(web::Json(view))
}

/// Queues the job that submits the attempt at `deadline`.
pub(crate) fn enqueue_deadline(
    conn: &mut DbConnection,
    org: DbUuid,
    attempt: DbUuid,
    deadline: Timestamp,
) -> QueryResult<DbUuid> {
    crate::jobs::enqueue(
        conn,
        AUTO_SUBMIT,
        deadline,
        &serde_json::json!({ "attempt_id": attempt.to_string(), "org_id": org.to_string() }),
    )
}

/// The exam of an attempt (404 once the exam is deleted).
pub(crate) fn exam_of(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<ExamRow, ApiError> {
    Ok(exam_model::find(conn, scope, id)?)
}

/// The question of an arrangement with its pinned version and points.
fn placed_question(arrangement: &Arrangement, question: &str) -> Option<(i32, i32)> {
    arrangement
        .iter()
        .flatten()
        .find(|p| p.question_id == question)
        .map(|p| (p.version, p.points_centi))
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
    let (id, question) = (DbUuid(id), DbUuid(question));
    let input = body.into_inner();
    let seq = i64::try_from(input.seq).map_err(|_| Fields::single("seq", "out_of_range"))?;
    let client = ClientInfo::of(&req);
    let outcome = state
        .transaction(move |conn, st| {
            let scope = cand.org_scope();
            let me = cand.me();
            find_attempt(conn, me, id)?;
            // Read again under the lock: a submission may have committed in between.
            lock_attempt(conn, id)?;
            let row = find_attempt(conn, me, id)?;
            let exam = exam_of(conn, &scope, row.exam_id)?;
            let ip = client.ip.as_deref();
            integrity::require_ip(&exam, ip)?;
            cand.require_device(row.single_device, row.session_id)?;
            integrity::track_ip(conn, &st.cipher, &row, ip)?;
            let (version, _) = placed_question(&row.arrangement()?, &question.to_string())
                .ok_or(ApiError::NotFound)?;
            let contents =
                crate::papers::model::load_contents(conn, &scope, &[(question, version)])?;
            let content = contents
                .get(&(question, version))
                .ok_or_else(|| anyhow::anyhow!("question version missing"))?;
            // The candidate names ids by the attempt's labels; stored answers use authored ids.
            let labels = Labels::Attempt {
                mac: &st.bidx,
                attempt: id,
            }
            .question(&question.to_string());
            let given = answer_to_authored(content, &input.answer, &labels)
                .ok_or_else(|| Fields::single("answer", "unknown_id"))?;
            grading::check_shape(content, &given)
                .map_err(|reason| Fields::single("answer", reason))?;
            let stored: Option<(String, i64, Timestamp)> = attempt_answers::table
                .filter(attempt_answers::attempt_id.eq(id))
                .filter(attempt_answers::question_id.eq(question))
                .select((
                    attempt_answers::answer,
                    attempt_answers::seq,
                    attempt_answers::saved_at,
                ))
                .first(conn)
                .optional()?;
            let json = serde_json::to_string(&given).map_err(anyhow::Error::from)?;
            if let Some((answer, stored_seq, saved_at)) = &stored
                && *stored_seq >= seq
            {
                // An old or replayed save: the stored answer stands.
                let answer: AnswerValue =
                    serde_json::from_str(answer).map_err(anyhow::Error::from)?;
                let replay = *stored_seq == seq && answer == given;
                return Ok(Ok(SavedAnswer {
                    question_id: question.to_string(),
                    answer: answer_to_candidate(content, &answer, &labels),
                    seq: u64::try_from(*stored_seq).unwrap_or(0),
                    saved_at: saved_at.to_canonical_string(),
                    applied: replay,
                }));
            }
            let now = Timestamp::now();
            if row.status() != AttemptStatus::InProgress {
                return Err(conflict("attempt_submitted"));
            }
            if row.deadline <= now {
                return Err(conflict("deadline_passed"));
            }
            if integrity::idle_exceeded(&exam, &row, now) {
                // Idle past the exam's timeout: submitted now (committed), then refused.
                finalise(conn, &scope, id, SubmitReason::IntegrityLimit)?;
                return Ok(Err(conflict("attempt_submitted")));
            }
            if stored.is_some() {
                diesel::update(
                    attempt_answers::table
                        .filter(attempt_answers::attempt_id.eq(id))
                        .filter(attempt_answers::question_id.eq(question)),
                )
                .set((
                    attempt_answers::answer.eq(&json),
                    attempt_answers::seq.eq(seq),
                    attempt_answers::saved_at.eq(now),
                ))
                .execute(conn)?;
            } else {
                diesel::insert_into(attempt_answers::table)
                    .values((
                        attempt_answers::attempt_id.eq(id),
                        attempt_answers::question_id.eq(question),
                        attempt_answers::org_id.eq(me.org_id),
                        attempt_answers::answer.eq(&json),
                        attempt_answers::seq.eq(seq),
                        attempt_answers::saved_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            integrity::touch(conn, id, now)?;
            Ok(Ok(SavedAnswer {
                question_id: question.to_string(),
                answer: input.answer,
                seq: input.seq,
                saved_at: now.to_canonical_string(),
                applied: true,
            }))
        })
        .await?;
    Ok(web::Json(outcome?))
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
        .transaction(move |conn, st| {
            let scope = cand.org_scope();
            let me = cand.me();
            find_attempt(conn, me, id)?;
            lock_attempt(conn, id)?;
            let row = find_attempt(conn, me, id)?;
            let exam = exam_of(conn, &scope, row.exam_id)?;
            let ip = client.ip.as_deref();
            integrity::require_ip(&exam, ip)?;
            cand.require_device(row.single_device, row.session_id)?;
            integrity::track_ip(conn, &st.cipher, &row, ip)?;
            // Past its deadline, the submission is the deadline's.
            let reason = if row.deadline <= Timestamp::now() {
                SubmitReason::Deadline
            } else {
                SubmitReason::Candidate
            };
            finalise(conn, &scope, id, reason)?;
            let row = find_attempt(conn, me, id)?;
            let answer_count: i64 = attempt_answers::table
                .filter(attempt_answers::attempt_id.eq(id))
                .count()
                .get_result(conn)?;
            let s = summary(&row, &exam, Timestamp::now());
            Ok(SubmitReceipt {
                attempt_id: id.to_string(),
                submitted_at: s.submitted_at.unwrap_or_default(),
                answer_count,
                receipt: row.receipt.unwrap_or_default(),
                status: s.status,
                score: s.score,
            })
        })
        .await?;
    Ok(web::Json(receipt))
}

/// The deadline job of an attempt: submits it if its deadline has come. A proctor may have
/// moved the deadline later since the job was queued; then the job queues itself again for the
/// new deadline and submits nothing, so an older job is harmless.
pub fn deadline_reached(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<(), ApiError> {
    lock_attempt(conn, id)?;
    let (status, deadline): (String, Timestamp) = scoped!(attempts, scope)
        .filter(attempts::id.eq(id))
        .select((attempts::status, attempts::deadline))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    if status != AttemptStatus::InProgress.as_str() {
        return Ok(());
    }
    if deadline > Timestamp::now() {
        enqueue_deadline(conn, scope.org_id(), id, deadline)?;
        return Ok(());
    }
    finalise(conn, scope, id, SubmitReason::Deadline)
}

/// SHA-256 (hex) over the attempt id and the stored answers in question-id order, one line
/// each: `question_id`, `seq` and the answer's JSON, tab-separated.
pub fn receipt_of(attempt: DbUuid, answers: &[StoredAnswer]) -> String {
    let mut hash = Sha256::new();
    hash.update(attempt.to_string().as_bytes());
    hash.update(b"\n");
    let mut sorted: Vec<&StoredAnswer> = answers.iter().collect();
    sorted.sort_by_key(|a| a.0.to_string());
    for (question, answer, seq, _) in sorted {
        let json = serde_json::to_string(answer).unwrap_or_default();
        hash.update(format!("{question}\t{seq}\t{json}\n").as_bytes());
    }
    hex::encode(hash.finalize())
}

/// Submits and grades the attempt if it is still in progress; does nothing otherwise, so the
/// candidate's submit, a late request, the deadline job, an integrity limit and a proctor may
/// all call it. `reason` is recorded; anything but the candidate marks it auto-submitted.
pub fn finalise(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    reason: SubmitReason,
) -> Result<(), ApiError> {
    let auto = reason != SubmitReason::Candidate;
    lock_attempt(conn, id)?;
    let row: AttemptRow = scoped!(attempts, scope)
        .filter(attempts::id.eq(id))
        .select(AttemptRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    if row.status() != AttemptStatus::InProgress {
        return Ok(());
    }
    let exam = exam_of(conn, scope, row.exam_id)?;
    let arrangement = row.arrangement()?;
    let answers = load_answers(conn, id)?;
    let by_question: HashMap<String, &AnswerValue> = answers
        .iter()
        .map(|(q, a, _, _)| (q.to_string(), a))
        .collect();
    let mut wanted = Vec::new();
    for p in arrangement.iter().flatten() {
        let q = uuid::Uuid::parse_str(&p.question_id).map_err(anyhow::Error::from)?;
        wanted.push((DbUuid(q), p.version));
    }
    let contents = crate::papers::model::load_contents(conn, scope, &wanted)?;
    let mut earned = 0.0;
    let mut manual = false;
    let mut per_question = Vec::new();
    for (p, key) in arrangement.iter().flatten().zip(&wanted) {
        let content = contents
            .get(key)
            .ok_or_else(|| anyhow::anyhow!("question version missing"))?;
        let g = grading::grade(
            content,
            f64::from(p.points_centi) / 100.0,
            by_question.get(&p.question_id).copied(),
            exam.negative_fraction(),
        );
        earned += g.earned;
        manual |= g.needs_manual;
        per_question.push(serde_json::json!({
            "question_id": p.question_id, "earned": g.earned, "max": g.max,
            "needs_manual": g.needs_manual,
        }));
    }
    let status = if manual {
        AttemptStatus::Submitted
    } else {
        AttemptStatus::Graded
    };
    let score = (earned * 100.0).round() as i32;
    diesel::update(
        attempts::table
            .filter(attempts::id.eq(id))
            .filter(attempts::status.eq(AttemptStatus::InProgress.as_str())),
    )
    .set((
        attempts::status.eq(status.as_str()),
        attempts::submitted_at.eq(Some(Timestamp::now())),
        attempts::auto_submitted.eq(auto),
        attempts::receipt.eq(Some(receipt_of(id, &answers))),
        attempts::score_centi.eq(Some(score)),
        attempts::needs_manual_grading.eq(manual),
        attempts::grading.eq(Some(serde_json::Value::Array(per_question).to_string())),
        attempts::submitted_reason.eq(Some(reason.as_str())),
    ))
    .execute(conn)?;
    Ok(())
}
