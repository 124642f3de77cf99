//! The server's secret keys: where they come from, and the guard that a node's keys match the
//! data in its database.
//!
//! Keys come from a JSON key file (or the same JSON given inline through `APP_KEYS__INLINE`).
//! For a zero-configuration local start a fresh file is generated when none exists — with a loud
//! warning, because production must supply its own keys and keep them safe: losing them loses
//! every encrypted field.
//!
//! The database records a fingerprint of each key (never the key itself). A node whose keys do
//! not match refuses to start, rather than writing data that no other node can read.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use diesel::prelude::*;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::DbConnection;
use crate::db::schema::key_fingerprints;
use crate::db::types::{DbUuid, Timestamp};
use crate::settings::KeySettings;

/// A 256-bit secret key.
pub type Key = SecretBox<[u8; 32]>;

/// What a key is for. Each purpose has its own key(s); a key is never used for two purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyPurpose {
    /// AES-256-GCM field encryption of personal data (several versions during rotation).
    Encryption,
    /// HMAC-SHA256 blind indexes for looking up encrypted values.
    BlindIndex,
    /// Signing of session tokens.
    TokenSigning,
}

impl KeyPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyPurpose::Encryption => "encryption",
            KeyPurpose::BlindIndex => "blind_index",
            KeyPurpose::TokenSigning => "token_signing",
        }
    }
}

/// The key file's format. Keys are base64 of 32 random bytes.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    format: u32,
    encryption_keys: Vec<KeyFileEntry>,
    primary_encryption_key: u32,
    blind_index_key: String,
    token_signing_key: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFileEntry {
    id: u32,
    key: String,
}

/// Where the keys were loaded from; reported by the readiness check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Inline,
    File(PathBuf),
    Generated(PathBuf),
}

/// The loaded keys.
pub struct KeyRing {
    encryption: BTreeMap<u32, Key>,
    primary_encryption: u32,
    blind_index: Key,
    token_signing: Key,
    source: KeySource,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing")
            .field(
                "encryption_key_ids",
                &self.encryption.keys().collect::<Vec<_>>(),
            )
            .field("primary_encryption", &self.primary_encryption)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl KeyRing {
    /// Loads the keys as the settings say, generating a local key file if allowed and missing.
    pub fn load(settings: &KeySettings) -> anyhow::Result<KeyRing> {
        if let Some(inline) = &settings.inline {
            return KeyRing::parse(inline.expose_secret(), KeySource::Inline)
                .context("invalid inline keys (APP_KEYS__INLINE)");
        }
        let path = &settings.file;
        if path.exists() {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the key file {}", path.display()))?;
            return KeyRing::parse(&text, KeySource::File(path.clone()))
                .with_context(|| format!("invalid key file {}", path.display()));
        }
        if !settings.generate_if_missing {
            bail!(
                "the key file {} does not exist and generating keys is disabled \
                 (keys.generate_if_missing = false); mount the production key file there",
                path.display()
            );
        }
        let text = generate_key_file()?;
        write_private_file(path, &text)?;
        tracing::warn!(
            path = %path.display(),
            "\n\
             ************************************************************************\n\
             *  GENERATED NEW LOCAL KEYS. This is fine for development only.        *\n\
             *  Production must supply its own key file (APP_KEYS__FILE) or keys     *\n\
             *  (APP_KEYS__INLINE), back them up, and set                            *\n\
             *  APP_KEYS__GENERATE_IF_MISSING=false. Losing the keys loses every     *\n\
             *  encrypted field in the database.                                     *\n\
             ************************************************************************"
        );
        KeyRing::parse(&text, KeySource::Generated(path.clone()))
    }

    fn parse(text: &str, source: KeySource) -> anyhow::Result<KeyRing> {
        let file: KeyFile = serde_json::from_str(text).context("not a valid key file")?;
        if file.format != 1 {
            bail!("unsupported key file format {}", file.format);
        }
        let mut encryption = BTreeMap::new();
        for entry in file.encryption_keys {
            let key =
                decode_key(&entry.key).with_context(|| format!("encryption key {}", entry.id))?;
            if encryption.insert(entry.id, key).is_some() {
                bail!("encryption key id {} appears twice", entry.id);
            }
        }
        if !encryption.contains_key(&file.primary_encryption_key) {
            bail!(
                "the primary encryption key {} is not in the file",
                file.primary_encryption_key
            );
        }
        Ok(KeyRing {
            encryption,
            primary_encryption: file.primary_encryption_key,
            blind_index: decode_key(&file.blind_index_key).context("blind_index_key")?,
            token_signing: decode_key(&file.token_signing_key).context("token_signing_key")?,
            source,
        })
    }

    /// Parses key-file JSON (tests and tools; the server uses [`KeyRing::load`]).
    pub fn from_json(text: &str) -> anyhow::Result<KeyRing> {
        KeyRing::parse(text, KeySource::Inline)
    }

    pub fn source(&self) -> &KeySource {
        &self.source
    }

    pub fn primary_encryption_key_id(&self) -> u32 {
        self.primary_encryption
    }

    pub fn encryption_key_ids(&self) -> Vec<u32> {
        self.encryption.keys().copied().collect()
    }

    pub fn encryption_key(&self, id: u32) -> Option<&Key> {
        self.encryption.get(&id)
    }

    pub fn blind_index_key(&self) -> &Key {
        &self.blind_index
    }

    pub fn token_signing_key(&self) -> &Key {
        &self.token_signing
    }

    /// Every key with its purpose, id and fingerprint.
    pub fn fingerprints(&self) -> Vec<(KeyPurpose, u32, String)> {
        let mut out: Vec<_> = self
            .encryption
            .iter()
            .map(|(id, key)| {
                (
                    KeyPurpose::Encryption,
                    *id,
                    fingerprint(KeyPurpose::Encryption, key),
                )
            })
            .collect();
        out.push((
            KeyPurpose::BlindIndex,
            1,
            fingerprint(KeyPurpose::BlindIndex, &self.blind_index),
        ));
        out.push((
            KeyPurpose::TokenSigning,
            1,
            fingerprint(KeyPurpose::TokenSigning, &self.token_signing),
        ));
        out
    }

    /// Records the fingerprints of keys the database has not seen, then compares: returns one
    /// line per key the database depends on that this key ring lacks or has different.
    pub fn register_and_verify(&self, conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
        let now = Timestamp::now();
        for (purpose, key_id, fp) in self.fingerprints() {
            let row = (
                key_fingerprints::id.eq(DbUuid::new_v7()),
                key_fingerprints::purpose.eq(purpose.as_str()),
                key_fingerprints::key_id.eq(key_id as i32),
                key_fingerprints::fingerprint.eq(fp),
                key_fingerprints::created_at.eq(now),
            );
            // Several nodes may start at once: the first to record a key wins, the others
            // compare against it below.
            let insert = diesel::insert_into(key_fingerprints::table).values(row);
            match conn {
                DbConnection::Pg(c) => insert.on_conflict_do_nothing().execute(c),
                DbConnection::Sqlite(c) => insert.on_conflict_do_nothing().execute(c),
            }
            .context("recording key fingerprints")?;
        }
        self.verify(conn)
    }

    /// [`KeyRing::register_and_verify`], failing with every mismatch named: for start-up and
    /// operator commands, which must not touch data under keys they do not hold.
    pub fn ensure_matches(&self, conn: &mut DbConnection) -> anyhow::Result<()> {
        let problems = self.register_and_verify(conn)?;
        if !problems.is_empty() {
            bail!(
                "the keys do not match the data in this database: {}. Use the key file this \
                 database was created with.",
                problems.join("; ")
            );
        }
        Ok(())
    }

    /// Compares the recorded fingerprints with this key ring, without writing.
    pub fn verify(&self, conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
        let recorded: Vec<(String, i32, String)> = key_fingerprints::table
            .select((
                key_fingerprints::purpose,
                key_fingerprints::key_id,
                key_fingerprints::fingerprint,
            ))
            .order((key_fingerprints::purpose, key_fingerprints::key_id))
            .load(conn)
            .context("reading key fingerprints")?;
        let ours = self.fingerprints();
        let mut problems = Vec::new();
        for (purpose, key_id, fp) in recorded {
            match ours
                .iter()
                .find(|(p, id, _)| p.as_str() == purpose && *id as i32 == key_id)
            {
                None => problems.push(format!(
                    "{purpose} key {key_id} is missing from the key ring"
                )),
                Some((_, _, our_fp)) if *our_fp != fp => problems.push(format!(
                    "{purpose} key {key_id} differs from the one the data uses"
                )),
                Some(_) => {}
            }
        }
        Ok(problems)
    }
}

/// Adds a new encryption key to a key file and makes it the primary key; returns its id. The
/// older keys stay, so everything encrypted under them still decrypts.
pub fn add_encryption_key(path: &Path) -> anyhow::Result<u32> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the key file {}", path.display()))?;
    // Parse fully first: never rewrite a file we could not read.
    KeyRing::parse(&text, KeySource::File(path.to_path_buf()))?;
    let mut file: KeyFile = serde_json::from_str(&text)?;
    let id = file.encryption_keys.iter().map(|k| k.id).max().unwrap_or(0) + 1;
    file.encryption_keys.push(KeyFileEntry {
        id,
        key: random_key_b64(),
    });
    file.primary_encryption_key = id;
    write_private_file(path, &serde_json::to_string_pretty(&file)?)?;
    Ok(id)
}

/// A short, non-reversible identifier of a key, safe to store and to print.
fn fingerprint(purpose: KeyPurpose, key: &Key) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"examcloud-key-fingerprint-v1\0");
    hasher.update(purpose.as_str().as_bytes());
    hasher.update(b"\0");
    hasher.update(key.expose_secret());
    hex::encode(&hasher.finalize()[..8])
}

fn decode_key(b64: &str) -> anyhow::Result<Key> {
    let bytes = B64.decode(b64.trim()).context("not valid base64")?;
    let array: [u8; 32] = bytes
        .try_into()
        .map_err(|b: Vec<u8>| anyhow::anyhow!("must be 32 bytes, found {}", b.len()))?;
    Ok(SecretBox::new(Box::new(array)))
}

fn random_key_b64() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    B64.encode(bytes)
}

/// A fresh key file with one key per purpose.
pub fn generate_key_file() -> anyhow::Result<String> {
    let file = KeyFile {
        format: 1,
        encryption_keys: vec![KeyFileEntry {
            id: 1,
            key: random_key_b64(),
        }],
        primary_encryption_key: 1,
        blind_index_key: random_key_b64(),
        token_signing_key: random_key_b64(),
    };
    Ok(serde_json::to_string_pretty(&file)?)
}

/// Writes a file readable by its owner only, atomically (temporary file, then rename).
pub fn write_private_file(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let tmp = dir.join(format!(".keys-{}.tmp", uuid::Uuid::now_v7().simple()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options
        .open(&tmp)
        .with_context(|| format!("creating {}", tmp.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("writing the key file {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(dir: &Path) -> KeySettings {
        KeySettings {
            file: dir.join("k/keys.json"),
            generate_if_missing: true,
            inline: None,
        }
    }

    #[test]
    fn a_missing_key_file_is_generated_once_and_then_reused() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let s = settings(dir.path());
        let first = KeyRing::load(&s)?;
        assert!(matches!(first.source(), KeySource::Generated(_)));
        let second = KeyRing::load(&s)?;
        assert!(matches!(second.source(), KeySource::File(_)));
        assert_eq!(first.fingerprints(), second.fingerprints());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&s.file)?.permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        Ok(())
    }

    #[test]
    fn generation_can_be_forbidden() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let s = KeySettings {
            generate_if_missing: false,
            ..settings(dir.path())
        };
        let err = KeyRing::load(&s)
            .err()
            .map(|e| format!("{e:#}"))
            .unwrap_or_default();
        assert!(err.contains("does not exist"), "{err}");
        assert!(!s.file.exists());
        Ok(())
    }

    #[test]
    fn malformed_key_files_are_rejected_with_the_reason() {
        let bad = [
            ("{}", "not a valid key file"),
            (
                r#"{"format":1,"encryption_keys":[{"id":1,"key":"AAAA"}],"primary_encryption_key":1,"blind_index_key":"","token_signing_key":""}"#,
                "must be 32 bytes",
            ),
            (
                r#"{"format":1,"encryption_keys":[],"primary_encryption_key":1,"blind_index_key":"","token_signing_key":""}"#,
                "primary encryption key 1 is not in the file",
            ),
        ];
        for (text, expected) in bad {
            let err = KeyRing::parse(text, KeySource::Inline)
                .err()
                .map(|e| format!("{e:#}"));
            let err = err.unwrap_or_default();
            assert!(err.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn fingerprints_differ_per_key_and_purpose_and_reveal_nothing() -> anyhow::Result<()> {
        let ring = KeyRing::parse(&generate_key_file()?, KeySource::Inline)?;
        let fps = ring.fingerprints();
        assert_eq!(fps.len(), 3);
        let mut unique: Vec<_> = fps.iter().map(|f| f.2.clone()).collect();
        unique.dedup();
        assert_eq!(unique.len(), 3);
        assert!(!format!("{ring:?}").contains(&B64.encode(ring.blind_index_key().expose_secret())));
        Ok(())
    }
}
