//! An item as the grader sees it: blind (an anonymous code, never the candidate), with the
//! question, its reference answer and rubric, the candidate's answer, the grader's own mark,
//! and the other marks only where independent marking is over (an arbiter, or a decided item).

use std::collections::HashMap;

use shared::Lang;
use shared::exams::AnswerValue;
use shared::grading::{GradingItemDto, GradingTask, ItemOrigin, ItemStatus, MarkDto};
use shared::questions::QuestionContent;
use shared::results::{answer_text, key_text};

use super::items::ItemRow;
use super::marks::{self, MarkRow};
use crate::db::DbConnection;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::exams::attempts::model::load_answers;
use crate::papers::candidate::load_contents;
use crate::tenancy::OrgScope;

/// The queue's view of an item; `mine` is the caller's points, if they marked it.
pub fn item_dto(row: &ItemRow, required: u32, mine: Option<i32>) -> GradingItemDto {
    GradingItemDto {
        id: row.id.to_string(),
        exam_id: row.exam_id.to_string(),
        question_id: row.question_id.to_string(),
        question_number: u32::try_from(row.question_number).unwrap_or(0),
        part: row.part(),
        anonymous_code: row.anonymous_code.clone(),
        origin: row.origin(),
        max_points: f64::from(row.max_centi) / 100.0,
        status: row.status(),
        marks_given: u32::try_from(row.marks_count).unwrap_or(0),
        marks_required: required,
        final_points: row.final_centi.map(|c| f64::from(c) / 100.0),
        my_points: mine.map(|c| f64::from(c) / 100.0),
    }
}

fn mark_dto(m: &MarkRow) -> MarkDto {
    MarkDto {
        grader_id: m.grader_id.to_string(),
        points: f64::from(m.points_centi) / 100.0,
        rubric: m.rubric(),
        comment: m.comment.clone(),
        arbiter: m.arbiter,
        marked_at: m.updated_at.to_canonical_string(),
    }
}

/// The question an item grades (for a composite part: the part's question) and the passage.
pub fn question_of(
    conn: &mut DbConnection,
    scope: &OrgScope,
    row: &ItemRow,
) -> Result<(QuestionContent, Option<String>), ModelError> {
    let key = (row.question_id, row.question_version);
    let mut contents: HashMap<(DbUuid, i32), QuestionContent> = load_contents(conn, scope, &[key])?;
    let content = contents
        .remove(&key)
        .ok_or_else(|| anyhow::anyhow!("question version missing"))?;
    match (row.part(), content) {
        (Some(i), QuestionContent::Composite { passage, parts }) => {
            let part = parts
                .into_iter()
                .nth(i as usize)
                .ok_or_else(|| anyhow::anyhow!("composite part missing"))?;
            Ok((part.content, Some(passage)))
        }
        (_, content) => Ok((content, None)),
    }
}

/// The task of item `row` for `user`; a review item's answer and key as text in `lang`.
pub fn task(
    conn: &mut DbConnection,
    scope: &OrgScope,
    row: &ItemRow,
    user: Option<DbUuid>,
    lang: Lang,
) -> Result<GradingTask, ModelError> {
    let settings = marks::marking(conn, scope, row.exam_id)?;
    let all = marks::of_item(conn, scope, row.id)?;
    let mine = user.and_then(|u| all.iter().find(|m| m.grader_id == u));
    // Independent marking: others' marks are shown once the item needs an arbiter (to one who
    // did not mark it) or is decided.
    let show_others = match row.status() {
        ItemStatus::Open => false,
        ItemStatus::Arbitration => mine.is_none(),
        ItemStatus::Done => true,
    };
    let other_marks = if show_others {
        all.iter()
            .filter(|m| Some(m.grader_id) != user)
            .map(mark_dto)
            .collect()
    } else {
        Vec::new()
    };
    let (question, passage) = question_of(conn, scope, row)?;
    let rubric = match &question {
        QuestionContent::Essay { rubric, .. } => rubric.clone(),
        _ => Vec::new(),
    };
    let answer = load_answers(conn, row.attempt_id)?
        .into_iter()
        .find(|(q, ..)| *q == row.question_id)
        .map(|(_, a, ..)| a);
    // A review item: an automatically graded answer, judged against the key.
    let (text, answer_value, key) = if row.origin() == ItemOrigin::Review {
        let text = answer
            .as_ref()
            .map(|a| answer_text(&question, a, lang))
            .unwrap_or_default();
        (text, answer, Some(key_text(&question, lang)))
    } else {
        (essay_text(answer, row.part()), None, None)
    };
    let leased_until = match (user, row.lease_user_id, row.lease_until) {
        (Some(u), Some(holder), Some(until)) if u == holder && until > Timestamp::now() => {
            Some(until.to_canonical_string())
        }
        _ => None,
    };
    Ok(GradingTask {
        item: item_dto(
            row,
            settings.graders_per_answer,
            mine.map(|m| m.points_centi),
        ),
        question,
        passage,
        rubric,
        answer: text,
        answer_value,
        key,
        my_mark: mine.map(mark_dto),
        other_marks,
        leased_until,
    })
}

/// The text of an essay answer (or of the essay part `part` of a composite answer).
fn essay_text(answer: Option<AnswerValue>, part: Option<u32>) -> String {
    match (answer, part) {
        (Some(AnswerValue::Essay { text }), None) => text,
        (Some(AnswerValue::Composite { parts }), Some(i)) => {
            match parts.into_iter().nth(i as usize).flatten() {
                Some(AnswerValue::Essay { text }) => text,
                _ => String::new(),
            }
        }
        _ => String::new(),
    }
}
