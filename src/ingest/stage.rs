//! Accepted rows as Arrow record batches in the column order of the staging table (DuckDB's
//! fastest append path), or of `work_orders` for orders not stored yet. The columns come
//! from `column.rs`; nothing here talks to the database.

use std::sync::Arc;

use duckdb::arrow::array::{ArrayRef, Int64Builder, StringBuilder, TimestampMicrosecondBuilder};
use duckdb::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use duckdb::arrow::record_batch::RecordBatch;

use super::row::OrderRow;
use crate::column::Column;

/// Rows per record batch handed to DuckDB.
pub const BATCH_ROWS: usize = 8 * 1024;

/// One column's Arrow builder.
enum Builder {
    Text(StringBuilder),
    Time(TimestampMicrosecondBuilder),
}

impl Builder {
    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Time(b) => Arc::new(b.finish()),
        }
    }
}

/// Arrow builders in the column order of `stage_orders` (`Column::staging_names`).
pub struct StageBatch {
    source_row: Int64Builder,
    /// One per stored work-order column (`Column::stored_names`).
    columns: Vec<Builder>,
    pub rows: usize,
    /// The span of received_at in the batch, in microseconds.
    span: Option<(i64, i64)>,
    schema: Arc<Schema>,
}

fn stage_schema() -> Arc<Schema> {
    let ts = || DataType::Timestamp(TimeUnit::Microsecond, None);
    let mut fields = vec![Field::new(
        crate::column::SOURCE_ROW,
        DataType::Int64,
        false,
    )];
    for c in Column::ALL {
        let kind = if c.is_date() { ts() } else { DataType::Utf8 };
        fields.push(Field::new(c.name(), kind, !c.is_required()));
        if c == Column::Address {
            fields.push(Field::new(
                crate::column::ADDRESS_NORM,
                DataType::Utf8,
                false,
            ));
        }
    }
    Arc::new(Schema::new(fields))
}

fn micros(t: chrono::NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

impl Default for StageBatch {
    fn default() -> Self {
        StageBatch::new()
    }
}

impl StageBatch {
    pub fn new() -> Self {
        let schema = stage_schema();
        let columns = schema.fields()[1..]
            .iter()
            .map(|f| match f.data_type() {
                DataType::Utf8 => Builder::Text(StringBuilder::new()),
                _ => Builder::Time(TimestampMicrosecondBuilder::with_capacity(BATCH_ROWS)),
            })
            .collect();
        StageBatch {
            source_row: Int64Builder::with_capacity(BATCH_ROWS),
            columns,
            rows: 0,
            span: None,
            schema,
        }
    }

    pub fn push(&mut self, order: &OrderRow<'_>) {
        self.source_row.append_value(order.row_number as i64);
        let at = micros(order.received_at);
        self.span = Some(match self.span {
            Some((from, to)) => (from.min(at), to.max(at)),
            None => (at, at),
        });
        let mut builders = self.columns.iter_mut();
        let mut next = || builders.next().expect("a builder per stored column");
        for c in Column::ALL {
            match (next(), c) {
                (Builder::Time(b), Column::ReceivedAt) => b.append_value(at),
                (Builder::Time(b), _) => b.append_option(order.closed_at.map(micros)),
                (Builder::Text(b), c) => match order.get(c) {
                    "" if !c.is_required() => b.append_null(),
                    v => b.append_value(v),
                },
            }
            if c == Column::Address {
                match next() {
                    Builder::Text(b) => b.append_value(&order.address_norm),
                    Builder::Time(_) => unreachable!("address_norm is text"),
                }
            }
        }
        self.rows += 1;
    }

    pub fn take(&mut self) -> RecordBatch {
        let mut columns: Vec<ArrayRef> = vec![Arc::new(self.source_row.finish())];
        columns.extend(self.columns.iter_mut().map(Builder::finish));
        self.rows = 0;
        RecordBatch::try_new(Arc::clone(&self.schema), columns)
            .expect("stage batch matches its schema")
    }

    /// The batch as rows of `work_orders` (its column order) for orders not stored yet.
    pub fn take_fresh(&mut self, file_id: i64) -> FreshBatch {
        let span = self.span.take();
        let rows = self.rows;
        let staged = self.take();
        let file: ArrayRef = Arc::new(duckdb::arrow::array::Int64Array::from(vec![file_id; rows]));
        // work_orders: the stored columns, then file_id, source_row, first_file_id.
        let mut columns: Vec<ArrayRef> = staged.columns()[1..].to_vec();
        columns.push(Arc::clone(&file));
        columns.push(Arc::clone(staged.column(0)));
        columns.push(file);
        let mut fields: Vec<Field> = self.schema.fields()[1..]
            .iter()
            .map(|f| f.as_ref().clone())
            .collect();
        for name in crate::column::PROVENANCE {
            fields.push(Field::new(name, DataType::Int64, false));
        }
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

/// Rows of `work_orders` for orders not stored yet, with the span of their received_at.
pub struct FreshBatch {
    pub batch: RecordBatch,
    pub from: Option<chrono::NaiveDateTime>,
    pub to: Option<chrono::NaiveDateTime>,
}
