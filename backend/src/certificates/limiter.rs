//! The public verification's request limit: a token bucket per client address (an IPv6
//! address by its /64), refilled at [`PER_MINUTE`] a minute. Numbers are unguessable anyway;
//! the limit keeps anyone from hammering the lookup. Kept per node, like the API key limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Lookups an address may make a minute (and in a burst).
pub const PER_MINUTE: f64 = 30.0;
/// Beyond this many addresses, full buckets are forgotten (they hold no information).
const MAX_TRACKED: usize = 10_000;

#[derive(Debug, Default)]
pub struct VerifyLimiter {
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl VerifyLimiter {
    /// Takes one lookup from `address`'s bucket, or says how many seconds until one is free.
    pub fn check(&self, address: &str) -> Result<(), u64> {
        let per_sec = PER_MINUTE / 60.0;
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > MAX_TRACKED {
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * per_sec < PER_MINUTE
            });
        }
        let (tokens, updated) = buckets
            .entry(address.to_owned())
            .or_insert((PER_MINUTE, now));
        *tokens = (*tokens + now.duration_since(*updated).as_secs_f64() * per_sec).min(PER_MINUTE);
        *updated = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            // At most 60 / PER_MINUTE seconds, so the cast cannot overflow.
            Err((((1.0 - *tokens) / per_sec).ceil() as u64).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_burst_then_waits_and_others_are_unaffected() {
        let limiter = VerifyLimiter::default();
        for _ in 0..30 {
            assert!(limiter.check("192.0.2.1").is_ok());
        }
        assert!(limiter.check("192.0.2.1").is_err());
        assert!(limiter.check("192.0.2.2").is_ok());
    }
}
