//! The per-API-key request limit, checked by `tenancy`'s `OrgScope` extractor on every request
//! made with a key.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::db::types::DbUuid;

/// Per-key request limits: a token bucket per key that refills `limit` requests a minute.
/// Kept per node: behind a load balancer with N nodes a key gets at most N times its limit.
#[derive(Debug, Default)]
pub struct ApiKeyLimiter {
    buckets: Mutex<HashMap<DbUuid, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl ApiKeyLimiter {
    /// Takes one request from the key's bucket, or says how many seconds until one is free.
    pub fn check(&self, key: DbUuid, limit_per_minute: i32) -> Result<(), u64> {
        let capacity = f64::from(limit_per_minute.max(1));
        let per_sec = capacity / 60.0;
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_sec).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - bucket.tokens) / per_sec).ceil();
            // Bounded by 60 s / limit, so the cast cannot overflow.
            Err((wait as u64).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_allows_the_limit_then_asks_to_wait() {
        let limiter = ApiKeyLimiter::default();
        let key = DbUuid::new_v7();
        for _ in 0..5 {
            assert!(limiter.check(key, 5).is_ok());
        }
        let wait = limiter.check(key, 5).unwrap_err();
        assert!((1..=12).contains(&wait), "{wait}");
        // Another key has its own bucket.
        assert!(limiter.check(DbUuid::new_v7(), 5).is_ok());
    }
}
