//! The xlsx path end to end, without a database: the zip container, the workbook, cells,
//! Excel dates, header search and row conversion. Never a panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use hotline_ledger::config::Config;
use hotline_ledger::ingest::{check, Input};
use libfuzzer_sys::fuzz_target;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| Config::defaults(Path::new("/")))
}

fuzz_target!(|data: &[u8]| {
    let result = check(config(), Path::new("fuzz.xlsx"), Input::Bytes(data));
    if let Ok(c) = result {
        let r = c.read;
        assert_eq!(r.rows_read, r.rows_blank + r.rows_loaded + r.rows_rejected);
    }
});
