//! Reading hotline exports (.xlsx, .xls, .xlsb, .ods, .csv in UTF-8 or GBK) into the
//! database.
//!
//! One file is one transaction: it is detected, hashed (content already loaded is a no-op),
//! streamed row by row into a staging table, merged into `work_orders` (the newest file's
//! row wins; inside a file the last row wins), and recorded. Any failure rolls everything
//! back, so a file that cannot be used leaves the database exactly as it was. Rows that
//! cannot be used are kept in `rejected_rows` with the reason, never dropped.
//!
//! This module reads files and writes the store; it knows nothing of cases or reports.

pub mod batch;
pub mod cell;
pub mod csv;
pub mod dates;
pub mod destination;
pub mod detect;
pub mod header;
pub mod inbox;
pub mod known_ids;
pub mod load;
pub mod merger;
pub mod problem;
pub mod progress;
pub mod row;
pub mod stage;
pub mod workbook;
pub mod xlsx;

use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use calamine::Reader;
use chrono::NaiveDateTime;
use duckdb::params;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::normalize::AddressNormalizer;
use crate::queries;
use crate::store::Store;
use destination::{Channel, Destination, Discard, Staged};
use detect::Format;
use header::Aliases;
use known_ids::KnownIds;
use load::{FileLoad, LoadSettings};
use merger::Merger;
pub use problem::FileProblem;

/// Why reading stopped: the file is unusable, or the database failed.
#[derive(Debug)]
pub enum Failure {
    File(FileProblem),
    Database(duckdb::Error),
    /// The other side of a load stopped (and reports its own reason).
    Cancelled,
}

impl From<duckdb::Error> for Failure {
    fn from(e: duckdb::Error) -> Self {
        Failure::Database(e)
    }
}

/// Where readers deliver rows.
pub trait RowSink {
    fn row(&mut self, row: &dyn cell::RowView) -> Result<(), Failure>;
    fn progress(&mut self, done: u64, total: u64);
    /// What a record of this file looks like, once the header is known.
    fn record_layout(&self) -> Option<RecordLayout> {
        None
    }
}

/// What a record of a file looks like: how many fields its header has and where the
/// order id is (to tell a line that reads as a record of its own).
#[derive(Debug, Clone, Copy)]
pub struct RecordLayout {
    pub fields: usize,
    pub id_index: usize,
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
            Failure::Cancelled => IngestError::Unusable {
                path,
                problem: FileProblem::Io("reading stopped before the end of the file".into()),
            },
        }
    }
}

/// What reading a file found, whether it was loaded or only checked.
#[derive(Debug, Clone)]
pub struct FileRead {
    pub format: &'static str,
    pub encoding: Option<&'static str>,
    pub sheet: Option<String>,
    pub header_row: u64,
    pub columns: Vec<&'static str>,
    pub rows_read: u64,
    pub rows_blank: u64,
    pub rows_loaded: u64,
    pub rows_rejected: u64,
    /// Loaded orders closed before they were received (kept, but worth a look).
    pub closed_before_received: u64,
    /// Rows with values in cells that have no heading (those values were not loaded).
    pub cells_without_heading: u64,
    /// Rows Excel hides in the sheet (loaded like the others).
    pub rows_hidden: u64,
    /// Orders loaded with an optional cell left empty because it could not be read, and
    /// the first such cell.
    pub unread_optional: u64,
    pub unread_example: Option<String>,
    /// Rows that repeat the header (skipped), and rows that are a header in another
    /// column order (the rows below each were read by it).
    pub headers_repeated: Vec<u64>,
    pub headers_reordered: Vec<u64>,
    /// Columns named twice in the header, and which cell was read.
    pub duplicate_headings: Vec<header::DuplicateHeading>,
}

impl FileRead {
    fn new(
        format: Format,
        sheet: Option<String>,
        map: &header::ColumnMap,
        counts: &load::RowCounts,
    ) -> Self {
        FileRead {
            format: format.label(),
            encoding: format.encoding().map(|e| e.label()),
            sheet,
            header_row: map.header_row,
            columns: map.present_names(),
            rows_read: counts.read,
            rows_blank: counts.blank,
            rows_loaded: counts.loaded,
            rows_rejected: counts.rejected,
            closed_before_received: counts.closed_before_received,
            cells_without_heading: counts.cells_without_heading,
            rows_hidden: counts.hidden,
            unread_optional: counts.unread_optional,
            unread_example: counts.unread_example.clone(),
            headers_repeated: counts.headers_repeated.clone(),
            headers_reordered: counts.headers_reordered.clone(),
            duplicate_headings: map.duplicates.clone(),
        }
    }

    /// What was loaded as it came, or not loaded, that the person who exported the file
    /// should know: one line each.
    pub fn notes(&self) -> Vec<String> {
        let rows = |n: u64| count(n, "row", "rows");
        let mut notes: Vec<String> = self
            .duplicate_headings
            .iter()
            .map(|d| d.to_string())
            .collect();
        if self.cells_without_heading > 0 {
            notes.push(format!(
                "{} {} values in cells without a heading (beyond the header's columns, or under a blank heading): those values were not loaded",
                rows(self.cells_without_heading),
                if self.cells_without_heading == 1 { "has" } else { "have" }
            ));
        }
        if self.rows_hidden > 0 {
            notes.push(format!(
                "{} hidden in the worksheet {} read like the others (hidden rows are orders too)",
                rows(self.rows_hidden),
                if self.rows_hidden == 1 { "was" } else { "were" }
            ));
        }
        let listed = |rows: &[u64]| {
            let mut text = rows
                .iter()
                .take(5)
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            if rows.len() > 5 {
                text.push_str(&format!(" and {} more", rows.len() - 5));
            }
            text
        };
        if !self.headers_repeated.is_empty() {
            notes.push(format!(
                "{} the header ({} {}): skipped, not orders",
                if self.headers_repeated.len() == 1 {
                    "1 row repeats"
                } else {
                    "rows repeat"
                },
                if self.headers_repeated.len() == 1 {
                    "row"
                } else {
                    "rows"
                },
                listed(&self.headers_repeated)
            ));
        }
        if !self.headers_reordered.is_empty() {
            notes.push(format!(
                "the header appears again in another column order ({} {}): the rows below it were read by that header",
                if self.headers_reordered.len() == 1 { "row" } else { "rows" },
                listed(&self.headers_reordered)
            ));
        }
        if self.unread_optional > 0 {
            notes.push(format!(
                "{} loaded with an optional cell left empty because it could not be read ({}); the complaints count",
                count(self.unread_optional, "order", "orders"),
                self.unread_example.as_deref().unwrap_or(""),
            ));
        }
        if self.closed_before_received > 0 {
            notes.push(format!(
                "{} {} a close time before {} receive time: kept as exported, check them at the source",
                count(self.closed_before_received, "order", "orders"),
                if self.closed_before_received == 1 { "has" } else { "have" },
                if self.closed_before_received == 1 { "its" } else { "their" }
            ));
        }
        notes
    }

    /// `csv GBK, header at row 1` or `xlsx, sheet "工单", header at row 2`.
    pub fn source(&self) -> String {
        let mut what = self.format.to_string();
        if let Some(enc) = self.encoding {
            what.push_str(&format!(" {enc}"));
        }
        if let Some(sheet) = &self.sheet {
            what.push_str(&format!(", sheet \"{sheet}\""));
        }
        what.push_str(&format!(", header at row {}", self.header_row));
        what
    }
}

/// What one loaded file did.
#[derive(Debug, Clone)]
pub struct FileSummary {
    pub file_id: i64,
    pub path: PathBuf,
    pub read: FileRead,
    pub duplicates_in_file: u64,
    pub orders_new: u64,
    pub orders_updated: u64,
    pub orders_same: u64,
    pub orders_reopened: u64,
    pub data_from: Option<NaiveDateTime>,
    pub data_to: Option<NaiveDateTime>,
    pub duration: Duration,
    /// Loaded again (`--again`): how many rows its earlier loads had set aside, examined
    /// again with it.
    pub rejected_before: Option<u64>,
}

impl FileSummary {
    /// What loading the file did, for the person who loaded it: the counts, then one
    /// indented line for each thing worth a look (repeated ids, cells without a heading,
    /// hidden rows, orders closed before received, orders reopened by an older export).
    pub fn describe(&self) -> String {
        let read = &self.read;
        let mut text = format!(
            "{}: loaded ({})\n  {} read ({} blank skipped): {}, {} updated, {} unchanged; {} rejected; {:.2} s",
            file_name(&self.path),
            read.source(),
            count(read.rows_read, "row", "rows"),
            read.rows_blank,
            count(self.orders_new, "new order", "new orders"),
            self.orders_updated,
            self.orders_same,
            read.rows_rejected,
            self.duration.as_secs_f64()
        );
        if self.duplicates_in_file > 0 {
            text.push_str(&format!(
                "\n  {} an order id given earlier in the file: the last row for each id was kept",
                if self.duplicates_in_file == 1 {
                    "1 row repeats".to_string()
                } else {
                    format!("{} rows repeat", self.duplicates_in_file)
                }
            ));
        }
        if let Some(before) = self.rejected_before {
            text.push_str(&format!(
                "\n  loaded again: {} its earlier loads set aside {} read again with it ({} rejected now)",
                count(before, "row", "rows"),
                if before == 1 { "was" } else { "were" },
                read.rows_rejected
            ));
        }
        for note in read.notes() {
            text.push_str(&format!("\n  {note}"));
        }
        if self.orders_reopened > 0 {
            text.push_str(&format!(
                "\n  warning: {} moved from closed back to open (was an older export loaded after a newer one?)",
                count(self.orders_reopened, "order", "orders")
            ));
        }
        text
    }
}

/// `1 row`, `2 rows`: a count with its noun, singular for one.
pub fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Loaded(Box<FileSummary>),
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
    /// Load a file again though its content was loaded before (after the clock or the
    /// config was fixed): its rows are merged as usual, and the rows its earlier loads set
    /// aside are examined again.
    pub again: bool,
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
            again: false,
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
        let loaded_before = earlier.is_some();
        if let Some((_, earlier_path, at)) = earlier.filter(|_| !self.again) {
            return Ok(Outcome::AlreadyIngested {
                path: path.to_path_buf(),
                earlier_path,
                at,
            });
        }
        let _settings = crate::store::Bounded::set(conn, self.config.ingest.memory_limit_mb)
            .map_err(|e| IngestError::new(path, Failure::Database(e)))?;
        let loaded = self.store.in_transaction(
            |e| IngestError::new(path, Failure::Database(e)),
            || {
                let result =
                    self.load(path, format, &sha256, size, started)
                        .and_then(|mut summary| {
                            if loaded_before {
                                summary.rejected_before = Some(conn.execute(
                                    queries::INGEST_REJECTED_REPLACE,
                                    params![sha256, summary.file_id],
                                )?
                                    as u64);
                            }
                            Ok(summary)
                        });
                let _ = conn.execute_batch(queries::INGEST_STAGE_DROP);
                if result.is_ok() {
                    crate::checkpoint::reached("ingest-commit");
                }
                result.map_err(|failure| IngestError::new(path, failure))
            },
        );
        let _ = conn.execute_batch(queries::INGEST_STAGE_DROP);
        let summary = loaded?;
        tracing::debug!(elapsed = ?started.elapsed(), "committed");
        Ok(Outcome::Loaded(Box::new(summary)))
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
        let settings = LoadSettings {
            aliases: &self.aliases,
            addresses: &self.addresses,
            header_limit: self.config.ingest.header_search_rows,
            max_cell_chars: self.config.ingest.max_cell_chars as usize,
            show_progress: self.show_progress,
            label: file_name(path),
            received: received_window(self.config),
        };
        let sheet_choice = self.config.ingest.sheet.as_str();
        let limits = Limits::from_config(self.config);
        let mut merger = Merger::new(conn, file_id, self.config.ingest.merge_chunk_rows as usize)?;
        let known = KnownIds::load(conn)?;
        // Reading and converting on one thread, the database on this one.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Staged>(4);
        let (read, db) = std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                let mut load = FileLoad::new(Channel::new(tx, file_id, &known), &settings);
                let sheet = read_into(Input::Path(path), format, sheet_choice, limits, &mut load)?;
                let map = load.finish()?;
                Ok::<_, Failure>((map, load.counts.clone(), sheet))
            });
            let mut db: Result<(), duckdb::Error> = Ok(());
            for staged in rx.iter() {
                if let Err(e) = merger.take(staged) {
                    db = Err(e);
                    break;
                }
            }
            // Dropping the receiver stops a reader still sending after a database error.
            drop(rx);
            let read = reader.join().unwrap_or(Err(Failure::Cancelled));
            tracing::debug!(elapsed = ?started.elapsed(), "rows read and staged");
            (read, db)
        });
        db?;
        let (map, counts, sheet) = read?;
        merger.finish()?;
        let m = merger.merged.clone();
        drop(merger);
        tracing::debug!(elapsed = ?started.elapsed(), rows = counts.loaded, "rows merged");

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
                m.orders_new as i64,
                m.orders_updated as i64,
                m.orders_same as i64,
                m.orders_reopened as i64,
                counts.rejected as i64,
                m.data_from,
                m.data_to,
                now,
                duration.as_millis() as i64,
            ],
        )?;
        Ok(FileSummary {
            file_id,
            path: path.to_path_buf(),
            read: FileRead::new(format, sheet, &map, &counts),
            duplicates_in_file: m.duplicates,
            orders_new: m.orders_new,
            orders_updated: m.orders_updated,
            orders_same: m.orders_same,
            orders_reopened: m.orders_reopened,
            data_from: m.data_from,
            data_to: m.data_to,
            duration,
            rejected_before: None,
        })
    }
}

/// Where a file's bytes come from.
pub enum Input<'a> {
    Path(&'a Path),
    Bytes(&'a [u8]),
}

/// Limits on what a file may make the program hold or unpack.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest CSV line, in bytes.
    pub max_line: u64,
    /// Most a zip workbook (.xlsx, .xlsb, .ods) may unpack to, in bytes.
    pub max_unpacked: u64,
    /// Largest .xls read (it is held in memory whole while it is read), in bytes.
    pub max_xls: u64,
}

impl Limits {
    pub fn from_config(config: &Config) -> Limits {
        let mb = 1024 * 1024;
        Limits {
            max_line: u64::from(config.ingest.max_line_mb) * mb,
            max_unpacked: u64::from(config.ingest.max_unpacked_mb) * mb,
            max_xls: u64::from(config.ingest.max_xls_mb) * mb,
        }
    }
}

/// Reads a file into `load`; returns the worksheet read (for a workbook).
fn read_into<D: Destination + SheetAware + Send>(
    input: Input<'_>,
    format: Format,
    sheet: &str,
    limits: Limits,
    load: &mut FileLoad<'_, D>,
) -> Result<Option<String>, Failure> {
    match (format, input) {
        (Format::Csv(encoding), Input::Path(path)) => {
            csv::read(path, encoding, limits.max_line, load)?;
            Ok(None)
        }
        (Format::Csv(encoding), Input::Bytes(bytes)) => {
            let total = bytes.len() as u64;
            let cursor = std::io::Cursor::new(bytes.to_vec());
            csv::read_from(cursor, total, encoding, limits.max_line, load)?;
            Ok(None)
        }
        (Format::Xlsx, Input::Path(path)) => {
            let file =
                File::open(path).map_err(|e| Failure::File(FileProblem::Io(e.to_string())))?;
            let mut file = std::io::BufReader::new(file);
            xlsx::check_unpacked_size(&mut file, limits.max_unpacked)?;
            // Which sheet holds the orders is looked into only when the workbook has more
            // than one and none is configured (it opens the workbook once more).
            let chosen = if sheet.is_empty() && xlsx::sheet_count(&mut file) > 1 {
                let mut workbook = xlsx::open(path)?;
                load.is_1904 = workbook.has_1904_epoch();
                xlsx::choose(workbook.sheet_names(), sheet, |name| {
                    xlsx::holds_header(&mut workbook, name, load.probe())
                })?
            } else {
                sheet.to_string()
            };
            let sheet = chosen.as_str();
            // Which rows the sheet hides and which formulas have no value takes a pass
            // over its XML of its own: it runs beside calamine's parse, and rows are
            // converted once it is done; the hidden rows read are counted after.
            load.rows_read = Some(Vec::new());
            let marks = xlsx::Marks::new();
            std::thread::scope(|scope| {
                let scan = scope.spawn(|| {
                    let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        xlsx::sheet_marks(file, sheet)
                    }));
                    // Set whatever happened: the reading waits for it.
                    let _ = marks.set(found.unwrap_or_default());
                });
                let read =
                    xlsx::open(path).and_then(|mut w| read_workbook(&mut w, sheet, &marks, load));
                let _ = scan.join();
                if let Some(marks) = marks.get() {
                    load.count_hidden(&marks.hidden);
                }
                read.map(Some)
            })
        }
        (Format::Xlsx, Input::Bytes(bytes)) => {
            xlsx::check_unpacked_size(std::io::Cursor::new(bytes), limits.max_unpacked)?;
            let mut workbook = xlsx::open_reader(std::io::Cursor::new(bytes))?;
            load.is_1904 = workbook.has_1904_epoch();
            let chosen = xlsx::choose(workbook.sheet_names(), sheet, |name| {
                xlsx::holds_header(&mut workbook, name, load.probe())
            })?;
            let sheet = chosen.as_str();
            let marks = xlsx::Marks::from(xlsx::sheet_marks(std::io::Cursor::new(bytes), sheet));
            load.rows_read = Some(Vec::new());
            let name = read_workbook(&mut workbook, sheet, &marks, load)?;
            if let Some(marks) = marks.get() {
                load.count_hidden(&marks.hidden);
            }
            Ok(Some(name))
        }
        (Format::Xls | Format::Xlsb | Format::Ods, Input::Path(path)) => {
            let io = |e: std::io::Error| Failure::File(FileProblem::Io(e.to_string()));
            let file = File::open(path).map_err(io)?;
            let size = file.metadata().map_err(io)?.len();
            let reader = std::io::BufReader::new(file);
            workbook::read(reader, size, format, sheet, limits, load).map(Some)
        }
        (Format::Xls | Format::Xlsb | Format::Ods, Input::Bytes(bytes)) => {
            let reader = std::io::Cursor::new(bytes);
            workbook::read(reader, bytes.len() as u64, format, sheet, limits, load).map(Some)
        }
    }
}

fn read_workbook<RS: Read + std::io::Seek, D: Destination + SheetAware + Send>(
    workbook: &mut calamine::Xlsx<RS>,
    sheet: &str,
    marks: &xlsx::Marks,
    load: &mut FileLoad<'_, D>,
) -> Result<String, Failure> {
    load.is_1904 = workbook.has_1904_epoch();
    let name = xlsx::choose_sheet(workbook, sheet)?;
    load.destination.set_sheet(&name);
    xlsx::read(workbook, &name, marks, load)?;
    Ok(name)
}

/// A destination that records which worksheet its rows came from.
pub trait SheetAware {
    fn set_sheet(&mut self, _sheet: &str) {}
}

impl SheetAware for Channel<'_> {
    fn set_sheet(&mut self, sheet: &str) {
        self.sheet = Some(sheet.to_string());
    }
}

impl SheetAware for Discard {}

/// What a dry run found in a file.
#[derive(Debug, Clone)]
pub struct Check {
    pub read: FileRead,
    /// (row, reason) of the first rejected rows.
    pub rejected: Vec<(u64, String)>,
}

/// Reads and checks a file as ingest would, without a database: nothing is stored.
pub fn check(config: &Config, name: &Path, input: Input<'_>) -> Result<Check, IngestError> {
    let fail = |f: Failure| IngestError::new(name, f);
    let format = match &input {
        Input::Bytes(b) => {
            let prefix = &b[..b.len().min(detect::SNIFF_BYTES)];
            detect::detect(name, prefix, &mut std::io::Cursor::new(b))
        }
        Input::Path(p) => {
            let io = |e: std::io::Error| FileProblem::Io(e.to_string());
            let mut file = File::open(p).map_err(|e| fail(Failure::File(io(e))))?;
            let mut prefix = Vec::new();
            (&mut file)
                .take(detect::SNIFF_BYTES as u64)
                .read_to_end(&mut prefix)
                .map_err(|e| fail(Failure::File(io(e))))?;
            detect::detect(name, &prefix, &mut std::io::BufReader::new(file))
        }
    }
    .map_err(|p| fail(Failure::File(p)))?;
    let aliases = Aliases::new(&config.columns);
    let addresses =
        AddressNormalizer::new(&config.address.prefixes, &config.address.vague_suffixes);
    let settings = LoadSettings {
        aliases: &aliases,
        addresses: &addresses,
        header_limit: config.ingest.header_search_rows,
        max_cell_chars: config.ingest.max_cell_chars as usize,
        show_progress: false,
        label: file_name(name),
        received: received_window(config),
    };
    let mut load = FileLoad::new(Discard::default(), &settings);
    let limits = Limits::from_config(config);
    let sheet = read_into(input, format, &config.ingest.sheet, limits, &mut load).map_err(fail)?;
    let map = load.finish().map_err(fail)?;
    Ok(Check {
        read: FileRead::new(format, sheet, &map, &load.counts),
        rejected: std::mem::take(&mut load.destination.reasons),
    })
}

/// The receive times a row ingested now may have (`ingest.earliest_received` up to now
/// plus `ingest.future_tolerance_hours`).
pub fn received_window(config: &Config) -> row::ReceivedWindow {
    let earliest = config
        .earliest_received()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or(NaiveDateTime::MIN);
    let latest = crate::clock::now(config)
        + chrono::Duration::hours(i64::from(config.ingest.future_tolerance_hours));
    row::ReceivedWindow { earliest, latest }
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
    let format = detect::detect(path, &prefix, &mut file)?;
    file.seek(std::io::SeekFrom::Start(prefix.len() as u64))
        .map_err(io)?;
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
