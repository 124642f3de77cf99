//! Exam integrity (anti-cheat): the candidate's IP ranges, the event log of an attempt
//! (`attempt_events`) and the limits that submit an attempt. The settings are checked in
//! `input.rs`; the candidate reports events through `events.rs`.
//!
//! The client reports focus losses, hidden tabs, copy/paste attempts, fullscreen exits, idle
//! periods and resumption (`POST /api/candidate/attempts/{id}/events`); the server adds
//! `ip_changed` when a start, save, submit or event call comes from another address than the
//! attempt's last one. After storing, the limits are counted: more focus losses (focus lost +
//! tab hidden) or fullscreen exits than allowed, an `idle` event as long as the idle timeout,
//! or no activity (save or event) for that long submits the attempt (`integrity_limit`).
//!
//! Architecture invariant: addresses and the client's free-text details are personal data,
//! stored only as `FieldCipher` ciphertext bound to table, column and row.

use std::net::IpAddr;

use chrono::Duration;
use diesel::prelude::*;
use shared::exams::{AttemptEventKind, AttemptStatus, EventCounts, IntegritySettings};

use super::attempts::model::AttemptRow;
use super::model::ExamRow;
use crate::crypto::{Aad, FieldCipher};
use crate::db::DbConnection;
use crate::db::schema::{attempt_events, attempts as attempts_t};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;

/// Whether `ip` may take the exam: anywhere when it lists no ranges; an unknown address only
/// then. IPv4-mapped IPv6 addresses count as their IPv4 address.
pub fn ip_allowed(settings: &IntegritySettings, ip: Option<&str>) -> bool {
    if settings.ip_ranges.is_empty() {
        return true;
    }
    let Some(addr) = ip.and_then(|s| s.parse::<IpAddr>().ok()) else {
        return false;
    };
    let addr = addr.to_canonical();
    settings
        .ip_ranges
        .iter()
        .filter_map(|r| super::input::parse_range(r))
        .any(|net| net.contains(&addr))
}

fn events_aad<'a>(column: &'a str, row_id: &'a str) -> Aad<'a> {
    Aad {
        table: "attempt_events",
        column,
        row_id,
    }
}

fn attempt_aad(row_id: &str) -> Aad<'_> {
    Aad {
        table: "attempts",
        column: "last_ip_enc",
        row_id,
    }
}

/// Records `ip` as the attempt's latest address (encrypted).
pub fn set_last_ip(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    attempt: DbUuid,
    ip: Option<&str>,
) -> Result<(), ModelError> {
    let Some(ip) = ip else { return Ok(()) };
    let row = attempt.to_string();
    let enc = cipher.encrypt(ip, attempt_aad(&row))?;
    diesel::update(attempts_t::table.find(attempt))
        .set(attempts_t::last_ip_enc.eq(Some(enc)))
        .execute(conn)?;
    Ok(())
}

/// Compares `ip` with the attempt's latest address: another one is recorded as an
/// `ip_changed` event and becomes the latest. Only for attempts in progress.
pub fn track_ip(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    row: &AttemptRow,
    ip: Option<&str>,
) -> Result<(), ModelError> {
    let Some(ip) = ip else { return Ok(()) };
    if row.status() != AttemptStatus::InProgress {
        return Ok(());
    }
    let row_id = row.id.to_string();
    let last = row
        .last_ip_enc
        .as_deref()
        .map(|ct| cipher.decrypt(ct, attempt_aad(&row_id)))
        .transpose()?;
    match last {
        Some(last) if last == ip => Ok(()),
        None => set_last_ip(conn, cipher, row.id, Some(ip)),
        Some(_) => {
            let org = row_org(conn, row.id)?;
            insert_event(
                conn,
                cipher,
                NewEvent {
                    org,
                    attempt: row.id,
                    kind: AttemptEventKind::IpChanged,
                    occurred_at: Timestamp::now(),
                    client_time: None,
                    idle_seconds: None,
                    detail: None,
                    ip: Some(ip),
                },
            )?;
            set_last_ip(conn, cipher, row.id, Some(ip))
        }
    }
}

fn row_org(conn: &mut DbConnection, attempt: DbUuid) -> Result<DbUuid, ModelError> {
    Ok(attempts_t::table
        .find(attempt)
        .select(attempts_t::org_id)
        .first(conn)?)
}

/// Marks activity on the attempt now (a save or an event other than `idle`).
pub fn touch(conn: &mut DbConnection, attempt: DbUuid, now: Timestamp) -> QueryResult<()> {
    diesel::update(attempts_t::table.find(attempt))
        .set(attempts_t::last_activity_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}

/// The exam's idle timeout has passed since the attempt's last activity (or its start).
pub fn idle_exceeded(exam: &ExamRow, row: &AttemptRow, now: Timestamp) -> bool {
    let Some(minutes) = exam.settings.integrity.idle_timeout_minutes else {
        return false;
    };
    let last = row.last_activity_at.unwrap_or(row.started_at);
    now.0 - last.0 > Duration::minutes(i64::from(minutes))
}

/// One event to store.
pub struct NewEvent<'a> {
    pub org: DbUuid,
    pub attempt: DbUuid,
    pub kind: AttemptEventKind,
    pub occurred_at: Timestamp,
    pub client_time: Option<Timestamp>,
    pub idle_seconds: Option<u32>,
    pub detail: Option<&'a str>,
    pub ip: Option<&'a str>,
}

pub fn insert_event(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    event: NewEvent<'_>,
) -> Result<DbUuid, ModelError> {
    let id = DbUuid::new_v7();
    let row = id.to_string();
    let detail_enc = event
        .detail
        .map(|d| cipher.encrypt(d, events_aad("detail_enc", &row)))
        .transpose()?;
    let ip_enc = event
        .ip
        .map(|ip| cipher.encrypt(ip, events_aad("ip_enc", &row)))
        .transpose()?;
    diesel::insert_into(attempt_events::table)
        .values((
            attempt_events::id.eq(id),
            attempt_events::org_id.eq(event.org),
            attempt_events::attempt_id.eq(event.attempt),
            attempt_events::kind.eq(event.kind.as_str()),
            attempt_events::occurred_at.eq(event.occurred_at),
            attempt_events::client_time.eq(event.client_time),
            attempt_events::idle_seconds.eq(event
                .idle_seconds
                .map(|s| i32::try_from(s).unwrap_or(i32::MAX))),
            attempt_events::detail_enc.eq(detail_enc),
            attempt_events::ip_enc.eq(ip_enc),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The events of an attempt by kind.
pub fn counts(
    conn: &mut DbConnection,
    org: DbUuid,
    attempt: DbUuid,
) -> Result<EventCounts, ModelError> {
    let kinds: Vec<String> = attempt_events::table
        .filter(attempt_events::org_id.eq(org))
        .filter(attempt_events::attempt_id.eq(attempt))
        .select(attempt_events::kind)
        .load(conn)?;
    let mut out = EventCounts::default();
    for kind in kinds.iter().filter_map(|k| AttemptEventKind::parse(k)) {
        out.add(kind, 1);
    }
    Ok(out)
}

/// The limit the counts exceed, if any.
pub fn limit_exceeded(settings: &IntegritySettings, counts: &EventCounts) -> Option<&'static str> {
    let over = |limit: Option<u32>, count: i64| limit.is_some_and(|l| count > i64::from(l));
    if over(settings.max_focus_losses, counts.focus_losses) {
        Some("max_focus_losses")
    } else if over(settings.max_fullscreen_exits, counts.fullscreen_exit) {
        Some("max_fullscreen_exits")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(ranges: &[&str]) -> IntegritySettings {
        IntegritySettings {
            ip_ranges: ranges.iter().map(|s| (*s).to_owned()).collect(),
            ..IntegritySettings::default()
        }
    }

    #[test]
    fn addresses_inside_the_ranges_are_allowed() {
        assert!(ip_allowed(&settings(&[]), None));
        let s = settings(&["10.0.0.0/8", "2001:db8::/32"]);
        assert!(ip_allowed(&s, Some("10.200.3.4")));
        assert!(ip_allowed(&s, Some("::ffff:10.0.0.1")));
        assert!(ip_allowed(&s, Some("2001:db8:1::5")));
        assert!(!ip_allowed(&s, Some("11.0.0.1")));
        assert!(!ip_allowed(&s, Some("2001:db9::1")));
        assert!(!ip_allowed(&s, None));
        assert!(!ip_allowed(&s, Some("garbage")));
    }

    #[test]
    fn limits_are_exceeded_one_past_them() {
        let s = IntegritySettings {
            max_focus_losses: Some(5),
            max_fullscreen_exits: Some(0),
            ..IntegritySettings::default()
        };
        let mut c = EventCounts::default();
        c.add(AttemptEventKind::FocusLost, 3);
        c.add(AttemptEventKind::TabHidden, 2);
        assert_eq!(limit_exceeded(&s, &c), None);
        c.add(AttemptEventKind::TabHidden, 1);
        assert_eq!(limit_exceeded(&s, &c), Some("max_focus_losses"));
        let mut c = EventCounts::default();
        c.add(AttemptEventKind::FullscreenExit, 1);
        assert_eq!(limit_exceeded(&s, &c), Some("max_fullscreen_exits"));
    }
}
