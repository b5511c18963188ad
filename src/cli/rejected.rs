//! `rejected`: the rows that could not be used, with file, sheet, row and reason.

use hotline_ledger::config::Config;
use hotline_ledger::jobs;

use super::exit::Exit;
use super::format::ListFormat;
use super::table::Table;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Only the rows of this file (its name or path as ingested).
    #[arg(long)]
    pub file: Option<String>,
}

/// Entry point of `rejected [--format csv|table] [--file NAME]`.
pub fn run(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    let (format, file) = (args.format, args.file.clone());
    let mut table = Table::new([
        "file",
        "sheet",
        "row",
        "reason",
        "code",
        "ingested_at",
        "values",
    ]);
    for r in jobs::list_rejected(config, file.as_deref())? {
        table.push(vec![
            r.file,
            r.sheet,
            r.row.to_string(),
            r.reason,
            r.code,
            r.ingested_at,
            r.values,
        ]);
    }
    match format {
        ListFormat::Csv => out!("{}", table.to_csv()),
        ListFormat::Table if table.is_empty() => outln!("no rejected rows"),
        ListFormat::Table => out!("{}", table.max_width(60).render()),
    }
    Ok(Exit::Done)
}
