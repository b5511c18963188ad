//! From a checked template and the report's data to layout blocks: values formatted and
//! masked, labels in Chinese, texts rendered with minijinja. No I/O.

use std::collections::BTreeMap;

use minijinja::value::Value as JValue;

use super::data::{Dataset, Value, LEAD_FIELD};
use super::model::{Block, Cell, Chart, Figure, Rgb, Series, TableBlock, TableColumn};
use super::template::{ColumnDef, Section, Template};
use crate::codes::{CaseStatus, Code, HandlingMode, LeadRole, RejectReason, Tier};
use crate::mask;

/// Everything the sections draw from.
pub struct Inputs<'a> {
    pub template: &'a Template,
    pub datasets: &'a BTreeMap<&'static str, Dataset>,
    /// Values for texts: the single-row datasets' fields and the report context.
    pub context: &'a BTreeMap<String, Value>,
    pub masked: bool,
}

pub fn tier_colors(tier: Tier) -> (Rgb, Rgb) {
    match tier {
        Tier::Green => (Rgb(0x2E, 0x7D, 0x32), Rgb::WHITE),
        Tier::Yellow => (Rgb(0xF9, 0xA8, 0x25), Rgb(0x21, 0x21, 0x21)),
        Tier::Red => (Rgb(0xC6, 0x28, 0x28), Rgb::WHITE),
    }
}

/// The Chinese label of a code column's value; an unknown value is shown as it is.
fn code_label<T: Code>(code: &str) -> String {
    code.parse::<T>()
        .map(|c| c.chinese().to_string())
        .unwrap_or_else(|_| code.to_string())
}

/// How many of a case's ways of writing its place the ledger lists by name.
const VARIANTS_SHOWN: usize = 3;

/// A field's value as text, the way reports show it.
pub fn display(field: &str, value: &Value, masked: bool) -> String {
    display_in_row(field, value, masked, "")
}

/// The name in a dataset row's caller-name column ("" when it has none): masked wherever
/// the row's free text repeats it.
fn caller_of<'a>(set: &'a Dataset, row: &'a [Value]) -> &'a str {
    match set.get(row, "caller_name") {
        Value::Text(name) => name,
        _ => "",
    }
}

/// A field's value as text in a row whose caller is `caller` (see `caller_of`).
fn display_in_row(field: &str, value: &Value, masked: bool, caller: &str) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => {
            if field == "recurring" {
                if *b { "复发" } else { "" }.into()
            } else if *b {
                "是".into()
            } else {
                "否".into()
            }
        }
        Value::Int(i) => i.to_string(),
        Value::Float(f) => {
            if field.ends_with("share") {
                format!("{:.1}%", f * 100.0)
            } else {
                format!("{f:.1}")
            }
        }
        Value::Time(t) => crate::period::zh_datetime(*t),
        Value::Text(s) => match field {
            "tier" => code_label::<Tier>(s),
            // An order's status is the platform's own text (已办结); a case's is a code.
            "status" => code_label::<CaseStatus>(s),
            "handling_mode" => code_label::<HandlingMode>(s),
            "lead_role" => code_label::<LeadRole>(s),
            "reason_code" => code_label::<RejectReason>(s),
            _ if masked => mask::field(field, s, caller),
            _ => s.clone(),
        },
    }
}

fn cell(field: &str, value: &Value, masked: bool, caller: &str) -> Cell {
    if field == "tier" {
        if let Ok(tier) = value.as_text().parse::<Tier>() {
            let (fill, ink) = tier_colors(tier);
            return Cell::Badge {
                text: tier.label().into(),
                fill,
                ink,
            };
        }
    }
    Cell::Text(display_in_row(field, value, masked, caller))
}

/// A table of `defs` over `rows` of `set`, each row's cells as its caller's row shows them.
fn table<'a>(
    defs: &[ColumnDef],
    set: &Dataset,
    rows: impl IntoIterator<Item = &'a Vec<Value>>,
    masked: bool,
) -> TableBlock {
    TableBlock {
        columns: columns(defs),
        rows: rows
            .into_iter()
            .map(|row| {
                defs.iter()
                    .map(|c| {
                        cell(
                            &c.field,
                            set.get(row, &c.field),
                            masked,
                            caller_of(set, row),
                        )
                    })
                    .collect()
            })
            .collect(),
    }
}

fn columns(defs: &[ColumnDef]) -> Vec<TableColumn> {
    defs.iter()
        .map(|c| TableColumn {
            heading: c.heading.clone(),
            width: c.width,
            align: c.align,
        })
        .collect()
}

fn to_jinja(value: &Value, field: &str, masked: bool) -> JValue {
    match value {
        Value::Int(i) => JValue::from(*i),
        Value::Float(f) => JValue::from(*f),
        Value::Bool(b) => JValue::from(*b),
        Value::Null => JValue::from(""),
        other => JValue::from(display(field, other, masked)),
    }
}

/// Renders a minijinja text (checked when the template was loaded).
pub fn render_text(text: &str, values: &BTreeMap<String, JValue>) -> String {
    let env = minijinja::Environment::new();
    env.render_str(text, values)
        .unwrap_or_else(|e| format!("(模板错误: {e})"))
}

fn context_values(context: &BTreeMap<String, Value>, masked: bool) -> BTreeMap<String, JValue> {
    context
        .iter()
        .map(|(k, v)| (k.clone(), to_jinja(v, k, masked)))
        .collect()
}

/// The template's sections as layout blocks.
pub fn blocks(inputs: &Inputs<'_>) -> Vec<Block> {
    let values = context_values(inputs.context, inputs.masked);
    let empty = Dataset::default();
    let mut out = Vec::new();
    let heading = |out: &mut Vec<Block>, h: &Option<String>| {
        if let Some(h) = h {
            out.push(Block::Heading(h.clone()));
        }
    };
    for section in &inputs.template.sections {
        match section {
            Section::Figures {
                heading: h,
                figures,
            } => {
                heading(&mut out, h);
                out.push(Block::Figures(
                    figures
                        .iter()
                        .map(|f| Figure {
                            label: f.label.clone(),
                            value: inputs
                                .context
                                .get(&f.value)
                                .map(|v| display(&f.value, v, inputs.masked))
                                .unwrap_or_default(),
                            note: f
                                .note
                                .as_ref()
                                .map(|n| render_text(n, &values))
                                .unwrap_or_default(),
                        })
                        .collect(),
                ));
            }
            Section::Paragraph { heading: h, text } => {
                heading(&mut out, h);
                out.push(Block::Paragraph(render_text(text, &values)));
            }
            Section::Table {
                heading: h,
                dataset,
                columns: defs,
                limit,
                empty: empty_text,
                note,
            } => {
                heading(&mut out, h);
                let set = inputs.datasets.get(dataset).unwrap_or(&empty);
                if set.rows.is_empty() {
                    if let Some(t) = empty_text {
                        out.push(Block::Paragraph(t.clone()));
                    }
                } else {
                    let shown = limit.unwrap_or(usize::MAX).min(set.rows.len());
                    out.push(Block::Table(table(
                        defs,
                        set,
                        &set.rows[..shown],
                        inputs.masked,
                    )));
                    if shown < set.rows.len() {
                        out.push(Block::Small(vec![format!(
                            "(仅列出前{shown}项,共{}项)",
                            set.rows.len()
                        )]));
                    }
                }
                if let Some(n) = note {
                    // A note may say nothing (a figure it explains turned off).
                    let text = render_text(n, &values);
                    if !text.trim().is_empty() {
                        out.push(Block::Small(vec![text]));
                    }
                }
            }
            Section::Chart {
                heading: h,
                dataset,
                kind,
                x,
                series,
                height,
            } => {
                heading(&mut out, h);
                let set = inputs.datasets.get(dataset).unwrap_or(&empty);
                out.push(Block::Chart(Chart {
                    kind: *kind,
                    labels: set
                        .rows
                        .iter()
                        .map(|r| display(x, set.get(r, x), inputs.masked))
                        .collect(),
                    series: series
                        .iter()
                        .map(|s| Series {
                            label: s.label.clone(),
                            color: s.color,
                            values: set
                                .rows
                                .iter()
                                .map(|r| set.get(r, &s.field).as_f64())
                                .collect(),
                        })
                        .collect(),
                    height: *height,
                }));
            }
            Section::Cases {
                heading: h,
                dataset,
                orders,
                title,
                detail,
                columns: defs,
                empty: empty_text,
                handling,
            } => {
                heading(&mut out, h);
                let cases = inputs.datasets.get(dataset).unwrap_or(&empty);
                let orders = inputs.datasets.get(orders).unwrap_or(&empty);
                let entries = handling
                    .as_ref()
                    .and_then(|h| inputs.datasets.get(h.dataset))
                    .unwrap_or(&empty);
                let mut entries_of: BTreeMap<String, Vec<&Vec<Value>>> = BTreeMap::new();
                for row in &entries.rows {
                    entries_of
                        .entry(entries.get(row, "case_id").as_text().to_string())
                        .or_default()
                        .push(row);
                }
                if cases.rows.is_empty() {
                    if let Some(t) = empty_text {
                        out.push(Block::Paragraph(t.clone()));
                    }
                }
                let mut by_case: BTreeMap<String, Vec<&Vec<Value>>> = BTreeMap::new();
                for row in &orders.rows {
                    by_case
                        .entry(orders.get(row, "case_id").as_text().to_string())
                        .or_default()
                        .push(row);
                }
                for row in &cases.rows {
                    let mut case_values = values.clone();
                    for (field, value) in cases.fields.iter().zip(row) {
                        case_values.insert(field.clone(), to_jinja(value, field, inputs.masked));
                    }
                    let code = |f: &str| cases.get(row, f).as_text().to_string();
                    case_values.insert(
                        "tier_label".into(),
                        JValue::from(code_label::<Tier>(&code("tier"))),
                    );
                    let named = code(LEAD_FIELD);
                    case_values.insert(
                        "lead_label".into(),
                        JValue::from(if named.is_empty() {
                            code_label::<LeadRole>(&code("lead_role"))
                        } else {
                            named
                        }),
                    );
                    case_values.insert(
                        "status_label".into(),
                        JValue::from(code_label::<CaseStatus>(&code("status"))),
                    );
                    case_values.insert(
                        "mode_label".into(),
                        JValue::from(code_label::<HandlingMode>(&code("handling_mode"))),
                    );
                    let case_id = code("case_id");
                    // How the place was written in the case's orders (fuzzy subjects join
                    // many): the first few, then how many in all.
                    let mut variants: Vec<String> = Vec::new();
                    for order in by_case.get(&case_id).map(Vec::as_slice).unwrap_or(&[]) {
                        let shown = display_in_row(
                            "address",
                            orders.get(order, "address"),
                            inputs.masked,
                            caller_of(orders, order),
                        );
                        if !shown.is_empty() && !variants.contains(&shown) {
                            variants.push(shown);
                        }
                    }
                    let variants_text = match variants.len() {
                        0 | 1 => String::new(),
                        n if n <= VARIANTS_SHOWN => variants.join("、"),
                        n => format!("{}等{n}种写法", variants[..VARIANTS_SHOWN].join("、")),
                    };
                    case_values.insert("address_variants".into(), JValue::from(variants_text));
                    let heading_text = render_text(title, &case_values);
                    let heading_block = match code("tier").parse::<Tier>() {
                        Ok(tier) => {
                            let (fill, ink) = tier_colors(tier);
                            Block::BadgeHeading {
                                badge: tier.label().into(),
                                fill,
                                ink,
                                text: heading_text,
                            }
                        }
                        Err(_) => Block::Heading(heading_text),
                    };
                    out.push(Block::KeepWithNext(Box::new(heading_block)));
                    out.push(Block::KeepWithNext(Box::new(Block::Paragraph(
                        render_text(detail, &case_values),
                    ))));
                    // The handling record as a table under the case, on its page.
                    let case_entries = entries_of.get(&case_id).map(Vec::as_slice).unwrap_or(&[]);
                    if let Some(h) = handling.as_ref().filter(|h| !h.columns.is_empty()) {
                        if !case_entries.is_empty() {
                            out.push(Block::KeepWithNext(Box::new(Block::Table(table(
                                &h.columns,
                                entries,
                                case_entries.iter().copied(),
                                inputs.masked,
                            )))));
                        }
                    }
                    let case_orders = by_case.get(&case_id).map(Vec::as_slice).unwrap_or(&[]);
                    out.push(Block::Table(table(
                        defs,
                        orders,
                        case_orders.iter().copied(),
                        inputs.masked,
                    )));
                    if let Some(text) = handling
                        .as_ref()
                        .filter(|h| h.columns.is_empty())
                        .and_then(|h| h.text.as_ref())
                    {
                        let lines: Vec<String> = case_entries
                            .iter()
                            .map(|entry| {
                                let values: BTreeMap<String, JValue> = entries
                                    .fields
                                    .iter()
                                    .zip(entry.iter())
                                    .map(|(f, v)| (f.clone(), to_jinja(v, f, inputs.masked)))
                                    .collect();
                                render_text(text, &values)
                            })
                            .collect();
                        if !lines.is_empty() {
                            out.push(Block::Small(lines));
                        }
                    }
                }
            }
            Section::PageBreak => out.push(Block::PageBreak),
        }
    }
    out
}
