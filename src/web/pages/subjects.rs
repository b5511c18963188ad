//! 诉求对象审核: the pairs of places the matcher was unsure about, with 合并 (one subject)
//! and 分开 (keep apart) and what each does to the count; the decisions made, with undo.

use crate::codes::AuditAction;
use axum::extract::{Form, Query, State as Ext};
use axum::response::{Html, Response};
use serde::{Deserialize, Serialize};

use crate::web::auth::Flash;
use crate::web::render::minute;
use crate::web::{State, User, WebError};

#[derive(Serialize)]
struct SuggestionView {
    category: String,
    a: String,
    b: String,
    key_a: String,
    key_b: String,
    score: String,
    on: String,
    orders_a: i64,
    orders_b: i64,
    merged: i64,
    merged_tier: String,
}

pub async fn get(Ext(state): Ext<State>, user: User) -> Result<Html<String>, WebError> {
    let (suggestions, decisions) = state
        .run(|c| {
            Ok((
                crate::jobs::subject_suggestions(c)?,
                crate::jobs::subject_decisions(c)?,
            ))
        })
        .await?;
    let tier_of = |n: i64| -> String {
        state
            .config
            .rules
            .tier_of(n)
            .map(|t| t.label().to_string())
            .unwrap_or_else(|| "未达预警".into())
    };
    let suggestions: Vec<SuggestionView> = suggestions
        .into_iter()
        .map(|s| {
            let key = |a: &str| format!("{}|{a}", s.category);
            SuggestionView {
                key_a: key(&s.a),
                key_b: key(&s.b),
                score: crate::callers::percent(s.score),
                merged: s.orders_a + s.orders_b,
                merged_tier: tier_of(s.orders_a + s.orders_b),
                category: s.category,
                a: s.a,
                b: s.b,
                // What the score rests on, in the words of the page.
                on: crate::subjects::compare::MatchOn::from_stored(&s.on)
                    .map(|on| on.label().to_string())
                    .unwrap_or(s.on),
                orders_a: s.orders_a,
                orders_b: s.orders_b,
            }
        })
        .collect();
    let decisions: Vec<_> = decisions
        .iter()
        .map(|d| {
            minijinja::context! {
                id => d.id,
                action => if d.action == "merge" { "合并" } else { "分开" },
                category => d.category,
                a => d.address_a,
                b => d.address_b,
                made => minute(d.made_at),
                undone => d.undone_at.map(minute),
            }
        })
        .collect();
    state.templates.page(
        "subjects.html",
        Some(&user),
        "subjects",
        minijinja::context! { suggestions => suggestions, decisions => decisions },
    )
}

#[derive(Deserialize)]
pub struct PairQuery {
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
}

/// One pair before it is joined: both sides' latest orders, where each stands today and
/// what joining them makes (worked out by the merge itself, then rolled back), with
/// 确认合并 and 分开.
pub async fn pair(
    Ext(state): Ext<State>,
    user: User,
    Query(q): Query<PairQuery>,
) -> Result<Html<String>, WebError> {
    let day = super::today(&state.config);
    let (a, b) = (q.a.clone(), q.b.clone());
    let p = state
        .run(move |c| crate::jobs::merge_preview(c, &a, &b, day))
        .await?;
    let words = crate::web::words::subject_today;
    let side =
        |r: &crate::subjects::decide::SubjectRef,
         count: usize,
         now: &crate::jobs::SubjectToday,
         orders: &[(crate::jobs::StoredOrder, crate::subjects::decide::Member)]| {
            minijinja::context! {
                key => r.key(),
                address => r.address,
                count => count,
                now => words(now),
                orders => super::case::order_views(orders, true),
            }
        };
    state.templates.page(
        "subject-pair.html",
        Some(&user),
        "subjects",
        minijinja::context! {
            category => p.a.category,
            day => crate::period::zh_date(day),
            a => side(&p.a, p.count_a, &p.now_a, &p.orders_a),
            b => side(&p.b, p.count_b, &p.now_b, &p.orders_b),
            joined_orders => p.joined_orders,
            joined => words(&p.joined),
            joined_lead => p.joined.case.as_ref().map(|case| case.lead_role().label()),
            raises => tier(&p.joined) > tier(&p.now_a).max(tier(&p.now_b)),
            shown => crate::jobs::PAIR_ORDERS_SHOWN,
        },
    )
}

/// A subject's tier today (None below green), to say when joining raises it.
fn tier(t: &crate::jobs::SubjectToday) -> Option<crate::codes::Tier> {
    t.case.as_ref().map(|c| c.tier)
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
    #[serde(default)]
    action: String,
}

pub async fn decide(
    Ext(state): Ext<State>,
    user: User,
    Form(form): Form<DecideForm>,
) -> Result<Response, WebError> {
    user.act(&form.csrf)?;
    let merge = match form.action.as_str() {
        "merge" => true,
        "separate" => false,
        other => return Err(WebError::BadRequest(format!("未知操作“{other}”"))),
    };
    let who = user.name().to_string();
    let (id, a, b) = state
        .run(move |c| {
            let (id, a, b) = crate::jobs::decide_subjects(c, merge, &form.a, &form.b)?;
            crate::jobs::audit(
                c,
                &who,
                if merge {
                    AuditAction::Merge
                } else {
                    AuditAction::Separate
                },
                &format!("{} / {}", a.key(), b.key()),
                &format!("决定 #{id}"),
            )?;
            Ok((id, a, b))
        })
        .await?;
    let flash = Flash {
        ok: true,
        title: if merge {
            format!("已合并（决定 #{id}）")
        } else {
            format!("已分开（决定 #{id}）")
        },
        lines: vec![
            format!("甲：{}", a.key().replace('|', " · ")),
            format!("乙：{}", b.key().replace('|', " · ")),
            if merge {
                "两处的工单从现在起按同一诉求对象计数。".to_string()
            } else {
                "两处从现在起分开计数，不再提示。".to_string()
            },
        ],
        undo: Some(id),
        ..Flash::default()
    };
    Ok(user.done(&state, flash, "/subjects"))
}

#[derive(Deserialize)]
pub struct UndoForm {
    #[serde(default)]
    csrf: String,
    id: i64,
}

pub async fn undo(
    Ext(state): Ext<State>,
    user: User,
    Form(form): Form<UndoForm>,
) -> Result<Response, WebError> {
    user.act(&form.csrf)?;
    let who = user.name().to_string();
    let id = form.id;
    state
        .run(move |c| {
            let d = crate::jobs::undo_subject_decision(c, form.id)?;
            crate::jobs::audit(
                c,
                &who,
                AuditAction::Undo,
                &format!("{}|{} / {}", d.category, d.address_a, d.address_b),
                &format!("撤销决定 #{}", d.id),
            )
        })
        .await?;
    let flash = Flash {
        ok: true,
        title: format!("已撤销决定 #{id}"),
        ..Flash::default()
    };
    Ok(user.done(&state, flash, "/subjects"))
}
