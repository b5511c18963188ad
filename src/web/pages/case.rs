//! 案件详情: a case's orders on a timeline, the ways its place was written and why each
//! order is in it, its tier history, and its handling record (append-only). An admin may
//! show one case's names and phones in full, which is audit-logged.

use std::collections::BTreeMap;

use axum::extract::{Form, Path, Query, State as Ext};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::handling::NewEntry;
use crate::report::mask;
use crate::web::render::{minute, minute_opt};
use crate::web::{State, User, WebError};

#[derive(Deserialize, Default)]
pub struct AsOfQuery {
    #[serde(default)]
    as_of: String,
}

#[derive(Serialize)]
struct OrderView {
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

async fn page(
    state: &State,
    user: &User,
    id: String,
    day_text: &str,
    unmasked: bool,
) -> Result<Html<String>, WebError> {
    let day = super::day_or_today(&state.config, Some(day_text))?;
    let me = state.clone();
    let wanted = id.clone();
    let found = state
        .run(move |c| {
            let cases = me.cache.cases(c, day)?;
            let Some(row) = cases.iter().find(|r| r.case.case_id == wanted).cloned() else {
                return Ok(None);
            };
            let shown = crate::jobs::show_subject(c, &row.case.subject_key)?;
            let members: Vec<_> = shown
                .members
                .into_iter()
                .filter(|m| row.orders.contains(&m.order_id))
                .collect();
            let orders = crate::jobs::orders_by_id(c, &row.orders)?;
            let handling = crate::jobs::case_handling(c, &wanted)?;
            Ok(Some((row, members, orders, handling)))
        })
        .await?;
    let Some((row, members, orders, handling)) = found else {
        return Err(WebError::NotFound(format!("{day} 时点的预警案件 {id}")));
    };
    let why: BTreeMap<&str, String> = members
        .iter()
        .map(|m| (m.order_id.as_str(), m.why()))
        .collect();
    let masked = !unmasked;
    let orders: Vec<OrderView> = orders
        .iter()
        .map(|o| OrderView {
            id: o.order_id.clone(),
            received: minute(o.received_at),
            channel: o.channel.clone(),
            status: o.status.clone(),
            closed: minute_opt(o.closed_at),
            caller: if masked {
                mask::name(&o.caller_name)
            } else {
                o.caller_name.clone()
            },
            phone: if masked {
                mask::phone(&o.caller_phone)
            } else {
                o.caller_phone.clone()
            },
            content: if masked {
                mask::text(&o.content)
            } else {
                o.content.clone()
            },
            address: o.address.clone(),
            unit: o.handler_unit.clone(),
            why: why
                .get(o.order_id.as_str())
                .cloned()
                .unwrap_or_else(|| "关联工单(link)".into()),
        })
        .collect();
    let mut variants: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for m in &members {
        let v = variants
            .entry(m.address_norm.clone())
            .or_insert((0, m.why()));
        v.0 += 1;
    }
    let variants: Vec<Variant> = variants
        .into_iter()
        .map(|(address, (orders, why))| Variant {
            address,
            orders,
            why,
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
            }
        })
        .collect();
    state.templates.page(
        "case.html",
        Some(user),
        "cases",
        minijinja::context! {
            case => super::cases::Row::of(&row),
            day => day.to_string(),
            orders => orders,
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
    page(&state, &user, id, &q.as_of, false).await
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
    user.act(&form.csrf)?;
    let entry = NewEntry {
        measures: form.measures,
        responsible: form.responsible,
        result: form.result,
        return_visit: form.return_visit,
    };
    entry
        .check()
        .map_err(|e| WebError::BadRequest(format!("处置记录未保存:{e}")))?;
    let (who, case_id) = (user.name().to_string(), id.clone());
    state
        .run(move |c| {
            let entry_id = crate::jobs::add_handling(c, &case_id, &entry, &who)?;
            crate::jobs::audit(
                c,
                &who,
                "note",
                &case_id,
                &format!("处置记录 #{entry_id}: {}", entry.measures.trim()),
            )
        })
        .await?;
    let back = if form.as_of.is_empty() {
        format!("/cases/{}#handling", urlencode(&id))
    } else {
        format!(
            "/cases/{}?as_of={}#handling",
            urlencode(&id),
            urlencode(&form.as_of)
        )
    };
    Ok(Redirect::to(&back).into_response())
}

#[derive(Deserialize)]
pub struct UnmaskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    as_of: String,
}

/// The case page with names and phones in full, for this response only.
pub async fn unmask(
    Ext(state): Ext<State>,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<UnmaskForm>,
) -> Result<Html<String>, WebError> {
    user.act(&form.csrf)?;
    let (who, case_id) = (user.name().to_string(), id.clone());
    state
        .run(move |c| crate::jobs::audit(c, &who, "unmask", &case_id, "显示完整姓名和电话"))
        .await?;
    page(&state, &user, id, &form.as_of, true).await
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
