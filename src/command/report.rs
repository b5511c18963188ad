//! `report weekly|monthly|ledger`: makes a report PDF under paths.out and prints its path.

use chrono::NaiveDate;
use clap::{Args as ClapArgs, Subcommand};

use crate::analysis::AsOf;
use crate::cli::Exit;
use crate::config::Config;
use crate::history::Trigger;
use crate::pipeline::{self, Delivery, ReportJob};
use crate::report::period::Period;
use crate::report::{self, Kind, Options, Window, Written};
use crate::store::Store;

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
        #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "month")]
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
pub fn target(which: &Which, now: AsOf) -> (Kind, Window) {
    match which {
        Which::Weekly { week } => (
            Kind::Weekly,
            Window::week(week.unwrap_or_else(|| Period::last_full_week(now.0))),
        ),
        Which::Monthly { month } => (
            Kind::Monthly,
            Window::month(month.unwrap_or_else(|| Period::last_month(now.0))),
        ),
        Which::Ledger { as_of, month } => (
            Kind::Ledger,
            match (as_of, month) {
                (_, Some(m)) => Window::month(*m),
                (Some(day), None) => Window::as_of_day(*day),
                (None, None) => Window::as_of_day(now.last_day()),
            },
        ),
    }
}

/// One line about a written report.
pub fn describe(written: &Written) -> String {
    let d = &written.document;
    let mut line = format!(
        "{}  ({} page{}, {:.0} KB, {:.2} s)",
        written.path.display(),
        d.pages,
        if d.pages == 1 { "" } else { "s" },
        d.bytes.len() as f64 / 1024.0,
        d.render_time.as_secs_f64()
    );
    if d.missing_glyphs > 0 {
        line.push_str(&format!(
            "\n  warning: {} character(s) not in the report font were printed as '?'",
            d.missing_glyphs
        ));
    }
    for notice in &d.notices {
        line.push_str(&format!("\n  note: {notice}"));
    }
    line
}

/// Entry point of `report`.
pub fn run(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    let (kind, window) = target(&args.which, AsOf::now(config.tz()));
    let options = Options {
        unmasked: args.unmasked,
    };
    let send = args.send || args.preview || !args.to.is_empty();
    if !send {
        let store = Store::open(config)?;
        let written = report::run_report(&store, config, kind, &window, options)?;
        outln!("{}", describe(&written));
        return Ok(Exit::Done);
    }
    if args.unmasked {
        anyhow::bail!("--unmasked reports are not sent by e-mail: make the file without --send");
    }
    let job = match (kind, window.period) {
        (Kind::Weekly, Some(p)) => ReportJob::Weekly(p),
        (Kind::Monthly, Some(p)) => ReportJob::Monthly(p),
        _ => ReportJob::Ledger(window),
    };
    let delivery = Delivery {
        send: true,
        to: (!args.to.is_empty()).then(|| args.to.clone()),
        preview: args.preview,
        force: args.force,
    };
    let outcome = pipeline::report_job(config, &job, Trigger::Manual, &delivery, options)?;
    for line in &outcome.lines {
        outln!("{line}");
    }
    Ok(Exit::Done)
}
