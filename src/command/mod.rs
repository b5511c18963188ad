//! One file per command; each is the entry point the CLI calls for it.

pub mod cases;
pub mod generate;
pub mod ingest;
pub mod rejected;
pub mod report;
pub mod run;
pub mod subjects;
