//! The deletion at the end of an organisation's grace period (the `org_cancellation` job): the
//! organisation is disabled at once (nobody signs in again), then everything of it is deleted
//! table by table, children first, in statements of at most [`BATCH`] rows so that the
//! database's write lock is never held long (other organisations' exams go on); the audit
//! log's personal data of the organisation is erased (its chain commits to whether an entry
//! had personal data, not the ciphertext, so it still verifies); its files are removed from
//! storage; and the organisation's row stays, nameless, for what accounting must keep. A run
//! stops after [`RUN_SECS`] and queues the next; every step is idempotent, so a run that died
//! is simply run again.

use std::time::{Duration, Instant};

use anyhow::Context;
use diesel::prelude::*;
use shared::Lang;

use crate::audit::{self, AuditEntry};
use crate::db::DbConnection;
use crate::db::schema::orgs;
use crate::db::types::{DbUuid, Timestamp};
use crate::state::AppState;

/// The job that deletes the organisation's data at the end of the grace period.
pub const ERASE_JOB: &str = "org_cancellation";
/// The job that reminds the owner before that.
pub const REMINDER_JOB: &str = "org_cancellation_reminder";

/// Rows per statement.
pub const BATCH: i64 = 1_000;
/// How long one run works before it queues the next.
const RUN_SECS: u64 = 40;

/// What is deleted, in order (children before the rows they reference): the table and its
/// key columns. Every table holds `org_id`.
const TABLES: &[(&str, &str)] = &[
    ("refresh_tokens", ""),
    ("sessions", "id"),
    ("api_keys", "id"),
    ("data_exports", "id"),
    ("consents", "id"),
    ("notification_outbox", "id"),
    ("grading_marks", "id"),
    ("grading_items", "id"),
    ("grader_limits", "exam_id, user_id"),
    ("exam_marking", "exam_id"),
    ("certificates", "id"),
    ("attempt_events", "id"),
    ("attempt_answers", "attempt_id, question_id"),
    ("exam_registrations", "id"),
    ("attempts", "id"),
    ("paper_instances", "id"),
    ("exam_assignments", "id"),
    ("exams", "id"),
    ("regrades", "id"),
    ("papers", "id"),
    ("certificate_templates", "id"),
    ("question_tags", "question_id, tag"),
    ("question_versions", "id"),
    ("questions", "id"),
    ("attachments", "id"),
    ("question_categories", "id"),
    ("question_banks", "id"),
    ("candidate_group_members", "group_id, candidate_id"),
    ("candidate_groups", "id"),
    ("candidates", "id"),
    ("users", "id"),
];

/// One batch's statement for `table`, in the engine's dialect; `$1` is the organisation.
fn statement(table: &str, key: &str, postgres: bool) -> String {
    let sql = match table {
        // Refresh tokens name their session, not the organisation.
        "refresh_tokens" => format!(
            "DELETE FROM refresh_tokens WHERE id IN (SELECT t.id FROM refresh_tokens t \
             JOIN sessions s ON s.id = t.session_id WHERE s.org_id = $1 LIMIT {BATCH})"
        ),
        // A category's parent goes after its children: unlink them first.
        "question_categories" => format!(
            "UPDATE question_categories SET parent_id = NULL WHERE id IN (SELECT id FROM \
             question_categories WHERE org_id = $1 AND parent_id IS NOT NULL LIMIT {BATCH})"
        ),
        "audit_log" => format!(
            "UPDATE audit_log SET pii_enc = NULL WHERE seq IN (SELECT seq FROM audit_log \
             WHERE org_id = $1 AND pii_enc IS NOT NULL LIMIT {BATCH})"
        ),
        _ => format!(
            "DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} \
             WHERE org_id = $1 LIMIT {BATCH})"
        ),
    };
    if postgres {
        sql
    } else {
        sql.replace("$1", "?1")
    }
}

fn execute(conn: &mut DbConnection, sql: &str, org: DbUuid) -> QueryResult<usize> {
    use crate::db::types::sql::Uuid as SqlUuid;
    match conn {
        DbConnection::Pg(c) => diesel::sql_query(sql.replace("?1", "$1"))
            .bind::<SqlUuid, _>(org)
            .execute(c),
        DbConnection::Sqlite(c) => diesel::sql_query(sql).bind::<SqlUuid, _>(org).execute(c),
    }
}

/// Runs one statement until it changes nothing or the deadline passes; answers the rows
/// changed and whether it finished.
fn drain(
    conn: &mut DbConnection,
    sql: &str,
    org: DbUuid,
    deadline: Instant,
) -> QueryResult<(u64, bool)> {
    let mut total = 0;
    loop {
        let n = execute(conn, sql, org)?;
        total += n as u64;
        if n == 0 {
            return Ok((total, true));
        }
        if Instant::now() >= deadline {
            return Ok((total, false));
        }
    }
}

fn payload_org(payload: &serde_json::Value) -> anyhow::Result<DbUuid> {
    payload
        .get("org")
        .and_then(|v| v.as_str())
        .and_then(|s| uuid::Uuid::parse_str(s).ok())
        .map(DbUuid)
        .context("job payload without an organisation")
}

/// The organisation's cancellation times: requested, effective, done.
type Times = (Option<Timestamp>, Option<Timestamp>, Option<Timestamp>);

fn times(conn: &mut DbConnection, org: DbUuid) -> QueryResult<Option<Times>> {
    orgs::table
        .find(org)
        .select((
            orgs::cancel_requested_at,
            orgs::cancel_effective_at,
            orgs::cancelled_at,
        ))
        .first(conn)
        .optional()
}

/// Whether the job's payload names the organisation's current request (an undone request's
/// jobs, or those of an earlier request, do nothing).
fn current(times: &Times, payload: &serde_json::Value) -> bool {
    let effective = payload.get("effective_at").and_then(|v| v.as_str());
    times.1.map(Timestamp::to_canonical_string).as_deref() == effective && effective.is_some()
}

/// The `org_cancellation_reminder` job: reminds the owner before the deletion.
pub fn run_reminder(
    conn: &mut DbConnection,
    st: &AppState,
    payload: &serde_json::Value,
) -> anyhow::Result<()> {
    let org = payload_org(payload)?;
    let Some(t) = times(conn, org)? else {
        return Ok(());
    };
    if !current(&t, payload) || t.2.is_some() {
        return Ok(());
    }
    let lang = payload
        .get("lang")
        .and_then(|v| v.as_str())
        .and_then(Lang::from_tag)
        .unwrap_or(Lang::ZhCn);
    let effective = t.1.map(Timestamp::to_canonical_string);
    crate::db::transaction(conn, |conn| {
        super::notices::tell_owner(conn, st, org, lang, "reminder", effective.as_deref())
            .map_err(|e| anyhow::anyhow!("reminding the owner: {e}"))
    })?;
    st.notifier.wake();
    Ok(())
}

/// The `org_cancellation` job.
pub fn run_erase(
    conn: &mut DbConnection,
    st: &AppState,
    payload: &serde_json::Value,
    now: Timestamp,
) -> anyhow::Result<()> {
    let org = payload_org(payload)?;
    let Some(t) = times(conn, org)? else {
        return Ok(());
    };
    if !current(&t, payload) || t.1.is_some_and(|at| at.0 > now.0) {
        return Ok(());
    }
    // First, at once: disabled, sessions ended (sign-in fails from here on; an undo too).
    if t.2.is_none() {
        crate::db::transaction(conn, |conn| {
            diesel::update(orgs::table.find(org))
                .set((
                    orgs::status.eq("disabled"),
                    orgs::cancelled_at.eq(Some(now)),
                    orgs::updated_at.eq(now),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                &st.cipher,
                AuditEntry::system(
                    Some(org),
                    "org.cancel_start",
                    Some(("org", org.to_string())),
                    serde_json::json!({}),
                ),
            )?;
            anyhow::Ok(())
        })?;
    }
    let postgres = matches!(conn, DbConnection::Pg(_));
    let deadline = Instant::now() + Duration::from_secs(RUN_SECS);
    let mut counts = serde_json::Map::new();
    let steps = TABLES
        .iter()
        .copied()
        .chain(std::iter::once(("audit_log", "seq")));
    for (table, key) in steps {
        if table == "question_categories" {
            let (_, done) = drain(conn, &statement(table, key, postgres), org, deadline)?;
            if !done {
                return follow_up(conn, payload, now);
            }
            let plain = format!(
                "DELETE FROM question_categories WHERE id IN (SELECT id FROM \
                 question_categories WHERE org_id = $1 LIMIT {BATCH})"
            );
            let plain = if postgres {
                plain
            } else {
                plain.replace("$1", "?1")
            };
            let (n, done) = drain(conn, &plain, org, deadline)?;
            counts.insert(table.to_owned(), n.into());
            if !done {
                return follow_up(conn, payload, now);
            }
            continue;
        }
        let (n, done) = drain(conn, &statement(table, key, postgres), org, deadline)
            .with_context(|| format!("erasing {table}"))?;
        if n > 0 {
            counts.insert(table.to_owned(), n.into());
        }
        if !done {
            return follow_up(conn, payload, now);
        }
    }
    st.storage
        .delete_all(&format!("orgs/{org}"))
        .context("deleting the organisation's files")?;
    // The row stays for accounting, with nothing that names the organisation.
    crate::db::transaction(conn, |conn| {
        diesel::update(orgs::table.find(org))
            .set((
                orgs::name.eq("—"),
                orgs::slug.eq(format!("cancelled-{}", org.0.simple())),
                orgs::candidate_app_name.eq(None::<String>),
                orgs::logo_path.eq(None::<String>),
                orgs::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::append(
            conn,
            &st.cipher,
            AuditEntry::system(
                Some(org),
                "org.cancel_complete",
                Some(("org", org.to_string())),
                serde_json::json!({ "deleted": counts }),
            ),
        )?;
        anyhow::Ok(())
    })?;
    Ok(())
}

/// Queues the next run of an unfinished deletion.
fn follow_up(
    conn: &mut DbConnection,
    payload: &serde_json::Value,
    now: Timestamp,
) -> anyhow::Result<()> {
    crate::jobs::enqueue(conn, ERASE_JOB, now, payload)?;
    Ok(())
}
