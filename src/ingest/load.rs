//! Rows → DuckDB: accepted rows are batched as Arrow record batches into a staging table
//! (DuckDB's fastest append path), rejected rows go to `rejected_rows` with their reason.
//! Merging the staging table into `work_orders` is done by the SQL in `queries/ingest/`.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use duckdb::arrow::array::{ArrayRef, Int64Builder, StringBuilder, TimestampMicrosecondBuilder};
use duckdb::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::{params, Appender, Connection};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::header::{Aliases, ColumnMap, HeaderSearch, Searched};
use super::problem::FileProblem;
use super::row::{Converted, OrderRow, RowContext, RowProblem, RowView};
use super::{Failure, RowSink};
use crate::column::Column;
use crate::normalize::AddressNormalizer;

/// Rows per record batch handed to DuckDB.
const BATCH_ROWS: usize = 8 * 1024;

/// Longest raw value kept for a rejected row's cell, in characters.
const RAW_VALUE_CHARS: usize = 2000;

/// The optional text columns, in staging-table order after the fixed ones.
const OPTIONAL_TEXT: [Column; 8] = [
    Column::Channel,
    Column::Street,
    Column::Community,
    Column::Content,
    Column::CallerName,
    Column::CallerPhone,
    Column::HandlerUnit,
    Column::Status,
];

/// Arrow builders in the column order of `stage_orders`.
struct StageBatch {
    source_row: Int64Builder,
    order_id: StringBuilder,
    received_at: TimestampMicrosecondBuilder,
    category: StringBuilder,
    address: StringBuilder,
    address_norm: StringBuilder,
    optional: [StringBuilder; 8],
    closed_at: TimestampMicrosecondBuilder,
    related_order_id: StringBuilder,
    rows: usize,
    /// The span of received_at in the batch, in microseconds.
    span: Option<(i64, i64)>,
    schema: Arc<Schema>,
}

fn stage_schema() -> Arc<Schema> {
    let ts = || DataType::Timestamp(TimeUnit::Microsecond, None);
    let mut fields = vec![
        Field::new("source_row", DataType::Int64, false),
        Field::new("order_id", DataType::Utf8, false),
        Field::new("received_at", ts(), false),
        Field::new("category", DataType::Utf8, false),
        Field::new("address", DataType::Utf8, false),
        Field::new("address_norm", DataType::Utf8, false),
    ];
    for c in OPTIONAL_TEXT {
        fields.push(Field::new(c.name(), DataType::Utf8, true));
    }
    fields.push(Field::new("closed_at", ts(), true));
    fields.push(Field::new("related_order_id", DataType::Utf8, true));
    Arc::new(Schema::new(fields))
}

fn micros(t: chrono::NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

impl StageBatch {
    fn new() -> Self {
        StageBatch {
            source_row: Int64Builder::with_capacity(BATCH_ROWS),
            order_id: StringBuilder::new(),
            received_at: TimestampMicrosecondBuilder::with_capacity(BATCH_ROWS),
            category: StringBuilder::new(),
            address: StringBuilder::new(),
            address_norm: StringBuilder::new(),
            optional: Default::default(),
            closed_at: TimestampMicrosecondBuilder::with_capacity(BATCH_ROWS),
            related_order_id: StringBuilder::new(),
            rows: 0,
            span: None,
            schema: stage_schema(),
        }
    }

    fn push(&mut self, order: &OrderRow<'_>) {
        let opt = |b: &mut StringBuilder, v: &str| {
            if v.is_empty() {
                b.append_null()
            } else {
                b.append_value(v)
            }
        };
        self.source_row.append_value(order.row_number as i64);
        self.order_id.append_value(order.get(Column::OrderId));
        let at = micros(order.received_at);
        self.received_at.append_value(at);
        self.span = Some(match self.span {
            Some((from, to)) => (from.min(at), to.max(at)),
            None => (at, at),
        });
        self.category.append_value(order.get(Column::Category));
        self.address.append_value(order.get(Column::Address));
        self.address_norm.append_value(&order.address_norm);
        for (builder, column) in self.optional.iter_mut().zip(OPTIONAL_TEXT) {
            opt(builder, order.get(column));
        }
        self.closed_at.append_option(order.closed_at.map(micros));
        opt(
            &mut self.related_order_id,
            order.get(Column::RelatedOrderId),
        );
        self.rows += 1;
    }

    fn take(&mut self) -> RecordBatch {
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(self.source_row.finish()),
            Arc::new(self.order_id.finish()),
            Arc::new(self.received_at.finish()),
            Arc::new(self.category.finish()),
            Arc::new(self.address.finish()),
            Arc::new(self.address_norm.finish()),
        ];
        for b in &mut self.optional {
            columns.push(Arc::new(b.finish()));
        }
        columns.push(Arc::new(self.closed_at.finish()));
        columns.push(Arc::new(self.related_order_id.finish()));
        self.rows = 0;
        RecordBatch::try_new(Arc::clone(&self.schema), columns)
            .expect("stage batch matches its schema")
    }

    /// The batch as rows of `work_orders` (its column order) for orders not stored yet.
    fn take_fresh(&mut self, file_id: i64) -> FreshBatch {
        let span = self.span.take();
        let rows = self.rows;
        let staged = self.take();
        let file: ArrayRef = Arc::new(duckdb::arrow::array::Int64Array::from(vec![file_id; rows]));
        let mut columns: Vec<ArrayRef> = staged.columns()[1..].to_vec();
        columns.push(Arc::clone(&file));
        columns.push(Arc::clone(staged.column(0)));
        columns.push(file);
        let mut fields: Vec<Field> = self.schema.fields()[1..]
            .iter()
            .map(|f| f.as_ref().clone())
            .collect();
        fields.push(Field::new("file_id", DataType::Int64, false));
        fields.push(Field::new("source_row", DataType::Int64, false));
        fields.push(Field::new("first_file_id", DataType::Int64, false));
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
            .expect("fresh batch matches its schema");
        let at = |m: i64| chrono::DateTime::from_timestamp_micros(m).map(|t| t.naive_utc());
        FreshBatch {
            batch,
            from: span.and_then(|s| at(s.0)),
            to: span.and_then(|s| at(s.1)),
        }
    }
}

/// The order ids stored when a file starts loading, as hashes: a row whose id is not among
/// them, nor earlier in the same file, is a new order. A hash collision only sends a new
/// order the slower way, through staging and comparison.
#[derive(Debug, Default)]
pub struct KnownIds {
    hashes: IdSet,
}

/// A set of id hashes. The hashes are already well mixed, so the set uses a fast hasher.
type IdSet = HashSet<u64, foldhash::fast::FixedState>;

impl KnownIds {
    pub fn load(conn: &Connection) -> Result<Self, duckdb::Error> {
        let mut stmt = conn.prepare(crate::queries::INGEST_KNOWN_IDS)?;
        let mut hashes = IdSet::default();
        for batch in stmt.query_arrow([])? {
            let ids = batch.column(0);
            let ids = ids
                .as_any()
                .downcast_ref::<duckdb::arrow::array::StringArray>()
                .expect("order_id is VARCHAR");
            hashes.extend(ids.iter().flatten().map(id_hash));
        }
        Ok(KnownIds { hashes })
    }
}

fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x0068_6f74_6c69_6e65).hash_one(id)
}

/// Rows of `work_orders` for orders not stored yet, with the span of their received_at.
pub struct FreshBatch {
    batch: RecordBatch,
    from: Option<chrono::NaiveDateTime>,
    to: Option<chrono::NaiveDateTime>,
}

/// Counts kept while a file is read.
#[derive(Debug, Default, Clone)]
pub struct RowCounts {
    pub read: u64,
    pub blank: u64,
    pub loaded: u64,
    pub rejected: u64,
}

/// Where converted rows go: to the database thread, or nowhere (a dry run).
pub trait Destination {
    /// The header was found.
    fn header(&mut self, _map: &ColumnMap) -> Result<(), Failure> {
        Ok(())
    }
    fn order(&mut self, order: &OrderRow<'_>) -> Result<(), Failure>;
    /// A row that cannot be used, with its problems; `raw` is the row's cells as JSON.
    fn reject(
        &mut self,
        row_number: u64,
        problems: &[RowProblem],
        raw: String,
    ) -> Result<(), Failure>;
    fn flush(&mut self) -> Result<(), Failure>;
}

/// A rejected row on its way to `rejected_rows`.
#[derive(Debug, Clone)]
pub struct RejectedRow {
    pub sheet: Option<String>,
    pub row_number: u64,
    pub code: &'static str,
    pub reason: String,
    pub raw: String,
}

/// What the reading thread hands to the database thread.
pub enum Staged {
    /// The file's header was found: which optional columns it has (merge flags).
    Columns([bool; 10]),
    /// Rows whose id may be stored already: staged, compared and merged.
    Orders(RecordBatch),
    /// Rows of orders not stored yet: appended as they are.
    Fresh(FreshBatch),
    Rejected(Vec<RejectedRow>),
}

/// The reading side of a load: converted rows leave as Arrow batches over a bounded
/// channel, so parsing and the database work on two cores at once and at most a few
/// batches wait in memory.
pub struct Channel<'k> {
    tx: std::sync::mpsc::SyncSender<Staged>,
    pub sheet: Option<String>,
    file_id: i64,
    /// Rows that may update a stored order (or one earlier in the file).
    batch: StageBatch,
    /// Rows of new orders.
    fresh: StageBatch,
    known: &'k KnownIds,
    /// Hashes of the ids seen so far in this file.
    seen: IdSet,
    rejected: Vec<RejectedRow>,
}

impl<'k> Channel<'k> {
    pub fn new(tx: std::sync::mpsc::SyncSender<Staged>, file_id: i64, known: &'k KnownIds) -> Self {
        Channel {
            tx,
            sheet: None,
            file_id,
            batch: StageBatch::new(),
            fresh: StageBatch::new(),
            known,
            seen: IdSet::default(),
            rejected: Vec::new(),
        }
    }

    fn send_fresh(&mut self) -> Result<(), Failure> {
        if self.fresh.rows > 0 {
            let batch = self.fresh.take_fresh(self.file_id);
            self.send(Staged::Fresh(batch))?;
        }
        Ok(())
    }

    /// Sends the staged rows, after every new order read before them: a staged row may
    /// restate one of those, and must be merged after it is stored.
    fn send_staged(&mut self) -> Result<(), Failure> {
        self.send_fresh()?;
        if self.batch.rows > 0 {
            let batch = self.batch.take();
            self.send(Staged::Orders(batch))?;
        }
        Ok(())
    }

    fn send(&self, staged: Staged) -> Result<(), Failure> {
        // The database side hung up: it failed and says why itself.
        self.tx.send(staged).map_err(|_| Failure::Cancelled)
    }
}

impl Destination for Channel<'_> {
    fn header(&mut self, map: &ColumnMap) -> Result<(), Failure> {
        self.send(Staged::Columns(merge_flags(map)))
    }

    fn order(&mut self, order: &OrderRow<'_>) -> Result<(), Failure> {
        let hash = id_hash(order.get(Column::OrderId));
        let first_in_file = self.seen.insert(hash);
        if first_in_file && !self.known.hashes.contains(&hash) {
            self.fresh.push(order);
            if self.fresh.rows >= BATCH_ROWS {
                self.send_fresh()?;
            }
        } else {
            self.batch.push(order);
            if self.batch.rows >= BATCH_ROWS {
                self.send_staged()?;
            }
        }
        Ok(())
    }

    fn reject(
        &mut self,
        row_number: u64,
        problems: &[RowProblem],
        raw: String,
    ) -> Result<(), Failure> {
        self.rejected.push(RejectedRow {
            sheet: self.sheet.clone(),
            row_number,
            code: problems.first().map(|p| p.code).unwrap_or("unknown"),
            reason: problems
                .iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            raw,
        });
        if self.rejected.len() >= 4096 {
            let rows = std::mem::take(&mut self.rejected);
            self.send(Staged::Rejected(rows))?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Failure> {
        self.send_staged()?;
        if !self.rejected.is_empty() {
            let rows = std::mem::take(&mut self.rejected);
            self.send(Staged::Rejected(rows))?;
        }
        Ok(())
    }
}

/// The optional columns a file has, in the order of the merge queries' flags.
pub fn merge_flags(map: &ColumnMap) -> [bool; 10] {
    [
        map.is_present(Column::Channel),
        map.is_present(Column::Street),
        map.is_present(Column::Community),
        map.is_present(Column::Content),
        map.is_present(Column::CallerName),
        map.is_present(Column::CallerPhone),
        map.is_present(Column::HandlerUnit),
        map.is_present(Column::Status),
        map.is_present(Column::ClosedAt),
        map.is_present(Column::RelatedOrderId),
    ]
}

/// What merging one chunk did: orders new, updated, unchanged, reopened, repeated from an
/// earlier chunk; the span of received_at.
type ChunkCounts = (
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<chrono::NaiveDateTime>,
    Option<chrono::NaiveDateTime>,
);

/// What merging a file did, summed over its chunks.
#[derive(Debug, Default, Clone)]
pub struct Merged {
    pub orders_new: u64,
    pub orders_updated: u64,
    pub orders_same: u64,
    pub orders_reopened: u64,
    pub duplicates: u64,
    pub data_from: Option<chrono::NaiveDateTime>,
    pub data_to: Option<chrono::NaiveDateTime>,
}

impl Merged {
    fn add_span(&mut self, from: Option<chrono::NaiveDateTime>, to: Option<chrono::NaiveDateTime>) {
        self.data_from = match (self.data_from, from) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.data_to = match (self.data_to, to) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

/// The database side of a load: appends batches to the staging table and merges it into
/// `work_orders` every `chunk_rows` rows, so memory stays bounded whatever the file's size.
/// All of it happens inside the file's transaction.
pub struct Merger<'c> {
    conn: &'c Connection,
    file_id: i64,
    chunk_rows: usize,
    flags: [bool; 10],
    stage: Appender<'c>,
    orders: Option<Appender<'c>>,
    rejected: Option<Appender<'c>>,
    staged: usize,
    pub merged: Merged,
}

impl<'c> Merger<'c> {
    pub fn new(
        conn: &'c Connection,
        file_id: i64,
        chunk_rows: usize,
    ) -> Result<Self, duckdb::Error> {
        conn.execute_batch(crate::queries::INGEST_STAGE_CREATE)?;
        Ok(Merger {
            conn,
            file_id,
            chunk_rows: chunk_rows.max(1),
            flags: [false; 10],
            stage: conn.appender_to_catalog_and_db("stage_orders", "temp", "main")?,
            orders: None,
            rejected: None,
            staged: 0,
            merged: Merged::default(),
        })
    }

    pub fn take(&mut self, staged: Staged) -> Result<(), duckdb::Error> {
        match staged {
            Staged::Columns(flags) => self.flags = flags,
            Staged::Orders(batch) => {
                self.staged += batch.num_rows();
                self.stage.append_record_batch(batch)?;
                // The appender would otherwise hold a copy of many batches besides the table.
                self.stage.flush()?;
                if self.staged >= self.chunk_rows {
                    self.merge()?;
                }
            }
            Staged::Fresh(fresh) => {
                if self.orders.is_none() {
                    self.orders = Some(self.conn.appender("work_orders")?);
                }
                let app = self.orders.as_mut().expect("just set");
                let rows = fresh.batch.num_rows() as u64;
                app.append_record_batch(fresh.batch)?;
                // Flushed batch by batch, like the staging table (measured: flushing every
                // 64k rows is no faster and takes more memory).
                app.flush()?;
                self.merged.add_span(fresh.from, fresh.to);
                self.merged.orders_new += rows;
            }
            Staged::Rejected(rows) => {
                if self.rejected.is_none() {
                    self.rejected = Some(self.conn.appender("rejected_rows")?);
                }
                let app = self.rejected.as_mut().expect("just set");
                for r in rows {
                    app.append_row(params![
                        self.file_id,
                        r.sheet,
                        r.row_number as i64,
                        r.code,
                        r.reason,
                        r.raw
                    ])?;
                }
            }
        }
        Ok(())
    }

    /// Merges what is staged into `work_orders` and empties the staging table.
    pub fn merge(&mut self) -> Result<(), duckdb::Error> {
        use crate::queries;
        let started = Instant::now();
        if let Some(orders) = self.orders.as_mut() {
            orders.flush()?;
        }
        self.stage.flush()?;
        if self.staged == 0 {
            return Ok(());
        }
        let conn = self.conn;
        let duplicates: i64 = conn.query_row(queries::INGEST_STAGE_DUPLICATES, [], |r| r.get(0))?;
        if duplicates > 0 {
            conn.execute_batch(queries::INGEST_STAGE_DEDUPE)?;
        }
        type Known = (
            i64,
            i64,
            Option<chrono::NaiveDateTime>,
            Option<chrono::NaiveDateTime>,
        );
        let known: Known = conn.query_row(queries::INGEST_STAGE_KNOWN, [], |r| r.try_into())?;
        let c = if known.0 == 0 {
            // Nothing in the chunk is stored yet: nothing to compare or update.
            conn.execute(queries::INGEST_MERGE_INSERT, params![self.file_id])?;
            (known.1, 0, 0, 0, 0, known.2, known.3)
        } else {
            self.merge_known()?
        };
        // A fresh staging table rather than DELETE: deleted rows keep their storage until
        // the transaction ends, so the table would grow to the whole file.
        conn.execute_batch(queries::INGEST_STAGE_CREATE)?;
        self.stage = conn.appender_to_catalog_and_db("stage_orders", "temp", "main")?;
        tracing::debug!(rows = self.staged, known = known.0, elapsed = ?started.elapsed(), "chunk merged");
        let m = &mut self.merged;
        m.orders_new += c.0 as u64;
        m.orders_updated += c.1 as u64;
        m.orders_same += c.2 as u64;
        m.orders_reopened += c.3 as u64;
        m.duplicates += (duplicates + c.4) as u64;
        m.add_span(c.5, c.6);
        self.staged = 0;
        Ok(())
    }

    /// Merges a chunk some of whose orders are stored: counts what changes, updates the
    /// stored orders and appends the rest.
    fn merge_known(&self) -> Result<ChunkCounts, duckdb::Error> {
        use crate::queries;
        let conn = self.conn;
        let mut flags: Vec<&dyn duckdb::ToSql> =
            self.flags.iter().map(|f| f as &dyn duckdb::ToSql).collect();
        flags.push(&self.file_id);
        let c: ChunkCounts =
            conn.query_row(queries::INGEST_MERGE_COUNTS, flags.as_slice(), |r| {
                r.try_into()
            })?;
        conn.execute(queries::INGEST_MERGE_UPDATE, flags.as_slice())?;
        conn.execute(queries::INGEST_MERGE_INSERT, params![self.file_id])?;
        Ok(c)
    }

    /// Merges the last chunk and writes out the rejected rows.
    pub fn finish(&mut self) -> Result<(), duckdb::Error> {
        self.merge()?;
        if let Some(rejected) = self.rejected.as_mut() {
            rejected.flush()?;
        }
        Ok(())
    }
}

/// A dry run: rows are converted and counted, nothing is stored. The rejection reasons are
/// kept (up to a limit) to show.
#[derive(Debug, Default)]
pub struct Discard {
    pub reasons: Vec<(u64, String)>,
}

impl Destination for Discard {
    fn order(&mut self, _order: &OrderRow<'_>) -> Result<(), Failure> {
        Ok(())
    }
    fn reject(&mut self, row: u64, problems: &[RowProblem], _raw: String) -> Result<(), Failure> {
        if self.reasons.len() < 1000 {
            let text = problems
                .iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join(";");
            self.reasons.push((row, text));
        }
        Ok(())
    }
    fn flush(&mut self) -> Result<(), Failure> {
        Ok(())
    }
}

/// The row sink for one file: finds the header, converts rows, hands them on.
pub struct FileLoad<'c, D> {
    aliases: &'c Aliases,
    addresses: &'c AddressNormalizer,
    header_limit: u32,
    max_cell_chars: usize,
    pub is_1904: bool,
    search: Option<HeaderSearch<'c>>,
    pub map: Option<ColumnMap>,
    pub destination: D,
    pub counts: RowCounts,
    progress: Progress,
}

pub struct LoadSettings<'c> {
    pub aliases: &'c Aliases,
    pub addresses: &'c AddressNormalizer,
    pub header_limit: u32,
    pub max_cell_chars: usize,
    pub show_progress: bool,
    pub label: String,
}

impl<'c, D: Destination> FileLoad<'c, D> {
    pub fn new(destination: D, settings: &LoadSettings<'c>) -> Self {
        FileLoad {
            aliases: settings.aliases,
            addresses: settings.addresses,
            header_limit: settings.header_limit,
            max_cell_chars: settings.max_cell_chars,
            is_1904: false,
            search: None,
            map: None,
            destination,
            counts: RowCounts::default(),
            progress: Progress::new(settings.show_progress, settings.label.clone()),
        }
    }

    /// Flushes what is buffered; returns the column map, or the reason the file is unusable.
    pub fn finish(&mut self) -> Result<ColumnMap, Failure> {
        self.progress.finish();
        let Some(map) = self.map.clone() else {
            let miss = match &self.search {
                Some(search) => search.miss(),
                None => HeaderSearch::new(self.aliases, self.header_limit, self.is_1904).miss(),
            };
            return Err(Failure::File(FileProblem::NoHeader(miss)));
        };
        if self.counts.read == self.counts.blank {
            return Err(Failure::File(FileProblem::NoRows));
        }
        self.destination.flush()?;
        Ok(map)
    }
}

/// A rejected row's cells as a JSON object, heading → text, in file order (long values
/// shortened).
fn raw_values(row: &dyn RowView, map: &ColumnMap, is_1904: bool) -> String {
    let mut raw = String::from("{");
    let mut names_seen = std::collections::HashSet::new();
    for i in 0..row.len().max(map.header_cells.len()) {
        let cell = if i < row.len() {
            row.cell(i).to_text(is_1904)
        } else {
            String::new()
        };
        let mut name = map.cell_name(i);
        if !names_seen.insert(name.clone()) {
            name = format!("{name}({})", i + 1);
        }
        if raw.len() > 1 {
            raw.push(',');
        }
        let chars = cell.chars().count();
        let cell = if chars > RAW_VALUE_CHARS {
            let kept: String = cell.chars().take(RAW_VALUE_CHARS).collect();
            format!("{kept}…(共{chars}字)")
        } else {
            cell
        };
        raw.push_str(&serde_json::to_string(&name).expect("string serializes"));
        raw.push(':');
        raw.push_str(&serde_json::to_string(&cell).expect("string serializes"));
    }
    raw.push('}');
    raw
}

impl<D: Destination> RowSink for FileLoad<'_, D> {
    fn row(&mut self, row: &dyn RowView) -> Result<(), Failure> {
        if self.map.is_none() {
            let search = self.search.get_or_insert_with(|| {
                HeaderSearch::new(self.aliases, self.header_limit, self.is_1904)
            });
            match search.offer(row) {
                Searched::Found(map) => {
                    self.destination.header(&map)?;
                    self.map = Some(*map);
                }
                Searched::NotYet => {}
                Searched::GaveUp(miss) => {
                    return Err(Failure::File(FileProblem::NoHeader(miss)));
                }
            }
            return Ok(());
        }
        self.counts.read += 1;
        let map = self.map.as_ref().expect("checked above");
        let context = RowContext {
            map,
            addresses: self.addresses,
            is_1904: self.is_1904,
            max_cell_chars: self.max_cell_chars,
        };
        match context.convert(row) {
            Converted::Blank => self.counts.blank += 1,
            Converted::Order(order) => {
                self.destination.order(&order)?;
                self.counts.loaded += 1;
            }
            Converted::Rejected(problems) => {
                let raw = raw_values(row, map, self.is_1904);
                self.destination.reject(row.row_number(), &problems, raw)?;
                self.counts.rejected += 1;
            }
        }
        Ok(())
    }

    fn progress(&mut self, done: u64, total: u64) {
        self.progress.update(done, total);
    }
}

/// A progress bar on the terminal, shown only once a file has taken more than a moment.
struct Progress {
    bar: Option<ProgressBar>,
    enabled: bool,
    started: Instant,
    label: String,
}

impl Progress {
    fn new(enabled: bool, label: String) -> Self {
        Progress {
            bar: None,
            enabled,
            started: Instant::now(),
            label,
        }
    }

    fn update(&mut self, done: u64, total: u64) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.started.elapsed().as_millis() >= 700 {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {percent:>3}% {elapsed_precise}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.set_message(self.label.clone());
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(id: &str, row_number: u64) -> OrderRow<'static> {
        let mut text: [std::borrow::Cow<'static, str>; crate::column::COUNT] = Default::default();
        text[Column::OrderId.index()] = id.to_string().into();
        text[Column::Category.index()] = "噪声扰民".into();
        text[Column::Address.index()] = "星沙街道1号".into();
        OrderRow {
            row_number,
            received_at: chrono::NaiveDate::from_ymd_opt(2025, 1, 3)
                .unwrap()
                .and_hms_opt(8, 5, 0)
                .unwrap(),
            closed_at: None,
            address_norm: "星沙街道1号".into(),
            text,
        }
    }

    #[test]
    fn a_new_order_routed_through_staging_is_inserted_once() {
        // What a hash collision with a stored id does: a new order takes the staged path.
        let conn = Connection::open_in_memory().unwrap();
        for (_, _, sql) in crate::queries::MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(crate::queries::RULES_CREATE).unwrap();
        conn.execute_batch("BEGIN TRANSACTION").unwrap();
        let mut merger = Merger::new(&conn, 1, 1000).unwrap();
        let mut staged = StageBatch::new();
        staged.push(&order("N1", 2));
        let mut fresh = StageBatch::new();
        fresh.push(&order("N2", 3));
        merger.take(Staged::Fresh(fresh.take_fresh(1))).unwrap();
        merger.take(Staged::Orders(staged.take())).unwrap();
        merger.finish().unwrap();
        let m = merger.merged.clone();
        drop(merger);
        conn.execute_batch("COMMIT").unwrap();
        assert_eq!((m.orders_new, m.orders_updated, m.duplicates), (2, 0, 0));
        let ids: Vec<String> = conn
            .prepare("SELECT order_id FROM work_orders ORDER BY order_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(ids, ["N1", "N2"]);
    }
}
