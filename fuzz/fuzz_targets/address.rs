//! Address normalization: never a panic, and normalizing a normalized address changes
//! nothing (otherwise the same place could key two subjects).
#![no_main]

use std::sync::OnceLock;

use hotline_ledger::config::Address;
use hotline_ledger::normalize::{header, AddressNormalizer};
use libfuzzer_sys::fuzz_target;

fn normalizer() -> &'static AddressNormalizer {
    static N: OnceLock<AddressNormalizer> = OnceLock::new();
    N.get_or_init(|| {
        let a = Address::default();
        AddressNormalizer::new(&a.prefixes, &a.vague_suffixes)
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let once = normalizer().normalize(text);
        let twice = normalizer().normalize(&once);
        assert_eq!(once, twice, "not idempotent for {text:?}");
        let _ = header(text);
    }
});
