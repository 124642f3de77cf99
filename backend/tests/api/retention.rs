//! Data retention: the published policy (defaults, overrides, refused values); the real
//! `examcloud run-retention` against the test's database, which deletes or anonymises the old
//! rows of every kind and leaves the fresh ones (and the audit chain) intact; the daily job on
//! an injected clock, which keeps exactly one run queued; bounded batches.

use backend::audit::{self, Actor, AuditEntry, Outcome, VerifyReport};
use backend::db::DbConnection;
use backend::db::types::{DbUuid, Timestamp};
use backend::privacy::retention::{self, JOB, Limits};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb, spawn_app, spawn_app_with, test_settings};
use crate::results::run_jobs_at;

mod seed;

use seed::{Seeded, id_of, insert_login, seed};

fn days_ago(n: i64) -> Timestamp {
    Timestamp::from(Utc::now() - Duration::days(n))
}

fn days_ahead(n: i64) -> Timestamp {
    Timestamp::from(Utc::now() + Duration::days(n))
}

#[tokio::test]
async fn the_retention_policy_is_public_and_has_a_rule_for_every_kind() {
    let app = spawn_app().await;
    let (status, body): (_, Value) = app.get_json("/api/privacy/retention").await;
    assert_eq!(status, 200, "{body}");
    let rules: Vec<(String, String, u64)> = body["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().expect("kind").to_owned(),
                r["action"].as_str().expect("action").to_owned(),
                r["days"].as_u64().expect("days"),
            )
        })
        .collect();
    let expected = [
        ("verification_codes", "delete", 7),
        ("login_attempts", "delete", 30),
        ("sessions", "delete", 30),
        ("refresh_tokens", "delete", 7),
        ("notification_outbox", "delete", 30),
        ("attempt_event_ips", "anonymise", 180),
        ("attempt_ips", "anonymise", 180),
        ("session_devices", "anonymise", 30),
        ("audit_log_pii", "anonymise", 180),
        ("jobs", "delete", 30),
        ("data_exports", "delete", 30),
    ];
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(k, a, d)| (k.to_string(), a.to_string(), *d))
        .collect();
    assert_eq!(rules, expected);
}

#[tokio::test]
async fn the_settings_override_the_published_policy_and_a_value_out_of_bounds_stops_the_start() {
    let app = spawn_app_with(|s| {
        s.retention.login_attempts = 2;
        s.retention.audit_log_pii = 365;
    })
    .await;
    let (_, body): (_, Value) = app.get_json("/api/privacy/retention").await;
    let days = |kind: &str| {
        body["kinds"]
            .as_array()
            .expect("kinds")
            .iter()
            .find(|r| r["kind"] == kind)
            .and_then(|r| r["days"].as_u64())
    };
    assert_eq!(days("login_attempts"), Some(2));
    assert_eq!(days("audit_log_pii"), Some(365));
    assert_eq!(days("sessions"), Some(30));

    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::new(dir.path());
    let mut settings = test_settings(dir.path(), &db.url);
    settings.retention.verification_codes = 0;
    let refused = backend::Application::build(settings).await.err();
    let refused = format!(
        "{:#}",
        refused.expect("a zero-day code retention is refused")
    );
    assert!(
        refused.contains("retention.verification_codes"),
        "{refused}"
    );
}

/// Whether each of `ids` still exists in `table`.
fn present(conn: &mut DbConnection, table: &str, ids: &[DbUuid]) -> Vec<bool> {
    use backend::db::schema::*;
    ids.iter()
        .map(|id| {
            let n: i64 = match table {
                "verification_codes" => {
                    verification_codes::table.find(*id).count().get_result(conn)
                }
                "login_attempts" => login_attempts::table.find(*id).count().get_result(conn),
                "sessions" => sessions::table.find(*id).count().get_result(conn),
                "refresh_tokens" => refresh_tokens::table.find(*id).count().get_result(conn),
                "notification_outbox" => notification_outbox::table
                    .find(*id)
                    .count()
                    .get_result(conn),
                "jobs" => jobs::table.find(*id).count().get_result(conn),
                "data_exports" => data_exports::table.find(*id).count().get_result(conn),
                other => panic!("no table {other}"),
            }
            .expect("count");
            n == 1
        })
        .collect()
}

/// Checks every kind after a run with the default policy (the audit log's personal data
/// aside, which the caller checks).
fn assert_applied(conn: &mut DbConnection, s: &Seeded) {
    use backend::db::schema::{attempt_events as e, attempts as a, sessions};
    assert_eq!(
        present(conn, "verification_codes", &[s.codes.0, s.codes.1]),
        [false, true],
        "codes: deleted 7 days after expiry"
    );
    assert_eq!(
        present(conn, "login_attempts", &[s.logins.0, s.logins.1]),
        [false, true],
        "login attempts: deleted after 30 days"
    );
    assert_eq!(
        present(
            conn,
            "sessions",
            &[s.sessions.0, s.sessions.1, s.sessions.2]
        ),
        [false, false, true],
        "sessions: deleted 30 days after expiry or revocation"
    );
    let t = s.session_tokens;
    assert_eq!(
        present(conn, "refresh_tokens", &[t.0, t.1, t.2]),
        [false, false, true],
        "a deleted session's tokens go with it"
    );
    assert_eq!(
        present(conn, "refresh_tokens", &[s.tokens.0, s.tokens.1]),
        [false, true],
        "refresh tokens: deleted 7 days after expiry"
    );
    let o = s.outbox;
    assert_eq!(
        present(conn, "notification_outbox", &[o.0, o.1, o.2, o.3]),
        [false, false, true, true],
        "messages: deleted 30 days after queued once sent or given up; pending ones stay"
    );
    assert_eq!(
        present(conn, "jobs", &[s.jobs.0, s.jobs.1, s.jobs.2]),
        [false, true, true],
        "jobs: deleted 30 days after finishing; pending ones stay"
    );
    assert_eq!(
        present(
            conn,
            "data_exports",
            &[s.exports.0, s.exports.1, s.exports.2]
        ),
        [false, true, true],
        "exports: records deleted 30 days after the request once ended; ready ones stay"
    );
    let devices: Vec<bool> = [s.devices.0, s.devices.1]
        .iter()
        .map(|id| {
            sessions::table
                .find(*id)
                .select(sessions::device_enc)
                .first::<Option<Vec<u8>>>(conn)
                .expect("session stays")
                .is_some()
        })
        .collect();
    assert_eq!(
        devices,
        [false, true],
        "device details: erased after 30 days unused"
    );
    let (old, fresh) = (id_of(&s.attempts.0), id_of(&s.attempts.1));
    let attempt_ip = |conn: &mut DbConnection, id| {
        a::table
            .find(id)
            .select(a::last_ip_enc)
            .first::<Option<Vec<u8>>>(conn)
            .expect("attempt stays")
            .is_some()
    };
    assert_eq!(
        (attempt_ip(conn, old), attempt_ip(conn, fresh)),
        (false, true),
        "attempt addresses: erased 180 days after submission"
    );
    for (attempt, kept) in [(old, false), (fresh, true)] {
        let ips: Vec<Option<Vec<u8>>> = e::table
            .filter(e::attempt_id.eq(attempt))
            .select(e::ip_enc)
            .load(conn)
            .expect("events stay");
        assert_eq!(ips.len(), 2, "the events themselves stay");
        assert!(
            ips.iter().all(|ip| ip.is_some() == kept),
            "event addresses: erased after 180 days (kept: {kept})"
        );
    }
}

/// Runs the real `examcloud` against the test's database with `args` and `env`.
pub(crate) fn examcloud(
    app: &TestApp,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_examcloud"))
        .args(args)
        .arg("--database-url")
        .arg(secrecy::ExposeSecret::expose_secret(
            &app.settings.database.url,
        ))
        .env("APP_LOG__FILTER", "error")
        .env("APP_KEYS__FILE", &app.settings.keys.file)
        .env("APP_KEYS__GENERATE_IF_MISSING", "false")
        .env("APP_DATABASE__MAX_CONNECTIONS", "1")
        .envs(env.iter().copied())
        .output()
        .expect("run examcloud");
    assert!(
        out.status.success(),
        "examcloud {args:?}: exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The count `run-retention` printed for `kind`.
fn printed(stdout: &str, kind: &str) -> u64 {
    stdout
        .lines()
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some(kind)).then(|| words.next())?
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of {kind} in:\n{stdout}"))
}

/// The details of the `privacy.retention_run` entries, oldest first.
fn runs_recorded(conn: &mut DbConnection) -> Vec<Value> {
    use backend::db::schema::audit_log as l;
    l::table
        .filter(l::action.eq("privacy.retention_run"))
        .filter(l::actor_kind.eq("system"))
        .order(l::seq)
        .select(l::details)
        .load::<String>(conn)
        .expect("entries")
        .iter()
        .map(|d| serde_json::from_str(d).expect("details"))
        .collect()
}

#[tokio::test]
async fn run_retention_deletes_and_anonymises_old_rows_of_every_kind_and_keeps_fresh_ones() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let with_pii = |conn: &mut DbConnection| -> i64 {
        use backend::db::schema::audit_log as l;
        l::table
            .filter(l::pii_enc.is_not_null())
            .count()
            .get_result(conn)
            .expect("count")
    };
    let before = with_pii(&mut app.db());
    assert!(before > 0, "sign-ins recorded addresses");

    // The audit log's entries are all from now: a zero-day retention (through the
    // environment, as an operator would set it) makes every one of them old.
    let out = examcloud(
        &app,
        &["run-retention"],
        &[("APP_RETENTION__AUDIT_LOG_PII", "0")],
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_applied(&mut app.db(), &s);
    let expected = [
        ("verification_codes", 1),
        ("login_attempts", 1),
        ("sessions", 2),
        ("refresh_tokens", 3),
        ("notification_outbox", 2),
        ("attempt_event_ips", 2),
        ("attempt_ips", 1),
        ("session_devices", 1),
        ("jobs", 1),
        ("data_exports", 1),
    ];
    for (kind, n) in expected {
        assert_eq!(printed(&stdout, kind), n, "{kind} in:\n{stdout}");
    }
    assert_eq!(printed(&stdout, "audit_log_pii") as i64, before, "{stdout}");
    assert_eq!(with_pii(&mut app.db()), 0);

    let runs = runs_recorded(&mut app.db());
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0]["counts"]["refresh_tokens"], 3, "{}", runs[0]);
    assert_eq!(runs[0]["complete"], true);

    // Again: nothing left to do, nothing changes, nothing recorded.
    let again = examcloud(
        &app,
        &["run-retention"],
        &[("APP_RETENTION__AUDIT_LOG_PII", "0")],
    );
    let again = String::from_utf8_lossy(&again.stdout).into_owned();
    assert!(again.contains("0 rows changed"), "{again}");
    assert_applied(&mut app.db(), &s);
    assert_eq!(runs_recorded(&mut app.db()).len(), 1);

    // The chain still verifies, with the personal data of every entry erased.
    let verified = examcloud(&app, &["audit-verify"], &[]);
    assert!(
        String::from_utf8_lossy(&verified.stdout).contains("audit log intact"),
        "{verified:?}"
    );
}

/// The queued daily runs not done yet, by when they are due.
fn pending_runs(conn: &mut DbConnection) -> Vec<Timestamp> {
    use backend::db::schema::jobs as j;
    j::table
        .filter(j::kind.eq(JOB))
        .filter(j::done_at.is_null())
        .select(j::run_at)
        .load(conn)
        .expect("jobs")
}

fn entry(ip: &'static str) -> AuditEntry<'static> {
    AuditEntry {
        org_id: None,
        actor: Actor::Anonymous,
        action: "auth.login",
        target_kind: None,
        target_id: None,
        outcome: Outcome::Failure,
        request_id: None,
        details: json!({}),
        ip: Some(ip),
        user_agent: Some("Mozilla/5.0 (retention test)"),
        device: None,
    }
}

fn pii_of(conn: &mut DbConnection, id: DbUuid) -> Option<Vec<u8>> {
    use backend::db::schema::audit_log as l;
    l::table
        .filter(l::id.eq(id))
        .select(l::pii_enc)
        .first(conn)
        .expect("entry")
}

#[tokio::test]
async fn the_daily_job_keeps_one_run_queued_and_erases_only_old_audit_personal_data() {
    let app = spawn_app_with(|s| s.retention.audit_log_pii = 1).await;
    let pending = pending_runs(&mut app.db());
    assert_eq!(pending.len(), 1, "start-up queues the daily run");
    assert!(pending[0].0 > Utc::now() && pending[0].0 < Utc::now() + Duration::days(1));

    // A second node starting on the same database queues none.
    let second = backend::Application::build(app.settings.clone())
        .await
        .expect("a second node");
    drop(second);
    assert_eq!(pending_runs(&mut app.db()).len(), 1);

    // One entry before a moment and one after; the run is a day after that moment, so with a
    // one-day retention the moment is the cutoff.
    let cipher = app.cipher();
    let mut conn = app.db();
    let old = audit::append(&mut conn, &cipher, entry("203.0.113.1")).expect("append");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let moment: DateTime<Utc> = Utc::now();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let fresh = audit::append(&mut conn, &cipher, entry("203.0.113.2")).expect("append");
    let at = moment + Duration::days(1);
    backend::jobs::enqueue(&mut conn, JOB, Timestamp::from(at), &json!({})).expect("enqueue");

    let ran = run_jobs_at(&app, at);
    assert!(ran >= 1, "the run is due");
    assert!(
        pii_of(&mut conn, old).is_none(),
        "the old entry's personal data is erased"
    );
    assert!(
        pii_of(&mut conn, fresh).is_some(),
        "the fresh entry's stays"
    );
    let runs = runs_recorded(&mut conn);
    assert_eq!(
        runs.len(),
        1,
        "one entry for the run that changed something: {runs:?}"
    );
    assert_eq!(runs[0]["counts"]["audit_log_pii"], 1, "{}", runs[0]);

    let pending = pending_runs(&mut conn);
    assert_eq!(
        pending.len(),
        1,
        "exactly one run stays queued: {pending:?}"
    );
    assert!(pending[0].0 > at, "and it is in the future of the run");
    let verified = audit::verify(&mut conn, Some(&cipher)).expect("verify");
    assert!(
        matches!(verified, VerifyReport::Intact { .. }),
        "{verified:?}"
    );
}

#[tokio::test]
async fn a_run_works_in_bounded_batches_and_stops_at_its_deadline() {
    let app = spawn_app().await;
    let cipher = app.cipher();
    let mut conn = app.db();
    let ids: Vec<DbUuid> = (0..5)
        .map(|_| insert_login(&mut conn, days_ago(31)))
        .collect();
    let settings = backend::settings::Settings::load_from(None, Vec::new()).expect("settings");
    let policy = retention::policy(&settings.retention).expect("policy");

    let stopped = Limits {
        batch: 2,
        deadline: Some(std::time::Instant::now()),
    };
    let report =
        retention::run_with(&mut conn, &cipher, Timestamp::now(), &policy, stopped).expect("run");
    assert!(!report.complete);
    assert_eq!(report.total(), 0);
    assert!(
        runs_recorded(&mut conn).is_empty(),
        "a run that changed nothing is not recorded"
    );

    let limits = Limits {
        batch: 2,
        deadline: None,
    };
    let report =
        retention::run_with(&mut conn, &cipher, Timestamp::now(), &policy, limits).expect("run");
    assert!(report.complete);
    assert_eq!(
        report.count(shared::privacy::RetentionKind::LoginAttempts),
        5
    );
    assert_eq!(present(&mut conn, "login_attempts", &ids), [false; 5]);
    assert_eq!(runs_recorded(&mut conn).len(), 1);
}
