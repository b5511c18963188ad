//! Which warnings a case calls for now, given what was already told: the comparison of
//! the cases as of now with the notified (case, event) pairs. Pure functions.
//!
//! A case is recognised by its orders, not only by its id: late data can give it an
//! earlier first order (a new id) or merge two cases into one, and what was told about
//! any case whose id is now one of its orders was told about it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;

use crate::analysis::WarningCase;
use crate::codes::{CaseStatus, HandlingMode, Tier};

/// How a warning tells of its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventKind {
    /// The case reached green (or, first seen, a higher tier).
    Registered,
    /// Registered again at a place whose earlier warning was cancelled (复发).
    Recurring,
    /// It reached a tier higher than the last one told.
    Escalated,
    /// It turned 专门办: a safety hazard, reported at once.
    Special,
    /// Told before, told again as it stands (`notify --resend`): nothing new happened.
    Standing,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Registered => "registered",
            EventKind::Recurring => "recurring",
            EventKind::Escalated => "escalated",
            EventKind::Special => "special",
            EventKind::Standing => "standing",
        }
    }

    /// The Chinese word in a message.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Registered => "登记",
            EventKind::Recurring => "复发登记",
            EventKind::Escalated => "升级",
            EventKind::Special => "专门办",
            EventKind::Standing => "现为",
        }
    }
}

/// One thing to tell about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    /// The tier reached (for a special event, the case's tier).
    pub tier: Tier,
}

impl Event {
    /// What the notified table keys it by: the tier reached, or `special`.
    pub fn key(&self) -> &'static str {
        match self.kind {
            EventKind::Special => "special",
            _ => self.tier.as_str(),
        }
    }
}

/// One complaint of a case, as a warning lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeOrder {
    pub order_id: String,
    pub received_at: NaiveDateTime,
    pub channel: String,
    pub caller_phone: String,
    pub content: String,
    pub address: String,
    pub street: String,
    pub handler_unit: String,
    /// The caller's name: never shown, masked wherever the content repeats it.
    pub caller_name: String,
}

/// What was told, by the case id it was told under.
pub type Told = BTreeMap<String, BTreeSet<String>>;

/// What was told of a case, under its id or any of its orders' ids (an id that moved to a
/// late earlier complaint, cases that merged).
pub fn told_keys<'t>(case_id: &str, orders: &[NoticeOrder], told: &'t Told) -> BTreeSet<&'t str> {
    std::iter::once(case_id)
        .chain(orders.iter().map(|o| o.order_id.as_str()))
        .filter_map(|id| told.get(id))
        .flat_map(|events| events.iter().map(String::as_str))
        .collect()
}

/// The events `case` calls for, given its orders and what was told: a first warning at
/// its tier (registered, or recurring), an escalation past the highest tier told, a
/// special event once. A cleared case, or one that shrank below what was told, calls for
/// nothing: the reports show it.
pub fn events_of(case: &WarningCase, orders: &[NoticeOrder], told: &Told) -> Vec<Event> {
    if case.status == CaseStatus::Cleared {
        return Vec::new();
    }
    let keys = told_keys(&case.case_id, orders, told);
    let highest = Tier::ALL
        .iter()
        .copied()
        .filter(|t| keys.contains(t.as_str()))
        .max();
    let mut out = Vec::new();
    match highest {
        None => out.push(Event {
            kind: if case.recurring {
                EventKind::Recurring
            } else {
                EventKind::Registered
            },
            tier: case.tier,
        }),
        Some(told) if case.tier > told => out.push(Event {
            kind: EventKind::Escalated,
            tier: case.tier,
        }),
        Some(_) => {}
    }
    if case.handling_mode == HandlingMode::Special && !keys.contains("special") {
        out.push(Event {
            kind: EventKind::Special,
            tier: case.tier,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, tier: Tier, mode: HandlingMode, recurring: bool) -> WarningCase {
        let t = NaiveDateTime::parse_from_str("2025-03-01 08:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        WarningCase {
            case_id: id.into(),
            subject_key: "k".into(),
            category: "噪声扰民".into(),
            address: "开元东路18号".into(),
            tier,
            count: 5,
            first_received_at: t,
            last_received_at: t,
            registered_at: t,
            yellow_at: None,
            red_at: None,
            status: CaseStatus::InProgress,
            cleared_at: None,
            handling_mode: mode,
            recurring,
        }
    }

    fn order(id: &str) -> NoticeOrder {
        NoticeOrder {
            order_id: id.into(),
            received_at: NaiveDateTime::default(),
            channel: String::new(),
            caller_phone: String::new(),
            content: String::new(),
            address: String::new(),
            street: String::new(),
            handler_unit: String::new(),
            caller_name: String::new(),
        }
    }

    fn told(pairs: &[(&str, &str)]) -> Told {
        let mut t = Told::new();
        for (id, e) in pairs {
            t.entry(id.to_string()).or_default().insert(e.to_string());
        }
        t
    }

    #[test]
    fn a_new_case_is_registered_at_its_tier_once() {
        let c = case("A1", Tier::Yellow, HandlingMode::Immediate, false);
        let e = events_of(&c, &[order("A1")], &Told::new());
        assert_eq!(
            e,
            [Event {
                kind: EventKind::Registered,
                tier: Tier::Yellow
            }]
        );
        assert!(events_of(&c, &[order("A1")], &told(&[("A1", "yellow")])).is_empty());
    }

    #[test]
    fn only_a_tier_above_any_told_for_its_orders_escalates() {
        // B1 was told yellow under its own id; it is now an order of the merged case A1.
        let c = case("A1", Tier::Yellow, HandlingMode::Immediate, false);
        let orders = [order("A1"), order("B1")];
        let t = told(&[("A1", "green"), ("B1", "yellow")]);
        assert!(events_of(&c, &orders, &t).is_empty());
        let c = case("A1", Tier::Red, HandlingMode::Immediate, false);
        assert_eq!(
            events_of(&c, &orders, &t),
            [Event {
                kind: EventKind::Escalated,
                tier: Tier::Red
            }]
        );
    }

    #[test]
    fn a_shrunk_case_is_not_de_escalated() {
        let c = case("A1", Tier::Green, HandlingMode::Immediate, false);
        assert!(events_of(&c, &[order("A1")], &told(&[("A1", "red")])).is_empty());
    }

    #[test]
    fn special_and_recurring_are_told_once() {
        let c = case("A1", Tier::Green, HandlingMode::Special, true);
        let kinds: Vec<EventKind> = events_of(&c, &[order("A1")], &Told::new())
            .iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, [EventKind::Recurring, EventKind::Special]);
        assert!(events_of(
            &c,
            &[order("A1")],
            &told(&[("A1", "green"), ("A1", "special")])
        )
        .is_empty());
    }

    #[test]
    fn a_cleared_case_calls_for_nothing() {
        let mut c = case("A1", Tier::Red, HandlingMode::Special, false);
        c.status = CaseStatus::Cleared;
        assert!(events_of(&c, &[order("A1")], &Told::new()).is_empty());
    }
}
