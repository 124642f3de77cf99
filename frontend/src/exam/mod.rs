//! The exam screen's machinery that is not a view: the offline queue of answers
//! ([`outbox`]) and the countdown corrected for the browser clock's error ([`clock`]).

pub mod clock;
pub mod outbox;
