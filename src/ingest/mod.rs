//! Reading hotline exports (.xlsx, .csv in UTF-8 or GBK) into the database.
//!
//! One file is one transaction: it is detected, hashed (content already loaded is a no-op),
//! streamed row by row into a staging table, merged into `work_orders` (the newest file's
//! row wins; inside a file the last row wins), and recorded. Any failure rolls everything
//! back, so a file that cannot be used leaves the database exactly as it was. Rows that
//! cannot be used are kept in `rejected_rows` with the reason, never dropped.
//!
//! This module reads files and writes the store; it knows nothing of cases or reports.

pub mod csv;
pub mod dates;
pub mod detect;
pub mod header;
pub mod inbox;
pub mod load;
pub mod problem;
pub mod row;
pub mod xlsx;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use duckdb::params;
use sha2::{Digest, Sha256};

use crate::column::Column;
use crate::config::Config;
use crate::normalize::AddressNormalizer;
use crate::queries;
use crate::store::Store;
use detect::Format;
use header::Aliases;
use load::{FileLoad, LoadSettings};
pub use problem::FileProblem;

/// Why reading stopped: the file is unusable, or the database failed.
#[derive(Debug)]
pub enum Failure {
    File(FileProblem),
    Database(duckdb::Error),
}

impl From<duckdb::Error> for Failure {
    fn from(e: duckdb::Error) -> Self {
        Failure::Database(e)
    }
}

/// Where readers deliver rows.
pub trait RowSink {
    fn row(&mut self, row: &dyn row::RowView) -> Result<(), Failure>;
    fn progress(&mut self, done: u64, total: u64);
}

/// A file that could not be loaded. Nothing of it was kept.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: {problem}")]
    Unusable { path: String, problem: FileProblem },
    #[error("{path}: database error while loading; nothing from this file was kept: {source}")]
    Database { path: String, source: duckdb::Error },
}

impl IngestError {
    fn new(path: &Path, failure: Failure) -> Self {
        let path = path.display().to_string();
        match failure {
            Failure::File(problem) => IngestError::Unusable { path, problem },
            Failure::Database(source) => IngestError::Database { path, source },
        }
    }
}

/// What one loaded file did.
#[derive(Debug, Clone)]
pub struct FileSummary {
    pub file_id: i64,
    pub path: PathBuf,
    pub format: &'static str,
    pub encoding: Option<&'static str>,
    pub sheet: Option<String>,
    pub header_row: u64,
    pub columns: Vec<&'static str>,
    pub rows_read: u64,
    pub rows_blank: u64,
    pub rows_loaded: u64,
    pub rows_rejected: u64,
    pub duplicates_in_file: u64,
    pub orders_new: u64,
    pub orders_updated: u64,
    pub orders_same: u64,
    pub orders_reopened: u64,
    pub data_from: Option<NaiveDateTime>,
    pub data_to: Option<NaiveDateTime>,
    pub duration: Duration,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Loaded(FileSummary),
    /// The same bytes were loaded before; nothing was done.
    AlreadyIngested {
        path: PathBuf,
        earlier_path: String,
        at: String,
    },
}

/// Everything an ingest needs from the config, prepared once for many files.
pub struct Ingester<'a> {
    store: &'a Store,
    config: &'a Config,
    aliases: Aliases,
    addresses: AddressNormalizer,
    pub show_progress: bool,
}

impl<'a> Ingester<'a> {
    pub fn new(store: &'a Store, config: &'a Config) -> Self {
        Ingester {
            store,
            config,
            aliases: Aliases::new(&config.columns),
            addresses: AddressNormalizer::new(
                &config.address.prefixes,
                &config.address.vague_suffixes,
            ),
            show_progress: false,
        }
    }

    /// Loads one export file in one transaction.
    pub fn ingest_file(&self, path: &Path) -> Result<Outcome, IngestError> {
        let started = Instant::now();
        let (format, sha256, size) =
            sniff(path).map_err(|p| IngestError::new(path, Failure::File(p)))?;
        let conn = self.store.conn();
        let earlier: Option<(i64, String, String)> = conn
            .prepare(queries::INGEST_FILE_BY_HASH)
            .and_then(|mut s| {
                let mut rows = s.query(params![sha256])?;
                match rows.next()? {
                    Some(r) => Ok(Some((r.get(0)?, r.get(1)?, r.get(2)?))),
                    None => Ok(None),
                }
            })
            .map_err(|e| IngestError::new(path, Failure::Database(e)))?;
        if let Some((_, earlier_path, at)) = earlier {
            return Ok(Outcome::AlreadyIngested {
                path: path.to_path_buf(),
                earlier_path,
                at,
            });
        }
        conn.execute_batch("BEGIN TRANSACTION")
            .map_err(|e| IngestError::new(path, Failure::Database(e)))?;
        let result = self.load(path, format, &sha256, size, started);
        let _ = conn.execute_batch(queries::INGEST_STAGE_DROP);
        match result {
            Ok(summary) => {
                conn.execute_batch("COMMIT")
                    .map_err(|e| IngestError::new(path, Failure::Database(e)))?;
                let _ = conn.execute_batch(queries::INGEST_STAGE_DROP);
                Ok(Outcome::Loaded(summary))
            }
            Err(failure) => {
                let _ = conn.execute_batch("ROLLBACK");
                let _ = conn.execute_batch(queries::INGEST_STAGE_DROP);
                Err(IngestError::new(path, failure))
            }
        }
    }

    fn load(
        &self,
        path: &Path,
        format: Format,
        sha256: &str,
        size: u64,
        started: Instant,
    ) -> Result<FileSummary, Failure> {
        let conn = self.store.conn();
        let file_id: i64 = conn.query_row(queries::INGEST_FILE_NEXT_ID, [], |r| r.get(0))?;
        conn.execute_batch(queries::INGEST_STAGE_CREATE)?;
        let settings = LoadSettings {
            aliases: &self.aliases,
            addresses: &self.addresses,
            header_limit: self.config.ingest.header_search_rows,
            max_cell_chars: self.config.ingest.max_cell_chars as usize,
            show_progress: self.show_progress,
            label: file_name(path),
        };
        let mut load = FileLoad::new(conn, file_id, None, &settings)?;
        let sheet = match format {
            Format::Csv(encoding) => {
                csv::read(path, encoding, &mut load)?;
                None
            }
            Format::Xlsx => {
                let mut workbook = xlsx::open(path)?;
                load.is_1904 = workbook.has_1904_epoch();
                let sheet = xlsx::choose_sheet(&workbook, &self.config.ingest.sheet)?;
                load.set_sheet(sheet.clone());
                xlsx::read(&mut workbook, &sheet, &mut load)?;
                Some(sheet)
            }
        };
        let map = load.finish()?;
        let counts = load.counts.clone();
        drop(load);
        tracing::debug!(elapsed = ?started.elapsed(), rows = counts.loaded, "rows staged");

        let duplicates: i64 = conn.query_row(queries::INGEST_STAGE_DUPLICATES, [], |r| r.get(0))?;
        if duplicates > 0 {
            conn.execute_batch(queries::INGEST_STAGE_DEDUPE)?;
        }
        let has = |c: Column| map.is_present(c);
        let flags = [
            has(Column::Channel),
            has(Column::Street),
            has(Column::Community),
            has(Column::Content),
            has(Column::CallerName),
            has(Column::CallerPhone),
            has(Column::HandlerUnit),
            has(Column::Status),
            has(Column::ClosedAt),
            has(Column::RelatedOrderId),
        ];
        let (orders_new, orders_updated, orders_same, orders_reopened, data_from, data_to): (
            i64,
            i64,
            i64,
            i64,
            Option<NaiveDateTime>,
            Option<NaiveDateTime>,
        ) = conn.query_row(
            queries::INGEST_MERGE_COUNTS,
            duckdb::params_from_iter(flags.iter()),
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?;
        let mut update_params: Vec<&dyn duckdb::ToSql> =
            flags.iter().map(|f| f as &dyn duckdb::ToSql).collect();
        update_params.push(&file_id);
        tracing::debug!(elapsed = ?started.elapsed(), "merge counted");
        conn.execute(queries::INGEST_MERGE_UPDATE, update_params.as_slice())?;
        tracing::debug!(elapsed = ?started.elapsed(), "known orders updated");
        conn.execute(queries::INGEST_MERGE_INSERT, params![file_id])?;
        tracing::debug!(elapsed = ?started.elapsed(), "new orders inserted");

        let duration = started.elapsed();
        let columns = map.present_names();
        let encoding = format.encoding().map(|e| e.label());
        let now = chrono::Utc::now()
            .with_timezone(&self.config.tz())
            .naive_local()
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        conn.execute(
            queries::INGEST_FILE_RECORD,
            params![
                file_id,
                path.display().to_string(),
                file_name(path),
                sha256,
                size as i64,
                format.label(),
                encoding,
                sheet.as_deref(),
                map.header_row as i64,
                columns.join(","),
                counts.read as i64,
                counts.blank as i64,
                counts.loaded as i64,
                orders_new,
                orders_updated,
                orders_same,
                orders_reopened,
                counts.rejected as i64,
                data_from,
                data_to,
                now,
                duration.as_millis() as i64,
            ],
        )?;
        Ok(FileSummary {
            file_id,
            path: path.to_path_buf(),
            format: format.label(),
            encoding,
            sheet,
            header_row: map.header_row,
            columns,
            rows_read: counts.read,
            rows_blank: counts.blank,
            rows_loaded: counts.loaded,
            rows_rejected: counts.rejected,
            duplicates_in_file: duplicates as u64,
            orders_new: orders_new as u64,
            orders_updated: orders_updated as u64,
            orders_same: orders_same as u64,
            orders_reopened: orders_reopened as u64,
            data_from,
            data_to,
            duration,
        })
    }
}

pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Detects the format from the first bytes and hashes the whole file.
fn sniff(path: &Path) -> Result<(Format, String, u64), FileProblem> {
    let io = |e: std::io::Error| FileProblem::Io(e.to_string());
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(FileProblem::Io("it is a folder, not a file".into()));
    }
    let mut file = File::open(path).map_err(io)?;
    let mut prefix = Vec::with_capacity(detect::SNIFF_BYTES);
    (&mut file)
        .take(detect::SNIFF_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(io)?;
    let format = detect::detect(path, &prefix)?;
    let mut hasher = Sha256::new();
    hasher.update(&prefix);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok((format, hex::encode(hasher.finalize()), meta.len()))
}
