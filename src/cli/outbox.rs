//! `outbox retry`: sends the queued messages now.

use clap::Subcommand;
use hotline_ledger::config::Config;
use hotline_ledger::history::Trigger;
use hotline_ledger::jobs;

use super::exit::Exit;

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
    Ok(exit_of_sending(outcome.unsent))
}

/// 1 when some message could not be sent (it stays queued): queued for a retry is not
/// sent, and a script that asked for a send must be able to tell.
pub fn exit_of_sending(unsent: usize) -> Exit {
    if unsent > 0 {
        eprintln!(
            "error: {} not sent yet: {} queued in the outbox for a retry (`hotline-ledger status` shows why)",
            if unsent == 1 {
                "1 message was".to_string()
            } else {
                format!("{unsent} messages were")
            },
            if unsent == 1 { "it stays" } else { "they stay" }
        );
        Exit::SomeFailed
    } else {
        Exit::Done
    }
}
