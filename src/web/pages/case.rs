//! 案件详情: a case's orders on a timeline, the ways its place was written and why each
//! order is in it, its tier history, and its handling record (append-only). An admin may
//! show one case's names and phones in full, which is audit-logged.

use crate::codes::AuditAction;
use axum::extract::{Form, Path, Query, State as Ext};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::handling::NewEntry;
use crate::jobs::StoredOrder;
use crate::mask;
use crate::subjects::decide::Member;
use crate::web::render::{minute, minute_opt};
use crate::web::{State, User, WebError};

#[derive(Deserialize, Default)]
pub struct AsOfQuery {
    #[serde(default)]
    as_of: String,
    /// The timeline's page (1: the latest `TIMELINE_SHOWN` orders).
    #[serde(default)]
    page: Option<usize>,
}

#[derive(Serialize)]
pub(crate) struct OrderView {
    id: String,
    received: String,
    channel: String,
    status: String,
    closed: String,
    caller: String,
    phone: String,
    content: String,
    address: String,
    unit: String,
    why: String,
}

#[derive(Serialize)]
struct Variant {
    address: String,
    orders: usize,
    why: String,
}

#[derive(Serialize)]
struct CallerView {
    /// The normalized phone, masked unless asked; 未留电话 for the orders without one.
    phone: String,
    complaints: i64,
    share: String,
    no_phone: bool,
}

/// A case's callers as the page lists them (the most frequent), masked unless asked.
fn caller_views(callers: &crate::callers::CaseCallerList, masked: bool) -> Vec<CallerView> {
    callers
        .top
        .iter()
        .map(|c| CallerView {
            phone: match &c.phone {
                Some(p) if masked => mask::phone(p),
                Some(p) => p.clone(),
                None => "未留电话".into(),
            },
            complaints: c.complaints,
            share: if callers.complaints > 0 {
                crate::callers::percent(c.complaints as f64 / callers.complaints as f64)
            } else {
                String::new()
            },
            no_phone: c.phone.is_none(),
        })
        .collect()
}

/// How many of a case's orders its page lists (the latest); the CSV has them all.
const TIMELINE_SHOWN: usize = 200;

/// A case as of `day` (kept by the console), or not found, with what its page shows of it:
/// the latest `shown` orders (all when None). One opening of the database serves both.
async fn case_with_detail(
    state: &State,
    id: &str,
    day: chrono::NaiveDate,
    shown: Option<(usize, usize)>,
) -> Result<(crate::web::cache::CaseRow, crate::jobs::CaseDetail), WebError> {
    let me = state.clone();
    let wanted = id.to_string();
    state
        .run(move |c| {
            let t0 = std::time::Instant::now();
            let store = crate::store::Store::open(c)?;
            let cases = me.cache.cases(&store, c, day)?;
            tracing::debug!(elapsed = ?t0.elapsed(), "case page: the kept cases");
            let Some(row) = cases.iter().find(|r| r.case.case_id == wanted).cloned() else {
                return Ok(None);
            };
            let as_of = crate::analysis::AsOf::end_of_day(day);
            let key = &row.case.subject_key;
            let detail =
                crate::jobs::case_detail(&store, c, &wanted, key, row.episode, as_of, shown)?;
            Ok(Some((row, detail)))
        })
        .await?
        .ok_or_else(|| WebError::NotFound(format!("{day} 时点的预警案件 {id}")))
}

/// A case's orders as the page and the CSV show them, masked unless asked (by the one
/// masking rule of every output, the caller's own name wherever the text repeats it).
pub(crate) fn order_views(orders: &[(StoredOrder, Member)], masked: bool) -> Vec<OrderView> {
    orders
        .iter()
        .map(|(o, m)| {
            let shown = |field: &str, text: &str| {
                if masked {
                    mask::field(field, text, &o.caller_name)
                } else {
                    text.to_string()
                }
            };
            OrderView {
                id: o.order_id.clone(),
                received: minute(o.received_at),
                channel: o.channel.clone(),
                status: o.status.clone(),
                closed: minute_opt(o.closed_at),
                caller: shown("caller_name", &o.caller_name),
                phone: shown("caller_phone", &o.caller_phone),
                content: shown("content", &o.content),
                address: shown("address", &o.address),
                unit: o.handler_unit.clone(),
                why: crate::web::words::why(m, |place| shown("address", place)),
            }
        })
        .collect()
}

async fn page(
    state: &State,
    user: &User,
    id: String,
    day_text: &str,
    unmasked: bool,
    timeline_page: usize,
) -> Result<Html<String>, WebError> {
    let day = super::day_or_today(&state.config, Some(day_text))?;
    let timeline_page = timeline_page.max(1);
    let skip = (timeline_page - 1) * TIMELINE_SHOWN;
    let (row, detail) = case_with_detail(state, &id, day, Some((skip, TIMELINE_SHOWN))).await?;
    let pages = (row.case.count as usize).div_ceil(TIMELINE_SHOWN).max(1);
    if timeline_page > pages {
        return Err(WebError::NotFound(format!(
            "案件 {id} 的工单时间线第 {timeline_page} 页（共 {pages} 页）"
        )));
    }
    // The newest complaint first: what happened lately is what the page is opened for.
    let mut orders = order_views(&detail.orders, !unmasked);
    orders.reverse();
    let (callers, callers_label, caller_count, caller_rows) = match &detail.callers {
        Some(list) => (
            Some(caller_views(list, !unmasked)),
            list.figures.label(),
            list.figures.callers,
            list.rows,
        ),
        None => (None, String::new(), 0, 0),
    };
    let handling = detail.handling;
    let variants = detail.variants;
    let variants: Vec<Variant> = variants
        .into_iter()
        .map(|(m, orders)| Variant {
            why: crate::web::words::grounds(&m.grounds()),
            address: if unmasked {
                m.address_norm
            } else {
                mask::field("address", &m.address_norm, "")
            },
            orders,
        })
        .collect();
    let c = &row.case;
    let mut history = vec![("绿色预警", minute(c.registered_at))];
    if let Some(t) = c.yellow_at {
        history.push(("黄色预警", minute(t)));
    }
    if let Some(t) = c.red_at {
        history.push(("红色预警", minute(t)));
    }
    if let Some(t) = c.cleared_at {
        history.push(("预警取消", minute(t)));
    }
    let entries: Vec<_> = handling
        .iter()
        .map(|e| {
            minijinja::context! {
                measures => e.measures, responsible => e.responsible, result => e.result,
                return_visit => e.return_visit, author => e.author, at => minute(e.written_at),
                written_for => (e.case_id != c.case_id).then_some(&e.case_id), shared => e.shared,
            }
        })
        .collect();
    state.templates.page(
        "case.html",
        Some(user),
        "cases",
        minijinja::context! {
            case => super::cases::Row::of(&row),
            may_write => may_write(user, &row),
            day => day.to_string(),
            day_label => crate::period::zh_date(day),
            orders => orders,
            total => row.case.count,
            timeline_page => timeline_page,
            timeline_pages => pages,
            timeline_from => skip + 1,
            callers => callers,
            callers_label => callers_label,
            caller_count => caller_count,
            caller_rows => caller_rows,
            variants => variants,
            history => history,
            entries => entries,
            unmasked => unmasked,
            green => state.config.rules.green,
            yellow => state.config.rules.yellow,
            red => state.config.rules.red,
        },
    )
}

pub async fn get(
    Ext(state): Ext<State>,
    user: User,
    Path(id): Path<String>,
    Query(q): Query<AsOfQuery>,
) -> Result<Html<String>, WebError> {
    // Shown in full once, right after an admin asked for it (and it was audited).
    let unmasked = user.0.unmasked.as_deref() == Some(id.as_str());
    page(&state, &user, id, &q.as_of, unmasked, q.page.unwrap_or(1)).await
}

#[derive(Deserialize)]
pub struct HandlingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    responsible: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    return_visit: String,
    #[serde(default)]
    as_of: String,
}

pub async fn add_handling(
    Ext(state): Ext<State>,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<HandlingForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    // An admin writes on any case, a lead on the cases he leads now.
    if user.0.role != crate::config::Role::Admin {
        let day = super::day_or_today(&state.config, Some(&form.as_of))?;
        let (me, case_id) = (state.clone(), id.clone());
        let row = state
            .run(move |c| {
                let rows = me.cache.cases(&crate::store::Store::open(c)?, c, day)?;
                Ok(rows.iter().find(|r| r.case.case_id == case_id).cloned())
            })
            .await?;
        if !row.is_some_and(|r| may_write(&user, &r)) {
            return Err(WebError::AdminOnly);
        }
    }
    let entry = NewEntry {
        measures: form.measures,
        responsible: form.responsible,
        result: form.result,
        return_visit: form.return_visit,
    };
    entry
        .check()
        .map_err(|e| WebError::BadRequest(format!("处置记录未保存:{e}")))?;
    // Signed by the lead's name for a lead, by the login for an admin.
    let (who, case_id) = (user.signature().to_string(), id.clone());
    state
        .run(move |c| {
            let entry_id = crate::jobs::add_handling(c, &case_id, &entry, &who)?;
            crate::jobs::audit(
                c,
                &who,
                AuditAction::Note,
                &case_id,
                &format!("处置记录 #{entry_id}: {}", entry.measures.trim()),
            )
        })
        .await?;
    Ok(Redirect::to(&format!("{}#handling", case_page(&id, &form.as_of))).into_response())
}

/// The address of a case's page as of a day (today when `as_of` is empty).
fn case_page(id: &str, as_of: &str) -> String {
    let mut to = format!("/cases/{}", urlencode(id));
    if !as_of.is_empty() {
        to.push_str(&format!("?as_of={}", urlencode(as_of)));
    }
    to
}

#[derive(Deserialize)]
pub struct UnmaskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    as_of: String,
}

/// Whether `user` may write the handling record of the case: an admin any case, a lead
/// the cases he leads.
fn may_write(user: &User, row: &crate::web::cache::CaseRow) -> bool {
    match user.0.role {
        crate::config::Role::Admin => true,
        crate::config::Role::Lead => {
            user.lead().is_some() && row.lead_name.as_deref() == user.lead()
        }
        crate::config::Role::Viewer => false,
    }
}

/// Lets the next view of the case page show names and phones in full, once.
pub async fn unmask(
    Ext(state): Ext<State>,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<UnmaskForm>,
) -> Result<Response, WebError> {
    user.act(&form.csrf)?;
    let (who, case_id) = (user.name().to_string(), id.clone());
    state
        .run(move |c| {
            crate::jobs::audit(c, &who, AuditAction::Unmask, &case_id, "显示完整姓名和电话")
        })
        .await?;
    state.sessions.unmask(&user.0.id, &id);
    Ok(Redirect::to(&case_page(&id, &form.as_of)).into_response())
}

/// Percent-encodes a path segment or query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// All of a case's orders as CSV, masked, for a case too long to list on its page.
pub async fn orders_csv(
    Ext(state): Ext<State>,
    _user: User,
    Path(id): Path<String>,
    Query(q): Query<AsOfQuery>,
) -> Result<Response, WebError> {
    let day = super::day_or_today(&state.config, Some(&q.as_of))?;
    let (_, detail) = case_with_detail(&state, &id, day, None).await?;
    let name = format!("case-{id}-{day}.csv");
    let orders = order_views(&detail.orders, true);
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let fail = |e: csv::Error| WebError::Internal(e.into());
    w.write_record([
        "工单编号",
        "受理时间",
        "来源渠道",
        "办理状态",
        "办结时间",
        "来电人",
        "联系电话",
        "地址",
        "承办单位",
        "来电内容",
        "归入原因",
    ])
    .map_err(fail)?;
    for o in &orders {
        w.write_record(
            [
                &o.id,
                &o.received,
                &o.channel,
                &o.status,
                &o.closed,
                &o.caller,
                &o.phone,
                &o.address,
                &o.unit,
                &o.content,
                &o.why,
            ]
            .map(|c| super::cases::csv_safe(c)),
        )
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| WebError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(super::cases::attachment(
        &name,
        "text/csv; charset=utf-8",
        bytes,
    ))
}
