//! The local time in the configured zone: every stored time is a naive local time.
//!
//! `HOTLINE_LEDGER_NOW="2025-03-01 23:30:00"` (local time) in the environment fixes the
//! clock: everything the program does as of "now" (the cases, the quiet hours, when a
//! message is due, the times it records) is done as of that instant. Tests and a rehearsal
//! of a past day use it; nothing else sets it.

use chrono::NaiveDateTime;
use chrono_tz::Tz;

use crate::config::Config;

/// The environment variable that fixes now.
pub const NOW_VAR: &str = "HOTLINE_LEDGER_NOW";

/// Now, in the configured zone, to the second.
pub fn now(config: &Config) -> NaiveDateTime {
    now_in(config.tz())
}

/// Now in the configured zone with its offset (for a header that says when, such as a
/// message's Date). An instant a clock change makes ambiguous takes the earlier offset.
pub fn now_zoned(config: &Config) -> chrono::DateTime<chrono::FixedOffset> {
    use chrono::TimeZone;
    let tz = config.tz();
    let local = now_in(tz);
    match tz.from_local_datetime(&local).earliest() {
        Some(at) => at.fixed_offset(),
        // A local time a clock change skips: the same instant read as UTC.
        None => local.and_utc().fixed_offset(),
    }
}

/// Now in `tz`, to the second (or the fixed instant of `HOTLINE_LEDGER_NOW`).
pub fn now_in(tz: Tz) -> NaiveDateTime {
    if let Some(fixed) = fixed() {
        return fixed;
    }
    use chrono::Timelike;
    chrono::Utc::now()
        .with_timezone(&tz)
        .naive_local()
        .with_nanosecond(0)
        .expect("0 ns is valid")
}

/// The instant `HOTLINE_LEDGER_NOW` fixes, if it is set. A value that is not a time is
/// ignored with a warning rather than taken for the real clock silently.
fn fixed() -> Option<NaiveDateTime> {
    let text = std::env::var(NOW_VAR).ok()?;
    let text = text.trim();
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            tracing::warn!(
                "{NOW_VAR}=\"{text}\" is not a time such as \"2025-03-01 23:30:00\": the real clock is used"
            );
            None
        })
}
