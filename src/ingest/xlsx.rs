//! Streaming an .xlsx export with calamine's cell reader: cells arrive in row order and are
//! grouped into rows, so the sheet is never held whole in memory. Excel date cells keep
//! their serial number (and the workbook's 1900/1904 date system) for exact conversion.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{CellErrorType, DataRef, Reader, Xlsx};

use super::cell::{CellRef, RowView};
use super::load::HeaderProbe;
use super::problem::FileProblem;
use super::{Failure, RowSink};

struct XlsxRow<'r, 'a> {
    line: u64,
    cells: &'r [DataRef<'a>],
    /// The sheet's formula cells saved without a result (row number, column index).
    no_value: &'r CellSet,
}

/// Cells of a sheet by (row number, 1-based; column index, 0-based).
pub type CellSet = std::collections::HashSet<(u64, u32)>;

/// A sheet's marks, set by a pass over its XML that may run beside the reading: rows are
/// converted once they are set.
pub type Marks = std::sync::OnceLock<SheetMarks>;

/// Marks for a workbook whose XML is not looked through (nothing hidden, no formula
/// without a result).
pub fn no_marks() -> Marks {
    Marks::from(SheetMarks::default())
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
        match cell_ref(self.cells.get(index)) {
            CellRef::Empty
                if !self.no_value.is_empty()
                    && self.no_value.contains(&(self.line, index as u32)) =>
            {
                CellRef::NoValue
            }
            cell => cell,
        }
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

/// The sheet to read among a workbook's `names`: the configured one (`sheet`); when none
/// is, the only one, or else the one sheet whose first rows hold a header row (the
/// first when none does, whose reading then says what is missing). A workbook where more
/// than one sheet holds a header row is refused: reading one of them would leave the
/// others' orders out without a word.
pub fn choose(
    names: Vec<String>,
    sheet: &str,
    mut holds_header: impl FnMut(&str) -> bool,
) -> Result<String, Failure> {
    if !sheet.is_empty() || names.len() <= 1 {
        return pick_sheet(names, sheet);
    }
    let with: Vec<String> = names.iter().filter(|n| holds_header(n)).cloned().collect();
    match with.len() {
        0 => Ok(names[0].clone()),
        1 => Ok(with[0].clone()),
        _ => Err(Failure::File(FileProblem::SheetsWithOrders(with))),
    }
}

/// Whether the first rows of the sheet `name` hold a header row, as `probe` finds it.
pub fn holds_header<RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    name: &str,
    mut probe: HeaderProbe<'_>,
) -> bool {
    let _ = read(workbook, name, &no_marks(), &mut probe);
    probe.found
}

/// How many worksheets a workbook lists (0 when its parts cannot be read: calamine then
/// reports the broken workbook in its words).
pub fn sheet_count<RS: Read + Seek>(reader: RS) -> usize {
    let Ok(mut archive) = zip::ZipArchive::new(reader) else {
        return 0;
    };
    part(&mut archive, "xl/workbook.xml").map_or(0, |workbook| tags(&workbook, "sheet").count())
}

/// Reads every row of the sheet `name` into `sink`; the formulas saved without a result
/// that `marks` holds (once set, see `sheet_marks`) read as `CellRef::NoValue`.
pub fn read<RS: Read + Seek, S: RowSink + Send>(
    workbook: &mut Xlsx<RS>,
    name: &str,
    marks: &Marks,
    sink: &mut S,
) -> Result<(), Failure> {
    let bad = |e: calamine::XlsxError| Failure::File(FileProblem::Workbook(e.to_string()));
    let mut cells = workbook.worksheet_cells_reader(name).map_err(bad)?;
    let total = u64::from(cells.dimensions().end.0) + 1;
    stream_rows(|| cells.next_cell().map_err(bad), total, marks, sink)
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
    marks: &Marks,
    sink: &mut S,
) -> Result<(), Failure> {
    use std::sync::mpsc::{channel, sync_channel};
    let (full_tx, full_rx) = sync_channel::<Chunk<'a>>(4);
    let (empty_tx, empty_rx) = channel::<Chunk<'a>>();
    std::thread::scope(|scope| {
        let rows_to = &mut *sink;
        let converter = scope.spawn(move || -> Result<(), Failure> {
            let no_value = &marks.wait().no_value;
            for mut chunk in full_rx.iter() {
                let mut start = 0;
                let mut last = 0;
                for &(line, end) in &chunk.rows {
                    rows_to.row(&XlsxRow {
                        line,
                        cells: &chunk.cells[start..end],
                        no_value,
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

/// What calamine does not say about a worksheet's cells, read from the workbook's XML.
#[derive(Debug, Default)]
pub struct SheetMarks {
    /// The row numbers (1-based) the sheet hides (calamine reads hidden rows like the
    /// others and does not say which they are).
    pub hidden: std::collections::HashSet<u64>,
    /// Formula cells saved without a result (calamine reads them as empty cells, which
    /// would make a row of them blank and skipped without a word).
    pub no_value: CellSet,
}

/// The hidden rows and the formulas without a result of the worksheet `sheet` (the first
/// when empty). Empty when the parts cannot be read: calamine reports a broken workbook in
/// its words.
pub fn sheet_marks<RS: Read + Seek>(reader: RS, sheet: &str) -> SheetMarks {
    let mut marks = SheetMarks::default();
    let Ok(mut archive) = zip::ZipArchive::new(reader) else {
        return marks;
    };
    let (Some(workbook), Some(rels)) = (
        part(&mut archive, "xl/workbook.xml"),
        part(&mut archive, "xl/_rels/workbook.xml.rels"),
    ) else {
        return marks;
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
        return marks;
    };
    let Some(target) = tags(&rels, "Relationship")
        .find(|t| attribute(t, "Id").as_deref() == Some(id.as_str()))
        .and_then(|t| attribute(t, "Target"))
    else {
        return marks;
    };
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    // Most sheets hide nothing and hold no formula: the part is scanned as it unpacks, and
    // parsed only when a `hidden` attribute or a formula is there.
    let found = match archive.by_name(&path) {
        Ok(entry) => mentions(entry, &[b"hidden=\"", b"<f>", b"<f ", b"<f/>"]),
        Err(_) => false,
    };
    if !found {
        return marks;
    }
    if let Ok(entry) = archive.by_name(&path) {
        read_marks(std::io::BufReader::new(entry), &mut marks);
    }
    marks
}

/// Reads a worksheet's XML as it unpacks for its hidden rows and its formula cells that
/// have no value (`<c><f>…</f></c>` without `<v>`). Stops quietly at broken XML.
fn read_marks(reader: impl std::io::BufRead, marks: &mut SheetMarks) {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut buf = Vec::new();
    let (mut row, mut next_col) = (0u64, 0u32);
    // The cell being read: its place, and whether a formula and a value were seen.
    let mut cell: Option<((u64, u32), bool, bool)> = None;
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let attr = |name: &str| -> Option<String> {
                    e.try_get_attribute(name)
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned())
                };
                match e.local_name().as_ref() {
                    "row" => {
                        row = attr("r").and_then(|r| r.parse().ok()).unwrap_or(row + 1);
                        next_col = 0;
                        if matches!(attr("hidden").as_deref(), Some("1" | "true")) {
                            marks.hidden.insert(row);
                        }
                    }
                    "c" => {
                        let col = attr("r").and_then(|r| column_of(&r)).unwrap_or(next_col);
                        next_col = col + 1;
                        cell = (!empty).then_some(((row, col), false, false));
                    }
                    "f" => {
                        if let Some((_, formula, _)) = cell.as_mut() {
                            *formula = true;
                        }
                    }
                    "v" | "is" if !empty => {
                        if let Some((_, _, value)) = cell.as_mut() {
                            *value = true;
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) if e.local_name().as_ref() == "c" => {
                if let Some((at, true, false)) = cell.take() {
                    marks.no_value.insert(at);
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

/// The column index (0-based) of a cell reference such as `AB12`.
fn column_of(reference: &str) -> Option<u32> {
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic);
    let mut col: u32 = 0;
    let mut any = false;
    for b in letters {
        any = true;
        col = col
            .checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
    }
    any.then(|| col - 1)
}

/// A part of a zip workbook as text.
fn part<RS: Read + Seek>(archive: &mut zip::ZipArchive<RS>, name: &str) -> Option<String> {
    let mut text = String::new();
    archive.by_name(name).ok()?.read_to_string(&mut text).ok()?;
    Some(text)
}

/// True when one of `needles` occurs in what `reader` reads, which is read in pieces.
fn mentions(mut reader: impl Read, needles: &[&[u8]]) -> bool {
    let finders: Vec<_> = needles.iter().map(memchr::memmem::Finder::new).collect();
    let keep = needles
        .iter()
        .map(|n| n.len())
        .max()
        .unwrap_or(0)
        .saturating_sub(1);
    let mut buf = vec![0u8; 1 << 16];
    let mut filled = 0;
    loop {
        let n = match reader.read(&mut buf[filled..]) {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        let end = filled + n;
        if finders.iter().any(|f| f.find(&buf[..end]).is_some()) {
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
    fn formulas_without_a_value_and_hidden_rows_are_found() {
        let xml = r#"<worksheet><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f>1+1</f><v>2</v></c></row>
            <row r="3" hidden="1"><c r="A3"><f>NOW()</f></c><c><f t="shared" si="0"/></c><c r="AB3"/></row>
            <row><c r="C4" t="str"><f>"x"</f><v></v></c><c r="D4" t="inlineStr"><is><t>y</t></is></c></row>
        </sheetData></worksheet>"#;
        let mut marks = SheetMarks::default();
        read_marks(xml.as_bytes(), &mut marks);
        assert_eq!(marks.hidden, [3].into_iter().collect());
        assert_eq!(marks.no_value, [(3, 0), (3, 1)].into_iter().collect());
        assert_eq!(column_of("AB3"), Some(27));
        assert_eq!(column_of("A1"), Some(0));
        assert_eq!(column_of("12"), None);
    }

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
        let hidden: &[&[u8]] = &[b"hidden=\"", b"<f>"];
        assert!(mentions(Trickle(b"<row r=\"2\" hidden=\"1\">"), hidden));
        assert!(!mentions(Trickle(b"<row r=\"2\">"), hidden));
        assert!(mentions(&b"xxhidden=\""[..], hidden));
        assert!(mentions(Trickle(b"<c r=\"A1\"><f>1+1</f></c>"), hidden));
    }
}
