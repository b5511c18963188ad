//! The workbook forms besides .xlsx, read with calamine into the same rows: .xlsb streamed
//! cell by cell as .xlsx is; .xls (Excel 97-2003) and .ods, which calamine reads a sheet at
//! a time into memory, walked row by row. An encrypted workbook, whatever its form, arrives
//! as an OLE compound file and is refused saying so.
//!
//! It only reads: detecting the form is `detect`'s, converting the rows `row`'s.

use std::io::{Read, Seek, SeekFrom};

use calamine::{Data, Ods, OdsError, Range, Reader, Xls, XlsError, Xlsb, XlsbError};
use chrono::{NaiveDate, NaiveDateTime};

use super::cell::{CellRef, RowView};
use super::destination::Destination;
use super::detect::Format;
use super::load::{FileLoad, HeaderProbe};
use super::problem::FileProblem;
use super::{xlsx, Failure, Limits, RowSink, SheetAware};

/// Reads the chosen sheet of an .xls, .xlsb or .ods workbook of `size` bytes into `load`;
/// returns the sheet's name.
pub fn read<RS: Read + Seek, D: Destination + SheetAware + Send>(
    mut reader: RS,
    size: u64,
    format: Format,
    sheet: &str,
    limits: Limits,
    load: &mut FileLoad<'_, D>,
) -> Result<String, Failure> {
    match format {
        Format::Xls => {
            // calamine reads an .xls whole into memory, every sheet at once.
            if size > limits.max_xls {
                return Err(Failure::File(FileProblem::XlsTooLarge {
                    size,
                    limit: limits.max_xls,
                }));
            }
            let mut workbook = match Xls::new(&mut reader) {
                Ok(workbook) => workbook,
                Err(e) => return Err(not_xls(&mut reader, e)),
            };
            load.is_1904 = workbook.has_1904_epoch();
            let name = xlsx::choose(workbook.sheet_names(), sheet, |name| {
                range_holds_header(workbook.worksheet_range(name), load.probe())
            })?;
            load.destination.set_sheet(&name);
            let range = workbook.worksheet_range(&name).map_err(unreadable)?;
            read_range(&range, load)?;
            Ok(name)
        }
        Format::Ods => {
            xlsx::check_unpacked_size(&mut reader, limits.max_unpacked)?;
            rewind(&mut reader)?;
            let mut workbook = Ods::new(reader).map_err(|e| match e {
                OdsError::Password => Failure::File(FileProblem::Encrypted),
                e => unreadable(e),
            })?;
            let name = xlsx::choose(workbook.sheet_names(), sheet, |name| {
                range_holds_header(workbook.worksheet_range(name), load.probe())
            })?;
            load.destination.set_sheet(&name);
            let range = workbook.worksheet_range(&name).map_err(unreadable)?;
            read_range(&range, load)?;
            Ok(name)
        }
        Format::Xlsb => {
            xlsx::check_unpacked_size(&mut reader, limits.max_unpacked)?;
            rewind(&mut reader)?;
            let mut workbook = Xlsb::new(reader).map_err(|e| match e {
                XlsbError::Password => Failure::File(FileProblem::Encrypted),
                e => unreadable(e),
            })?;
            load.is_1904 = workbook.has_1904_epoch();
            let name = xlsx::choose(workbook.sheet_names(), sheet, |name| {
                let mut probe = load.probe();
                if let Ok(mut cells) = workbook.worksheet_cells_reader(name) {
                    let _ = xlsx::stream_rows(
                        || cells.next_cell().map_err(unreadable),
                        0,
                        &xlsx::no_marks(),
                        &mut probe,
                    );
                }
                probe.found
            })?;
            load.destination.set_sheet(&name);
            let mut cells = workbook.worksheet_cells_reader(&name).map_err(unreadable)?;
            let total = u64::from(cells.dimensions().end.0) + 1;
            xlsx::stream_rows(
                || cells.next_cell().map_err(unreadable),
                total,
                &xlsx::no_marks(),
                load,
            )?;
            Ok(name)
        }
        Format::Xlsx | Format::Csv(_) => unreachable!("read by their own readers"),
    }
}

fn unreadable(e: impl std::fmt::Display) -> Failure {
    Failure::File(FileProblem::Workbook(e.to_string()))
}

fn rewind<RS: Seek>(reader: &mut RS) -> Result<(), Failure> {
    reader
        .seek(SeekFrom::Start(0))
        .map(|_| ())
        .map_err(|e| Failure::File(FileProblem::Io(e.to_string())))
}

/// Why an OLE compound file that calamine could not open as an .xls is refused. An
/// encrypted .xlsx or .xlsb is an OLE file too (its parts sealed in an `EncryptedPackage`
/// stream beside `EncryptionInfo`, with no workbook stream): it is refused as encrypted, as
/// an encrypted .xls is (it says so in its first records). The sealed package is looked
/// for only here, so a plain .xls is read once.
fn not_xls<RS: Read + Seek>(reader: &mut RS, error: XlsError) -> Failure {
    if matches!(error, XlsError::Password) {
        return Failure::File(FileProblem::Encrypted);
    }
    if rewind(reader).is_ok() {
        // calamine's .xlsb reader looks for the sealed package before anything else.
        if let Err(XlsbError::Password) = Xlsb::new(reader) {
            return Failure::File(FileProblem::Encrypted);
        }
    }
    unreadable(error)
}

/// A row of a sheet read whole: `cells` start at column `first_column`.
struct RangeRow<'r> {
    line: u64,
    first_column: usize,
    cells: &'r [Data],
}

impl RowView for RangeRow<'_> {
    fn row_number(&self) -> u64 {
        self.line
    }
    fn len(&self) -> usize {
        self.first_column + self.cells.len()
    }
    fn cell(&self, index: usize) -> CellRef<'_> {
        let Some(i) = index.checked_sub(self.first_column) else {
            return CellRef::Empty;
        };
        let text = |s: &str| s.trim().is_empty();
        match self.cells.get(i) {
            None | Some(Data::Empty) => CellRef::Empty,
            Some(Data::String(s)) if text(s) => CellRef::Empty,
            Some(Data::String(s)) => CellRef::Text(s),
            Some(Data::Int(i)) => CellRef::Number(*i as f64),
            Some(Data::Float(f)) => CellRef::Number(*f),
            Some(Data::Bool(true)) => CellRef::Text("TRUE"),
            Some(Data::Bool(false)) => CellRef::Text("FALSE"),
            Some(Data::DateTime(d)) => CellRef::Serial(d.as_f64()),
            // An .ods date cell holds its value as ISO 8601 text: read as the Excel serial
            // (1900 system) of that time, so it rounds to the second as a date cell does.
            Some(Data::DateTimeIso(s)) => match iso_serial(s) {
                Some(serial) => CellRef::Serial(serial),
                None => CellRef::Text(s),
            },
            Some(Data::DurationIso(s)) => CellRef::Text(s),
            Some(Data::Error(e)) => CellRef::Error(xlsx::error_name(e)),
        }
    }
}

/// The Excel serial (1900 date system) of an ISO 8601 date or date-time, for times from
/// 1900-03-01 on (before it the 1900 system counts a day that never was).
fn iso_serial(text: &str) -> Option<f64> {
    let t = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
        })?;
    let from = NaiveDate::from_ymd_opt(1900, 3, 1)?.and_hms_opt(0, 0, 0)?;
    if t < from {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let micros = (t - epoch).num_microseconds()?;
    Some(micros as f64 / 86_400_000_000.0)
}

/// Whether the first rows of a sheet read whole hold a header row, as `probe` finds it.
fn range_holds_header<E>(range: Result<Range<Data>, E>, mut probe: HeaderProbe<'_>) -> bool {
    range.is_ok_and(|range| {
        let _ = read_range(&range, &mut probe);
        probe.found
    })
}

/// Hands the rows of a sheet read whole to `sink`, with the row numbers the sheet shows.
/// Rows without any cell are skipped, as the streaming readers never see them.
fn read_range(range: &Range<Data>, sink: &mut dyn RowSink) -> Result<(), Failure> {
    let Some((first_row, first_column)) = range.start() else {
        return Ok(());
    };
    let total = u64::from(range.end().map_or(first_row, |e| e.0)) + 1;
    for (i, cells) in range.rows().enumerate() {
        if cells.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let line = u64::from(first_row) + i as u64 + 1;
        sink.row(&RangeRow {
            line,
            first_column: first_column as usize,
            cells,
        })?;
        if i % 8192 == 8191 {
            sink.progress(line, total);
        }
    }
    sink.progress(total, total);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ods_date_reads_as_its_excel_serial() {
        // 2025-01-03 08:05:00 is serial 45660.336805...
        let serial = iso_serial("2025-01-03T08:05:00").unwrap();
        assert_eq!(
            super::super::dates::from_excel_serial(serial, false).unwrap(),
            NaiveDate::from_ymd_opt(2025, 1, 3)
                .unwrap()
                .and_hms_opt(8, 5, 0)
                .unwrap()
        );
        assert_eq!(iso_serial("2025-01-03"), Some(45660.0));
        assert_eq!(iso_serial("1900-01-01T00:00:00"), None);
        assert_eq!(iso_serial("not a date"), None);
    }
}
