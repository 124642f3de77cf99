//! The candidate's own results (the portal's "my results"): only what the release policy has
//! released, with the rank when the exam shows ranks.

use diesel::prelude::*;
use shared::exams::{AttemptStatus, ReviewPolicy};
use shared::results::MyResult;

use super::table::{self, Finished};
use crate::db::DbConnection;
use crate::db::schema::{attempts, certificates};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::exams::attempts::model as attempt_model;
use crate::exams::model as exam_model;
use crate::scoped;
use crate::tenancy::CandidateScope;

/// The released results of the signed-in candidate, latest submission first.
pub fn my_results(
    conn: &mut DbConnection,
    cand: &CandidateScope,
    now: Timestamp,
) -> Result<Vec<MyResult>, ModelError> {
    let scope = cand.org_scope();
    let me = cand.candidate_id();
    let assigned = attempt_model::assignments_of(conn, &scope, me)?;
    let ids: Vec<DbUuid> = assigned.iter().map(|a| a.0).collect();
    let exams = exam_model::find_many(conn, &scope, &ids)?;
    let mine: Vec<Finished> = scoped!(attempts, &scope)
        .filter(attempts::candidate_id.eq(me))
        .filter(attempts::status.ne(AttemptStatus::InProgress.as_str()))
        .order((attempts::exam_id.asc(), attempts::number.asc()))
        .select(Finished::as_select())
        .load(conn)?;
    let exam_of: std::collections::HashMap<DbUuid, DbUuid> = scoped!(attempts, &scope)
        .filter(attempts::candidate_id.eq(me))
        .select((attempts::id, attempts::exam_id))
        .load::<(DbUuid, DbUuid)>(conn)?
        .into_iter()
        .collect();
    let running: Vec<DbUuid> = scoped!(attempts, &scope)
        .filter(attempts::candidate_id.eq(me))
        .filter(attempts::status.eq(AttemptStatus::InProgress.as_str()))
        .select(attempts::exam_id)
        .load(conn)?;
    let certs: Vec<(DbUuid, String)> = scoped!(certificates, &scope)
        .filter(certificates::candidate_id.eq(me))
        .filter(certificates::revoked_at.is_null())
        .order(certificates::issued_at.asc())
        .select((certificates::exam_id, certificates::number))
        .load(conn)?;
    let mut out = Vec::new();
    for exam in &exams {
        let at_exam: Vec<Finished> = mine
            .iter()
            .filter(|a| exam_of.get(&a.id) == Some(&exam.id))
            .cloned()
            .collect();
        let Some(row) = table::counted_rows(exam, &at_exam, now).pop() else {
            continue;
        };
        if !row.released {
            continue;
        }
        let (rank, ranked) = if exam.settings.show_rank {
            let all = table::finished(conn, &scope, exam.id)?;
            table::own_rank(&table::counted_rows(exam, &all, now), me).unzip()
        } else {
            (None, None)
        };
        let extra = assigned.iter().find(|a| a.0 == exam.id).map_or(0, |a| a.1);
        let allowed = exam.settings.attempts_allowed + u32::try_from(extra).unwrap_or(0);
        let no_more = now >= exam.closes_at
            || now > exam.late_entry_until()
            || at_exam.len() as u32 >= allowed;
        let policy = match exam.settings.review_policy {
            ReviewPolicy::Never => false,
            ReviewPolicy::AfterRelease => true,
            ReviewPolicy::AfterClose => now >= exam.closes_at,
        };
        out.push(MyResult {
            exam_id: exam.id.to_string(),
            exam_name: exam.settings.name.clone(),
            attempt_id: row.attempt_id.clone(),
            score: row.score,
            max_score: row.max_score,
            percent: row.percent,
            passed: row.passed,
            rank,
            ranked,
            submitted_at: row.submitted_at.clone(),
            review_available: policy && no_more && !running.contains(&exam.id),
            certificates: certs
                .iter()
                .filter(|(e, _)| *e == exam.id)
                .map(|(_, n)| n.clone())
                .collect(),
        });
    }
    out.sort_by(|a, b| b.submitted_at.cmp(&a.submitted_at));
    Ok(out)
}
