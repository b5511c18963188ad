//! `outbox retry`: sends the queued messages now.

use crate::cli::Exit;
use crate::config::Config;
use crate::history::Trigger;
use crate::pipeline;

/// Entry point of `outbox retry [--all]`.
pub fn retry(config: &Config, all: bool) -> anyhow::Result<Exit> {
    let outcome = pipeline::outbox_job(config, Trigger::Manual, all)?;
    if outcome.lines.is_empty() {
        outln!("nothing to send");
    }
    for line in &outcome.lines {
        outln!("{line}");
    }
    Ok(Exit::Done)
}
