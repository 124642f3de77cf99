//! Marks in the database: a grader's mark on an item, the decision it leads to (the mean of
//! agreeing marks, an arbiter when they differ by more than the tolerance), and the attempt's
//! score once every item of it is done. Nothing here knows about HTTP.
//!
//! Architecture invariant: an attempt's score changes only here (and in `exams::attempts` at
//! submission), in the same transaction as the mark that completes it.

use diesel::prelude::*;
use shared::exams::AttemptStatus;
use shared::grading::{ItemOrigin, ItemStatus, MarkingSettings};

use super::items::{self, ItemRow};
use crate::db::DbConnection;
use crate::db::schema::{attempts, exam_marking, grading_items, grading_marks};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::exams::attempts::model as attempt_model;
use crate::results::notices::{self, NoticeKind};
use crate::scoped;
use crate::tenancy::OrgScope;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = grading_marks)]
pub struct MarkRow {
    pub id: DbUuid,
    pub item_id: DbUuid,
    pub grader_id: DbUuid,
    pub arbiter: bool,
    pub points_centi: i32,
    pub rubric: Option<String>,
    pub comment: String,
    pub updated_at: Timestamp,
}

impl MarkRow {
    pub fn rubric(&self) -> Option<Vec<f64>> {
        self.rubric
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
    }
}

/// A checked mark: points in hundredths within the item, rubric scores, a comment.
pub struct NewMark {
    pub points_centi: i32,
    pub rubric: Option<Vec<f64>>,
    pub comment: String,
}

/// The exam's marking rule (one mark, no tolerance, when never set).
pub fn marking(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
) -> QueryResult<MarkingSettings> {
    let row: Option<(i32, i32)> = scoped!(exam_marking, scope)
        .filter(exam_marking::exam_id.eq(exam))
        .select((
            exam_marking::graders_per_answer,
            exam_marking::tolerance_centi,
        ))
        .first(conn)
        .optional()?;
    let limits = super::limits::all(conn, scope, exam)?;
    Ok(match row {
        Some((n, t)) => MarkingSettings {
            graders_per_answer: u32::try_from(n).unwrap_or(1),
            tolerance: f64::from(t) / 100.0,
            limits,
        },
        None => MarkingSettings {
            limits,
            ..MarkingSettings::default()
        },
    })
}

/// Sets the exam's marking rule. Items already decided stay decided; open ones follow the new
/// rule from their next mark.
pub fn set_marking(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    settings: &MarkingSettings,
) -> QueryResult<()> {
    let graders = i32::try_from(settings.graders_per_answer).unwrap_or(1);
    let tolerance = (settings.tolerance * 100.0).round() as i32;
    diesel::delete(scoped!(exam_marking, scope).filter(exam_marking::exam_id.eq(exam)))
        .execute(conn)?;
    diesel::insert_into(exam_marking::table)
        .values((
            exam_marking::exam_id.eq(exam),
            exam_marking::org_id.eq(scope.org_id()),
            exam_marking::graders_per_answer.eq(graders),
            exam_marking::tolerance_centi.eq(tolerance),
            exam_marking::updated_at.eq(Timestamp::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The marks of an item, oldest first.
pub fn of_item(
    conn: &mut DbConnection,
    scope: &OrgScope,
    item: DbUuid,
) -> QueryResult<Vec<MarkRow>> {
    scoped!(grading_marks, scope)
        .filter(grading_marks::item_id.eq(item))
        .order((grading_marks::created_at, grading_marks::id))
        .select(MarkRow::as_select())
        .load(conn)
}

/// `user`'s points on each of `items` they marked.
pub fn mine_of(
    conn: &mut DbConnection,
    scope: &OrgScope,
    items: &[DbUuid],
    user: DbUuid,
) -> QueryResult<Vec<(DbUuid, i32)>> {
    let mut out = Vec::new();
    for chunk in items.chunks(500) {
        let rows: Vec<(DbUuid, i32)> = scoped!(grading_marks, scope)
            .filter(grading_marks::grader_id.eq(user))
            .filter(grading_marks::item_id.eq_any(chunk))
            .select((grading_marks::item_id, grading_marks::points_centi))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Every mark given at the exam: (grader, arbiter).
pub fn graders_of_exam(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
) -> QueryResult<Vec<(DbUuid, bool)>> {
    scoped!(grading_marks, scope)
        .inner_join(grading_items::table.on(grading_items::id.eq(grading_marks::item_id)))
        .filter(grading_items::exam_id.eq(exam))
        .select((grading_marks::grader_id, grading_marks::arbiter))
        .load(conn)
}

/// Whether the decided item's mark may still be corrected: the attempt waits for a person
/// (submitted, not yet graded) and the mark is not yet part of its score. An attempt that went
/// back to grading for a review keeps the essay marks it was graded with.
fn correctable(
    conn: &mut DbConnection,
    scope: &OrgScope,
    row: &ItemRow,
) -> Result<bool, ModelError> {
    let status: String = scoped!(attempts, scope)
        .filter(attempts::id.eq(row.attempt_id))
        .select(attempts::status)
        .first(conn)?;
    if status != AttemptStatus::Submitted.as_str() {
        return Ok(false);
    }
    let entries: Vec<serde_json::Value> =
        attempt_model::grading_entries(conn, scope, row.attempt_id)?;
    let question = row.question_id.to_string();
    let counted = entries
        .iter()
        .find(|e| e["question_id"].as_str() == Some(question.as_str()))
        .is_some_and(|e| match row.origin() {
            ItemOrigin::Essay => e.get("manual").is_some(),
            ItemOrigin::Review => e["review"].get("points").is_some(),
        });
    Ok(!counted)
}

/// What recording a mark did, for the audit log.
pub struct Recorded {
    pub item: ItemRow,
    /// The caller's earlier points on the item, if they changed their mark.
    pub previous_centi: Option<i32>,
    pub arbiter: bool,
    /// The attempt's new score, when this mark completed its grading.
    pub attempt_score_centi: Option<i32>,
}

/// Records `user`'s mark on item `id` (or changes theirs) and decides the item when enough
/// marks are in. 409 `item_leased` while another grader holds it; `item_done` once decided
/// (except for the grader whose mark decided it, who may correct it until the attempt is
/// graded); `awaiting_arbiter`
/// for a grader whose mark is in while an arbiter is wanted; `enough_marks` when the item has
/// all the marks it needs from others.
pub fn record(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    user: DbUuid,
    mark: &NewMark,
) -> Result<Recorded, ModelError> {
    items::lock(conn, id)?;
    let row = items::find(conn, scope, id)?;
    let now = Timestamp::now();
    if row.leased_to_other(user, now) {
        return Err(ModelError::Conflict("item_leased"));
    }
    let settings = marking(conn, scope, row.exam_id)?;
    let required = i32::try_from(settings.graders_per_answer).unwrap_or(1);
    let marks = of_item(conn, scope, id)?;
    let mine = marks.iter().find(|m| m.grader_id == user).cloned();
    let arbiter = match (row.status(), &mine) {
        (ItemStatus::Arbitration, None) => true,
        (ItemStatus::Arbitration, Some(_)) => return Err(ModelError::Conflict("awaiting_arbiter")),
        // The grader whose mark decided may correct it while the attempt waits for others.
        (ItemStatus::Done, Some(m))
            if (m.arbiter || required == 1) && correctable(conn, scope, &row)? =>
        {
            m.arbiter
        }
        (ItemStatus::Done, _) => return Err(ModelError::Conflict("item_done")),
        (ItemStatus::Open, None) if row.marks_count >= required => {
            return Err(ModelError::Conflict("enough_marks"));
        }
        (ItemStatus::Open, _) => false,
    };
    let rubric = mark
        .rubric
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(anyhow::Error::from)?;
    match &mine {
        Some(m) => {
            diesel::update(grading_marks::table.filter(grading_marks::id.eq(m.id)))
                .set((
                    grading_marks::points_centi.eq(mark.points_centi),
                    grading_marks::rubric.eq(&rubric),
                    grading_marks::comment.eq(&mark.comment),
                    grading_marks::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(grading_marks::table)
                .values((
                    grading_marks::id.eq(DbUuid::new_v7()),
                    grading_marks::org_id.eq(scope.org_id()),
                    grading_marks::item_id.eq(id),
                    grading_marks::grader_id.eq(user),
                    grading_marks::arbiter.eq(arbiter),
                    grading_marks::points_centi.eq(mark.points_centi),
                    grading_marks::rubric.eq(&rubric),
                    grading_marks::comment.eq(&mark.comment),
                    grading_marks::created_at.eq(now),
                    grading_marks::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    let marks = of_item(conn, scope, id)?;
    let counted: Vec<i32> = marks
        .iter()
        .filter(|m| !m.arbiter)
        .map(|m| m.points_centi)
        .collect();
    let decision = decide(
        arbiter.then_some(mark.points_centi),
        &counted,
        required,
        (settings.tolerance * 100.0).round() as i32,
    );
    let (status, final_centi) = match decision {
        Decision::Final(points) => (ItemStatus::Done, Some(points)),
        Decision::Arbitration => (ItemStatus::Arbitration, None),
        Decision::Open => (ItemStatus::Open, None),
    };
    diesel::update(grading_items::table.filter(grading_items::id.eq(id)))
        .set((
            grading_items::status.eq(status.as_str()),
            grading_items::final_centi.eq(final_centi),
            grading_items::marks_count.eq(i32::try_from(counted.len()).unwrap_or(i32::MAX)),
            grading_items::lease_user_id.eq(None::<DbUuid>),
            grading_items::lease_until.eq(None::<Timestamp>),
        ))
        .execute(conn)?;
    let attempt_score_centi = if status == ItemStatus::Done {
        complete_attempt(conn, scope, row.attempt_id)?
    } else {
        None
    };
    Ok(Recorded {
        item: items::find(conn, scope, id)?,
        previous_centi: mine.map(|m| m.points_centi),
        arbiter,
        attempt_score_centi,
    })
}

/// Where an item stands after a mark.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Final(i32),
    Arbitration,
    Open,
}

/// The decision on an item with the graders' `marks` (hundredths) when `required` marks are
/// wanted: the arbiter's mark if there is one; the rounded mean once all marks are in and
/// differ by at most `tolerance`; an arbiter otherwise.
pub fn decide(arbiter: Option<i32>, marks: &[i32], required: i32, tolerance: i32) -> Decision {
    if let Some(points) = arbiter {
        return Decision::Final(points);
    }
    if (marks.len() as i64) < i64::from(required) || marks.is_empty() {
        return Decision::Open;
    }
    let (min, max) = (
        marks.iter().copied().min().unwrap_or(0),
        marks.iter().copied().max().unwrap_or(0),
    );
    if max - min > tolerance {
        return Decision::Arbitration;
    }
    let sum: i64 = marks.iter().map(|&m| i64::from(m)).sum();
    let mean = (sum as f64 / marks.len() as f64).round() as i32;
    Decision::Final(mean)
}

/// Once every item of the attempt's current submission is done, its score becomes the
/// automatic points plus the essays' final marks, with a reviewed question's final mark in
/// place of its automatic points, and it is graded. A candidate who was already told a result
/// is told it changed. Returns the new score then.
fn complete_attempt(
    conn: &mut DbConnection,
    scope: &OrgScope,
    attempt: DbUuid,
) -> Result<Option<i32>, ModelError> {
    attempt_model::lock(conn, attempt)?;
    let row = attempt_model::find(conn, scope, attempt)?;
    if row.status() != AttemptStatus::Submitted {
        return Ok(None);
    }
    let Some(submitted_at) = row.submitted_at else {
        return Ok(None);
    };
    let items: Vec<ItemRow> = scoped!(grading_items, scope)
        .filter(grading_items::attempt_id.eq(attempt))
        .filter(grading_items::attempt_submitted_at.eq(submitted_at))
        .select(ItemRow::as_select())
        .load(conn)?;
    if items.is_empty() || items.iter().any(|i| i.status() != ItemStatus::Done) {
        return Ok(None);
    }
    let mut entries: Vec<serde_json::Value> = attempt_model::grading_entries(conn, scope, attempt)?;
    let mut total_centi: i64 = 0;
    for entry in &mut entries {
        let question = entry["question_id"].as_str().unwrap_or_default().to_owned();
        let question = question.as_str();
        let of_question = |origin: ItemOrigin| {
            items
                .iter()
                .filter(move |i| i.origin() == origin && i.question_id.to_string() == question)
        };
        if let Some(item) = of_question(ItemOrigin::Review).next() {
            apply_review(entry, item);
        } else {
            // An attempt graded before (back in grading for a review) holds its essay marks
            // in `earned` already.
            let auto = centi(&entry["earned"]) - centi(&entry["manual"]);
            let manual: i64 = of_question(ItemOrigin::Essay)
                .map(|i| i64::from(i.final_centi.unwrap_or(0)))
                .sum();
            if manual > 0 || entry["needs_manual"].as_bool() == Some(true) {
                entry["earned"] = serde_json::json!((auto + manual) as f64 / 100.0);
                entry["needs_manual"] = serde_json::json!(false);
                entry["manual"] = serde_json::json!(manual as f64 / 100.0);
            }
        }
        total_centi += centi(&entry["earned"]);
    }
    let score = i32::try_from(total_centi).unwrap_or(i32::MAX);
    let grading = serde_json::to_string(&entries).map_err(anyhow::Error::from)?;
    diesel::update(
        scoped!(attempts, scope)
            .filter(attempts::id.eq(attempt))
            .filter(attempts::status.eq(AttemptStatus::Submitted.as_str())),
    )
    .set((
        attempts::status.eq(AttemptStatus::Graded.as_str()),
        attempts::needs_manual_grading.eq(false),
        attempts::score_centi.eq(Some(score)),
        attempts::grading.eq(Some(grading)),
    ))
    .execute(conn)?;
    attempt_model::enqueue_finished(conn, scope.org_id(), attempt)?;
    // The release notice goes once per attempt; a result that was told and changed since
    // (a review's mark) gets the "changed" notice, which checks the result is released.
    let notified: Option<Timestamp> = scoped!(attempts, scope)
        .filter(attempts::id.eq(attempt))
        .select(attempts::result_notified_at)
        .first(conn)?;
    if notified.is_some() && row.score_centi != Some(score) {
        notices::queue(
            conn,
            scope.org_id(),
            attempt,
            NoticeKind::Changed,
            Timestamp::now(),
        )?;
    }
    Ok(Some(score))
}

/// Points in a grading entry, in hundredths (0 when absent).
fn centi(points: &serde_json::Value) -> i64 {
    (points.as_f64().unwrap_or(0.0) * 100.0).round() as i64
}

/// A review item's final mark replaces the question's points, once. The rule between a review
/// and an admin's override is that the later act wins: an override made before the review was
/// requested is replaced (kept in the review's record as `replaced_override`); one made after
/// the mark was applied (`review.points` set) stands, so completing the attempt again leaves
/// it alone.
fn apply_review(entry: &mut serde_json::Value, item: &ItemRow) {
    if entry["review"].get("points").is_some() {
        return;
    }
    let points = f64::from(item.final_centi.unwrap_or(0)) / 100.0;
    let replaced = entry
        .as_object_mut()
        .and_then(|e| e.remove("override"))
        .unwrap_or(serde_json::Value::Null);
    entry["earned"] = serde_json::json!(points);
    let review = &mut entry["review"];
    review["item_id"] = serde_json::json!(item.id.to_string());
    review["points"] = serde_json::json!(points);
    review["decided_at"] = serde_json::json!(Timestamp::now().to_canonical_string());
    if !replaced.is_null() {
        review["replaced_override"] = replaced;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mark_decides_when_one_is_required() {
        assert_eq!(decide(None, &[750], 1, 0), Decision::Final(750));
    }

    #[test]
    fn agreeing_marks_give_their_mean_and_disagreeing_ones_an_arbiter() {
        assert_eq!(decide(None, &[700], 2, 100), Decision::Open);
        assert_eq!(decide(None, &[700, 800], 2, 100), Decision::Final(750));
        assert_eq!(decide(None, &[700, 801], 2, 100), Decision::Arbitration);
        assert_eq!(decide(None, &[700, 705, 710], 3, 10), Decision::Final(705));
    }

    #[test]
    fn the_arbiter_decides() {
        assert_eq!(decide(Some(650), &[200, 900], 2, 100), Decision::Final(650));
    }
}
