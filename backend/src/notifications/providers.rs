//! The provider of each channel, chosen by the settings.

use std::sync::Arc;

use super::dev::DevProvider;
use super::message::{Channel, Provider};
use super::sms_http::HttpSmsProvider;
use super::smtp::SmtpProvider;
use crate::settings::{EmailProviderKind, NotificationSettings, SmsProviderKind};

/// One provider per channel.
#[derive(Clone)]
pub struct Providers {
    pub email: Arc<dyn Provider>,
    pub sms: Arc<dyn Provider>,
}

impl Providers {
    /// Builds the configured providers, checking their settings (a bad address or URL stops
    /// the start instead of failing every send).
    pub fn from_settings(settings: &NotificationSettings) -> anyhow::Result<Providers> {
        // One dev provider for both channels, so their appends share one lock.
        let dev = Arc::new(DevProvider::new(&settings.dev_outbox_file));
        let email: Arc<dyn Provider> = match settings.email_provider {
            EmailProviderKind::Dev => dev.clone(),
            EmailProviderKind::Smtp => Arc::new(SmtpProvider::new(&settings.smtp)?),
        };
        let sms: Arc<dyn Provider> = match settings.sms_provider {
            SmsProviderKind::Dev => dev.clone(),
            SmsProviderKind::Http => Arc::new(HttpSmsProvider::new(&settings.sms_http)?),
        };
        for (channel, provider) in [(Channel::Email, &email), (Channel::Sms, &sms)] {
            if provider.name() == "dev" {
                tracing::warn!(
                    channel = channel.as_str(),
                    file = %dev.path().display(),
                    "notifications are written to the development outbox file, in plaintext \
                     (codes included); configure a real provider in production"
                );
            }
        }
        Ok(Providers { email, sms })
    }

    pub fn for_channel(&self, channel: Channel) -> &Arc<dyn Provider> {
        match channel {
            Channel::Email => &self.email,
            Channel::Sms => &self.sms,
        }
    }
}
