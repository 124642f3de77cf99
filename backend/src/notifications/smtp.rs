//! Email through an SMTP relay (lettre on tokio, rustls for TLS).
//!
//! One connection per message: the worker sends small batches, and a fresh connection keeps one
//! message's failure from affecting the next. Only replies that are about the recipient (550,
//! 551, 553) and addresses we cannot parse count as permanent; every other failure — including
//! a rejected login, which is our configuration's fault, not the message's — is retried.

use std::time::Duration;

use anyhow::{Context, bail};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;

use super::message::{OutboundMessage, Provider, SendError};
use crate::db::types::DbUuid;
use crate::settings::{SmtpSettings, SmtpTls};

/// SMTP reply codes that reject the recipient itself.
const RECIPIENT_REJECTED: [&str; 3] = ["550", "551", "553"];

#[derive(Clone)]
pub struct SmtpProvider {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpProvider").finish_non_exhaustive()
    }
}

impl SmtpProvider {
    /// Checks the settings and prepares the transport; connects only when sending.
    pub fn new(settings: &SmtpSettings) -> anyhow::Result<SmtpProvider> {
        let from: Mailbox = settings.from.parse().with_context(|| {
            format!(
                "notifications.smtp.from {:?} is not a mailbox",
                settings.from
            )
        })?;
        let host = settings.host.as_str();
        let builder = match settings.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .with_context(|| format!("preparing STARTTLS to {host}"))?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                .with_context(|| format!("preparing TLS to {host}"))?,
        };
        let mut builder = builder
            .port(settings.port)
            .timeout(Some(Duration::from_millis(settings.timeout_ms.max(1))));
        match (&settings.username, &settings.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(
                    user.expose_secret().to_owned(),
                    password.expose_secret().to_owned(),
                ));
            }
            (None, None) => {}
            _ => bail!("notifications.smtp: set both username and password, or neither"),
        }
        Ok(SmtpProvider {
            transport: builder.build(),
            from,
        })
    }

    fn build(&self, id: DbUuid, msg: &OutboundMessage) -> Result<Message, SendError> {
        let to: Address = msg
            .to
            .trim()
            .parse()
            .map_err(|_| SendError::Permanent("invalid email address".to_owned()))?;
        Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(msg.subject.clone().unwrap_or_default())
            .message_id(Some(format!("<{id}@{}>", self.from.email.domain())))
            .header(ContentType::TEXT_PLAIN)
            .body(msg.body.clone())
            .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))
    }
}

/// Classifies lettre's error by kind and reply code only: the reply text often quotes the
/// address, so it is never kept.
fn classify(err: &lettre::transport::smtp::Error) -> SendError {
    let code = err.status().map(|c| c.to_string());
    match code {
        Some(code) if err.is_permanent() && RECIPIENT_REJECTED.contains(&code.as_str()) => {
            SendError::Permanent(format!("smtp {code}: recipient rejected"))
        }
        Some(code) => SendError::Transient(format!("smtp {code}")),
        None if err.is_timeout() => SendError::Transient("smtp time-out".to_owned()),
        None if err.is_tls() => SendError::Transient("smtp tls error".to_owned()),
        None => SendError::Transient("smtp connection or protocol error".to_owned()),
    }
}

#[async_trait::async_trait]
impl Provider for SmtpProvider {
    fn name(&self) -> &'static str {
        "smtp"
    }

    async fn send(&self, id: DbUuid, msg: &OutboundMessage) -> Result<(), SendError> {
        let email = self.build(id, msg)?;
        self.transport
            .send(email)
            .await
            .map(drop)
            .map_err(|e| classify(&e))
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;
    use crate::notifications::Channel;

    fn settings() -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".to_owned(),
            port: 2525,
            username: None,
            password: None,
            from: "考试云 <no-reply@examcloud.example>".to_owned(),
            tls: SmtpTls::None,
            timeout_ms: 1000,
        }
    }

    #[test]
    fn settings_are_checked_at_start_up() {
        assert!(SmtpProvider::new(&settings()).is_ok());
        let bad_from = SmtpSettings {
            from: "not an address".to_owned(),
            ..settings()
        };
        assert!(SmtpProvider::new(&bad_from).is_err());
        let half_credentials = SmtpSettings {
            username: Some(SecretString::from("u")),
            ..settings()
        };
        assert!(SmtpProvider::new(&half_credentials).is_err());
    }

    #[test]
    fn an_unparsable_address_is_permanent_and_not_echoed() {
        let provider = SmtpProvider::new(&settings()).unwrap();
        let msg = OutboundMessage {
            channel: Channel::Email,
            to: "zhang san@@example".to_owned(),
            subject: None,
            body: "x".to_owned(),
            template: "t".to_owned(),
        };
        let err = provider.build(DbUuid::new_v7(), &msg).unwrap_err();
        assert!(err.is_permanent());
        assert!(!err.to_string().contains("zhang"));
    }
}
