//! The exam screen's machinery that is not a view: the offline queue of answers
//! ([`outbox`]) and its [`sender`] (with its [`backoff`] and the queue's [`save_state`]: saved,
//! saving, offline, …), the countdown corrected for the browser clock's error ([`clock`]) and
//! the integrity watch that reports leaving the page, copy/paste and idleness ([`watch`]).

pub mod backoff;
pub mod clock;
pub mod outbox;
pub mod save_state;
pub mod sender;
pub mod watch;
