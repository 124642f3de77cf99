//! Papers in the database: the paper rows (their spec is `spec.rs`), the per-candidate
//! instances' rows and the builder's view of a paper. Inputs are checked by `input.rs`; the
//! rules' question pool is `rules.rs`; what a candidate sees is `candidate.rs`.

use std::collections::HashMap;

use diesel::prelude::*;
use shared::papers::{
    PaperDto, PaperKind, PaperQuestion, PaperRuleDto, PaperSectionDto, PaperSummary,
};

use super::candidate::load_contents;
use super::input::CheckedPaper;
use super::rules::pool_of_spec;
use super::spec::{Spec, centi};
use crate::db::DbConnection;
use crate::db::schema::{paper_instances, papers, questions};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::scoped;
use crate::tenancy::OrgScope;

/// A saved paper row.
pub struct PaperRow {
    pub id: DbUuid,
    pub name: String,
    pub description: String,
    pub spec: Spec,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub revision: i32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

pub fn find_paper(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<PaperRow, ModelError> {
    type Row = (
        DbUuid,
        String,
        String,
        String,
        bool,
        bool,
        i32,
        Timestamp,
        Timestamp,
    );
    let row: Option<Row> = scoped!(papers, scope)
        .filter(papers::id.eq(id))
        .filter(papers::status.eq("active"))
        .select((
            papers::id,
            papers::name,
            papers::description,
            papers::spec,
            papers::shuffle_questions,
            papers::shuffle_options,
            papers::revision,
            papers::created_at,
            papers::updated_at,
        ))
        .first(conn)
        .optional()?;
    let (id, name, description, spec, shuffle_questions, shuffle_options, revision, c, u) =
        row.ok_or(ModelError::NotFound)?;
    Ok(PaperRow {
        id,
        name,
        description,
        spec: serde_json::from_str(&spec).map_err(anyhow::Error::from)?,
        shuffle_questions,
        shuffle_options,
        revision,
        created_at: c,
        updated_at: u,
    })
}

/// The organisation's papers, most recently changed first.
pub fn list(conn: &mut DbConnection, scope: &OrgScope) -> QueryResult<Vec<PaperSummary>> {
    let rows: Vec<(DbUuid, String, String, i32, i32, Timestamp)> = scoped!(papers, scope)
        .filter(papers::status.eq("active"))
        .order(papers::updated_at.desc())
        .select((
            papers::id,
            papers::name,
            papers::kind,
            papers::question_count,
            papers::total_points_centi,
            papers::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, kind, count, points, updated)| PaperSummary {
            id: id.to_string(),
            name,
            // The column's CHECK allows only the two kinds.
            kind: PaperKind::parse(&kind).unwrap_or(PaperKind::Fixed),
            question_count: i64::from(count),
            total_points: f64::from(points) / 100.0,
            updated_at: updated.to_canonical_string(),
        })
        .collect())
}

/// Hides a paper (soft delete); attempts keep reading the papers they were given.
pub fn mark_deleted(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> QueryResult<()> {
    diesel::update(scoped!(papers, scope).filter(papers::id.eq(id)))
        .set((
            papers::status.eq("deleted"),
            papers::updated_at.eq(Timestamp::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Saves a checked input as the paper's `revision` (1: a new paper).
pub fn write_paper(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    checked: &CheckedPaper,
    revision: i32,
) -> Result<(), ModelError> {
    let spec = serde_json::to_string(&checked.spec).map_err(anyhow::Error::from)?;
    let now = Timestamp::now();
    let count = i32::try_from(checked.spec.question_count()).unwrap_or(i32::MAX);
    let total = i32::try_from(checked.spec.total_points_centi()).unwrap_or(i32::MAX);
    // What every revision writes.
    let content = (
        papers::name.eq(&checked.name),
        papers::description.eq(&checked.description),
        papers::kind.eq(checked.spec.kind().as_str()),
        papers::spec.eq(&spec),
        papers::shuffle_questions.eq(checked.shuffle_questions),
        papers::shuffle_options.eq(checked.shuffle_options),
        papers::question_count.eq(count),
        papers::total_points_centi.eq(total),
    );
    if revision == 1 {
        diesel::insert_into(papers::table)
            .values((
                papers::id.eq(id),
                papers::org_id.eq(scope.org_id()),
                content,
                papers::revision.eq(1),
                papers::status.eq("active"),
                papers::created_at.eq(now),
                papers::updated_at.eq(now),
            ))
            .execute(conn)?;
    } else {
        diesel::update(scoped!(papers, scope).filter(papers::id.eq(id)))
            .set((
                content,
                papers::revision.eq(revision),
                papers::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The paper as the builder shows it: pinned questions with their stems, rules with how many
/// questions match them now.
pub fn dto(
    conn: &mut DbConnection,
    scope: &OrgScope,
    row: &PaperRow,
) -> Result<PaperDto, ModelError> {
    let chosen: Vec<(DbUuid, i32)> = row
        .spec
        .sections
        .iter()
        .flat_map(|s| s.questions.iter().map(|q| (q.question_id, q.version)))
        .collect();
    let contents = load_contents(conn, scope, &chosen)?;
    let ids: Vec<DbUuid> = chosen.iter().map(|c| c.0).collect();
    let current: HashMap<DbUuid, i32> = scoped!(questions, scope)
        .filter(questions::id.eq_any(&ids))
        .select((questions::id, questions::current_version))
        .load::<(DbUuid, i32)>(conn)?
        .into_iter()
        .collect();
    let available: Vec<i64> = if row.spec.kind() == shared::papers::PaperKind::Random {
        match pool_of_spec(conn, scope, &row.spec) {
            Ok(pool) => pool.matches.iter().map(|m| m.len() as i64).collect(),
            Err(ModelError::Conflict(_)) => Vec::new(),
            Err(other) => return Err(other),
        }
    } else {
        Vec::new()
    };
    let mut rule_index = 0;
    let sections = row
        .spec
        .sections
        .iter()
        .map(|s| {
            let questions = s
                .questions
                .iter()
                .filter_map(|q| {
                    let content = contents.get(&(q.question_id, q.version))?;
                    Some(PaperQuestion {
                        question_id: q.question_id.to_string(),
                        version: q.version,
                        points: f64::from(q.points_centi) / 100.0,
                        question_type: content.question_type(),
                        stem: content.stem().to_owned(),
                        outdated: current.get(&q.question_id).is_some_and(|c| *c > q.version),
                    })
                })
                .collect();
            let rules = s
                .rules
                .iter()
                .map(|r| {
                    let dto = PaperRuleDto {
                        rule: r.clone(),
                        available: available.get(rule_index).copied().unwrap_or(0),
                    };
                    rule_index += 1;
                    dto
                })
                .collect();
            let count =
                s.questions.len() as i64 + s.rules.iter().map(|r| i64::from(r.count)).sum::<i64>();
            let points = s
                .questions
                .iter()
                .map(|q| i64::from(q.points_centi))
                .sum::<i64>()
                + s.rules
                    .iter()
                    .map(|r| i64::from(r.count) * centi(r.points))
                    .sum::<i64>();
            PaperSectionDto {
                title: s.title.clone(),
                description: s.description.clone(),
                questions,
                rules,
                question_count: count,
                points: points as f64 / 100.0,
            }
        })
        .collect();
    let generated_count: i64 = scoped!(paper_instances, scope)
        .filter(paper_instances::paper_id.eq(row.id))
        .filter(paper_instances::revision.eq(row.revision))
        .count()
        .get_result(conn)?;
    Ok(PaperDto {
        id: row.id.to_string(),
        name: row.name.clone(),
        description: row.description.clone(),
        kind: row.spec.kind(),
        sections,
        shuffle_questions: row.shuffle_questions,
        shuffle_options: row.shuffle_options,
        question_count: row.spec.question_count() as i64,
        total_points: row.spec.total_points_centi() as f64 / 100.0,
        revision: row.revision,
        generated_count,
        created_at: row.created_at.to_canonical_string(),
        updated_at: row.updated_at.to_canonical_string(),
    })
}

/// A paper's name and spec for an attempt, deleted or not (an attempt keeps the paper it was
/// given).
pub fn paper_for_attempt(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<(String, Spec), ModelError> {
    let (name, spec): (String, String) = scoped!(papers, scope)
        .filter(papers::id.eq(id))
        .select((papers::name, papers::spec))
        .first(conn)
        .optional()?
        .ok_or(ModelError::NotFound)?;
    Ok((
        name,
        serde_json::from_str(&spec).map_err(anyhow::Error::from)?,
    ))
}

/// The `(seed, arrangement JSON)` pre-generated for a candidate, if any.
pub fn instance_of(
    conn: &mut DbConnection,
    scope: &OrgScope,
    paper_id: DbUuid,
    candidate: DbUuid,
) -> Result<Option<(String, String)>, ModelError> {
    Ok(scoped!(paper_instances, scope)
        .filter(paper_instances::paper_id.eq(paper_id))
        .filter(paper_instances::candidate_id.eq(candidate))
        .select((paper_instances::seed, paper_instances::arrangement))
        .first(conn)
        .optional()?)
}
