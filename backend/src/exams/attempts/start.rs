//! Starting an attempt, or resuming the unfinished one. The first attempt takes the paper
//! generated ahead of the start, each later one a freshly drawn and shuffled paper; the
//! deadline is start + duration + accommodation, capped by the exam's close, and the deadline
//! job is queued with it.

use chrono::Duration;
use shared::exams::{AttemptStatus, AttemptView, SubmitReason};

use super::error::AttemptError;
use super::model::{self, AttemptRow, Extras, NewAttempt};
use super::view::view;
use crate::audit::{Actor, Outcome};
use crate::db::DbConnection;
use crate::db::types::{DbUuid, Timestamp};
use crate::exams::integrity;
use crate::exams::model::{self as exam_model, ExamRow};
use crate::http::ClientInfo;
use crate::papers::generate::Arrangement;
use crate::state::AppState;
use crate::tenancy::CandidateScope;

/// An attempt started or resumed.
pub struct Started {
    /// A new attempt (rather than the unfinished one resumed).
    pub created: bool,
    pub view: AttemptView,
}

/// Starts an attempt at `exam_id` for the candidate, or resumes their unfinished one (taking
/// a single-device attempt over from another portal session, audited). An unfinished attempt
/// past its deadline is submitted first.
pub fn start(
    conn: &mut DbConnection,
    st: &AppState,
    cand: &CandidateScope,
    exam_id: DbUuid,
    client: &ClientInfo,
) -> Result<Started, AttemptError> {
    let scope = cand.org_scope();
    let me = cand.me();
    let exam = exam_model::find(conn, &scope, exam_id)?;
    let extras =
        model::assignment(conn, &scope, exam_id, me.candidate_id)?.ok_or(AttemptError::NotFound)?;
    let now = Timestamp::now();
    let mine = model::at_exam(conn, &scope, exam_id, me.candidate_id)?;
    let ip = client.ip.as_deref();
    if !integrity::ip_allowed(&exam.settings.integrity, ip) {
        return Err(AttemptError::IpNotAllowed);
    }
    if let Some(running) = mine
        .iter()
        .find(|r| r.status() == AttemptStatus::InProgress)
    {
        if running.deadline > now {
            let view = resume(conn, st, cand, &exam, running, client)?;
            return Ok(Started {
                created: false,
                view,
            });
        }
        // Past its deadline and not yet submitted by the queue: submit it now.
        model::finalise(conn, &scope, running.id, SubmitReason::Deadline)?;
    }
    may_start(&exam, extras, mine.len(), now)?;
    if model::keys_shown_at(&mine).is_some() {
        // The candidate has read the answer keys (review): any further attempt, whatever the
        // exam's settings or the assignment's extra attempts now allow, would be answered
        // with the keys.
        return Err(AttemptError::Refused("keys_seen"));
    }
    let row = begin(conn, st, cand, &exam, (extras, mine.len()), now, client)?;
    Ok(Started {
        created: true,
        view: view(conn, &scope, &st.bidx, &exam, &row)?,
    })
}

/// 409 unless the exam admits a new attempt now: open, before the end of late entry, and with
/// attempts left.
fn may_start(
    exam: &ExamRow,
    extras: Extras,
    taken: usize,
    now: Timestamp,
) -> Result<(), AttemptError> {
    if now < exam.opens_at {
        return Err(AttemptError::Refused("exam_not_open"));
    }
    if now >= exam.closes_at {
        return Err(AttemptError::Refused("exam_closed"));
    }
    if now > exam.late_entry_until() {
        return Err(AttemptError::Refused("late_entry_over"));
    }
    let allowed = i64::from(exam.settings.attempts_allowed) + i64::from(extras.attempts);
    if taken as i64 >= allowed {
        return Err(AttemptError::Refused("no_attempts_left"));
    }
    Ok(())
}

/// Resumes the unfinished attempt in this portal session.
fn resume(
    conn: &mut DbConnection,
    st: &AppState,
    cand: &CandidateScope,
    exam: &ExamRow,
    running: &AttemptRow,
    client: &ClientInfo,
) -> Result<AttemptView, AttemptError> {
    let me = cand.me();
    let single = exam.settings.entry.single_device;
    if running.session_id != Some(me.session_id) || running.single_device != single {
        model::lock(conn, running.id)?;
        model::assign_session(conn, running.id, me.session_id, single)?;
        if single && running.session_id.is_some_and(|s| s != me.session_id) {
            // Another device takes the attempt over; the old one is refused.
            let mut entry = client.audit(
                Some(me.org_id),
                Actor::Candidate(me.candidate_id),
                "attempt.takeover",
                Outcome::Success,
                serde_json::json!({ "exam_id": exam.id.to_string() }),
            );
            entry.target_kind = Some("attempt");
            entry.target_id = Some(running.id.to_string());
            crate::audit::append(conn, &st.cipher, entry)?;
        }
    }
    integrity::track_ip(conn, &st.cipher, running, client.ip.as_deref())?;
    let row = model::find_own(conn, me, running.id)?;
    Ok(view(conn, &cand.org_scope(), &st.bidx, exam, &row)?)
}

/// Inserts the candidate's next attempt on its paper and queues its deadline job.
fn begin(
    conn: &mut DbConnection,
    st: &AppState,
    cand: &CandidateScope,
    exam: &ExamRow,
    (extras, taken): (Extras, usize),
    now: Timestamp,
    client: &ClientInfo,
) -> Result<AttemptRow, AttemptError> {
    let me = cand.me();
    let (seed, arrangement) = paper_of(conn, cand, exam, taken == 0)?;
    let parsed: Arrangement = serde_json::from_str(&arrangement).map_err(anyhow::Error::from)?;
    let max: i64 = parsed
        .iter()
        .flatten()
        .map(|p| i64::from(p.points_centi))
        .sum();
    let duration = i64::from(exam.settings.duration_minutes);
    let extra_secs =
        i64::from(extras.minutes) * 60 + duration * 60 * i64::from(extras.percent) / 100;
    let deadline = Timestamp::from(
        (now.0 + Duration::minutes(duration) + Duration::seconds(extra_secs)).min(exam.closes_at.0),
    );
    let id = DbUuid::new_v7();
    model::insert(
        conn,
        &NewAttempt {
            id,
            org: me.org_id,
            exam: exam.id,
            candidate: me.candidate_id,
            number: taken as i32 + 1,
            seed: &seed,
            arrangement: &arrangement,
            started_at: now,
            deadline,
            max_score_centi: i32::try_from(max).unwrap_or(i32::MAX),
            session: me.session_id,
            single_device: exam.settings.entry.single_device,
        },
    )?;
    integrity::set_last_ip(conn, &st.cipher, id, client.ip.as_deref())?;
    model::enqueue_deadline(conn, me.org_id, id, deadline)?;
    Ok(model::find_own(conn, me, id)?)
}

/// `(seed, arrangement JSON)` of the attempt's paper: the first attempt takes the paper
/// generated ahead of the start (generated now if it was not), each later one a freshly drawn
/// and shuffled paper.
fn paper_of(
    conn: &mut DbConnection,
    cand: &CandidateScope,
    exam: &ExamRow,
    first: bool,
) -> Result<(String, String), AttemptError> {
    let scope = cand.org_scope();
    let candidate = cand.candidate_id();
    if !first {
        return Ok(crate::papers::instances::fresh_paper(
            conn,
            &scope,
            exam.paper_id,
        )?);
    }
    if let Some(found) = crate::papers::model::instance_of(conn, &scope, exam.paper_id, candidate)?
    {
        return Ok(found);
    }
    crate::papers::instances::pregenerate_for(conn, &scope, exam.paper_id, &[candidate])?;
    Ok(
        crate::papers::model::instance_of(conn, &scope, exam.paper_id, candidate)?
            .ok_or_else(|| anyhow::anyhow!("paper not generated"))?,
    )
}
