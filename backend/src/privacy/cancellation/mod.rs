//! Cancelling an organisation (privacy statement 5.3, 4.2.3): the owner asks, confirmed by a
//! code sent to their bound address (`handlers.rs`); a grace period follows (the
//! `[cancellation]` settings, 15 days by default) with a reminder before it ends, and the owner
//! can undo it until then; at its end the `org_cancellation` job (`erase.rs`) disables the
//! organisation and deletes or anonymises everything personal of it.

mod erase;
mod handlers;
mod notices;

pub use erase::{BATCH, ERASE_JOB, REMINDER_JOB, run_erase, run_reminder};
pub use handlers::{
    __path_cancel_org, __path_get_org_cancellation, __path_send_org_cancellation_code,
    __path_undo_org_cancellation, cancel_org, get_org_cancellation, send_org_cancellation_code,
    undo_org_cancellation,
};

/// Refuses settings outside their bounds, so a node with a wrong value does not start: a grace
/// period of 1–90 days, a reminder inside it.
pub fn check_settings(settings: &crate::settings::CancellationSettings) -> anyhow::Result<()> {
    if !(1..=90).contains(&settings.grace_days) {
        anyhow::bail!(
            "cancellation.grace_days must be 1 to 90 days, not {}",
            settings.grace_days
        );
    }
    if settings.reminder_days >= settings.grace_days {
        anyhow::bail!(
            "cancellation.reminder_days ({}) must be less than cancellation.grace_days ({})",
            settings.reminder_days,
            settings.grace_days
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::CancellationSettings;

    #[test]
    fn the_grace_period_and_its_reminder_are_bounded() {
        let ok = CancellationSettings {
            grace_days: 15,
            reminder_days: 3,
        };
        assert!(check_settings(&ok).is_ok());
        for (grace_days, reminder_days) in [(0, 0), (91, 3), (3, 3)] {
            let bad = CancellationSettings {
                grace_days,
                reminder_days,
            };
            assert!(
                check_settings(&bad).is_err(),
                "{grace_days} {reminder_days}"
            );
        }
    }
}
