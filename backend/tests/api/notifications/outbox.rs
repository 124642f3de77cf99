//! The outbox on both engines, with the development provider and the HTTP SMS provider against
//! a local gateway.

use std::sync::Arc;
use std::time::Duration;

use backend::db::Database;
use backend::db::schema::notification_outbox;
use backend::db::types::{DbUuid, Timestamp};
use backend::notifications::{HttpSmsProvider, OutboxWorker, Provider, Providers, WorkerConfig};
use backend::settings::SmsHttpSettings;
use diesel::prelude::*;
use secrecy::SecretString;

use super::servers::SmsGateway;
use super::{Outbox, config, email, read_lines, sms};
use crate::helpers::{Backend, backend, spawn_app_with};

/// Dev provider for email, the HTTP provider against `gateway` for SMS.
fn with_gateway(outbox: &Outbox, gateway: &SmsGateway) -> Providers {
    let http: Arc<dyn Provider> = Arc::new(
        HttpSmsProvider::new(&SmsHttpSettings {
            url: gateway.url.clone(),
            api_key: SecretString::from("test-key"),
            signing_secret: SecretString::from("test-secret"),
            timeout_ms: 5_000,
        })
        .expect("provider"),
    );
    Providers {
        sms: http,
        ..outbox.dev_providers()
    }
}

#[tokio::test]
async fn a_queued_email_is_written_to_the_dev_outbox_exactly_once() {
    let outbox = Outbox::start().await;
    let worker = outbox.worker(outbox.dev_providers(), 10);
    let id = outbox.enqueue(&email(
        "li.si@example.cn",
        "考试云验证码",
        "您的验证码是 123456，10 分钟内有效。",
    ));
    assert_eq!(outbox.row(id).status, "pending");

    assert_eq!(worker.run_once().await.expect("run"), 1);
    let lines = outbox.dev_lines();
    assert_eq!(lines.len(), 1);
    let mut line = lines[0].clone();
    let at = line["at"].as_str().expect("at").to_owned();
    chrono::DateTime::parse_from_rfc3339(&at).expect("at is RFC 3339");
    line.as_object_mut().expect("object").remove("at");
    assert_eq!(
        line,
        serde_json::json!({
            "id": id.to_string(),
            "channel": "email",
            "to": "li.si@example.cn",
            "subject": "考试云验证码",
            "body": "您的验证码是 123456，10 分钟内有效。",
            "template": "verification_code",
        })
    );
    let row = outbox.row(id);
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 1));
    assert!(row.sent_at.is_some() && row.locked_until.is_none() && row.last_error.is_none());

    // Sent means done: another run finds nothing.
    assert_eq!(worker.run_once().await.expect("run"), 0);
    assert_eq!(outbox.dev_lines().len(), 1);
}

#[tokio::test]
async fn a_message_queued_in_a_rolled_back_transaction_is_never_sent() {
    let outbox = Outbox::start().await;
    {
        let mut conn = outbox.db.get().expect("conn");
        let result = conn.transaction(|conn| {
            outbox
                .notifier
                .enqueue(conn, None, &sms("+8613800138000", "您的验证码是 111111"))
                .expect("enqueue");
            Err::<(), _>(diesel::result::Error::RollbackTransaction)
        });
        assert!(result.is_err());
    }
    let worker = outbox.worker(outbox.dev_providers(), 10);
    assert_eq!(worker.run_once().await.expect("run"), 0);
    assert!(outbox.dev_lines().is_empty());
}

/// Everything the database stores, as bytes: the SQLite files (with the WAL), or PostgreSQL's
/// rows as text (bytea shown as hex).
fn raw_database(outbox: &Outbox) -> Vec<u8> {
    let url = secrecy::ExposeSecret::expose_secret(&outbox.app.settings.database.url).to_owned();
    match backend() {
        Backend::Sqlite => {
            let mut bytes = Vec::new();
            for suffix in ["", "-wal"] {
                if let Ok(b) = std::fs::read(format!("{url}{suffix}")) {
                    bytes.extend(b);
                }
            }
            bytes
        }
        Backend::Postgres => {
            let mut conn = outbox.db.get().expect("conn");
            diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
                "(SELECT coalesce(string_agg(row_to_json(t)::text, E'\\n'), '') \
                 FROM notification_outbox t)",
            ))
            .get_result::<String>(&mut *conn)
            .expect("rows as text")
            .into_bytes()
        }
    }
}

#[tokio::test]
async fn the_database_holds_no_address_or_content_in_plaintext() {
    let outbox = Outbox::start().await;
    outbox.enqueue(&email(
        "wang.wu@example.cn",
        "验证码 Subject-Marker",
        "Your code is 987654",
    ));
    outbox.enqueue(&sms("+8613912345678", "您的验证码是 246810"));
    let raw = raw_database(&outbox);
    let contains = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    // The scan does see the table: the template name is stored in plaintext.
    assert!(contains(b"verification_code"), "raw scan missed the table");
    for secret in [
        "wang.wu@example.cn",
        "Subject-Marker",
        "987654",
        "13912345678",
        "246810",
    ] {
        assert!(!contains(secret.as_bytes()), "{secret} stored in plaintext");
        // Nor as PostgreSQL's hex rendering of a bytea.
        assert!(
            !contains(hex::encode(secret).as_bytes()),
            "{secret} stored unencrypted"
        );
    }
}

#[tokio::test]
async fn a_gateway_outage_delays_a_message_and_a_later_run_delivers_it() {
    let outbox = Outbox::start().await;
    let gateway = SmsGateway::start(&[503, 200]).await;
    let worker = outbox.worker(with_gateway(&outbox, &gateway), 10);
    let id = outbox.enqueue(&sms("+8613800138000", "您的验证码是 135790"));

    let before = Timestamp::now();
    assert_eq!(worker.run_once().await.expect("run"), 1);
    let row = outbox.row(id);
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert!(
        row.next_attempt_at > before,
        "retry is scheduled in the future"
    );
    assert!(
        row.next_attempt_at.0 <= before.0 + chrono::Duration::seconds(15),
        "first retry within the first backoff step"
    );
    assert_eq!(row.last_error.as_deref(), Some("http 503"));
    assert!(row.locked_until.is_none());

    // Not yet due: nothing happens.
    assert_eq!(worker.run_once().await.expect("run"), 0);
    assert_eq!(gateway.requests().len(), 1);

    outbox.make_due(id);
    assert_eq!(worker.run_once().await.expect("run"), 1);
    let row = outbox.row(id);
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 2));
    assert!(row.last_error.is_none());
    let requests = gateway.requests();
    assert_eq!(requests.len(), 2);
    // The retry is the same message, with the same id for the gateway to deduplicate.
    assert_eq!(requests[0].json(), requests[1].json());
    assert_eq!(requests[1].json()["message_id"], id.to_string());
}

#[tokio::test]
async fn a_rejected_message_is_marked_failed_and_not_retried() {
    let outbox = Outbox::start().await;
    let gateway = SmsGateway::start(&[400]).await;
    let worker = outbox.worker(with_gateway(&outbox, &gateway), 10);
    let id = outbox.enqueue(&sms("+86000", "您的验证码是 000000"));

    assert_eq!(worker.run_once().await.expect("run"), 1);
    let row = outbox.row(id);
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 1));
    let error = row.last_error.expect("last_error");
    assert!(error.contains("400"), "{error}");
    assert!(!error.contains("+86000"), "no personal data in last_error");

    outbox.make_due(id);
    assert_eq!(worker.run_once().await.expect("run"), 0);
    assert_eq!(gateway.requests().len(), 1);
}

#[tokio::test]
async fn a_message_fails_after_max_attempts_of_transient_errors() {
    let outbox = Outbox::start().await;
    let gateway = SmsGateway::start(&[503]).await;
    let worker = outbox.worker(with_gateway(&outbox, &gateway), 2);
    let id = outbox.enqueue(&sms("+8613800138000", "您的验证码是 222222"));

    assert_eq!(worker.run_once().await.expect("run"), 1);
    assert_eq!(outbox.row(id).status, "pending");
    outbox.make_due(id);
    assert_eq!(worker.run_once().await.expect("run"), 1);
    let row = outbox.row(id);
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 2));
    assert_eq!(
        row.last_error.as_deref(),
        Some("http 503 (gave up after 2 attempts)")
    );
    outbox.make_due(id);
    assert_eq!(worker.run_once().await.expect("run"), 0);
    assert_eq!(gateway.requests().len(), 2);
}

#[tokio::test]
async fn a_message_left_sending_by_a_dead_worker_is_taken_over_after_its_lease() {
    let outbox = Outbox::start().await;
    let abandoned = outbox.enqueue(&sms("+8613800000001", "abandoned"));
    let leased = outbox.enqueue(&sms("+8613800000002", "still leased"));
    // Two claims by a worker that then died: one lease has run out, one has not.
    let now = chrono::Utc::now();
    for (id, until) in [
        (abandoned, now - chrono::Duration::seconds(1)),
        (leased, now + chrono::Duration::seconds(300)),
    ] {
        let mut conn = outbox.db.get().expect("conn");
        diesel::update(notification_outbox::table.find(id))
            .set((
                notification_outbox::status.eq("sending"),
                notification_outbox::attempts.eq(1),
                notification_outbox::locked_until.eq(Some(Timestamp::from(until))),
            ))
            .execute(&mut *conn)
            .expect("update");
    }

    let worker = outbox.worker(outbox.dev_providers(), 10);
    assert_eq!(worker.run_once().await.expect("run"), 1);
    let lines = outbox.dev_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], abandoned.to_string());
    let row = outbox.row(abandoned);
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 2));
    assert_eq!(outbox.row(leased).status, "sending");
}

/// Runs batches until none is due; returns how many messages this worker handled.
async fn drain(worker: &OutboxWorker) -> usize {
    let mut handled = 0;
    loop {
        match worker.run_once().await.expect("run") {
            0 => return handled,
            n => handled += n,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_running_at_once_deliver_each_message_exactly_once() {
    let outbox = Outbox::start().await;
    let mut ids = Vec::new();
    for i in 0..60 {
        ids.push(outbox.enqueue(&sms(&format!("+86139{i:08}"), &format!("code {i:06}"))));
    }
    // Two "nodes": separate pools, separate provider instances, one shared file.
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let db = Database::connect(&outbox.app.settings.database).expect("connect");
            outbox.worker_on(db, outbox.dev_providers(), 10)
        })
        .collect();
    let (a, b) = tokio::join!(drain(&workers[0]), drain(&workers[1]));
    assert_eq!(a + b, 60, "each message handled once (a = {a}, b = {b})");

    let lines = outbox.dev_lines();
    assert_eq!(lines.len(), 60);
    let mut sent: Vec<String> = lines
        .iter()
        .map(|l| l["id"].as_str().expect("id").to_owned())
        .collect();
    sent.sort();
    sent.dedup();
    assert_eq!(sent.len(), 60, "a message was sent twice");
    for id in ids {
        let row = outbox.row(id);
        assert_eq!((row.status.as_str(), row.attempts), ("sent", 1));
    }
}

/// Polls the file until it has a line or `secs` pass.
async fn wait_for_lines(file: &std::path::Path, secs: u64) -> Vec<serde_json::Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let lines = read_lines(file);
        if !lines.is_empty() || tokio::time::Instant::now() > deadline {
            return lines;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_spawned_worker_sends_when_woken_and_stops_on_shutdown() {
    let outbox = Outbox::start().await;
    let config = WorkerConfig {
        // Without a wake-up, nothing would happen for an hour.
        poll_interval: Duration::from_secs(3600),
        ..config(10)
    };
    let worker = OutboxWorker::new(
        outbox.db.clone(),
        outbox.notifier.clone(),
        outbox.dev_providers(),
        config,
    );
    let handle = worker.spawn();
    // Let the first (empty) batch pass, so the worker is asleep.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let id = outbox.enqueue(&sms("+8613600000000", "您的验证码是 975310"));
    outbox.notifier.wake();
    let lines = wait_for_lines(&outbox.dev_file(), 10).await;
    assert_eq!(lines.len(), 1, "the woken worker did not deliver");
    assert_eq!(lines[0]["id"], id.to_string());
    tokio::time::timeout(Duration::from_secs(5), handle.shutdown())
        .await
        .expect("the worker stops promptly");
}

#[tokio::test]
async fn the_running_server_delivers_queued_messages_by_itself() {
    let app = spawn_app_with(|s| s.notifications.poll_interval_ms = 50).await;
    let db = Database::connect(&app.settings.database).expect("connect");
    let keys = backend::keys::KeyRing::load(&app.settings.keys).expect("keys");
    let notifier = backend::notifications::Notifier::new(backend::crypto::FieldCipher::new(&keys));
    let id: DbUuid = {
        let mut conn = db.get().expect("conn");
        notifier
            .enqueue(
                &mut conn,
                None,
                &sms("+8613700000000", "您的验证码是 864209"),
            )
            .expect("enqueue")
    };
    let lines = wait_for_lines(&app.settings.notifications.dev_outbox_file, 15).await;
    assert_eq!(
        lines.len(),
        1,
        "the server's worker did not deliver in time"
    );
    assert_eq!(lines[0]["id"], id.to_string());
    assert_eq!(lines[0]["body"], "您的验证码是 864209");
}
