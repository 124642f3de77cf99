//! The pause before the exam screen tries its queue again while the network or the server is
//! away: doubling from one second up to [`MAX_MS`], unless the server said how long to wait,
//! and back to the start once a save goes through. One retry is scheduled at a time.

/// The longest wait between two tries of the queue.
pub const MAX_MS: u64 = 8_000;

/// The shortest wait.
const MIN_MS: u64 = 1_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backoff {
    last_ms: u64,
    scheduled: bool,
}

impl Backoff {
    /// How long to wait before the next try (`wait_ms`, the server's `Retry-After`, when it
    /// said), or `None` when a retry is already scheduled.
    pub fn schedule(&mut self, wait_ms: Option<u64>) -> Option<u64> {
        if self.scheduled {
            return None;
        }
        self.scheduled = true;
        self.last_ms = (self.last_ms * 2).clamp(MIN_MS, MAX_MS);
        Some(wait_ms.unwrap_or(self.last_ms))
    }

    /// The scheduled retry is under way; another may be scheduled.
    pub fn fired(&mut self) {
        self.scheduled = false;
    }

    /// A save went through: the next pause starts short again.
    pub fn reset(&mut self) {
        self.last_ms = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::{Backoff, MAX_MS};

    #[test]
    fn pauses_double_from_a_second_up_to_the_maximum() {
        let mut backoff = Backoff::default();
        let mut waits = Vec::new();
        for _ in 0..5 {
            waits.push(backoff.schedule(None));
            backoff.fired();
        }
        assert_eq!(
            waits,
            [
                Some(1_000),
                Some(2_000),
                Some(4_000),
                Some(MAX_MS),
                Some(MAX_MS)
            ]
        );
    }

    #[test]
    fn only_one_retry_is_scheduled_at_a_time() {
        let mut backoff = Backoff::default();
        assert_eq!(backoff.schedule(None), Some(1_000));
        assert_eq!(backoff.schedule(None), None);
        backoff.fired();
        assert_eq!(backoff.schedule(None), Some(2_000));
    }

    #[test]
    fn the_servers_wait_wins_and_a_success_starts_over() {
        let mut backoff = Backoff::default();
        assert_eq!(backoff.schedule(Some(30_000)), Some(30_000));
        backoff.fired();
        assert_eq!(backoff.schedule(None), Some(2_000));
        backoff.fired();
        backoff.reset();
        assert_eq!(backoff.schedule(None), Some(1_000));
    }
}
