//! The command line: argument definitions and dispatch to one function per command (in
//! `command/`). Errors are printed here, for the person at the terminal, and mapped to the
//! exit status.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::analysis::{AsOf, CaseStatus, Tier};
use crate::command;
use crate::config::Config;

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
    /// The main job: ingest the given exports (files, or folders of .xlsx/.csv files), or the
    /// inbox when none are given, and print what was loaded.
    Run {
        /// Export files or folders; folders are read in file-name order.
        inputs: Vec<PathBuf>,
        /// Evaluate cases through the end of this day (YYYY-MM-DD); default: now.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<NaiveDate>,
    },
    /// Load export files (.xlsx, .csv in UTF-8 or GBK) into the database, in the order given.
    Ingest {
        /// Export files, loaded in the order given.
        #[arg(required_unless_present = "inbox")]
        files: Vec<PathBuf>,
        /// Load every file waiting in paths.inbox (in name order), then move each to
        /// inbox/processed/ or inbox/failed/.
        #[arg(long, conflicts_with = "files")]
        inbox: bool,
        /// Read and check the files without loading anything: what would be loaded, what
        /// rejected and why.
        #[arg(long, conflicts_with = "inbox")]
        dry_run: bool,
    },
    /// List the rows that could not be used, with the reason.
    Rejected {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Only the rows of this file (its name or path as ingested).
        #[arg(long)]
        file: Option<String>,
    },
    /// The warning cases (预警案件) as of a day: tier, lead, status, handling mode.
    Cases {
        /// Evaluate through the end of this day (YYYY-MM-DD) in the configured time zone;
        /// default: now.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = CaseFormat::Table)]
        format: CaseFormat,
        /// Only cases of this tier.
        #[arg(long, value_enum)]
        tier: Option<TierArg>,
        /// Only cases with this status.
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
    },
    /// Every subject (诉求对象) with its episodes and counts, warning or not.
    Subjects {
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Only subjects whose key contains this text.
        #[arg(long)]
        contains: Option<String>,
    },
    /// Make a report PDF: the weekly report, the monthly review or the ledger.
    Report(command::report::Args),
    /// Run the daemon: inbox scans, the weekly report, the monthly review and ledger, and
    /// outbox retries on the configured schedule. Ctrl-C or SIGTERM stops it after the job
    /// in flight.
    Serve,
    /// The last run of each job, the next scheduled times, the outbox and the alerts.
    Status,
    /// The monthly archive.
    Archive {
        #[command(subcommand)]
        action: command::archive::Action,
    },
    /// The outbox of messages.
    Outbox {
        #[command(subcommand)]
        action: OutboxAction,
    },
    /// Print the effective configuration (defaults filled in) as TOML.
    Config,
    /// Write generated exports shaped like the real ones, for demos and benchmarks.
    Generate(command::generate::Args),
}

#[derive(Debug, Subcommand)]
pub enum OutboxAction {
    /// Send the queued messages whose next attempt is due (all of them with --all).
    Retry {
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CaseFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TierArg {
    Green,
    Yellow,
    Red,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    InProgress,
    Monitoring,
    Cleared,
}

/// `--as-of D`, or now.
pub fn as_of(config: &Config, day: Option<NaiveDate>) -> AsOf {
    match day {
        Some(d) => AsOf::end_of_day(d),
        None => AsOf::now(config.tz()),
    }
}

/// What a command's outcome means for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked for was done.
    Done = 0,
    /// Done, but some input could not be used (each one was named on stderr).
    SomeFailed = 1,
    /// Nothing (more) could be done: a config, database or usage error.
    Error = 2,
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
            eprintln!("error: {e:#}");
            Exit::Error as i32
        }
    }
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
        .without_time()
        .try_init();
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    if let Command::Generate(args) = &cli.command {
        return command::generate::run(args);
    }
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Run { inputs, as_of: day } => {
            command::run::run(&config, &inputs, as_of(&config, day))
        }
        Command::Cases {
            as_of: day,
            format,
            tier,
            status,
        } => {
            let filter = command::cases::Filter {
                tier: tier.map(|t| match t {
                    TierArg::Green => Tier::Green,
                    TierArg::Yellow => Tier::Yellow,
                    TierArg::Red => Tier::Red,
                }),
                status: status.map(|s| match s {
                    StatusArg::InProgress => CaseStatus::InProgress,
                    StatusArg::Monitoring => CaseStatus::Monitoring,
                    StatusArg::Cleared => CaseStatus::Cleared,
                }),
            };
            command::cases::run(&config, as_of(&config, day), format, filter)
        }
        Command::Subjects {
            as_of: day,
            format,
            contains,
        } => command::subjects::run(&config, as_of(&config, day), format, contains),
        Command::Ingest {
            files,
            inbox,
            dry_run,
        } => {
            if inbox {
                command::ingest::inbox(&config)
            } else if dry_run {
                command::ingest::dry_run(&config, &files)
            } else {
                command::ingest::files(&config, &files)
            }
        }
        Command::Rejected { format, file } => command::rejected::run(&config, format, file),
        Command::Report(args) => command::report::run(&config, &args),
        Command::Serve => command::serve::run(&config),
        Command::Status => command::status::run(&config),
        Command::Archive { action } => command::archive::run(&config, &action),
        Command::Outbox {
            action: OutboxAction::Retry { all },
        } => command::outbox::retry(&config, all),
        Command::Config => {
            out!("{}", config.to_toml());
            Ok(Exit::Done)
        }
        Command::Generate(_) => unreachable!("handled above"),
    }
}
