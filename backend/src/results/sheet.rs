//! The score sheet of one attempt: each question with the candidate's answer, the key as
//! authored, the points and the graders' comments to the candidate. For the organisation's
//! eyes (permission `exams:read`); the candidate's own view is the review
//! (`exams::review`), which shows the same comments.

use std::collections::HashMap;

use diesel::prelude::*;
use shared::exams::AttemptStatus;
use shared::results::{GraderComment, ReviewState, ScoreSheet, ScoreSheetItem};

use crate::db::DbConnection;
use crate::db::schema::{attempts, grading_items, grading_marks};
use crate::db::types::DbUuid;
use crate::errors::ModelError;
use crate::exams::attempts::model as attempt_model;
use crate::papers::candidate::{arrangement_keys, load_contents};
use crate::scoped;
use crate::tenancy::OrgScope;

/// One question's grading as stored in `attempts.grading`.
#[derive(serde::Deserialize)]
struct Graded {
    question_id: String,
    earned: f64,
    #[serde(default)]
    needs_manual: bool,
    /// A grader's marks on essay parts.
    #[serde(default)]
    manual: Option<f64>,
    /// Sent for review: `points` once the graders decided.
    #[serde(default)]
    review: Option<serde_json::Value>,
    #[serde(default, rename = "override")]
    overridden: Option<serde_json::Value>,
}

impl Graded {
    /// Points from automatic grading (or an admin's override of it): no person marks them.
    fn auto_graded(&self) -> bool {
        !self.needs_manual && self.manual.is_none()
    }

    /// Where a review stands. A decided review an admin overrode later shows as overridden,
    /// not reviewed (the later act wins).
    fn review(&self) -> Option<ReviewState> {
        let review = self.review.as_ref()?;
        match (review.get("points").is_some(), self.overridden.is_some()) {
            (false, _) => Some(ReviewState::InReview),
            (true, false) => Some(ReviewState::Reviewed),
            (true, true) => None,
        }
    }
}

/// The comments to the candidate on the decided items of `attempt`'s current submission, by
/// question id: the arbiter's where there is one, else every grader's non-empty comment.
pub fn comments_of(
    conn: &mut DbConnection,
    scope: &OrgScope,
    attempt: DbUuid,
) -> QueryResult<HashMap<String, Vec<GraderComment>>> {
    let submitted: Option<crate::db::types::Timestamp> = scoped!(attempts, scope)
        .filter(attempts::id.eq(attempt))
        .select(attempts::submitted_at)
        .first(conn)
        .optional()?
        .flatten();
    let Some(submitted) = submitted else {
        return Ok(HashMap::new());
    };
    let rows: Vec<(DbUuid, DbUuid, i32, bool, String)> = scoped!(grading_items, scope)
        .inner_join(grading_marks::table)
        .filter(grading_items::attempt_id.eq(attempt))
        .filter(grading_items::attempt_submitted_at.eq(submitted))
        .filter(grading_items::status.eq("done"))
        .order((
            grading_items::question_id.asc(),
            grading_items::part.asc(),
            grading_marks::created_at.asc(),
        ))
        .select((
            grading_items::id,
            grading_items::question_id,
            grading_items::part,
            grading_marks::arbiter,
            grading_marks::comment,
        ))
        .load(conn)?;
    let arbitrated: std::collections::HashSet<DbUuid> =
        rows.iter().filter(|r| r.3).map(|r| r.0).collect();
    let mut out: HashMap<String, Vec<GraderComment>> = HashMap::new();
    for (item, question, part, arbiter, comment) in rows {
        if comment.trim().is_empty() || (arbitrated.contains(&item) && !arbiter) {
            continue;
        }
        out.entry(question.to_string())
            .or_default()
            .push(GraderComment {
                part: u32::try_from(part).ok(),
                comment,
            });
    }
    Ok(out)
}

/// The score sheet of attempt `id` of exam `exam` (404 for an attempt of another exam).
pub fn score_sheet(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: &crate::exams::model::ExamRow,
    id: DbUuid,
    candidate_name: Option<String>,
) -> Result<ScoreSheet, ModelError> {
    let row = attempt_model::find(conn, scope, id)
        .optional()?
        .filter(|r| r.exam_id == exam.id)
        .ok_or(ModelError::NotFound)?;
    let arrangement = row.arrangement()?;
    let wanted = arrangement_keys(&arrangement)?;
    let contents = load_contents(conn, scope, &wanted)?;
    let grading: Vec<Graded> = attempt_model::grading_entries(conn, scope, id)?;
    let mut answers: HashMap<DbUuid, shared::exams::AnswerValue> =
        attempt_model::load_answers(conn, id)?
            .into_iter()
            .map(|(q, a, _, _)| (q, a))
            .collect();
    let mut comments = comments_of(conn, scope, id)?;
    let finished = row.status() != AttemptStatus::InProgress;
    let mut items = Vec::with_capacity(wanted.len());
    for (i, (p, key)) in arrangement.iter().flatten().zip(&wanted).enumerate() {
        let question = contents
            .get(key)
            .ok_or_else(|| anyhow::anyhow!("question version missing"))?
            .clone();
        let graded = grading.iter().find(|g| g.question_id == p.question_id);
        items.push(ScoreSheetItem {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            question_id: p.question_id.clone(),
            version: p.version,
            question,
            answer: answers.remove(&key.0),
            points: f64::from(p.points_centi) / 100.0,
            earned: graded.filter(|g| !g.needs_manual).map(|g| g.earned),
            needs_manual: graded.is_some_and(|g| g.needs_manual),
            auto_graded: finished && graded.is_some_and(Graded::auto_graded),
            review: graded.and_then(Graded::review),
            comments: comments.remove(&p.question_id).unwrap_or_default(),
        });
    }
    let score = row
        .score_centi
        .filter(|_| finished)
        .map(|s| f64::from(s) / 100.0);
    Ok(ScoreSheet {
        attempt_id: id.to_string(),
        exam_id: exam.id.to_string(),
        exam_name: exam.settings.name.clone(),
        candidate_id: row.candidate_id.to_string(),
        candidate_name,
        number: row.number,
        status: row.status(),
        score,
        max_score: f64::from(row.max_score_centi) / 100.0,
        passed: score
            .filter(|_| row.status() == AttemptStatus::Graded)
            .map(|s| s + 1e-9 >= exam.settings.pass_mark),
        started_at: row.started_at.to_canonical_string(),
        submitted_at: row.submitted_at.map(|t| t.to_canonical_string()),
        items,
    })
}
