//! Grader limits: at an exam a grader may be limited to some questions and/or some candidate
//! groups (`MarkingSettings::limits`); on top of that, an admin whose account is limited to
//! candidate groups marks only those groups' candidates, as everywhere in the console. The
//! queue, the next item, opening an item and marking it all follow the same limit.

use std::collections::HashSet;

use diesel::prelude::*;
use shared::access::OrgRole;
use shared::grading::{GraderLimit, MAX_GRADER_LIMITS, MAX_LIMIT_IDS};

use crate::db::DbConnection;
use crate::db::schema::{
    attempts, candidate_group_members, candidate_groups, grader_limits, grading_items, questions,
    users,
};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::FieldErrors;
use crate::http::Fields;
use crate::scoped;
use crate::tenancy::{OrgCaller, OrgScope};

/// A boxed query of grading items.
pub type ItemQuery<'a> =
    grading_items::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// What the caller may mark at one exam. Each group list that is present must hold the
/// candidate (the exam's limit and the account's scope both apply).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limit {
    pub questions: Option<Vec<DbUuid>>,
    pub groups: Vec<Vec<DbUuid>>,
}

impl Limit {
    pub fn is_none(&self) -> bool {
        self.questions.is_none() && self.groups.is_empty()
    }
}

fn ids_of(json: &str) -> Vec<DbUuid> {
    serde_json::from_str::<Vec<uuid::Uuid>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(DbUuid)
        .collect()
}

fn json_of(ids: &[DbUuid]) -> String {
    serde_json::to_string(&ids.iter().map(|i| i.0).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".to_owned())
}

/// The caller's limit at `exam` (none for an API key or an unlimited user).
pub fn of_caller(conn: &mut DbConnection, scope: &OrgScope, exam: DbUuid) -> QueryResult<Limit> {
    let mut limit = Limit::default();
    // An admin limited to some groups marks only their candidates. A grader's account sees
    // no candidate at all (blind marking), which limits nothing here: their items are
    // anonymous.
    let grader = matches!(
        scope.caller(),
        OrgCaller::User {
            role: OrgRole::Grader,
            ..
        }
    );
    if !grader && let Some(groups) = scope.group_scope() {
        limit.groups.push(groups.to_vec());
    }
    let Some(user) = scope.user_id() else {
        return Ok(limit);
    };
    let row: Option<(String, String)> = scoped!(grader_limits, scope)
        .filter(grader_limits::exam_id.eq(exam))
        .filter(grader_limits::user_id.eq(user))
        .select((grader_limits::question_ids, grader_limits::group_ids))
        .first(conn)
        .optional()?;
    if let Some((questions, groups)) = row {
        let questions = ids_of(&questions);
        if !questions.is_empty() {
            limit.questions = Some(questions);
        }
        let groups = ids_of(&groups);
        if !groups.is_empty() {
            limit.groups.push(groups);
        }
    }
    Ok(limit)
}

/// `query` narrowed to the items `limit` allows.
pub fn restrict<'a>(mut query: ItemQuery<'a>, limit: &Limit) -> ItemQuery<'a> {
    if let Some(questions) = &limit.questions {
        query = query.filter(grading_items::question_id.eq_any(questions.clone()));
    }
    for groups in &limit.groups {
        query = query.filter(
            grading_items::attempt_id.eq_any(
                attempts::table
                    .filter(
                        attempts::candidate_id.eq_any(
                            candidate_group_members::table
                                .filter(candidate_group_members::group_id.eq_any(groups.clone()))
                                .select(candidate_group_members::candidate_id),
                        ),
                    )
                    .select(attempts::id),
            ),
        );
    }
    query
}

/// Whether `limit` allows the grading item `item`.
pub fn allows(conn: &mut DbConnection, limit: &Limit, item: DbUuid) -> QueryResult<bool> {
    if limit.is_none() {
        return Ok(true);
    }
    let query = restrict(
        grading_items::table
            .filter(grading_items::id.eq(item))
            .into_boxed(),
        limit,
    );
    Ok(query.count().get_result::<i64>(conn)? == 1)
}

/// Every grader limit at the exam, by user.
pub fn all(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
) -> QueryResult<Vec<GraderLimit>> {
    let rows: Vec<(DbUuid, String, String)> = scoped!(grader_limits, scope)
        .filter(grader_limits::exam_id.eq(exam))
        .order(grader_limits::user_id)
        .select((
            grader_limits::user_id,
            grader_limits::question_ids,
            grader_limits::group_ids,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user, questions, groups)| GraderLimit {
            user_id: user.to_string(),
            question_ids: ids_of(&questions).iter().map(DbUuid::to_string).collect(),
            group_ids: ids_of(&groups).iter().map(DbUuid::to_string).collect(),
        })
        .collect())
}

/// A checked limit.
#[derive(Debug, Clone)]
pub struct CheckedLimit {
    pub user: DbUuid,
    pub questions: Vec<DbUuid>,
    pub groups: Vec<DbUuid>,
}

fn parse_ids(fields: &mut Fields, name: &str, raw: &[String]) -> Vec<DbUuid> {
    if raw.len() > MAX_LIMIT_IDS {
        fields.push(name, "too_many");
        return Vec::new();
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut seen = HashSet::new();
    for s in raw {
        match uuid::Uuid::parse_str(s) {
            Ok(id) if seen.insert(id) => out.push(DbUuid(id)),
            Ok(_) => {}
            Err(_) => {
                fields.push(name, "invalid_format");
                return Vec::new();
            }
        }
    }
    out
}

/// Checks `input` against the organisation: each user an organisation user once, each
/// question and group the organisation's.
pub fn check(
    conn: &mut DbConnection,
    scope: &OrgScope,
    input: &[GraderLimit],
) -> Result<Vec<CheckedLimit>, crate::errors::ModelError> {
    let mut fields = Fields::default();
    if input.len() > MAX_GRADER_LIMITS {
        return Err(FieldErrors::single("limits", "too_many").into());
    }
    let mut out = Vec::with_capacity(input.len());
    let mut users_seen = HashSet::new();
    for (i, limit) in input.iter().enumerate() {
        let user = match uuid::Uuid::parse_str(&limit.user_id) {
            Ok(u) => DbUuid(u),
            Err(_) => {
                fields.push(&format!("limits[{i}].user_id"), "invalid_format");
                continue;
            }
        };
        if !users_seen.insert(user) {
            fields.push(&format!("limits[{i}].user_id"), "duplicate");
        }
        let questions = parse_ids(
            &mut fields,
            &format!("limits[{i}].question_ids"),
            &limit.question_ids,
        );
        let groups = parse_ids(
            &mut fields,
            &format!("limits[{i}].group_ids"),
            &limit.group_ids,
        );
        out.push(CheckedLimit {
            user,
            questions,
            groups,
        });
    }
    fields.finish()?;
    let mut fields = Fields::default();
    for (i, limit) in out.iter().enumerate() {
        let user: i64 = scoped!(users, scope)
            .filter(users::id.eq(limit.user))
            .count()
            .get_result(conn)?;
        if user != 1 {
            fields.push(&format!("limits[{i}].user_id"), "not_found");
        }
        let found: i64 = scoped!(questions, scope)
            .filter(questions::id.eq_any(limit.questions.clone()))
            .count()
            .get_result(conn)?;
        if usize::try_from(found).ok() != Some(limit.questions.len()) {
            fields.push(&format!("limits[{i}].question_ids"), "not_found");
        }
        let found: i64 = scoped!(candidate_groups, scope)
            .filter(candidate_groups::id.eq_any(limit.groups.clone()))
            .count()
            .get_result(conn)?;
        if usize::try_from(found).ok() != Some(limit.groups.len()) {
            fields.push(&format!("limits[{i}].group_ids"), "not_found");
        }
    }
    fields.finish()?;
    Ok(out)
}

/// Replaces the exam's grader limits.
pub fn set(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    limits: &[CheckedLimit],
) -> QueryResult<()> {
    diesel::delete(scoped!(grader_limits, scope).filter(grader_limits::exam_id.eq(exam)))
        .execute(conn)?;
    let now = Timestamp::now();
    for limit in limits {
        diesel::insert_into(grader_limits::table)
            .values((
                grader_limits::exam_id.eq(exam),
                grader_limits::user_id.eq(limit.user),
                grader_limits::org_id.eq(scope.org_id()),
                grader_limits::question_ids.eq(json_of(&limit.questions)),
                grader_limits::group_ids.eq(json_of(&limit.groups)),
                grader_limits::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
