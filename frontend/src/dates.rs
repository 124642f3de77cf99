//! Dates and times as the user reads and types them, in the browser's time zone: instants from
//! the API shown in local time, and the local days picked in a date input turned into the
//! instants the API filters by.

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
    use super::Day;

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
}
