//! Report periods: the ISO week (Monday 00:00 to the next Monday 00:00, local time) and the
//! calendar month, with their Chinese labels and file-name stems.

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Week { year: i32, week: u32 },
    Month { year: i32, month: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PeriodError(String);

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight exists")
}

/// "2025年1月27日"
pub fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// "2025年1月27日 08:05"
pub fn zh_datetime(t: NaiveDateTime) -> String {
    format!("{} {}", zh_date(t.date()), t.format("%H:%M"))
}

/// A time as the database writes it (`2025-02-28 08:05:00`), in prose.
pub fn zh_stored(text: &str) -> String {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S%.f")
        .map(zh_datetime)
        .unwrap_or_else(|_| text.to_string())
}

/// The years a date or a period may be in: the program's dates and SQL work with these,
/// and anything outside is a typing error (`0000-W01`, `9999-12-31`).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

fn check_year(year: i32, text: &str) -> Result<(), PeriodError> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(PeriodError(format!(
            "\"{text}\" is in the year {year}, outside the years {}–{} this program handles",
            YEARS.start(),
            YEARS.end()
        )))
    }
}

/// A day written `YYYY-MM-DD`, in the years the program handles (for `--as-of`).
pub fn parse_day(text: &str) -> Result<NaiveDate, PeriodError> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        PeriodError(format!(
            "\"{text}\" is not a day: write it as YYYY-MM-DD, e.g. 2025-01-31"
        ))
    })?;
    check_year(day.year(), text)?;
    Ok(day)
}

impl Period {
    /// `2025-W05` (ISO week-numbering year and week).
    pub fn parse_week(text: &str) -> Result<Period, PeriodError> {
        let bad = || {
            PeriodError(format!(
                "\"{text}\" is not a week: write it as YYYY-Www, e.g. 2025-W05"
            ))
        };
        let (y, w) = text.trim().split_once("-W").ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let week: u32 = w.parse().map_err(|_| bad())?;
        check_year(year, text)?;
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .ok_or_else(|| PeriodError(format!("{year} has no ISO week {week}")))?;
        Ok(Period::Week { year, week })
    }

    /// `2025-01`.
    pub fn parse_month(text: &str) -> Result<Period, PeriodError> {
        let bad = || {
            PeriodError(format!(
                "\"{text}\" is not a month: write it as YYYY-MM, e.g. 2025-01"
            ))
        };
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || y.len() != 4 {
            return Err(bad());
        }
        check_year(year, text)?;
        Ok(Period::Month { year, month })
    }

    /// The week containing `day`.
    pub fn week_of(day: NaiveDate) -> Period {
        let iso = day.iso_week();
        Period::Week {
            year: iso.year(),
            week: iso.week(),
        }
    }

    pub fn month_of(day: NaiveDate) -> Period {
        Period::Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The period a scheduled report job covers when it runs at `instant`: the last full
    /// week for the weekly report, the last month for the monthly review; None for the
    /// jobs that cover no period.
    pub fn due_for(job: crate::codes::JobName, instant: NaiveDateTime) -> Option<Period> {
        use crate::codes::JobName;
        match job {
            JobName::Weekly => Some(Period::last_full_week(instant)),
            JobName::Monthly => Some(Period::last_month(instant)),
            _ => None,
        }
    }

    /// The last week that has fully ended before `now`.
    pub fn last_full_week(now: NaiveDateTime) -> Period {
        Period::week_of(now.date() - Duration::days(7))
    }

    /// The last month that has fully ended before `now`.
    pub fn last_month(now: NaiveDateTime) -> Period {
        Period::month_of(
            now.date()
                .with_day(1)
                .expect("first of month")
                .pred_opt()
                .expect("a day before"),
        )
    }

    pub fn first_day(self) -> NaiveDate {
        match self {
            Period::Week { year, week } => {
                NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).expect("validated week")
            }
            Period::Month { year, month } => {
                NaiveDate::from_ymd_opt(year, month, 1).expect("validated month")
            }
        }
    }

    /// The first day after the period.
    pub fn end_day(self) -> NaiveDate {
        match self {
            Period::Week { .. } => self.first_day() + Duration::days(7),
            Period::Month { year, month } => {
                let (y, m) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).expect("valid month")
            }
        }
    }

    /// Start instant (inclusive).
    pub fn start(self) -> NaiveDateTime {
        midnight(self.first_day())
    }

    /// End instant (exclusive): also the as-of instant of the period's reports.
    pub fn end(self) -> NaiveDateTime {
        midnight(self.end_day())
    }

    pub fn last_day(self) -> NaiveDate {
        self.end_day().pred_opt().expect("a day before")
    }

    pub fn previous(self) -> Period {
        match self {
            Period::Week { .. } => Period::week_of(self.first_day() - Duration::days(7)),
            Period::Month { .. } => Period::month_of(self.first_day() - Duration::days(1)),
        }
    }

    /// `2025-W05` or `2025-01`: file names and command lines.
    pub fn stem(self) -> String {
        match self {
            Period::Week { year, week } => format!("{year}-W{week:02}"),
            Period::Month { year, month } => format!("{year}-{month:02}"),
        }
    }

    /// `2025年第5周` or `2025年1月`.
    pub fn label(self) -> String {
        match self {
            Period::Week { year, week } => format!("{year}年第{week}周"),
            Period::Month { year, month } => format!("{year}年{month}月"),
        }
    }

    /// `2025年第5周（1月27日—2月2日）` or `2025年1月`.
    pub fn long_label(self) -> String {
        match self {
            Period::Week { .. } => {
                let (a, b) = (self.first_day(), self.last_day());
                format!(
                    "{}（{}月{}日—{}月{}日）",
                    self.label(),
                    a.month(),
                    a.day(),
                    b.month(),
                    b.day()
                )
            }
            Period::Month { .. } => self.label(),
        }
    }

    /// The days of the period.
    pub fn days(self) -> Vec<NaiveDate> {
        self.first_day()
            .iter_days()
            .take_while(|d| *d < self.end_day())
            .collect()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.stem())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks() {
        let w = Period::parse_week("2025-W05").unwrap();
        assert_eq!(w.first_day(), NaiveDate::from_ymd_opt(2025, 1, 27).unwrap());
        assert_eq!(w.end_day(), NaiveDate::from_ymd_opt(2025, 2, 3).unwrap());
        assert_eq!(w.long_label(), "2025年第5周（1月27日—2月2日）");
        assert_eq!(w.stem(), "2025-W05");
        assert_eq!(w.previous(), Period::parse_week("2025-W04").unwrap());
        // ISO week 1 of 2025 starts on 2024-12-30.
        assert_eq!(
            Period::parse_week("2025-W01").unwrap().first_day(),
            NaiveDate::from_ymd_opt(2024, 12, 30).unwrap()
        );
        assert!(Period::parse_week("2025-W54").is_err());
        assert!(Period::parse_week("2025-05").is_err());
    }

    #[test]
    fn months() {
        let m = Period::parse_month("2024-12").unwrap();
        assert_eq!(m.end_day(), NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
        assert_eq!(m.label(), "2024年12月");
        assert_eq!(m.previous(), Period::parse_month("2024-11").unwrap());
        assert!(Period::parse_month("2024-13").is_err());
    }

    #[test]
    fn defaults_are_the_last_full_periods() {
        let monday_morning = NaiveDate::from_ymd_opt(2025, 2, 3)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap();
        assert_eq!(Period::last_full_week(monday_morning).stem(), "2025-W05");
        assert_eq!(Period::last_month(monday_morning).stem(), "2025-01");
        let sunday_night = NaiveDate::from_ymd_opt(2025, 2, 2)
            .unwrap()
            .and_hms_opt(23, 0, 0)
            .unwrap();
        assert_eq!(Period::last_full_week(sunday_night).stem(), "2025-W04");
    }
}
