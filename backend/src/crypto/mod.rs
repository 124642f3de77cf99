//! Field-level encryption of personal data and blind indexes for looking it up.
//!
//! Every personal field (phone, email, names, ID numbers, addresses, bank data, IPs and user
//! agents in logs) is stored only as [`FieldCipher::encrypt`] output:
//!
//! ```text
//! byte 0      format version (1)
//! bytes 1..5  key id (u32, big endian) — which key of the ring encrypted it
//! bytes 5..17 random 96-bit nonce
//! bytes 17..  AES-256-GCM ciphertext and 16-byte tag
//! ```
//!
//! The associated data binds a ciphertext to its table, column and row id, so a value copied to
//! another row or column fails to decrypt instead of silently showing the wrong person's data.
//!
//! Nonces are random. With random 96-bit nonces the chance of a repeat stays below 2^-32 only
//! up to 2^32 encryptions under one key (NIST SP 800-38D §8.3), so every key counts its uses
//! and [`ROTATION_THRESHOLD`] (2^31, half the limit, leaving margin for counts not yet flushed)
//! is when operators must rotate; `/api/ready` and the rotation command report it.
//!
//! Lookups by an encrypted value use a blind index: HMAC-SHA256 under a separate key over the
//! normalised value, with the purpose as domain separator, so equal values are findable
//! without being readable, and the index of a phone never equals that of an email.

mod blind_index;
mod cipher;
pub mod usage;

pub use blind_index::{BlindIndex, IndexKind, constant_time_eq};
pub use cipher::{Aad, CryptoError, FieldCipher, ROTATION_THRESHOLD, key_id_of};
