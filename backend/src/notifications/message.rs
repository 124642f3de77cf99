//! What a notification is, and the trait every provider implements.

use crate::db::types::DbUuid;
use crate::domain::Contact;

/// How a message reaches a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    /// The name stored in the outbox and shown in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "email" => Some(Channel::Email),
            "sms" => Some(Channel::Sms),
            _ => None,
        }
    }
}

/// One message to one person. `to` and the content are personal data: the outbox encrypts
/// them, and they must never be logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundMessage {
    pub channel: Channel,
    /// An email address or a mobile number, already validated by the caller.
    pub to: String,
    /// The email subject; SMS ignores it.
    pub subject: Option<String>,
    pub body: String,
    /// Which template produced the message, e.g. `verification_code`. Not personal data: it is
    /// stored in plaintext and logged, and an SMS gateway may need it (templates are often
    /// registered with the carrier).
    pub template: String,
}

impl OutboundMessage {
    /// A message to a person's email address or mobile number (the channel follows the
    /// contact).
    pub fn to_contact(contact: &Contact, subject: &str, body: String, template: &str) -> Self {
        let (channel, to) = match contact {
            Contact::Email(e) => (Channel::Email, e.as_str().to_owned()),
            Contact::Mobile(m) => (Channel::Sms, m.as_str().to_owned()),
        };
        OutboundMessage {
            channel,
            to,
            subject: Some(subject.to_owned()),
            body,
            template: template.to_owned(),
        }
    }
}

/// Why a send failed. The reason is stored in `last_error` and logged, so it must never hold
/// personal data: build it from status codes and error kinds, not from a server's reply text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The message itself was refused (a malformed or unknown address, content the gateway
    /// rejects): sending it again cannot succeed, so it is marked failed at once.
    #[error("permanent: {0}")]
    Permanent(String),
    /// Anything else: the provider is down, slow, overloaded or rejects our credentials.
    /// Retried with backoff until `max_attempts`.
    #[error("transient: {0}")]
    Transient(String),
}

impl SendError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, SendError::Permanent(_))
    }
}

/// Delivers messages of one channel. Object-safe, so the worker holds an
/// `Arc<dyn Provider>` per channel.
#[async_trait::async_trait]
pub trait Provider: Send + Sync {
    /// Short name for logs (`dev`, `smtp`, `http`).
    fn name(&self) -> &'static str;

    /// Sends one message. `id` is the outbox row's id; providers pass it on (as the SMS
    /// `message_id`, the email `Message-ID`) so a receiver can deduplicate a message sent
    /// twice after a crash.
    async fn send(&self, id: DbUuid, msg: &OutboundMessage) -> Result<(), SendError>;
}
