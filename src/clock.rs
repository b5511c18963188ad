//! The local time in the configured zone: every stored time is a naive local time.

use chrono::NaiveDateTime;

use crate::config::Config;

/// Now, in the configured zone, to the second.
pub fn now(config: &Config) -> NaiveDateTime {
    crate::analysis::AsOf::now(config.tz()).0
}
