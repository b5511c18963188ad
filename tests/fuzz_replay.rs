//! Replays the fuzz inputs kept under `tests/fixtures/fuzz/<target>/` (seeds, and every
//! input a fuzzer once failed on) through the same properties the fuzz targets check, and
//! the bundled sample exports through the file targets.

use std::path::{Path, PathBuf};

use hotline_ledger::fuzzing;

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

fn samples(extension: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-inputs");
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    assert!(!files.is_empty());
    files
}

fn replay(files: &[PathBuf], property: fn(&[u8])) {
    for file in files {
        let data = std::fs::read(file).unwrap();
        let outcome = std::panic::catch_unwind(|| property(&data));
        assert!(
            outcome.is_ok(),
            "{} fails its fuzz property",
            file.display()
        );
    }
}

#[test]
fn csv_inputs_and_samples() {
    replay(&inputs("csv_file"), fuzzing::csv_file);
    replay(&samples("csv"), fuzzing::csv_file);
}

#[test]
fn xlsx_inputs_and_samples() {
    replay(&inputs("xlsx_file"), fuzzing::xlsx_file);
    replay(&samples("xlsx"), fuzzing::xlsx_file);
}

#[test]
fn xls_inputs() {
    replay(&inputs("xls_file"), fuzzing::xls_file);
}

#[test]
fn date_inputs() {
    replay(&inputs("dates"), fuzzing::dates);
}

#[test]
fn address_inputs() {
    replay(&inputs("address"), fuzzing::address);
}

#[test]
fn a_failing_property_fails_the_replay() {
    // The harness itself: an input on which a property panics must fail the test.
    let files = inputs("dates");
    let outcome = std::panic::catch_unwind(|| replay(&files, |_| panic!("property broken")));
    assert!(outcome.is_err());
}
