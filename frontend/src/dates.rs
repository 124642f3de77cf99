//! Dates and times as the user reads and types them, in the browser's time zone: instants from
//! the API shown in local time, the local days picked in a date input turned into the
//! instants the API filters by, and the local times of a `datetime-local` input turned into
//! RFC 3339 instants (and back).

use shared::Lang;
use wasm_bindgen::JsValue;
use web_sys::js_sys::Date;

/// An RFC 3339 instant from the API in local time and the user's language; the text as it is
/// when the browser cannot read it.
pub fn format_local(rfc3339: &str, lang: Lang) -> String {
    let date = Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    date.to_locale_string(lang.tag(), &JsValue::UNDEFINED)
        .into()
}

/// A calendar day as a date input gives it (`2026-05-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    year: i32,
    month: u32,
    day: u32,
}

impl Day {
    /// Parses `YYYY-MM-DD`; `None` for anything else, including days that do not exist.
    pub fn parse(text: &str) -> Option<Day> {
        let mut parts = text.trim().splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Day { year, month, day })
    }

    /// The day after.
    pub fn next(self) -> Day {
        if self.day < days_in_month(self.year, self.month) {
            Day {
                day: self.day + 1,
                ..self
            }
        } else if self.month < 12 {
            Day {
                month: self.month + 1,
                day: 1,
                ..self
            }
        } else {
            Day {
                year: self.year + 1,
                month: 1,
                day: 1,
            }
        }
    }

    /// The instant this day starts in the browser's time zone, as RFC 3339.
    pub fn local_start(self) -> String {
        // Months count from 0 in JavaScript. The offset is that of this very day, so a day on
        // the other side of a daylight-saving change gets its own.
        let local =
            Date::new_with_year_month_day(self.year as u32, self.month as i32 - 1, self.day as i32);
        self.start_with_offset(-(local.get_timezone_offset() as i32))
    }

    /// The instant this day starts at `offset_minutes` east of UTC, as RFC 3339.
    fn start_with_offset(self, offset_minutes: i32) -> String {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let offset = offset_minutes.unsigned_abs();
        format!(
            "{:04}-{:02}-{:02}T00:00:00{sign}{:02}:{:02}",
            self.year,
            self.month,
            self.day,
            offset / 60,
            offset % 60
        )
    }
}

/// A wall-clock time as a `datetime-local` input gives it (`2026-05-01T09:30`), in the
/// browser's time zone. Seconds, when the input carries them, are dropped: exam windows are
/// set to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalDateTime {
    day: Day,
    hour: u32,
    minute: u32,
}

impl LocalDateTime {
    /// Parses `YYYY-MM-DDTHH:MM` (optionally `:SS` or `:SS.sss` after it); `None` for anything
    /// else, including times that do not exist on a clock.
    pub fn parse(text: &str) -> Option<LocalDateTime> {
        let (date, time) = text.trim().split_once(['T', ' '])?;
        let day = Day::parse(date)?;
        let mut parts = time.splitn(3, ':');
        let hour = parts.next().filter(|h| h.len() == 2)?.parse().ok()?;
        let minute = parts.next().filter(|m| m.len() == 2)?.parse().ok()?;
        if let Some(seconds) = parts.next() {
            let whole = seconds.split('.').next().unwrap_or_default();
            let valid = whole.len() == 2 && whole.parse::<u32>().is_ok_and(|s| s < 60);
            if !valid {
                return None;
            }
        }
        (hour < 24 && minute < 60).then_some(LocalDateTime { day, hour, minute })
    }

    /// This moment in the browser's time zone, as RFC 3339 with that zone's offset at that
    /// moment (so a time across a daylight-saving change gets its own offset).
    pub fn to_local_rfc3339(self) -> String {
        let local = Date::new_with_year_month_day_hr_min(
            self.day.year as u32,
            self.day.month as i32 - 1,
            self.day.day as i32,
            self.hour as i32,
            self.minute as i32,
        );
        self.with_offset(-(local.get_timezone_offset() as i32))
    }

    /// This moment at `offset_minutes` east of UTC, as RFC 3339.
    pub fn with_offset(self, offset_minutes: i32) -> String {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let offset = offset_minutes.unsigned_abs();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:00{sign}{:02}:{:02}",
            self.day.year,
            self.day.month,
            self.day.day,
            self.hour,
            self.minute,
            offset / 60,
            offset % 60
        )
    }

    /// The value a `datetime-local` input takes for this time.
    pub fn input_value(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            self.day.year, self.day.month, self.day.day, self.hour, self.minute
        )
    }
}

/// The `datetime-local` value showing an RFC 3339 instant in the browser's time zone; `None`
/// when the browser cannot read it.
pub fn local_input_value(rfc3339: &str) -> Option<String> {
    let date = Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return None;
    }
    let day = Day {
        year: date.get_full_year() as i32,
        month: date.get_month() + 1,
        day: date.get_date(),
    };
    let time = LocalDateTime {
        day,
        hour: date.get_hours(),
        minute: date.get_minutes(),
    };
    Some(time.input_value())
}

/// Milliseconds since the Unix epoch of an RFC 3339 instant, as JavaScript counts them;
/// `None` when the browser cannot read it.
pub fn epoch_millis(rfc3339: &str) -> Option<f64> {
    let millis = Date::parse(rfc3339);
    (!millis.is_nan()).then_some(millis)
}

/// The browser's clock, in milliseconds since the Unix epoch.
pub fn now_millis() -> f64 {
    Date::now()
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::{Day, LocalDateTime};

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn only_real_days_parse() {
        assert!(Day::parse("2026-05-01").is_some());
        assert!(Day::parse("2024-02-29").is_some());
        for bad in [
            "",
            "2026-5",
            "2026-13-01",
            "2026-02-29",
            "2026-04-31",
            "x-01-01",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
        assert!(day("2026-05-01") < day("2026-05-02"));
    }

    #[test]
    fn the_next_day_rolls_over_months_and_years() {
        assert_eq!(day("2026-05-01").next(), day("2026-05-02"));
        assert_eq!(day("2026-04-30").next(), day("2026-05-01"));
        assert_eq!(day("2024-02-28").next(), day("2024-02-29"));
        assert_eq!(day("2026-02-28").next(), day("2026-03-01"));
        assert_eq!(day("2026-12-31").next(), day("2027-01-01"));
    }

    #[test]
    fn a_day_starts_at_local_midnight_with_its_offset() {
        assert_eq!(
            day("2026-05-01").start_with_offset(480),
            "2026-05-01T00:00:00+08:00"
        );
        assert_eq!(
            day("2026-01-09").start_with_offset(-330),
            "2026-01-09T00:00:00-05:30"
        );
        assert_eq!(
            day("2026-01-09").start_with_offset(0),
            "2026-01-09T00:00:00+00:00"
        );
    }

    #[test]
    fn only_real_local_times_parse() {
        for good in [
            "2026-05-01T09:30",
            "2026-05-01T23:59:59",
            "2026-05-01T00:00:00.000",
            "2026-05-01 09:30",
        ] {
            assert!(LocalDateTime::parse(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "2026-05-01",
            "2026-05-01T9:30",
            "2026-05-01T24:00",
            "2026-05-01T09:60",
            "2026-02-30T09:30",
            "2026-05-01T09:30:61",
            "2026-05-01T09:30:xx",
        ] {
            assert_eq!(LocalDateTime::parse(bad), None, "{bad}");
        }
        let early = LocalDateTime::parse("2026-05-01T09:30");
        let late = LocalDateTime::parse("2026-05-01T10:00");
        assert!(early < late);
    }

    #[test]
    fn a_local_time_becomes_rfc3339_with_its_offset() {
        let time = |text: &str| {
            LocalDateTime::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
        };
        assert_eq!(
            time("2026-05-01T09:30").with_offset(480),
            "2026-05-01T09:30:00+08:00"
        );
        assert_eq!(
            time("2026-12-31T23:05:42").with_offset(-330),
            "2026-12-31T23:05:00-05:30"
        );
        assert_eq!(
            time("2026-01-09T00:00").with_offset(0),
            "2026-01-09T00:00:00+00:00"
        );
        assert_eq!(time("2026-01-09 07:08").input_value(), "2026-01-09T07:08");
    }
}
