//! The exam screen's machinery that is not a view: the offline queue of answers
//! ([`outbox`]), the countdown corrected for the browser clock's error ([`clock`]) and the
//! integrity watch that reports leaving the page, copy/paste and idleness ([`watch`]).

pub mod clock;
pub mod outbox;
pub mod watch;
