//! `ingest FILE...`, `ingest --inbox` and `ingest --dry-run`: load exports (or check them),
//! print a summary per file, name every file that could not be used.

use std::io::IsTerminal;
use std::path::PathBuf;

use hotline_ledger::config::Config;
use hotline_ledger::history::Trigger;
use hotline_ledger::ingest::batch::{FileOutcome, Totals};
pub use hotline_ledger::ingest::count;
use hotline_ledger::ingest::{file_name, FileSummary, Outcome};
use hotline_ledger::jobs;

use super::exit::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Export files, loaded in the order given.
    #[arg(required_unless_present = "inbox")]
    pub files: Vec<PathBuf>,
    /// Load every file waiting in paths.inbox (in name order), then move each to
    /// inbox/processed/ or inbox/failed/.
    #[arg(long, conflicts_with = "files")]
    pub inbox: bool,
    /// Read and check the files without loading anything: what would be loaded, what
    /// rejected and why.
    #[arg(long, conflicts_with = "inbox")]
    pub dry_run: bool,
    /// Load the files even when the same content was loaded before (after fixing the clock
    /// or the config that made rows be set aside): the rows are merged as usual, and the
    /// rows set aside before are examined again.
    #[arg(long, conflicts_with_all = ["inbox", "dry_run"])]
    pub again: bool,
}

/// Entry point of `ingest`.
pub fn run(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    if args.dry_run {
        return dry_run(config, &args.files);
    }
    let progress = std::io::stderr().is_terminal();
    let mut print = |outcome: &FileOutcome| print_outcome(outcome);
    let done = if args.inbox {
        jobs::ingest_inbox(config, Trigger::Manual, progress, &mut print)?
    } else {
        jobs::ingest_files(config, &args.files, progress, args.again, &mut print)?
    };
    let totals = Totals::of(&done.ingested);
    if args.inbox || args.files.len() > 1 {
        print_totals(&totals);
    }
    for line in &done.told {
        outln!("{line}");
    }
    Ok(exit_of(&totals))
}

/// 1 when some file could not be used, or none of its rows could.
pub fn exit_of(totals: &Totals) -> Exit {
    if totals.failed > 0 || totals.all_rejected > 0 {
        Exit::SomeFailed
    } else {
        Exit::Done
    }
}

/// The totals line.
pub fn print_totals(totals: &Totals) {
    outln!(
        "{} loaded, {} already loaded before, {} could not be used: {}, {} updated, {} rejected",
        count(totals.loaded as u64, "file", "files"),
        totals.already,
        totals.failed,
        count(totals.new, "new order", "new orders"),
        totals.updated,
        count(totals.rejected, "row", "rows")
    );
}

/// The summary of one loaded file, as printed.
pub fn describe(summary: &FileSummary) -> String {
    let read = &summary.read;
    let mut text = summary.describe();
    if read.rows_rejected > 0 {
        text.push_str(&format!(
            "\n  the rejected rows are kept: see `hotline-ledger rejected --file \"{}\"`",
            file_name(&summary.path)
        ));
    }
    text
}

/// Prints one file's outcome: the summary on stdout, or the error on stderr.
pub fn print_outcome(outcome: &FileOutcome) {
    let FileOutcome::Ingested {
        path,
        result,
        not_moved,
    } = outcome
    else {
        outln!(
            "{}: modified moments ago, left for the next scan (it may still be being copied)",
            file_name(outcome.path())
        );
        return;
    };
    match result.as_ref() {
        Ok(Outcome::Loaded(summary)) => {
            outln!("{}", describe(summary));
            let read = &summary.read;
            if read.rows_loaded == 0 && read.rows_rejected > 0 {
                eprintln!(
                    "error: {}: every row was rejected ({}), so no work order was loaded; the rows are kept: see `hotline-ledger rejected --file \"{}\"`",
                    summary.path.display(),
                    count(read.rows_rejected, "row", "rows"),
                    file_name(&summary.path)
                );
            }
        }
        Ok(Outcome::AlreadyIngested {
            path,
            earlier_path,
            at,
        }) => outln!(
            "{}: already ingested (same content as {earlier_path}, loaded {at}); nothing to do",
            file_name(path)
        ),
        Err(e) => eprintln!("error: {e}"),
    }
    if let Some(why) = not_moved {
        eprintln!(
            "error: {}: cannot move it out of the inbox: {why}",
            path.display()
        );
    }
}

/// `ingest --dry-run FILE...`: reads and checks, stores nothing.
fn dry_run(config: &Config, files: &[PathBuf]) -> anyhow::Result<Exit> {
    let mut failed = 0;
    for file in files {
        match hotline_ledger::ingest::check(config, file, hotline_ledger::ingest::Input::Path(file))
        {
            Ok(c) => {
                let r = &c.read;
                outln!(
                    "{}: would load ({})\n  {} read ({} blank): {} would be loaded, {} rejected\n  columns: {}",
                    file_name(file),
                    r.source(),
                    count(r.rows_read, "row", "rows"),
                    r.rows_blank,
                    r.rows_loaded,
                    r.rows_rejected,
                    r.columns.join(", ")
                );
                for note in r.notes() {
                    outln!("  {note}");
                }
                if r.rows_loaded == 0 && r.rows_rejected > 0 {
                    failed += 1;
                    eprintln!(
                        "error: {}: every row would be rejected ({}), so no work order would be loaded",
                        file.display(),
                        count(r.rows_rejected, "row", "rows")
                    );
                }
                for (row, reason) in c.rejected.iter().take(20) {
                    outln!("  row {row}: {reason}");
                }
                if c.rejected.len() > 20 {
                    outln!("  ... and {} more rejected rows", c.read.rows_rejected - 20);
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    Ok(if failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Done
    })
}
