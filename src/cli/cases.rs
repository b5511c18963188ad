//! `cases`: the warning cases as of a day, as a table, CSV or JSON.

use chrono::NaiveDate;
use hotline_ledger::analysis::{AsOf, CASE_FIELDS};
use hotline_ledger::callers::{self, CaseCallers, CALLER_FIELDS};
use hotline_ledger::codes::{CaseStatus, Tier};
use hotline_ledger::config::Config;
use hotline_ledger::jobs::{self, CaseFilter, CaseList};
use serde_json::json;

use super::exit::Exit;
use super::format::CaseFormat;
use super::table::Table;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Evaluate through the end of this day (YYYY-MM-DD) in the configured time zone;
    /// default: now.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_day)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = CaseFormat::Table)]
    pub format: CaseFormat,
    /// Only cases of this tier.
    #[arg(long, value_enum)]
    pub tier: Option<Tier>,
    /// Only cases with this status.
    #[arg(long, value_enum)]
    pub status: Option<CaseStatus>,
    /// With `--format csv`: add the caller columns (callers, no_phone,
    /// top_caller_complaints, top_caller_share) after the usual ones.
    #[arg(long)]
    pub wide: bool,
}

/// Prints cases in the asked format (`wide`: the CSV with the caller columns); the
/// unknown references go to stderr.
pub fn print(list: &CaseList, format: CaseFormat, wide: bool, as_of: AsOf) {
    let (cases, unknown) = (&list.cases, &list.unknown);
    let callers_of = |case_id: &str| -> Option<CaseCallers> {
        list.callers.as_ref().map(|m| {
            // A case always has orders, so it has figures; zeros keep the row whole if not.
            m.get(case_id)
                .copied()
                .unwrap_or_else(|| CaseCallers::from_counts([]))
        })
    };
    match format {
        CaseFormat::Csv => {
            let wide = wide && list.callers.is_some();
            let mut headers: Vec<&str> = CASE_FIELDS.to_vec();
            if wide {
                headers.extend(CALLER_FIELDS);
            }
            let mut table = Table::new(headers);
            for c in cases {
                let mut row = c.field_texts();
                if let Some(k) = callers_of(&c.case_id).filter(|_| wide) {
                    row.extend(k.field_texts());
                }
                table.push(row);
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
                    if let Some(k) = callers_of(&c.case_id) {
                        map.insert("callers".into(), json!(k.callers));
                        map.insert("no_phone".into(), json!(k.no_phone));
                        map.insert(
                            "top_caller_complaints".into(),
                            json!(k.top_caller_complaints),
                        );
                        map.insert("top_caller_share".into(), json!(k.top_caller_share));
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
                let mut headers = vec!["案件", "预警", "牵头", "件数"];
                if list.callers.is_some() {
                    headers.extend(["来电人", "未留电话", "最多一人"]);
                }
                headers.extend([
                    "诉求类型",
                    "地址",
                    "首次",
                    "最近",
                    "状态",
                    "处置方式",
                    "复发",
                ]);
                let mut table = Table::new(headers).max_width(28);
                for c in cases {
                    let mut row = vec![
                        c.case_id.clone(),
                        c.tier.label().into(),
                        c.lead_role().label().into(),
                        c.count.to_string(),
                    ];
                    if let Some(k) = callers_of(&c.case_id) {
                        row.push(k.callers.to_string());
                        row.push(k.no_phone.to_string());
                        row.push(match (k.top_caller_complaints, k.top_caller_share) {
                            (Some(n), Some(share)) => {
                                format!("{n}件 {}", callers::percent(share))
                            }
                            _ => String::new(),
                        });
                    }
                    row.extend([
                        c.category.clone(),
                        c.address.clone(),
                        c.first_received_at.format("%Y-%m-%d").to_string(),
                        c.last_received_at.format("%Y-%m-%d").to_string(),
                        c.status.label().into(),
                        c.handling_mode.label().into(),
                        if c.recurring { "复发" } else { "" }.into(),
                    ]);
                    table.push(row);
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
    if args.wide && args.format != CaseFormat::Csv {
        anyhow::bail!(
            "--wide goes with --format csv: the table and the JSON show the callers already"
        );
    }
    if args.wide && !config.callers.enabled {
        anyhow::bail!(
            "--wide: the caller figures are off (callers.enabled = false in {}): \
             turn them on or leave out --wide",
            config.source
        );
    }
    let as_of = AsOf::day_or_now(args.as_of, config.tz());
    let filter = CaseFilter {
        tier: args.tier,
        status: args.status,
    };
    // The CSV without --wide keeps its columns: it needs no callers counted.
    let with_callers = args.format != CaseFormat::Csv || args.wide;
    let list = jobs::list_cases(config, as_of, filter, with_callers)?;
    print(&list, args.format, args.wide, as_of);
    Ok(Exit::Done)
}
