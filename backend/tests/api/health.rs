//! Liveness and readiness.

use shared::{CheckStatus, HealthResponse, ReadyResponse};

use crate::helpers::{Backend, TestApp, backend, spawn_app};
use crate::staff::{create_staff, staff_login};

/// A signed-in platform staff member: the detailed readiness report is theirs.
async fn staff(app: &TestApp) -> reqwest::Client {
    let out = create_staff(app, "ops1", "security");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    staff_login(app, "ops1").await
}

/// `GET /api/staff/ready` as `staff`.
async fn report(app: &TestApp, staff: &reqwest::Client) -> (reqwest::StatusCode, ReadyResponse) {
    let res = staff
        .get(app.url("/api/staff/ready"))
        .send()
        .await
        .expect("staff ready");
    let status = res.status();
    (status, res.json().await.expect("report"))
}

#[tokio::test]
async fn health_answers_ok_with_the_version() {
    let app = spawn_app().await;
    let (status, body): (_, HealthResponse) = app.get_json("/api/health").await;
    assert_eq!(status, 200);
    assert_eq!(body.status, CheckStatus::Ok);
    assert_eq!(body.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn ready_names_each_check_and_the_backend() {
    let app = spawn_app().await;
    let (status, public): (_, serde_json::Value) = app.get_json("/api/ready").await;
    assert_eq!(status, 200);
    assert_eq!(public, serde_json::json!({ "status": "ok" }));
    let staff = staff(&app).await;
    let (status, body) = report(&app, &staff).await;
    assert_eq!(status, 200, "{body:?}");
    assert_eq!(body.status, CheckStatus::Ok);
    let expected = match backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(body.database_backend, expected);
    let names: Vec<_> = body.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["database", "migrations", "keys", "key_usage"]);
    assert!(
        body.checks.iter().all(|c| c.status == CheckStatus::Ok),
        "{body:?}"
    );
}

#[tokio::test]
async fn ready_fails_with_503_when_the_recorded_keys_change_under_a_running_node() {
    let app = spawn_app().await;
    let staff = staff(&app).await;
    // Another node (or an operator) recorded a different fingerprint for a key this node uses.
    let db = backend::db::Database::connect(&app.settings.database).expect("connect");
    {
        use diesel::prelude::*;
        let mut conn = db.get().expect("conn");
        diesel::sql_query("UPDATE key_fingerprints SET fingerprint = 'deadbeefdeadbeef' WHERE purpose = 'blind_index'")
            .execute(&mut *conn)
            .expect("update");
    }
    let (status, public): (_, serde_json::Value) = app.get_json("/api/ready").await;
    assert_eq!(status, 503);
    assert_eq!(public, serde_json::json!({ "status": "failing" }));
    let (status, body) = report(&app, &staff).await;
    assert_eq!(status, 503);
    assert_eq!(body.status, CheckStatus::Failing);
    let keys = body
        .checks
        .iter()
        .find(|c| c.name == "keys")
        .expect("keys check");
    assert_eq!(keys.status, CheckStatus::Failing);
    assert!(
        keys.detail.contains("blind_index key 1 differs"),
        "{}",
        keys.detail
    );
    assert!(
        body.checks
            .iter()
            .filter(|c| c.name != "keys")
            .all(|c| c.status == CheckStatus::Ok)
    );
}

#[tokio::test]
async fn ready_reports_how_much_the_primary_key_has_encrypted_and_when_to_rotate() {
    let app = spawn_app().await;
    let staff = staff(&app).await;
    let usage = |body: &ReadyResponse| {
        body.checks
            .iter()
            .find(|c| c.name == "key_usage")
            .expect("key_usage check")
            .clone()
    };
    let (_, before) = report(&app, &staff).await;
    let used = |detail: &str| -> u64 {
        detail
            .split(": ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("a count in {detail:?}"))
    };
    let start = used(&usage(&before).detail);
    // Registering encrypts (email, audit IPs, session devices): the count grows.
    app.register_org("计数单位", "count@example.com").await;
    let (_, after) = report(&app, &staff).await;
    let check = usage(&after);
    assert_eq!(check.status, CheckStatus::Ok);
    assert!(
        used(&check.detail) > start,
        "{} then {}",
        usage(&before).detail,
        check.detail
    );
    assert!(check.detail.contains("2147483648"), "{}", check.detail);

    // Past the threshold: still serving, but told to rotate.
    {
        use diesel::prelude::*;
        let mut conn = app.db();
        diesel::sql_query("UPDATE key_usage SET encryptions = 3000000000")
            .execute(&mut *conn)
            .expect("update");
    }
    let (status, past) = report(&app, &staff).await;
    assert_eq!(status, 200);
    assert!(
        usage(&past).detail.contains("rotate now"),
        "{}",
        usage(&past).detail
    );
}
