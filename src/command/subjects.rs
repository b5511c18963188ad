//! `subjects`: every subject with its episodes and counts, warning or not.

use crate::analysis::{Analysis, AsOf};
use crate::cli::{Exit, ListFormat};
use crate::config::Config;
use crate::store::Store;
use crate::table::Table;

/// Entry point of `subjects`.
pub fn run(
    config: &Config,
    as_of: AsOf,
    format: ListFormat,
    filter: Option<String>,
) -> anyhow::Result<Exit> {
    let store = Store::open(config)?;
    let analysis = Analysis::new(&store, config, as_of)?;
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
    for s in analysis.subjects()? {
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
