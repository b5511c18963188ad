//! Streaming a CSV export, row by row, in UTF-8 or GBK: the file is never held in memory.
//!
//! UTF-8 bytes go to the CSV parser as they are (each cell is checked for valid UTF-8); GBK
//! is transcoded on the fly by encoding_rs_io, which turns malformed bytes into U+FFFD, and
//! such a cell rejects its row rather than being stored as mojibake.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use super::detect::TextEncoding;
use super::problem::FileProblem;
use super::row::{CellRef, RowView};
use super::{Failure, RowSink};

/// Counts the bytes read, for the progress bar.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Refuses a line longer than `limit` bytes: a file with such a line is not a hotline
/// export, and the CSV parser would otherwise hold the whole line in memory.
///
/// A line ends at LF, CR LF or a lone CR, as the CSV parser ends records, so a file written
/// with old Mac line ends is not one long line. Neither byte occurs inside a GBK character.
struct LineGuard<R> {
    inner: R,
    limit: u64,
    since_break: u64,
    /// Line ends seen so far (a CR LF pair counts once).
    line: u64,
    /// Whether the last byte read was a CR (its LF may come in the next read).
    after_cr: bool,
}

impl<R: Read> LineGuard<R> {
    fn check(&self) -> io::Result<()> {
        if self.since_break > self.limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                LineTooLong {
                    line: self.line + 1,
                    limit: self.limit,
                },
            ));
        }
        Ok(())
    }
}

impl<R: Read> Read for LineGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        let mut start = 0;
        for i in memchr::memchr2_iter(b'\r', b'\n', chunk) {
            if i > start {
                self.since_break += (i - start) as u64;
                self.check()?;
                self.after_cr = false;
            }
            let is_cr = chunk[i] == b'\r';
            // The LF of a CR LF pair ends the line its CR already ended.
            if is_cr || !self.after_cr {
                self.line += 1;
            }
            self.after_cr = is_cr;
            self.since_break = 0;
            start = i + 1;
        }
        if n > start {
            self.since_break += (n - start) as u64;
            self.check()?;
            self.after_cr = false;
        }
        Ok(n)
    }
}

#[derive(Debug)]
struct LineTooLong {
    line: u64,
    limit: u64,
}

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {} is longer than {} MB (ingest.max_line_mb): this is not a hotline export",
            self.line,
            self.limit / (1024 * 1024)
        )
    }
}

impl std::error::Error for LineTooLong {}

struct CsvRow<'a> {
    record: &'a csv::ByteRecord,
    line: u64,
}

impl RowView for CsvRow<'_> {
    fn row_number(&self) -> u64 {
        self.line
    }
    fn len(&self) -> usize {
        self.record.len()
    }
    fn cell(&self, index: usize) -> CellRef<'_> {
        match self.record.get(index).map(std::str::from_utf8) {
            None => CellRef::Empty,
            Some(Ok(s)) if s.trim().is_empty() => CellRef::Empty,
            Some(Ok(s)) => CellRef::Text(s),
            Some(Err(_)) => CellRef::BadBytes,
        }
    }
}

/// Reads every record of `path` into `sink`; no line may exceed `max_line` bytes.
pub fn read(
    path: &Path,
    encoding: TextEncoding,
    max_line: u64,
    sink: &mut dyn RowSink,
) -> Result<(), Failure> {
    let io_problem = |e: io::Error| Failure::File(FileProblem::Io(e.to_string()));
    let file = File::open(path).map_err(io_problem)?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    read_from(file, total, encoding, max_line, sink)
}

/// Reads every record from `input` (`total` bytes long, for progress) into `sink`.
pub fn read_from<R: Read + 'static>(
    input: R,
    total: u64,
    encoding: TextEncoding,
    max_line: u64,
    sink: &mut dyn RowSink,
) -> Result<(), Failure> {
    let io_problem = |e: io::Error| match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<LineTooLong>())
    {
        Some(long) => Failure::File(FileProblem::TooLarge(long.to_string())),
        None => Failure::File(FileProblem::Io(e.to_string())),
    };
    let count = Rc::new(Cell::new(0));
    let guarded = LineGuard {
        inner: input,
        limit: max_line,
        since_break: 0,
        line: 0,
        after_cr: false,
    };
    let mut counting = Counting {
        inner: guarded,
        count: Rc::clone(&count),
    };
    let reader: Box<dyn Read> = match encoding {
        TextEncoding::Utf8 => Box::new(counting),
        TextEncoding::Utf8Bom => {
            let mut bom = [0u8; 3];
            counting.read_exact(&mut bom).map_err(io_problem)?;
            Box::new(counting)
        }
        TextEncoding::Gbk => Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::GB18030))
                .build(BufReader::with_capacity(1 << 16, counting)),
        ),
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut rows: u64 = 0;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                if let csv::ErrorKind::Io(io) = e.kind() {
                    if let Some(long) = io.get_ref().and_then(|i| i.downcast_ref::<LineTooLong>()) {
                        return Err(Failure::File(FileProblem::TooLarge(long.to_string())));
                    }
                }
                let at = e
                    .position()
                    .map(|p| format!(" at line {}", p.line()))
                    .unwrap_or_default();
                return Err(Failure::File(FileProblem::Io(format!(
                    "CSV read error{at}: {e}"
                ))));
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(rows + 1);
        sink.row(&CsvRow {
            record: &record,
            line,
        })?;
        rows += 1;
        if rows.is_multiple_of(8192) {
            sink.progress(count.get(), total);
        }
    }
    sink.progress(total, total);
    Ok(())
}
