//! Where converted rows go: over a bounded channel to the database thread as Arrow
//! batches (new orders apart from possible restatements, rejected rows with their reason),
//! or nowhere (a dry run). The reading side of a load; it never touches the database.

use super::header::ColumnMap;
use super::known_ids::{id_hash, IdSet, KnownIds};
use super::row::{OrderRow, RowProblem};
use super::stage::{FreshBatch, StageBatch, BATCH_ROWS};
use super::Failure;
use crate::codes::RejectReason;
use crate::column::Column;
use duckdb::arrow::record_batch::RecordBatch;

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
    /// Why: the first of the row's problems.
    pub code: RejectReason,
    pub reason: String,
    pub raw: String,
}

/// What the reading thread hands to the database thread.
pub enum Staged {
    /// The file's header was found: which optional columns it has (merge flags).
    Columns(MergeFlags),
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
            code: problems
                .first()
                .map(|p| p.code)
                .expect("a rejected row has a problem"),
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
pub fn merge_flags(map: &ColumnMap) -> MergeFlags {
    Column::OPTIONAL.map(|c| map.is_present(c))
}

/// Which optional columns a file has, in `Column::OPTIONAL` order.
pub type MergeFlags = [bool; crate::column::OPTIONAL_COUNT];

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
