//! `ingest FILE...` and `ingest --inbox`: load exports, print a summary per file, name
//! every file that could not be used.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::Exit;
use crate::config::Config;
use crate::ingest::inbox::{self, Found};
use crate::ingest::{file_name, FileSummary, IngestError, Ingester, Outcome};
use crate::store::Store;

/// Totals over the files of one command.
#[derive(Debug, Default)]
pub struct Totals {
    pub loaded: usize,
    pub already: usize,
    pub failed: usize,
    pub new: u64,
    pub updated: u64,
    pub rejected: u64,
}

impl Totals {
    pub fn exit(&self) -> Exit {
        if self.failed > 0 {
            Exit::SomeFailed
        } else {
            Exit::Done
        }
    }

    fn add(&mut self, outcome: &Result<Outcome, IngestError>) {
        match outcome {
            Ok(Outcome::Loaded(s)) => {
                self.loaded += 1;
                self.new += s.orders_new;
                self.updated += s.orders_updated;
                self.rejected += s.read.rows_rejected;
            }
            Ok(Outcome::AlreadyIngested { .. }) => self.already += 1,
            Err(_) => self.failed += 1,
        }
    }

    pub fn print(&self) {
        outln!(
            "{} file{} loaded, {} already loaded before, {} could not be used: {} new orders, {} updated, {} rows rejected",
            self.loaded,
            if self.loaded == 1 { "" } else { "s" },
            self.already,
            self.failed,
            self.new,
            self.updated,
            self.rejected
        );
    }
}

/// The summary of one loaded file, as printed.
pub fn describe(summary: &FileSummary) -> String {
    let read = &summary.read;
    let mut text = format!(
        "{}: loaded ({})\n  {} rows read ({} blank skipped): {} new orders, {} updated, {} unchanged; {} rejected; {:.2} s",
        file_name(&summary.path),
        read.source(),
        read.rows_read,
        read.rows_blank,
        summary.orders_new,
        summary.orders_updated,
        summary.orders_same,
        read.rows_rejected,
        summary.duration.as_secs_f64()
    );
    if summary.duplicates_in_file > 0 {
        text.push_str(&format!(
            "\n  {} rows repeat an order id given earlier in the file: the last row for each id was kept",
            summary.duplicates_in_file
        ));
    }
    if summary.orders_reopened > 0 {
        text.push_str(&format!(
            "\n  warning: {} order{} moved from closed back to open (was an older export loaded after a newer one?)",
            summary.orders_reopened,
            if summary.orders_reopened == 1 { "" } else { "s" }
        ));
    }
    if read.rows_rejected > 0 {
        text.push_str(&format!(
            "\n  the rejected rows are kept: see `hotline-ledger rejected --file \"{}\"`",
            file_name(&summary.path)
        ));
    }
    text
}

/// Prints one file's outcome: the summary on stdout, or the error on stderr.
pub fn print_outcome(outcome: &Result<Outcome, IngestError>) {
    match outcome {
        Ok(Outcome::Loaded(summary)) => outln!("{}", describe(summary)),
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
}

/// Loads `files` in the order given.
pub fn load_files(store: &Store, config: &Config, files: &[PathBuf]) -> Totals {
    let mut ingester = Ingester::new(store, config);
    ingester.show_progress = std::io::stderr().is_terminal();
    let mut totals = Totals::default();
    for file in files {
        let outcome = ingester.ingest_file(file);
        print_outcome(&outcome);
        totals.add(&outcome);
    }
    totals
}

/// Entry point of `ingest FILE...`.
pub fn files(config: &Config, files: &[PathBuf]) -> anyhow::Result<Exit> {
    let store = Store::open(config)?;
    let totals = load_files(&store, config, files);
    if files.len() > 1 {
        totals.print();
    }
    Ok(totals.exit())
}

/// Entry point of `ingest --dry-run FILE...`: reads and checks, stores nothing.
pub fn dry_run(config: &Config, files: &[PathBuf]) -> anyhow::Result<Exit> {
    let mut failed = 0;
    for file in files {
        match crate::ingest::check(config, file, crate::ingest::Input::Path(file)) {
            Ok(c) => {
                let r = &c.read;
                outln!(
                    "{}: would load ({})\n  {} rows read ({} blank): {} would be loaded, {} rejected\n  columns: {}",
                    file_name(file),
                    r.source(),
                    r.rows_read,
                    r.rows_blank,
                    r.rows_loaded,
                    r.rows_rejected,
                    r.columns.join(", ")
                );
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

/// Loads what waits in the inbox and moves each file out of it.
pub fn load_inbox(store: &Store, config: &Config) -> anyhow::Result<Totals> {
    let dir = config.inbox_dir();
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create the inbox {}: {e}", dir.display()))?;
    let settle = Duration::from_secs(u64::from(config.ingest.inbox_settle_secs));
    let found = inbox::scan(&dir, settle)
        .map_err(|e| anyhow::anyhow!("cannot read the inbox {}: {e}", dir.display()))?;
    let mut ingester = Ingester::new(store, config);
    ingester.show_progress = std::io::stderr().is_terminal();
    let mut totals = Totals::default();
    for item in found {
        let path = match item {
            Found::Ready(p) => p,
            Found::Settling(p) => {
                outln!(
                    "{}: modified moments ago, left for the next scan (it may still be being copied)",
                    file_name(&p)
                );
                continue;
            }
        };
        let outcome = ingester.ingest_file(&path);
        print_outcome(&outcome);
        totals.add(&outcome);
        let moved = match &outcome {
            Ok(_) => inbox::move_processed(&dir, &path),
            Err(e) => inbox::move_failed(&dir, &path, &e.to_string()),
        };
        if let Err(e) = moved {
            eprintln!(
                "error: {}: cannot move it out of the inbox: {e}",
                path.display()
            );
            totals.failed += 1;
        }
    }
    Ok(totals)
}

/// Entry point of `ingest --inbox`.
pub fn inbox(config: &Config) -> anyhow::Result<Exit> {
    let store = Store::open(config)?;
    let totals = load_inbox(&store, config)?;
    totals.print();
    Ok(totals.exit())
}

/// Export files inside `dir`, in name order (.xlsx, .csv, and .xls so that it is refused
/// with its reason rather than skipped).
pub fn exports_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = file_name(&path);
        if !path.is_file() || name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if matches!(ext.as_str(), "xlsx" | "csv" | "xls") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
