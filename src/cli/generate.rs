//! `generate`: writes exports shaped like the hotline platform's, either the bundled sample
//! scenario or large files for benchmarks.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};

use hotline_ledger::generate::{self, Dialect};

use super::exit::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, Subcommand)]
pub enum What {
    /// The sample scenario (the files in sample-inputs/), written into a folder.
    Sample {
        #[arg(long, default_value = "sample-inputs")]
        out: PathBuf,
    },
    /// A large realistic export.
    Bulk {
        /// Number of work orders.
        #[arg(long)]
        rows: usize,
        #[arg(long, value_enum)]
        dialect: DialectArg,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// First day of the data.
        #[arg(long, default_value = "2025-01-01")]
        start: NaiveDate,
        /// Days the data spans.
        #[arg(long, default_value_t = 365)]
        days: u32,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DialectArg {
    Xlsx,
    CsvGbk,
    CsvUtf8,
    CsvUtf8Bom,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Self {
        match d {
            DialectArg::Xlsx => Dialect::Xlsx,
            DialectArg::CsvGbk => Dialect::CsvGbk,
            DialectArg::CsvUtf8 => Dialect::CsvUtf8,
            DialectArg::CsvUtf8Bom => Dialect::CsvUtf8Bom,
        }
    }
}

/// Entry point of `generate sample|bulk`.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    match &args.what {
        What::Sample { out } => {
            std::fs::create_dir_all(out)?;
            for (name, dialect, title, orders) in generate::sample() {
                let path = out.join(name);
                generate::write(&path, dialect, title, &orders)?;
                outln!("{}: {} orders", path.display(), orders.len());
            }
        }
        What::Bulk {
            rows,
            dialect,
            out,
            seed,
            start,
            days,
        } => {
            let orders = generate::bulk(*rows, *seed, *start, *days);
            let title = format!(
                "长沙县12345热线工单导出 {}起{}天",
                start.format("%Y-%m-%d"),
                days
            );
            generate::write(out, (*dialect).into(), Some(&title), &orders)?;
            outln!("{}: {} orders", out.display(), orders.len());
        }
    }
    Ok(Exit::Done)
}
