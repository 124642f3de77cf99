//! The results table of one exam: per candidate the attempt that counts under the exam's
//! scoring, its score, pass/fail, the rank with ties, time used and grading state.
//!
//! The whole exam is computed in one pass over its finished attempts (one narrow query, no
//! decryption): 10,000 attempts are a few hundred kilobytes and sort in milliseconds, and the
//! rank needs every score anyway. Names are decrypted afterwards, for the page only (or row by
//! row while an export streams), and only for callers who may read candidates.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use shared::exams::{AttemptStatus, Scoring, SubmitReason};
use shared::results::{GradingState, ResultRow, ResultSort, ResultSummary};

use crate::db::DbConnection;
use crate::db::schema::{attempts, candidate_group_members, exam_assignments};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::exams::attempts::view::released_status;
use crate::exams::model::ExamRow;
use crate::scoped;
use crate::tenancy::OrgScope;

/// A finished attempt, as the table needs it.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = attempts)]
pub struct Finished {
    pub id: DbUuid,
    pub candidate_id: DbUuid,
    pub number: i32,
    pub status: String,
    pub started_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    pub score_centi: Option<i32>,
    pub max_score_centi: i32,
    pub submitted_reason: Option<String>,
}

/// Filters and order of the table.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub passed: Option<bool>,
    pub grading: Option<GradingState>,
    /// Candidates of this group only.
    pub group: Option<DbUuid>,
    pub sort: ResultSort,
    /// Reverse the order.
    pub descending: bool,
}

/// The whole table (every matching row, in order) and the exam's summary.
pub struct Table {
    pub rows: Vec<ResultRow>,
    pub summary: ResultSummary,
}

/// The finished attempts of `exam` the scope may see (an admin's data scope applies).
pub fn finished(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
) -> Result<Vec<Finished>, ModelError> {
    let rows: Vec<Finished> = scoped!(attempts, scope)
        .filter(attempts::exam_id.eq(exam))
        .filter(attempts::status.ne(AttemptStatus::InProgress.as_str()))
        .order((attempts::candidate_id.asc(), attempts::number.asc()))
        .select(Finished::as_select())
        .load(conn)?;
    if scope.group_scope().is_none() {
        return Ok(rows);
    }
    let ids: Vec<DbUuid> = rows.iter().map(|r| r.candidate_id).collect();
    let visible = crate::candidates::model::visible_ids(conn, scope, &ids)?;
    Ok(rows
        .into_iter()
        .filter(|r| visible.contains(&r.candidate_id))
        .collect())
}

fn group_members(
    conn: &mut DbConnection,
    scope: &OrgScope,
    group: DbUuid,
) -> QueryResult<HashSet<DbUuid>> {
    let ids: Vec<DbUuid> = scoped!(candidate_group_members, scope)
        .filter(candidate_group_members::group_id.eq(group))
        .select(candidate_group_members::candidate_id)
        .load(conn)?;
    Ok(ids.into_iter().collect())
}

fn assigned_count(conn: &mut DbConnection, scope: &OrgScope, exam: DbUuid) -> QueryResult<i64> {
    scoped!(exam_assignments, scope)
        .filter(exam_assignments::exam_id.eq(exam))
        .count()
        .get_result(conn)
}

/// The table of `exam`, filtered and ordered; the summary covers every visible candidate.
pub fn table(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: &ExamRow,
    filter: &Filter,
    now: Timestamp,
) -> Result<Table, ModelError> {
    let attempts = finished(conn, scope, exam.id)?;
    let assigned = assigned_count(conn, scope, exam.id)?;
    let mut rows = rank(counted_rows(exam, &attempts, now));
    let summary = summarise(exam, &rows, assigned);
    let members = match filter.group {
        Some(g) => Some(group_members(conn, scope, g)?),
        None => None,
    };
    rows.retain(|r| {
        filter.passed.is_none_or(|p| r.passed == p)
            && filter.grading.is_none_or(|g| r.grading == g)
            && members.as_ref().is_none_or(|m| {
                uuid::Uuid::parse_str(&r.candidate_id).is_ok_and(|id| m.contains(&DbUuid(id)))
            })
    });
    sort(&mut rows, filter.sort, filter.descending);
    Ok(Table { rows, summary })
}

fn centi(c: i32) -> f64 {
    f64::from(c) / 100.0
}

/// Whether `score` (points) reaches the exam's `pass_mark` (points), allowing for the rounding
/// of a mean of hundredths.
pub fn passes(score: f64, pass_mark: f64) -> bool {
    score + 1e-9 >= pass_mark
}

/// One row per candidate, from their finished attempts (ordered by candidate, then number).
pub(super) fn counted_rows(
    exam: &ExamRow,
    attempts: &[Finished],
    now: Timestamp,
) -> Vec<ResultRow> {
    let mut by_candidate: Vec<(DbUuid, Vec<&Finished>)> = Vec::new();
    for a in attempts {
        match by_candidate.last_mut() {
            Some((c, list)) if *c == a.candidate_id => list.push(a),
            _ => by_candidate.push((a.candidate_id, vec![a])),
        }
    }
    by_candidate
        .into_iter()
        .filter_map(|(candidate, list)| counted_row(exam, candidate, &list, now))
        .collect()
}

fn counted_row(
    exam: &ExamRow,
    candidate: DbUuid,
    list: &[&Finished],
    now: Timestamp,
) -> Option<ResultRow> {
    let last = *list.last()?;
    let score_of = |a: &Finished| a.score_centi.unwrap_or(0);
    let (counted, score_centi) = match exam.settings.scoring {
        Scoring::Last => (last, score_of(last)),
        Scoring::Best => {
            let best = list
                .iter()
                .copied()
                .max_by_key(|a| (score_of(a), -a.number))
                .unwrap_or(last);
            (best, score_of(best))
        }
        Scoring::Average => {
            let sum: i64 = list.iter().map(|a| i64::from(score_of(a))).sum();
            let mean = (sum as f64 / list.len() as f64).round() as i32;
            (last, mean)
        }
    };
    let counted_in: Vec<&&Finished> = match exam.settings.scoring {
        Scoring::Average => list.iter().collect(),
        _ => list.iter().filter(|a| a.id == counted.id).collect(),
    };
    let pending = counted_in
        .iter()
        .any(|a| a.status != AttemptStatus::Graded.as_str());
    let status = AttemptStatus::parse(&counted.status).unwrap_or(AttemptStatus::Submitted);
    let submitted = counted.submitted_at.unwrap_or(counted.started_at);
    let score = centi(score_centi);
    let max = centi(counted.max_score_centi);
    Some(ResultRow {
        candidate_id: candidate.to_string(),
        account: None,
        name: None,
        attempt_id: counted.id.to_string(),
        attempt_number: counted.number,
        attempts: u32::try_from(list.len()).unwrap_or(u32::MAX),
        score,
        max_score: max,
        percent: if max > 0.0 {
            (score / max * 10_000.0).round() / 100.0
        } else {
            0.0
        },
        passed: passes(score, exam.settings.pass_mark),
        rank: 0,
        time_used_seconds: (submitted.0 - counted.started_at.0).num_seconds().max(0),
        submitted_at: submitted.to_canonical_string(),
        submitted_reason: counted
            .submitted_reason
            .as_deref()
            .and_then(SubmitReason::parse),
        grading: if pending {
            GradingState::Pending
        } else {
            GradingState::Graded
        },
        released: released_status(status, exam, now),
    })
}

/// Orders by score (best first, then less time) and sets the competition rank: equal scores
/// share a rank, and the next one skips (1, 2, 2, 4).
pub fn rank(mut rows: Vec<ResultRow>) -> Vec<ResultRow> {
    rows.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.time_used_seconds.cmp(&b.time_used_seconds))
            .then(a.candidate_id.cmp(&b.candidate_id))
    });
    let mut previous: Option<(f64, u32)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        let position = u32::try_from(i + 1).unwrap_or(u32::MAX);
        row.rank = match previous {
            Some((score, rank)) if (score - row.score).abs() < 1e-9 => rank,
            _ => position,
        };
        previous = Some((row.score, row.rank));
    }
    rows
}

fn sort(rows: &mut [ResultRow], by: ResultSort, descending: bool) {
    match by {
        // Already in rank order.
        ResultSort::Rank => {}
        ResultSort::TimeUsed => rows.sort_by(|a, b| {
            a.time_used_seconds
                .cmp(&b.time_used_seconds)
                .then(a.rank.cmp(&b.rank))
        }),
        ResultSort::Submitted => rows.sort_by(|a, b| {
            b.submitted_at
                .cmp(&a.submitted_at)
                .then(a.rank.cmp(&b.rank))
        }),
    }
    if descending {
        rows.reverse();
    }
}

fn summarise(exam: &ExamRow, rows: &[ResultRow], assigned: i64) -> ResultSummary {
    let finished = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let mean = (!rows.is_empty()).then(|| {
        let sum: f64 = rows.iter().map(|r| r.score).sum();
        (sum / rows.len() as f64 * 100.0).round() / 100.0
    });
    ResultSummary {
        candidates: u32::try_from(assigned).unwrap_or(u32::MAX).max(finished),
        finished,
        passed: rows.iter().filter(|r| r.passed).count() as u32,
        pending: rows
            .iter()
            .filter(|r| r.grading == GradingState::Pending)
            .count() as u32,
        mean_score: mean,
        highest_score: rows.first().map(|r| r.score),
        max_score: rows.first().map_or(0.0, |r| r.max_score),
        pass_mark: exam.settings.pass_mark,
    }
}

/// The candidate's own released result at `exam`, with their rank among released results.
pub fn own_rank(rows: &[ResultRow], candidate: DbUuid) -> Option<(u32, u32)> {
    let released: Vec<ResultRow> = rows.iter().filter(|r| r.released).cloned().collect();
    let ranked = rank(released);
    let me = candidate.to_string();
    let total = u32::try_from(ranked.len()).unwrap_or(u32::MAX);
    ranked
        .iter()
        .find(|r| r.candidate_id == me)
        .map(|r| (r.rank, total))
}

/// Rows keyed by candidate id (the portal's "my results" reads its own).
pub fn by_candidate(rows: Vec<ResultRow>) -> HashMap<String, ResultRow> {
    rows.into_iter()
        .map(|r| (r.candidate_id.clone(), r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, score: f64, time: i64) -> ResultRow {
        ResultRow {
            candidate_id: id.to_owned(),
            account: None,
            name: None,
            attempt_id: id.to_owned(),
            attempt_number: 1,
            attempts: 1,
            score,
            max_score: 10.0,
            percent: score * 10.0,
            passed: score >= 6.0,
            rank: 0,
            time_used_seconds: time,
            submitted_at: String::new(),
            submitted_reason: None,
            grading: GradingState::Graded,
            released: true,
        }
    }

    #[test]
    fn equal_scores_share_a_rank_and_the_next_rank_skips() {
        let ranked = rank(vec![
            row("a", 7.0, 100),
            row("b", 9.0, 300),
            row("c", 7.0, 50),
            row("d", 3.0, 10),
        ]);
        let got: Vec<(&str, u32)> = ranked
            .iter()
            .map(|r| (r.candidate_id.as_str(), r.rank))
            .collect();
        assert_eq!(got, vec![("b", 1), ("c", 2), ("a", 2), ("d", 4)]);
    }
}
