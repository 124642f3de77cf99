//! Notifications: email and SMS to people (verification codes, business and service notices).
//!
//! Nothing is sent directly. A caller queues an [`OutboundMessage`] with [`enqueue`] inside the
//! transaction of the change that causes it, so the message exists exactly when the change
//! does. The [`OutboxWorker`] claims due messages in small batches, sends each through its
//! channel's [`Provider`] and records the outcome:
//!
//! ```text
//! pending ──claim──► sending ──ok──────────────────────────► sent
//!    ▲                  │ transient error, attempts left
//!    └──backoff─────────┤
//!                       └─permanent error / out of attempts─► failed
//! ```
//!
//! - **Nothing lost.** A provider outage only delays messages: transient failures retry with
//!   exponential backoff and jitter (5 s · 2^n, at most an hour) up to `max_attempts`. A worker
//!   that dies while sending holds its messages only until its lease (`locked_until`) runs out;
//!   then any worker takes them over. Delivery is therefore at least once: a crash after the
//!   provider accepted a message but before it was marked sent sends it again (the message id
//!   travels with it — SMS `message_id`, email `Message-ID` — so a provider can deduplicate).
//! - **Several nodes share the queue.** Claiming is one statement; on PostgreSQL it skips rows
//!   another node has locked (`FOR UPDATE SKIP LOCKED`), on SQLite the database's single writer
//!   serialises it. Each claim increments `attempts`, which fences out a worker whose lease was
//!   taken over: its late result no longer matches the row and is ignored.
//! - **No personal data at rest or in logs.** The address and the content are stored only as
//!   [`FieldCipher`](crate::crypto::FieldCipher) ciphertext bound to the row. Logs and
//!   `last_error` carry message ids, channels, templates and status codes, never addresses,
//!   bodies or a server's reply text (which often quotes the address).
//!
//! Providers: [`DevProvider`] (appends JSON lines to a local file — plaintext, development
//! only), [`SmtpProvider`] (email) and [`HttpSmsProvider`] (an HTTP SMS gateway with signed
//! requests). [`Providers::from_settings`] picks one per channel.

mod dev;
mod message;
mod notifier;
mod outbox;
mod providers;
mod sms_http;
mod smtp;
mod worker;

pub use dev::DevProvider;
pub use message::{Channel, OutboundMessage, Provider, SendError};
pub use notifier::Notifier;
pub use outbox::{OutboxStatus, enqueue};
pub use providers::Providers;
pub use sms_http::HttpSmsProvider;
pub use smtp::SmtpProvider;
pub use worker::{OutboxWorker, WorkerConfig, WorkerHandle, retry_delay};
