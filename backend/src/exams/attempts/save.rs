//! Saving an answer and submitting: the candidate's writes to an attempt, each under the
//! attempt's row lock.
//!
//! A save is ordered by the client's per-question `seq` ([`SeqRule`]): an older or equal one
//! never overwrites, and a replay answers as the original did, even after submission.

use shared::exams::{AttemptStatus, SaveAnswer, SavedAnswer, SubmitReason, SubmitReceipt};
use shared::labels::{answer_to_authored, answer_to_candidate};

use super::error::AttemptError;
use super::guard;
use super::model::{self, SeqRule};
use super::view::summary;
use crate::db::DbConnection;
use crate::db::types::{DbUuid, Timestamp};
use crate::exams::{grading, integrity};
use crate::papers::candidate::load_contents;
use crate::papers::generate::Arrangement;
use crate::papers::labels::Labels;
use crate::state::AppState;
use crate::tenancy::CandidateScope;

/// What [`save`] did. `Refused` is refused after a change that is committed nevertheless: a
/// save that finds the candidate idle past the exam's timeout submits the attempt.
pub enum Saved {
    Answer(SavedAnswer),
    Refused(AttemptError),
}

/// Saves the candidate's answer to `question` of attempt `id` (named by the attempt's labels;
/// stored by authored ids), from `ip`.
pub fn save(
    conn: &mut DbConnection,
    st: &AppState,
    cand: &CandidateScope,
    (id, question): (DbUuid, DbUuid),
    input: SaveAnswer,
    ip: Option<&str>,
) -> Result<Saved, AttemptError> {
    let scope = cand.org_scope();
    let (row, exam) = guard::open_locked(conn, cand, id, ip)?;
    integrity::track_ip(conn, &st.cipher, &row, ip)?;
    let (version, _) = placed_question(&row.arrangement()?, &question.to_string())
        .ok_or(AttemptError::NotFound)?;
    let contents = load_contents(conn, &scope, &[(question, version)])?;
    let content = contents
        .get(&(question, version))
        .ok_or_else(|| anyhow::anyhow!("question version missing"))?;
    // The candidate names ids by the attempt's labels; stored answers use authored ids.
    let labels = Labels::Attempt {
        mac: &st.bidx,
        attempt: id,
    }
    .question(&question.to_string());
    let given = answer_to_authored(content, &input.answer, &labels)
        .ok_or_else(|| AttemptError::field("answer", "unknown_id"))?;
    grading::check_shape(content, &given)
        .map_err(|reason| AttemptError::field("answer", reason))?;
    let stored = model::stored_answer(conn, id, question)?;
    if let (SeqRule::Stands { replay }, Some((_, answer, seq, saved_at))) =
        (SeqRule::of(stored.as_ref(), input.seq, &given), &stored)
    {
        // An old or replayed save: the stored answer stands.
        return Ok(Saved::Answer(SavedAnswer {
            question_id: question.to_string(),
            answer: answer_to_candidate(content, answer, &labels),
            seq: *seq,
            saved_at: saved_at.to_canonical_string(),
            applied: replay,
        }));
    }
    let now = Timestamp::now();
    if row.status() != AttemptStatus::InProgress {
        return Err(AttemptError::Refused("attempt_submitted"));
    }
    if row.deadline <= now {
        return Err(AttemptError::Refused("deadline_passed"));
    }
    if integrity::idle_exceeded(&exam, &row, now) {
        // Idle past the exam's timeout: submitted now (committed), then refused.
        model::finalise(conn, &scope, id, SubmitReason::IntegrityLimit)?;
        return Ok(Saved::Refused(AttemptError::Refused("attempt_submitted")));
    }
    model::upsert_answer(conn, cand.org_id(), id, question, &given, input.seq, now)?;
    integrity::touch(conn, id, now)?;
    Ok(Saved::Answer(SavedAnswer {
        question_id: question.to_string(),
        answer: input.answer,
        seq: input.seq,
        saved_at: now.to_canonical_string(),
        applied: true,
    }))
}

/// The question of an arrangement with its pinned version and points.
fn placed_question(arrangement: &Arrangement, question: &str) -> Option<(i32, i32)> {
    arrangement
        .iter()
        .flatten()
        .find(|p| p.question_id == question)
        .map(|p| (p.version, p.points_centi))
}

/// Submits the candidate's attempt `id` (final) and grades it where possible; submitting again
/// answers the same receipt. Past its deadline, the submission is the deadline's.
pub fn submit(
    conn: &mut DbConnection,
    st: &AppState,
    cand: &CandidateScope,
    id: DbUuid,
    ip: Option<&str>,
) -> Result<SubmitReceipt, AttemptError> {
    let scope = cand.org_scope();
    let (row, exam) = guard::open_locked(conn, cand, id, ip)?;
    integrity::track_ip(conn, &st.cipher, &row, ip)?;
    let reason = if row.deadline <= Timestamp::now() {
        SubmitReason::Deadline
    } else {
        SubmitReason::Candidate
    };
    model::finalise(conn, &scope, id, reason)?;
    let row = model::find_own(conn, cand.me(), id)?;
    let answer_count = model::count_answers(conn, id)?;
    let now = Timestamp::now();
    let s = summary(&row, &exam, now);
    let review_available = super::view::review_open(conn, &scope, &exam, &row, now)?;
    Ok(SubmitReceipt {
        attempt_id: id.to_string(),
        submitted_at: s.submitted_at.unwrap_or_default(),
        answer_count,
        receipt: row.receipt.unwrap_or_default(),
        status: s.status,
        max_score: s.score.map(|_| f64::from(row.max_score_centi) / 100.0),
        score: s.score,
        passed: s.passed,
        review_available,
    })
}
