//! Exam rows: validation of the settings, storage (the settings as JSON, the window in
//! columns), and the console's view.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use shared::exams::{EntryAccess, ExamDto, ExamInput, ReleasePolicy};

use crate::accounts::Fields;
use crate::db::DbConnection;
use crate::db::schema::{exam_assignments, exams, orgs, papers};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
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

type Raw = (
    DbUuid,
    DbUuid,
    String,
    Timestamp,
    Timestamp,
    Timestamp,
    Timestamp,
    Option<String>,
    Option<String>,
);

fn from_raw(raw: Raw) -> Result<ExamRow, ApiError> {
    let (
        id,
        paper_id,
        settings,
        opens_at,
        closes_at,
        created_at,
        updated_at,
        open_token,
        access_code,
    ) = raw;
    Ok(ExamRow {
        id,
        paper_id,
        settings: serde_json::from_str(&settings).map_err(anyhow::Error::from)?,
        opens_at,
        closes_at,
        created_at,
        updated_at,
        open_token,
        access_code,
    })
}

pub(crate) const COLUMNS: (
    exams::id,
    exams::paper_id,
    exams::settings,
    exams::opens_at,
    exams::closes_at,
    exams::created_at,
    exams::updated_at,
    exams::open_token,
    exams::access_code,
) = (
    exams::id,
    exams::paper_id,
    exams::settings,
    exams::opens_at,
    exams::closes_at,
    exams::created_at,
    exams::updated_at,
    exams::open_token,
    exams::access_code,
);

/// An active exam of `org` found by a column other than its id (the entry modes' lookups):
/// the open one first when several match.
pub(crate) fn find_by(
    conn: &mut DbConnection,
    org: DbUuid,
    token: Option<&str>,
    code: Option<&str>,
) -> Result<Option<ExamRow>, ApiError> {
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
        .select(COLUMNS)
        .first(conn)
        .optional()?;
    raw.map(from_raw).transpose()
}

/// One exam of the scope's organisation, or 404.
pub fn find(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> Result<ExamRow, ApiError> {
    let raw: Option<Raw> = scoped!(exams, scope)
        .filter(exams::id.eq(id))
        .filter(exams::status.eq("active"))
        .select(COLUMNS)
        .first(conn)
        .optional()?;
    from_raw(raw.ok_or(ApiError::NotFound)?)
}

/// Several exams by id (those not found are left out).
pub fn find_many(
    conn: &mut DbConnection,
    scope: &OrgScope,
    ids: &[DbUuid],
) -> Result<Vec<ExamRow>, ApiError> {
    let raws: Vec<Raw> = scoped!(exams, scope)
        .filter(exams::id.eq_any(ids))
        .filter(exams::status.eq("active"))
        .order(exams::opens_at.desc())
        .select(COLUMNS)
        .load(conn)?;
    raws.into_iter().map(from_raw).collect()
}

pub fn list(conn: &mut DbConnection, scope: &OrgScope) -> Result<Vec<ExamRow>, ApiError> {
    let raws: Vec<Raw> = scoped!(exams, scope)
        .filter(exams::status.eq("active"))
        .order(exams::opens_at.desc())
        .select(COLUMNS)
        .load(conn)?;
    raws.into_iter().map(from_raw).collect()
}

pub fn dto(conn: &mut DbConnection, scope: &OrgScope, row: &ExamRow) -> Result<ExamDto, ApiError> {
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

/// An RFC 3339 time, if `s` is one.
pub fn parse_time(s: &str) -> Option<Timestamp> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| Timestamp::from(t.with_timezone(&Utc)))
}

/// Validated settings, with times in canonical form.
pub struct CheckedExam {
    pub settings: ExamInput,
    pub paper_id: DbUuid,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
}

/// Checks every field (422 with field paths) and normalises: trimmed name, sanitised
/// instructions, canonical times.
pub fn check_input(
    conn: &mut DbConnection,
    scope: &OrgScope,
    mut input: ExamInput,
) -> Result<CheckedExam, ApiError> {
    let mut fields = Fields::default();
    input.name = input.name.trim().to_owned();
    if input.name.is_empty() {
        fields.push("name", "required");
    } else if input.name.chars().count() > 200 {
        fields.push("name", "too_long");
    }
    input.instructions = crate::questions::model::sanitise(&input.instructions);
    if input.instructions.chars().count() > shared::questions::MAX_TEXT {
        fields.push("instructions", "too_long");
    }
    let time = |fields: &mut Fields, name: &str, value: &mut String| -> Option<Timestamp> {
        match parse_time(value) {
            Some(t) => {
                *value = t.to_canonical_string();
                Some(t)
            }
            None => {
                fields.push(name, "invalid_format");
                None
            }
        }
    };
    let opens = time(&mut fields, "opens_at", &mut input.opens_at);
    let closes = time(&mut fields, "closes_at", &mut input.closes_at);
    if let (Some(o), Some(c)) = (opens, closes)
        && c <= o
    {
        fields.push("closes_at", "before_opens_at");
    }
    if !(1..=1440).contains(&input.duration_minutes) {
        fields.push("duration_minutes", "out_of_range");
    }
    if input.late_entry_minutes.is_some_and(|m| m > 60 * 24 * 366) {
        fields.push("late_entry_minutes", "out_of_range");
    }
    if !(1..=100).contains(&input.attempts_allowed) {
        fields.push("attempts_allowed", "out_of_range");
    }
    if !(input.negative_fraction.is_finite() && (0.0..=1.0).contains(&input.negative_fraction)) {
        fields.push("negative_fraction", "out_of_range");
    }
    if input.release_policy == ReleasePolicy::AtTime {
        match input.release_at.as_mut() {
            None => fields.push("release_at", "required"),
            Some(at) => {
                time(&mut fields, "release_at", at);
            }
        }
    } else {
        input.release_at = None;
    }
    super::entry::check_settings(&mut fields, &mut input.entry);
    let paper_id = uuid::Uuid::parse_str(input.paper_id.trim())
        .ok()
        .map(DbUuid);
    let total: Option<i32> = match paper_id {
        Some(p) => scoped!(papers, scope)
            .filter(papers::id.eq(p))
            .filter(papers::status.eq("active"))
            .select(papers::total_points_centi)
            .first(conn)
            .optional()?,
        None => None,
    };
    match (paper_id, total) {
        (None, _) => fields.push("paper_id", "invalid_format"),
        (Some(_), None) => fields.push("paper_id", "not_found"),
        (Some(p), Some(total)) => {
            input.paper_id = p.to_string();
            let pass = input.pass_mark;
            if !(pass.is_finite() && pass >= 0.0 && pass * 100.0 <= f64::from(total) + 1e-6) {
                fields.push("pass_mark", "out_of_range");
            }
        }
    }
    super::integrity::check_settings(&mut fields, &mut input.integrity);
    fields.finish()?;
    match (paper_id, opens, closes) {
        (Some(paper_id), Some(opens_at), Some(closes_at)) => Ok(CheckedExam {
            settings: input,
            paper_id,
            opens_at,
            closes_at,
        }),
        _ => Err(ApiError::Internal(anyhow::anyhow!(
            "checked exam incomplete"
        ))),
    }
}

pub fn insert(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
    checked: &CheckedExam,
) -> Result<(), ApiError> {
    let now = Timestamp::now();
    let settings = serde_json::to_string(&checked.settings).map_err(anyhow::Error::from)?;
    let entry = &checked.settings.entry;
    let open_token = entry.open_link.then(super::entry::new_open_token);
    let access_code = if entry.access_code {
        Some(super::entry::new_access_code(conn, scope.org_id(), now)?)
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
) -> Result<(), ApiError> {
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
) -> Result<(), ApiError> {
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
pub fn mark_deleted(conn: &mut DbConnection, scope: &OrgScope, id: DbUuid) -> Result<(), ApiError> {
    diesel::update(scoped!(exams, scope).filter(exams::id.eq(id)))
        .set((
            exams::status.eq("deleted"),
            exams::updated_at.eq(Timestamp::now()),
        ))
        .execute(conn)?;
    Ok(())
}
