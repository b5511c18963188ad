//! hotline-ledger turns 12345 hotline work-order exports into the repeat-complaint warning
//! ledger (三色预警台账) of a law-enforcement squad.
//!
//! Data flows one way: `ingest` → `store` → analysis → reports → delivery; `cli` only
//! orchestrates.

// First, so that its macros (`outln!`, `out!`) are in scope in the modules below.
#[macro_use]
pub mod output;

pub mod analysis;
pub mod archive;
pub mod checkpoint;
pub mod cli;
pub mod clock;
pub mod column;
pub mod command;
pub mod config;
pub mod deliver;
pub mod fuzzing;
pub mod generate;
pub mod history;
pub mod ingest;
pub mod normalize;
pub mod pipeline;
pub mod queries;
pub mod report;
pub mod schedule;
pub mod store;
pub mod table;
