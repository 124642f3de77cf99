//! AES-256-GCM field encryption with key ids and row-bound associated data.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use rand::RngCore;
use secrecy::ExposeSecret;

use crate::keys::KeyRing;

const FORMAT_V1: u8 = 1;
const HEADER_LEN: usize = 1 + 4 + 12;

/// Encryptions per key after which the key must be rotated (see the module docs).
pub const ROTATION_THRESHOLD: u64 = 1 << 31;

/// What a ciphertext is bound to. A ciphertext made for one `Aad` never decrypts under another.
#[derive(Debug, Clone, Copy)]
pub struct Aad<'a> {
    pub table: &'a str,
    pub column: &'a str,
    /// The row's primary key in its canonical text form.
    pub row_id: &'a str,
}

impl Aad<'_> {
    fn bytes(&self) -> Vec<u8> {
        // Length-prefixed parts: no two different (table, column, row) give the same bytes.
        let mut out =
            Vec::with_capacity(16 + self.table.len() + self.column.len() + self.row_id.len());
        out.extend_from_slice(b"examcloud-field-v1");
        for part in [self.table, self.column, self.row_id] {
            out.extend_from_slice(&(part.len() as u32).to_be_bytes());
            out.extend_from_slice(part.as_bytes());
        }
        out
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("ciphertext is malformed")]
    Malformed,
    #[error("ciphertext uses key {0}, which is not in the key ring")]
    UnknownKey(u32),
    #[error("ciphertext does not authenticate (wrong key, row, column, or tampered)")]
    Authentication,
    #[error("decrypted value is not UTF-8")]
    NotUtf8,
    #[error("encryption failed (value too long)")]
    Encrypt,
}

/// Encrypts and decrypts fields with the key ring's keys. Cheap to clone.
#[derive(Clone)]
pub struct FieldCipher {
    inner: Arc<Inner>,
}

struct Inner {
    ciphers: BTreeMap<u32, Aes256Gcm>,
    primary: u32,
    /// Encryptions made by this process per key id since start (the database holds the total).
    uses: BTreeMap<u32, AtomicU64>,
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldCipher")
            .field("primary", &self.inner.primary)
            .finish_non_exhaustive()
    }
}

impl FieldCipher {
    pub fn new(keys: &KeyRing) -> FieldCipher {
        let mut ciphers = BTreeMap::new();
        let mut uses = BTreeMap::new();
        for id in keys.encryption_key_ids() {
            if let Some(key) = keys.encryption_key(id) {
                ciphers.insert(id, Aes256Gcm::new(key.expose_secret().into()));
                uses.insert(id, AtomicU64::new(0));
            }
        }
        FieldCipher {
            inner: Arc::new(Inner {
                ciphers,
                primary: keys.primary_encryption_key_id(),
                uses,
            }),
        }
    }

    /// The key new ciphertexts are made with.
    pub fn primary_key_id(&self) -> u32 {
        self.inner.primary
    }

    /// Encrypts under the primary key.
    pub fn encrypt(&self, plaintext: &str, aad: Aad<'_>) -> Result<Vec<u8>, CryptoError> {
        self.encrypt_with(self.inner.primary, plaintext.as_bytes(), aad)
    }

    fn encrypt_with(
        &self,
        key_id: u32,
        plaintext: &[u8],
        aad: Aad<'_>,
    ) -> Result<Vec<u8>, CryptoError> {
        let cipher = self
            .inner
            .ciphers
            .get(&key_id)
            .ok_or(CryptoError::UnknownKey(key_id))?;
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad.bytes(),
                },
            )
            .map_err(|_| CryptoError::Encrypt)?;
        if let Some(counter) = self.inner.uses.get(&key_id) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        let mut out = Vec::with_capacity(HEADER_LEN + sealed.len());
        out.push(FORMAT_V1);
        out.extend_from_slice(&key_id.to_be_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Decrypts a value made by [`FieldCipher::encrypt`] for the same `aad`, under whichever key
    /// of the ring made it.
    pub fn decrypt(&self, ciphertext: &[u8], aad: Aad<'_>) -> Result<String, CryptoError> {
        let bytes = self.decrypt_bytes(ciphertext, aad)?;
        String::from_utf8(bytes).map_err(|_| CryptoError::NotUtf8)
    }

    fn decrypt_bytes(&self, ciphertext: &[u8], aad: Aad<'_>) -> Result<Vec<u8>, CryptoError> {
        let key_id = key_id_of(ciphertext)?;
        let cipher = self
            .inner
            .ciphers
            .get(&key_id)
            .ok_or(CryptoError::UnknownKey(key_id))?;
        cipher
            .decrypt(
                Nonce::from_slice(&ciphertext[5..HEADER_LEN]),
                Payload {
                    msg: &ciphertext[HEADER_LEN..],
                    aad: &aad.bytes(),
                },
            )
            .map_err(|_| CryptoError::Authentication)
    }

    /// Re-encrypts under the primary key if the value is under another key; `None` when it is
    /// already under the primary key. Used by key rotation.
    pub fn reencrypt(
        &self,
        ciphertext: &[u8],
        aad: Aad<'_>,
    ) -> Result<Option<Vec<u8>>, CryptoError> {
        if key_id_of(ciphertext)? == self.inner.primary {
            return Ok(None);
        }
        let plain = self.decrypt_bytes(ciphertext, aad)?;
        self.encrypt_with(self.inner.primary, &plain, aad).map(Some)
    }

    /// Takes (and resets) the per-key counts of encryptions made since the last call, for the
    /// caller to add to the persistent totals.
    pub fn take_use_counts(&self) -> Vec<(u32, u64)> {
        self.inner
            .uses
            .iter()
            .map(|(id, n)| (*id, n.swap(0, Ordering::Relaxed)))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

impl FieldCipher {
    /// Puts counts taken by [`FieldCipher::take_use_counts`] back (their flush failed).
    pub fn restore_use_counts(&self, counts: &[(u32, u64)]) {
        for (id, n) in counts {
            if let Some(c) = self.inner.uses.get(id) {
                c.fetch_add(*n, Ordering::Relaxed);
            }
        }
    }
}

/// The key id a ciphertext was made with.
pub fn key_id_of(ciphertext: &[u8]) -> Result<u32, CryptoError> {
    if ciphertext.len() < HEADER_LEN + 16 || ciphertext[0] != FORMAT_V1 {
        return Err(CryptoError::Malformed);
    }
    let mut id = [0u8; 4];
    id.copy_from_slice(&ciphertext[1..5]);
    Ok(u32::from_be_bytes(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeyRing, generate_key_file};

    fn ring() -> KeyRing {
        KeyRing::from_json(&generate_key_file().unwrap()).unwrap()
    }

    const AAD: Aad<'static> = Aad {
        table: "candidates",
        column: "phone",
        row_id: "0193-a",
    };

    #[test]
    fn round_trips_and_hides_the_plaintext() {
        let c = FieldCipher::new(&ring());
        let ct = c.encrypt("+8613800138000", AAD).unwrap();
        assert!(!ct.windows(5).any(|w| w == b"13800"));
        assert_eq!(c.decrypt(&ct, AAD).unwrap(), "+8613800138000");
        // Random nonces: the same value encrypts differently each time.
        assert_ne!(c.encrypt("+8613800138000", AAD).unwrap(), ct);
        assert_eq!(c.take_use_counts(), vec![(1, 2)]);
        assert_eq!(c.take_use_counts(), vec![]);
    }

    #[test]
    fn a_ciphertext_moved_to_another_row_column_or_table_fails() {
        let c = FieldCipher::new(&ring());
        let ct = c.encrypt("张三", AAD).unwrap();
        for other in [
            Aad {
                row_id: "0193-b",
                ..AAD
            },
            Aad {
                column: "email",
                ..AAD
            },
            Aad {
                table: "orgs",
                ..AAD
            },
        ] {
            assert_eq!(c.decrypt(&ct, other), Err(CryptoError::Authentication));
        }
    }

    #[test]
    fn tampering_and_garbage_are_rejected() {
        let c = FieldCipher::new(&ring());
        let mut ct = c.encrypt("a@b.cn", AAD).unwrap();
        let last = ct.len() - 1;
        ct[last] ^= 1;
        assert_eq!(c.decrypt(&ct, AAD), Err(CryptoError::Authentication));
        assert_eq!(c.decrypt(b"short", AAD), Err(CryptoError::Malformed));
        let other = FieldCipher::new(&ring());
        let foreign = other.encrypt("a@b.cn", AAD).unwrap();
        assert_eq!(c.decrypt(&foreign, AAD), Err(CryptoError::Authentication));
    }
}
