//! Loading several exports in one go: files given in order, or what waits in the inbox.
//!
//! Each file's outcome is handed back as a value (and to a callback as soon as the file is
//! done), so every front end shows it its own way: the CLI prints it, the daemon logs it,
//! the console shows it. Nothing here prints.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::inbox::{self, Found};
use super::{file_name, IngestError, Ingester, Outcome};
use crate::config::Config;
use crate::store::Store;

/// What became of one file.
#[derive(Debug)]
pub enum FileOutcome {
    /// Loaded, already loaded before, or refused with the reason.
    Ingested {
        path: PathBuf,
        result: Box<Result<Outcome, IngestError>>,
        /// An inbox file that could not be moved out of the inbox afterwards.
        not_moved: Option<String>,
    },
    /// An inbox file modified moments ago, left for the next scan (it may still be being
    /// copied in).
    Settling(PathBuf),
}

impl FileOutcome {
    pub fn path(&self) -> &Path {
        match self {
            FileOutcome::Ingested { path, .. } | FileOutcome::Settling(path) => path,
        }
    }

    /// Whether the file could not be used (or not be moved out of the inbox).
    pub fn failed(&self) -> bool {
        match self {
            FileOutcome::Ingested {
                result, not_moved, ..
            } => result.is_err() || not_moved.is_some(),
            FileOutcome::Settling(_) => false,
        }
    }

    /// What loading did, when the file was loaded.
    pub fn loaded(&self) -> Option<&super::FileSummary> {
        match self {
            FileOutcome::Ingested { result, .. } => match result.as_ref() {
                Ok(Outcome::Loaded(summary)) => Some(summary),
                _ => None,
            },
            FileOutcome::Settling(_) => None,
        }
    }

    /// One line for a log.
    pub fn summary(&self) -> String {
        match self {
            FileOutcome::Ingested {
                path,
                result,
                not_moved,
            } => {
                let mut line = match result.as_ref() {
                    Ok(Outcome::Loaded(s)) => format!(
                        "{}: loaded, {} new, {} updated, {} rejected",
                        file_name(path),
                        s.orders_new,
                        s.orders_updated,
                        s.read.rows_rejected
                    ),
                    Ok(Outcome::AlreadyIngested { earlier_path, .. }) => format!(
                        "{}: already ingested (same content as {earlier_path})",
                        file_name(path)
                    ),
                    Err(e) => e.to_string(),
                };
                if let Some(why) = not_moved {
                    line.push_str(&format!("; cannot move it out of the inbox: {why}"));
                }
                line
            }
            FileOutcome::Settling(path) => format!(
                "{}: modified moments ago, left for the next scan",
                file_name(path)
            ),
        }
    }
}

/// Totals over the files of one batch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Totals {
    pub loaded: usize,
    pub already: usize,
    pub failed: usize,
    pub new: u64,
    pub updated: u64,
    pub rejected: u64,
    /// Files loaded whose rows were all rejected: nothing of them counts.
    pub all_rejected: usize,
}

impl Totals {
    pub fn of(outcomes: &[FileOutcome]) -> Totals {
        let mut totals = Totals::default();
        for outcome in outcomes {
            let FileOutcome::Ingested {
                result, not_moved, ..
            } = outcome
            else {
                continue;
            };
            match result.as_ref() {
                Ok(Outcome::Loaded(s)) => {
                    totals.loaded += 1;
                    totals.new += s.orders_new;
                    totals.updated += s.orders_updated;
                    totals.rejected += s.read.rows_rejected;
                    if s.read.rows_loaded == 0 && s.read.rows_rejected > 0 {
                        totals.all_rejected += 1;
                    }
                }
                Ok(Outcome::AlreadyIngested { .. }) => totals.already += 1,
                Err(_) => totals.failed += 1,
            }
            if result.is_ok() && not_moved.is_some() {
                totals.failed += 1;
            }
        }
        totals
    }
}

/// Loads `files` in the order given, handing each outcome to `on_file` when it is done.
pub fn load_files(
    store: &Store,
    config: &Config,
    files: &[PathBuf],
    show_progress: bool,
    again: bool,
    on_file: &mut dyn FnMut(&FileOutcome),
) -> Vec<FileOutcome> {
    let mut ingester = Ingester::new(store, config);
    ingester.show_progress = show_progress;
    ingester.again = again;
    files
        .iter()
        .map(|path| {
            let outcome = FileOutcome::Ingested {
                path: path.clone(),
                result: Box::new(ingester.ingest_file(path)),
                not_moved: None,
            };
            on_file(&outcome);
            outcome
        })
        .collect()
}

/// Loads what waits in the inbox, in name order, and moves each file out of it: to
/// `processed/`, or to `failed/` with the reason beside it.
pub fn load_inbox(
    store: &Store,
    config: &Config,
    show_progress: bool,
    on_file: &mut dyn FnMut(&FileOutcome),
) -> anyhow::Result<Vec<FileOutcome>> {
    let dir = config.inbox_dir();
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create the inbox {}: {e}", dir.display()))?;
    let settle = Duration::from_secs(u64::from(config.ingest.inbox_settle_secs));
    let found = inbox::scan(&dir, settle)
        .map_err(|e| anyhow::anyhow!("cannot read the inbox {}: {e}", dir.display()))?;
    let mut ingester = Ingester::new(store, config);
    ingester.show_progress = show_progress;
    let mut outcomes = Vec::new();
    for item in found {
        let outcome = match item {
            Found::Settling(path) => FileOutcome::Settling(path),
            Found::Ready(path) => {
                let result = ingester.ingest_file(&path);
                // The database failed, not the file: it stays in the inbox (and so do the
                // files after it) for when the database is repaired.
                if let Err(e @ IngestError::Database { .. }) = &result {
                    anyhow::bail!(
                        "{e}; {} and the files after it stay in the inbox: repair or restore the database, then load them again",
                        path.display()
                    );
                }
                let moved = match &result {
                    Ok(_) => inbox::move_processed(&dir, &path),
                    Err(e) => inbox::move_failed(&dir, &path, &e.to_string()),
                };
                FileOutcome::Ingested {
                    path,
                    result: Box::new(result),
                    not_moved: moved.err().map(|e| e.to_string()),
                }
            }
        };
        on_file(&outcome);
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Export files inside `dir`, in name order: workbooks (.xlsx, .xlsm, .xlsb, .xls, .et,
/// .ods) and .csv.
pub fn exports_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = file_name(&path);
        if !path.is_file() || name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if super::detect::has_export_extension(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The files named on a command line, each folder replaced by the exports in it.
pub fn expand_inputs(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            files.extend(
                exports_in(input).map_err(|e| {
                    anyhow::anyhow!("cannot read the folder {}: {e}", input.display())
                })?,
            );
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}
