//! `run`: the main job, by hand. It ingests the given exports (or the inbox), prints what
//! was loaded and the warning cases as of the chosen day, then does what the daemon would
//! have done by that day: the last full week's report and last month's review and ledger,
//! sent to their recipients (as .eml files when no SMTP server is configured) and the
//! month archived, plus the ledger as of the day.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use hotline_ledger::analysis::AsOf;
use hotline_ledger::codes::JobName;
use hotline_ledger::config::Config;
use hotline_ledger::history::Trigger;
use hotline_ledger::ingest::batch::{self, FileOutcome, Totals};
use hotline_ledger::jobs::{self, CaseFilter, Dispatch, ReportJob};
use hotline_ledger::report::{Options, Window};

use super::exit::Exit;
use super::format::CaseFormat;
use super::{cases, ingest};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Export files or folders; folders are read in file-name order.
    pub inputs: Vec<PathBuf>,
    /// Evaluate cases through the end of this day (YYYY-MM-DD); default: now.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_day)]
    pub as_of: Option<NaiveDate>,
}

/// Entry point of `run [INPUT...]`.
pub fn run(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    let as_of = AsOf::day_or_now(args.as_of, config.tz());
    let progress = std::io::stderr().is_terminal();
    let mut print = |outcome: &FileOutcome| ingest::print_outcome(outcome);
    let done = if args.inputs.is_empty() {
        jobs::ingest_inbox(config, Trigger::Manual, progress, &mut print)?
    } else {
        let files = batch::expand_inputs(&args.inputs)?;
        jobs::ingest_files(config, &files, progress, false, &mut print)?
    };
    let totals = Totals::of(&done.ingested);
    ingest::print_totals(&totals);
    for line in &done.told {
        outln!("{line}");
    }
    outln!();
    let found = jobs::list_cases(config, as_of, CaseFilter::default(), true)?;
    cases::print(&found, CaseFormat::Table, false, as_of);
    outln!();
    let due = [JobName::Weekly, JobName::Monthly]
        .into_iter()
        .filter_map(|job| ReportJob::due_at(job, as_of.0))
        .map(|job| (job, Dispatch::scheduled()));
    let ledger = (
        ReportJob::Ledger(Window::as_of_day(as_of.last_day())),
        Dispatch::none(),
    );
    for (job, dispatch) in due.chain([ledger]) {
        let outcome =
            jobs::run_report(config, &job, Trigger::Manual, &dispatch, Options::default())?;
        for line in &outcome.lines {
            outln!("{line}");
        }
    }
    outln!();
    outln!(
        "web console: `hotline-ledger web` (or `serve`) serves it at {}",
        hotline_ledger::web::address_hint(config)
    );
    Ok(ingest::exit_of(&totals))
}
