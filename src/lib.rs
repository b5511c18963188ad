//! hotline-ledger turns 12345 hotline work-order exports into the repeat-complaint warning
//! ledger (三色预警台账) of a law-enforcement squad.
//!
//! Data flows one way: `ingest` → `store` → `subjects` → `analysis` → `report` →
//! `deliver`. Front ends (the command line in the binary, the daemon's `schedule`, the
//! console in `web`) call the functions of `jobs` and nothing above them:
//! `jobs::run_report`, `jobs::ingest_files`, `jobs::ingest_inbox`, `jobs::retry_outbox`,
//! `jobs::list_cases`, `jobs::case_detail`, …

pub mod analysis;
pub mod archive;
pub mod audit;
pub mod callers;
pub mod casebook;
pub mod checkpoint;
pub mod clock;
pub mod codes;
pub mod column;
pub mod config;
pub mod deliver;
pub mod fuzzing;
pub mod generate;
pub mod guide;
pub mod handling;
pub mod history;
pub mod ingest;
pub mod jobs;
pub mod mask;
pub mod normalize;
pub mod notify;
pub mod partial;
pub mod period;
pub mod queries;
pub mod report;
pub mod schedule;
pub mod shutdown;
pub mod store;
pub mod subjects;
pub mod web;
