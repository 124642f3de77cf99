//! The database-backed job queue: work that must happen at a time even if nobody asks for it
//! (an attempt submitted at its deadline when the candidate's browser is gone).
//!
//! A job is a row of `jobs`. Every node runs a [`JobWorker`] that polls for due jobs and
//! claims one at a time in a single statement: on PostgreSQL `FOR UPDATE SKIP LOCKED` lets
//! several nodes claim different jobs at once; on SQLite the statement takes the single write
//! lock. A claim is a lease (`locked_until`): if its node dies, the job is claimed again when
//! the lease expires, so handlers must be idempotent. Failures are retried with a growing
//! delay, at most [`MAX_ATTEMPTS`] times. Each kind's handler is registered in a [`Registry`]
//! at start-up; the queue imports no domain module.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use diesel::prelude::*;

use crate::db::schema::jobs;
use crate::db::types::{DbUuid, Timestamp};
use crate::db::{Database, DbConnection};

/// How often a worker looks for due jobs.
pub const POLL: Duration = Duration::from_secs(1);
/// How long a claim lasts before another worker may take the job over.
const LEASE_SECS: i64 = 60;
/// Attempts before a job is given up (recorded with its last error).
pub const MAX_ATTEMPTS: i32 = 5;

/// Queues a job of `kind` to run at `run_at`, in the caller's transaction.
pub fn enqueue(
    conn: &mut DbConnection,
    kind: &str,
    run_at: Timestamp,
    payload: &serde_json::Value,
) -> QueryResult<DbUuid> {
    let id = DbUuid::new_v7();
    diesel::insert_into(jobs::table)
        .values((
            jobs::id.eq(id),
            jobs::kind.eq(kind),
            jobs::run_at.eq(run_at),
            jobs::payload.eq(payload.to_string()),
            jobs::attempts.eq(0),
            jobs::created_at.eq(Timestamp::now()),
        ))
        .execute(conn)?;
    Ok(id)
}

const CLAIM_PG: &str = "\
UPDATE jobs SET locked_until = $2, attempts = attempts + 1
WHERE id = (
    SELECT id FROM jobs
    WHERE done_at IS NULL AND run_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
    ORDER BY run_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
RETURNING id, kind, payload, attempts";

const CLAIM_SQLITE: &str = "\
UPDATE jobs SET locked_until = ?2, attempts = attempts + 1
WHERE id = (
    SELECT id FROM jobs
    WHERE done_at IS NULL AND run_at <= ?1 AND (locked_until IS NULL OR locked_until < ?1)
    ORDER BY run_at
    LIMIT 1)
RETURNING id, kind, payload, attempts";

/// A job a worker has claimed.
#[derive(QueryableByName, Debug)]
#[diesel(table_name = jobs)]
pub struct Claimed {
    pub id: DbUuid,
    pub kind: String,
    pub payload: String,
    /// Including this claim.
    pub attempts: i32,
}

/// Claims the next due job, if any, until `now + LEASE_SECS`.
pub fn claim(conn: &mut DbConnection, now: Timestamp) -> QueryResult<Option<Claimed>> {
    use crate::db::types::sql::Instant;
    let lease = Timestamp::from(now.0 + chrono::Duration::seconds(LEASE_SECS));
    let mut rows: Vec<Claimed> = match conn {
        DbConnection::Pg(c) => diesel::sql_query(CLAIM_PG)
            .bind::<Instant, _>(now)
            .bind::<Instant, _>(lease)
            .load(c)?,
        DbConnection::Sqlite(c) => diesel::sql_query(CLAIM_SQLITE)
            .bind::<Instant, _>(now)
            .bind::<Instant, _>(lease)
            .load(c)?,
    };
    Ok(rows.pop())
}

/// What runs a job of one kind: its payload and the time of the claim in (the worker's clock;
/// tests inject one), done or failed out (a failure is retried with a growing delay).
/// Handlers must be idempotent: a claim whose node died is run again. A handler that needs
/// the node's keys or notifier captures them when it is registered (`startup::job_kinds`).
pub type Handler = Arc<
    dyn Fn(&mut DbConnection, &serde_json::Value, Timestamp) -> anyhow::Result<()> + Send + Sync,
>;

/// The job kinds a node runs, each with its handler, registered at start-up (`startup.rs`), so
/// the queue knows nothing of the domains that use it.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Handler>,
}

impl Registry {
    /// Adds the handler of `kind`.
    pub fn register(
        mut self,
        kind: &'static str,
        handler: impl Fn(&mut DbConnection, &serde_json::Value, Timestamp) -> anyhow::Result<()>
        + Send
        + Sync
        + 'static,
    ) -> Registry {
        self.handlers.insert(kind, Arc::new(handler));
        self
    }
}

/// Runs one claimed job through its kind's handler.
fn run(
    conn: &mut DbConnection,
    registry: &Registry,
    job: &Claimed,
    now: Timestamp,
) -> anyhow::Result<()> {
    let Some(handler) = registry.handlers.get(job.kind.as_str()) else {
        anyhow::bail!("unknown job kind {}", job.kind);
    };
    let payload: serde_json::Value = serde_json::from_str(&job.payload).context("job payload")?;
    handler(conn, &payload, now)
}

/// Records the outcome of a claim.
fn record(conn: &mut DbConnection, job: &Claimed, outcome: &anyhow::Result<()>) -> QueryResult<()> {
    let now = Timestamp::now();
    let target = jobs::table.find(job.id);
    match outcome {
        Ok(()) => diesel::update(target)
            .set((
                jobs::done_at.eq(Some(now)),
                jobs::locked_until.eq(None::<Timestamp>),
            ))
            .execute(conn)?,
        Err(e) if job.attempts >= MAX_ATTEMPTS => diesel::update(target)
            .set((
                jobs::done_at.eq(Some(now)),
                jobs::last_error.eq(Some(format!("{e:#}"))),
            ))
            .execute(conn)?,
        Err(e) => diesel::update(target)
            .set((
                jobs::run_at.eq(Timestamp::from(
                    now.0 + chrono::Duration::seconds(30 * i64::from(job.attempts)),
                )),
                jobs::locked_until.eq(None::<Timestamp>),
                jobs::last_error.eq(Some(format!("{e:#}"))),
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// Claims and runs due jobs until none is left; returns how many ran.
pub fn run_due(conn: &mut DbConnection, registry: &Registry) -> anyhow::Result<usize> {
    run_due_with(conn, registry, Timestamp::now)
}

/// [`run_due`] on the clock `now` (tests run the queue at a time of their choosing).
pub fn run_due_with(
    conn: &mut DbConnection,
    registry: &Registry,
    now: impl Fn() -> Timestamp,
) -> anyhow::Result<usize> {
    let mut ran = 0;
    loop {
        let at = now();
        let Some(job) = claim(conn, at).context("claiming a job")? else {
            break;
        };
        let outcome = run(conn, registry, &job, at);
        if let Err(e) = &outcome {
            tracing::warn!(job = %job.id, kind = %job.kind, error = %format!("{e:#}"), "job failed");
        }
        record(conn, &job, &outcome).context("recording a job's outcome")?;
        ran += 1;
    }
    Ok(ran)
}

/// The polling loop of one node.
pub struct JobWorker;

impl JobWorker {
    /// Starts polling; abort the handle to stop.
    pub fn spawn(db: Database, registry: Registry) -> tokio::task::JoinHandle<()> {
        let registry = Arc::new(registry);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(POLL);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                let registry = Arc::clone(&registry);
                let result: anyhow::Result<usize> =
                    db.run(move |conn| run_due(conn, &registry)).await;
                if let Err(err) = result {
                    tracing::warn!(error = %format!("{err:#}"), "job worker");
                }
            }
        })
    }
}
