//! See `hotline_ledger::fuzzing::xls_file` for the property checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hotline_ledger::fuzzing::xls_file(data));
