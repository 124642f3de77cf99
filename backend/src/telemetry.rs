//! Logging: `tracing` to stdout, human-readable or JSON. `RUST_LOG` overrides the configured
//! filter. Personal data never goes into a log line (see ARCHITECTURE.md).

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt;

use crate::settings::{LogFormat, LogSettings};

/// Installs the global subscriber. Calling it twice is harmless (the second call is ignored),
/// which lets tests spawn several servers in one process.
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let result = match settings.format {
        LogFormat::Json => fmt()
            .json()
            .with_env_filter(filter)
            .with_current_span(true)
            .try_init(),
        LogFormat::Pretty => fmt().with_env_filter(filter).try_init(),
    };
    // Already initialised: keep the first subscriber.
    drop(result);
}
