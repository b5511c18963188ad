//! A cell and a row of cells as every reader (CSV, .xlsx, the other workbooks) delivers
//! them, for the header search and the row conversion alike.

use super::dates;

/// A cell as a reader sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// An Excel date-time cell: its serial number.
    Serial(f64),
    /// A spreadsheet error value such as `#N/A`.
    Error(&'a str),
    /// A formula cell saved without its result (a workbook written by a program that
    /// does not calculate): the value it would show is not in the file.
    NoValue,
    /// Bytes that are not valid text in the file's encoding.
    BadBytes,
}

/// A row of cells with its row number (1-based, as a spreadsheet shows it; for CSV, the
/// line the record starts on).
pub trait RowView {
    fn row_number(&self) -> u64;
    fn len(&self) -> usize;
    fn cell(&self, index: usize) -> CellRef<'_>;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl CellRef<'_> {
    /// The cell as text, for headers and for rejected rows' raw values.
    pub fn to_text(self, is_1904: bool) -> String {
        match self {
            CellRef::Empty => String::new(),
            CellRef::Text(s) => s.to_string(),
            CellRef::Number(n) => format_number(n),
            CellRef::Serial(n) => match dates::from_excel_serial(n, is_1904) {
                // As "%Y-%m-%d %H:%M:%S", without parsing a format string per cell.
                Ok(t) => {
                    use chrono::{Datelike, Timelike};
                    format!(
                        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                        t.year(),
                        t.month(),
                        t.day(),
                        t.hour(),
                        t.minute(),
                        t.second()
                    )
                }
                Err(_) => format_number(n),
            },
            CellRef::Error(e) => e.to_string(),
            CellRef::NoValue => NO_VALUE.to_string(),
            CellRef::BadBytes => "\u{fffd}".to_string(),
        }
    }
}

/// Numbers print as the spreadsheet shows them: ids and phone numbers stored as numbers
/// come back without a trailing `.0`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// How a formula without a stored value shows in a rejected row's cells.
const NO_VALUE: &str = "(公式,无计算结果)";
