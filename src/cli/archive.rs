//! `archive verify` and `archive list`: the monthly archive and its manifest.

use clap::Subcommand;

use hotline_ledger::archive::{self, Check};
use hotline_ledger::config::Config;
use hotline_ledger::jobs;

use super::exit::Exit;
use super::table::Table;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Recheck the SHA-256 of every archived file against the manifest.
    Verify,
    /// List the archived files with when and why they were made.
    List,
}

/// Entry point of `archive`.
pub fn run(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    let action = &args.action;
    let dir = config.archive_dir();
    match action {
        Action::List => {
            let entries = jobs::archived(config)?;
            if entries.is_empty() {
                outln!("the archive {} is empty", dir.display());
                return Ok(Exit::Done);
            }
            let mut table = Table::new(["file", "report", "period", "made at", "reason", "sha256"])
                .max_width(64);
            for e in entries {
                table.push(vec![
                    e.file, e.report, e.period, e.made_at, e.reason, e.sha256,
                ]);
            }
            out!("{}", table.render());
            Ok(Exit::Done)
        }
        Action::Verify => {
            let checks = jobs::verify_archive(config)?;
            let mut bad = 0;
            for (file, check) in &checks {
                match check {
                    Check::Ok => outln!("ok        {file}"),
                    Check::Missing => {
                        bad += 1;
                        outln!("MISSING   {file}");
                    }
                    Check::Changed { actual } => {
                        bad += 1;
                        outln!("CHANGED   {file} (its SHA-256 is now {actual})");
                    }
                    Check::Unrecorded => {
                        bad += 1;
                        outln!("UNLISTED  {file} (not in {})", archive::MANIFEST);
                    }
                    Check::Interrupted { removed: true } => outln!(
                        "REMOVED   {file} (left half-written by an interrupted archive write)"
                    ),
                    Check::Interrupted { removed: false } => {
                        outln!("WRITING   {file} (being written now; check again later)")
                    }
                }
            }
            outln!(
                "{} file(s) checked, {} problem(s) in {}",
                checks.len(),
                bad,
                dir.display()
            );
            Ok(if bad > 0 {
                Exit::SomeFailed
            } else {
                Exit::Done
            })
        }
    }
}
