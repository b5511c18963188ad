//! What a report covers: its period, the as-of instant T, the previous period for
//! comparisons, its labels and the instant it is (or was due to be) made. Pure values.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::analysis::AsOf;
use crate::period::{zh_date, zh_datetime, Period};

/// What a report covers: a period and the as-of instant T (the period's end, or a chosen
/// day for a ledger).
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub start: NaiveDateTime,
    pub as_of: AsOf,
    pub previous_start: NaiveDateTime,
    /// `2025-W05`, `2025-01`, `2025-02-28`: the file name's period.
    pub stem: String,
    pub label: String,
    pub long_label: String,
    pub previous_label: &'static str,
    /// When the report is (or was due to be) made: printed as its generation time and
    /// stored as the PDF's creation date, so reruns give identical files.
    pub made_at: NaiveDateTime,
    pub period: Option<Period>,
    /// The case of a case sheet (案件单), and who leads it as printed on the sheet.
    pub sheet: Option<Sheet>,
}

/// What a case sheet is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub case_id: String,
    /// "大队长 张某某", or the role alone.
    pub lead: String,
}

impl Window {
    /// The weekly report of `period` (made the next Monday at 08:00).
    pub fn week(period: Period) -> Window {
        Window::of(period, "上周", chrono::Duration::hours(8))
    }

    /// The monthly review or ledger of `period` (made on the 1st at 08:30).
    pub fn month(period: Period) -> Window {
        Window::of(period, "上月", chrono::Duration::minutes(8 * 60 + 30))
    }

    /// A whole period, made `made_after` its end.
    fn of(period: Period, previous_label: &'static str, made_after: chrono::Duration) -> Window {
        Window {
            start: period.start(),
            as_of: AsOf(period.end()),
            previous_start: period.previous().start(),
            stem: period.stem(),
            label: period.label(),
            long_label: period.long_label(),
            previous_label,
            made_at: period.end() + made_after,
            period: Some(period),
            sheet: None,
        }
    }

    /// A ledger as of the end of `day`: the month up to that day.
    pub fn as_of_day(day: NaiveDate) -> Window {
        let as_of = AsOf::end_of_day(day);
        let month = Period::month_of(day);
        let start = month.start();
        let label = format!(
            "{}年{}月{}日—{}月{}日",
            start.year(),
            start.month(),
            start.day(),
            day.month(),
            day.day()
        );
        Window {
            start,
            as_of,
            previous_start: month.previous().start(),
            stem: day.format("%Y-%m-%d").to_string(),
            label: label.clone(),
            long_label: label,
            previous_label: "上月",
            made_at: as_of.0,
            period: None,
            sheet: None,
        }
    }

    /// The case sheet (案件单) of `case_id` as of `now`, when its warning is sent.
    pub fn case_sheet(case_id: &str, lead: &str, now: NaiveDateTime) -> Window {
        let mut window = Window::as_of_day(now.date());
        window.as_of = AsOf(now);
        window.made_at = now;
        window.stem = case_id.to_string();
        window.label = format!("截至{}", zh_datetime(now));
        window.long_label = window.label.clone();
        window.sheet = Some(Sheet {
            case_id: case_id.to_string(),
            lead: lead.to_string(),
        });
        window
    }

    /// The first day of the 12 months ending with this window.
    pub(super) fn trend_start(&self) -> NaiveDateTime {
        let last = self.as_of.last_day();
        let (mut y, mut m) = (last.year(), last.month() as i32 - 11);
        while m < 1 {
            m += 12;
            y -= 1;
        }
        NaiveDate::from_ymd_opt(y, m as u32, 1)
            .expect("valid month")
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
    }

    /// "2025年2月2日" when T is a midnight (the day it closes), else the date and time.
    pub(super) fn as_of_label(&self) -> String {
        use chrono::Timelike;
        if self.as_of.0.hour() == 0 && self.as_of.0.minute() == 0 && self.as_of.0.second() == 0 {
            zh_date(self.as_of.last_day())
        } else {
            zh_datetime(self.as_of.0)
        }
    }
}
