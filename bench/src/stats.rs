//! Latency percentiles.

use std::time::Duration;

/// p50/p95/p99/max of a sample, in milliseconds, as one line.
pub fn summary(name: &str, mut samples: Vec<Duration>) -> String {
    if samples.is_empty() {
        return format!("{name:<28} no samples");
    }
    samples.sort();
    let at = |p: f64| {
        let i = ((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1;
        samples[i].as_secs_f64() * 1000.0
    };
    format!(
        "{name:<28} n={:<5} p50={:>7.2} ms  p95={:>7.2} ms  p99={:>7.2} ms  max={:>7.2} ms",
        samples.len(),
        at(0.50),
        at(0.95),
        at(0.99),
        at(1.0)
    )
}
