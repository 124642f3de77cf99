//! The attempt's event log as the candidate reports it (`POST
//! /api/candidate/attempts/{id}/events`): events stored, then the exam's integrity limits
//! counted (see `integrity.rs`).

use actix_web::{HttpRequest, web};
use shared::exams::{
    AttemptEventKind, AttemptStatus, ClientEvent, ClientEvents, EventsRecorded,
    MAX_EVENTS_PER_CALL, SubmitReason,
};

use super::attempts::model::finalise;
use super::attempts::{AttemptError, open_locked};
use super::integrity::{
    NewEvent, counts, idle_exceeded, insert_event, limit_exceeded, touch, track_ip,
};
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::{ApiError, FieldErrors};
use crate::http::{ClientInfo, Fields};
use crate::state::AppState;
use crate::tenancy::CandidateScope;

pub fn candidate_config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/candidate/attempts/{id}/events").post(record_events));
}

/// Most characters of an event's detail.
const MAX_DETAIL: usize = 500;

#[utoipa::path(
    post,
    path = "/api/candidate/attempts/{id}/events",
    operation_id = "record_events",
    tag = "attempts",
    security(("portal_cookie" = [])),
    params(("id" = String, Path, description = "The attempt id.")),
    request_body = ClientEvents,
    responses(
        (status = 200, description = "Stored (with the server's time and the caller's address, encrypted), then the exam's limits counted: more focus losses (`focus_lost` + `tab_hidden`) or fullscreen exits than allowed, an `idle` event as long as the idle timeout, or no save or event for that long submits the attempt (`submitted: true`, `reason: integrity_limit`, `limit` names it). An attempt found past its deadline is submitted (`reason: deadline`) and nothing is recorded.", body = EventsRecorded),
        (status = 401, description = "Not signed in to the portal.", body = shared::ErrorBody),
        (status = 403, description = "`ip_not_allowed`: the exam's IP ranges do not include the caller's address.", body = shared::ErrorBody),
        (status = 404, description = "No such attempt of this candidate.", body = shared::ErrorBody),
        (status = 409, description = "`attempt_submitted`: the attempt is already finished; `another_device` (code): another device took the attempt over.", body = shared::ErrorBody),
        (status = 422, description = "`events`: `required` or `too_many` (at most 100); `events[i].kind`: `not_allowed` (`ip_changed`); `events[i].client_time`: `invalid_format`; `events[i].detail`: `too_long` (500 characters).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn record_events(
    req: HttpRequest,
    me: CandidateScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Json<ClientEvents>,
) -> Result<web::Json<EventsRecorded>, ApiError> {
    let id = DbUuid(path.into_inner());
    let input = body.into_inner();
    let client_times = parse_events(&input)?;
    let client = ClientInfo::of(&req);
    let outcome = state
        .transaction(move |conn, st| {
            let events = (input.events.as_slice(), client_times.as_slice());
            Ok(record(
                conn,
                &st.cipher,
                &me,
                id,
                events,
                client.ip.as_deref(),
            )?)
        })
        .await?;
    Ok(web::Json(outcome))
}

/// The client's time of each event, once every event is well-formed (422 naming each bad one).
fn parse_events(input: &ClientEvents) -> Result<Vec<Timestamp>, FieldErrors> {
    let mut fields = Fields::default();
    if input.events.is_empty() {
        fields.push("events", "required");
    }
    if input.events.len() > MAX_EVENTS_PER_CALL {
        fields.push("events", "too_many");
    }
    let mut client_times = Vec::with_capacity(input.events.len());
    for (i, e) in input.events.iter().enumerate() {
        if e.kind == AttemptEventKind::IpChanged {
            fields.push(&format!("events[{i}].kind"), "not_allowed");
        }
        match super::input::parse_time(&e.client_time) {
            Some(t) => client_times.push(t),
            None => fields.push(&format!("events[{i}].client_time"), "invalid_format"),
        }
        if e.detail
            .as_ref()
            .is_some_and(|d| d.chars().count() > MAX_DETAIL)
        {
            fields.push(&format!("events[{i}].detail"), "too_long");
        }
    }
    fields.finish()?;
    Ok(client_times)
}

/// Stores the candidate's events on attempt `id` (from `ip`) and counts the exam's limits,
/// submitting the attempt when one is reached. An attempt found past its deadline is
/// submitted and nothing is recorded.
fn record(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    me: &CandidateScope,
    id: DbUuid,
    (events, client_times): (&[ClientEvent], &[Timestamp]),
    ip: Option<&str>,
) -> Result<EventsRecorded, AttemptError> {
    let scope = me.org_scope();
    // Events from a device that lost the attempt must not count against the one that took it
    // over, nor keep it from idling out.
    let (row, exam) = open_locked(conn, me, id, ip)?;
    if row.status() != AttemptStatus::InProgress {
        return Err(AttemptError::Refused("attempt_submitted"));
    }
    let now = Timestamp::now();
    if row.deadline <= now {
        finalise(conn, &scope, id, SubmitReason::Deadline)?;
        return Ok(EventsRecorded {
            recorded: 0,
            submitted: true,
            reason: Some(SubmitReason::Deadline),
            limit: None,
            counts: counts(conn, me.org_id(), id)?,
        });
    }
    track_ip(conn, cipher, &row, ip)?;
    // Idle since the last activity, before these events: too late to count them.
    let idle_before = idle_exceeded(&exam, &row, now);
    let settings = &exam.settings.integrity;
    let idle_limit = settings.idle_timeout_minutes.map(|m| i64::from(m) * 60);
    let mut idle_event = false;
    let mut active = false;
    for (e, client_time) in events.iter().zip(client_times) {
        insert_event(
            conn,
            cipher,
            NewEvent {
                org: me.org_id(),
                attempt: id,
                kind: e.kind,
                occurred_at: now,
                client_time: Some(*client_time),
                idle_seconds: e.idle_seconds,
                detail: e.detail.as_deref(),
                ip,
            },
        )?;
        if e.kind == AttemptEventKind::Idle {
            idle_event |=
                idle_limit.is_some_and(|l| e.idle_seconds.is_some_and(|s| i64::from(s) >= l));
        } else {
            active = true;
        }
    }
    if active && !idle_before {
        touch(conn, id, now)?;
    }
    let counted = counts(conn, me.org_id(), id)?;
    let limit = limit_exceeded(settings, &counted)
        .or((idle_event || idle_before).then_some("idle_timeout"));
    if limit.is_some() {
        finalise(conn, &scope, id, SubmitReason::IntegrityLimit)?;
    }
    Ok(EventsRecorded {
        recorded: events.len(),
        submitted: limit.is_some(),
        reason: limit.map(|_| SubmitReason::IntegrityLimit),
        limit: limit.map(str::to_owned),
        counts: counted,
    })
}
