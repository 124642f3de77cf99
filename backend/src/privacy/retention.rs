//! Data retention (privacy statement 4.1.2): each kind of data with a natural end of life
//! ([`RetentionKind`]) is deleted or has its personal data erased a number of days after its
//! starting point, as the `[retention]` settings say ([`policy`]).
//!
//! [`run`] does it in bounded batches: every statement touches at most `batch` rows chosen by
//! a subquery (`… WHERE id IN (SELECT id … LIMIT n)`), so no table is ever loaded and no
//! transaction grows with the data. Each statement is complete by itself, so a run that stops
//! half-way (a crash, a time budget) loses nothing, and running again does only what is left:
//! the run is idempotent. Several runners at once (the job on two nodes after a lease
//! expired, an operator's `examcloud run-retention`) only share the work: on PostgreSQL the
//! subquery skips rows another runner holds (`FOR UPDATE SKIP LOCKED`); on SQLite each
//! statement takes the one write lock. A run that changed anything appends one audit entry
//! (`privacy.retention_run`, the system as actor, the counts per kind).
//!
//! The daily job ([`JOB`]) keeps exactly one future run queued: start-up queues one when no
//! run is pending ([`ensure_scheduled`]), and each run queues the next before it works, so a
//! run that fails (and is retried, or given up) never breaks the chain.

use std::time::{Duration, Instant};

use anyhow::Context;
use diesel::prelude::*;
use shared::privacy::{RetentionKind, RetentionPolicy, RetentionRule};

use crate::audit::{self, AuditEntry};
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::jobs;
use crate::db::types::Timestamp;
use crate::settings::RetentionSettings;

/// The job kind of the daily run.
pub const JOB: &str = "privacy_retention";
/// Rows one statement deletes or anonymises at most.
pub const BATCH: i64 = 1000;
/// How long one job run works before it hands the rest to a follow-up job: well inside the
/// queue's 60-second lease, so no other node takes the job over while it is running.
const JOB_BUDGET: Duration = Duration::from_secs(40);
/// The daily run's hour in UTC: 03:00 in China (UTC+8), when exams are rare.
const RUN_HOUR_UTC: u32 = 19;
/// Longest accepted retention, in days (a typo guard).
const MAX_DAYS: u32 = 36_500;
/// PostgreSQL advisory lock serialising the scheduling of runs across nodes.
const SCHEDULE_LOCK_KEY: i64 = 0x5245_5445_4e54_494f; // "RETENTIO"

/// The fewest days a kind may be kept: the sending limits of codes count the last day of
/// requests, and the sign-in throttle the last 15 minutes of attempts.
fn min_days(kind: RetentionKind) -> u32 {
    match kind {
        RetentionKind::VerificationCodes | RetentionKind::LoginAttempts => 1,
        _ => 0,
    }
}

/// The policy in effect: one rule per kind, days from the settings. Fails on a value outside
/// a kind's bounds, so a node with a wrong setting does not start.
pub fn policy(settings: &RetentionSettings) -> anyhow::Result<RetentionPolicy> {
    let mut kinds = Vec::with_capacity(RetentionKind::ALL.len());
    for kind in RetentionKind::ALL {
        let days = settings.days(kind);
        let min = min_days(kind);
        anyhow::ensure!(
            (min..=MAX_DAYS).contains(&days),
            "retention.{} must be between {min} and {MAX_DAYS} days, not {days}",
            kind.as_str()
        );
        kinds.push(RetentionRule {
            kind,
            action: kind.action(),
            days,
        });
    }
    Ok(RetentionPolicy { kinds })
}

/// One bounded statement of a kind: rows of `table` (key `key`) matching `condition` (with
/// `$1` the cutoff) are deleted, or have `erase` set to NULL. Counted under `counts_as`.
struct Step {
    counts_as: RetentionKind,
    table: &'static str,
    key: &'static str,
    condition: &'static str,
    erase: Option<&'static str>,
}

impl Step {
    const fn delete(
        counts_as: RetentionKind,
        table: &'static str,
        condition: &'static str,
    ) -> Step {
        Step {
            counts_as,
            table,
            key: "id",
            condition,
            erase: None,
        }
    }

    const fn erase(
        counts_as: RetentionKind,
        table: &'static str,
        key: &'static str,
        column: &'static str,
        condition: &'static str,
    ) -> Step {
        Step {
            counts_as,
            table,
            key,
            condition,
            erase: Some(column),
        }
    }

    /// The statement for one batch, in the engine's dialect.
    fn sql(&self, postgres: bool, batch: i64) -> String {
        let Step {
            table, key, erase, ..
        } = self;
        let lock = if postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let sql = match erase {
            None => format!(
                "DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} \
                 WHERE ({}) LIMIT {batch}{lock})",
                self.condition
            ),
            Some(column) => format!(
                "UPDATE {table} SET {column} = NULL WHERE {key} IN (SELECT {key} FROM {table} \
                 WHERE {column} IS NOT NULL AND ({}) LIMIT {batch}{lock})",
                self.condition
            ),
        };
        if postgres {
            sql
        } else {
            sql.replace("$1", "?1")
        }
    }
}

/// What a kind's end of life does, statement by statement.
fn steps(kind: RetentionKind) -> Vec<Step> {
    use RetentionKind as K;
    match kind {
        K::VerificationCodes => vec![Step::delete(kind, "verification_codes", "expires_at < $1")],
        K::LoginAttempts => vec![Step::delete(kind, "login_attempts", "created_at < $1")],
        // A session's refresh tokens go first (counted as refresh tokens), in batches of their
        // own, so deleting a long-lived session never cascades over an unbounded family.
        K::Sessions => vec![
            Step::delete(
                K::RefreshTokens,
                "refresh_tokens",
                "session_id IN (SELECT id FROM sessions WHERE expires_at < $1 OR revoked_at < $1)",
            ),
            Step::delete(kind, "sessions", "expires_at < $1 OR revoked_at < $1"),
        ],
        K::RefreshTokens => vec![Step::delete(kind, "refresh_tokens", "expires_at < $1")],
        K::NotificationOutbox => vec![Step::delete(
            kind,
            "notification_outbox",
            "status IN ('sent', 'failed') AND created_at < $1",
        )],
        K::AttemptEventIps => vec![Step::erase(
            kind,
            "attempt_events",
            "id",
            "ip_enc",
            "occurred_at < $1",
        )],
        K::AttemptIps => vec![Step::erase(
            kind,
            "attempts",
            "id",
            "last_ip_enc",
            "submitted_at < $1",
        )],
        K::SessionDevices => vec![Step::erase(
            kind,
            "sessions",
            "id",
            "device_enc",
            "last_used_at < $1",
        )],
        // The audit log's guards allow exactly this change, and its chain commits to whether
        // an entry had personal data, not to the ciphertext, so it still verifies.
        K::AuditLogPii => vec![Step::erase(
            kind,
            "audit_log",
            "seq",
            "pii_enc",
            "occurred_at < $1",
        )],
        K::Jobs => vec![Step::delete(kind, "jobs", "done_at < $1")],
        K::DataExports => vec![Step::delete(
            kind,
            "data_exports",
            "status IN ('downloaded', 'expired', 'failed') AND requested_at < $1",
        )],
    }
}

/// Runs one statement with `cutoff` bound to `$1`; answers the rows it changed.
fn execute(
    conn: &mut DbConnection,
    step: &Step,
    batch: i64,
    cutoff: Timestamp,
) -> QueryResult<usize> {
    use crate::db::types::sql::Instant as SqlInstant;
    match conn {
        DbConnection::Pg(c) => diesel::sql_query(step.sql(true, batch))
            .bind::<SqlInstant, _>(cutoff)
            .execute(c),
        DbConnection::Sqlite(c) => diesel::sql_query(step.sql(false, batch))
            .bind::<SqlInstant, _>(cutoff)
            .execute(c),
    }
}

/// How much one run may do: rows per statement, and a time after which it stops (between
/// statements) and reports itself incomplete.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub batch: i64,
    pub deadline: Option<Instant>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            batch: BATCH,
            deadline: None,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionReport {
    /// Rows deleted or anonymised, per kind, in the order of [`RetentionKind::ALL`].
    pub counts: Vec<(RetentionKind, u64)>,
    /// False when the run stopped at its deadline with work left.
    pub complete: bool,
}

impl RetentionReport {
    /// Rows deleted or anonymised of `kind`.
    pub fn count(&self, kind: RetentionKind) -> u64 {
        self.counts
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }

    /// Rows changed in all.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }

    /// The audit entry's details: the count of every kind, and whether the run finished.
    fn details(&self) -> serde_json::Value {
        let counts: serde_json::Map<String, serde_json::Value> = self
            .counts
            .iter()
            .map(|(k, n)| (k.as_str().to_owned(), (*n).into()))
            .collect();
        serde_json::json!({ "counts": counts, "complete": self.complete })
    }
}

/// Applies `policy` as of `now`, in batches of [`BATCH`] rows, to the end.
pub fn run(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    now: Timestamp,
    policy: &RetentionPolicy,
) -> anyhow::Result<RetentionReport> {
    run_with(conn, cipher, now, policy, Limits::default())
}

/// [`run`] within `limits`.
pub fn run_with(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    now: Timestamp,
    policy: &RetentionPolicy,
    limits: Limits,
) -> anyhow::Result<RetentionReport> {
    anyhow::ensure!(limits.batch > 0, "the batch size must be positive");
    let mut report = RetentionReport {
        counts: RetentionKind::ALL.iter().map(|k| (*k, 0)).collect(),
        complete: true,
    };
    'kinds: for rule in &policy.kinds {
        let cutoff = Timestamp::from(now.0 - chrono::Duration::days(i64::from(rule.days)));
        for step in steps(rule.kind) {
            loop {
                if limits.deadline.is_some_and(|d| Instant::now() >= d) {
                    report.complete = false;
                    break 'kinds;
                }
                let changed = execute(conn, &step, limits.batch, cutoff)
                    .with_context(|| format!("retention of {}", rule.kind.as_str()))?;
                if let Some((_, n)) = report.counts.iter_mut().find(|(k, _)| *k == step.counts_as) {
                    *n += changed as u64;
                }
                if (changed as i64) < limits.batch {
                    break;
                }
            }
        }
    }
    if report.total() > 0 {
        let entry = AuditEntry::system(None, "privacy.retention_run", None, report.details());
        audit::append(conn, cipher, entry)?;
    }
    Ok(report)
}

/// The next daily run after `now`.
pub fn next_run(now: Timestamp) -> Timestamp {
    let today = now
        .0
        .date_naive()
        .and_hms_opt(RUN_HOUR_UTC, 0, 0)
        .map(|t| t.and_utc());
    match today {
        Some(t) if t > now.0 => Timestamp::from(t),
        Some(t) => Timestamp::from(t + chrono::Duration::days(1)),
        None => Timestamp::from(now.0 + chrono::Duration::days(1)),
    }
}

/// Queues the next daily run unless one is already pending — any pending one at start-up
/// (`future_only` false), one due after `now` from inside a run (`future_only` true: the run
/// itself is still pending). Serialised across nodes (an advisory lock on PostgreSQL, the
/// write lock on SQLite), so two nodes starting at once queue one run. Answers whether it
/// queued one.
pub fn ensure_scheduled(
    conn: &mut DbConnection,
    now: Timestamp,
    future_only: bool,
) -> anyhow::Result<bool> {
    crate::db::transaction(conn, |conn| {
        if let DbConnection::Pg(c) = conn {
            diesel::sql_query(format!("SELECT pg_advisory_xact_lock({SCHEDULE_LOCK_KEY})"))
                .execute(c)?;
        }
        let pending = jobs::table
            .filter(jobs::kind.eq(JOB))
            .filter(jobs::done_at.is_null());
        let queued: i64 = if future_only {
            pending
                .filter(jobs::run_at.gt(now))
                .count()
                .get_result(conn)?
        } else {
            pending.count().get_result(conn)?
        };
        if queued > 0 {
            return Ok(false);
        }
        crate::jobs::enqueue(conn, JOB, next_run(now), &serde_json::json!({}))?;
        Ok::<_, anyhow::Error>(true)
    })
    .context("scheduling the retention run")
}

/// The daily job: queues tomorrow's run, then works for at most [`JOB_BUDGET`]; what is left
/// goes to a follow-up job due at once, so no run outlives its lease.
pub fn run_job(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    policy: &RetentionPolicy,
    now: Timestamp,
) -> anyhow::Result<()> {
    ensure_scheduled(conn, now, true)?;
    let limits = Limits {
        batch: BATCH,
        deadline: Some(Instant::now() + JOB_BUDGET),
    };
    let report = run_with(conn, cipher, now, policy, limits)?;
    tracing::info!(
        changed = report.total(),
        complete = report.complete,
        "retention run"
    );
    if !report.complete {
        crate::jobs::enqueue(conn, JOB, now, &serde_json::json!({ "continued": true }))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use shared::privacy::RetentionAction;

    use super::*;

    #[test]
    fn the_defaults_give_a_rule_for_every_kind() -> anyhow::Result<()> {
        let settings = crate::settings::Settings::load_from(None, Vec::new())?;
        let policy = policy(&settings.retention)?;
        assert_eq!(policy.kinds.len(), RetentionKind::ALL.len());
        let audit = policy.rule(RetentionKind::AuditLogPii);
        assert_eq!(
            audit.map(|r| (r.action, r.days)),
            Some((RetentionAction::Anonymise, 180))
        );
        Ok(())
    }

    #[test]
    fn a_retention_below_a_kinds_minimum_is_refused() -> anyhow::Result<()> {
        let mut settings = crate::settings::Settings::load_from(None, Vec::new())?.retention;
        settings.verification_codes = 0;
        assert!(policy(&settings).is_err());
        settings.verification_codes = 1;
        settings.jobs = 0;
        assert!(policy(&settings).is_ok());
        settings.jobs = MAX_DAYS + 1;
        assert!(policy(&settings).is_err());
        Ok(())
    }

    #[test]
    fn statements_are_bounded_and_written_for_each_engine() {
        for kind in RetentionKind::ALL {
            for step in steps(kind) {
                let pg = step.sql(true, 7);
                let lite = step.sql(false, 7);
                assert!(pg.contains("LIMIT 7 FOR UPDATE SKIP LOCKED"), "{pg}");
                assert!(
                    lite.contains("LIMIT 7)") && !lite.contains("SKIP"),
                    "{lite}"
                );
                assert!(pg.contains("$1") && !lite.contains('$'), "{lite}");
            }
        }
        let erase = steps(RetentionKind::AuditLogPii).remove(0).sql(false, 1000);
        assert_eq!(
            erase,
            "UPDATE audit_log SET pii_enc = NULL WHERE seq IN (SELECT seq FROM audit_log \
             WHERE pii_enc IS NOT NULL AND (occurred_at < ?1) LIMIT 1000)"
        );
    }

    #[test]
    fn the_daily_run_is_at_three_in_the_morning_in_china() {
        let at = |s: &str| {
            Timestamp::from(
                chrono::DateTime::parse_from_rfc3339(s)
                    .map(|t| t.with_timezone(&chrono::Utc))
                    .unwrap_or_default(),
            )
        };
        assert_eq!(
            next_run(at("2026-12-07T10:00:00Z")),
            at("2026-12-07T19:00:00Z")
        );
        assert_eq!(
            next_run(at("2026-12-07T19:00:00Z")),
            at("2026-12-08T19:00:00Z")
        );
    }
}
