//! Grading one question of a finished attempt again against another version of it, without
//! writing: the preview and the job share this, and both grade with `exams::grading::grade`.
//!
//! What is recomputed is the automatic part of the question's points; a grader's marks (an
//! essay, or the essay parts of a composite question) are kept as they are, and a question
//! that is an essay is not re-graded at all; nor is a question an admin overrode or sent for
//! review (its points are theirs or the graders'). The question's points in the attempt follow the
//! new version when the paper used the question's own points (the points pinned in the
//! attempt equal those of the version it was drawn with); points the paper set itself are
//! kept.

use std::collections::HashMap;

use anyhow::Context;
use diesel::prelude::*;
use shared::exams::{AnswerValue, AttemptStatus};
use shared::questions::{QuestionContent, QuestionType};
use shared::regrade::{RegradeDifference, RegradeScore};

use crate::db::DbConnection;
use crate::db::schema::{attempt_answers, attempts, question_versions};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::exams::attempts::view::released_status;
use crate::exams::grading;
use crate::exams::model::ExamRow;
use crate::papers::generate::Arrangement;
use crate::scoped;
use crate::tenancy::OrgScope;

/// The version attempts are graded against.
pub struct Target {
    pub question_id: DbUuid,
    pub version: i32,
    pub content: QuestionContent,
    pub points_centi: i32,
    /// Each version's own points.
    own_points: HashMap<i32, i32>,
}

/// `version` of a question of the scope (`None`: its current one), or 404.
pub fn target(
    conn: &mut DbConnection,
    scope: &OrgScope,
    question: DbUuid,
    version: Option<i32>,
) -> Result<Target, ModelError> {
    let version = match version {
        Some(v) => v,
        None => crate::questions::model::find(conn, scope, question)?.2,
    };
    let rows: Vec<(i32, i32, String)> = scoped!(question_versions, scope)
        .filter(question_versions::question_id.eq(question))
        .select((
            question_versions::version,
            question_versions::points_centi,
            question_versions::content,
        ))
        .load(conn)?;
    let (_, points_centi, content) = rows
        .iter()
        .find(|r| r.0 == version)
        .ok_or(ModelError::NotFound)?;
    let content: QuestionContent = serde_json::from_str(content).context("question content")?;
    Ok(Target {
        question_id: question,
        version,
        content,
        points_centi: *points_centi,
        own_points: rows.iter().map(|r| (r.0, r.1)).collect(),
    })
}

/// Exams loaded once each (`None`: deleted since; its attempts are skipped).
pub type Exams = HashMap<DbUuid, Option<ExamRow>>;

/// The exam `id` through the cache.
pub fn exam_of<'a>(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exams: &'a mut Exams,
    id: DbUuid,
) -> Result<Option<&'a ExamRow>, ModelError> {
    let exam = match exams.entry(id) {
        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(match crate::exams::model::find(conn, scope, id) {
                Ok(exam) => Some(exam),
                Err(ModelError::NotFound) => None,
                Err(e) => return Err(e),
            })
        }
    };
    Ok(exam.as_ref())
}

/// What re-grading reads of a finished attempt.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = attempts)]
pub struct Finished {
    pub id: DbUuid,
    pub exam_id: DbUuid,
    pub candidate_id: DbUuid,
    pub number: i32,
    pub status: String,
    pub arrangement: String,
    pub score_centi: Option<i32>,
    pub max_score_centi: i32,
    pub grading: Option<String>,
}

/// Finished attempts (submitted or graded) whose paper holds `question`, in id order after
/// `after`, at most `limit`; only of `exams` unless that is empty.
pub fn finished_batch(
    conn: &mut DbConnection,
    scope: &OrgScope,
    question: DbUuid,
    exams: &[DbUuid],
    after: Option<DbUuid>,
    limit: i64,
) -> QueryResult<Vec<Finished>> {
    // The arrangement is JSON text; the pattern narrows the rows, `recompute` parses them.
    let pattern = format!("%\"question_id\":\"{question}\"%");
    let mut query = scoped!(attempts, scope)
        .filter(attempts::status.eq_any([
            AttemptStatus::Submitted.as_str(),
            AttemptStatus::Graded.as_str(),
        ]))
        .filter(attempts::arrangement.like(pattern))
        .select(Finished::as_select())
        .order(attempts::id)
        .limit(limit)
        .into_boxed();
    if !exams.is_empty() {
        query = query.filter(attempts::exam_id.eq_any(exams.to_vec()));
    }
    if let Some(after) = after {
        query = query.filter(attempts::id.gt(after));
    }
    query.load(conn)
}

/// One finished attempt of the scope, if it still is one.
pub fn finished(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> QueryResult<Option<Finished>> {
    scoped!(attempts, scope)
        .filter(attempts::id.eq(id))
        .filter(attempts::status.eq_any([
            AttemptStatus::Submitted.as_str(),
            AttemptStatus::Graded.as_str(),
        ]))
        .select(Finished::as_select())
        .first(conn)
        .optional()
}

/// The stored answers to `question` of these attempts.
pub fn answers_of(
    conn: &mut DbConnection,
    scope: &OrgScope,
    question: DbUuid,
    attempts: &[DbUuid],
) -> Result<HashMap<DbUuid, AnswerValue>, ModelError> {
    let rows: Vec<(DbUuid, String)> = scoped!(attempt_answers, scope)
        .filter(attempt_answers::question_id.eq(question))
        .filter(attempt_answers::attempt_id.eq_any(attempts.to_vec()))
        .select((attempt_answers::attempt_id, attempt_answers::answer))
        .load(conn)?;
    let mut out = HashMap::with_capacity(rows.len());
    for (attempt, answer) in rows {
        let answer: AnswerValue = serde_json::from_str(&answer).context("stored answer")?;
        out.insert(attempt, answer);
    }
    Ok(out)
}

/// An attempt's result before and after, and what to write when it changes.
#[derive(Debug, Clone)]
pub struct Recomputed {
    pub before: RegradeScore,
    pub after: RegradeScore,
    pub released: bool,
    /// The attempt's new `grading` column, score and maximum.
    pub grading: String,
    pub score_centi: i32,
    pub max_score_centi: i32,
}

impl Recomputed {
    /// The change as the preview and the run list it: the attempt by its ids, before and
    /// after. Names are added for the reader (`handlers::with_names`), never stored.
    pub fn difference(&self, attempt: &Finished) -> RegradeDifference {
        RegradeDifference {
            attempt_id: attempt.id.to_string(),
            attempt_number: attempt.number,
            exam_id: attempt.exam_id.to_string(),
            candidate_id: attempt.candidate_id.to_string(),
            account: None,
            name: None,
            released: self.released,
            before: self.before.clone(),
            after: self.after.clone(),
        }
    }
}

fn centi(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

fn score(question: i64, question_max: i64, total: i64, max: i64, pass_mark: f64) -> RegradeScore {
    let (total, max) = (total as f64 / 100.0, max as f64 / 100.0);
    RegradeScore {
        question_points: question as f64 / 100.0,
        question_max: question_max as f64 / 100.0,
        score: total,
        max_score: max,
        percent: if max > 0.0 {
            (total / max * 10_000.0).round() / 100.0
        } else {
            0.0
        },
        passed: total + 1e-9 >= pass_mark,
    }
}

/// Grades the attempt's answer to the target question again. `None` when the attempt did not
/// use the question or nothing of its result changes.
pub fn recompute(
    attempt: &Finished,
    exam: &ExamRow,
    target: &Target,
    answer: Option<&AnswerValue>,
    now: Timestamp,
) -> Result<Option<Recomputed>, ModelError> {
    if target.content.question_type() == QuestionType::Essay {
        return Ok(None);
    }
    let arrangement: Arrangement =
        serde_json::from_str(&attempt.arrangement).context("attempt arrangement")?;
    let id = target.question_id.to_string();
    let Some(placed) = arrangement.iter().flatten().find(|p| p.question_id == id) else {
        return Ok(None);
    };
    let points = if target.own_points.get(&placed.version) == Some(&placed.points_centi) {
        target.points_centi
    } else {
        placed.points_centi
    };
    let mut entries: Vec<serde_json::Value> = match attempt.grading.as_deref() {
        Some(text) => serde_json::from_str(text).context("attempt grading")?,
        None => return Ok(None),
    };
    let Some(entry) = entries
        .iter_mut()
        .find(|e| e["question_id"].as_str() == Some(id.as_str()))
    else {
        return Ok(None);
    };
    // An admin's override (with its reason) stands until they change it, and so do the
    // graders' mark on an answer sent for review (from the request on).
    if entry.get("override").is_some() || entry.get("review").is_some() {
        return Ok(None);
    }
    let before_earned = centi(entry["earned"].as_f64().unwrap_or(0.0));
    let before_max = entry["max"]
        .as_f64()
        .map_or(i64::from(placed.points_centi), centi);
    // A grader's marks stay what they were.
    let manual = centi(entry["manual"].as_f64().unwrap_or(0.0));
    let g = grading::grade(
        &target.content,
        f64::from(points) / 100.0,
        answer,
        exam.negative_fraction(),
    );
    let after_earned = centi(g.earned) + manual;
    let after_max = i64::from(points);
    if after_earned == before_earned && after_max == before_max {
        return Ok(None);
    }
    entry["earned"] = serde_json::json!(after_earned as f64 / 100.0);
    entry["max"] = serde_json::json!(after_max as f64 / 100.0);
    entry["regraded_version"] = serde_json::json!(target.version);
    let total_before = i64::from(attempt.score_centi.unwrap_or(0));
    let total_after = total_before - before_earned + after_earned;
    let max_before = i64::from(attempt.max_score_centi);
    let max_after = max_before - before_max + after_max;
    let pass = exam.settings.pass_mark;
    let status = AttemptStatus::parse(&attempt.status).unwrap_or(AttemptStatus::Submitted);
    Ok(Some(Recomputed {
        before: score(before_earned, before_max, total_before, max_before, pass),
        after: score(after_earned, after_max, total_after, max_after, pass),
        released: released_status(status, exam, now),
        grading: serde_json::to_string(&entries).context("attempt grading")?,
        score_centi: i32::try_from(total_after).unwrap_or(i32::MAX),
        max_score_centi: i32::try_from(max_after).unwrap_or(i32::MAX),
    }))
}
