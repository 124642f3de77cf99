//! The secrets that let people into an exam: the open-link token, the access code and the
//! invite tokens of assigned candidates.
//!
//! Invite tokens are not stored: a token is the exam and candidate ids with a MAC over them
//! (the blind-index key under its own label), so it can be listed again at any time and stops
//! working as soon as the exam closes or the assignment is gone.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::prelude::*;
use rand::Rng;

use crate::crypto::{BlindIndex, IndexKind, constant_time_eq};
use crate::db::DbConnection;
use crate::db::schema::exams;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;

/// A new open-link token: 128 random bits, URL-safe.
pub fn new_open_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new access code (10 characters of [`shared::exams::ACCESS_CODE_ALPHABET`], drawn from
/// the thread's CSPRNG) not used by another of the organisation's exams that are not closed.
pub fn new_access_code(
    conn: &mut DbConnection,
    org: DbUuid,
    now: Timestamp,
) -> Result<String, ModelError> {
    let alphabet = shared::exams::ACCESS_CODE_ALPHABET.as_bytes();
    for _ in 0..50 {
        let mut rng = rand::rng();
        let code: String = (0..shared::exams::ACCESS_CODE_LEN)
            .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
            .collect();
        let taken: i64 = exams::table
            .filter(exams::org_id.eq(org))
            .filter(exams::status.eq("active"))
            .filter(exams::closes_at.gt(now))
            .filter(exams::access_code.eq(&code))
            .count()
            .get_result(conn)?;
        if taken == 0 {
            return Ok(code);
        }
    }
    Err(anyhow::anyhow!("no free access code after 50 draws").into())
}

fn invite_mac(bidx: &BlindIndex, exam: DbUuid, candidate: DbUuid) -> Vec<u8> {
    let mut mac = bidx.compute(IndexKind::InviteLink, &format!("{exam}:{candidate}"));
    mac.truncate(16);
    mac
}

/// The invite token of an assigned candidate: exam id, candidate id, 128-bit MAC.
pub fn invite_token(bidx: &BlindIndex, exam: DbUuid, candidate: DbUuid) -> String {
    let mut bytes = Vec::with_capacity(48);
    bytes.extend_from_slice(exam.0.as_bytes());
    bytes.extend_from_slice(candidate.0.as_bytes());
    bytes.extend(invite_mac(bidx, exam, candidate));
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The (exam, candidate) of a genuine invite token.
pub fn parse_invite(bidx: &BlindIndex, token: &str) -> Option<(DbUuid, DbUuid)> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    if bytes.len() != 48 {
        return None;
    }
    let exam = DbUuid(uuid::Uuid::from_slice(&bytes[..16]).ok()?);
    let candidate = DbUuid(uuid::Uuid::from_slice(&bytes[16..32]).ok()?);
    constant_time_eq(&bytes[32..], &invite_mac(bidx, exam, candidate)).then_some((exam, candidate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeyRing, generate_key_file};

    #[test]
    fn invite_tokens_round_trip_and_resist_tampering() {
        let ring = KeyRing::from_json(&generate_key_file().unwrap()).unwrap();
        let bidx = BlindIndex::new(&ring);
        let (exam, cand) = (DbUuid::new_v7(), DbUuid::new_v7());
        let token = invite_token(&bidx, exam, cand);
        assert_eq!(parse_invite(&bidx, &token), Some((exam, cand)));
        // Another candidate's ids with this MAC do not pass.
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[16..32].copy_from_slice(DbUuid::new_v7().0.as_bytes());
        let forged = URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(parse_invite(&bidx, &forged), None);
        assert_eq!(parse_invite(&bidx, "garbage"), None);
        let other_keys =
            BlindIndex::new(&KeyRing::from_json(&generate_key_file().unwrap()).unwrap());
        assert_eq!(parse_invite(&other_keys, &token), None);
    }
}
