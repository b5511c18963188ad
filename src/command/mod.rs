//! One file per command; each is the entry point the CLI calls for it.

pub mod archive;
pub mod cases;
pub mod generate;
pub mod ingest;
pub mod outbox;
pub mod rejected;
pub mod report;
pub mod run;
pub mod serve;
pub mod status;
pub mod subjects;
