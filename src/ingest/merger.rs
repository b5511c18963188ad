//! The database side of a load: appends the reading side's batches to the staging table
//! and to `work_orders`, and merges the staging table into `work_orders` with the SQL in
//! `queries/ingest/`, inside the file's transaction.

use duckdb::{params, Appender, Connection};

use std::time::Instant;

use super::destination::{MergeFlags, Staged};

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
    flags: MergeFlags,
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
            flags: [false; crate::column::OPTIONAL_COUNT],
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
                        r.code.as_str(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::column::Column;
    use crate::ingest::row::OrderRow;
    use crate::ingest::stage::StageBatch;

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
            unread: Vec::new(),
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
