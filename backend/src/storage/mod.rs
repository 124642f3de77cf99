//! Where uploaded files live: a trait so production can use object storage, and a local-disk
//! implementation that is the default.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};

/// A blob store addressed by relative keys such as `orgs/<id>/logo-<id>.png`. Blocking: call
/// it on the blocking pool.
pub trait Storage: Send + Sync {
    fn put(&self, key: &str, bytes: &[u8]) -> anyhow::Result<()>;
    fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>>;
    fn delete(&self, key: &str) -> anyhow::Result<()>;
    /// Deletes every file whose key starts with the folder `prefix` (`orgs/<id>`).
    fn delete_all(&self, prefix: &str) -> anyhow::Result<()>;
}

/// Deletes a replaced file after the change that replaced it committed, on the blocking
/// pool. A failure only leaves an orphan file behind, so it is logged, not returned.
pub async fn delete_replaced(storage: Arc<dyn Storage>, key: Option<String>) {
    if let Some(key) = key {
        let result = tokio::task::spawn_blocking(move || storage.delete(&key)).await;
        if !matches!(result, Ok(Ok(()))) {
            tracing::warn!("could not delete a replaced file from storage");
        }
    }
}

/// Files under a root directory, written atomically (temporary file, then rename).
#[derive(Debug, Clone)]
pub struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    pub fn new(root: impl Into<PathBuf>) -> LocalDisk {
        LocalDisk { root: root.into() }
    }

    /// The file for a key; keys are plain relative paths, never `..` or absolute.
    fn path(&self, key: &str) -> anyhow::Result<PathBuf> {
        let relative = Path::new(key);
        if key.is_empty()
            || !relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
        {
            bail!("invalid storage key");
        }
        Ok(self.root.join(relative))
    }
}

impl Storage for LocalDisk {
    fn put(&self, key: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.path(key)?;
        let dir = path.parent().context("storage key without a directory")?;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let tmp = dir.join(format!(".upload-{}", uuid::Uuid::now_v7().simple()));
        std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("storing {}", path.display()))?;
        Ok(())
    }

    fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        match std::fs::read(self.path(key)?) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).context("reading a stored file"),
        }
    }

    fn delete(&self, key: &str) -> anyhow::Result<()> {
        match std::fs::remove_file(self.path(key)?) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).context("deleting a stored file"),
        }
    }

    fn delete_all(&self, prefix: &str) -> anyhow::Result<()> {
        match std::fs::remove_dir_all(self.path(prefix)?) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).context("deleting stored files"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refuse_escaping_keys() {
        let dir = tempfile::tempdir().unwrap();
        let disk = LocalDisk::new(dir.path());
        disk.put("orgs/a/logo.png", b"png").unwrap();
        assert_eq!(disk.get("orgs/a/logo.png").unwrap(), Some(b"png".to_vec()));
        disk.delete("orgs/a/logo.png").unwrap();
        assert_eq!(disk.get("orgs/a/logo.png").unwrap(), None);
        disk.put("orgs/a/x/1.png", b"1").unwrap();
        disk.put("orgs/b/1.png", b"2").unwrap();
        disk.delete_all("orgs/a").unwrap();
        disk.delete_all("orgs/a").unwrap();
        assert_eq!(disk.get("orgs/a/x/1.png").unwrap(), None);
        assert_eq!(disk.get("orgs/b/1.png").unwrap(), Some(b"2".to_vec()));
        assert!(disk.delete_all("../b").is_err());
        for bad in ["", "../x", "/etc/passwd", "a/../../b", "./a"] {
            assert!(disk.put(bad, b"x").is_err(), "{bad}");
        }
    }
}
