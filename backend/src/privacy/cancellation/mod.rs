//! Cancelling an organisation (privacy statement 5.3, 4.2.3): the owner asks, confirmed by a
//! code sent to their bound address (`handlers.rs`); a grace period follows (the
//! `[cancellation]` settings, 15 days by default) with a reminder before it ends, and the owner
//! can undo it until then; at its end the `org_cancellation` job (`erase.rs`) disables the
//! organisation and deletes or anonymises everything personal of it.

mod erase;
mod handlers;

pub use erase::{BATCH, run_erase, run_reminder};
pub use handlers::{
    __path_cancel_org, __path_get_org_cancellation, __path_send_org_cancellation_code,
    __path_undo_org_cancellation, cancel_org, get_org_cancellation, send_org_cancellation_code,
    undo_org_cancellation,
};

/// The job that deletes the organisation's data at the end of the grace period.
pub const ERASE_JOB: &str = "org_cancellation";
/// The job that reminds the owner before that.
pub const REMINDER_JOB: &str = "org_cancellation_reminder";
