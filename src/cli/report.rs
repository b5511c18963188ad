//! `report weekly|monthly|ledger`: makes a report PDF under paths.out and prints its path.

use chrono::NaiveDate;
use clap::{Args as ClapArgs, Subcommand};
use hotline_ledger::analysis::AsOf;
use hotline_ledger::config::Config;
use hotline_ledger::history::Trigger;
use hotline_ledger::jobs::{self, Dispatch, ReportJob};
use hotline_ledger::period::Period;
use hotline_ledger::report::{Options, ReportKind, Window};

use super::exit::Exit;

#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    pub which: Which,
    /// Show phone numbers and names in full (they are masked by default).
    #[arg(long, global = true)]
    pub unmasked: bool,
    /// Send it by e-mail (to the configured recipients, or --to), recorded in the run
    /// history; a month's review or ledger sent this way is also archived.
    #[arg(long, global = true)]
    pub send: bool,
    /// Send to these addresses instead of the configured recipients (implies --send).
    #[arg(long, global = true, value_name = "ADDRESS")]
    pub to: Vec<String>,
    /// Send to the admin only, marked as a preview (implies --send; nothing is archived).
    #[arg(long, global = true, conflicts_with = "to")]
    pub preview: bool,
    /// Send again to recipients who already received this report for this period.
    #[arg(long, global = true)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum Which {
    /// 周报: the weekly report (default: the last full week).
    Weekly {
        /// ISO week, e.g. 2025-W05.
        #[arg(long, value_parser = parse_week)]
        week: Option<Period>,
    },
    /// 月度复盘: the monthly review (default: last month).
    Monthly {
        /// Month, e.g. 2025-01.
        #[arg(long, value_parser = parse_month)]
        month: Option<Period>,
    },
    /// 台账: the ledger of warning cases with their work orders (default: as of today).
    Ledger {
        /// Cases active at the end of this day, or registered or cleared in its month so far.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_day, conflicts_with = "month")]
        as_of: Option<NaiveDate>,
        /// The ledger of a whole month, as of its end.
        #[arg(long, value_parser = parse_month)]
        month: Option<Period>,
    },
}

fn parse_week(text: &str) -> Result<Period, String> {
    Period::parse_week(text).map_err(|e| e.to_string())
}

fn parse_month(text: &str) -> Result<Period, String> {
    Period::parse_month(text).map_err(|e| e.to_string())
}

/// The report kind and window a request names, defaults filled in from `now`.
pub fn target(which: &Which, now: AsOf) -> (ReportKind, Window) {
    match which {
        Which::Weekly { week } => (
            ReportKind::Weekly,
            Window::week(week.unwrap_or_else(|| Period::last_full_week(now.0))),
        ),
        Which::Monthly { month } => (
            ReportKind::Monthly,
            Window::month(month.unwrap_or_else(|| Period::last_month(now.0))),
        ),
        Which::Ledger { as_of, month } => (
            ReportKind::Ledger,
            match (as_of, month) {
                (_, Some(m)) => Window::month(*m),
                (Some(day), None) => Window::as_of_day(*day),
                (None, None) => Window::as_of_day(now.last_day()),
            },
        ),
    }
}

/// Entry point of `report`.
pub fn run(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    let (kind, window) = target(&args.which, AsOf::now(config.tz()));
    let options = Options {
        unmasked: args.unmasked,
    };
    let send = args.send || args.preview || !args.to.is_empty();
    let dispatch = Dispatch {
        send,
        to: (!args.to.is_empty()).then(|| args.to.clone()),
        preview: args.preview,
        force: args.force,
    };
    let job = ReportJob::of(kind, window);
    let outcome = jobs::run_report(config, &job, Trigger::Manual, &dispatch, options)?;
    for line in &outcome.lines {
        outln!("{line}");
    }
    Ok(super::outbox::exit_of_sending(outcome.unsent))
}
