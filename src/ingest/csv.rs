//! Streaming a CSV export, row by row, in UTF-8 or GBK: the file is never held in memory.
//!
//! UTF-8 bytes go to the CSV parser as they are (each cell is checked for valid UTF-8); GBK
//! is transcoded on the fly by encoding_rs_io, which turns malformed bytes into U+FFFD, and
//! such a cell rejects its row rather than being stored as mojibake.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use super::cell::{CellRef, RowView};
use super::detect::TextEncoding;
use super::problem::FileProblem;
use super::{Failure, RecordLayout, RowSink};

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
        FileProblem::LineTooLong {
            line: self.line,
            limit: self.limit,
        }
        .fmt(f)
    }
}

impl std::error::Error for LineTooLong {}

/// Counts the lines of the text the CSV parser has consumed, as they are numbered in the
/// file: a line ends at LF, CR LF or a lone CR (how the parser ends records).
///
/// The csv crate's `Position::line()` would not do: it counts LF bytes only (a file with
/// lone CR line ends is all on line 1), and a record's position is where the previous record
/// ended, before the parser skips the LF of a CR LF pair and any blank lines, so in a CR LF
/// file every record after the first would be numbered a line too low.
#[derive(Clone, Copy, Default)]
struct LineCount {
    /// Line ends passed (a CR LF pair counts once).
    ends: u64,
    /// Whether the last byte passed was a CR (the LF after it ends no other line).
    after_cr: bool,
}

impl LineCount {
    fn pass(&mut self, bytes: &[u8]) {
        for i in memchr::memchr2_iter(b'\r', b'\n', bytes) {
            let after_cr = if i == 0 {
                self.after_cr
            } else {
                bytes[i - 1] == b'\r'
            };
            if bytes[i] == b'\r' || !after_cr {
                self.ends += 1;
            }
        }
        if let Some(&last) = bytes.last() {
            self.after_cr = last == b'\r';
        }
    }
}

struct CsvRow<'a> {
    /// The record's fields, one after the other; `ends[i]` is where field `i` ends.
    fields: &'a [u8],
    ends: &'a [usize],
    line: u64,
}

impl RowView for CsvRow<'_> {
    fn row_number(&self) -> u64 {
        self.line
    }
    fn len(&self) -> usize {
        self.ends.len()
    }
    fn cell(&self, index: usize) -> CellRef<'_> {
        let Some(&end) = self.ends.get(index) else {
            return CellRef::Empty;
        };
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        match std::str::from_utf8(&self.fields[start..end]) {
            Ok(s) if s.trim().is_empty() => CellRef::Empty,
            Ok(s) => CellRef::Text(s),
            Err(_) => CellRef::BadBytes,
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
        Some(long) => Failure::File(FileProblem::LineTooLong {
            line: long.line,
            limit: long.limit,
        }),
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
        TextEncoding::GbkAfterBom => {
            let mut bom = [0u8; 3];
            counting.read_exact(&mut bom).map_err(io_problem)?;
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding_rs::GB18030))
                    .bom_sniffing(false)
                    .build(BufReader::with_capacity(1 << 16, counting)),
            )
        }
    };
    let read_problem = |e: io::Error| match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<LineTooLong>())
    {
        Some(long) => Failure::File(FileProblem::LineTooLong {
            line: long.line,
            limit: long.limit,
        }),
        None => Failure::File(FileProblem::Io(format!("CSV read error: {e}"))),
    };
    // The parser the csv crate wraps, driven here so that the line ends it skips between
    // records are seen and counted.
    let mut text = BufReader::with_capacity(1 << 16, reader);
    let mut parser = csv_core::Reader::new();
    let mut fields = vec![0u8; 1 << 12];
    let mut ends = vec![0usize; 64];
    let mut lines = LineCount::default();
    let mut rows: u64 = 0;
    // The bytes of the record being read, to find a quote that never closes.
    let mut raw: Vec<u8> = Vec::with_capacity(1 << 12);
    // How many fields the last record on a line of its own had: the file's own shape, which
    // may differ from the header's (a trailing comma on every row, a trailing empty cell
    // left out).
    let mut own_fields: Option<usize> = None;
    loop {
        raw.clear();
        // The line of the record's first byte: the parser skips CR and LF bytes (the LF of
        // the previous record's CR LF, blank lines) before a record.
        let mut line = None;
        let (mut fields_len, mut ends_len) = (0, 0);
        let more = loop {
            let buf = text.fill_buf().map_err(read_problem)?;
            if line.is_none() {
                if let Some(start) = buf.iter().position(|&b| b != b'\r' && b != b'\n') {
                    let mut before = lines;
                    before.pass(&buf[..start]);
                    line = Some(before.ends + 1);
                }
            }
            let (result, read, written, ended) =
                parser.read_record(buf, &mut fields[fields_len..], &mut ends[ends_len..]);
            lines.pass(&buf[..read]);
            raw.extend_from_slice(&buf[..read]);
            text.consume(read);
            fields_len += written;
            ends_len += ended;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => fields.resize(fields.len() * 2, 0),
                csv_core::ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
                csv_core::ReadRecordResult::Record => break true,
                csv_core::ReadRecordResult::End => break false,
            }
        };
        if !more {
            break;
        }
        let start_line = line.unwrap_or(lines.ends + 1);
        let spans_lines = memchr::memchr2(b'\n', b'\r', &fields[..fields_len]).is_some();
        let ends_unterminated = !matches!(raw.last(), Some(b'\n' | b'\r'));
        if spans_lines || ends_unterminated {
            let shape = sink
                .record_layout()
                .map(|layout| Shape { layout, own_fields });
            check_quotes(&raw, start_line, shape)?;
        } else {
            own_fields = Some(ends_len);
        }
        sink.row(&CsvRow {
            fields: &fields[..fields_len],
            ends: &ends[..ends_len],
            line: line.unwrap_or(lines.ends + 1),
        })?;
        rows += 1;
        if rows.is_multiple_of(8192) {
            sink.progress(count.get(), total);
        }
    }
    sink.progress(total, total);
    Ok(())
}

/// How a quoted cell that never closes would read: a quote opened at the start of a cell
/// takes every byte up to the next quote, line ends and later records included.
#[derive(Clone, Copy, PartialEq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted cell: it closes the cell, or doubles into a literal quote.
    QuoteInQuoted,
}

/// Refuses a record whose quoted cell runs on over what reads as further records of the
/// file, or to the end of the file: the rows it swallowed would be lost without a word.
///
/// `raw` is the record's text as the parser consumed it (line ends before it included),
/// `start_line` the line its first byte is on. Quoted cells that span lines are normal in
/// exports (a 诉求内容 written in paragraphs); what gives a stray quote away is a line inside
/// the cell with a record's number of fields and an id shaped like this record's own.
fn check_quotes(raw: &[u8], start_line: u64, shape: Option<Shape>) -> Result<(), Failure> {
    let layout = shape.map(|s| s.layout);
    let body_start = raw
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(raw.len());
    let body = &raw[body_start..];
    let mut state = Quoting::FieldStart;
    let mut opened_at = 0;
    let mut field = 0;
    let mut own_id: Option<&[u8]> = None;
    let mut field_start = 0;
    let line_of = |at: usize| {
        let mut count = LineCount::default();
        count.pass(&body[..at]);
        start_line + count.ends
    };
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        match state {
            Quoting::FieldStart | Quoting::Unquoted | Quoting::QuoteInQuoted
                if b == b',' || b == b'\n' || b == b'\r' =>
            {
                if layout.is_some_and(|l| l.id_index == field) && own_id.is_none() {
                    own_id = Some(&body[field_start..i]);
                }
                field += 1;
                field_start = i + 1;
                state = Quoting::FieldStart;
            }
            Quoting::FieldStart if b == b'"' => {
                state = Quoting::Quoted;
                opened_at = i;
            }
            Quoting::FieldStart | Quoting::QuoteInQuoted => state = Quoting::Unquoted,
            Quoting::Unquoted => {}
            Quoting::Quoted if b == b'"' => state = Quoting::QuoteInQuoted,
            Quoting::Quoted if b == b'\n' || b == b'\r' => {
                let next = if b == b'\r' && body.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                let rest = &body[next..];
                let end = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
                if let Some(shape) = shape {
                    if reads_as_record(&rest[..end], shape, own_id) {
                        return Err(Failure::File(FileProblem::UnclosedQuote {
                            line: line_of(opened_at),
                            swallowed: Some(line_of(next)),
                        }));
                    }
                }
                i = next;
                continue;
            }
            Quoting::Quoted => {}
        }
        i += 1;
    }
    if state == Quoting::Quoted {
        return Err(Failure::File(FileProblem::UnclosedQuote {
            line: line_of(opened_at),
            swallowed: None,
        }));
    }
    Ok(())
}

/// What the records of a file look like: the header's layout, and the number of fields the
/// rows before have had.
#[derive(Clone, Copy)]
struct Shape {
    layout: RecordLayout,
    own_fields: Option<usize>,
}

impl Shape {
    /// Whether a line of `count` fields has a record's number of fields: the header's, one
    /// more or fewer (a trailing comma on every row, a trailing empty cell left out, before
    /// any row has shown the file's own), or the rows' own.
    fn fits(&self, count: usize) -> bool {
        count > self.layout.id_index
            && (count.abs_diff(self.layout.fields) <= 1 || Some(count) == self.own_fields)
    }
}

/// Whether one line, read on its own, is a record of the file: a record's number of
/// fields, and an id of the same shape as `own_id` (digits where it has digits, letters
/// where it has letters, about as long).
fn reads_as_record(line: &[u8], shape: Shape, own_id: Option<&[u8]>) -> bool {
    let layout = shape.layout;
    let mut parser = csv_core::Reader::new();
    let mut input = line.to_vec();
    input.push(b'\n');
    let mut out = vec![0u8; input.len()];
    let mut ends = vec![0usize; input.len() + 1];
    let (result, _, _, count) = parser.read_record(&input, &mut out, &mut ends);
    if result != csv_core::ReadRecordResult::Record || !shape.fits(count) {
        return false;
    }
    let cell = |i: usize| {
        let start = if i == 0 { 0 } else { ends[i - 1] };
        std::str::from_utf8(&out[start..ends[i]])
            .unwrap_or("")
            .trim()
    };
    let id = cell(layout.id_index);
    let own = own_id
        .and_then(|b| std::str::from_utf8(b).ok())
        .map(|s| s.trim().trim_matches('"').trim())
        .unwrap_or("");
    if id.is_empty() {
        return false;
    }
    // With no id of its own to compare (the cell before it broke), any id will do.
    own.is_empty()
        || (id_shape(id) == id_shape(own) && id.chars().count().abs_diff(own.chars().count()) <= 2)
}

/// An id's shape: its runs of digits, letters and other characters, in order
/// (`2025010300001` → digits; `W-12` → letters, other, digits).
fn id_shape(id: &str) -> Vec<u8> {
    let mut shape: Vec<u8> = Vec::new();
    for c in id.chars() {
        let class = if c.is_ascii_digit() {
            b'9'
        } else if c.is_alphabetic() {
            b'a'
        } else {
            b'.'
        };
        if shape.last() != Some(&class) {
            shape.push(class);
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keeps each row's number and first cell.
    #[derive(Default)]
    struct Rows(Vec<(u64, String)>);

    impl RowSink for Rows {
        fn row(&mut self, row: &dyn RowView) -> Result<(), Failure> {
            let first = match row.cell(0) {
                CellRef::Text(s) => s.to_string(),
                _ => String::new(),
            };
            self.0.push((row.row_number(), first));
            Ok(())
        }
        fn progress(&mut self, _: u64, _: u64) {}
    }

    /// Hands out at most `step` bytes per read, so line ends fall across reads.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        step: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn rows(text: &str, step: usize) -> Vec<(u64, String)> {
        let data = text.as_bytes().to_vec();
        let total = data.len() as u64;
        let mut sink = Rows::default();
        let input = Trickle { data, at: 0, step };
        read_from(input, total, TextEncoding::Utf8, 1 << 20, &mut sink).expect("reads");
        sink.0
    }

    #[test]
    fn a_record_is_numbered_by_the_line_it_starts_on_whatever_the_line_ends() {
        // Line 1 a title, 3 the header after a blank line, 5 a record with a quoted cell
        // spanning lines 5-7, 8 blank, 9 a record, 10 a record without a line end.
        let lf = "标题\n\nh1,h2\nA,1\nB,\"x\ny\nz\"\n\nC,3\nD,4";
        let expected: Vec<(u64, String)> = [(1, "标题"), (3, "h1"), (4, "A"), (5, "B")]
            .into_iter()
            .chain([(9, "C"), (10, "D")])
            .map(|(n, s)| (n, s.to_string()))
            .collect();
        for ending in ["\n", "\r\n", "\r"] {
            let text = lf.replace('\n', ending);
            for step in [1, 2, 3, 7, 1 << 16] {
                assert_eq!(
                    rows(&text, step),
                    expected,
                    "{ending:?}, {step} bytes a read"
                );
            }
        }
    }

    #[test]
    fn mixed_line_ends_each_end_one_line() {
        let text = "h1,h2\r\nA,1\rB,2\nC,3\r\n\r\rD,4\n\r\nE,5\r\n";
        let numbers: Vec<u64> = rows(text, 1 << 16).into_iter().map(|(n, _)| n).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 7, 9]);
    }

    #[test]
    fn the_line_guard_counts_lines_as_the_rows_are_counted() {
        for ending in ["\n", "\r\n", "\r"] {
            let text = format!("h1,h2{ending}A,1{ending}B,{}{ending}", "x".repeat(100));
            let total = text.len() as u64;
            let mut sink = Rows::default();
            let input = Trickle {
                data: text.into_bytes(),
                at: 0,
                step: 3,
            };
            let err =
                read_from(input, total, TextEncoding::Utf8, 50, &mut sink).expect_err("refused");
            assert!(
                matches!(
                    &err,
                    Failure::File(FileProblem::LineTooLong { line: 3, .. })
                ),
                "{ending:?}: {err:?}"
            );
        }
        // Lone CR line ends are line ends: short lines pass however long the file.
        let text = "h1,h2\r".to_string() + &"A,1\r".repeat(100);
        let total = text.len() as u64;
        let mut sink = Rows::default();
        read_from(
            std::io::Cursor::new(text.into_bytes()),
            total,
            TextEncoding::Utf8,
            50,
            &mut sink,
        )
        .expect("reads");
        assert_eq!(sink.0.len(), 101);
        assert_eq!(sink.0[100].0, 101);
    }
}
