//! The exam countdown. The server's clock decides the deadline; the browser's clock may be
//! wrong by minutes, so the screen measures the difference from the `server_time` the server
//! sends with the attempt (taking the middle of the request's round trip as the moment the
//! server read its clock) and counts down on the corrected time.

/// The browser clock's error against the server's, in milliseconds (server − browser).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Skew(pub f64);

impl Skew {
    /// From the server's time and the browser's clock when the request left and when the
    /// answer arrived.
    pub fn measure(server_ms: f64, sent_ms: f64, received_ms: f64) -> Skew {
        Skew(server_ms - (sent_ms + received_ms) / 2.0)
    }

    /// Milliseconds left before `deadline_ms` (server time) at browser time `now_ms`.
    pub fn remaining_ms(self, deadline_ms: f64, now_ms: f64) -> f64 {
        (deadline_ms - (now_ms + self.0)).max(0.0)
    }
}

/// `h:mm:ss` (or `mm:ss` under an hour) for a countdown, rounding up so that "0:00" means the
/// time is really up.
pub fn countdown_text(remaining_ms: f64) -> String {
    let total = (remaining_ms / 1000.0).ceil().max(0.0) as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// Milliseconds since the epoch of an RFC 3339 time, as the server writes them.
pub fn parse_ms(rfc3339: &str) -> Option<f64> {
    let ms = web_sys::js_sys::Date::parse(rfc3339);
    (!ms.is_nan()).then_some(ms)
}

#[cfg(test)]
mod tests {
    use super::{Skew, countdown_text};

    #[test]
    fn a_fast_browser_clock_is_corrected() {
        // The browser is 90 s ahead: it sent at 100_000 and got the answer at 100_200 while
        // the server read 10_100.
        let skew = Skew::measure(10_100.0, 100_000.0, 100_200.0);
        assert_eq!(skew, Skew(-90_000.0));
        // Deadline 70_100 server time = 160_100 on the browser's clock.
        assert_eq!(skew.remaining_ms(70_100.0, 100_100.0), 60_000.0);
        assert_eq!(skew.remaining_ms(70_100.0, 200_000.0), 0.0);
    }

    #[test]
    fn the_countdown_rounds_up_and_shows_hours_when_needed() {
        assert_eq!(countdown_text(0.0), "00:00");
        assert_eq!(countdown_text(1.0), "00:01");
        assert_eq!(countdown_text(59_001.0), "01:00");
        assert_eq!(countdown_text(3_600_000.0), "1:00:00");
        assert_eq!(countdown_text(5_025_000.0), "1:23:45");
        assert_eq!(countdown_text(-5.0), "00:00");
    }
}
