//! Bulk actions on a bank's questions: move to a category, add tags (a new version of each),
//! delete.

use diesel::prelude::*;
use shared::questions::{BulkAction, QuestionInput};

use super::categories::check_in_bank;
use super::model;
use crate::db::DbConnection;
use crate::db::schema::questions;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{FieldErrors, ModelError};
use crate::scoped;
use crate::tenancy::OrgScope;

/// Most questions one bulk action may touch.
pub const MAX_BULK: usize = 1000;

/// The questions the action names, without duplicates (422 when none, too many or one that
/// is not an id).
pub fn question_ids(action: &BulkAction) -> Result<Vec<DbUuid>, FieldErrors> {
    let raw_ids = match action {
        BulkAction::Move { question_ids, .. }
        | BulkAction::Tag { question_ids, .. }
        | BulkAction::Delete { question_ids } => question_ids.clone(),
    };
    if raw_ids.is_empty() {
        return Err(FieldErrors::single("question_ids", "required"));
    }
    if raw_ids.len() > MAX_BULK {
        return Err(FieldErrors::single("question_ids", "too_many"));
    }
    let mut ids = Vec::with_capacity(raw_ids.len());
    for raw in &raw_ids {
        let id = uuid::Uuid::parse_str(raw)
            .map(DbUuid)
            .map_err(|_| FieldErrors::single("question_ids", "unknown_question"))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Applies the action to `ids`, all active questions of `bank` (422 `unknown_question`
/// otherwise); returns the audit action's name and details.
pub fn apply(
    conn: &mut DbConnection,
    scope: &OrgScope,
    bank: DbUuid,
    action: &BulkAction,
    ids: &[DbUuid],
) -> Result<(&'static str, serde_json::Value), ModelError> {
    model::find_bank(conn, scope, bank)?;
    let found: i64 = scoped!(questions, scope)
        .filter(questions::bank_id.eq(bank))
        .filter(questions::status.eq("active"))
        .filter(questions::id.eq_any(ids.to_vec()))
        .count()
        .get_result(conn)?;
    if usize::try_from(found).unwrap_or(0) != ids.len() {
        return Err(ModelError::field("question_ids", "unknown_question"));
    }
    let now = Timestamp::now();
    let done = match action {
        BulkAction::Move { category_id, .. } => {
            let category = match category_id.as_deref() {
                None | Some("") => None,
                Some(c) => Some(
                    uuid::Uuid::parse_str(c)
                        .map(DbUuid)
                        .map_err(|_| ModelError::field("category_id", "unknown_category"))?,
                ),
            };
            check_in_bank(conn, scope, bank, category, "category_id")?;
            diesel::update(scoped!(questions, scope).filter(questions::id.eq_any(ids.to_vec())))
                .set((
                    questions::category_id.eq(category),
                    questions::updated_at.eq(now),
                ))
                .execute(conn)?;
            (
                "question.bulk_move",
                serde_json::json!({ "category_id": category }),
            )
        }
        BulkAction::Tag { tags, .. } => {
            for id in ids {
                let current = model::load_current(conn, scope, &[*id])?
                    .pop()
                    .ok_or(ModelError::NotFound)?;
                let mut all = current.tags.clone();
                all.extend(tags.iter().cloned());
                let checked = model::check(QuestionInput {
                    content: current.content,
                    points: current.points,
                    difficulty: current.difficulty,
                    explanation: current.explanation,
                    tags: all,
                    category_id: current.category_id,
                })?;
                model::write_version(conn, scope, bank, *id, current.version + 1, &checked)?;
            }
            ("question.bulk_tag", serde_json::json!({ "tags": tags }))
        }
        BulkAction::Delete { .. } => {
            diesel::update(scoped!(questions, scope).filter(questions::id.eq_any(ids.to_vec())))
                .set((
                    questions::status.eq("deleted"),
                    questions::updated_at.eq(now),
                ))
                .execute(conn)?;
            ("question.bulk_delete", serde_json::json!({}))
        }
    };
    Ok(done)
}
