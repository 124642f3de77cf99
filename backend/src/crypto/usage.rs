//! Per-key encryption counts. AES-GCM with random 96-bit nonces is safe for about 2^32
//! encryptions per key (NIST SP 800-38D, section 8.3); operators rotate at
//! [`ROTATION_THRESHOLD`](super::ROTATION_THRESHOLD) = 2^31, half of it. Every node counts its own encryptions in memory
//! ([`FieldCipher::take_use_counts`]) and adds them to the `key_usage` table every minute and at
//! shutdown; `GET /api/ready` reports the primary key's total against the threshold.

use diesel::prelude::*;

use super::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::key_usage;
use crate::db::types::Timestamp;

/// Adds this node's counts since the last flush to the totals. If the write fails the counts
/// are put back, to be added by the next flush.
pub fn flush(conn: &mut DbConnection, cipher: &FieldCipher) -> QueryResult<()> {
    let counts = cipher.take_use_counts();
    if counts.is_empty() {
        return Ok(());
    }
    let result = crate::db::transaction(conn, |conn| {
        let now = Timestamp::now();
        for (key, n) in &counts {
            let key = i32::try_from(*key).unwrap_or(i32::MAX);
            let n = i64::try_from(*n).unwrap_or(i64::MAX);
            let updated = diesel::update(key_usage::table.find(key))
                .set((
                    key_usage::encryptions.eq(key_usage::encryptions + n),
                    key_usage::updated_at.eq(now),
                ))
                .execute(conn)?;
            if updated == 0 {
                diesel::insert_into(key_usage::table)
                    .values((
                        key_usage::key_id.eq(key),
                        key_usage::encryptions.eq(n),
                        key_usage::updated_at.eq(now),
                    ))
                    .execute(conn)?;
            }
        }
        Ok::<_, diesel::result::Error>(())
    });
    if result.is_err() {
        // Keep them for the next flush.
        cipher.restore_use_counts(&counts);
    }
    result
}

/// The total encryptions made under `key` (0 if none recorded).
pub fn total(conn: &mut DbConnection, key: u32) -> QueryResult<i64> {
    Ok(key_usage::table
        .find(i32::try_from(key).unwrap_or(i32::MAX))
        .select(key_usage::encryptions)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}
