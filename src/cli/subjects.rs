//! `subjects`: every subject with its episodes and counts, warning or not.

use chrono::NaiveDate;
use hotline_ledger::analysis::AsOf;
use hotline_ledger::config::Config;
use hotline_ledger::jobs;

use super::format::ListFormat;
use super::table::Table;
use super::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Only subjects whose key contains this text.
    #[arg(long)]
    pub contains: Option<String>,
}

/// Entry point of `subjects`.
pub fn run(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    let as_of = AsOf::day_or_now(args.as_of, config.tz());
    let (format, filter) = (args.format, args.contains.clone());
    let mut table = Table::new([
        "subject_key",
        "episode",
        "count",
        "first_order_id",
        "first_received_at",
        "last_received_at",
        "open_orders",
        "to_green",
    ]);
    for s in jobs::list_subjects(config, as_of)? {
        if filter
            .as_ref()
            .is_some_and(|f| !s.subject_key.contains(f.as_str()))
        {
            continue;
        }
        table.push(vec![
            s.subject_key,
            s.episode_no.to_string(),
            s.count.to_string(),
            s.first_order_id,
            s.first_received_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            s.last_received_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            s.open_orders.to_string(),
            s.to_green.to_string(),
        ]);
    }
    match format {
        ListFormat::Csv => out!("{}", table.to_csv()),
        ListFormat::Table => {
            outln!("subjects as of {as_of} (to_green: complaints still needed for 绿色预警)");
            out!("{}", table.max_width(40).render());
        }
    }
    Ok(Exit::Done)
}
