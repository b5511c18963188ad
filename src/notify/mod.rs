//! 预警通知: warnings the moment they happen. After an ingest the cases are worked out as
//! of now and compared with what was already told (the `notified` table): a case
//! registered, escalated, turned special (专门办) or recurring is told to the lead of its
//! tier for its street or unit, with a copy to the admin (and, for a special case, to
//! `leads.special`), through the outbox, with its case sheet (案件单) attached. Each
//! (case, event) is told once, ever.
//!
//! Warnings found in the quiet hours are queued and held until their end, except those
//! of a special case. Several cases found by one run reach each recipient as one message.
//! This module decides and composes; sending is the outbox's, the case sheet the report
//! engine's. It never queries what the reports show.

pub mod events;
mod message;

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use duckdb::params;
use lettre::message::Mailbox;

pub use events::{Event, EventKind, NoticeOrder, Told};

use crate::analysis::{Analysis, AsOf, WarningCase};
use crate::codes::{CaseStatus, HandlingMode};
use crate::config::Config;
use crate::deliver::compose::{compose, AttachmentFile};
use crate::deliver::outbox::{self, Key, Queued, WEBHOOK_KIND};
use crate::deliver::{webhook, Mailer};
use crate::mask;
use crate::queries;
use crate::report::{self, Window};
use crate::store::Store;

/// The outbox kind of warning mail.
pub const MAIL_KIND: &str = "notify";

/// A case with what it calls for now.
#[derive(Debug, Clone)]
pub struct Notice {
    pub case: WarningCase,
    pub orders: Vec<NoticeOrder>,
    pub events: Vec<Event>,
    /// The street and handling unit (承办单位) of its first order: who leads it.
    pub street: String,
    pub unit: String,
    /// "大队长 张某某", or the role alone.
    pub lead: String,
    /// Sent at once even in the quiet hours (a special case).
    pub urgent: bool,
    /// A place below green told for a complaint that names a safety hazard: no warning
    /// case yet (its `case` holds the episode as it stands, under the id its case would
    /// have), told to `leads.special` and the admin only.
    pub below_green: bool,
}

/// Who a message goes to and why.
#[derive(Debug, Clone)]
pub struct Addressee {
    pub mailbox: Mailbox,
    /// "组长 王某某", "管理员", "专门办联系人 …".
    pub role: String,
}

/// One message planned for one recipient (or the webhook).
#[derive(Debug, Clone)]
pub struct Planned {
    pub to: String,
    /// To the group chat's webhook (`to` names it), not a mailbox.
    pub webhook: bool,
    pub subject: String,
    pub cases: Vec<String>,
    /// Held until the end of the quiet hours.
    pub held_until: Option<NaiveDateTime>,
}

/// What a notify run did, for the person or the log.
#[derive(Debug, Default)]
pub struct Outcome {
    pub lines: Vec<String>,
    /// (case, event) pairs found and recorded.
    pub events: usize,
    pub planned: Vec<Planned>,
    pub queued: usize,
    pub sent: usize,
    pub unsent: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("the database failed while {step}: {source}")]
    Database {
        step: &'static str,
        source: duckdb::Error,
    },
    #[error("cannot work out the cases as of now: {0}")]
    Analysis(#[from] crate::analysis::AnalysisError),
    #[error("cannot make the case sheets of {cases}: {source}")]
    Sheet {
        cases: String,
        source: Box<report::ReportError>,
    },
    #[error("cannot compose the warning: {0}")]
    Compose(String),
    #[error(transparent)]
    Deliver(#[from] crate::deliver::DeliverError),
    #[error("{0} is not a warning case now (see `hotline-ledger cases`)")]
    NoSuchCase(String),
}

fn db(step: &'static str) -> impl Fn(duckdb::Error) -> NotifyError {
    move |source| NotifyError::Database { step, source }
}

/// The cases as of `now` with the events each calls for (all of them, with no events
/// filtered out, when `all`), most serious first.
pub fn notices(
    store: &Store,
    config: &Config,
    now: NaiveDateTime,
    all: bool,
) -> Result<Vec<Notice>, NotifyError> {
    let analysis = Analysis::new(store, config, AsOf(now))?;
    let cases = analysis.cases().map_err(db("reading the cases"))?;
    let mut orders: BTreeMap<String, Vec<NoticeOrder>> = BTreeMap::new();
    {
        let mut stmt = store
            .conn()
            .prepare(queries::NOTIFY_CASE_ORDERS)
            .map_err(db("reading the cases' orders"))?;
        let mut rows = stmt.query([]).map_err(db("reading the cases' orders"))?;
        while let Some(r) = rows.next().map_err(db("reading the cases' orders"))? {
            let read = || -> duckdb::Result<(String, NoticeOrder)> {
                Ok((r.get(0)?, notice_order(r, 1)?))
            };
            let (case_id, order) = read().map_err(db("reading the cases' orders"))?;
            orders.entry(case_id).or_default().push(order);
        }
    }
    let told = told(store)?;
    let mut out = Vec::new();
    // A cancelled warning (已取消) is told of nothing, even again by hand.
    for case in cases
        .into_iter()
        .filter(|c| c.status != CaseStatus::Cleared)
    {
        let case_orders = orders.remove(&case.case_id).unwrap_or_default();
        let events = events::events_of(&case, &case_orders, &told);
        if events.is_empty() && !all {
            continue;
        }
        let (street, unit) = case_orders
            .first()
            .map(|o| (o.street.clone(), o.handler_unit.clone()))
            .unwrap_or_default();
        let lead = config.leads.label(case.tier, &street, &unit);
        let urgent = case.handling_mode == HandlingMode::Special;
        out.push(Notice {
            case,
            orders: case_orders,
            events,
            street,
            unit,
            lead,
            urgent,
            below_green: false,
        });
    }
    out.extend(hazards(store, config, now, &told, all)?);
    out.sort_by(|a, b| {
        (b.urgent, b.case.tier, b.case.count)
            .cmp(&(a.urgent, a.case.tier, a.case.count))
            .then_with(|| a.case.case_id.cmp(&b.case.case_id))
    });
    Ok(out)
}

/// A complaint of a notice from the columns of a row starting at `at` (order id, received,
/// channel, phone, content, address, street, handling unit, caller's name).
fn notice_order(r: &duckdb::Row<'_>, at: usize) -> duckdb::Result<NoticeOrder> {
    Ok(NoticeOrder {
        order_id: r.get(at)?,
        received_at: r.get(at + 1)?,
        channel: r.get(at + 2)?,
        caller_phone: r.get(at + 3)?,
        content: r.get(at + 4)?,
        address: r.get(at + 5)?,
        street: r.get(at + 6)?,
        handler_unit: r.get(at + 7)?,
        caller_name: r.get(at + 8)?,
    })
}

/// The places below green whose live episode names a safety hazard and that were not told
/// of it (all of them, when `all`): a notice each, with a special event, under the id its
/// case will have, so that the place is told once per episode and its case later is not
/// told of the hazard again.
fn hazards(
    store: &Store,
    config: &Config,
    now: NaiveDateTime,
    told: &Told,
    all: bool,
) -> Result<Vec<Notice>, NotifyError> {
    let step = "reading the places that name a hazard";
    let mut stmt = store
        .conn()
        .prepare(queries::NOTIFY_HAZARD_ORDERS)
        .map_err(db(step))?;
    let mut rows = stmt
        .query(params![now, config.rules.green, config.rules.quiet_days])
        .map_err(db(step))?;
    // (case id, subject key, matter, all closed) and the orders, by case id.
    type Place = (String, String, String, bool);
    let mut places: Vec<(Place, Vec<NoticeOrder>)> = Vec::new();
    while let Some(r) = rows.next().map_err(db(step))? {
        let read = || -> duckdb::Result<(String, String, String, NoticeOrder, bool)> {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                notice_order(r, 3)?,
                r.get(12)?,
            ))
        };
        let (case_id, key, matter, order, closed) = read().map_err(db(step))?;
        match places.last_mut() {
            Some((place, orders)) if place.0 == case_id => {
                place.3 &= closed;
                orders.push(order);
            }
            _ => places.push(((case_id, key, matter, closed), vec![order])),
        }
    }
    let mut out = Vec::new();
    for ((case_id, subject_key, category, all_closed), orders) in places {
        let was_told = events::told_keys(&case_id, &orders, told).contains("special");
        if was_told && !all {
            continue;
        }
        let (Some(first), Some(last)) = (orders.first(), orders.last()) else {
            continue;
        };
        let case = WarningCase {
            case_id,
            subject_key,
            category,
            address: first.address.clone(),
            // Below green: a placeholder the messages do not show (see `below_green`).
            tier: crate::codes::Tier::Green,
            count: orders.len() as i64,
            first_received_at: first.received_at,
            last_received_at: last.received_at,
            registered_at: first.received_at,
            yellow_at: None,
            red_at: None,
            status: if all_closed {
                CaseStatus::Monitoring
            } else {
                CaseStatus::InProgress
            },
            cleared_at: None,
            handling_mode: HandlingMode::Special,
            recurring: false,
        };
        let events = if was_told {
            Vec::new()
        } else {
            vec![Event {
                kind: EventKind::Special,
                tier: case.tier,
            }]
        };
        let lead = special_role(config.leads.special.as_ref().map_or("", |c| &c.name));
        out.push(Notice {
            street: first.street.clone(),
            unit: first.handler_unit.clone(),
            case,
            orders,
            events,
            lead,
            urgent: true,
            below_green: true,
        });
    }
    Ok(out)
}

/// What was already told, by the case id it was told under.
fn told(store: &Store) -> Result<Told, NotifyError> {
    let mut stmt = store
        .conn()
        .prepare(queries::NOTIFY_NOTIFIED)
        .map_err(db("reading what was notified"))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(db("reading what was notified"))?;
    let mut told = Told::new();
    for row in rows {
        let (case_id, event) = row.map_err(db("reading what was notified"))?;
        told.entry(case_id).or_default().insert(event);
    }
    Ok(told)
}

/// How the special-handling contact (`leads.special`) is named in a message.
fn special_role(name: &str) -> String {
    match name.trim() {
        "" => "专门办联系人".to_string(),
        name => format!("专门办联系人 {name}"),
    }
}

/// Who is told of a notice: the lead of its tier for its street or unit (or the role's
/// default), `leads.special` for a special event, and the admin.
pub fn addressees(config: &Config, notice: &Notice, special: bool) -> Vec<Addressee> {
    let mut out: Vec<Addressee> = Vec::new();
    fn add(out: &mut Vec<Addressee>, email: &str, name: &str, role: String) {
        let Ok(mut mailbox) = email.parse::<Mailbox>() else {
            return;
        };
        if mailbox.name.is_none() && !name.trim().is_empty() {
            mailbox.name = Some(name.trim().to_string());
        }
        let same = |a: &Addressee| {
            a.mailbox.email.to_string().to_lowercase() == mailbox.email.to_string().to_lowercase()
        };
        if !out.iter().any(same) {
            out.push(Addressee { mailbox, role });
        }
    }
    let leads = &config.leads;
    // A place below green has no lead of a tier yet: the hazard goes to the special contact.
    let tier_lead = if notice.below_green {
        None
    } else {
        leads.lead_of(notice.case.tier, &notice.street, &notice.unit)
    };
    if let Some(lead) = tier_lead {
        if let Some(email) = &lead.email {
            add(&mut out, email, &lead.name, notice.lead.clone());
        }
    }
    if special {
        if let Some(lead) = &leads.special {
            if let Some(email) = &lead.email {
                add(&mut out, email, &lead.name, special_role(&lead.name));
            }
        }
    }
    // The admin alone: nobody else is told of this case, and the admin's copy says so.
    let others = out.len();
    if let Some(admin) = &config.recipients.admin {
        let role = if others == 0 {
            "管理员（没有其他人收到本通知：本案的牵头人未配置或未留邮箱，请转告牵头人）"
        } else {
            "管理员（抄送）"
        };
        add(&mut out, admin, "", role.to_string());
    }
    out
}

/// What `notify --dry-run` shows and a run sends: the messages of `notices` at `now`.
pub fn plan(config: &Config, notices: &[Notice], now: NaiveDateTime) -> Vec<Planned> {
    let held = hold_until(config, now);
    let mut out = Vec::new();
    for (urgent, group) in groups(notices) {
        let held_until = if urgent { None } else { held };
        for (to, items) in by_recipient(config, &group) {
            let refs: Vec<&Notice> = items.iter().map(|(n, _)| *n).collect();
            out.push(Planned {
                to: to.mailbox.to_string(),
                webhook: false,
                subject: message::subject(&refs),
                cases: refs.iter().map(|n| n.case.case_id.clone()).collect(),
                held_until,
            });
        }
        if let Some(hook) = &config.notify.webhook {
            out.push(Planned {
                to: format!("webhook {}", webhook::recipient(hook)),
                webhook: true,
                subject: message::subject(&group),
                cases: group.iter().map(|n| n.case.case_id.clone()).collect(),
                held_until,
            });
        }
    }
    out
}

/// The end of the quiet hours `now` is in, if any.
pub fn hold_until(config: &Config, now: NaiveDateTime) -> Option<NaiveDateTime> {
    config.quiet_hours().and_then(|q| q.hold_until(now))
}

/// The notices split into those sent at once (special cases) and the others, each group
/// non-empty.
fn groups(notices: &[Notice]) -> Vec<(bool, Vec<&Notice>)> {
    let mut out = Vec::new();
    for urgent in [true, false] {
        let group: Vec<&Notice> = notices.iter().filter(|n| n.urgent == urgent).collect();
        if !group.is_empty() {
            out.push((urgent, group));
        }
    }
    out
}

/// Each recipient with the notices (and the role they are told in) they get.
fn by_recipient<'a>(
    config: &Config,
    notices: &[&'a Notice],
) -> Vec<(Addressee, Vec<(&'a Notice, String)>)> {
    let mut out: Vec<(Addressee, Vec<(&'a Notice, String)>)> = Vec::new();
    for notice in notices {
        let special = notice.events.iter().any(|e| e.kind == EventKind::Special);
        for a in addressees(config, notice, special) {
            let email = a.mailbox.email.to_string().to_lowercase();
            match out
                .iter_mut()
                .find(|(b, _)| b.mailbox.email.to_string().to_lowercase() == email)
            {
                Some((_, list)) => list.push((notice, a.role.clone())),
                None => {
                    let role = a.role.clone();
                    out.push((a, vec![(notice, role)]));
                }
            }
        }
    }
    out
}

/// Works out the events as of `now`, records them and queues their messages in one
/// transaction, then sends those not held. `run_id` is the notify run's.
pub fn run(
    store: &Store,
    config: &Config,
    now: NaiveDateTime,
    run_id: i64,
    limit: Option<usize>,
) -> Result<Outcome, NotifyError> {
    let mut out = Outcome::default();
    let notices = notices(store, config, now, false)?;
    if notices.is_empty() {
        return Ok(out);
    }
    if let Some(max) = limit.filter(|max| notices.len() > *max) {
        return too_many(store, config, now, run_id, &notices, max);
    }
    out.events = notices.iter().map(|n| n.events.len()).sum();
    let mailer = Mailer::from_config(config)?;
    let sheets = sheets(store, config, &notices, now)?;
    let held = hold_until(config, now);
    let batch: i64 = store
        .conn()
        .query_row(queries::NOTIFY_NEXT_BATCH, [], |r| r.get(0))
        .map_err(db("numbering the warnings"))?;
    // Composed before anything is written: a template error changes nothing.
    struct Message {
        key: Key,
        subject: String,
        bytes: Vec<u8>,
        held_until: Option<NaiveDateTime>,
    }
    let mut messages: Vec<Message> = Vec::new();
    let mut recorded: Vec<(&Notice, String, Option<NaiveDateTime>)> = Vec::new();
    for (i, (urgent, group)) in groups(&notices).into_iter().enumerate() {
        let held_until = if urgent { None } else { held };
        let period = format!("{} #{}", now.format("%Y-%m-%d %H:%M"), batch + i as i64);
        for (to, items) in by_recipient(config, &group) {
            let content = message::mail(config, &items, &sheets, now, held_until)?;
            let bytes = compose(&mailer.from, &to.mailbox, &content)
                .map_err(|e| NotifyError::Compose(e.to_string()))?;
            messages.push(Message {
                key: Key {
                    kind: MAIL_KIND.into(),
                    period: period.clone(),
                    recipient: to.mailbox.email.to_string(),
                    preview: false,
                },
                subject: content.subject,
                bytes,
                held_until,
            });
        }
        if let Some(hook) = &config.notify.webhook {
            let parts = message::webhook(config, hook.format, &group, now, held_until)?;
            let total = parts.len();
            for (part, (title, bytes)) in parts.into_iter().enumerate() {
                // Each part of a long run is a message of its own in the outbox.
                let period = if total > 1 {
                    format!("{period} ({}/{total})", part + 1)
                } else {
                    period.clone()
                };
                messages.push(Message {
                    key: Key {
                        kind: WEBHOOK_KIND.into(),
                        period,
                        recipient: webhook::recipient(hook),
                        preview: false,
                    },
                    subject: title,
                    bytes,
                    held_until,
                });
            }
        }
        for notice in group {
            recorded.push((notice, period.clone(), held_until));
        }
    }
    let conn = store.conn();
    let write = || -> duckdb::Result<Vec<i64>> {
        let mut now_ids = Vec::new();
        for m in &messages {
            if let Queued::New(id) = outbox::queue(
                store,
                &m.key,
                false,
                &m.subject,
                &m.bytes,
                now,
                Some(run_id),
            )? {
                match m.held_until {
                    Some(until) => outbox::hold(store, id, until)?,
                    None => now_ids.push(id),
                }
            }
        }
        for (notice, period, held_until) in &recorded {
            for e in &notice.events {
                conn.execute(
                    queries::NOTIFY_RECORD,
                    params![
                        notice.case.case_id,
                        e.key(),
                        e.kind.as_str(),
                        notice.case.count,
                        period,
                        now,
                        held_until
                    ],
                )?;
            }
        }
        Ok(now_ids)
    };
    let fail = db("recording the warnings");
    let now_ids = store.in_transaction(&fail, || write().map_err(&fail))?;
    out.queued = messages.len();
    out.planned = plan(config, &notices, now);
    for notice in &notices {
        let told: Vec<String> = notice
            .events
            .iter()
            .map(|e| match e.kind {
                EventKind::Special => "专门办".to_string(),
                _ => format!("{}{}", e.kind.label(), e.tier.label()),
            })
            .collect();
        out.lines.push(format!(
            "warning: case {} ({} · {} · {}件): {}",
            notice.case.case_id,
            notice.case.category,
            notice.case.address,
            notice.case.count,
            told.join("、")
        ));
    }
    if messages.is_empty() {
        out.lines.push(
            "no one to tell: give the leads an email (leads.*.email) or set recipients.admin; the events are recorded, `notify --resend CASE` tells them later".into(),
        );
    }
    for m in messages.iter().filter(|m| m.held_until.is_some()) {
        out.lines.push(format!(
            "{}: held for the quiet hours until {}",
            m.key.recipient,
            m.held_until.expect("filtered").format("%Y-%m-%d %H:%M")
        ));
    }
    if !now_ids.is_empty() {
        let sent = outbox::send_due(store, config, &mailer, now, true, Some(&now_ids))
            .map_err(db("sending the warnings"))?;
        out.sent += sent.delivered.len();
        out.unsent += sent.failed.len();
        for (_, recipient, what) in &sent.delivered {
            out.lines.push(format!("{recipient}: {what}"));
        }
        for (id, recipient, error) in &sent.failed {
            out.lines.push(format!(
                "{recipient}: not sent yet ({error}); message {id} stays queued and will be retried"
            ));
        }
        out.lines.extend(sent.deferred_lines());
    }
    Ok(out)
}

/// Sends the warnings that wait in the outbox from earlier runs (a mail server that was
/// down, a webhook that refused), whatever their back-off: someone ran `notify` by hand,
/// most likely after fixing the settings. Those held for the quiet hours stay held, said
/// so; those that fail again are counted unsent.
pub fn send_waiting(
    store: &Store,
    config: &Config,
    now: NaiveDateTime,
) -> Result<Outcome, NotifyError> {
    let mut out = Outcome::default();
    let waiting: Vec<(i64, String, Option<NaiveDateTime>, String)> = store
        .conn()
        .prepare(queries::OUTBOX_WARNINGS_WAITING)
        .and_then(|mut stmt| {
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect()
        })
        .map_err(db("reading the warnings that wait"))?;
    let mut due = Vec::new();
    for (id, recipient, held, _) in &waiting {
        match held.filter(|until| *until > now) {
            Some(until) => out.lines.push(format!(
                "{recipient}: message {id} is held for the quiet hours until {}",
                until.format("%Y-%m-%d %H:%M")
            )),
            None => due.push(*id),
        }
    }
    if due.is_empty() {
        return Ok(out);
    }
    let mailer = Mailer::from_config(config)?;
    let sent = outbox::send_due(store, config, &mailer, now, true, Some(&due))
        .map_err(db("sending the warnings that wait"))?;
    out.sent += sent.delivered.len();
    out.unsent += sent.failed.len();
    for (id, recipient, what) in &sent.delivered {
        out.lines.push(format!(
            "{recipient}: message {id}, waiting since an earlier run: {what}"
        ));
    }
    for (id, recipient, error) in &sent.failed {
        out.lines.push(format!(
            "{recipient}: message {id} still not sent ({error}); it stays queued"
        ));
    }
    out.lines.extend(sent.deferred_lines());
    Ok(out)
}

/// More cases call for a warning at once than `notify.max_cases` (a history loaded into
/// the database, most likely): nothing is recorded or sent to the leads; the admin is told
/// once a day what to do.
fn too_many(
    store: &Store,
    config: &Config,
    now: NaiveDateTime,
    run_id: i64,
    notices: &[Notice],
    max: usize,
) -> Result<Outcome, NotifyError> {
    let cases = notices.len();
    let mut out = Outcome::default();
    let advice = format!(
        "{cases} cases call for a warning at once, more than notify.max_cases ({max}): none was sent. If a history was loaded, see them with `hotline-ledger notify --dry-run`, then record them as told with `notify --mark-told`, or send them with `notify`"
    );
    out.lines.push(advice.clone());
    let Some(admin) = &config.recipients.admin else {
        return Ok(out);
    };
    let mailer = Mailer::from_config(config)?;
    let to: Mailbox = admin
        .parse()
        .map_err(|e| NotifyError::Compose(format!("recipients.admin: {e}")))?;
    let subject = format!("【预警通知】{cases}起预警待确认，未发给牵头人");
    let said = format!(
        "本次共有{cases}起案件需要发出预警，超过一次最多发送的{max}起（notify.max_cases），因此没有发给各牵头人，多半是导入了历史数据。请先用 hotline-ledger notify --dry-run 查看；确属历史数据的，用 notify --mark-told 记为已通知；确需通知的，运行 notify 发出。"
    );
    // The cases, so that the admin can judge without a terminal.
    let listed: Vec<String> = notices
        .iter()
        .map(|n| {
            format!(
                "{} · {} · {} · {} · {}件",
                n.case.case_id,
                n.case.category,
                mask::field("address", &n.case.address, ""),
                if n.below_green {
                    "安全隐患（未达预警）"
                } else {
                    n.case.tier.label()
                },
                n.case.count
            )
        })
        .collect();
    let text = format!(
        "{}\n\n{said}\n\n待确认的案件：\n{}\n",
        config.squad.name,
        listed
            .iter()
            .map(|l| format!("- {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let escape = crate::deliver::alerts::html_escape;
    let content = crate::deliver::compose::Content {
        subject: subject.clone(),
        html: format!(
            "<p>{}</p><p>{}</p><p>待确认的案件：</p><ul>{}</ul>",
            escape(&config.squad.name),
            escape(&said),
            listed
                .iter()
                .map(|l| format!("<li>{}</li>", escape(l)))
                .collect::<String>()
        ),
        text,
        attachments: Vec::new(),
    };
    let bytes =
        compose(&mailer.from, &to, &content).map_err(|e| NotifyError::Compose(e.to_string()))?;
    let key = Key {
        kind: MAIL_KIND.into(),
        period: format!("{} 待确认", now.format("%Y-%m-%d")),
        recipient: to.email.to_string(),
        preview: false,
    };
    if let Queued::New(id) = outbox::queue(store, &key, false, &subject, &bytes, now, Some(run_id))
        .map_err(db("queueing the admin's message"))?
    {
        out.queued = 1;
        let sent = outbox::send_due(store, config, &mailer, now, true, Some(&[id]))
            .map_err(db("sending the admin's message"))?;
        out.sent = sent.delivered.len();
        out.unsent = sent.failed.len();
    }
    Ok(out)
}

/// `notify --mark-told`: records every event the cases call for now as told, sending
/// nothing (on a database that held cases before warnings were set up, so its leads are
/// not sent every old case at once). Returns the events recorded.
pub fn mark_told(store: &Store, config: &Config, now: NaiveDateTime) -> Result<usize, NotifyError> {
    let notices = notices(store, config, now, false)?;
    let conn = store.conn();
    let write = || -> duckdb::Result<usize> {
        let mut n = 0;
        for notice in &notices {
            for e in &notice.events {
                n += conn.execute(
                    queries::NOTIFY_RECORD,
                    params![
                        notice.case.case_id,
                        e.key(),
                        e.kind.as_str(),
                        notice.case.count,
                        "marked told",
                        now,
                        None::<NaiveDateTime>
                    ],
                )?;
            }
        }
        Ok(n)
    };
    let fail = db("recording the warnings");
    store.in_transaction(&fail, || write().map_err(&fail))
}

/// `notify --resend CASE`: tells the case's recipients again, as it stands now, whatever
/// was told before (a forced copy in the outbox), and sends it at once.
pub fn resend(
    store: &Store,
    config: &Config,
    now: NaiveDateTime,
    case: &str,
    run_id: i64,
) -> Result<Outcome, NotifyError> {
    let all = notices(store, config, now, true)?;
    let Some(mut notice) = all
        .into_iter()
        .find(|n| n.case.case_id == case || n.orders.iter().any(|o| o.order_id == case))
    else {
        return Err(NotifyError::NoSuchCase(case.to_string()));
    };
    if notice.events.is_empty() {
        // Told before: say it again as it stands (and special, if it is), not as if it
        // were registered now.
        notice.events.push(Event {
            kind: EventKind::Standing,
            tier: notice.case.tier,
        });
        if notice.urgent {
            notice.events.push(Event {
                kind: EventKind::Special,
                tier: notice.case.tier,
            });
        }
    }
    let mailer = Mailer::from_config(config)?;
    let sheets = sheets(store, config, std::slice::from_ref(&notice), now)?;
    let special = notice.events.iter().any(|e| e.kind == EventKind::Special);
    let mut out = Outcome::default();
    let mut ids = Vec::new();
    for to in addressees(config, &notice, special) {
        let items = vec![(&notice, to.role.clone())];
        let mut content = message::mail(config, &items, &sheets, now, None)?;
        content.subject = format!("【重发】{}", content.subject);
        let bytes = compose(&mailer.from, &to.mailbox, &content)
            .map_err(|e| NotifyError::Compose(e.to_string()))?;
        let key = Key {
            kind: MAIL_KIND.into(),
            period: format!("{} 重发", notice.case.case_id),
            recipient: to.mailbox.email.to_string(),
            preview: false,
        };
        if let Queued::New(id) = outbox::queue(
            store,
            &key,
            true,
            &content.subject,
            &bytes,
            now,
            Some(run_id),
        )
        .map_err(db("queueing the warning"))?
        {
            ids.push(id);
        }
        out.planned.push(Planned {
            to: to.mailbox.to_string(),
            webhook: false,
            subject: content.subject,
            cases: vec![notice.case.case_id.clone()],
            held_until: None,
        });
    }
    if ids.is_empty() {
        out.lines.push(format!(
            "no one to tell about case {}: give its lead an email (leads.*.email) or set recipients.admin",
            notice.case.case_id
        ));
        return Ok(out);
    }
    out.queued = ids.len();
    let sent = outbox::send_due(store, config, &mailer, now, true, Some(&ids))
        .map_err(db("sending the warning"))?;
    out.sent = sent.delivered.len();
    out.unsent = sent.failed.len();
    for (_, recipient, what) in &sent.delivered {
        out.lines.push(format!("{recipient}: {what}"));
    }
    for (id, recipient, error) in &sent.failed {
        out.lines.push(format!(
            "{recipient}: not sent yet ({error}); message {id} stays queued and will be retried"
        ));
    }
    Ok(out)
}

/// The case sheet (案件单) of each notice, by case id.
fn sheets(
    store: &Store,
    config: &Config,
    notices: &[Notice],
    now: NaiveDateTime,
) -> Result<BTreeMap<String, AttachmentFile>, NotifyError> {
    // A place below green has no case sheet: it is no warning case.
    let notices: Vec<&Notice> = notices.iter().filter(|n| !n.below_green).collect();
    let windows: Vec<Window> = notices
        .iter()
        .map(|n| Window::case_sheet(&n.case.case_id, &n.lead, now))
        .collect();
    let docs = report::render_case_sheets(store, config, &windows).map_err(|source| {
        NotifyError::Sheet {
            cases: notices
                .iter()
                .map(|n| n.case.case_id.clone())
                .collect::<Vec<_>>()
                .join(", "),
            source: Box::new(source),
        }
    })?;
    let out = notices
        .iter()
        .zip(docs)
        .map(|(n, doc)| {
            (
                n.case.case_id.clone(),
                AttachmentFile {
                    name: doc.file_name,
                    bytes: doc.bytes,
                },
            )
        })
        .collect();
    Ok(out)
}
