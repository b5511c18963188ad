//! `cases`: the warning cases as of a day, as a table, CSV or JSON.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::analysis::{Analysis, AsOf, CaseStatus, Tier, WarningCase};
use crate::cli::{CaseFormat, Exit};
use crate::config::Config;
use crate::store::Store;
use crate::table::Table;

/// The CSV header, in the order of every output format.
pub const CSV_HEADER: [&str; 16] = [
    "case_id",
    "subject_key",
    "category",
    "address",
    "tier",
    "lead_role",
    "count",
    "first_received_at",
    "last_received_at",
    "registered_at",
    "yellow_at",
    "red_at",
    "status",
    "cleared_at",
    "handling_mode",
    "recurring",
];

pub fn time(t: Option<NaiveDateTime>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

/// A case's fields as text, in CSV_HEADER order.
pub fn fields(c: &WarningCase) -> Vec<String> {
    vec![
        c.case_id.clone(),
        c.subject_key.clone(),
        c.category.clone(),
        c.address.clone(),
        c.tier.as_str().into(),
        c.lead_role().as_str().into(),
        c.count.to_string(),
        time(Some(c.first_received_at)),
        time(Some(c.last_received_at)),
        time(Some(c.registered_at)),
        time(c.yellow_at),
        time(c.red_at),
        c.status.as_str().into(),
        time(c.cleared_at),
        c.handling_mode.as_str().into(),
        c.recurring.to_string(),
    ]
}

/// Filters for `cases`.
pub struct Filter {
    pub tier: Option<Tier>,
    pub status: Option<CaseStatus>,
}

/// The cases at T, filtered.
pub fn load(
    store: &Store,
    config: &Config,
    as_of: AsOf,
    filter: &Filter,
) -> anyhow::Result<(Vec<WarningCase>, Vec<String>)> {
    let analysis = Analysis::new(store, config, as_of)?;
    let cases = analysis
        .cases()?
        .into_iter()
        .filter(|c| filter.tier.is_none_or(|t| c.tier == t))
        .filter(|c| filter.status.is_none_or(|s| c.status == s))
        .collect();
    let unknown = analysis
        .unknown_references()?
        .into_iter()
        .map(|u| format!("{} → {}", u.order_id, u.related_order_id))
        .collect();
    Ok((cases, unknown))
}

/// Prints cases in the asked format; `unknown` references go to stderr.
pub fn print(cases: &[WarningCase], unknown: &[String], format: CaseFormat, as_of: AsOf) {
    match format {
        CaseFormat::Csv => {
            let mut table = Table::new(CSV_HEADER);
            for c in cases {
                table.push(fields(c));
            }
            out!("{}", table.to_csv());
        }
        CaseFormat::Json => {
            let items: Vec<serde_json::Value> = cases
                .iter()
                .map(|c| {
                    let mut map = serde_json::Map::new();
                    for (k, v) in CSV_HEADER.iter().zip(fields(c)) {
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
            outln!("预警案件 as of {as_of} ({} cases)", cases.len());
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
        eprintln!(
            "note: {} {orders} {name} a related order that is not known (ignored): {}",
            unknown.len(),
            unknown.join(", ")
        );
    }
}

/// Entry point of `cases`.
pub fn run(
    config: &Config,
    as_of: AsOf,
    format: CaseFormat,
    filter: Filter,
) -> anyhow::Result<Exit> {
    let store = Store::open(config)?;
    let (cases, unknown) = load(&store, config, as_of, &filter)?;
    print(&cases, &unknown, format, as_of);
    Ok(Exit::Done)
}
