//! The checks every candidate call on an attempt passes: it is the candidate's own, its exam
//! accepts the caller's address, and (single device) the caller's session holds it.

use shared::exams::AttemptStatus;

use super::error::AttemptError;
use super::model::{self, AttemptRow};
use crate::db::DbConnection;
use crate::db::types::DbUuid;
use crate::exams::integrity;
use crate::exams::model::{self as exam_model, ExamRow};
use crate::tenancy::CandidateScope;

/// The candidate's attempt `id` with its exam (not found once the exam is deleted), for a
/// call from `ip`.
pub fn open(
    conn: &mut DbConnection,
    cand: &CandidateScope,
    id: DbUuid,
    ip: Option<&str>,
) -> Result<(AttemptRow, ExamRow), AttemptError> {
    let row = model::find_own(conn, cand.me(), id)?;
    let exam = exam_model::find(conn, &cand.org_scope(), row.exam_id)?;
    admit(cand, &exam, &row, ip)?;
    Ok((row, exam))
}

/// [`open`] under the attempt's row lock, read again once the lock is held: a submission may
/// have committed in between.
pub fn open_locked(
    conn: &mut DbConnection,
    cand: &CandidateScope,
    id: DbUuid,
    ip: Option<&str>,
) -> Result<(AttemptRow, ExamRow), AttemptError> {
    model::find_own(conn, cand.me(), id)?;
    model::lock(conn, id)?;
    open(conn, cand, id, ip)
}

/// 403 `ip_not_allowed` from an address the exam does not accept; 409 `another_device` for a
/// session that lost a single-device attempt while it runs.
pub fn admit(
    cand: &CandidateScope,
    exam: &ExamRow,
    row: &AttemptRow,
    ip: Option<&str>,
) -> Result<(), AttemptError> {
    if !integrity::ip_allowed(&exam.settings.integrity, ip) {
        return Err(AttemptError::IpNotAllowed);
    }
    // One device at a time matters while the attempt runs; a finished attempt's receipt and
    // review open on any device the candidate signs in on.
    if row.status() == AttemptStatus::InProgress
        && !cand.holds_device(row.single_device, row.session_id)
    {
        return Err(AttemptError::AnotherDevice);
    }
    Ok(())
}
