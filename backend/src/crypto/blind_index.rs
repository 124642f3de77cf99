//! Blind indexes: keyed HMAC-SHA256 over a normalised value, for equality lookups of
//! encrypted fields.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;

use crate::keys::{Key, KeyRing};

/// What kind of value is indexed: the domain separator of the HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    Phone,
    Email,
    LoginAccount,
    /// A client IP address (rate limits without storing the address).
    Ip,
    /// A verification code, bound to its row: `"{row id}:{code}"`.
    VerificationCode,
    /// A person's name as registered for an exam (trimmed).
    PersonName,
    /// A resident ID number (upper-cased).
    IdNumber,
    /// The signature of an exam invite link: `"{exam id}:{candidate id}"`. Not an index but a
    /// MAC, derived from the same key under its own label, so the link can be shown again
    /// without being stored.
    InviteLink,
    /// The label a candidate sees for an option, item, prompt or answer id of a question in
    /// one attempt: `"{attempt}:{question}:{part}:{list}:{authored id}"`. A MAC, so labels
    /// say nothing about the authored ids (see `shared::labels`).
    CandidateLabel,
    /// A registration's resume token, bound to its row: `"{registration id}:{token}"`. Kept
    /// as this MAC only, so the database alone cannot be used to resume anyone.
    ResumeToken,
}

impl IndexKind {
    fn label(self) -> &'static [u8] {
        match self {
            IndexKind::Phone => b"phone",
            IndexKind::Email => b"email",
            IndexKind::LoginAccount => b"login_account",
            IndexKind::Ip => b"ip",
            IndexKind::VerificationCode => b"verification_code",
            IndexKind::PersonName => b"person_name",
            IndexKind::IdNumber => b"id_number",
            IndexKind::InviteLink => b"invite_link",
            IndexKind::CandidateLabel => b"candidate_label",
            IndexKind::ResumeToken => b"resume_token",
        }
    }
}

/// Holds the keyed HMAC state, not the raw key.
#[derive(Clone)]
pub struct BlindIndex {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for BlindIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlindIndex(..)")
    }
}

impl BlindIndex {
    pub fn new(keys: &KeyRing) -> BlindIndex {
        BlindIndex::from_key(keys.blind_index_key())
    }

    fn from_key(key: &Key) -> BlindIndex {
        // HMAC accepts keys of any length, so this cannot fail for a 32-byte key.
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.expose_secret())
            .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
        BlindIndex { mac }
    }

    /// The index of an already normalised value (normalising is the domain type's job:
    /// `CnMobile` gives E.164, `Email` lower-cases, and so on).
    pub fn compute(&self, kind: IndexKind, normalised: &str) -> Vec<u8> {
        let mut mac = self.mac.clone();
        mac.update(b"examcloud-blind-index-v1\0");
        mac.update(kind.label());
        mac.update(b"\0");
        mac.update(normalised.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

/// Equality of two MACs in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::generate_key_file;

    #[test]
    fn equal_values_match_and_kinds_are_separated() {
        let ring = KeyRing::from_json(&generate_key_file().unwrap()).unwrap();
        let bi = BlindIndex::new(&ring);
        let a = bi.compute(IndexKind::Email, "a@example.com");
        assert_eq!(a, bi.compute(IndexKind::Email, "a@example.com"));
        assert_ne!(a, bi.compute(IndexKind::Email, "b@example.com"));
        assert_ne!(a, bi.compute(IndexKind::LoginAccount, "a@example.com"));
        assert_eq!(a.len(), 32);
        let other = BlindIndex::new(&KeyRing::from_json(&generate_key_file().unwrap()).unwrap());
        assert_ne!(a, other.compute(IndexKind::Email, "a@example.com"));
    }
}
