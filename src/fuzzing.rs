//! The properties the fuzz targets (`fuzz/`) check, one function per target, shared with
//! the test that replays the inputs kept under `tests/fixtures/fuzz/`. Each panics when
//! the property fails, which is what libFuzzer reports.

use std::path::Path;
use std::sync::OnceLock;

use crate::config::{Address, Config};
use crate::ingest::dates::{from_excel_serial, parse_text};
use crate::ingest::{check, Input};
use crate::normalize::{header, AddressNormalizer};

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| Config::defaults(Path::new("/")))
}

/// The checks of `ingest --dry-run` on a file's bytes: a result or a clear refusal, never a
/// panic; every row read is counted once.
fn file(name: &str, data: &[u8]) {
    if let Ok(c) = check(config(), Path::new(name), Input::Bytes(data)) {
        let r = c.read;
        assert_eq!(r.rows_read, r.rows_blank + r.rows_loaded + r.rows_rejected);
    }
}

/// The CSV path: encoding detection, header search, row conversion.
pub fn csv_file(data: &[u8]) {
    file("fuzz.csv", data)
}

/// The zip workbooks: the form told from the parts (.xlsx, .xlsb or .ods), zip and
/// worksheet reading, header search, row conversion.
pub fn xlsx_file(data: &[u8]) {
    file("fuzz.xlsx", data)
}

/// What arrives under an .xls name: an OLE compound file (an Excel 97-2003 workbook, or an
/// encrypted one), a web page or CSV text; header search, row conversion.
pub fn xls_file(data: &[u8]) {
    file("fuzz.xls", data)
}

/// Whatever date text is accepted reads back the same from its canonical form; no serial
/// number panics.
pub fn dates(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(t) = parse_text(text) {
            let canonical = t.format("%Y-%m-%d %H:%M:%S").to_string();
            assert_eq!(parse_text(&canonical), Ok(t), "{text:?} -> {canonical}");
        }
    }
    if data.len() >= 8 {
        let serial = f64::from_le_bytes(data[..8].try_into().expect("8 bytes"));
        let _ = from_excel_serial(serial, data.len().is_multiple_of(2));
    }
}

/// Normalizing an address twice changes nothing; header folding never panics.
pub fn address(data: &[u8]) {
    static N: OnceLock<AddressNormalizer> = OnceLock::new();
    let normalizer = N.get_or_init(|| {
        let a = Address::default();
        AddressNormalizer::new(&a.prefixes, &a.vague_suffixes)
    });
    if let Ok(text) = std::str::from_utf8(data) {
        let once = normalizer.normalize(text);
        let twice = normalizer.normalize(&once);
        assert_eq!(once, twice, "not idempotent for {text:?}");
        let _ = header(text);
    }
}
