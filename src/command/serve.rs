//! `serve`: the daemon that scans the inbox, sends the weekly report and the monthly review,
//! and retries the outbox, on the configured schedule.

use crate::cli::Exit;
use crate::config::Config;

/// Entry point of `serve`.
pub fn run(config: &Config) -> anyhow::Result<Exit> {
    crate::schedule::serve(config)?;
    Ok(Exit::Done)
}
