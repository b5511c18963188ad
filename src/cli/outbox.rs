//! `outbox retry`: sends the queued messages now.

use clap::Subcommand;
use hotline_ledger::config::Config;
use hotline_ledger::history::Trigger;
use hotline_ledger::jobs;

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Send the queued messages whose next attempt is due (all of them with --all).
    Retry {
        #[arg(long)]
        all: bool,
    },
}

/// Entry point of `outbox retry [--all]`.
pub fn run(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    let Action::Retry { all } = args.action;
    let outcome = jobs::retry_outbox(config, Trigger::Manual, all)?;
    if outcome.lines.is_empty() {
        outln!("nothing to send");
    }
    for line in &outcome.lines {
        outln!("{line}");
    }
    Ok(Exit::Done)
}
