//! The one typed configuration of the server, loaded once at start-up.
//!
//! Sources, later ones overriding earlier ones: built-in defaults (a zero-config local start on
//! SQLite), an optional TOML file (`--config` or `APP_CONFIG_FILE`), then environment variables
//! `APP_<SECTION>__<KEY>` (for example `APP_SERVER__PORT=9000`,
//! `APP_DATABASE__URL=postgres://...`). Secrets are `SecretString` so they never print.

mod proxies;

use std::path::{Path, PathBuf};

use anyhow::Context;
use secrecy::SecretString;
use serde::Deserialize;

pub use proxies::TrustedProxies;

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub frontend: FrontendSettings,
    pub keys: KeySettings,
    pub auth: AuthSettings,
    pub storage: StorageSettings,
    pub log: LogSettings,
    pub notifications: NotificationSettings,
    pub retention: RetentionSettings,
    pub cancellation: CancellationSettings,
}

/// Cancelling an organisation (`crate::privacy::cancellation`).
#[derive(Debug, Clone, Deserialize)]
pub struct CancellationSettings {
    /// Days between the owner's request and the deletion, during which the owner can undo it
    /// (1–90).
    pub grace_days: u32,
    /// Days before the deletion that the owner is reminded (0: no reminder).
    pub reminder_days: u32,
}

/// How many days each kind of data is kept past its starting point before it is deleted or
/// anonymised (`crate::privacy::retention`; the kinds are `shared::privacy::RetentionKind`).
/// In the environment, e.g. `APP_RETENTION__AUDIT_LOG_PII=365`.
#[derive(Debug, Clone, Deserialize)]
pub struct RetentionSettings {
    /// After a code's expiry. At least 1: the sending limits count a day of requests.
    pub verification_codes: u32,
    /// After the attempt. At least 1: the sign-in throttle counts the last 15 minutes.
    pub login_attempts: u32,
    /// After a session's expiry or revocation (its refresh tokens go with it).
    pub sessions: u32,
    /// After a refresh token's expiry.
    pub refresh_tokens: u32,
    /// After a message was queued, once it was sent or given up.
    pub notification_outbox: u32,
    /// After an exam integrity event: its network address is erased.
    pub attempt_event_ips: u32,
    /// After an attempt's submission: its last network address is erased.
    pub attempt_ips: u32,
    /// After a session's last use: its device details are erased.
    pub session_devices: u32,
    /// After an audit entry: its address, user agent and device details are erased. The
    /// Cybersecurity Law asks for network logs of at least six months.
    pub audit_log_pii: u32,
    /// After a background job finished.
    pub jobs: u32,
    /// After a data export was requested, once it ended (the file is gone at download or
    /// expiry; this is its record).
    pub data_exports: u32,
}

impl RetentionSettings {
    /// The days of `kind`.
    pub fn days(&self, kind: shared::privacy::RetentionKind) -> u32 {
        use shared::privacy::RetentionKind as K;
        match kind {
            K::VerificationCodes => self.verification_codes,
            K::LoginAttempts => self.login_attempts,
            K::Sessions => self.sessions,
            K::RefreshTokens => self.refresh_tokens,
            K::NotificationOutbox => self.notification_outbox,
            K::AttemptEventIps => self.attempt_event_ips,
            K::AttemptIps => self.attempt_ips,
            K::SessionDevices => self.session_devices,
            K::AuditLogPii => self.audit_log_pii,
            K::Jobs => self.jobs,
            K::DataExports => self.data_exports,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct StorageSettings {
    /// Directory for uploaded files (logos, attachments).
    pub local_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// Lifetime of an access token in seconds (at most 900).
    pub access_ttl_secs: i64,
    /// `Secure` flag on session cookies; unset means "when behind TLS". Turn it off only for
    /// plain-http local use.
    pub cookie_secure: Option<bool>,
    /// Password hashes (argon2id, 19 MiB each) running at once on this node; 0 = one per CPU
    /// core, at least 2.
    pub hash_concurrency: usize,
    /// Sign-ins that may wait for a hashing slot, per slot; beyond them the answer is 503
    /// `server_busy` with `Retry-After`.
    pub hash_waiters_per_slot: usize,
    /// Longest wait for a hashing slot, in milliseconds, before answering 503.
    pub hash_max_wait_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    /// Address to bind. `127.0.0.1` locally; `0.0.0.0` in a container.
    pub host: String,
    /// Port to bind; `0` picks a free one (tests).
    pub port: u16,
    /// Set when TLS is terminated in front of this server: enables HSTS.
    pub behind_tls: bool,
    /// Largest accepted JSON body, in bytes.
    pub json_limit_bytes: usize,
    /// Number of HTTP worker threads; `0` means one per CPU core.
    pub workers: usize,
    /// The reverse proxies in front of this server (CIDR networks or addresses), whose
    /// `X-Forwarded-For` names the client. Empty (the default): clients connect directly and
    /// the header is ignored. In the environment, a comma-separated list.
    pub trusted_proxies: TrustedProxies,
    /// The address people reach the product at, without a trailing slash: links that leave
    /// the server (the verification URL in a certificate's QR code) start with it. Set it to
    /// the public HTTPS origin in production.
    pub public_url: String,
}

impl ServerSettings {
    /// [`ServerSettings::public_url`] without a trailing slash.
    pub fn public_base(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `postgres://...` selects PostgreSQL; anything else is a SQLite file path
    /// (an optional `sqlite://` prefix is accepted). May contain a password, hence secret.
    pub url: SecretString,
    /// Largest number of pooled connections.
    pub max_connections: u32,
    /// How long a request waits for a pooled connection before failing, in milliseconds.
    pub acquire_timeout_ms: u64,
    /// SQLite only: how long a writer waits for the lock, in milliseconds.
    pub sqlite_busy_timeout_ms: u64,
    /// Apply pending migrations at start-up (`serve`). `migrate` always applies them.
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FrontendSettings {
    /// Directory holding the built SPA (`index.html` and `assets/`).
    pub dist_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
pub struct KeySettings {
    /// Path of the key file (JSON). Generated on first start when missing and
    /// `generate_if_missing` is set; production mounts its own.
    pub file: PathBuf,
    /// Generate a fresh local key file when none exists. Turn off in production so a missing
    /// secret stops the server instead of silently creating new keys.
    pub generate_if_missing: bool,
    /// The key file's content given inline (for example from a secret store through
    /// `APP_KEYS__INLINE`); takes precedence over `file`.
    pub inline: Option<SecretString>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    /// `pretty` for people, `json` for log collectors.
    pub format: LogFormat,
    /// A `tracing` filter such as `info` or `backend=debug,actix_web=info`; `RUST_LOG` wins.
    pub filter: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Outgoing email and SMS: which provider each channel uses, and the outbox worker.
#[derive(Debug, Clone, Deserialize)]
pub struct NotificationSettings {
    /// `dev` (append to `dev_outbox_file`) or `smtp`.
    pub email_provider: EmailProviderKind,
    /// `dev` (append to `dev_outbox_file`) or `http` (an HTTP SMS gateway).
    pub sms_provider: SmsProviderKind,
    /// Where the development provider appends one JSON line per message. It holds codes in
    /// plaintext: for local development only.
    pub dev_outbox_file: PathBuf,
    /// Whether this node runs the outbox worker. Every node may (they share the queue); turn it
    /// off on nodes that should only serve requests.
    pub worker_enabled: bool,
    /// Delivery attempts before a message is marked failed.
    pub max_attempts: u32,
    /// How often the worker looks for due messages, in milliseconds.
    pub poll_interval_ms: u64,
    /// Messages claimed and sent at once by one worker.
    pub batch_size: u32,
    /// How long a claimed message stays reserved for its worker, in seconds. A worker that dies
    /// while sending leaves its messages to others after this time, so it must exceed the
    /// providers' time-outs.
    pub lease_secs: u64,
    pub smtp: SmtpSettings,
    pub sms_http: SmsHttpSettings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailProviderKind {
    Dev,
    Smtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsProviderKind {
    Dev,
    Http,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// Both or neither of `username` and `password`.
    pub username: Option<SecretString>,
    pub password: Option<SecretString>,
    /// The sender, e.g. `考试云 <no-reply@example.cn>`.
    pub from: String,
    /// `none` (plain, local relays only), `starttls` (upgrade, usually port 587) or `tls`
    /// (implicit TLS, usually port 465).
    pub tls: SmtpTls,
    /// Time-out of one SMTP conversation step, in milliseconds.
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SmsHttpSettings {
    /// The gateway's endpoint; each message is POSTed there as JSON.
    pub url: String,
    /// Sent as `X-Api-Key`.
    pub api_key: SecretString,
    /// Signs each request: `X-Signature` = hex HMAC-SHA256 over `X-Timestamp`, a newline and
    /// the body.
    pub signing_secret: SecretString,
    /// Time-out of one request, in milliseconds.
    pub timeout_ms: u64,
}

/// Which database engine a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

impl DatabaseKind {
    pub fn of_url(url: &str) -> DatabaseKind {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DatabaseKind::Postgres
        } else {
            DatabaseKind::Sqlite
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DatabaseKind::Sqlite => "sqlite",
            DatabaseKind::Postgres => "postgres",
        }
    }
}

const DEFAULTS: &str = r#"
[server]
host = "127.0.0.1"
port = 8080
behind_tls = false
json_limit_bytes = 262144
workers = 0
trusted_proxies = []
public_url = "http://127.0.0.1:8080"

[database]
url = "data/examcloud.db"
max_connections = 16
acquire_timeout_ms = 5000
sqlite_busy_timeout_ms = 5000
migrate_on_start = true

[frontend]
dist_dir = "frontend/dist"

[keys]
file = "data/keys.json"
generate_if_missing = true

[auth]
access_ttl_secs = 900
hash_concurrency = 0
hash_waiters_per_slot = 64
hash_max_wait_ms = 5000

[storage]
local_dir = "data/uploads"

[log]
format = "pretty"
filter = "info"

[notifications]
email_provider = "dev"
sms_provider = "dev"
dev_outbox_file = "data/outbox.jsonl"
worker_enabled = true
max_attempts = 10
poll_interval_ms = 1000
batch_size = 10
lease_secs = 300

[notifications.smtp]
host = "localhost"
port = 587
from = "ExamCloud <no-reply@examcloud.invalid>"
tls = "starttls"
timeout_ms = 30000

[notifications.sms_http]
url = ""
api_key = ""
signing_secret = ""
timeout_ms = 10000

[retention]
verification_codes = 7
login_attempts = 30
sessions = 30
refresh_tokens = 7
notification_outbox = 30
attempt_event_ips = 180
attempt_ips = 180
session_devices = 30
audit_log_pii = 180
jobs = 30
data_exports = 30

[cancellation]
grace_days = 15
reminder_days = 3
"#;

impl Settings {
    /// Loads defaults, then the optional file, then `APP_...` environment variables.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("APP_CONFIG_FILE").map(PathBuf::from));
        Self::load_from(file.as_deref(), std::env::vars())
    }

    /// Like [`Settings::load`] with an explicit environment, so tests need not mutate the
    /// process environment.
    pub fn load_from(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> anyhow::Result<Settings> {
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        if let Some(file) = file {
            anyhow::ensure!(
                file.exists(),
                "configuration file {} does not exist",
                file.display()
            );
            builder = builder.add_source(config::File::from(file).required(true));
        }
        let env: config::Map<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with("APP_") && k != "APP_CONFIG_FILE")
            .collect();
        builder = builder.add_source(
            config::Environment::with_prefix("APP")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true)
                .source(Some(env)),
        );
        builder
            .build()
            .context("reading configuration")?
            .try_deserialize()
            .context("invalid configuration")
    }

    pub fn database_kind(&self) -> DatabaseKind {
        use secrecy::ExposeSecret;
        DatabaseKind::of_url(self.database.url.expose_secret())
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_give_a_local_sqlite_start_on_port_8080() -> anyhow::Result<()> {
        let s = Settings::load_from(None, env(&[]))?;
        assert_eq!(s.server.port, 8080);
        assert_eq!(s.server.host, "127.0.0.1");
        assert_eq!(s.database_kind(), DatabaseKind::Sqlite);
        assert!(s.keys.generate_if_missing);
        assert_eq!(s.log.format, LogFormat::Pretty);
        Ok(())
    }

    #[test]
    fn notifications_default_to_the_dev_provider_and_nested_env_keys_override() -> anyhow::Result<()>
    {
        let s = Settings::load_from(None, env(&[]))?;
        let n = &s.notifications;
        assert_eq!(n.email_provider, EmailProviderKind::Dev);
        assert_eq!(n.sms_provider, SmsProviderKind::Dev);
        assert_eq!(n.dev_outbox_file, PathBuf::from("data/outbox.jsonl"));
        assert_eq!(n.max_attempts, 10);
        assert!(n.smtp.username.is_none() && n.smtp.password.is_none());

        let s = Settings::load_from(
            None,
            env(&[
                ("APP_NOTIFICATIONS__EMAIL_PROVIDER", "smtp"),
                ("APP_NOTIFICATIONS__SMTP__HOST", "mail"),
                ("APP_NOTIFICATIONS__SMTP__PORT", "1025"),
                ("APP_NOTIFICATIONS__SMTP__TLS", "none"),
                ("APP_NOTIFICATIONS__SMTP__PASSWORD", "hunter2"),
                ("APP_NOTIFICATIONS__SMS_PROVIDER", "http"),
                ("APP_NOTIFICATIONS__SMS_HTTP__API_KEY", "123456"),
            ]),
        )?;
        let n = &s.notifications;
        assert_eq!(n.email_provider, EmailProviderKind::Smtp);
        assert_eq!((n.smtp.host.as_str(), n.smtp.port), ("mail", 1025));
        assert_eq!(n.smtp.tls, SmtpTls::None);
        assert_eq!(n.sms_provider, SmsProviderKind::Http);
        // A numeric-looking secret stays a string.
        assert_eq!(n.sms_http.api_key.expose_secret(), "123456");
        assert!(!format!("{s:?}").contains("hunter2"));
        Ok(())
    }

    #[test]
    fn environment_overrides_nested_keys() -> anyhow::Result<()> {
        let s = Settings::load_from(
            None,
            env(&[
                ("APP_SERVER__PORT", "9191"),
                ("APP_DATABASE__URL", "postgres://u@127.0.0.1/db"),
                ("APP_LOG__FORMAT", "json"),
                ("APP_SERVER__BEHIND_TLS", "true"),
                ("UNRELATED", "x"),
            ]),
        )?;
        assert_eq!(s.server.port, 9191);
        assert!(s.server.behind_tls);
        assert_eq!(s.database_kind(), DatabaseKind::Postgres);
        assert_eq!(s.database.url.expose_secret(), "postgres://u@127.0.0.1/db");
        assert_eq!(s.log.format, LogFormat::Json);
        Ok(())
    }

    #[test]
    fn trusted_proxies_default_to_none_and_come_from_a_list_or_a_comma_separated_variable()
    -> anyhow::Result<()> {
        let s = Settings::load_from(None, env(&[]))?;
        assert!(s.server.trusted_proxies.is_empty());
        let s = Settings::load_from(
            None,
            env(&[(
                "APP_SERVER__TRUSTED_PROXIES",
                "127.0.0.1/32, 10.0.0.0/8,::1",
            )]),
        )?;
        let t = &s.server.trusted_proxies;
        assert!(t.contains("10.2.3.4".parse()?) && t.contains("::1".parse()?));
        assert!(!t.contains("192.168.0.1".parse()?));

        let dir = tempfile::tempdir()?;
        let path = dir.path().join("app.toml");
        std::fs::write(&path, "[server]\ntrusted_proxies = [\"172.16.0.0/12\"]\n")?;
        let s = Settings::load_from(Some(&path), env(&[]))?;
        assert!(s.server.trusted_proxies.contains("172.20.0.2".parse()?));

        let bad = Settings::load_from(None, env(&[("APP_SERVER__TRUSTED_PROXIES", "nginx")]));
        assert!(bad.is_err());
        Ok(())
    }

    #[test]
    fn a_file_overrides_defaults_and_env_overrides_the_file() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("app.toml");
        std::fs::write(&path, "[server]\nport = 7000\nhost = \"0.0.0.0\"\n")?;
        let s = Settings::load_from(Some(&path), env(&[("APP_SERVER__PORT", "7001")]))?;
        assert_eq!(s.server.host, "0.0.0.0");
        assert_eq!(s.server.port, 7001);
        Ok(())
    }

    #[test]
    fn retention_has_defaults_for_every_kind_and_the_environment_overrides_one()
    -> anyhow::Result<()> {
        use shared::privacy::RetentionKind;
        let s = Settings::load_from(None, env(&[]))?;
        assert_eq!(s.retention.days(RetentionKind::AuditLogPii), 180);
        assert_eq!(s.retention.days(RetentionKind::VerificationCodes), 7);
        let s = Settings::load_from(None, env(&[("APP_RETENTION__AUDIT_LOG_PII", "365")]))?;
        assert_eq!(s.retention.days(RetentionKind::AuditLogPii), 365);
        assert_eq!(s.retention.days(RetentionKind::Jobs), 30);
        Ok(())
    }

    #[test]
    fn invalid_values_are_reported() {
        let err = Settings::load_from(None, env(&[("APP_SERVER__PORT", "not-a-port")]));
        assert!(err.is_err());
        let err = Settings::load_from(Some(Path::new("/nonexistent/app.toml")), env(&[]));
        assert!(err.is_err());
    }

    #[test]
    fn secrets_do_not_print() -> anyhow::Result<()> {
        let s = Settings::load_from(
            None,
            env(&[("APP_DATABASE__URL", "postgres://u:hunter2@h/db")]),
        )?;
        assert!(!format!("{s:?}").contains("hunter2"));
        Ok(())
    }
}
