//! Finding the header row and mapping its cells onto the canonical columns.
//!
//! Title rows may sit above the header; the header is the first row that, once its cells go
//! through the configured aliases, holds every required column. When none does within the
//! search window, the row that looked most like a header is named in the error.

use std::collections::HashMap;

use super::cell::RowView;
use super::problem::HeaderMiss;
use crate::column::{Column, COUNT};
use crate::config::Columns;
use crate::normalize;

/// Folded header names → (column, preference; lower is preferred).
#[derive(Debug, Clone)]
pub struct Aliases {
    by_name: HashMap<String, (Column, usize)>,
    /// For messages: "order_id (工单编号/工单号/编号)".
    descriptions: [String; COUNT],
}

impl Aliases {
    pub fn new(columns: &Columns) -> Self {
        let mut by_name = HashMap::new();
        let mut descriptions: [String; COUNT] = Default::default();
        for (column, aliases) in columns.by_column() {
            for (rank, alias) in aliases.iter().enumerate() {
                by_name
                    .entry(normalize::header(alias))
                    .or_insert((column, rank));
            }
            // The canonical name itself is understood too, after every alias.
            by_name
                .entry(column.name().to_string())
                .or_insert((column, usize::MAX));
            descriptions[column.index()] = if aliases.is_empty() {
                column.name().to_string()
            } else {
                format!("{} ({})", column.name(), aliases.join("/"))
            };
        }
        Aliases {
            by_name,
            descriptions,
        }
    }

    fn lookup(&self, heading: &str) -> Option<(Column, usize)> {
        self.by_name.get(&normalize::header(heading)).copied()
    }

    /// The column a heading names, read as ingest reads it.
    pub fn column_of(&self, heading: &str) -> Option<Column> {
        self.lookup(heading).map(|(column, _)| column)
    }

    pub fn describe(&self, column: Column) -> &str {
        &self.descriptions[column.index()]
    }
}

/// Where each canonical column sits in a file, and the file's own heading for it.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    indexes: [Option<usize>; COUNT],
    headings: [String; COUNT],
    /// The header row's number.
    pub header_row: u64,
    /// Every header cell's text, mapped or not (names the raw values of rejected rows).
    pub header_cells: Vec<String>,
    /// Columns that a second header cell also names: which cell was read, which not.
    pub duplicates: Vec<DuplicateHeading>,
}

/// Two header cells that name one column (the same heading twice, or two of its aliases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateHeading {
    pub column: Column,
    /// (1-based position, heading) of the cell read.
    pub used: (usize, String),
    /// (1-based position, heading) of the cell not read.
    pub ignored: (usize, String),
}

impl std::fmt::Display for DuplicateHeading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "columns {} \"{}\" and {} \"{}\" both name {}: column {} was read, column {} was not loaded",
            self.used.0.min(self.ignored.0),
            if self.used.0 < self.ignored.0 { &self.used.1 } else { &self.ignored.1 },
            self.used.0.max(self.ignored.0),
            if self.used.0 < self.ignored.0 { &self.ignored.1 } else { &self.used.1 },
            self.column.name(),
            self.used.0,
            self.ignored.0
        )
    }
}

impl ColumnMap {
    /// Whether `other` reads every column from the same cell as this map.
    pub fn same_columns_as(&self, other: &ColumnMap) -> bool {
        self.indexes == other.indexes
    }

    /// The file's headings of the columns it has, in the columns' order.
    pub fn present_headings(&self) -> Vec<String> {
        Column::ALL
            .into_iter()
            .filter(|c| self.is_present(*c))
            .map(|c| self.heading(c).to_string())
            .collect()
    }

    pub fn index_of(&self, column: Column) -> Option<usize> {
        self.indexes[column.index()]
    }

    pub fn is_present(&self, column: Column) -> bool {
        self.indexes[column.index()].is_some()
    }

    /// The file's heading for a column, or its usual Chinese label when absent.
    pub fn heading(&self, column: Column) -> &str {
        let h = &self.headings[column.index()];
        if h.is_empty() {
            column.label()
        } else {
            h
        }
    }

    /// The canonical names of the columns this file has, in canonical order.
    pub fn present_names(&self) -> Vec<&'static str> {
        Column::ALL
            .iter()
            .filter(|c| self.is_present(**c))
            .map(|c| c.name())
            .collect()
    }

    /// The name for the cell at `index` in a rejected row's raw values.
    pub fn cell_name(&self, index: usize) -> String {
        match self.header_cells.get(index) {
            Some(h) if !h.trim().is_empty() => h.trim().to_string(),
            _ => format!("第{}列", index + 1),
        }
    }
}

/// Looks for the header among the first rows of a file.
pub struct HeaderSearch<'a> {
    aliases: &'a Aliases,
    limit: u32,
    seen: u32,
    is_1904: bool,
    best: Option<(usize, u64, Vec<String>, Vec<String>)>,
}

pub enum Searched {
    Found(Box<ColumnMap>),
    NotYet,
    GaveUp(HeaderMiss),
}

impl<'a> HeaderSearch<'a> {
    pub fn new(aliases: &'a Aliases, limit: u32, is_1904: bool) -> Self {
        HeaderSearch {
            aliases,
            limit,
            seen: 0,
            is_1904,
            best: None,
        }
    }

    /// Offers the next row (only non-empty rows count toward the limit).
    pub fn offer(&mut self, row: &dyn RowView) -> Searched {
        let cells: Vec<String> = (0..row.len())
            .map(|i| row.cell(i).to_text(self.is_1904).trim().to_string())
            .collect();
        if cells.iter().all(String::is_empty) {
            return Searched::NotYet;
        }
        self.seen += 1;
        let mut indexes: [Option<usize>; COUNT] = [None; COUNT];
        let mut ranks = [usize::MAX; COUNT];
        let mut headings: [String; COUNT] = Default::default();
        let mut known = Vec::new();
        // Per column, every cell that names it (the one read is settled below).
        let mut ignored: Vec<(Column, usize)> = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let Some((column, rank)) = self.aliases.lookup(cell) else {
                continue;
            };
            known.push(cell.clone());
            let slot = column.index();
            if indexes[slot].is_none() || rank < ranks[slot] {
                if let Some(before) = indexes[slot] {
                    ignored.push((column, before));
                }
                indexes[slot] = Some(i);
                ranks[slot] = rank;
                headings[slot] = cell.clone();
            } else {
                ignored.push((column, i));
            }
        }
        let duplicates = ignored
            .into_iter()
            .map(|(column, i)| {
                let used = indexes[column.index()].expect("a column with a duplicate is mapped");
                DuplicateHeading {
                    column,
                    used: (used + 1, cells[used].clone()),
                    ignored: (i + 1, cells[i].clone()),
                }
            })
            .collect();
        let lacking: Vec<Column> = Column::REQUIRED
            .into_iter()
            .filter(|c| indexes[c.index()].is_none())
            .collect();
        if lacking.is_empty() {
            return Searched::Found(Box::new(ColumnMap {
                indexes,
                headings,
                header_row: row.row_number(),
                header_cells: cells,
                duplicates,
            }));
        }
        if !known.is_empty() && self.best.as_ref().is_none_or(|b| known.len() > b.0) {
            self.best = Some((
                known.len(),
                row.row_number(),
                known,
                lacking
                    .iter()
                    .map(|c| self.aliases.describe(*c).to_string())
                    .collect(),
            ));
        }
        if self.seen >= self.limit {
            Searched::GaveUp(self.miss())
        } else {
            Searched::NotYet
        }
    }

    /// The error when the rows ran out (or the limit was reached) without a header.
    pub fn miss(&self) -> HeaderMiss {
        HeaderMiss {
            searched_rows: self.seen.min(self.limit),
            best: self
                .best
                .as_ref()
                .map(|(_, row, known, lacking)| (*row, known.clone(), lacking.clone())),
            required: Column::REQUIRED
                .iter()
                .map(|c| self.aliases.describe(*c).to_string())
                .collect(),
        }
    }
}
