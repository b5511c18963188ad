//! Rows → DuckDB: accepted rows are batched as Arrow record batches into a staging table
//! (DuckDB's fastest append path), rejected rows go to `rejected_rows` with their reason.
//! Merging the staging table into `work_orders` is done by the SQL in `queries/ingest/`.

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
const BATCH_ROWS: usize = 32 * 1024;

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
        self.received_at.append_value(micros(order.received_at));
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
}

/// Counts kept while a file is read.
#[derive(Debug, Default, Clone)]
pub struct RowCounts {
    pub read: u64,
    pub blank: u64,
    pub loaded: u64,
    pub rejected: u64,
}

/// The row sink for one file: finds the header, converts rows, stages or rejects them.
pub struct FileLoad<'c> {
    conn: &'c Connection,
    file_id: i64,
    sheet: Option<String>,
    aliases: &'c Aliases,
    addresses: &'c AddressNormalizer,
    header_limit: u32,
    max_cell_chars: usize,
    pub is_1904: bool,
    search: Option<HeaderSearch<'c>>,
    pub map: Option<ColumnMap>,
    stage: Appender<'c>,
    rejected: Option<Appender<'c>>,
    batch: StageBatch,
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

impl<'c> FileLoad<'c> {
    pub fn new(
        conn: &'c Connection,
        file_id: i64,
        sheet: Option<String>,
        settings: &LoadSettings<'c>,
    ) -> Result<Self, duckdb::Error> {
        let stage = conn.appender_to_catalog_and_db("stage_orders", "temp", "main")?;
        Ok(FileLoad {
            conn,
            file_id,
            sheet,
            aliases: settings.aliases,
            addresses: settings.addresses,
            header_limit: settings.header_limit,
            max_cell_chars: settings.max_cell_chars,
            is_1904: false,
            search: None,
            map: None,
            stage,
            rejected: None,
            batch: StageBatch::new(),
            counts: RowCounts::default(),
            progress: Progress::new(settings.show_progress, settings.label.clone()),
        })
    }

    pub fn set_sheet(&mut self, sheet: String) {
        self.sheet = Some(sheet);
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
        if self.batch.rows > 0 {
            let batch = self.batch.take();
            self.stage.append_record_batch(batch)?;
        }
        self.stage.flush()?;
        if let Some(rejected) = self.rejected.as_mut() {
            rejected.flush()?;
        }
        Ok(map)
    }

    fn reject(&mut self, row: &dyn RowView, problems: Vec<RowProblem>) -> Result<(), Failure> {
        let map = self
            .map
            .as_ref()
            .expect("rows are rejected after the header");
        let mut raw = String::from("{");
        let mut names_seen = std::collections::HashSet::new();
        for i in 0..row.len().max(map.header_cells.len()) {
            let cell = if i < row.len() {
                row.cell(i).to_text(self.is_1904)
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
        let code = problems.first().map(|p| p.code).unwrap_or("unknown");
        let reason = problems
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>()
            .join(";");
        if self.rejected.is_none() {
            self.rejected = Some(self.conn.appender("rejected_rows")?);
        }
        let app = self.rejected.as_mut().expect("just set");
        app.append_row(params![
            self.file_id,
            self.sheet.as_deref(),
            row.row_number() as i64,
            code,
            reason,
            raw
        ])?;
        self.counts.rejected += 1;
        Ok(())
    }
}

impl RowSink for FileLoad<'_> {
    fn row(&mut self, row: &dyn RowView) -> Result<(), Failure> {
        if self.map.is_none() {
            let search = self.search.get_or_insert_with(|| {
                HeaderSearch::new(self.aliases, self.header_limit, self.is_1904)
            });
            match search.offer(row) {
                Searched::Found(map) => self.map = Some(*map),
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
                self.batch.push(&order);
                self.counts.loaded += 1;
                if self.batch.rows >= BATCH_ROWS {
                    let batch = self.batch.take();
                    self.stage.append_record_batch(batch)?;
                }
            }
            Converted::Rejected(problems) => self.reject(row, problems)?,
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
