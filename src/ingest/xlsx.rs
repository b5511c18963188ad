//! Streaming an .xlsx export with calamine's cell reader: cells arrive in row order and are
//! grouped into rows, so the sheet is never held whole in memory. Excel date cells keep
//! their serial number (and the workbook's 1900/1904 date system) for exact conversion.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{CellErrorType, DataRef, Reader, Xlsx};

use super::problem::FileProblem;
use super::row::{CellRef, RowView};
use super::{Failure, RowSink};

struct XlsxRow<'r, 'a> {
    line: u64,
    cells: &'r [DataRef<'a>],
}

pub fn error_name(e: &CellErrorType) -> &'static str {
    match e {
        CellErrorType::Div0 => "#DIV/0!",
        CellErrorType::NA => "#N/A",
        CellErrorType::Name => "#NAME?",
        CellErrorType::Null => "#NULL!",
        CellErrorType::Num => "#NUM!",
        CellErrorType::Ref => "#REF!",
        CellErrorType::Value => "#VALUE!",
        CellErrorType::GettingData => "#GETTING_DATA",
    }
}

/// A workbook cell as the rows see it.
pub fn cell_ref<'c>(cell: Option<&'c DataRef<'_>>) -> CellRef<'c> {
    let text = |s: &'_ str| -> bool { s.trim().is_empty() };
    match cell {
        None | Some(DataRef::Empty) => CellRef::Empty,
        Some(DataRef::String(s)) if text(s) => CellRef::Empty,
        Some(DataRef::String(s)) => CellRef::Text(s),
        Some(DataRef::SharedString(s)) if text(s) => CellRef::Empty,
        Some(DataRef::SharedString(s)) => CellRef::Text(s),
        Some(DataRef::Int(i)) => CellRef::Number(*i as f64),
        Some(DataRef::Float(f)) => CellRef::Number(*f),
        Some(DataRef::Bool(true)) => CellRef::Text("TRUE"),
        Some(DataRef::Bool(false)) => CellRef::Text("FALSE"),
        Some(DataRef::DateTime(d)) => CellRef::Serial(d.as_f64()),
        Some(DataRef::DateTimeIso(s)) | Some(DataRef::DurationIso(s)) => CellRef::Text(s),
        Some(DataRef::Error(e)) => CellRef::Error(error_name(e)),
    }
}

impl RowView for XlsxRow<'_, '_> {
    fn row_number(&self) -> u64 {
        self.line
    }
    fn len(&self) -> usize {
        self.cells.len()
    }
    fn cell(&self, index: usize) -> CellRef<'_> {
        cell_ref(self.cells.get(index))
    }
}

/// Opens the workbook (its shared strings and styles are read here).
pub fn open(path: &Path) -> Result<Xlsx<BufReader<File>>, Failure> {
    calamine::open_workbook::<Xlsx<_>, _>(path)
        .map_err(|e| Failure::File(FileProblem::Workbook(e.to_string())))
}

/// Refuses a workbook whose parts would unpack to more than `limit` bytes (a zip bomb
/// dressed as .xlsx), judged from the sizes its zip directory declares.
pub fn check_unpacked_size<RS: Read + Seek>(reader: RS, limit: u64) -> Result<(), Failure> {
    let mut archive = match zip::ZipArchive::new(reader) {
        Ok(a) => a,
        // Not a readable zip: calamine says why, in its words.
        Err(_) => return Ok(()),
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(i) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > limit {
        return Err(Failure::File(FileProblem::UnpacksTooLarge {
            size: total,
            limit,
        }));
    }
    Ok(())
}

/// Opens a workbook from any seekable reader (bytes in memory, for checks and fuzzing).
pub fn open_reader<RS: Read + Seek>(reader: RS) -> Result<Xlsx<RS>, Failure> {
    Xlsx::new(reader).map_err(|e| Failure::File(FileProblem::Workbook(e.to_string())))
}

/// The sheet to read: the configured one (`sheet`), or the first when none is configured.
pub fn choose_sheet<RS: Read + Seek>(workbook: &Xlsx<RS>, sheet: &str) -> Result<String, Failure> {
    pick_sheet(workbook.sheet_names(), sheet)
}

/// The sheet to read among a workbook's `names`: the configured one (`sheet`), or the
/// first when none is configured.
pub fn pick_sheet(names: Vec<String>, sheet: &str) -> Result<String, Failure> {
    if sheet.is_empty() {
        names
            .first()
            .cloned()
            .ok_or(Failure::File(FileProblem::NoSheets))
    } else if names.iter().any(|n| n == sheet) {
        Ok(sheet.to_string())
    } else {
        Err(Failure::File(FileProblem::SheetNotFound {
            sheet: sheet.to_string(),
            available: names,
        }))
    }
}

/// Reads every row of the sheet `name` into `sink`.
pub fn read<RS: Read + Seek, S: RowSink + Send>(
    workbook: &mut Xlsx<RS>,
    name: &str,
    sink: &mut S,
) -> Result<(), Failure> {
    let bad = |e: calamine::XlsxError| Failure::File(FileProblem::Workbook(e.to_string()));
    let mut cells = workbook.worksheet_cells_reader(name).map_err(bad)?;
    let total = u64::from(cells.dimensions().end.0) + 1;
    stream_rows(|| cells.next_cell().map_err(bad), total, sink)
}

/// Rows handed from the parsing thread to the converting one at a time.
const CHUNK_ROWS: usize = 512;

/// Rows of cells as parsed: each row's cells (by column, gaps `Empty`) are a range of
/// `cells`.
struct Chunk<'a> {
    cells: Vec<DataRef<'a>>,
    /// (row number, end of its cells in `cells`)
    rows: Vec<(u64, usize)>,
}

impl Chunk<'_> {
    fn with_capacity() -> Self {
        Chunk {
            cells: Vec::with_capacity(CHUNK_ROWS * 16),
            rows: Vec::with_capacity(CHUNK_ROWS),
        }
    }
}

/// Groups the cells `next` delivers in row order (absent rows are not delivered) into rows
/// for `sink`; `total` is the sheet's last row, for progress.
///
/// calamine's parse is the floor of reading a workbook, so it has this thread to itself:
/// rows go in chunks to a second thread that converts them (and hands them on to the
/// database), and the emptied chunks come back to be filled again. (Measured on the
/// benchmark's 200,000-row .xlsx: conversion on the parsing thread was a sixth of its time.)
pub fn stream_rows<'a, S: RowSink + Send>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, Failure>,
    total: u64,
    sink: &mut S,
) -> Result<(), Failure> {
    use std::sync::mpsc::{channel, sync_channel};
    let (full_tx, full_rx) = sync_channel::<Chunk<'a>>(4);
    let (empty_tx, empty_rx) = channel::<Chunk<'a>>();
    std::thread::scope(|scope| {
        let rows_to = &mut *sink;
        let converter = scope.spawn(move || -> Result<(), Failure> {
            for mut chunk in full_rx.iter() {
                let mut start = 0;
                let mut last = 0;
                for &(line, end) in &chunk.rows {
                    rows_to.row(&XlsxRow {
                        line,
                        cells: &chunk.cells[start..end],
                    })?;
                    start = end;
                    last = line;
                }
                rows_to.progress(last, total);
                chunk.cells.clear();
                chunk.rows.clear();
                // The parser may have finished: then the chunk is simply dropped.
                let _ = empty_tx.send(chunk);
            }
            Ok(())
        });
        let parsed = (|| -> Result<(), Failure> {
            let mut chunk = Chunk::with_capacity();
            let mut row_start = 0;
            let mut current: Option<u32> = None;
            loop {
                let next = next()?;
                let next_row = next.as_ref().map(|c| c.get_position().0);
                if let Some(row) = current.filter(|_| next_row != current) {
                    chunk.rows.push((u64::from(row) + 1, chunk.cells.len()));
                    row_start = chunk.cells.len();
                    if chunk.rows.len() == CHUNK_ROWS || next.is_none() {
                        let fresh = empty_rx
                            .try_recv()
                            .unwrap_or_else(|_| Chunk::with_capacity());
                        let full = std::mem::replace(&mut chunk, fresh);
                        row_start = 0;
                        if full_tx.send(full).is_err() {
                            // The converter stopped: it says why.
                            return Ok(());
                        }
                    }
                }
                let Some(cell) = next else {
                    break;
                };
                let (r, c) = cell.get_position();
                current = Some(r);
                let at = row_start + c as usize;
                if chunk.cells.len() <= at {
                    chunk.cells.resize(at + 1, DataRef::Empty);
                }
                chunk.cells[at] = cell.get_value().clone();
            }
            if !chunk.rows.is_empty() {
                let _ = full_tx.send(chunk);
            }
            Ok(())
        })();
        drop(full_tx);
        let converted = converter.join().unwrap_or(Err(Failure::Cancelled));
        parsed.and(converted)
    })?;
    sink.progress(total, total);
    Ok(())
}

/// The row numbers (1-based) that the worksheet `sheet` (the first when empty) hides,
/// read from the workbook's XML (calamine reads hidden rows like the others and does not
/// say which they are). Empty when the parts cannot be read: calamine reports a broken
/// workbook in its words.
pub fn hidden_rows<RS: Read + Seek>(reader: RS, sheet: &str) -> std::collections::HashSet<u64> {
    let mut hidden = std::collections::HashSet::new();
    let Ok(mut archive) = zip::ZipArchive::new(reader) else {
        return hidden;
    };
    let (Some(workbook), Some(rels)) = (
        part(&mut archive, "xl/workbook.xml"),
        part(&mut archive, "xl/_rels/workbook.xml.rels"),
    ) else {
        return hidden;
    };
    let escaped = sheet
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let Some(id) = tags(&workbook, "sheet")
        .find(|t| sheet.is_empty() || attribute(t, "name").as_deref() == Some(escaped.as_str()))
        .and_then(|t| attribute(t, "r:id"))
    else {
        return hidden;
    };
    let Some(target) = tags(&rels, "Relationship")
        .find(|t| attribute(t, "Id").as_deref() == Some(id.as_str()))
        .and_then(|t| attribute(t, "Target"))
    else {
        return hidden;
    };
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    // Most sheets hide nothing: the part is scanned as it unpacks, and read whole only
    // when a `hidden` attribute is there.
    let found = match archive.by_name(&path) {
        Ok(entry) => mentions(entry, b"hidden=\""),
        Err(_) => false,
    };
    if !found {
        return hidden;
    }
    let Some(xml) = part(&mut archive, &path) else {
        return hidden;
    };
    for row in tags(&xml, "row") {
        let is_hidden = matches!(attribute(row, "hidden").as_deref(), Some("1" | "true"));
        if let (true, Some(n)) = (is_hidden, attribute(row, "r").and_then(|r| r.parse().ok())) {
            hidden.insert(n);
        }
    }
    hidden
}

/// A part of a zip workbook as text.
fn part<RS: Read + Seek>(archive: &mut zip::ZipArchive<RS>, name: &str) -> Option<String> {
    let mut text = String::new();
    archive.by_name(name).ok()?.read_to_string(&mut text).ok()?;
    Some(text)
}

/// True when `needle` occurs in what `reader` reads, which is read in pieces.
fn mentions(mut reader: impl Read, needle: &[u8]) -> bool {
    let finder = memchr::memmem::Finder::new(needle);
    let keep = needle.len().saturating_sub(1);
    let mut buf = vec![0u8; 1 << 16];
    let mut filled = 0;
    loop {
        let n = match reader.read(&mut buf[filled..]) {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        let end = filled + n;
        if finder.find(&buf[..end]).is_some() {
            return true;
        }
        // A needle may straddle two pieces: the tail stays for the next.
        let tail = end.saturating_sub(keep);
        buf.copy_within(tail..end, 0);
        filled = end - tail;
    }
}

/// The opening tags `<name ...>` in `xml`, each as the text between `<name` and `>`.
fn tags<'x>(xml: &'x str, name: &str) -> impl Iterator<Item = &'x str> {
    let open = format!("<{name}");
    let found: Vec<&'x str> = xml
        .match_indices(open.as_str())
        .filter_map(|(at, _)| {
            let rest = &xml[at + open.len()..];
            // `<row` must not match `<rowBreaks`.
            if !rest.starts_with([' ', '/', '>', '\t', '\n', '\r']) {
                return None;
            }
            rest.find('>').map(|end| &rest[..end])
        })
        .collect();
    found.into_iter()
}

/// The value of `name="..."` in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut at = 0;
    while let Some(found) = tag[at..].find(name) {
        let start = at + found;
        let before_ok = start == 0 || tag.as_bytes()[start - 1].is_ascii_whitespace();
        let rest = &tag[start + name.len()..];
        if before_ok {
            if let Some(value) = rest.strip_prefix("=\"") {
                return value.find('"').map(|end| value[..end].to_string());
            }
        }
        at = start + name.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_needle_across_two_pieces_is_found() {
        // A reader that hands out three bytes at a time.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(3);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        assert!(mentions(
            Trickle(b"<row r=\"2\" hidden=\"1\">"),
            b"hidden=\""
        ));
        assert!(!mentions(Trickle(b"<row r=\"2\">"), b"hidden=\""));
        assert!(mentions(&b"xxhidden=\""[..], b"hidden=\""));
    }
}
