//! Answer review (`GET /api/candidate/attempts/{id}/review`): a finished attempt's questions
//! with the candidate's answers beside the keys, explanations and points earned, when the
//! exam's review policy allows — `never`; `after_release` (the score is released under the
//! release policy); `after_close` (the exam has closed). Never while the candidate has an
//! attempt at the exam in progress, and never while they could still start another one (an
//! attempt left, the exam open, late entry not over), so keys never reach a later attempt
//! either; a later attempt also gets a freshly drawn paper. Ids are the attempt's labels.

use std::collections::{HashMap, HashSet};

use actix_web::web;
use diesel::prelude::*;
use serde::Deserialize;
use shared::exams::{AttemptReview, ReviewItem};
use shared::labels::{answer_to_candidate, content_to_candidate};

use super::attempts::model as attempts;
use super::attempts::view::review_open;
use crate::crypto::BlindIndex;
use crate::db::DbConnection;
use crate::db::schema::question_versions;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, ModelError};
use crate::papers::candidate as paper_model;
use crate::papers::labels::Labels;
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::CandidateScope;

pub fn candidate_config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/candidate/attempts/{id}/review").get(review_attempt));
}

/// One question's entry in `attempts.grading`.
#[derive(Deserialize)]
struct Graded {
    question_id: String,
    earned: f64,
    #[serde(default)]
    needs_manual: bool,
}

#[utoipa::path(
    get,
    path = "/api/candidate/attempts/{id}/review",
    operation_id = "review_attempt",
    tag = "attempts",
    security(("portal_cookie" = [])),
    params(("id" = String, Path, description = "The attempt id.")),
    responses(
        (status = 200, description = "The paper as the candidate saw it, and per question the candidate's answer, the question with its key, the explanation, the points and the points earned. Ids are the attempt's labels throughout (paper, answer and key).", body = AttemptReview),
        (status = 401, description = "Not signed in to the portal.", body = shared::ErrorBody),
        (status = 404, description = "No such attempt of this candidate.", body = shared::ErrorBody),
        (status = 409, description = "`review_not_available`: the attempt is not finished, the candidate has an attempt at the exam in progress or could still start another one (attempts left while the exam is open), or the review policy does not allow it yet (`never`; `after_release` before the score is released; `after_close` before the exam closes).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn review_attempt(
    cand: CandidateScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<AttemptReview>, ApiError> {
    let id = DbUuid(path.into_inner());
    let mac = state.bidx.clone();
    let review = state
        .db
        .run(move |conn| Ok::<_, ApiError>(review(conn, &mac, &cand, id)?))
        .await?;
    Ok(web::Json(review))
}

/// The candidate's review of attempt `id`, if the exam's review policy allows it now and the
/// candidate can start no other attempt (409 `review_not_available` otherwise).
fn review(
    conn: &mut DbConnection,
    mac: &BlindIndex,
    cand: &CandidateScope,
    id: DbUuid,
) -> Result<AttemptReview, ModelError> {
    let scope = cand.org_scope();
    let me = cand.me();
    let row = attempts::find_own(conn, me, id)?;
    let exam = super::model::find(conn, &scope, row.exam_id)?;
    let now = Timestamp::now();
    if !review_open(conn, &scope, &exam, &row, now)? {
        return Err(ModelError::Conflict("review_not_available"));
    }
    // From here the candidate sees the keys: recorded, so that no later attempt or reopening
    // can be answered with them.
    attempts::mark_keys_shown(conn, &scope, id, now)?;
    let (name, spec) = crate::papers::model::paper_for_attempt(conn, &scope, exam.paper_id)?;
    let arrangement = row.arrangement()?;
    let wanted = paper_model::arrangement_keys(&arrangement)?;
    let contents = paper_model::load_contents(conn, &scope, &wanted)?;
    let labels = Labels::Attempt { mac, attempt: id };
    let paper = paper_model::build_candidate_paper(
        &contents,
        (exam.paper_id, &name),
        &spec,
        &arrangement,
        None,
        labels,
    )?;
    let want: HashSet<(DbUuid, i32)> = wanted.iter().copied().collect();
    let ids: Vec<DbUuid> = want.iter().map(|k| k.0).collect();
    let mut explanations: HashMap<(DbUuid, i32), String> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(DbUuid, i32, String)> = scoped!(question_versions, scope)
            .filter(question_versions::question_id.eq_any(chunk))
            .select((
                question_versions::question_id,
                question_versions::version,
                question_versions::explanation,
            ))
            .load(conn)?;
        explanations.extend(
            rows.into_iter()
                .filter(|(q, v, _)| want.contains(&(*q, *v)))
                .map(|(q, v, e)| ((q, v), e)),
        );
    }
    let grading: Vec<Graded> = attempts::grading_entries(conn, &scope, id)?;
    let mut answers: HashMap<DbUuid, shared::exams::AnswerValue> =
        attempts::load_answers(conn, id)?
            .into_iter()
            .map(|(q, a, _, _)| (q, a))
            .collect();
    let mut comments = crate::results::sheet::comments_of(conn, &scope, id)?;
    let mut items = Vec::with_capacity(wanted.len());
    for (i, (p, key)) in arrangement.iter().flatten().zip(&wanted).enumerate() {
        let content = contents
            .get(key)
            .ok_or_else(|| anyhow::anyhow!("question version missing"))?;
        let graded = grading.iter().find(|g| g.question_id == p.question_id);
        let ids = labels.question(&p.question_id);
        items.push(ReviewItem {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            question_id: p.question_id.clone(),
            correct: content_to_candidate(content, &ids),
            explanation: explanations.remove(key).unwrap_or_default(),
            answer: answers
                .remove(&key.0)
                .map(|a| answer_to_candidate(content, &a, &ids)),
            points: f64::from(p.points_centi) / 100.0,
            earned: graded.map(|g| g.earned),
            needs_manual: graded.is_some_and(|g| g.needs_manual),
            comments: comments.remove(&p.question_id).unwrap_or_default(),
        });
    }
    Ok(AttemptReview {
        attempt_id: id.to_string(),
        exam_id: exam.id.to_string(),
        exam_name: exam.settings.name.clone(),
        status: row.status(),
        score: row.score_centi.map(|s| f64::from(s) / 100.0),
        max_score: f64::from(row.max_score_centi) / 100.0,
        paper,
        items,
    })
}
