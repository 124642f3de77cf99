//! Notifications: the outbox on both engines (delivery, encryption at rest, retries, permanent
//! failures, lease take-over, concurrent workers) and the real SMTP and HTTP SMS providers
//! against local servers the tests start.

mod outbox;
mod servers;
mod sms_http;
mod smtp;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use backend::crypto::FieldCipher;
use backend::db::Database;
use backend::db::schema::notification_outbox;
use backend::db::types::{DbUuid, Timestamp};
use backend::keys::KeyRing;
use backend::notifications::{
    Channel, DevProvider, Notifier, OutboundMessage, OutboxWorker, Provider, Providers,
    WorkerConfig,
};
use diesel::prelude::*;

use crate::helpers::{TestApp, spawn_app_with};

/// Small batches, so tests with a few dozen messages need several.
pub fn config(max_attempts: u32) -> WorkerConfig {
    WorkerConfig {
        max_attempts,
        poll_interval: Duration::from_millis(50),
        batch_size: 5,
        lease: Duration::from_secs(60),
    }
}

pub fn email(to: &str, subject: &str, body: &str) -> OutboundMessage {
    OutboundMessage {
        channel: Channel::Email,
        to: to.to_owned(),
        subject: Some(subject.to_owned()),
        body: body.to_owned(),
        template: "verification_code".to_owned(),
    }
}

pub fn sms(to: &str, body: &str) -> OutboundMessage {
    OutboundMessage {
        channel: Channel::Sms,
        to: to.to_owned(),
        subject: None,
        body: body.to_owned(),
        template: "verification_code".to_owned(),
    }
}

/// An outbox row as the tests inspect it.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = notification_outbox)]
pub struct Row {
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: Timestamp,
    pub locked_until: Option<Timestamp>,
    pub last_error: Option<String>,
    pub sent_at: Option<Timestamp>,
}

/// A running application whose own outbox worker is off, so each test drives delivery with
/// `run_once` and sees every step.
pub struct Outbox {
    pub app: TestApp,
    pub db: Database,
    pub notifier: Notifier,
}

impl Outbox {
    pub async fn start() -> Outbox {
        let app = spawn_app_with(|s| s.notifications.worker_enabled = false).await;
        let db = Database::connect(&app.settings.database).expect("connect");
        let keys = KeyRing::load(&app.settings.keys).expect("keys");
        Outbox {
            app,
            db,
            notifier: Notifier::new(FieldCipher::new(&keys)),
        }
    }

    pub fn dev_file(&self) -> PathBuf {
        self.app.settings.notifications.dev_outbox_file.clone()
    }

    /// The providers a default installation uses: the dev provider for both channels.
    pub fn dev_providers(&self) -> Providers {
        let dev: Arc<dyn Provider> = Arc::new(DevProvider::new(self.dev_file()));
        Providers {
            email: dev.clone(),
            sms: dev,
        }
    }

    pub fn worker(&self, providers: Providers, max_attempts: u32) -> OutboxWorker {
        self.worker_on(self.db.clone(), providers, max_attempts)
    }

    pub fn worker_on(&self, db: Database, providers: Providers, max_attempts: u32) -> OutboxWorker {
        OutboxWorker::new(db, self.notifier.clone(), providers, config(max_attempts))
    }

    pub fn enqueue(&self, msg: &OutboundMessage) -> DbUuid {
        let mut conn = self.db.get().expect("conn");
        self.notifier
            .enqueue(&mut conn, Some(DbUuid::new_v7()), msg)
            .expect("enqueue")
    }

    pub fn row(&self, id: DbUuid) -> Row {
        let mut conn = self.db.get().expect("conn");
        notification_outbox::table
            .find(id)
            .select(Row::as_select())
            .first(&mut *conn)
            .expect("outbox row")
    }

    /// Makes a scheduled retry due now, as if its backoff had passed.
    pub fn make_due(&self, id: DbUuid) {
        let mut conn = self.db.get().expect("conn");
        let past = Timestamp::from(chrono::Utc::now() - chrono::Duration::seconds(1));
        diesel::update(notification_outbox::table.find(id))
            .set(notification_outbox::next_attempt_at.eq(past))
            .execute(&mut *conn)
            .expect("update");
    }

    /// The lines of the development outbox file, parsed.
    pub fn dev_lines(&self) -> Vec<serde_json::Value> {
        read_lines(&self.dev_file())
    }
}

pub fn read_lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    match std::fs::read_to_string(path) {
        Ok(text) => text
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("reading {}: {e}", path.display()),
    }
}
