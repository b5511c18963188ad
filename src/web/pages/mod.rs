//! One file per page: its GET handler renders it, its POST handlers act and come back.

pub mod account;
pub mod case;
pub mod cases;
pub mod help;
pub mod import;
pub mod login;
pub mod overview;
pub mod reports;
pub mod runs;
pub mod subjects;

use chrono::NaiveDate;

use crate::config::Config;

/// Today in the configured zone.
pub fn today(config: &Config) -> NaiveDate {
    crate::clock::now(config).date()
}

/// A `YYYY-MM-DD` from a form, or today when empty.
pub fn day_or_today(config: &Config, text: Option<&str>) -> Result<NaiveDate, super::WebError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(today(config)),
        Some(t) => match crate::period::parse_day(t) {
            Ok(day) => Ok(day),
            Err(_) if NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok() => {
                Err(super::WebError::BadRequest(format!(
                    "日期“{t}”超出可处理的年份（{}—{}年）",
                    crate::period::YEARS.start(),
                    crate::period::YEARS.end()
                )))
            }
            Err(_) => Err(super::WebError::BadRequest(format!(
                "日期“{t}”格式不对，应为 2025-01-31"
            ))),
        },
    }
}
