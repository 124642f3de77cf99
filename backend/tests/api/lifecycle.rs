//! Start-up behaviour: migrations apply once, keys must match the data, the binary survives
//! SIGKILL and restarts cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use backend::Application;
use backend::db::Database;

use crate::helpers::{TestDb, spawn_app, test_settings};

#[tokio::test]
async fn a_second_start_applies_no_migration() {
    let app = spawn_app().await;
    let db = Database::connect(&app.settings.database).expect("connect");
    let applied_before = db.applied_migrations().expect("applied");
    assert!(!applied_before.is_empty());
    assert!(db.pending_migrations().expect("pending").is_empty());
    assert!(
        db.migrate().expect("migrate").is_empty(),
        "nothing to apply on a current schema"
    );
    // A whole second application on the same database starts and changes nothing.
    let again = Application::build(app.settings.clone())
        .await
        .expect("second start");
    drop(again);
    assert_eq!(db.applied_migrations().expect("applied"), applied_before);
}

#[tokio::test]
async fn a_node_with_other_keys_refuses_to_start_on_the_same_database() {
    let app = spawn_app().await;
    let mut other = app.settings.clone();
    other.keys.file = app.dir.path().join("other-keys.json");
    let err = Application::build(other)
        .await
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default();
    assert!(err.contains("keys do not match"), "{err}");
    assert!(err.contains("encryption key 1 differs"), "{err}");
}

#[tokio::test]
async fn a_database_url_that_cannot_connect_reports_the_engines_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path(), "postgres://nobody@127.0.0.1:1/none");
    settings.database.acquire_timeout_ms = 500;
    let err = Application::build(settings)
        .await
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default();
    assert!(err.contains("cannot connect to PostgreSQL"), "{err}");
    assert!(
        err.contains("127.0.0.1") || err.contains("refused"),
        "{err}"
    );
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the real `examcloud` binary and waits for its "listening" line; returns the port.
fn start_binary(dir: &std::path::Path, db_url: &str) -> (Server, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_examcloud"))
        .args(["serve", "--port", "0", "--database-url", db_url])
        .env("APP_KEYS__FILE", dir.join("keys.json"))
        .env("APP_FRONTEND__DIST_DIR", dir.join("dist"))
        .env("APP_LOG__FILTER", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start examcloud");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .expect("read stdout");
        if let Some(rest) = line.strip_prefix("examcloud listening on http://") {
            break rest
                .rsplit(':')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("port");
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Server(child), port)
}

#[tokio::test]
async fn the_server_survives_sigkill_and_restarts_without_reapplying_migrations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::new(dir.path());
    let client = reqwest::Client::new();

    let settings = test_settings(dir.path(), &db.url);
    let (mut first, port) = start_binary(dir.path(), &db.url);
    let ready = client
        .get(format!("http://127.0.0.1:{port}/api/ready"))
        .send()
        .await
        .expect("ready");
    assert_eq!(ready.status(), 200);
    let database = Database::connect(&settings.database).expect("connect");
    let applied_before = database.applied_migrations().expect("applied");
    assert!(!applied_before.is_empty());
    // SIGKILL: no graceful shutdown, no chance to clean up.
    first.0.kill().expect("SIGKILL");
    first.0.wait().expect("wait");

    let (_second, port) = start_binary(dir.path(), &db.url);
    let ready = client
        .get(format!("http://127.0.0.1:{port}/api/ready"))
        .send()
        .await
        .expect("ready");
    assert_eq!(ready.status(), 200);

    assert_eq!(
        database.applied_migrations().expect("applied"),
        applied_before
    );
    assert!(database.pending_migrations().expect("pending").is_empty());
}
