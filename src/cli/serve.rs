//! `serve`: the daemon that scans the inbox, sends the weekly report and the monthly review,
//! and retries the outbox, on the configured schedule.

use hotline_ledger::config::Config;

use super::exit::Exit;

/// Entry point of `serve`.
pub fn run(config: &Config) -> anyhow::Result<Exit> {
    hotline_ledger::jobs::check_setup(config)?;
    hotline_ledger::schedule::serve(config)?;
    Ok(Exit::Done)
}
