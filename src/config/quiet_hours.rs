//! Quiet hours (`notify.quiet_hours = "22:00-07:00"`): when a warning found in them is
//! held until. Pure values; the clock comes in as an argument.

use chrono::{NaiveDateTime, NaiveTime};

/// A daily quiet period, which may span midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// Reads `"22:00-07:00"`; the error says what is wrong in the words of the person
    /// editing the config.
    pub fn parse(text: &str) -> Result<QuietHours, String> {
        let shape = || {
            format!(
                "\"{text}\" is not a time range: write it as \"HH:MM-HH:MM\", e.g. \"22:00-07:00\""
            )
        };
        let (a, b) = text.split_once('-').ok_or_else(shape)?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| shape());
        let (start, end) = (time(a)?, time(b)?);
        if start == end {
            return Err(format!(
                "\"{text}\" starts and ends at the same time: leave the key out for no quiet hours"
            ));
        }
        Ok(QuietHours { start, end })
    }

    /// The end of the quiet period `now` is in, or None when `now` is not in one.
    pub fn hold_until(&self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        let t = now.time();
        let today_end = now.date().and_time(self.end);
        if self.start < self.end {
            (self.start <= t && t < self.end).then_some(today_end)
        } else if t >= self.start {
            Some(today_end + chrono::Duration::days(1))
        } else if t < self.end {
            Some(today_end)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn a_night_that_spans_midnight_ends_the_next_morning() {
        let q = QuietHours::parse("22:00-07:00").unwrap();
        assert_eq!(q.hold_until(at("2025-03-01 21:59:59")), None);
        assert_eq!(
            q.hold_until(at("2025-03-01 22:00:00")),
            Some(at("2025-03-02 07:00:00"))
        );
        assert_eq!(
            q.hold_until(at("2025-03-02 06:59:59")),
            Some(at("2025-03-02 07:00:00"))
        );
        assert_eq!(q.hold_until(at("2025-03-02 07:00:00")), None);
    }

    #[test]
    fn a_period_within_a_day_ends_that_day() {
        let q = QuietHours::parse("12:00-14:00").unwrap();
        assert_eq!(
            q.hold_until(at("2025-03-01 12:30:00")),
            Some(at("2025-03-01 14:00:00"))
        );
        assert_eq!(q.hold_until(at("2025-03-01 14:00:00")), None);
        assert_eq!(q.hold_until(at("2025-03-01 11:00:00")), None);
    }

    #[test]
    fn bad_ranges_say_how_to_write_them() {
        assert_eq!(
            QuietHours::parse("22-7").unwrap_err(),
            "\"22-7\" is not a time range: write it as \"HH:MM-HH:MM\", e.g. \"22:00-07:00\""
        );
        assert!(QuietHours::parse("07:00-07:00")
            .unwrap_err()
            .contains("same time"));
        assert!(QuietHours::parse("25:00-07:00").is_err());
    }
}
