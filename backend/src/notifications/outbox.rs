//! The outbox table: queueing a message, claiming due ones, recording what happened.
//!
//! The address and the content (`{subject, body}` as JSON) are encrypted with AAD
//! `notification_outbox` / column / row id, so a ciphertext moved to another row does not
//! decrypt. Claims increment `attempts`; recording an outcome requires the row to still be
//! `sending` with the same `attempts`, so a worker whose lease was taken over cannot overwrite
//! the newer claim's result.

use anyhow::Context;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::message::{Channel, OutboundMessage};
use crate::crypto::{Aad, FieldCipher};
use crate::db::DbConnection;
use crate::db::schema::notification_outbox;
use crate::db::types::{DbUuid, Timestamp};

const TABLE: &str = "notification_outbox";
const DESTINATION: &str = "destination_enc";
const CONTENT: &str = "content_enc";

/// Where a message is in its life (the `status` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting for `next_attempt_at`.
    Pending,
    /// Claimed by a worker until `locked_until`.
    Sending,
    Sent,
    /// Refused permanently, or out of attempts. Kept for the delivery log.
    Failed,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }
}

/// The encrypted content.
#[derive(Serialize, Deserialize)]
struct Content {
    subject: Option<String>,
    body: String,
}

fn aad<'a>(column: &'a str, row_id: &'a str) -> Aad<'a> {
    Aad {
        table: TABLE,
        column,
        row_id,
    }
}

#[derive(Insertable)]
#[diesel(table_name = notification_outbox)]
struct NewRow<'a> {
    id: DbUuid,
    org_id: Option<DbUuid>,
    channel: &'a str,
    template: &'a str,
    destination_enc: Vec<u8>,
    content_enc: Vec<u8>,
    status: &'a str,
    attempts: i32,
    next_attempt_at: Timestamp,
    created_at: Timestamp,
}

/// Queues a message for delivery as soon as a worker gets to it, and returns its id. Works
/// inside the caller's transaction, so the message is queued if and only if the change that
/// causes it commits.
pub fn enqueue(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    org_id: Option<DbUuid>,
    msg: &OutboundMessage,
) -> anyhow::Result<DbUuid> {
    let id = DbUuid::new_v7();
    let row_id = id.to_string();
    let content = serde_json::to_string(&Content {
        subject: msg.subject.clone(),
        body: msg.body.clone(),
    })?;
    let now = Timestamp::now();
    let row = NewRow {
        id,
        org_id,
        channel: msg.channel.as_str(),
        template: &msg.template,
        destination_enc: cipher.encrypt(&msg.to, aad(DESTINATION, &row_id))?,
        content_enc: cipher.encrypt(&content, aad(CONTENT, &row_id))?,
        status: OutboxStatus::Pending.as_str(),
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
    };
    diesel::insert_into(notification_outbox::table)
        .values(&row)
        .execute(conn)
        .context("queueing a notification")?;
    Ok(id)
}

/// A message a worker has claimed.
#[derive(QueryableByName, Debug)]
#[diesel(table_name = notification_outbox)]
pub(super) struct Claimed {
    pub id: DbUuid,
    pub channel: String,
    pub template: String,
    destination_enc: Vec<u8>,
    content_enc: Vec<u8>,
    /// Including this claim.
    pub attempts: i32,
}

impl Claimed {
    /// The message in plaintext, or why it cannot be read (no personal data in the reason).
    pub fn decrypt(&self, cipher: &FieldCipher) -> Result<OutboundMessage, String> {
        let channel = Channel::parse(&self.channel)
            .ok_or_else(|| format!("unknown channel {:?}", self.channel))?;
        let row_id = self.id.to_string();
        let to = cipher
            .decrypt(&self.destination_enc, aad(DESTINATION, &row_id))
            .map_err(|e| format!("cannot decrypt the destination: {e}"))?;
        let content = cipher
            .decrypt(&self.content_enc, aad(CONTENT, &row_id))
            .map_err(|e| format!("cannot decrypt the content: {e}"))?;
        let content: Content = serde_json::from_str(&content)
            .map_err(|_| "the decrypted content is not the expected JSON".to_owned())?;
        Ok(OutboundMessage {
            channel,
            to,
            subject: content.subject,
            body: content.body,
            template: self.template.clone(),
        })
    }
}

// Due: pending and its time has come, or sending with an expired lease (its worker died).
// One statement, so no two workers claim the same row: PostgreSQL skips rows another claim has
// locked; SQLite takes its single write lock before reading.
const CLAIM_PG: &str = "\
UPDATE notification_outbox
SET status = 'sending', locked_until = $2, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM notification_outbox
    WHERE (status = 'pending' AND next_attempt_at <= $1)
       OR (status = 'sending' AND locked_until < $1)
    ORDER BY next_attempt_at
    LIMIT $3
    FOR UPDATE SKIP LOCKED)
RETURNING id, channel, template, destination_enc, content_enc, attempts";

const CLAIM_SQLITE: &str = "\
UPDATE notification_outbox
SET status = 'sending', locked_until = ?1, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM notification_outbox
    WHERE (status = 'pending' AND next_attempt_at <= ?2)
       OR (status = 'sending' AND locked_until < ?2)
    ORDER BY next_attempt_at
    LIMIT ?3)
RETURNING id, channel, template, destination_enc, content_enc, attempts";

/// Claims up to `limit` due messages for this worker until `lease_until`.
pub(super) fn claim(
    conn: &mut DbConnection,
    now: Timestamp,
    lease_until: Timestamp,
    limit: i64,
) -> QueryResult<Vec<Claimed>> {
    use crate::db::types::sql::Instant;
    use diesel::sql_types::BigInt;
    match conn {
        DbConnection::Pg(c) => diesel::sql_query(CLAIM_PG)
            .bind::<Instant, _>(now)
            .bind::<Instant, _>(lease_until)
            .bind::<BigInt, _>(limit)
            .load(c),
        DbConnection::Sqlite(c) => diesel::sql_query(CLAIM_SQLITE)
            .bind::<Instant, _>(lease_until)
            .bind::<Instant, _>(now)
            .bind::<BigInt, _>(limit)
            .load(c),
    }
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    Sent,
    Retry { at: Timestamp, error: String },
    Failed { error: String },
}

/// Records the outcome of the claim that set `attempts`. Returns false when the row is no
/// longer that claim's (its lease expired and another worker took it over).
pub(super) fn record(
    conn: &mut DbConnection,
    id: DbUuid,
    attempts: i32,
    outcome: &Outcome,
    now: Timestamp,
) -> QueryResult<bool> {
    use notification_outbox::dsl as o;
    let mine = o::notification_outbox
        .filter(o::id.eq(id))
        .filter(o::status.eq(OutboxStatus::Sending.as_str()))
        .filter(o::attempts.eq(attempts));
    let no_lock = o::locked_until.eq(None::<Timestamp>);
    let updated = match outcome {
        Outcome::Sent => diesel::update(mine)
            .set((
                o::status.eq(OutboxStatus::Sent.as_str()),
                o::sent_at.eq(Some(now)),
                o::last_error.eq(None::<String>),
                no_lock,
            ))
            .execute(conn)?,
        Outcome::Retry { at, error } => diesel::update(mine)
            .set((
                o::status.eq(OutboxStatus::Pending.as_str()),
                o::next_attempt_at.eq(*at),
                o::last_error.eq(Some(error)),
                no_lock,
            ))
            .execute(conn)?,
        Outcome::Failed { error } => diesel::update(mine)
            .set((
                o::status.eq(OutboxStatus::Failed.as_str()),
                o::last_error.eq(Some(error)),
                no_lock,
            ))
            .execute(conn)?,
    };
    Ok(updated == 1)
}
