//! The proctor's monitor of an exam (`GET /api/exams/{id}/monitor`): a row per assigned
//! candidate the caller may see, with their latest attempt's progress and events.

use std::collections::HashMap;

use actix_web::web;
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::exams::{AttemptEventKind, AttemptStatus, EventCounts, MonitorRow, SubmitReason};

use super::attempts::model::AttemptRow;
use super::model;
use crate::crypto::{Aad, FieldCipher};
use crate::db::DbConnection;
use crate::db::schema::{
    attempt_answers, attempt_events, attempts as attempts_t, candidates, exam_assignments,
};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, ModelError};
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

#[utoipa::path(
    get,
    path = "/api/exams/{id}/monitor",
    operation_id = "monitor_exam",
    tag = "proctoring",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "A row per assigned candidate the caller may see, in assignment order: the name, the latest attempt (status, start, deadline, seconds left), questions answered of the paper's, event counts by kind, the last activity and why it was submitted.", body = Vec<MonitorRow>),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn monitor_exam(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<Vec<MonitorRow>>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let cipher = state.cipher.clone();
    let list = state
        .db
        .run(move |conn| Ok::<_, ApiError>(monitor(conn, &cipher, &scope, id)?))
        .await?;
    Ok(web::Json(list))
}

/// What the monitor counts of each attempt: answers, events by kind, the last event.
#[derive(Default)]
struct Activity {
    answered: HashMap<DbUuid, i64>,
    events: HashMap<DbUuid, EventCounts>,
    last_event: HashMap<DbUuid, Timestamp>,
}

/// The monitor's rows of exam `id`.
fn monitor(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<Vec<MonitorRow>, ModelError> {
    model::find(conn, scope, id)?;
    let assigned: Vec<DbUuid> = scoped!(exam_assignments, scope)
        .filter(exam_assignments::exam_id.eq(id))
        .order((exam_assignments::created_at, exam_assignments::id))
        .select(exam_assignments::candidate_id)
        .load(conn)?;
    let mut names: HashMap<DbUuid, Vec<u8>> = HashMap::new();
    for chunk in assigned.chunks(500) {
        let found: Vec<(DbUuid, Vec<u8>)> = crate::candidates::model::visible(scope)
            .filter(candidates::id.eq_any(chunk.to_vec()))
            .select((candidates::id, candidates::name_enc))
            .load(conn)?;
        names.extend(found);
    }
    let rows: Vec<AttemptRow> = attempts_t::table
        .filter(attempts_t::org_id.eq(scope.org_id()))
        .filter(attempts_t::exam_id.eq(id))
        .order(attempts_t::number)
        .select(AttemptRow::as_select())
        .load(conn)?;
    let mut latest: HashMap<DbUuid, &AttemptRow> = HashMap::new();
    let mut keys_seen: HashMap<DbUuid, Timestamp> = HashMap::new();
    for r in &rows {
        latest.insert(r.candidate_id, r);
        if let Some(at) = r.keys_shown_at {
            let first = keys_seen.entry(r.candidate_id).or_insert(at);
            *first = (*first).min(at);
        }
    }
    let ids: Vec<DbUuid> = latest.values().map(|r| r.id).collect();
    let activity = activity(conn, scope, &ids)?;
    let now = Timestamp::now();
    let mut out = Vec::with_capacity(assigned.len());
    for candidate in assigned {
        let Some(name_enc) = names.get(&candidate) else {
            continue; // Outside the caller's groups.
        };
        let row_id = candidate.to_string();
        let name = cipher.decrypt(
            name_enc,
            Aad {
                table: "candidates",
                column: "name_enc",
                row_id: &row_id,
            },
        )?;
        let attempt = latest.get(&candidate).copied();
        let mut row = monitor_row(row_id, name, attempt, &activity, now)?;
        row.keys_shown_at = keys_seen
            .get(&candidate)
            .copied()
            .map(Timestamp::to_canonical_string);
        out.push(row);
    }
    Ok(out)
}

/// Answers, events and the last event of the attempts `ids`.
fn activity(conn: &mut DbConnection, scope: &OrgScope, ids: &[DbUuid]) -> QueryResult<Activity> {
    let mut out = Activity::default();
    for chunk in ids.chunks(500) {
        let counted: Vec<(DbUuid, i64)> = attempt_answers::table
            .filter(attempt_answers::org_id.eq(scope.org_id()))
            .filter(attempt_answers::attempt_id.eq_any(chunk))
            .group_by(attempt_answers::attempt_id)
            .select((attempt_answers::attempt_id, diesel::dsl::count_star()))
            .load(conn)?;
        out.answered.extend(counted);
        let kinds: Vec<(DbUuid, String, Timestamp)> = scoped!(attempt_events, scope)
            .filter(attempt_events::attempt_id.eq_any(chunk))
            .select((
                attempt_events::attempt_id,
                attempt_events::kind,
                attempt_events::occurred_at,
            ))
            .load(conn)?;
        for (attempt, kind, at) in kinds {
            if let Some(kind) = AttemptEventKind::parse(&kind) {
                out.events.entry(attempt).or_default().add(kind, 1);
            }
            let last = out.last_event.entry(attempt).or_insert(at);
            if at > *last {
                *last = at;
            }
        }
    }
    Ok(out)
}

/// One candidate's row: their latest attempt, if any, with its activity.
fn monitor_row(
    candidate_id: String,
    candidate_name: String,
    attempt: Option<&AttemptRow>,
    activity: &Activity,
    now: Timestamp,
) -> Result<MonitorRow, ModelError> {
    let question_count = match attempt {
        Some(a) => a.arrangement()?.iter().map(|s| s.len() as i64).sum(),
        None => 0,
    };
    Ok(MonitorRow {
        candidate_id,
        candidate_name,
        attempt_id: attempt.map(|a| a.id.to_string()),
        attempt_number: attempt.map(|a| a.number),
        status: attempt.map(AttemptRow::status),
        started_at: attempt.map(|a| a.started_at.to_canonical_string()),
        deadline: attempt.map(|a| a.deadline.to_canonical_string()),
        seconds_left: attempt
            .filter(|a| a.status() == AttemptStatus::InProgress)
            .map(|a| (a.deadline.0 - now.0).num_seconds().max(0)),
        answered: attempt
            .and_then(|a| activity.answered.get(&a.id).copied())
            .unwrap_or(0),
        question_count,
        events: attempt
            .and_then(|a| activity.events.get(&a.id).cloned())
            .unwrap_or_default(),
        last_activity_at: attempt.map(|a| {
            let mut last = a.last_activity_at.unwrap_or(a.started_at);
            if let Some(e) = activity.last_event.get(&a.id)
                && *e > last
            {
                last = *e;
            }
            last.to_canonical_string()
        }),
        submitted_reason: attempt
            .and_then(|a| a.submitted_reason.as_deref())
            .and_then(SubmitReason::parse),
        keys_shown_at: None,
    })
}
