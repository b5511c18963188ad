//! `rejected`: the rows that could not be used, with file, sheet, row and reason.

use duckdb::params;

use crate::cli::{Exit, ListFormat};
use crate::config::Config;
use crate::queries;
use crate::store::Store;
use crate::table::Table;

/// Entry point of `rejected [--format csv|table] [--file NAME]`.
pub fn run(config: &Config, format: ListFormat, file: Option<String>) -> anyhow::Result<Exit> {
    let store = Store::open(config)?;
    let mut table = Table::new([
        "file",
        "sheet",
        "row",
        "reason",
        "code",
        "ingested_at",
        "values",
    ]);
    let mut stmt = store.conn().prepare(queries::REJECTED_LIST)?;
    let mut rows = stmt.query(params![file])?;
    while let Some(row) = rows.next()? {
        let number: i64 = row.get(2)?;
        table.push(vec![
            row.get(0)?,
            row.get(1)?,
            number.to_string(),
            row.get(3)?,
            row.get(4)?,
            row.get(5)?,
            row.get(6)?,
        ]);
    }
    match format {
        ListFormat::Csv => out!("{}", table.to_csv()),
        ListFormat::Table if table.is_empty() => outln!("no rejected rows"),
        ListFormat::Table => out!("{}", table.max_width(60).render()),
    }
    Ok(Exit::Done)
}
