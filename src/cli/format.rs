//! The output formats commands offer.

use clap::ValueEnum;

/// A list for people (an aligned table) or for programs (CSV).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
}

/// The cases list also comes as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CaseFormat {
    Table,
    Csv,
    Json,
}
