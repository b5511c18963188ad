//! `cases`: the warning cases as of a day, as a table, CSV or JSON.

use chrono::NaiveDate;
use hotline_ledger::analysis::{AsOf, UnknownReference, WarningCase, CASE_FIELDS};
use hotline_ledger::codes::{CaseStatus, Tier};
use hotline_ledger::config::Config;
use hotline_ledger::jobs::{self, CaseFilter};
use serde_json::json;

use super::format::CaseFormat;
use super::table::Table;
use super::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Evaluate through the end of this day (YYYY-MM-DD) in the configured time zone;
    /// default: now.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = CaseFormat::Table)]
    pub format: CaseFormat,
    /// Only cases of this tier.
    #[arg(long, value_enum)]
    pub tier: Option<Tier>,
    /// Only cases with this status.
    #[arg(long, value_enum)]
    pub status: Option<CaseStatus>,
}

/// Prints cases in the asked format; `unknown` references go to stderr.
pub fn print(cases: &[WarningCase], unknown: &[UnknownReference], format: CaseFormat, as_of: AsOf) {
    match format {
        CaseFormat::Csv => {
            let mut table = Table::new(CASE_FIELDS);
            for c in cases {
                table.push(c.field_texts());
            }
            out!("{}", table.to_csv());
        }
        CaseFormat::Json => {
            let items: Vec<serde_json::Value> = cases
                .iter()
                .map(|c| {
                    let mut map = serde_json::Map::new();
                    for (k, v) in CASE_FIELDS.iter().zip(c.field_texts()) {
                        let value = match *k {
                            "count" => json!(c.count),
                            "recurring" => json!(c.recurring),
                            _ if v.is_empty() => serde_json::Value::Null,
                            _ => json!(v),
                        };
                        map.insert(k.to_string(), value);
                    }
                    serde_json::Value::Object(map)
                })
                .collect();
            outln!(
                "{}",
                serde_json::to_string_pretty(&items).expect("JSON serializes")
            );
        }
        CaseFormat::Table => {
            outln!(
                "预警案件 as of {as_of} ({})",
                super::ingest::count(cases.len() as u64, "case", "cases")
            );
            if !cases.is_empty() {
                let mut table = Table::new([
                    "案件",
                    "预警",
                    "牵头",
                    "件数",
                    "诉求类型",
                    "地址",
                    "首次",
                    "最近",
                    "状态",
                    "处置方式",
                    "复发",
                ])
                .max_width(28);
                for c in cases {
                    table.push(vec![
                        c.case_id.clone(),
                        c.tier.label().into(),
                        c.lead_role().label().into(),
                        c.count.to_string(),
                        c.category.clone(),
                        c.address.clone(),
                        c.first_received_at.format("%Y-%m-%d").to_string(),
                        c.last_received_at.format("%Y-%m-%d").to_string(),
                        c.status.label().into(),
                        c.handling_mode.label().into(),
                        if c.recurring { "复发" } else { "" }.into(),
                    ]);
                }
                out!("{}", table.render());
            }
        }
    }
    if !unknown.is_empty() {
        let (orders, name) = if unknown.len() == 1 {
            ("order", "names")
        } else {
            ("orders", "name")
        };
        let pairs: Vec<String> = unknown
            .iter()
            .map(|u| format!("{} → {}", u.order_id, u.related_order_id))
            .collect();
        eprintln!(
            "note: {} {orders} {name} a related order that is not known (ignored): {}",
            unknown.len(),
            pairs.join(", ")
        );
    }
}

/// Entry point of `cases`.
pub fn run(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    let as_of = AsOf::day_or_now(args.as_of, config.tz());
    let filter = CaseFilter {
        tier: args.tier,
        status: args.status,
    };
    let (cases, unknown) = jobs::list_cases(config, as_of, filter)?;
    print(&cases, &unknown, args.format, as_of);
    Ok(Exit::Done)
}
