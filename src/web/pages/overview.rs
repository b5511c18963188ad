//! 概览: this week's headline figures, the active cases by tier, the 12-month trend (the
//! monthly review's dataset, drawn as SVG), how fresh the data is, and current alerts.

use axum::extract::State as Ext;
use axum::response::Html;
use serde::Serialize;

use crate::codes::{CaseStatus, Tier};
use crate::report::data::{Dataset, Value};
use crate::web::{State, User, WebError};

#[derive(Serialize)]
struct TierCount {
    code: &'static str,
    label: &'static str,
    lead: String,
    count: usize,
}

pub async fn get(Ext(state): Ext<State>, user: User) -> Result<Html<String>, WebError> {
    let me = state.clone();
    let (cases, figures, fresh, alerts, day) = state
        .run(move |c| {
            let day = super::today(c);
            let (cases, figures) = me.cache.overview(c, day)?;
            Ok((
                cases,
                figures,
                crate::jobs::freshness(c)?,
                crate::jobs::current_alerts(c)?,
                day,
            ))
        })
        .await?;
    let active: Vec<_> = cases
        .iter()
        .filter(|r| r.case.status != CaseStatus::Cleared)
        .collect();
    let tiers: Vec<TierCount> = [Tier::Red, Tier::Yellow, Tier::Green]
        .into_iter()
        .map(|t| {
            // The role, with the names of the leads of the tier's open cases (or, with
            // none open, the named captain of red).
            let mut names: Vec<String> = Vec::new();
            for r in active.iter().filter(|r| r.case.tier == t) {
                if let Some(n) = &r.lead_name {
                    if !names.contains(n) {
                        names.push(n.clone());
                    }
                }
            }
            if names.is_empty() && t == Tier::Red {
                names.extend(
                    state
                        .config
                        .leads
                        .captain
                        .iter()
                        .map(|c| c.name.trim().to_string()),
                );
            }
            let role = t.lead_role().label();
            TierCount {
                code: t.as_str(),
                label: t.label(),
                lead: if names.is_empty() {
                    role.to_string()
                } else {
                    format!("{role} {}", names.join("、"))
                },
                count: active.iter().filter(|r| r.case.tier == t).count(),
            }
        })
        .collect();
    let empty = Dataset::default();
    let headline = figures.get("headline").unwrap_or(&empty);
    let figure = |name: &str| {
        headline
            .rows
            .first()
            .map(|row| headline.get(row, name).as_i64())
            .unwrap_or(0)
    };
    let trend = figures.get("monthly_trend").unwrap_or(&empty);
    let svg = trend_svg(trend);
    // Old data, as the banner of every page says it (`Console::stale_notice`).
    let stale = user.0.stale.is_some();
    state.templates.page(
        "overview.html",
        Some(&user),
        "overview",
        minijinja::context! {
            day => day.to_string(),
            week => crate::period::Period::week_of(day).label(),
            received => figure("received"),
            received_prev => figure("received_prev"),
            closed => figure("closed"),
            backlog => figure("backlog"),
            tiers => tiers,
            active => active.len(),
            trend_svg => minijinja::Value::from_safe_string(svg),
            newest_order => super::super::render::minute_opt(fresh.newest_order),
            last_load => super::super::render::minute_opt(fresh.last_load),
            last_file => fresh.last_file,
            orders => fresh.orders,
            files => fresh.files,
            stale => stale,
            alerts => alerts,
        },
    )
}

/// The 12-month trend as an SVG: orders received (bars) and warning cases registered
/// (line), each on its own scale, the figures written on them.
pub fn trend_svg(set: &Dataset) -> String {
    let esc = crate::deliver::alerts::html_escape;
    let rows: Vec<(String, i64, i64)> = set
        .rows
        .iter()
        .map(|r| {
            (
                set.get(r, "month").as_text().to_string(),
                set.get(r, "received").as_i64(),
                set.get(r, "new_cases").as_i64(),
            )
        })
        .collect();
    let (w, h, top, bottom, left) = (720.0, 260.0, 28.0, 40.0, 10.0);
    let n = rows.len().max(1) as f64;
    let step = (w - 2.0 * left) / n;
    let max_r = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let max_c = rows.iter().map(|r| r.2).max().unwrap_or(0).max(1) as f64;
    let plot = h - top - bottom;
    let mut out = format!(
        "<svg class=\"trend\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"近12个月受理工单与新增预警趋势\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let mut points = Vec::new();
    for (i, (month, received, cases)) in rows.iter().enumerate() {
        let x = left + step * i as f64;
        let bh = plot * (*received as f64) / max_r;
        out.push_str(&format!(
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{} 受理 {}</title></rect>",
            x + step * 0.15,
            top + plot - bh,
            step * 0.7,
            bh,
            esc(month),
            received
        ));
        out.push_str(&format!(
            "<text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + step / 2.0,
            top + plot - bh - 4.0,
            received
        ));
        out.push_str(&format!(
            "<text class=\"month\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + step / 2.0,
            h - bottom + 16.0,
            esc(month)
        ));
        let cy = top + plot - plot * (*cases as f64) / max_c;
        points.push(format!("{:.1},{:.1}", x + step / 2.0, cy));
        out.push_str(&format!(
            "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"3.5\"><title>{} 新增预警 {}</title></circle>",
            x + step / 2.0,
            esc(month),
            cases
        ));
    }
    if !points.is_empty() {
        out.push_str(&format!(
            "<polyline class=\"line\" points=\"{}\"/>",
            points.join(" ")
        ));
    }
    out.push_str(&format!(
        "<rect class=\"bar\" x=\"{left}\" y=\"{:.1}\" width=\"12\" height=\"10\"/><text class=\"legend\" x=\"{:.1}\" y=\"{:.1}\">受理工单</text>",
        h - 14.0,
        left + 16.0,
        h - 5.0
    ));
    out.push_str(&format!(
        "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"/><text class=\"legend\" x=\"{:.1}\" y=\"{:.1}\">新增预警案件</text>",
        left + 110.0,
        h - 9.0,
        left + 118.0,
        h - 5.0
    ));
    out.push_str("</svg>");
    let _ = Value::Null;
    out
}
