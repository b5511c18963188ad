//! The one integration-test binary (the DuckDB library links once). Tests drive the real
//! binary and the library on real files in temporary folders.

mod common;

mod analysis;
mod broken_files;
mod browser;
mod callers;
mod columns;
mod config;
mod dates;
mod delivery;
mod encodings;
mod forms;
mod formulas;
mod fuzz_replay;
mod guide;
mod headers;
mod honest_status;
mod ids;
mod inbox;
mod notify;
mod pipes;
mod plausible;
mod queries;
mod rejected;
mod reliability;
mod reports;
mod row_numbers;
mod schedule;
mod silent_drops;
mod smtp;
mod subject_sets;
mod subjects;
mod upsert;
mod web;
