//! Finding a bank's questions: by type, difficulty, category (and those below it), tag and
//! text, newest change first, a page at a time.

use diesel::prelude::*;
use shared::questions::{QuestionPage, QuestionType};

use super::categories::{check_in_bank, with_descendants};
use super::model;
use crate::db::DbConnection;
use crate::db::schema::{question_tags, questions};
use crate::db::types::DbUuid;
use crate::errors::ModelError;
use crate::scoped;
use crate::tenancy::OrgScope;

/// What to look for (checked by the caller), and which page.
pub struct Filter {
    pub qtype: Option<QuestionType>,
    pub difficulty: Option<i32>,
    /// A category of the bank: it and every category below it.
    pub category: Option<DbUuid>,
    /// Trimmed, not empty.
    pub tag: Option<String>,
    /// Trimmed, not empty; matched case-insensitively in the stem and options.
    pub text: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

/// The page of the bank's active questions that match `f`, with the total that match.
pub fn page(
    conn: &mut DbConnection,
    scope: &OrgScope,
    bank: DbUuid,
    f: &Filter,
) -> Result<QuestionPage, ModelError> {
    model::find_bank(conn, scope, bank)?;
    let categories = match f.category {
        Some(c) => {
            check_in_bank(conn, scope, bank, Some(c), "category_id")?;
            Some(with_descendants(conn, scope, bank, c)?)
        }
        None => None,
    };
    let filtered = || {
        let mut query = scoped!(questions, scope)
            .filter(questions::bank_id.eq(bank))
            .filter(questions::status.eq("active"))
            .into_boxed();
        if let Some(t) = f.qtype {
            query = query.filter(questions::qtype.eq(t.as_str()));
        }
        if let Some(d) = f.difficulty {
            query = query.filter(questions::difficulty.eq(d));
        }
        if let Some(c) = &categories {
            query = query.filter(questions::category_id.eq_any(c.clone()));
        }
        if let Some(tag) = &f.tag {
            query = query.filter(
                questions::id.eq_any(
                    question_tags::table
                        .filter(question_tags::org_id.eq(scope.org_id()))
                        .filter(question_tags::tag.eq(tag.clone()))
                        .select(question_tags::question_id),
                ),
            );
        }
        if let Some(text) = &f.text {
            let escaped = text
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            query = query.filter(
                questions::search_text
                    .like(format!("%{escaped}%"))
                    .escape('\\'),
            );
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let ids: Vec<DbUuid> = filtered()
        .order(questions::updated_at.desc())
        .then_order_by(questions::id.desc())
        .offset(f.offset)
        .limit(f.limit)
        .select(questions::id)
        .load(conn)?;
    let items = model::load_current(conn, scope, &ids)?;
    Ok(QuestionPage {
        items,
        total,
        offset: f.offset,
        limit: f.limit,
    })
}
