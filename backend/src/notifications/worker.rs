//! The outbox worker: claims due messages, sends them, records the outcome, and schedules
//! retries with exponential backoff and jitter.

use std::time::Duration;

use anyhow::Context;
use rand::Rng;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use super::message::{OutboundMessage, SendError};
use super::notifier::Notifier;
use super::outbox::{self, Outcome};
use super::providers::Providers;
use crate::db::Database;
use crate::db::types::{DbUuid, Timestamp};
use crate::settings::NotificationSettings;

/// The first retry waits about this long; each further one twice as long…
const RETRY_BASE: Duration = Duration::from_secs(5);
/// …up to this.
const RETRY_MAX: Duration = Duration::from_secs(3600);
/// How long shutdown waits for the batch in flight before leaving it to the lease.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// How long to wait before the next attempt, after `attempts` failed ones: 5 s · 2^(n-1),
/// at most an hour, with "equal jitter" (a random point in the upper half), so messages that
/// failed together during an outage do not all come back at the same instant.
pub fn retry_delay(attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(16);
    let full = RETRY_BASE.saturating_mul(1 << doublings).min(RETRY_MAX);
    let half = u64::try_from(full.as_millis() / 2).unwrap_or(u64::MAX);
    Duration::from_millis(half + rand::rng().random_range(0..=half))
}

/// The worker's knobs, from [`NotificationSettings`].
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub max_attempts: u32,
    pub poll_interval: Duration,
    pub batch_size: u32,
    pub lease: Duration,
}

impl WorkerConfig {
    pub fn from_settings(settings: &NotificationSettings) -> WorkerConfig {
        WorkerConfig {
            max_attempts: settings.max_attempts.max(1),
            poll_interval: Duration::from_millis(settings.poll_interval_ms.max(1)),
            batch_size: settings.batch_size.max(1),
            lease: Duration::from_secs(settings.lease_secs.max(1)),
        }
    }
}

/// One claimed message, as it is logged: identifiers only, never the address or content.
struct Attempt {
    id: DbUuid,
    /// Including this claim; fences the outcome (see `outbox::record`).
    attempts: i32,
    channel: String,
    template: String,
}

impl Attempt {
    fn log(&self, outcome: &Outcome) {
        let Attempt {
            id,
            attempts,
            channel,
            template,
        } = self;
        match outcome {
            Outcome::Sent => {
                tracing::info!(message_id = %id, channel, template, attempts, "notification sent");
            }
            Outcome::Retry { at, error } => tracing::warn!(
                message_id = %id, channel, template, attempts,
                retry_at = %at.to_canonical_string(),
                "notification not sent, will retry: {error}"
            ),
            Outcome::Failed { error } => tracing::error!(
                message_id = %id, channel, template, attempts,
                "notification failed: {error}"
            ),
        }
    }
}

/// Delivers the outbox. Any number of workers, on any number of nodes, may run at once.
pub struct OutboxWorker {
    db: Database,
    notifier: Notifier,
    providers: Providers,
    config: WorkerConfig,
}

impl OutboxWorker {
    pub fn new(
        db: Database,
        notifier: Notifier,
        providers: Providers,
        config: WorkerConfig,
    ) -> OutboxWorker {
        OutboxWorker {
            db,
            notifier,
            providers,
            config,
        }
    }

    /// The worker the settings ask for: `None` when this node does not run one. The providers
    /// are built (and their settings checked) either way.
    pub fn from_settings(
        settings: &NotificationSettings,
        db: Database,
        notifier: Notifier,
    ) -> anyhow::Result<Option<OutboxWorker>> {
        let providers = Providers::from_settings(settings)?;
        Ok(settings.worker_enabled.then(|| {
            OutboxWorker::new(
                db,
                notifier,
                providers,
                WorkerConfig::from_settings(settings),
            )
        }))
    }

    /// Claims one batch of due messages, sends them concurrently and records the outcomes.
    /// Returns how many messages were handled (sent, rescheduled or failed).
    #[tracing::instrument(name = "outbox_batch", skip(self))]
    pub async fn run_once(&self) -> anyhow::Result<usize> {
        let claimed = self.claim().await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let mut outcomes = Vec::with_capacity(claimed.len());
        let mut sends = JoinSet::new();
        for row in claimed {
            let attempt = Attempt {
                id: row.id,
                attempts: row.attempts,
                channel: row.channel.clone(),
                template: row.template.clone(),
            };
            match self.sendable(&row) {
                Err(outcome) => outcomes.push((attempt, outcome)),
                Ok(msg) => {
                    let provider = self.providers.for_channel(msg.channel).clone();
                    sends.spawn(async move {
                        let result = provider.send(attempt.id, &msg).await;
                        (attempt, result)
                    });
                }
            }
        }
        while let Some(joined) = sends.join_next().await {
            match joined {
                Ok((attempt, result)) => {
                    let outcome = self.outcome(attempt.attempts, result);
                    outcomes.push((attempt, outcome));
                }
                // A provider panicked: its message stays claimed until the lease runs out and
                // is then retried.
                Err(_) => tracing::error!("a notification send task failed"),
            }
        }
        for (attempt, outcome) in &outcomes {
            attempt.log(outcome);
        }
        let handled = outcomes.len();
        self.record(outcomes).await?;
        Ok(handled)
    }

    async fn claim(&self) -> anyhow::Result<Vec<outbox::Claimed>> {
        let now = Timestamp::now();
        let lease_until = Timestamp::from(now.0 + chrono::Duration::from_std(self.config.lease)?);
        let limit = i64::from(self.config.batch_size);
        self.db
            .run(move |conn| {
                outbox::claim(conn, now, lease_until, limit).context("claiming due notifications")
            })
            .await
    }

    /// The message to send, or the outcome when it must not be sent.
    fn sendable(&self, row: &outbox::Claimed) -> Result<OutboundMessage, Outcome> {
        if u32::try_from(row.attempts).unwrap_or(u32::MAX) > self.config.max_attempts {
            // Only a claim taken over from workers that died mid-send gets here.
            return Err(Outcome::Failed {
                error: "out of attempts (its workers stopped while sending)".to_owned(),
            });
        }
        row.decrypt(self.notifier.cipher())
            .map_err(|error| Outcome::Failed { error })
    }

    async fn record(&self, outcomes: Vec<(Attempt, Outcome)>) -> anyhow::Result<()> {
        self.db
            .run(move |conn| {
                let now = Timestamp::now();
                for (attempt, outcome) in &outcomes {
                    let recorded = outbox::record(conn, attempt.id, attempt.attempts, outcome, now)
                        .context("recording a notification's outcome")?;
                    if !recorded {
                        tracing::warn!(
                            message_id = %attempt.id,
                            "notification outcome not recorded: its lease expired and another \
                             worker took it over"
                        );
                    }
                }
                anyhow::Ok(())
            })
            .await
    }

    fn outcome(&self, attempts: i32, result: Result<(), SendError>) -> Outcome {
        let attempts = u32::try_from(attempts).unwrap_or(u32::MAX);
        match result {
            Ok(()) => Outcome::Sent,
            Err(SendError::Permanent(error)) => Outcome::Failed { error },
            Err(SendError::Transient(error)) if attempts >= self.config.max_attempts => {
                Outcome::Failed {
                    error: format!("{error} (gave up after {attempts} attempts)"),
                }
            }
            Err(SendError::Transient(error)) => {
                let delay = chrono::Duration::from_std(retry_delay(attempts))
                    .unwrap_or(chrono::Duration::hours(1));
                Outcome::Retry {
                    at: Timestamp::from(chrono::Utc::now() + delay),
                    error,
                }
            }
        }
    }

    /// Runs batches until `stop` is set: at once while batches come back full, otherwise at
    /// every poll interval or when the notifier is woken.
    async fn run_until(self, mut stop: watch::Receiver<bool>) {
        tracing::info!("outbox worker started");
        loop {
            let more = match self.run_once().await {
                Ok(handled) => handled >= self.config.batch_size as usize,
                Err(err) => {
                    tracing::warn!("outbox batch failed: {err:#}");
                    false
                }
            };
            if *stop.borrow() {
                break;
            }
            if more {
                continue;
            }
            tokio::select! {
                changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
                () = tokio::time::sleep(self.config.poll_interval) => {}
                () = self.notifier.woken() => {}
            }
        }
        tracing::info!("outbox worker stopped");
    }

    /// Runs the worker in the background until [`WorkerHandle::shutdown`] (or until the handle
    /// is dropped).
    pub fn spawn(self) -> WorkerHandle {
        let (stop, stopped) = watch::channel(false);
        WorkerHandle {
            stop,
            task: tokio::spawn(self.run_until(stopped)),
        }
    }
}

/// A running worker.
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WorkerHandle {
    /// Lets the batch in flight finish (up to 30 s; after that its messages wait for their
    /// lease to expire and another worker), then stops.
    pub async fn shutdown(self) {
        // Fails only if the worker already ended.
        let _ = self.stop.send(true);
        if tokio::time::timeout(SHUTDOWN_GRACE, self.task)
            .await
            .is_err()
        {
            tracing::warn!("outbox worker did not stop in time; its claims expire with the lease");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_double_with_jitter_and_stop_at_an_hour() {
        for _ in 0..100 {
            let first = retry_delay(1);
            assert!(first >= Duration::from_millis(2500) && first <= Duration::from_secs(5));
            let fourth = retry_delay(4);
            assert!(fourth >= Duration::from_secs(20) && fourth <= Duration::from_secs(40));
            for n in [11, 12, 30, 1000, u32::MAX] {
                let late = retry_delay(n);
                assert!(
                    late >= Duration::from_secs(1800) && late <= RETRY_MAX,
                    "{n}"
                );
            }
        }
    }
}
