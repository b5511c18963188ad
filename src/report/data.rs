//! The data a report can show: named datasets, each the result of one query under
//! `queries/report/`, over the as-of tables of the analysis. Templates name datasets and
//! their fields; this module lists them (so templates are checked without a database) and
//! runs them.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use duckdb::types::Value as DbValue;

use crate::analysis::Analysis;
use crate::codes::Tier;
use crate::config::Config;
use crate::queries;
use crate::store::Store;
use duckdb::params;

use super::error::{failed, ReportError};
use super::window::Window;

/// A value of a dataset field.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(String),
    Time(NaiveDateTime),
}

impl Value {
    pub fn as_i64(&self) -> i64 {
        match self {
            Value::Int(i) => *i,
            Value::Float(f) => *f as i64,
            Value::Bool(b) => i64::from(*b),
            _ => 0,
        }
    }

    pub fn as_f64(&self) -> f64 {
        match self {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            _ => 0.0,
        }
    }

    pub fn as_text(&self) -> &str {
        match self {
            Value::Text(s) => s,
            _ => "",
        }
    }

    fn from_db(v: DbValue) -> Value {
        use chrono::DateTime;
        match v {
            DbValue::Null => Value::Null,
            DbValue::Boolean(b) => Value::Bool(b),
            DbValue::TinyInt(i) => Value::Int(i64::from(i)),
            DbValue::SmallInt(i) => Value::Int(i64::from(i)),
            DbValue::Int(i) => Value::Int(i64::from(i)),
            DbValue::BigInt(i) => Value::Int(i),
            DbValue::HugeInt(i) => Value::Int(i as i64),
            DbValue::UTinyInt(i) => Value::Int(i64::from(i)),
            DbValue::USmallInt(i) => Value::Int(i64::from(i)),
            DbValue::UInt(i) => Value::Int(i64::from(i)),
            DbValue::UBigInt(i) => Value::Int(i as i64),
            DbValue::Float(f) => Value::Float(f64::from(f)),
            DbValue::Double(f) => Value::Float(f),
            DbValue::Decimal(d) => Value::Float(d.to_string().parse().unwrap_or(0.0)),
            DbValue::Text(s) => Value::Text(s),
            DbValue::Timestamp(unit, n) => {
                let micros = unit.to_micros(n);
                Value::Time(
                    DateTime::from_timestamp_micros(micros)
                        .map(|t| t.naive_utc())
                        .unwrap_or_default(),
                )
            }
            other => Value::Text(format!("{other:?}")),
        }
    }
}

/// Rows of named fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    pub fields: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Dataset {
    pub fn index(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == field)
    }

    /// Empties the named fields of every row (the fields stay, their values are Null).
    pub fn clear_fields(&mut self, fields: &[&str]) {
        let indexes: Vec<usize> = fields.iter().filter_map(|f| self.index(f)).collect();
        for row in &mut self.rows {
            for &i in &indexes {
                if let Some(v) = row.get_mut(i) {
                    *v = Value::Null;
                }
            }
        }
    }

    pub fn get<'a>(&'a self, row: &'a [Value], field: &str) -> &'a Value {
        self.index(field)
            .and_then(|i| row.get(i))
            .unwrap_or(&Value::Null)
    }
}

/// A dataset a template can name.
pub struct DatasetDef {
    pub name: &'static str,
    pub sql: &'static str,
    /// One row whose fields become values for paragraphs and key figures.
    pub single_row: bool,
    pub fields: &'static [&'static str],
}

impl DatasetDef {
    /// Whether the program adds a `lead` field ("大队长 张某某", or the role alone) from the
    /// case's tier, street and handling unit and the configured `[leads]`.
    pub fn names_leads(&self) -> bool {
        ["lead_role", "street", "handler_unit"]
            .iter()
            .all(|f| self.fields.contains(f))
    }

    /// The fields a template may name: the query's, and `lead` where the program adds it.
    pub fn all_fields(&self) -> Vec<&'static str> {
        let mut out = self.fields.to_vec();
        if self.names_leads() {
            out.push(LEAD_FIELD);
        }
        out
    }

    /// Whether the query reads the report's cases table (`report_cases.sql`).
    pub fn reads_cases(&self) -> bool {
        self.fields.contains(&"lead_role") || self.name.starts_with("handling_")
    }
}

/// The field holding a case's named lead.
pub const LEAD_FIELD: &str = "lead";

/// The fields of a handling entry, as the handling datasets return them.
const HANDLING_FIELDS: [&str; 7] = [
    "case_id",
    "written_at",
    "measures",
    "responsible",
    "result",
    "return_visit",
    "author",
];

/// Every dataset, with the fields its query returns (a test checks they agree).
pub const DATASETS: &[DatasetDef] = &[
    DatasetDef {
        name: "headline",
        sql: queries::REPORT_HEADLINE,
        single_row: true,
        fields: &[
            "received",
            "received_prev",
            "closed",
            "backlog",
            "backlog_older",
        ],
    },
    DatasetDef {
        name: "case_summary",
        sql: queries::REPORT_CASE_SUMMARY,
        single_row: true,
        fields: &[
            "registered_total",
            "registered_green",
            "registered_yellow",
            "registered_red",
            "registered_cleared",
            "registered_monitoring",
            "registered_in_progress",
            "escalated",
            "cleared",
            "active_total",
            "active_green",
            "active_yellow",
            "active_red",
            "in_progress",
            "monitoring",
            "recurring",
        ],
    },
    DatasetDef {
        name: "quality",
        sql: queries::REPORT_QUALITY,
        single_row: true,
        fields: &[
            "files",
            "rows_read",
            "rows_rejected",
            "rejected_share",
            "latest_data_at",
        ],
    },
    DatasetDef {
        name: "by_category",
        sql: queries::REPORT_BY_CATEGORY,
        single_row: false,
        fields: &["category", "received", "received_prev", "change"],
    },
    DatasetDef {
        name: "by_channel",
        sql: queries::REPORT_BY_CHANNEL,
        single_row: false,
        fields: &["channel", "received"],
    },
    DatasetDef {
        name: "by_street",
        sql: queries::REPORT_BY_STREET,
        single_row: false,
        fields: &["street", "received"],
    },
    DatasetDef {
        name: "daily",
        sql: queries::REPORT_DAILY,
        single_row: false,
        fields: &["day", "this_period", "previous_period"],
    },
    DatasetDef {
        name: "monthly_trend",
        sql: queries::REPORT_MONTHLY_TREND,
        single_row: false,
        fields: &["month", "received", "new_cases"],
    },
    DatasetDef {
        name: "cases_new",
        sql: queries::REPORT_CASES_NEW,
        single_row: false,
        fields: &[
            "case_id",
            "tier",
            "lead_role",
            "category",
            "address",
            "count",
            "registered_at",
            "status",
            "handling_mode",
            "recurring",
            "street",
            "handler_unit",
            "handling_measures",
            "handling_result",
            "handling_written_at",
        ],
    },
    DatasetDef {
        name: "cases_escalated",
        sql: queries::REPORT_CASES_ESCALATED,
        single_row: false,
        fields: &[
            "case_id",
            "tier",
            "lead_role",
            "category",
            "address",
            "count",
            "escalated_at",
            "status",
            "street",
            "handler_unit",
        ],
    },
    DatasetDef {
        name: "cases_cleared",
        sql: queries::REPORT_CASES_CLEARED,
        single_row: false,
        fields: &[
            "case_id",
            "tier",
            "category",
            "address",
            "count",
            "last_received_at",
            "cleared_at",
        ],
    },
    DatasetDef {
        name: "cases_active",
        sql: queries::REPORT_CASES_ACTIVE,
        single_row: false,
        fields: &[
            "case_id",
            "tier",
            "lead_role",
            "category",
            "address",
            "count",
            "last_received_at",
            "status",
            "handling_mode",
            "recurring",
            "street",
            "handler_unit",
            "handling_measures",
            "handling_result",
            "handling_written_at",
            "callers",
            "no_phone",
            "top_caller_complaints",
            "top_caller_share",
        ],
    },
    DatasetDef {
        name: "cases_recurring",
        sql: queries::REPORT_CASES_RECURRING,
        single_row: false,
        fields: &[
            "case_id",
            "tier",
            "category",
            "address",
            "count",
            "first_received_at",
            "status",
        ],
    },
    DatasetDef {
        name: "top_subjects",
        sql: queries::REPORT_TOP_SUBJECTS,
        single_row: false,
        fields: &[
            "category",
            "address",
            "received",
            "tier",
            "callers",
            "no_phone",
            "top_caller_complaints",
            "top_caller_share",
        ],
    },
    DatasetDef {
        name: "handling_modes",
        sql: queries::REPORT_HANDLING_MODES,
        single_row: false,
        fields: &["handling_mode", "cases"],
    },
    DatasetDef {
        name: "rejected",
        sql: queries::REPORT_REJECTED,
        single_row: false,
        fields: &["file", "row", "reason"],
    },
    DatasetDef {
        name: "rejected_reasons",
        sql: queries::REPORT_REJECTED_REASONS,
        single_row: false,
        fields: &["reason_code", "rows"],
    },
    DatasetDef {
        name: "ledger_cases",
        sql: queries::REPORT_LEDGER_CASES,
        single_row: false,
        fields: &[
            "case_id",
            "tier",
            "lead_role",
            "category",
            "address",
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
            "street",
            "handler_unit",
            "handling_measures",
            "handling_responsible",
            "handling_result",
            "handling_return_visit",
            "handling_author",
            "handling_written_at",
            "callers",
            "no_phone",
            "top_caller_complaints",
            "top_caller_share",
        ],
    },
    DatasetDef {
        name: "ledger_orders",
        sql: queries::REPORT_LEDGER_ORDERS,
        single_row: false,
        fields: &[
            "case_id",
            "order_id",
            "received_at",
            "channel",
            "caller_phone",
            "status",
            "closed_at",
            "address",
            "caller_name",
        ],
    },
    DatasetDef {
        name: "open_by_lead",
        sql: queries::REPORT_OPEN_BY_LEAD,
        single_row: false,
        fields: &[
            "case_id",
            "tier",
            "lead_role",
            "category",
            "address",
            "count",
            "last_received_at",
            "status",
            "handling_mode",
            "street",
            "handler_unit",
            "handling_measures",
            "handling_result",
            "handling_written_at",
        ],
    },
    DatasetDef {
        name: "handling_latest",
        sql: queries::REPORT_HANDLING_LATEST,
        single_row: false,
        fields: &HANDLING_FIELDS,
    },
    DatasetDef {
        name: "handling_all",
        sql: queries::REPORT_HANDLING_ALL,
        single_row: false,
        fields: &HANDLING_FIELDS,
    },
    DatasetDef {
        name: "sheet_case",
        sql: queries::REPORT_SHEET_CASE,
        single_row: false,
        fields: &[
            "case_id",
            "tier",
            "lead_role",
            "category",
            "address",
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
        ],
    },
    DatasetDef {
        name: "sheet_orders",
        sql: queries::REPORT_SHEET_ORDERS,
        single_row: false,
        fields: &[
            "case_id",
            "order_id",
            "received_at",
            "channel",
            "caller_phone",
            "status",
            "closed_at",
            "address",
            "street",
            "content",
            "caller_name",
        ],
    },
];

pub fn find(name: &str) -> Option<&'static DatasetDef> {
    DATASETS.iter().find(|d| d.name == name)
}

/// Runs one dataset's query (the report parameters must be loaded).
pub fn run(store: &Store, def: &DatasetDef) -> duckdb::Result<Dataset> {
    let mut stmt = store.conn().prepare(def.sql)?;
    let mut rows = stmt.query([])?;
    let mut out = Dataset::default();
    let mut first = true;
    while let Some(row) = rows.next()? {
        let stmt_ref = row.as_ref();
        if first {
            out.fields = (0..stmt_ref.column_count())
                .map(|i| {
                    stmt_ref
                        .column_name(i)
                        .map(|s| s.to_string())
                        .unwrap_or_default()
                })
                .collect();
            first = false;
        }
        let mut values = Vec::with_capacity(out.fields.len());
        for i in 0..out.fields.len() {
            values.push(Value::from_db(row.get::<_, DbValue>(i)?));
        }
        out.rows.push(values);
    }
    if first {
        out.fields = def.fields.iter().map(|s| s.to_string()).collect();
    }
    Ok(out)
}

/// The single-row datasets as one map of values, for paragraphs and key figures.
pub fn scalars(sets: &BTreeMap<&'static str, Dataset>) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for def in DATASETS.iter().filter(|d| d.single_row) {
        if let Some(set) = sets.get(def.name) {
            if let Some(row) = set.rows.first() {
                for (field, value) in set.fields.iter().zip(row) {
                    out.insert(field.clone(), value.clone());
                }
            }
        }
    }
    out
}

/// Sets the report parameters of `window` and runs the single-row datasets and those
/// `wanted` names (the analysis as of the window's end must be made).
pub(super) fn load_datasets(
    store: &Store,
    config: &Config,
    window: &Window,
    wanted: impl Fn(&str) -> bool,
) -> Result<BTreeMap<&'static str, Dataset>, ReportError> {
    let r = &config.rules;
    store
        .conn()
        .execute(
            queries::REPORT_PARAMS,
            params![
                window.start,
                window.as_of.0,
                window.previous_start,
                r.green,
                r.yellow,
                r.red,
                r.quiet_days,
                window.trend_start()
            ],
        )
        .map_err(failed("setting the report's parameters".to_string()))?;
    store
        .conn()
        .execute(
            queries::REPORT_SHEET_PARAMS,
            params![window.sheet.as_ref().map(|s| s.case_id.as_str())],
        )
        .map_err(failed("setting the case sheet's case".to_string()))?;
    let defs: Vec<&DatasetDef> = DATASETS
        .iter()
        .filter(|d| d.single_row || wanted(d.name))
        .collect();
    let callers_on = config.callers.enabled;
    if defs.iter().any(|d| d.reads_cases()) {
        crate::callers::count(store, callers_on)
            .map_err(failed("counting the cases' callers".to_string()))?;
        store
            .conn()
            .execute_batch(queries::REPORT_REPORT_CASES)
            .map_err(failed("reading the cases' places and handling".to_string()))?;
    }
    let mut datasets: BTreeMap<&'static str, Dataset> = BTreeMap::new();
    for def in defs {
        let mut rows =
            run(store, def).map_err(failed(format!("reading the dataset {}", def.name)))?;
        if !callers_on {
            rows.clear_fields(&crate::callers::CALLER_FIELDS);
        }
        if def.names_leads() {
            name_leads(&mut rows, &config.leads, def.name == "open_by_lead");
        }
        datasets.insert(def.name, rows);
    }
    Ok(datasets)
}

/// Adds each case's lead ("大队长 张某某", or the role alone when no one is named) from its
/// tier, street and handling unit; `by_lead` orders the rows by lead as `[leads]` lists
/// them (captain, deputy captains, group leaders), keeping the query's order within each.
fn name_leads(set: &mut Dataset, leads: &crate::config::Leads, by_lead: bool) {
    let mut keyed: Vec<((usize, usize), Vec<Value>)> = std::mem::take(&mut set.rows)
        .into_iter()
        .map(|mut row| {
            let text = |f: &str| set.get(&row, f).as_text().to_string();
            let (street, unit) = (text("street"), text("handler_unit"));
            let (label, rank) = match text("tier").parse::<Tier>() {
                Ok(tier) => (
                    leads.label(tier, &street, &unit),
                    leads.rank(tier, &street, &unit),
                ),
                Err(_) => (String::new(), (usize::MAX, usize::MAX)),
            };
            row.push(Value::Text(label));
            (rank, row)
        })
        .collect();
    set.fields.push(LEAD_FIELD.to_string());
    if by_lead {
        keyed.sort_by_key(|(rank, _)| *rank);
    }
    set.rows = keyed.into_iter().map(|(_, row)| row).collect();
}

/// The datasets the reports are made from, for `window`: the single-row figures and those
/// named. For the console, which shows the same figures as the PDFs.
pub fn datasets(
    store: &Store,
    config: &Config,
    window: &Window,
    names: &[&str],
) -> Result<BTreeMap<&'static str, Dataset>, ReportError> {
    let _analysis =
        Analysis::new(store, config, window.as_of).map_err(|source| ReportError::Analysis {
            as_of: window.as_of.to_string(),
            source,
        })?;
    load_datasets(store, config, window, |name| names.contains(&name))
}

/// The datasets of `window` (as `datasets` gives them) when the analysis as of the
/// window's instant is already made on `store`: several windows ending at one instant share
/// one analysis.
pub fn datasets_in_analysis(
    store: &Store,
    config: &Config,
    window: &Window,
    names: &[&str],
) -> Result<BTreeMap<&'static str, Dataset>, ReportError> {
    load_datasets(store, config, window, |name| names.contains(&name))
}
