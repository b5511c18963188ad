//! The command line: the list of commands and the dispatch to one file per command, each
//! owning its arguments and calling the library's jobs. Errors are printed here, for the
//! person at the terminal, and mapped to the exit status.

// First, so that its macros (`outln!`, `out!`) are in scope in the commands below.
#[macro_use]
mod output;

mod archive;
mod cases;
mod exit;
mod format;
mod generate;
mod ingest;
mod notify;
mod outbox;
mod rejected;
mod report;
mod run;
mod serve;
mod status;
mod subjects;
mod table;
mod web;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use hotline_ledger::config::Config;

pub use exit::Exit;

#[derive(Debug, Parser)]
#[command(
    name = "hotline-ledger",
    version,
    about = "Turns 12345 hotline work-order exports into the three-colour warning ledger (三色预警台账)"
)]
pub struct Cli {
    /// The TOML config file (default: ./hotline-ledger.toml if present, else built-in defaults).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// More log output on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The main job: ingest the given exports (files, or folders of spreadsheet and .csv exports), or the
    /// inbox when none are given, and print what was loaded.
    Run(run::Args),
    /// Load export files (.xlsx, .xls, .xlsb, .ods, .csv in UTF-8 or GBK) into the database, in the order given.
    Ingest(ingest::Args),
    /// List the rows that could not be used, with the reason.
    Rejected(rejected::Args),
    /// The warning cases (预警案件) as of a day: tier, lead, status, handling mode.
    Cases(cases::Args),
    /// Every subject (诉求对象) with its episodes and counts, warning or not.
    Subjects(subjects::Args),
    /// Make a report PDF: the weekly report, the monthly review or the ledger.
    Report(report::Args),
    /// Run the daemon: inbox scans, the weekly report, the monthly review and ledger, and
    /// outbox retries on the configured schedule. Ctrl-C or SIGTERM stops it after the job
    /// in flight.
    Serve,
    /// The last run of each job, the next scheduled times, the outbox and the alerts.
    Status,
    /// The monthly archive.
    Archive(archive::Args),
    /// The outbox of messages.
    Outbox(outbox::Args),
    /// Tell the leads of warning cases registered, escalated, turned special or recurring
    /// and not told yet (done after every ingest); --dry-run shows what would go out.
    Notify(notify::Args),
    /// Print the effective configuration (defaults filled in) as TOML.
    Config,
    /// The web console (管理后台) alone, or `web passwd NAME` to set a user's password.
    Web(web::Args),
    /// Write generated exports shaped like the real ones, for demos and benchmarks.
    Generate(generate::Args),
}

/// `--as-of YYYY-MM-DD`, in the years the program handles.
fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    hotline_ledger::period::parse_day(text).map_err(|e| e.to_string())
}

/// Parses the arguments and runs the command; returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Error as i32
            } else {
                0
            };
        }
    };
    init_logging(cli.verbose);
    match run(cli) {
        Ok(exit) => exit as i32,
        Err(e) => {
            eprintln!("error: {}", error_chain(&e));
            Exit::Error as i32
        }
    }
}

/// An error and its causes on one line, each cause once: a message that already quotes its
/// cause ("connecting: Connection refused (os error 111)") does not get it again.
fn error_chain(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let cause = cause.to_string();
        if text.contains(&cause) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause);
    }
    text
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("HOTLINE_LEDGER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not in a log file or a pipe.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .try_init();
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    if let Command::Generate(args) = &cli.command {
        return generate::run(args);
    }
    let config = Config::load(cli.config.as_deref())?;
    hotline_ledger::jobs::check_files(&config)?;
    let reads_only = matches!(
        &cli.command,
        Command::Rejected(_)
            | Command::Cases(_)
            | Command::Subjects(_)
            | Command::Report(_)
            | Command::Status
            | Command::Outbox(_)
            | Command::Notify(_)
    );
    if reads_only {
        hotline_ledger::store::Store::require_existing(&config)?;
    }
    match &cli.command {
        Command::Run(args) => run::run(&config, args),
        Command::Ingest(args) => ingest::run(&config, args),
        Command::Rejected(args) => rejected::run(&config, args),
        Command::Cases(args) => cases::run(&config, args),
        Command::Subjects(args) => subjects::run(&config, args),
        Command::Report(args) => report::run(&config, args),
        Command::Serve => serve::run(&config),
        Command::Status => status::run(&config),
        Command::Archive(args) => archive::run(&config, args),
        Command::Outbox(args) => outbox::run(&config, args),
        Command::Notify(args) => notify::run(&config, args),
        Command::Config => {
            hotline_ledger::jobs::check_setup(&config)?;
            out!("{}", config.to_toml());
            Ok(Exit::Done)
        }
        Command::Web(args) => web::run(&config, cli.config.as_deref(), args),
        Command::Generate(_) => unreachable!("handled above"),
    }
}
