//! Per-candidate papers: drawing one for a seed, pre-generating the papers of candidates (so
//! starting an exam is a single read), and a fresh paper for each later attempt.

use std::collections::HashMap;

use diesel::prelude::*;

use super::generate;
use super::model::{PaperRow, find_paper};
use super::rules::{generation_pool, plan_of, pool_of_spec};
use crate::db::DbConnection;
use crate::db::schema::paper_instances;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::scoped;
use crate::tenancy::OrgScope;

/// Draws a paper for `seed` from the current banks.
pub fn draw(
    conn: &mut DbConnection,
    scope: &OrgScope,
    row: &PaperRow,
    seed: u64,
) -> Result<generate::Arrangement, ModelError> {
    let pool = pool_of_spec(conn, scope, &row.spec)?;
    let questions = generation_pool(conn, scope, &row.spec, &pool)?;
    let mut plan = plan_of(&row.spec, &pool);
    plan.shuffle_questions = row.shuffle_questions;
    plan.shuffle_options = row.shuffle_options;
    generate::generate(&plan, &questions, seed).ok_or(ModelError::Conflict("rules_not_satisfiable"))
}

/// Makes sure each of `wanted` has a paper of the current revision of `row`: new ones drawn
/// with their own seed, those of an older revision replaced, current ones kept. Returns
/// `(generated, kept)`. The candidates must belong to the scope's organisation.
pub fn pregenerate(
    conn: &mut DbConnection,
    scope: &OrgScope,
    row: &PaperRow,
    wanted: &[DbUuid],
) -> Result<(i64, i64), ModelError> {
    let existing: HashMap<DbUuid, i32> = scoped!(paper_instances, scope)
        .filter(paper_instances::paper_id.eq(row.id))
        .select((paper_instances::candidate_id, paper_instances::revision))
        .load::<(DbUuid, i32)>(conn)?
        .into_iter()
        .collect();
    let todo: Vec<DbUuid> = wanted
        .iter()
        .filter(|c| existing.get(c) != Some(&row.revision))
        .copied()
        .collect();
    let kept = (wanted.len() - todo.len()) as i64;
    if !todo.is_empty() {
        let pool = pool_of_spec(conn, scope, &row.spec)?;
        let questions = generation_pool(conn, scope, &row.spec, &pool)?;
        let mut plan = plan_of(&row.spec, &pool);
        plan.shuffle_questions = row.shuffle_questions;
        plan.shuffle_options = row.shuffle_options;
        let stale: Vec<DbUuid> = todo
            .iter()
            .filter(|c| existing.contains_key(c))
            .copied()
            .collect();
        for chunk in stale.chunks(500) {
            diesel::delete(
                scoped!(paper_instances, scope)
                    .filter(paper_instances::paper_id.eq(row.id))
                    .filter(paper_instances::candidate_id.eq_any(chunk)),
            )
            .execute(conn)?;
        }
        let now = Timestamp::now();
        for candidate in &todo {
            let seed: u64 = rand::random();
            let arrangement = generate::generate(&plan, &questions, seed)
                .ok_or(ModelError::Conflict("rules_not_satisfiable"))?;
            let json = serde_json::to_string(&arrangement).map_err(anyhow::Error::from)?;
            diesel::insert_into(paper_instances::table)
                .values((
                    paper_instances::id.eq(DbUuid::new_v7()),
                    paper_instances::org_id.eq(scope.org_id()),
                    paper_instances::paper_id.eq(row.id),
                    paper_instances::candidate_id.eq(candidate),
                    paper_instances::revision.eq(row.revision),
                    paper_instances::seed.eq(seed.to_string()),
                    paper_instances::arrangement.eq(&json),
                    paper_instances::created_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    Ok((todo.len() as i64, kept))
}

/// [`pregenerate`] for the paper `paper_id` (exam assignment uses it).
pub fn pregenerate_for(
    conn: &mut DbConnection,
    scope: &OrgScope,
    paper_id: DbUuid,
    wanted: &[DbUuid],
) -> Result<(i64, i64), ModelError> {
    let row = find_paper(conn, scope, paper_id)?;
    pregenerate(conn, scope, &row, wanted)
}

/// A freshly drawn and shuffled paper `(seed, arrangement JSON)` for a later attempt at an
/// exam: a retake never gets the paper of an earlier attempt, whose keys its candidate may have
/// reviewed. Nothing is stored here; the attempt keeps what it was given.
pub fn fresh_paper(
    conn: &mut DbConnection,
    scope: &OrgScope,
    paper_id: DbUuid,
) -> Result<(String, String), ModelError> {
    let row = find_paper(conn, scope, paper_id)?;
    let seed: u64 = rand::random();
    let arrangement = draw(conn, scope, &row, seed)?;
    let json = serde_json::to_string(&arrangement).map_err(anyhow::Error::from)?;
    Ok((seed.to_string(), json))
}
