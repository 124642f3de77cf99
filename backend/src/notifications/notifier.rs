//! The handle request handlers use to queue notifications.

use std::sync::Arc;

use tokio::sync::Notify;

use super::message::OutboundMessage;
use super::outbox;
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::types::DbUuid;

/// Queues messages (encrypting them) and wakes this node's outbox worker. Cheap to clone.
#[derive(Clone)]
pub struct Notifier {
    cipher: FieldCipher,
    wake: Arc<Notify>,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifier").finish_non_exhaustive()
    }
}

impl Notifier {
    pub fn new(cipher: FieldCipher) -> Notifier {
        Notifier {
            cipher,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Queues a message; see [`outbox::enqueue`]. Call it inside the transaction of the change
    /// that causes the message, then [`Notifier::wake`] after the commit.
    pub fn enqueue(
        &self,
        conn: &mut DbConnection,
        org_id: Option<DbUuid>,
        msg: &OutboundMessage,
    ) -> anyhow::Result<DbUuid> {
        outbox::enqueue(conn, &self.cipher, org_id, msg)
    }

    /// Tells this node's worker to look for due messages now instead of at its next poll, so a
    /// verification code goes out at once. Harmless when no worker runs here: another node's
    /// worker finds the message at its next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(super) fn cipher(&self) -> &FieldCipher {
        &self.cipher
    }

    /// Completes at the next [`Notifier::wake`] (or at once if one happened since the last
    /// call).
    pub(super) async fn woken(&self) {
        self.wake.notified().await;
    }
}
