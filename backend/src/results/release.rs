//! Releasing results: what happens when an attempt is finished or graded, and when an exam's
//! release time comes.
//!
//! Whether a candidate sees a score is decided on every read by
//! `exams::attempts::view::released` (the release policy, the attempt's state and the clock),
//! so every node agrees without a flag to keep in step. What needs doing *at* release is the
//! notice to the candidate and, where the exam asks for it, the certificate; both are jobs:
//! - every path that finishes or grades an attempt queues a [`FINISHED`] job in its own
//!   transaction ([`run_finished`]): it sends the notice if the result is released now, and
//!   issues the certificate if the attempt passed and the exam issues them automatically;
//! - an exam that releases at a set time has a [`RELEASE`] job due then (queued whenever the
//!   exam is saved with that policy, [`schedule`]); it queues the notices of every attempt
//!   released by it. A job whose exam has since changed its policy or time does nothing, so
//!   older jobs are harmless.
//!
//! Notices are sent once per attempt (`attempts.result_notified_at`), except the notice of a
//! result changed by re-grading ([`queue_changed`]), which is always sent.

use anyhow::Context;
use diesel::prelude::*;
use shared::exams::{AttemptStatus, ReleasePolicy};

use super::notices::{self, NoticeContext, NoticeKind};
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::{attempts, certificates};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::exams::attempts::model as attempt_model;
use crate::exams::attempts::view::released_status;
use crate::exams::model::{self as exam_model, ExamRow};
use crate::scoped;
use crate::tenancy::OrgScope;

/// The job kind that releases an exam's results at its `release_at`.
pub const RELEASE: &str = "results_release";
/// The job kind queued whenever an attempt is finished or graded (see
/// `exams::attempts::model::FINISHED`).
pub use crate::exams::attempts::model::FINISHED;

/// The [`FINISHED`] job, queued by every path that finishes or grades an attempt: sends its
/// release notice if the candidate sees the result now (once), and issues its certificate if
/// it is graded, passed, and the exam issues certificates automatically (once).
pub fn run_finished(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    notices: &NoticeContext,
    payload: &serde_json::Value,
    now: Timestamp,
) -> anyhow::Result<()> {
    let (org, attempt) = (id_of(payload, "org_id")?, id_of(payload, "attempt_id")?);
    let scope = OrgScope::system(org);
    let Some(row) = attempt_model::find(conn, &scope, attempt).optional()? else {
        return Ok(());
    };
    let exam = match exam_model::find(conn, &scope, row.exam_id) {
        Ok(exam) => exam,
        Err(ModelError::NotFound) => return Ok(()),
        Err(e) => return Err(anyhow::anyhow!("loading the exam: {e}")),
    };
    let status = row.status();
    let passed = row
        .score_centi
        .is_some_and(|s| f64::from(s) / 100.0 + 1e-9 >= exam.settings.pass_mark);
    if status == AttemptStatus::Graded
        && passed
        && let Some(template) = exam.settings.certificate_template_id.as_deref()
    {
        let template = DbUuid(uuid::Uuid::parse_str(template)?);
        let issued: i64 = scoped!(certificates, &scope)
            .filter(certificates::attempt_id.eq(attempt))
            .count()
            .get_result(conn)?;
        if issued == 0 {
            let result = crate::db::transaction(conn, |conn| {
                crate::certificates::issue_for_attempt(
                    conn, cipher, &scope, attempt, template, None,
                )
            });
            match result {
                Ok(_) => {}
                // A template deleted since, or an attempt changed: nothing to issue.
                Err(ModelError::NotFound | ModelError::Conflict(_)) => {}
                Err(e) => return Err(anyhow::anyhow!("issuing a certificate: {e}")),
            }
        }
    }
    if released_status(status, &exam, now) {
        notices::run_notice(
            conn,
            notices,
            &serde_json::json!({
                "org_id": org.to_string(),
                "attempt_id": attempt.to_string(),
                "kind": "released",
            }),
            now,
        )?;
    }
    Ok(())
}

/// Queues the "your result changed" notice of attempts whose released score a re-grade
/// changed (attempts not released yet get their notice when they are).
pub fn queue_changed(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: &ExamRow,
    changed: &[DbUuid],
) -> Result<usize, ModelError> {
    let now = Timestamp::now();
    let rows: Vec<(DbUuid, String)> = scoped!(attempts, scope)
        .filter(attempts::id.eq_any(changed.to_vec()))
        .select((attempts::id, attempts::status))
        .load(conn)?;
    let mut queued = 0;
    for (id, status) in rows {
        let status = AttemptStatus::parse(&status).unwrap_or(AttemptStatus::InProgress);
        if released_status(status, exam, now) {
            notices::queue(conn, scope.org_id(), id, NoticeKind::Changed, now)?;
            queued += 1;
        }
    }
    Ok(queued)
}

/// Queues the release job of an exam saved with the policy `at_time` (called on every save;
/// a job for an older time finds the exam changed and does nothing).
pub fn schedule(conn: &mut DbConnection, scope: &OrgScope, exam: &ExamRow) -> QueryResult<()> {
    if exam.settings.release_policy != ReleasePolicy::AtTime {
        return Ok(());
    }
    let Some(at) = exam.release_at() else {
        return Ok(());
    };
    crate::jobs::enqueue(
        conn,
        RELEASE,
        at,
        &serde_json::json!({
            "org_id": scope.org_id().to_string(),
            "exam_id": exam.id.to_string(),
            "release_at": at.to_canonical_string(),
        }),
    )?;
    Ok(())
}

fn id_of(payload: &serde_json::Value, name: &str) -> anyhow::Result<DbUuid> {
    let s = payload[name].as_str().context("missing id")?;
    Ok(DbUuid(uuid::Uuid::parse_str(s)?))
}

/// The [`RELEASE`] job: at the exam's release time (`now` is the queue's clock), queues the
/// notices of its graded attempts not yet notified.
pub fn run_release(
    conn: &mut DbConnection,
    payload: &serde_json::Value,
    now: Timestamp,
) -> anyhow::Result<()> {
    let (org, exam_id) = (id_of(payload, "org_id")?, id_of(payload, "exam_id")?);
    let scope = OrgScope::system(org);
    let exam = match exam_model::find(conn, &scope, exam_id) {
        Ok(exam) => exam,
        Err(ModelError::NotFound) => return Ok(()),
        Err(e) => return Err(anyhow::anyhow!("loading the exam: {e}")),
    };
    let due = exam.release_at();
    let same_time =
        due.map(Timestamp::to_canonical_string).as_deref() == payload["release_at"].as_str();
    if exam.settings.release_policy != ReleasePolicy::AtTime || !same_time {
        return Ok(());
    }
    if due.is_some_and(|t| t > now) {
        anyhow::bail!("the release time has not come");
    }
    let waiting: Vec<DbUuid> = scoped!(attempts, &scope)
        .filter(attempts::exam_id.eq(exam_id))
        .filter(attempts::status.eq(AttemptStatus::Graded.as_str()))
        .filter(attempts::result_notified_at.is_null())
        .select(attempts::id)
        .load(conn)?;
    crate::db::transaction(conn, |conn| {
        for id in &waiting {
            notices::queue(conn, org, *id, NoticeKind::Released, now)?;
        }
        Ok::<_, ModelError>(())
    })
    .map_err(|e| anyhow::anyhow!("queueing release notices: {e}"))?;
    tracing::info!(exam = %exam_id, notices = waiting.len(), "results released");
    Ok(())
}
