//! `run`: the main job. It ingests the given exports (or the inbox), prints what was
//! loaded, then the warning cases as of the chosen day.

use std::path::PathBuf;

use crate::analysis::AsOf;
use crate::cli::{CaseFormat, Exit};
use crate::command::cases::{self, Filter};
use crate::command::ingest::{exports_in, load_files, load_inbox};
use crate::config::Config;
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
    Ok(totals.exit())
}
