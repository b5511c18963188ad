//! What can make a whole export file unusable. Each message is written for the person who
//! exported the file: it says what is wrong and, where there is one, what to do.

use std::fmt;

/// Why a file could not be used at all. Nothing of such a file reaches the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Io(String),
    Empty,
    UnsupportedType(String),
    /// A workbook name (its extension) on content that is no workbook.
    NotWorkbook(String),
    /// A web page (an HTML table) under a spreadsheet's name (its extension).
    WebPage(String),
    /// A workbook that needs a password to open.
    Encrypted,
    Utf16,
    /// NUL bytes in numbers no text has; the first is on `line`, `offset` bytes into the
    /// file.
    Binary {
        line: u64,
        offset: u64,
    },
    UnknownEncoding(String),
    Workbook(String),
    NoSheets,
    SheetNotFound {
        sheet: String,
        available: Vec<String>,
    },
    NoHeader(HeaderMiss),
    NoRows,
    TooLarge(String),
    /// A quote opened at the start of a cell on `line` never closes: the cell would take
    /// in the record starting on `swallowed`, or run to the end of the file (None).
    UnclosedQuote {
        line: u64,
        swallowed: Option<u64>,
    },
}

/// The best header candidate when no row has all required columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMiss {
    pub searched_rows: u32,
    /// (row number, known column headings found, required columns lacking)
    pub best: Option<(u64, Vec<String>, Vec<String>)>,
    pub required: Vec<String>,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileProblem::Io(e) => write!(f, "cannot read the file: {e}"),
            FileProblem::Empty => write!(f, "the file is empty"),
            FileProblem::UnsupportedType(ext) => write!(
                f,
                "unsupported file type \"{ext}\": only spreadsheet exports (.xlsx, .xls, .xlsb, .ods) and .csv can be read"
            ),
            FileProblem::NotWorkbook(ext) if ext == "xls" || ext == "et" => write!(
                f,
                "not a valid .{ext} workbook: it is neither an Excel 97-2003 workbook nor a web page or CSV text saved under that name"
            ),
            FileProblem::NotWorkbook(ext) => write!(
                f,
                "not a valid .{ext} workbook (an .{ext} file is a zip archive, this one is not)"
            ),
            FileProblem::WebPage(ext) => write!(
                f,
                "this .{ext} file is really a web page (an HTML table, as some platforms export under a spreadsheet's name), not a workbook: open it in Excel or WPS and save it as .xlsx, or export the orders as CSV, and ingest that file"
            ),
            FileProblem::Encrypted => write!(
                f,
                "the workbook is encrypted (it needs a password to open), so it cannot be read: open it in Excel or WPS with its password, save a copy without one (Excel: File > Info > Protect Workbook > Encrypt with Password, then clear the password; WPS: 文件 > 文档加密), and ingest that copy"
            ),
            FileProblem::Utf16 => write!(
                f,
                "the CSV is UTF-16 encoded: save it as CSV in UTF-8 or GBK"
            ),
            FileProblem::Binary { line, offset } => write!(
                f,
                "the CSV holds NUL bytes from line {line} on (the first at byte {offset}), so it is not a text file (UTF-16 without a byte order mark, or binary data): save it as CSV in UTF-8 or GBK"
            ),
            FileProblem::UnknownEncoding(guess) => write!(
                f,
                "the CSV is neither UTF-8 nor GBK/GB18030 (it looks like {guess}): save it as CSV in UTF-8 or GBK"
            ),
            FileProblem::Workbook(e) => write!(f, "cannot read the workbook: {e}"),
            FileProblem::NoSheets => write!(f, "the workbook has no worksheets"),
            FileProblem::SheetNotFound { sheet, available } => write!(
                f,
                "the workbook has no worksheet named \"{sheet}\" (it has: {}); check ingest.sheet in the config",
                available.join(", ")
            ),
            FileProblem::NoHeader(miss) => write!(f, "{miss}"),
            FileProblem::NoRows => write!(
                f,
                "the file has a header row but no work orders below it"
            ),
            FileProblem::TooLarge(what) => write!(f, "{what}"),
            FileProblem::UnclosedQuote { line, swallowed: Some(next) } => write!(
                f,
                "line {line}: a cell opens a quote (\") that does not close before line {next}, which reads as a work order of its own: the rows in between would be lost inside that cell, so nothing from this file was kept; remove the stray quote or close it, and ingest the file again"
            ),
            FileProblem::UnclosedQuote { line, swallowed: None } => write!(
                f,
                "line {line}: a cell opens a quote (\") that never closes, so the cell would run to the end of the file; nothing from this file was kept: remove the stray quote or close it, and ingest the file again"
            ),
        }
    }
}

impl fmt::Display for HeaderMiss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no header row found in the first {} rows: ",
            self.searched_rows
        )?;
        match &self.best {
            Some((row, found, lacking)) => write!(
                f,
                "row {row} looks most like one (it has {}) but lacks the required column{} {}; add the column or its name to [columns] in the config",
                found.join(", "),
                if lacking.len() == 1 { "" } else { "s" },
                lacking.join(", ")
            ),
            None => write!(
                f,
                "no row holds a known column name (required: {}); add the file's names to [columns] in the config",
                self.required.join(", ")
            ),
        }
    }
}
