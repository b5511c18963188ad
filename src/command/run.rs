//! `run`: the main job. It ingests the given exports (or the inbox), prints what was
//! loaded and the warning cases as of the chosen day, then writes the reports due at that
//! day: the last full week's report, last month's review and the ledger as of the day.

use std::path::PathBuf;

use crate::analysis::AsOf;
use crate::cli::{CaseFormat, Exit};
use crate::command::cases::{self, Filter};
use crate::command::ingest::{exports_in, load_files, load_inbox};
use crate::command::report::{self as report_command, Which};
use crate::config::Config;
use crate::report::{self, Options};
use crate::store::Store;

/// Entry point of `run [INPUT...]`.
pub fn run(config: &Config, inputs: &[PathBuf], as_of: AsOf) -> anyhow::Result<Exit> {
    let store = Store::open(config)?;
    let totals = if inputs.is_empty() {
        load_inbox(&store, config)?
    } else {
        let mut files = Vec::new();
        for input in inputs {
            if input.is_dir() {
                files.extend(exports_in(input).map_err(|e| {
                    anyhow::anyhow!("cannot read the folder {}: {e}", input.display())
                })?);
            } else {
                files.push(input.clone());
            }
        }
        load_files(&store, config, &files)
    };
    totals.print();
    println!();
    let filter = Filter {
        tier: None,
        status: None,
    };
    let (found, unknown) = cases::load(&store, config, as_of, &filter)?;
    cases::print(&found, &unknown, CaseFormat::Table, as_of);
    println!();
    let day = as_of.last_day();
    for which in [
        Which::Weekly { week: None },
        Which::Monthly { month: None },
        Which::Ledger {
            as_of: Some(day),
            month: None,
        },
    ] {
        let (kind, window) = report_command::target(&which, as_of);
        let written = report::run_report(&store, config, kind, &window, Options::default())?;
        println!("{}", report_command::describe(&written));
    }
    Ok(totals.exit())
}
