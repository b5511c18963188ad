//! Date parsing: never a panic, and whatever is accepted reads back the same when written in
//! the canonical form.
#![no_main]

use hotline_ledger::ingest::dates::{from_excel_serial, parse_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(t) = parse_text(text) {
            let canonical = t.format("%Y-%m-%d %H:%M:%S").to_string();
            assert_eq!(parse_text(&canonical), Ok(t), "{text:?} -> {canonical}");
        }
    }
    if data.len() >= 8 {
        let serial = f64::from_le_bytes(data[..8].try_into().unwrap());
        let _ = from_excel_serial(serial, data.len() % 2 == 0);
    }
});
