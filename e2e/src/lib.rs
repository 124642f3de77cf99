//! Browser tests live in `tests/browser/`; this crate has no library code. They are a separate
//! crate so `cargo xtask test` can run them after building the SPA, and skip them with
//! `--no-browser` on machines without Chromium.
