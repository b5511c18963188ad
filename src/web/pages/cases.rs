//! 预警案件: the warning cases as of a day, filtered by tier, status, street and category,
//! sorted, a page at a time; the same list as CSV or .xlsx.

use std::sync::Arc;

use axum::extract::{Query, State as Ext};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::codes::{CaseStatus, Tier};
use crate::web::cache::CaseRow;
use crate::web::render::minute;
use crate::web::{State, User, WebError};

/// Cases on one page.
pub const PAGE_SIZE: usize = 50;

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct Filter {
    #[serde(default)]
    pub tier: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub category: String,
    /// A lead's name: the cases he leads.
    #[serde(default)]
    pub lead: String,
    /// Words to find: a case's or an order's id, or words of an address or complaint text.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub page: Option<usize>,
}

impl Filter {
    /// `found`: the episodes whose orders the search finds (None when nothing is searched).
    fn keep(
        &self,
        r: &CaseRow,
        found: Option<&std::collections::HashSet<crate::casebook::Episode>>,
    ) -> Result<bool, WebError> {
        let q = self.q.trim();
        let searched = found.is_none_or(|f| {
            f.contains(&r.episode)
                || r.case.case_id.contains(q)
                || r.case.address.contains(q)
                || r.case.category.contains(q)
        });
        let led = self.lead.is_empty() || r.lead_name.as_deref() == Some(self.lead.as_str());
        let tier = match self.tier.as_str() {
            "" => None,
            t => Some(t.parse::<Tier>().map_err(|_| bad("tier", t))?),
        };
        let status = match self.status.as_str() {
            "" => None,
            "active" => None,
            s => Some(s.parse::<CaseStatus>().map_err(|_| bad("status", s))?),
        };
        Ok(tier.is_none_or(|t| r.case.tier == t)
            && status.is_none_or(|s| r.case.status == s)
            && (self.status != "active" || r.case.status != CaseStatus::Cleared)
            && (self.street.is_empty() || r.street == self.street)
            && (self.category.is_empty() || r.case.category == self.category)
            && led
            && searched)
    }

    /// The query string of this filter with another sort or page.
    fn query(&self, sort: &str, page: usize) -> String {
        let mut f = self.clone();
        f.sort = sort.to_string();
        f.page = Some(page);
        serde_urlencoded(&f)
    }
}

fn serde_urlencoded(f: &Filter) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let mut parts = Vec::new();
    for (k, v) in [
        ("tier", &f.tier),
        ("status", &f.status),
        ("street", &f.street),
        ("category", &f.category),
        ("lead", &f.lead),
        ("q", &f.q),
        ("as_of", &f.as_of),
        ("sort", &f.sort),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", enc(v)));
        }
    }
    if let Some(p) = f.page.filter(|p| *p > 1) {
        parts.push(format!("page={p}"));
    }
    parts.join("&")
}

fn bad(key: &str, value: &str) -> WebError {
    WebError::BadRequest(format!("筛选条件 {key}=“{value}”无效"))
}

/// Sorts by a column name; `-` in front sorts descending. Default: tier (red first),
/// then count.
fn sort(rows: &mut [&CaseRow], key: &str) -> Result<(), WebError> {
    let (desc, field) = match key.strip_prefix('-') {
        Some(f) => (true, f),
        None => (false, key),
    };
    let tier_rank = |t: Tier| match t {
        Tier::Red => 0,
        Tier::Yellow => 1,
        Tier::Green => 2,
    };
    match field {
        "" | "tier" => rows.sort_by(|a, b| {
            tier_rank(a.case.tier)
                .cmp(&tier_rank(b.case.tier))
                .then(b.case.count.cmp(&a.case.count))
                .then(a.case.case_id.cmp(&b.case.case_id))
        }),
        "count" => rows.sort_by_key(|r| r.case.count),
        "last" => rows.sort_by_key(|r| r.case.last_received_at),
        "registered" => rows.sort_by_key(|r| r.case.registered_at),
        "street" => rows.sort_by(|a, b| a.street.cmp(&b.street)),
        "category" => rows.sort_by(|a, b| a.case.category.cmp(&b.case.category)),
        "id" => rows.sort_by(|a, b| a.case.case_id.cmp(&b.case.case_id)),
        // Open first (处置中, then 跟进中, then 已取消), the most serious first within.
        "status" => rows.sort_by(|a, b| {
            a.case
                .status
                .cmp(&b.case.status)
                .then(tier_rank(a.case.tier).cmp(&tier_rank(b.case.tier)))
                .then(b.case.count.cmp(&a.case.count))
        }),
        other => return Err(bad("sort", other)),
    }
    if desc {
        rows.reverse();
    }
    Ok(())
}

/// A case as a row of the list (nothing personal: cases carry no names or phones).
#[derive(Serialize)]
pub struct Row {
    pub id: String,
    pub tier: &'static str,
    pub tier_label: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub lead: String,
    pub category: String,
    pub address: String,
    pub street: String,
    pub unit: String,
    pub count: i64,
    pub first: String,
    pub last: String,
    pub registered: String,
    pub mode: &'static str,
    pub recurring: bool,
}

impl Row {
    pub fn of(r: &CaseRow) -> Row {
        let c = &r.case;
        Row {
            id: c.case_id.clone(),
            tier: c.tier.as_str(),
            tier_label: c.tier.label(),
            status: c.status.as_str(),
            status_label: c.status.label(),
            lead: r.lead.clone(),
            category: c.category.clone(),
            // Masked like every output: a caller may write a phone into the address.
            address: crate::mask::field("address", &c.address, ""),
            street: r.street.clone(),
            unit: r.unit.clone(),
            count: c.count,
            first: minute(c.first_received_at),
            last: minute(c.last_received_at),
            registered: minute(c.registered_at),
            mode: c.handling_mode.label(),
            recurring: c.recurring,
        }
    }
}

/// The cases the filter keeps, sorted, and the choices for the filter's menus.
async fn filtered(
    state: &State,
    filter: &Filter,
) -> Result<(Vec<Row>, Vec<String>, Vec<String>, String), WebError> {
    let day = super::day_or_today(&state.config, Some(&filter.as_of))?;
    let me = state.clone();
    let words = filter.q.trim().to_string();
    let (all, found) = state
        .run(move |c| {
            let store = crate::store::Store::open(c)?;
            let all: Arc<Vec<CaseRow>> = me.cache.cases(&store, c, day)?;
            let before = crate::analysis::AsOf::end_of_day(day).0;
            let found = if words.is_empty() {
                None
            } else {
                Some(crate::casebook::search_episodes(&store, &words, before)?)
            };
            Ok((all, found))
        })
        .await?;
    let mut kept = Vec::new();
    for r in all.iter() {
        if filter.keep(r, found.as_ref())? {
            kept.push(r);
        }
    }
    sort(&mut kept, &filter.sort)?;
    let mut streets: Vec<String> = all.iter().map(|r| r.street.clone()).collect();
    streets.sort();
    streets.dedup();
    streets.retain(|s| !s.is_empty());
    let mut categories: Vec<String> = all.iter().map(|r| r.case.category.clone()).collect();
    categories.sort();
    categories.dedup();
    Ok((
        kept.into_iter().map(Row::of).collect(),
        streets,
        categories,
        day.to_string(),
    ))
}

pub async fn get(
    Ext(state): Ext<State>,
    user: User,
    Query(filter): Query<Filter>,
) -> Result<Html<String>, WebError> {
    let (rows, streets, categories, day) = filtered(&state, &filter).await?;
    let total = rows.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = filter.page.unwrap_or(1).clamp(1, pages);
    let shown: Vec<Row> = rows
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    let sorts: Vec<(String, String)> = ["tier", "count", "last", "registered", "street", "id"]
        .iter()
        .map(|s| {
            // Counts and times sort largest and newest first on the first click.
            let first = if matches!(*s, "count" | "last" | "registered") {
                format!("-{s}")
            } else {
                s.to_string()
            };
            let next = if filter.sort == first {
                match first.strip_prefix('-') {
                    Some(up) => up.to_string(),
                    None => format!("-{s}"),
                }
            } else {
                first
            };
            (s.to_string(), filter.query(&next, 1))
        })
        .collect();
    let download = filter.query(&filter.sort, 1);
    state.templates.page(
        "cases.html",
        Some(&user),
        "cases",
        minijinja::context! {
            rows => shown,
            total => total,
            page => page,
            pages => pages,
            prev => (page > 1).then(|| filter.query(&filter.sort, page - 1)),
            next => (page < pages).then(|| filter.query(&filter.sort, page + 1)),
            // Every page near this one and the first and last, by number (0: a gap).
            numbered => (1..=pages)
                .filter(|p| *p == 1 || *p == pages || p.abs_diff(page) <= 3)
                .fold(Vec::<(usize, String)>::new(), |mut out, p| {
                    if out.last().is_some_and(|(q, _)| p > q + 1) {
                        out.push((0, String::new()));
                    }
                    out.push((p, filter.query(&filter.sort, p)));
                    out
                }),
            sorts => sorts.into_iter().collect::<std::collections::BTreeMap<_, _>>(),
            download => download,
            filter => filter,
            day_label => chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map(crate::period::zh_date)
                .unwrap_or_else(|_| day.clone()),
            day => day,
            streets => streets,
            categories => categories,
            leads => state.config.leads.names(),
            sort_options => [
                ("", "等级（红色在前）"),
                ("status", "状态（处置中在前）"),
                ("-count", "工单数（多的在前）"),
                ("-last", "最近受理（新的在前）"),
                ("-registered", "登记预警（新的在前）"),
                ("street", "街道"),
                ("id", "案件编号"),
            ],
            tiers => [Tier::Red, Tier::Yellow, Tier::Green].map(|t| (t.as_str(), t.label())),
            statuses => [CaseStatus::InProgress, CaseStatus::Monitoring, CaseStatus::Cleared].map(|s| (s.as_str(), s.label())),
        },
    )
}

const HEADINGS: [&str; 13] = [
    "案件编号",
    "预警等级",
    "牵头",
    "状态",
    "诉求类型",
    "地址",
    "所属街道",
    "承办单位",
    "工单数",
    "首次受理",
    "最近受理",
    "登记预警",
    "处置方式",
];

fn cells(r: &Row) -> [String; 13] {
    [
        r.id.clone(),
        r.tier_label.into(),
        r.lead.clone(),
        r.status_label.into(),
        r.category.clone(),
        r.address.clone(),
        r.street.clone(),
        r.unit.clone(),
        r.count.to_string(),
        r.first.clone(),
        r.last.clone(),
        r.registered.clone(),
        r.mode.into(),
    ]
}

/// A CSV cell a spreadsheet would not run as a formula: one starting with = + - @ (or a
/// tab or carriage return) gets a leading apostrophe.
pub fn csv_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

pub fn attachment(name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub async fn csv(
    Ext(state): Ext<State>,
    _user: User,
    Query(filter): Query<Filter>,
) -> Result<Response, WebError> {
    let (rows, _, _, day) = filtered(&state, &filter).await?;
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let fail = |e: csv::Error| WebError::Internal(e.into());
    w.write_record(HEADINGS).map_err(fail)?;
    for r in &rows {
        w.write_record(cells(r).iter().map(|c| csv_safe(c)))
            .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| WebError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(attachment(
        &format!("cases-{day}.csv"),
        "text/csv; charset=utf-8",
        bytes,
    ))
}

pub async fn xlsx(
    Ext(state): Ext<State>,
    _user: User,
    Query(filter): Query<Filter>,
) -> Result<Response, WebError> {
    let (rows, _, _, day) = filtered(&state, &filter).await?;
    let bytes =
        tokio::task::spawn_blocking(move || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.set_name("预警案件")?;
            for (c, h) in HEADINGS.iter().enumerate() {
                sheet.write_string(0, c as u16, *h)?;
            }
            for (i, r) in rows.iter().enumerate() {
                for (c, v) in cells(r).iter().enumerate() {
                    // Every cell as text: an id or a time never turns into a number or formula.
                    sheet.write_string(i as u32 + 1, c as u16, v)?;
                }
            }
            book.save_to_buffer()
        })
        .await
        .map_err(|e| WebError::Internal(anyhow::anyhow!("{e}")))?
        .map_err(|e| WebError::Internal(anyhow::anyhow!("cannot make the workbook: {e}")))?;
    Ok(attachment(
        &format!("cases-{day}.xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}
