//! `run`: the main job, by hand. It ingests the given exports (or the inbox), prints what
//! was loaded and the warning cases as of the chosen day, then does what the daemon would
//! have done by that day: the last full week's report and last month's review and ledger,
//! sent to their recipients (as .eml files when no SMTP server is configured) and the
//! month archived, plus the ledger as of the day.

use std::path::PathBuf;

use crate::analysis::AsOf;
use crate::cli::{CaseFormat, Exit};
use crate::command::cases::{self, Filter};
use crate::command::ingest::{exports_in, load_files, load_inbox};
use crate::command::report::describe;
use crate::config::Config;
use crate::history::Trigger;
use crate::pipeline::{self, Delivery, ReportJob};
use crate::report::period::Period;
use crate::report::{self, Kind, Options, Window};
use crate::store::Store;

/// Entry point of `run [INPUT...]`.
pub fn run(config: &Config, inputs: &[PathBuf], as_of: AsOf) -> anyhow::Result<Exit> {
    let totals = {
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
        outln!();
        let filter = Filter {
            tier: None,
            status: None,
        };
        let (found, unknown) = cases::load(&store, config, as_of, &filter)?;
        cases::print(&found, &unknown, CaseFormat::Table, as_of);
        outln!();
        totals
        // The database is released here: each job below holds it while it runs.
    };
    for job in [
        ReportJob::Weekly(Period::last_full_week(as_of.0)),
        ReportJob::Monthly(Period::last_month(as_of.0)),
    ] {
        let outcome = pipeline::report_job(
            config,
            &job,
            Trigger::Manual,
            &Delivery::scheduled(),
            Options::default(),
        )?;
        for line in &outcome.lines {
            outln!("{line}");
        }
    }
    let store = Store::open(config)?;
    let ledger = report::run_report(
        &store,
        config,
        Kind::Ledger,
        &Window::as_of_day(as_of.last_day()),
        Options::default(),
    )?;
    outln!("{}", describe(&ledger));
    Ok(totals.exit())
}
