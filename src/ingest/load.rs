//! One file's rows: finds the header, converts each row into a work order, a blank or a
//! rejection, and hands it to a destination (the database thread, or nothing for a dry
//! run), counting as it goes.

use super::cell::{CellRef, RowView};
use super::destination::Destination;
use super::header::{Aliases, ColumnMap, HeaderSearch, Searched};
use super::problem::FileProblem;
use super::progress::Progress;
use super::row::{Converted, ReceivedWindow, RowContext};
use super::{Failure, RowSink};
use crate::normalize::AddressNormalizer;

/// Longest raw value kept for a rejected row's cell, in characters.
const RAW_VALUE_CHARS: usize = 2000;

/// Counts kept while a file is read.
#[derive(Debug, Default, Clone)]
pub struct RowCounts {
    pub read: u64,
    pub blank: u64,
    pub loaded: u64,
    pub rejected: u64,
    /// Orders loaded whose close time is before their receive time (kept as they are).
    pub closed_before_received: u64,
    /// Rows with a value in a cell that has no heading (beyond the header's columns or
    /// under a blank one): such values are not loaded.
    pub cells_without_heading: u64,
    /// Rows of the file that Excel hides (loaded like any other).
    pub hidden: u64,
    /// Orders loaded with an optional cell left empty because it could not be read, and
    /// the first such cell, as the rejection it would have been.
    pub unread_optional: u64,
    pub unread_example: Option<String>,
    /// Rows below the header that repeat it (skipped), and rows that are a header in
    /// another column order (the rows below each were read by it).
    pub headers_repeated: Vec<u64>,
    pub headers_reordered: Vec<u64>,
}

/// The row sink for one file: finds the header, converts rows, hands them on.
pub struct FileLoad<'c, D> {
    aliases: &'c Aliases,
    addresses: &'c AddressNormalizer,
    header_limit: u32,
    max_cell_chars: usize,
    received: ReceivedWindow,
    pub is_1904: bool,
    /// The numbers of the rows read (not blank) after the header, kept for an .xlsx so
    /// that those its sheet hides can be counted once the sheet has been looked through
    /// for them (`count_hidden`), which runs beside the reading.
    pub rows_read: Option<Vec<u64>>,
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
    pub received: ReceivedWindow,
}

impl<'c, D: Destination> FileLoad<'c, D> {
    pub fn new(destination: D, settings: &LoadSettings<'c>) -> Self {
        FileLoad {
            aliases: settings.aliases,
            addresses: settings.addresses,
            header_limit: settings.header_limit,
            max_cell_chars: settings.max_cell_chars,
            received: settings.received,
            is_1904: false,
            rows_read: None,
            search: None,
            map: None,
            destination,
            counts: RowCounts::default(),
            progress: Progress::new(settings.show_progress, settings.label.clone()),
        }
    }

    /// Counts the rows read that the sheet hides (`hidden`: row numbers), from the rows
    /// kept in `rows_read`.
    pub fn count_hidden(&mut self, hidden: &std::collections::HashSet<u64>) {
        if let Some(rows) = self.rows_read.take() {
            if !hidden.is_empty() {
                self.counts.hidden = rows.iter().filter(|r| hidden.contains(r)).count() as u64;
            }
        }
    }

    /// Whether a row that cannot be read as an order is the header again: repeated as it
    /// was (skipped), or in another column order (the rows below it are read by it). A
    /// header with other columns refuses the file: it joins two exports.
    fn header_again(&mut self, row: &dyn RowView) -> Result<bool, Failure> {
        let Some(current) = self.map.as_ref() else {
            return Ok(false);
        };
        let mut search = HeaderSearch::new(self.aliases, 1, self.is_1904);
        let Searched::Found(again) = search.offer(row) else {
            return Ok(false);
        };
        let number = row.row_number();
        self.counts.read -= 1;
        if again.same_columns_as(current) {
            self.counts.headers_repeated.push(number);
            return Ok(true);
        }
        if super::destination::merge_flags(&again) != super::destination::merge_flags(current) {
            return Err(Failure::File(FileProblem::SecondHeader {
                row: number,
                first: current.present_headings(),
                second: again.present_headings(),
            }));
        }
        self.counts.headers_reordered.push(number);
        self.map = Some(*again);
        Ok(true)
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

/// Looks for a header row in the first rows of a sheet, and stops the reading there:
/// which sheet of a workbook holds the orders (see `xlsx::choose`).
pub struct HeaderProbe<'c> {
    search: HeaderSearch<'c>,
    pub found: bool,
}

impl RowSink for HeaderProbe<'_> {
    fn row(&mut self, row: &dyn RowView) -> Result<(), Failure> {
        match self.search.offer(row) {
            Searched::NotYet => Ok(()),
            Searched::Found(_) => {
                self.found = true;
                Err(Failure::Cancelled)
            }
            Searched::GaveUp(_) => Err(Failure::Cancelled),
        }
    }

    fn progress(&mut self, _done: u64, _total: u64) {}
}

impl<'c, D> FileLoad<'c, D> {
    /// A probe for a header row as this load would find it.
    pub fn probe(&self) -> HeaderProbe<'c> {
        HeaderProbe {
            search: HeaderSearch::new(self.aliases, self.header_limit, self.is_1904),
            found: false,
        }
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
            received: self.received,
        };
        let converted = context.convert(row);
        if !matches!(converted, Converted::Blank) {
            if let Some(rows) = self.rows_read.as_mut() {
                rows.push(row.row_number());
            }
            let unnamed = |i: usize| map.header_cells.get(i).is_none_or(|h| h.is_empty());
            if (0..row.len()).any(|i| unnamed(i) && !matches!(row.cell(i), CellRef::Empty)) {
                self.counts.cells_without_heading += 1;
            }
        }
        match converted {
            Converted::Blank => self.counts.blank += 1,
            Converted::Order(order) => {
                if order.closed_at.is_some_and(|c| c < order.received_at) {
                    self.counts.closed_before_received += 1;
                }
                if let Some(first) = order.unread.first() {
                    self.counts.unread_optional += 1;
                    if self.counts.unread_example.is_none() {
                        self.counts.unread_example =
                            Some(format!("row {}: {}", row.row_number(), first.message));
                    }
                }
                self.destination.order(&order)?;
                self.counts.loaded += 1;
            }
            Converted::Rejected(problems) => {
                if self.header_again(row)? {
                    return Ok(());
                }
                let map = self.map.as_ref().expect("checked above");
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

    fn record_layout(&self) -> Option<super::RecordLayout> {
        let map = self.map.as_ref()?;
        Some(super::RecordLayout {
            fields: map.header_cells.len(),
            id_index: map.index_of(crate::column::Column::OrderId)?,
        })
    }
}
