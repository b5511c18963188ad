//! What a warning says: the subject line, the mail bodies (report-templates/notify.html
//! and notify.txt) and the chat message (notify.md), from the notices. Personal data is
//! masked as in every report.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use minijinja::value::Value as JValue;

use super::{EventKind, Notice, NotifyError};
use crate::config::{Config, WebhookFormat};
use crate::deliver::compose::{AttachmentFile, Content};
use crate::deliver::webhook;
use crate::mask;
use crate::period::zh_datetime;
use crate::report::build::tier_colors;

/// Complaints listed in a message per case (the latest; the case sheet has them all).
const ORDERS_LISTED: usize = 30;
/// Characters of a complaint's content shown in a message.
const CONTENT_CHARS: usize = 40;

/// `【红色预警】噪声扰民 · 星沙街道开元东路18号 · 20件 · 大队长张某某牵头`.
pub fn headline(n: &Notice) -> String {
    let tier = n.case.tier.label();
    let tag = if n.below_green {
        "【专门办·安全隐患】".to_string()
    } else if n.events.iter().any(|e| e.kind == EventKind::Special) {
        format!("【专门办·{tier}】")
    } else if n.events.iter().any(|e| e.kind == EventKind::Recurring) {
        format!("【复发·{tier}】")
    } else {
        format!("【{tier}】")
    };
    format!(
        "{tag}{} · {} · {}件 · {}牵头",
        n.case.category,
        mask::field("address", &n.case.address, ""),
        n.case.count,
        n.lead.replace(' ', "")
    )
}

/// The subject of a message about `notices` (most serious first).
pub fn subject(notices: &[&Notice]) -> String {
    match notices {
        [] => "【预警通知】".into(),
        [one] => headline(one),
        [first, rest @ ..] => format!("{} 等{}起", headline(first), rest.len() + 1),
    }
}

fn shortened(text: &str, caller: &str) -> String {
    let text = mask::field("content", text.trim(), caller);
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > CONTENT_CHARS {
        format!("{}…", text.chars().take(CONTENT_CHARS).collect::<String>())
    } else {
        text
    }
}

/// One case as the templates see it.
fn case_value(
    n: &Notice,
    role: &str,
    sheet: Option<&AttachmentFile>,
    link: Option<String>,
) -> JValue {
    // A hazard below green is shown in the most urgent colour.
    let (fill, _) = tier_colors(if n.below_green {
        crate::codes::Tier::Red
    } else {
        n.case.tier
    });
    let mut variants: Vec<String> = Vec::new();
    for o in &n.orders {
        let shown = mask::field("address", o.address.trim(), &o.caller_name);
        if !shown.is_empty() && !variants.contains(&shown) {
            variants.push(shown);
        }
    }
    let skip = n.orders.len().saturating_sub(ORDERS_LISTED);
    let orders: Vec<serde_json::Value> = n.orders[skip..]
        .iter()
        .map(|o| {
            serde_json::json!({
                "order_id": o.order_id,
                "received_at": zh_datetime(o.received_at),
                "channel": o.channel,
                "caller_phone": mask::field("caller_phone", &o.caller_phone, ""),
                "content": shortened(&o.content, &o.caller_name),
            })
        })
        .collect();
    let events: Vec<String> = n
        .events
        .iter()
        .map(|e| match e.kind {
            EventKind::Special if n.below_green => {
                format!("投诉涉及安全隐患，未达预警（{}件）即报专门办", n.case.count)
            }
            EventKind::Special => "转为专门办（安全隐患）".to_string(),
            EventKind::Escalated => format!("升级为{}", e.tier.label()),
            EventKind::Recurring => format!("复发，登记为{}", e.tier.label()),
            EventKind::Registered => format!("登记为{}", e.tier.label()),
            EventKind::Standing => format!("现为{}（此前已通知，再次发送）", e.tier.label()),
        })
        .collect();
    JValue::from_serialize(serde_json::json!({
        "headline": headline(n),
        "case_id": n.case.case_id,
        "category": n.case.category,
        "address": mask::field("address", &n.case.address, ""),
        "count": n.case.count,
        "tier_label": if n.below_green { "安全隐患" } else { n.case.tier.label() },
        "tier_color": format!("#{:02X}{:02X}{:02X}", fill.0, fill.1, fill.2),
        "lead": n.lead,
        "role": role,
        "street": n.street,
        "unit": n.unit,
        "events": events,
        "mode_label": n.case.handling_mode.label(),
        "status_label": n.case.status.label(),
        "recurring": n.case.recurring,
        "first_received_at": zh_datetime(n.case.first_received_at),
        "last_received_at": zh_datetime(n.case.last_received_at),
        "variants": variants,
        "orders": orders,
        "orders_omitted": skip,
        "sheet": sheet.map(|s| s.name.clone()).unwrap_or_default(),
        "link": link.unwrap_or_default(),
    }))
}

fn render(config: &Config, names: &[&str], ctx: &JValue) -> Result<Vec<String>, NotifyError> {
    let env = crate::report::template::message_env(&config.templates_dir(), names)
        .map_err(|e| NotifyError::Compose(e.to_string()))?;
    names
        .iter()
        .map(|name| {
            env.get_template(name)
                .and_then(|t| t.render(ctx))
                .map_err(|e| NotifyError::Compose(format!("the template {name}: {e}")))
        })
        .collect()
}

fn context(
    config: &Config,
    cases: Vec<JValue>,
    now: NaiveDateTime,
    held_until: Option<NaiveDateTime>,
) -> JValue {
    minijinja::context! {
        squad => config.squad.name.clone(),
        now => zh_datetime(now),
        held_until => held_until.map(zh_datetime).unwrap_or_default(),
        cases => cases,
    }
}

/// The message one recipient gets about `items` (each notice with the role the recipient
/// is told in), with the case sheets attached.
pub fn mail(
    config: &Config,
    items: &[(&Notice, String)],
    sheets: &BTreeMap<String, AttachmentFile>,
    now: NaiveDateTime,
    held_until: Option<NaiveDateTime>,
) -> Result<Content, NotifyError> {
    let cases: Vec<JValue> = items
        .iter()
        .map(|(n, role)| {
            let link = config.web.case_link(&n.case.case_id);
            case_value(n, role, sheets.get(&n.case.case_id), link)
        })
        .collect();
    let ctx = context(config, cases, now, held_until);
    let mut bodies = render(config, &["notify.html", "notify.txt"], &ctx)?;
    let text = bodies.pop().expect("two templates");
    let html = bodies.pop().expect("two templates");
    let notices: Vec<&Notice> = items.iter().map(|(n, _)| *n).collect();
    Ok(Content {
        subject: subject(&notices),
        html,
        text,
        attachments: items
            .iter()
            .filter_map(|(n, _)| sheets.get(&n.case.case_id).cloned())
            .collect(),
    })
}

/// The chat messages about `notices`, each its title and body in the webhook's format:
/// one, or as many as the platform's size limit calls for, each complete (its own heading
/// and whole cases), numbered (1/3) in its title. A single case longer than the limit is
/// cut at a line end, with … to say so.
pub fn webhook(
    config: &Config,
    format: WebhookFormat,
    notices: &[&Notice],
    now: NaiveDateTime,
    held_until: Option<NaiveDateTime>,
) -> Result<Vec<(String, Vec<u8>)>, NotifyError> {
    let markdown_of = |part: &[&Notice]| -> Result<String, NotifyError> {
        let cases: Vec<JValue> = part
            .iter()
            .map(|n| case_value(n, "", None, config.web.case_link(&n.case.case_id)))
            .collect();
        let ctx = context(config, cases, now, held_until);
        Ok(render(config, &["notify.md"], &ctx)?.remove(0))
    };
    let limit = format.max_markdown_bytes();
    // Whole cases, as many to a message as fit.
    let mut parts: Vec<(Vec<&Notice>, String)> = Vec::new();
    let mut current: Vec<&Notice> = Vec::new();
    let mut current_text = String::new();
    for n in notices {
        current.push(n);
        let text = markdown_of(&current)?;
        if limit.is_none_or(|max| text.len() <= max) || current.len() == 1 {
            current_text = text;
            continue;
        }
        current.pop();
        parts.push((
            std::mem::take(&mut current),
            std::mem::take(&mut current_text),
        ));
        current.push(n);
        current_text = markdown_of(&current)?;
    }
    if !current.is_empty() {
        parts.push((current, current_text));
    }
    let total = parts.len();
    Ok(parts
        .into_iter()
        .enumerate()
        .map(|(i, (part, markdown))| {
            let markdown = match limit {
                Some(max) if markdown.len() > max => webhook::cut(&markdown, max),
                _ => markdown,
            };
            let mut title = subject(&part);
            if total > 1 {
                title.push_str(&format!("（{}/{total}）", i + 1));
            }
            let events = events_json(&part);
            let body = webhook::body(format, &title, &markdown, events);
            (title, body)
        })
        .collect())
}

/// The cases of a chat message as JSON events (for the `json` format).
fn events_json(notices: &[&Notice]) -> serde_json::Value {
    serde_json::json!(notices
        .iter()
        .map(|n| serde_json::json!({
            "case_id": n.case.case_id,
            "category": n.case.category,
            "address": mask::field("address", &n.case.address, ""),
            "count": n.case.count,
            "tier": n.case.tier.as_str(),
            "handling_mode": n.case.handling_mode.as_str(),
            "lead": n.lead,
            "events": n.events.iter().map(|e| serde_json::json!({"kind": e.kind.as_str(), "tier": e.tier.as_str()})).collect::<Vec<_>>(),
        }))
        .collect::<Vec<_>>())
}
