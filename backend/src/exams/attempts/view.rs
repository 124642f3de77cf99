//! What the candidate sees of their attempts: the exams assigned to them with their state, an
//! attempt's summary (the score once the release policy allows) and the full attempt (the
//! paper without answer keys, the saved answers, the clock).
//!
//! Architecture invariant: nothing here carries answer keys, explanations or rubrics; the
//! paper is built by `papers::candidate::build_candidate_paper`, and its ids are the attempt's
//! labels (`papers::labels`).

use std::collections::HashMap;

use diesel::prelude::*;
use shared::exams::{
    AttemptStatus, AttemptSummary, AttemptView, CandidateExam, ExamState, ReleasePolicy,
    ReviewPolicy, SavedAnswer,
};
use shared::labels::answer_to_candidate;

use super::model::{self, AttemptRow};
use crate::crypto::BlindIndex;
use crate::db::DbConnection;
use crate::db::schema::exam_assignments;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::exams::grading;
use crate::exams::model::{self as exam_model, ExamRow};
use crate::papers::candidate::{arrangement_keys, build_candidate_paper, load_contents};
use crate::papers::labels::Labels;
use crate::scoped;
use crate::tenancy::{CandidateScope, OrgScope};

/// Whether the attempt's score is released to its candidate under the exam's release policy.
pub fn released(row: &AttemptRow, exam: &ExamRow, now: Timestamp) -> bool {
    released_status(row.status(), exam, now)
}

/// Whether an attempt in `status` has its score released under the exam's release policy.
pub fn released_status(status: AttemptStatus, exam: &ExamRow, now: Timestamp) -> bool {
    match exam.settings.release_policy {
        ReleasePolicy::Immediately => status != AttemptStatus::InProgress,
        ReleasePolicy::AfterGrading => status == AttemptStatus::Graded,
        ReleasePolicy::AtTime => {
            status == AttemptStatus::Graded && exam.release_at().is_some_and(|t| t <= now)
        }
    }
}

/// The candidate's view of an attempt's result: the score once the release policy allows.
pub fn summary(row: &AttemptRow, exam: &ExamRow, now: Timestamp) -> AttemptSummary {
    let status = row.status();
    let released = released(row, exam, now);
    let score = row
        .score_centi
        .filter(|_| released)
        .map(|s| f64::from(s) / 100.0);
    AttemptSummary {
        id: row.id.to_string(),
        number: row.number,
        status,
        started_at: row.started_at.to_canonical_string(),
        deadline: row.deadline.to_canonical_string(),
        submitted_at: row.submitted_at.map(Timestamp::to_canonical_string),
        score,
        passed: score
            .filter(|_| status == AttemptStatus::Graded)
            .map(|s| s + 1e-9 >= exam.settings.pass_mark),
    }
}

/// The exams assigned to the candidate, with their state, attempts left and attempts.
pub fn candidate_exams(
    conn: &mut DbConnection,
    cand: &CandidateScope,
) -> Result<Vec<CandidateExam>, ModelError> {
    let scope = cand.org_scope();
    let assigned = model::assignments_of(conn, &scope, cand.candidate_id())?;
    let ids: Vec<DbUuid> = assigned.iter().map(|a| a.0).collect();
    let exams = exam_model::find_many(conn, &scope, &ids)?;
    let rows = model::of_candidate(conn, &scope, cand.candidate_id())?;
    let now = Timestamp::now();
    Ok(exams
        .iter()
        .map(|exam| {
            let extra = assigned.iter().find(|a| a.0 == exam.id).map_or(0, |a| a.1);
            let mine: Vec<&AttemptRow> = rows.iter().filter(|r| r.exam_id == exam.id).collect();
            candidate_exam(exam, extra, &mine, now)
        })
        .collect())
}

/// One exam as the candidate's list shows it, given their attempts at it.
fn candidate_exam(
    exam: &ExamRow,
    extra_attempts: i32,
    mine: &[&AttemptRow],
    now: Timestamp,
) -> CandidateExam {
    let allowed = exam.settings.attempts_allowed + u32::try_from(extra_attempts).unwrap_or(0);
    // Once the candidate has seen the keys, no attempt is left, whatever the settings say.
    let left = if model::keys_shown_at(mine.iter().copied()).is_some() {
        0
    } else {
        allowed.saturating_sub(mine.len() as u32)
    };
    let running = mine
        .iter()
        .any(|r| r.status() == AttemptStatus::InProgress && r.deadline > now);
    let state = if running {
        ExamState::InProgress
    } else if now < exam.opens_at {
        ExamState::Upcoming
    } else if now <= exam.late_entry_until() && left > 0 {
        ExamState::Open
    } else {
        ExamState::Closed
    };
    let summaries: Vec<AttemptSummary> = mine.iter().map(|r| summary(r, exam, now)).collect();
    // `review_open` without its queries: nothing running and no attempt left to start (a
    // closed exam), and the policy allows this attempt. The review endpoint checks again.
    let reviewable = if state == ExamState::Closed {
        mine.iter()
            .filter(|r| policy_allows_review(r, exam, now))
            .map(|r| r.id.to_string())
            .collect()
    } else {
        Vec::new()
    };
    let scores: Vec<f64> = summaries
        .iter()
        .filter(|s| s.status != AttemptStatus::InProgress)
        .filter_map(|s| s.score)
        .collect();
    CandidateExam {
        id: exam.id.to_string(),
        name: exam.settings.name.clone(),
        instructions: exam.settings.instructions.clone(),
        opens_at: exam.settings.opens_at.clone(),
        closes_at: exam.settings.closes_at.clone(),
        duration_minutes: exam.settings.duration_minutes,
        late_entry_until: exam.late_entry_until().to_canonical_string(),
        state,
        attempts_allowed: allowed,
        attempts_left: left,
        attempts: summaries,
        score: grading::counting_score(exam.settings.scoring, &scores),
        reviewable,
    }
}

/// The full view of an attempt: the paper without answer keys, the saved answers, the clock.
/// Ids of options, items, prompts and answers are the attempt's labels (`papers::labels`).
pub fn view(
    conn: &mut DbConnection,
    scope: &OrgScope,
    mac: &BlindIndex,
    exam: &ExamRow,
    row: &AttemptRow,
) -> Result<AttemptView, ModelError> {
    let (name, spec) = crate::papers::model::paper_for_attempt(conn, scope, exam.paper_id)?;
    let arrangement = row.arrangement()?;
    let keys = arrangement_keys(&arrangement)?;
    let contents = load_contents(conn, scope, &keys)?;
    let labels = Labels::Attempt {
        mac,
        attempt: row.id,
    };
    let paper = build_candidate_paper(
        &contents,
        (exam.paper_id, &name),
        &spec,
        &arrangement,
        None,
        labels,
    )?;
    let versions: HashMap<DbUuid, i32> = keys.iter().copied().collect();
    let answers = model::load_answers(conn, row.id)?
        .into_iter()
        .map(|(question_id, answer, seq, saved_at)| {
            let answer = versions
                .get(&question_id)
                .and_then(|v| contents.get(&(question_id, *v)))
                .map_or(answer.clone(), |content| {
                    answer_to_candidate(
                        content,
                        &answer,
                        &labels.question(&question_id.to_string()),
                    )
                });
            SavedAnswer {
                question_id: question_id.to_string(),
                answer,
                seq,
                saved_at: saved_at.to_canonical_string(),
                applied: true,
            }
        })
        .collect();
    let now = Timestamp::now();
    Ok(AttemptView {
        summary: summary(row, exam, now),
        exam_id: exam.id.to_string(),
        exam_name: exam.settings.name.clone(),
        instructions: exam.settings.instructions.clone(),
        server_time: now.to_canonical_string(),
        paper,
        answers,
        receipt: row.receipt.clone(),
        integrity: shared::exams::IntegritySettings {
            ip_ranges: Vec::new(),
            ..exam.settings.integrity.clone()
        },
        review_available: review_open(conn, scope, exam, row, now)?,
    })
}

/// Whether the candidate whose attempt `row` is may review it now: the attempt is finished,
/// the exam's review policy allows it, no attempt of theirs at the exam is running, and they
/// can start no other one (or have seen the keys already). The receipt and the attempt view
/// offer the review link on this, without showing (and so recording) the keys.
/// Whether the exam's review policy, on its own, lets the candidate review this finished attempt.
fn policy_allows_review(row: &AttemptRow, exam: &ExamRow, now: Timestamp) -> bool {
    let allowed = match exam.settings.review_policy {
        ReviewPolicy::Never => false,
        ReviewPolicy::AfterRelease => released(row, exam, now),
        ReviewPolicy::AfterClose => now >= exam.closes_at,
    };
    allowed && row.status() != AttemptStatus::InProgress
}

pub fn review_open(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: &ExamRow,
    row: &AttemptRow,
    now: Timestamp,
) -> QueryResult<bool> {
    if !policy_allows_review(row, exam, now) {
        return Ok(false);
    }
    // All this candidate's attempts at the exam: one running, or room for another, keeps the
    // keys hidden. Once keys were shown, no other attempt can start (`keys_seen`).
    let mine = model::at_exam(conn, scope, row.exam_id, row.candidate_id)?;
    if mine.iter().any(|r| r.status() == AttemptStatus::InProgress) {
        return Ok(false);
    }
    let keys_seen = model::keys_shown_at(&mine).is_some();
    Ok(keys_seen || !can_start_again(conn, scope, exam, row.candidate_id, mine.len(), now)?)
}

/// Whether the candidate, with `used` attempts so far, could still start another attempt at
/// `exam` (assigned, an attempt left, the exam open and late entry not over): keys stay hidden
/// until they cannot.
fn can_start_again(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: &ExamRow,
    candidate: DbUuid,
    used: usize,
    now: Timestamp,
) -> QueryResult<bool> {
    if now >= exam.closes_at || now > exam.late_entry_until() {
        return Ok(false);
    }
    let Some(extra): Option<i32> = scoped!(exam_assignments, scope)
        .filter(exam_assignments::exam_id.eq(exam.id))
        .filter(exam_assignments::candidate_id.eq(candidate))
        .select(exam_assignments::extra_attempts)
        .first(conn)
        .optional()?
    else {
        return Ok(false);
    };
    let used = i64::try_from(used).unwrap_or(i64::MAX);
    Ok(used < i64::from(exam.settings.attempts_allowed) + i64::from(extra))
}
