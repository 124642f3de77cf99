//! The development provider: appends each message as one JSON line to a local file (default
//! `data/outbox.jsonl`), so a developer — or a test, or a script — can read the codes that
//! would have been sent.
//!
//! **The file holds addresses and codes in plaintext.** It is for local development only; the
//! start-up log warns when a channel uses it. The file is created with mode 0600.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::message::{OutboundMessage, Provider, SendError};
use crate::db::types::{DbUuid, Timestamp};

/// One line of the file.
#[derive(Serialize)]
struct Line<'a> {
    at: String,
    id: DbUuid,
    channel: &'static str,
    to: &'a str,
    subject: Option<&'a str>,
    body: &'a str,
    template: &'a str,
}

#[derive(Debug, Clone)]
pub struct DevProvider {
    path: Arc<PathBuf>,
    /// Serialises this process's appends; `O_APPEND` keeps each line whole across processes.
    lock: Arc<Mutex<()>>,
}

impl DevProvider {
    pub fn new(path: impl Into<PathBuf>) -> DevProvider {
        DevProvider {
            path: Arc::new(path.into()),
            lock: Arc::new(Mutex::new(())),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn append(&self, line: &[u8]) -> std::io::Result<()> {
        // A poisoned lock only means another append panicked; the file is still usable.
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(dir) = self.path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        // One write of the whole line: with O_APPEND it lands at the end in one piece.
        options.open(self.path.as_path())?.write_all(line)
    }
}

#[async_trait::async_trait]
impl Provider for DevProvider {
    fn name(&self) -> &'static str {
        "dev"
    }

    async fn send(&self, id: DbUuid, msg: &OutboundMessage) -> Result<(), SendError> {
        let line = Line {
            at: Timestamp::now().to_canonical_string(),
            id,
            channel: msg.channel.as_str(),
            to: &msg.to,
            subject: msg.subject.as_deref(),
            body: &msg.body,
            template: &msg.template,
        };
        let mut bytes = serde_json::to_vec(&line)
            .map_err(|e| SendError::Permanent(format!("cannot encode the line: {e}")))?;
        bytes.push(b'\n');
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.append(&bytes))
            .await
            .map_err(|_| SendError::Transient("the append task failed".to_owned()))?
            // The path is configuration, not personal data.
            .map_err(|e| {
                SendError::Transient(format!("cannot append to {}: {e}", self.path.display()))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notifications::Channel;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_sends_each_leave_one_whole_line() {
        let dir = tempfile::tempdir().unwrap();
        let provider = DevProvider::new(dir.path().join("nested/outbox.jsonl"));
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..50 {
            let p = provider.clone();
            tasks.spawn(async move {
                let msg = OutboundMessage {
                    channel: Channel::Sms,
                    to: format!("+86138{i:08}"),
                    subject: None,
                    body: format!("您的验证码是 {i:06}。{}", "长".repeat(2000)),
                    template: "verification_code".to_owned(),
                };
                p.send(DbUuid::new_v7(), &msg).await
            });
        }
        while let Some(result) = tasks.join_next().await {
            result.unwrap().unwrap();
        }
        let text = std::fs::read_to_string(provider.path()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 50);
        assert!(
            lines
                .iter()
                .all(|l| l["channel"] == "sms" && l["subject"].is_null())
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(provider.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "readable by others: {mode:o}");
        }
    }
}
