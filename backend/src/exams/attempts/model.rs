//! Attempts in the database: the attempt row and its lock, the candidate's attempts and
//! assignments, starting one, the answers with their `seq` rule, and submission
//! ([`finalise`]: an idempotent submit and grade, also the work of the deadline job).
//!
//! Architecture invariant: answers are durable before they are acknowledged. Saves and the
//! submission of one attempt are serialised by the attempt's row lock ([`lock`]).

use std::collections::HashMap;

use anyhow::Context;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use shared::exams::{AnswerValue, AttemptStatus, SubmitReason};

use crate::auth::AuthCandidate;
use crate::db::DbConnection;
use crate::db::schema::{attempt_answers, attempts, exam_assignments};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::exams::{grading, model as exam_model};
use crate::papers::candidate::load_contents;
use crate::papers::generate::Arrangement;
use crate::scoped;
use crate::tenancy::OrgScope;

/// The job kind that submits an attempt at its deadline (see [`run_auto_submit`]).
pub const AUTO_SUBMIT: &str = "auto_submit";
/// The job kind queued whenever an attempt is finished or graded ([`enqueue_finished`]); its
/// handler (`results::release::run_finished`) sends the release notice and issues the
/// automatic certificate when due.
pub const FINISHED: &str = "attempt_finished";

/// Queues the [`FINISHED`] job of `attempt`, in the transaction that finished or graded it.
/// The attempt's per-question grading (`attempts.grading`: question id, points earned and
/// possible, whether a person must still mark it, their marks, an admin's override); empty
/// before submission.
pub fn grading_entries<T: serde::de::DeserializeOwned>(
    conn: &mut DbConnection,
    scope: &OrgScope,
    attempt: DbUuid,
) -> Result<Vec<T>, ModelError> {
    let stored: Option<String> = crate::scoped!(attempts, scope)
        .filter(attempts::id.eq(attempt))
        .select(attempts::grading)
        .first(conn)?;
    Ok(stored
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(anyhow::Error::from)?
        .unwrap_or_default())
}

pub fn enqueue_finished(conn: &mut DbConnection, org: DbUuid, attempt: DbUuid) -> QueryResult<()> {
    crate::jobs::enqueue(
        conn,
        FINISHED,
        Timestamp::now(),
        &serde_json::json!({ "attempt_id": attempt.to_string(), "org_id": org.to_string() }),
    )?;
    Ok(())
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = attempts)]
pub struct AttemptRow {
    pub id: DbUuid,
    pub exam_id: DbUuid,
    pub candidate_id: DbUuid,
    pub number: i32,
    pub seed: String,
    pub arrangement: String,
    pub status: String,
    pub started_at: Timestamp,
    pub deadline: Timestamp,
    pub submitted_at: Option<Timestamp>,
    pub receipt: Option<String>,
    pub score_centi: Option<i32>,
    pub max_score_centi: i32,
    pub needs_manual_grading: bool,
    /// The portal session that last started or resumed the attempt.
    pub session_id: Option<DbUuid>,
    /// Whether only that session may work on it (the exam's `entry.single_device` then).
    pub single_device: bool,
    pub submitted_reason: Option<String>,
    pub last_activity_at: Option<Timestamp>,
    pub last_ip_enc: Option<Vec<u8>>,
    /// When the candidate was first shown this attempt's answer keys (review).
    pub keys_shown_at: Option<Timestamp>,
}

impl AttemptRow {
    pub fn status(&self) -> AttemptStatus {
        AttemptStatus::parse(&self.status).unwrap_or(AttemptStatus::InProgress)
    }

    pub fn arrangement(&self) -> anyhow::Result<Arrangement> {
        serde_json::from_str(&self.arrangement).context("attempt arrangement")
    }
}

/// The candidate's own attempt (`NotFound` for anyone else's).
pub fn find_own(
    conn: &mut DbConnection,
    me: &AuthCandidate,
    id: DbUuid,
) -> QueryResult<AttemptRow> {
    attempts::table
        .filter(attempts::org_id.eq(me.org_id))
        .filter(attempts::candidate_id.eq(me.candidate_id))
        .filter(attempts::id.eq(id))
        .select(AttemptRow::as_select())
        .first(conn)
}

/// An attempt of the scope's organisation.
pub fn find(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> QueryResult<AttemptRow> {
    scoped!(attempts, scope)
        .filter(attempts::id.eq(id))
        .select(AttemptRow::as_select())
        .first(conn)
}

/// Takes the attempt's row lock (PostgreSQL; SQLite transactions already hold the write lock),
/// so saves and submission of one attempt run one after another.
pub fn lock(conn: &mut DbConnection, id: DbUuid) -> QueryResult<()> {
    diesel::update(attempts::table.find(id))
        .set(attempts::status.eq(attempts::status))
        .execute(conn)?;
    Ok(())
}

/// Every attempt of a candidate, in order of their numbers.
pub fn of_candidate(
    conn: &mut DbConnection,
    scope: &OrgScope,
    candidate: DbUuid,
) -> QueryResult<Vec<AttemptRow>> {
    scoped!(attempts, scope)
        .filter(attempts::candidate_id.eq(candidate))
        .order(attempts::number)
        .select(AttemptRow::as_select())
        .load(conn)
}

/// A candidate's attempts at one exam, in order of their numbers.
pub fn at_exam(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    candidate: DbUuid,
) -> QueryResult<Vec<AttemptRow>> {
    scoped!(attempts, scope)
        .filter(attempts::exam_id.eq(exam))
        .filter(attempts::candidate_id.eq(candidate))
        .order(attempts::number)
        .select(AttemptRow::as_select())
        .load(conn)
}

/// Records that the candidate is being shown attempt `id`'s answer keys, unless an earlier
/// review already did (the first time counts).
pub fn mark_keys_shown(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    now: Timestamp,
) -> QueryResult<()> {
    diesel::update(
        scoped!(attempts, scope)
            .filter(attempts::id.eq(id))
            .filter(attempts::keys_shown_at.is_null()),
    )
    .set(attempts::keys_shown_at.eq(Some(now)))
    .execute(conn)?;
    Ok(())
}

/// When the candidate was first shown answer keys of the exam (through the review of any of
/// their attempts at it), if ever: from then on no attempt of theirs may start or reopen.
pub fn keys_shown_at<'a>(attempts: impl IntoIterator<Item = &'a AttemptRow>) -> Option<Timestamp> {
    attempts.into_iter().filter_map(|r| r.keys_shown_at).min()
}

/// What a candidate's assignment to an exam adds: the accommodation and extra attempts.
#[derive(Debug, Clone, Copy, Queryable)]
pub struct Extras {
    pub minutes: i32,
    pub percent: i32,
    pub attempts: i32,
}

/// The candidate's assignment to `exam`, if they have one.
pub fn assignment(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    candidate: DbUuid,
) -> QueryResult<Option<Extras>> {
    scoped!(exam_assignments, scope)
        .filter(exam_assignments::exam_id.eq(exam))
        .filter(exam_assignments::candidate_id.eq(candidate))
        .select((
            exam_assignments::extra_minutes,
            exam_assignments::extra_percent,
            exam_assignments::extra_attempts,
        ))
        .first(conn)
        .optional()
}

/// `(exam, extra attempts)` of every assignment of the candidate.
pub fn assignments_of(
    conn: &mut DbConnection,
    scope: &OrgScope,
    candidate: DbUuid,
) -> QueryResult<Vec<(DbUuid, i32)>> {
    scoped!(exam_assignments, scope)
        .filter(exam_assignments::candidate_id.eq(candidate))
        .select((exam_assignments::exam_id, exam_assignments::extra_attempts))
        .load(conn)
}

/// A new attempt, in progress from `started_at`.
pub struct NewAttempt<'a> {
    pub id: DbUuid,
    pub org: DbUuid,
    pub exam: DbUuid,
    pub candidate: DbUuid,
    pub number: i32,
    pub seed: &'a str,
    pub arrangement: &'a str,
    pub started_at: Timestamp,
    pub deadline: Timestamp,
    pub max_score_centi: i32,
    pub session: DbUuid,
    pub single_device: bool,
}

pub fn insert(conn: &mut DbConnection, new: &NewAttempt<'_>) -> QueryResult<()> {
    diesel::insert_into(attempts::table)
        .values((
            attempts::id.eq(new.id),
            attempts::org_id.eq(new.org),
            attempts::exam_id.eq(new.exam),
            attempts::candidate_id.eq(new.candidate),
            attempts::number.eq(new.number),
            attempts::seed.eq(new.seed),
            attempts::arrangement.eq(new.arrangement),
            attempts::status.eq(AttemptStatus::InProgress.as_str()),
            attempts::started_at.eq(new.started_at),
            attempts::deadline.eq(new.deadline),
            attempts::max_score_centi.eq(new.max_score_centi),
            attempts::session_id.eq(Some(new.session)),
            attempts::single_device.eq(new.single_device),
            attempts::last_activity_at.eq(Some(new.started_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Hands the attempt to the portal session `session`, under the exam's current
/// single-device rule.
pub fn assign_session(
    conn: &mut DbConnection,
    id: DbUuid,
    session: DbUuid,
    single_device: bool,
) -> QueryResult<()> {
    diesel::update(attempts::table.find(id))
        .set((
            attempts::session_id.eq(Some(session)),
            attempts::single_device.eq(single_device),
        ))
        .execute(conn)?;
    Ok(())
}

/// `(question, answer, seq, saved_at)` of a stored answer.
pub type StoredAnswer = (DbUuid, AnswerValue, u64, Timestamp);

/// The stored answers of an attempt, by question id.
pub fn load_answers(
    conn: &mut DbConnection,
    attempt: DbUuid,
) -> Result<Vec<StoredAnswer>, ModelError> {
    let rows: Vec<(DbUuid, String, i64, Timestamp)> = attempt_answers::table
        .filter(attempt_answers::attempt_id.eq(attempt))
        .order(attempt_answers::question_id)
        .select((
            attempt_answers::question_id,
            attempt_answers::answer,
            attempt_answers::seq,
            attempt_answers::saved_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(q, a, seq, at)| {
            let answer: AnswerValue = serde_json::from_str(&a).context("stored answer")?;
            Ok((q, answer, u64::try_from(seq).unwrap_or(0), at))
        })
        .collect()
}

/// How many questions of the attempt have an answer.
pub fn count_answers(conn: &mut DbConnection, attempt: DbUuid) -> QueryResult<i64> {
    attempt_answers::table
        .filter(attempt_answers::attempt_id.eq(attempt))
        .count()
        .get_result(conn)
}

/// The answer stored for one question of the attempt, if any.
pub fn stored_answer(
    conn: &mut DbConnection,
    attempt: DbUuid,
    question: DbUuid,
) -> Result<Option<StoredAnswer>, ModelError> {
    let row: Option<(String, i64, Timestamp)> = attempt_answers::table
        .filter(attempt_answers::attempt_id.eq(attempt))
        .filter(attempt_answers::question_id.eq(question))
        .select((
            attempt_answers::answer,
            attempt_answers::seq,
            attempt_answers::saved_at,
        ))
        .first(conn)
        .optional()?;
    row.map(|(answer, seq, saved_at)| {
        let answer: AnswerValue = serde_json::from_str(&answer).context("stored answer")?;
        Ok((question, answer, u64::try_from(seq).unwrap_or(0), saved_at))
    })
    .transpose()
}

/// What the `seq` rule makes of a save: a save applies only when its `seq` is newer than the
/// stored answer's; an older or equal one changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqRule {
    /// Newer than what is stored (or nothing is): write it.
    Apply,
    /// The stored answer stands; `replay` when the save is the one stored (same `seq` and
    /// answer), which answers as the original did.
    Stands { replay: bool },
}

impl SeqRule {
    pub fn of(stored: Option<&StoredAnswer>, seq: u64, answer: &AnswerValue) -> SeqRule {
        match stored {
            Some((_, stored_answer, stored_seq, _)) if *stored_seq >= seq => SeqRule::Stands {
                replay: *stored_seq == seq && stored_answer == answer,
            },
            _ => SeqRule::Apply,
        }
    }
}

/// Stores `answer` for `question` with its `seq` (the caller applied [`SeqRule`] under the
/// attempt's lock).
pub fn upsert_answer(
    conn: &mut DbConnection,
    org: DbUuid,
    attempt: DbUuid,
    question: DbUuid,
    answer: &AnswerValue,
    seq: u64,
    now: Timestamp,
) -> Result<(), ModelError> {
    let json = serde_json::to_string(answer).context("answer")?;
    let seq = i64::try_from(seq).context("seq")?;
    let updated = diesel::update(
        attempt_answers::table
            .filter(attempt_answers::attempt_id.eq(attempt))
            .filter(attempt_answers::question_id.eq(question)),
    )
    .set((
        attempt_answers::answer.eq(&json),
        attempt_answers::seq.eq(seq),
        attempt_answers::saved_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(attempt_answers::table)
            .values((
                attempt_answers::attempt_id.eq(attempt),
                attempt_answers::question_id.eq(question),
                attempt_answers::org_id.eq(org),
                attempt_answers::answer.eq(&json),
                attempt_answers::seq.eq(seq),
                attempt_answers::saved_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Queues the job that submits the attempt at `deadline`.
pub fn enqueue_deadline(
    conn: &mut DbConnection,
    org: DbUuid,
    attempt: DbUuid,
    deadline: Timestamp,
) -> QueryResult<DbUuid> {
    crate::jobs::enqueue(
        conn,
        AUTO_SUBMIT,
        deadline,
        &serde_json::json!({ "attempt_id": attempt.to_string(), "org_id": org.to_string() }),
    )
}

/// The [`AUTO_SUBMIT`] job (registered with the job queue at start-up): its payload names the
/// attempt and its organisation; an attempt gone since then is nothing to do.
pub fn run_auto_submit(conn: &mut DbConnection, payload: &serde_json::Value) -> anyhow::Result<()> {
    let id = |name: &str| -> anyhow::Result<DbUuid> {
        let s = payload[name].as_str().context("missing id")?;
        Ok(DbUuid(uuid::Uuid::parse_str(s)?))
    };
    let (attempt, org) = (id("attempt_id")?, id("org_id")?);
    let scope = OrgScope::system(org);
    match crate::db::transaction(conn, |conn| deadline_reached(conn, &scope, attempt)) {
        Ok(()) | Err(ModelError::NotFound) => Ok(()),
        Err(ModelError::Database(diesel::result::Error::NotFound)) => Ok(()),
        Err(e) => Err(anyhow::anyhow!("auto-submit failed: {e}")),
    }
}

/// The deadline job of an attempt: submits it if its deadline has come. A proctor may have
/// moved the deadline later since the job was queued; then the job queues itself again for the
/// new deadline and submits nothing, so an older job is harmless.
pub fn deadline_reached(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<(), ModelError> {
    lock(conn, id)?;
    let (status, deadline): (String, Timestamp) = scoped!(attempts, scope)
        .filter(attempts::id.eq(id))
        .select((attempts::status, attempts::deadline))
        .first(conn)
        .optional()?
        .ok_or(ModelError::NotFound)?;
    if status != AttemptStatus::InProgress.as_str() {
        return Ok(());
    }
    if deadline > Timestamp::now() {
        enqueue_deadline(conn, scope.org_id(), id, deadline)?;
        return Ok(());
    }
    finalise(conn, scope, id, SubmitReason::Deadline)
}

/// SHA-256 (hex) over the attempt id and the stored answers in question-id order, one line
/// each: `question_id`, `seq` and the answer's JSON, tab-separated.
pub fn receipt_of(attempt: DbUuid, answers: &[StoredAnswer]) -> String {
    let mut hash = Sha256::new();
    hash.update(attempt.to_string().as_bytes());
    hash.update(b"\n");
    let mut sorted: Vec<&StoredAnswer> = answers.iter().collect();
    sorted.sort_by_key(|a| a.0.to_string());
    for (question, answer, seq, _) in sorted {
        let json = serde_json::to_string(answer).unwrap_or_default();
        hash.update(format!("{question}\t{seq}\t{json}\n").as_bytes());
    }
    hex::encode(hash.finalize())
}

/// Submits and grades the attempt if it is still in progress; does nothing otherwise, so the
/// candidate's submit, a late request, the deadline job, an integrity limit and a proctor may
/// all call it. `reason` is recorded; anything but the candidate marks it auto-submitted.
pub fn finalise(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    reason: SubmitReason,
) -> Result<(), ModelError> {
    let auto = reason != SubmitReason::Candidate;
    lock(conn, id)?;
    let row = find(conn, scope, id)
        .optional()?
        .ok_or(ModelError::NotFound)?;
    if row.status() != AttemptStatus::InProgress {
        return Ok(());
    }
    let exam = exam_model::find(conn, scope, row.exam_id)?;
    let arrangement = row.arrangement()?;
    let answers = load_answers(conn, id)?;
    let by_question: HashMap<String, &AnswerValue> = answers
        .iter()
        .map(|(q, a, _, _)| (q.to_string(), a))
        .collect();
    let mut wanted = Vec::new();
    for p in arrangement.iter().flatten() {
        let q = uuid::Uuid::parse_str(&p.question_id).context("arranged question id")?;
        wanted.push((DbUuid(q), p.version));
    }
    let contents = load_contents(conn, scope, &wanted)?;
    let mut earned = 0.0;
    let mut manual = false;
    let mut per_question = Vec::new();
    for (p, key) in arrangement.iter().flatten().zip(&wanted) {
        let content = contents
            .get(key)
            .ok_or_else(|| anyhow::anyhow!("question version missing"))?;
        let g = grading::grade(
            content,
            f64::from(p.points_centi) / 100.0,
            by_question.get(&p.question_id).copied(),
            exam.negative_fraction(),
        );
        earned += g.earned;
        manual |= g.needs_manual;
        per_question.push(serde_json::json!({
            "question_id": p.question_id, "earned": g.earned, "max": g.max,
            "needs_manual": g.needs_manual,
        }));
    }
    let status = if manual {
        AttemptStatus::Submitted
    } else {
        AttemptStatus::Graded
    };
    let score = (earned * 100.0).round() as i32;
    diesel::update(
        attempts::table
            .filter(attempts::id.eq(id))
            .filter(attempts::status.eq(AttemptStatus::InProgress.as_str())),
    )
    .set((
        attempts::status.eq(status.as_str()),
        attempts::submitted_at.eq(Some(Timestamp::now())),
        attempts::auto_submitted.eq(auto),
        attempts::receipt.eq(Some(receipt_of(id, &answers))),
        attempts::score_centi.eq(Some(score)),
        attempts::needs_manual_grading.eq(manual),
        attempts::grading.eq(Some(serde_json::Value::Array(per_question).to_string())),
        attempts::submitted_reason.eq(Some(reason.as_str())),
    ))
    .execute(conn)?;
    enqueue_finished(conn, scope.org_id(), id)?;
    Ok(())
}
