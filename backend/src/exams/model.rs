//! Exam rows: storage (the settings as JSON, the window in columns) and the console's view.
//! Inputs are checked by `input.rs` before they get here.

use chrono::Duration;
use diesel::prelude::*;
use shared::exams::{AttemptStatus, EntryAccess, ExamDto, ExamInput};

use super::input::{CheckedExam, parse_time};
use super::tokens::{new_access_code, new_open_token};
use crate::db::DbConnection;
use crate::db::schema::{attempts, exam_assignments, exams, orgs};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::scoped;
use crate::tenancy::OrgScope;

/// A stored exam.
#[derive(Debug, Clone)]
pub struct ExamRow {
    pub id: DbUuid,
    pub paper_id: DbUuid,
    pub settings: ExamInput,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The open link's token (`entry.open_link` on).
    pub open_token: Option<String>,
    /// The access code (`entry.access_code` on; see `shared::exams::normalise_access_code`).
    pub access_code: Option<String>,
}

impl ExamRow {
    /// Whether the exam has closed (nobody may enter any more).
    pub fn is_closed(&self, now: Timestamp) -> bool {
        now >= self.closes_at
    }

    /// The last moment an attempt may start.
    pub fn late_entry_until(&self) -> Timestamp {
        match self.settings.late_entry_minutes {
            Some(m) => Timestamp::from(
                (self.opens_at.0 + Duration::minutes(i64::from(m))).min(self.closes_at.0),
            ),
            None => self.closes_at,
        }
    }

    /// When results are released (`None`: depends on grading, not on time).
    pub fn release_at(&self) -> Option<Timestamp> {
        self.settings.release_at.as_deref().and_then(parse_time)
    }

    pub fn negative_fraction(&self) -> Option<f64> {
        self.settings
            .negative_marking
            .then_some(self.settings.negative_fraction)
    }
}

/// An exam as stored: its settings still JSON.
#[derive(Queryable, Selectable)]
#[diesel(table_name = exams)]
struct Raw {
    id: DbUuid,
    paper_id: DbUuid,
    settings: String,
    opens_at: Timestamp,
    closes_at: Timestamp,
    created_at: Timestamp,
    updated_at: Timestamp,
    open_token: Option<String>,
    access_code: Option<String>,
}

fn from_raw(raw: Raw) -> Result<ExamRow, ModelError> {
    Ok(ExamRow {
        id: raw.id,
        paper_id: raw.paper_id,
        settings: serde_json::from_str(&raw.settings).map_err(anyhow::Error::from)?,
        opens_at: raw.opens_at,
        closes_at: raw.closes_at,
        created_at: raw.created_at,
        updated_at: raw.updated_at,
        open_token: raw.open_token,
        access_code: raw.access_code,
    })
}

/// An active exam of `org` found by a column other than its id (the entry modes' lookups):
/// the open one first when several match.
pub(crate) fn find_by(
    conn: &mut DbConnection,
    org: DbUuid,
    token: Option<&str>,
    code: Option<&str>,
) -> Result<Option<ExamRow>, ModelError> {
    let mut q = exams::table
        .filter(exams::org_id.eq(org))
        .filter(exams::status.eq("active"))
        .into_boxed();
    if let Some(t) = token {
        q = q.filter(exams::open_token.eq(t.to_owned()));
    }
    if let Some(c) = code {
        q = q.filter(exams::access_code.eq(c.to_owned()));
    }
    let raw: Option<Raw> = q
        .order(exams::closes_at.desc())
        .select(Raw::as_select())
        .first(conn)
        .optional()?;
    raw.map(from_raw).transpose()
}

/// One exam of the scope's organisation, or 404.
pub fn find(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> Result<ExamRow, ModelError> {
    let raw: Option<Raw> = scoped!(exams, scope)
        .filter(exams::id.eq(id))
        .filter(exams::status.eq("active"))
        .select(Raw::as_select())
        .first(conn)
        .optional()?;
    from_raw(raw.ok_or(ModelError::NotFound)?)
}

/// Several exams by id (those not found are left out).
pub fn find_many(
    conn: &mut DbConnection,
    scope: &OrgScope,
    ids: &[DbUuid],
) -> Result<Vec<ExamRow>, ModelError> {
    let raws: Vec<Raw> = scoped!(exams, scope)
        .filter(exams::id.eq_any(ids))
        .filter(exams::status.eq("active"))
        .order(exams::opens_at.desc())
        .select(Raw::as_select())
        .load(conn)?;
    raws.into_iter().map(from_raw).collect()
}

pub fn list(conn: &mut DbConnection, scope: &OrgScope) -> Result<Vec<ExamRow>, ModelError> {
    let raws: Vec<Raw> = scoped!(exams, scope)
        .filter(exams::status.eq("active"))
        .order(exams::opens_at.desc())
        .select(Raw::as_select())
        .load(conn)?;
    raws.into_iter().map(from_raw).collect()
}

pub fn dto(
    conn: &mut DbConnection,
    scope: &OrgScope,
    row: &ExamRow,
) -> Result<ExamDto, ModelError> {
    let assigned_count: i64 = scoped!(exam_assignments, scope)
        .filter(exam_assignments::exam_id.eq(row.id))
        .count()
        .get_result(conn)?;
    let slug: String = orgs::table
        .filter(orgs::id.eq(scope.org_id()))
        .select(orgs::slug)
        .first(conn)?;
    let entry = &row.settings.entry;
    let open_token = row.open_token.clone().filter(|_| entry.open_link);
    Ok(ExamDto {
        id: row.id.to_string(),
        settings: row.settings.clone(),
        entry_access: EntryAccess {
            open_link_path: open_token.as_ref().map(|t| format!("/o/{slug}/open/{t}")),
            open_link_token: open_token,
            access_code: row.access_code.clone().filter(|_| entry.access_code),
        },
        assigned_count,
        created_at: row.created_at.to_canonical_string(),
        updated_at: row.updated_at.to_canonical_string(),
    })
}

pub fn insert(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    checked: &CheckedExam,
) -> Result<(), ModelError> {
    let now = Timestamp::now();
    let settings = serde_json::to_string(&checked.settings).map_err(anyhow::Error::from)?;
    let entry = &checked.settings.entry;
    let open_token = entry.open_link.then(new_open_token);
    let access_code = if entry.access_code {
        Some(new_access_code(conn, scope.org_id(), now)?)
    } else {
        None
    };
    diesel::insert_into(exams::table)
        .values((
            exams::id.eq(id),
            exams::org_id.eq(scope.org_id()),
            exams::paper_id.eq(checked.paper_id),
            exams::name.eq(&checked.settings.name),
            exams::settings.eq(&settings),
            exams::opens_at.eq(checked.opens_at),
            exams::closes_at.eq(checked.closes_at),
            exams::status.eq("active"),
            exams::created_at.eq(now),
            exams::updated_at.eq(now),
            exams::open_token.eq(open_token),
            exams::access_code.eq(access_code),
        ))
        .execute(conn)?;
    Ok(())
}

/// Assigns one candidate to an exam (no paper generation: callers generate for all the
/// candidates they assign at once).
pub fn insert_assignment(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    candidate: DbUuid,
    group: Option<DbUuid>,
) -> Result<(), ModelError> {
    diesel::insert_into(exam_assignments::table)
        .values((
            exam_assignments::id.eq(DbUuid::new_v7()),
            exam_assignments::org_id.eq(scope.org_id()),
            exam_assignments::exam_id.eq(exam),
            exam_assignments::candidate_id.eq(candidate),
            exam_assignments::group_id.eq(group),
            exam_assignments::created_at.eq(Timestamp::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Saves checked settings over an exam.
pub fn update(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    checked: &CheckedExam,
) -> Result<(), ModelError> {
    let settings = serde_json::to_string(&checked.settings).map_err(anyhow::Error::from)?;
    diesel::update(
        scoped!(exams, scope)
            .filter(exams::id.eq(id))
            .filter(exams::status.eq("active")),
    )
    .set((
        exams::paper_id.eq(checked.paper_id),
        exams::name.eq(&checked.settings.name),
        exams::settings.eq(&settings),
        exams::opens_at.eq(checked.opens_at),
        exams::closes_at.eq(checked.closes_at),
        exams::updated_at.eq(Timestamp::now()),
    ))
    .execute(conn)?;
    Ok(())
}

/// Hides an exam (soft delete): it leaves every list and candidate view.
pub fn mark_deleted(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<(), ModelError> {
    diesel::update(scoped!(exams, scope).filter(exams::id.eq(id)))
        .set((
            exams::status.eq("deleted"),
            exams::updated_at.eq(Timestamp::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many attempts the exam has (only those in progress when `running`).
pub fn attempt_count(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
    running: bool,
) -> QueryResult<i64> {
    let q = scoped!(attempts, scope)
        .filter(attempts::exam_id.eq(exam))
        .into_boxed();
    let q = if running {
        q.filter(attempts::status.eq(AttemptStatus::InProgress.as_str()))
    } else {
        q
    };
    q.count().get_result(conn)
}

/// The candidates assigned to the exam.
pub fn assigned_candidates(
    conn: &mut DbConnection,
    scope: &OrgScope,
    exam: DbUuid,
) -> QueryResult<Vec<DbUuid>> {
    scoped!(exam_assignments, scope)
        .filter(exam_assignments::exam_id.eq(exam))
        .select(exam_assignments::candidate_id)
        .load(conn)
}
