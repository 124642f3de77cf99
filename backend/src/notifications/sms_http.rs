//! SMS through an HTTP gateway: each message is one signed JSON POST.
//!
//! ```text
//! POST <url>
//! Content-Type: application/json
//! X-Api-Key: <api_key>
//! X-Timestamp: <unix seconds>
//! X-Signature: hex(HMAC-SHA256(signing_secret, X-Timestamp + "\n" + body))
//!
//! {"to": "+8613800138000", "text": "...", "template": "verification_code", "message_id": "<uuid>"}
//! ```
//!
//! The gateway can reject replays by the timestamp and deduplicate by `message_id`. A 4xx
//! reply rejects the message (permanent) — except 401/403 (our key), 404 (our URL), 408 and
//! 429, which say nothing about the message and are retried like 5xx, redirects and network
//! errors.

use std::time::Duration;

use anyhow::{Context, ensure};
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use super::message::{OutboundMessage, Provider, SendError};
use crate::db::types::DbUuid;
use crate::settings::SmsHttpSettings;

#[derive(Clone)]
pub struct HttpSmsProvider {
    client: reqwest::Client,
    url: reqwest::Url,
    api_key: SecretString,
    signing_secret: SecretString,
}

impl std::fmt::Debug for HttpSmsProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpSmsProvider")
            .field("url", &self.url.as_str())
            .finish_non_exhaustive()
    }
}

#[derive(serde::Serialize)]
struct Request<'a> {
    to: &'a str,
    text: &'a str,
    template: &'a str,
    message_id: DbUuid,
}

/// `hex(HMAC-SHA256(secret, timestamp + "\n" + body))`.
pub fn signature(secret: &[u8], timestamp: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(timestamp.as_bytes());
    mac.update(b"\n");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

impl HttpSmsProvider {
    pub fn new(settings: &SmsHttpSettings) -> anyhow::Result<HttpSmsProvider> {
        let url = reqwest::Url::parse(&settings.url).with_context(|| {
            format!("notifications.sms_http.url {:?} is not a URL", settings.url)
        })?;
        ensure!(
            matches!(url.scheme(), "http" | "https"),
            "notifications.sms_http.url must be http(s)"
        );
        ensure!(
            !settings.api_key.expose_secret().is_empty(),
            "notifications.sms_http.api_key is empty"
        );
        ensure!(
            !settings.signing_secret.expose_secret().is_empty(),
            "notifications.sms_http.signing_secret is empty"
        );
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(settings.timeout_ms.max(1)))
            // A redirect means a wrong URL; following it would resend the message elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .context("building the SMS gateway's HTTP client")?;
        Ok(HttpSmsProvider {
            client,
            url,
            api_key: settings.api_key.clone(),
            signing_secret: settings.signing_secret.clone(),
        })
    }
}

fn classify_status(status: StatusCode) -> Result<(), SendError> {
    if status.is_success() {
        return Ok(());
    }
    let code = status.as_u16();
    match code {
        401 | 403 | 404 | 408 | 429 => Err(SendError::Transient(format!("http {code}"))),
        400..=499 => Err(SendError::Permanent(format!(
            "http {code}: message rejected by the gateway"
        ))),
        _ => Err(SendError::Transient(format!("http {code}"))),
    }
}

fn classify_error(err: &reqwest::Error) -> SendError {
    // reqwest's message includes the URL; the kind is enough.
    let what = if err.is_timeout() {
        "http time-out"
    } else if err.is_connect() {
        "http connection failed"
    } else {
        "http request failed"
    };
    SendError::Transient(what.to_owned())
}

#[async_trait::async_trait]
impl Provider for HttpSmsProvider {
    fn name(&self) -> &'static str {
        "http"
    }

    async fn send(&self, id: DbUuid, msg: &OutboundMessage) -> Result<(), SendError> {
        let body = serde_json::to_vec(&Request {
            to: &msg.to,
            text: &msg.body,
            template: &msg.template,
            message_id: id,
        })
        .map_err(|e| SendError::Permanent(format!("cannot encode the request: {e}")))?;
        let timestamp = chrono::Utc::now().timestamp().to_string();
        let signature = signature(
            self.signing_secret.expose_secret().as_bytes(),
            &timestamp,
            &body,
        );
        let response = self
            .client
            .post(self.url.clone())
            .header(CONTENT_TYPE, "application/json")
            .header("X-Api-Key", self.api_key.expose_secret())
            .header("X-Timestamp", timestamp)
            .header("X-Signature", signature)
            .body(body)
            .send()
            .await
            .map_err(|e| classify_error(&e))?;
        classify_status(response.status())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_a_known_hmac() {
        // Computed independently: Python's hmac.new(secret, ts + b"\n" + body, sha256).
        assert_eq!(
            signature(
                b"gateway-secret",
                "1700000000",
                br#"{"to":"+8613800138000"}"#
            ),
            "134624447ab582b9898325abedb99613b588dc54c721d06cfeddea823a236748"
        );
    }

    #[test]
    fn only_replies_about_the_message_itself_are_permanent() {
        let permanent = |c: u16| {
            classify_status(StatusCode::from_u16(c).unwrap())
                .err()
                .map(|e| e.is_permanent())
        };
        assert_eq!(permanent(200), None);
        assert_eq!(permanent(202), None);
        for c in [400, 410, 413, 422] {
            assert_eq!(permanent(c), Some(true), "{c}");
        }
        for c in [301, 401, 403, 404, 408, 429, 500, 502, 503] {
            assert_eq!(permanent(c), Some(false), "{c}");
        }
    }

    #[test]
    fn settings_are_checked_at_start_up() {
        let ok = SmsHttpSettings {
            url: "https://sms.example/send".to_owned(),
            api_key: SecretString::from("k"),
            signing_secret: SecretString::from("s"),
            timeout_ms: 1000,
        };
        assert!(HttpSmsProvider::new(&ok).is_ok());
        for bad in [
            SmsHttpSettings {
                url: String::new(),
                ..ok.clone()
            },
            SmsHttpSettings {
                url: "ftp://x/".to_owned(),
                ..ok.clone()
            },
            SmsHttpSettings {
                api_key: SecretString::from(""),
                ..ok.clone()
            },
            SmsHttpSettings {
                signing_secret: SecretString::from(""),
                ..ok.clone()
            },
        ] {
            assert!(HttpSmsProvider::new(&bad).is_err());
        }
    }
}
