//! An admin's decisions about subjects and what they are shown to decide: suggestions,
//! the members of a subject with why each is in it, merge / separate / undo, and the
//! decisions as a plain-text file a rebuilt database takes back.

use chrono::NaiveDateTime;
use duckdb::params;

use super::compare::MatchOn;
use super::{decisions, failed, Decision, SubjectsError};
use crate::queries;
use crate::store::Store;

/// A subject as the admin names it: a subject key (`噪声扰民|开元东路18号`) or the id of
/// one of its orders (a case id is one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRef {
    pub category: String,
    pub address: String,
}

impl SubjectRef {
    pub fn key(&self) -> String {
        format!("{}|{}", self.category, self.address)
    }
}

/// Finds the subject `text` names in the stored map.
pub fn resolve(store: &Store, text: &str) -> Result<SubjectRef, SubjectsError> {
    let text = text.trim();
    let sql = if text.contains('|') {
        queries::SUBJECTS_RESOLVE_KEY
    } else {
        queries::SUBJECTS_RESOLVE_ORDER
    };
    let found: Vec<(String, String)> = store
        .conn()
        .prepare(sql)
        .and_then(|mut s| {
            s.query_map(params![text], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
        .map_err(failed("finding the subject"))?;
    match found.as_slice() {
        [(category, address)] => Ok(SubjectRef {
            category: category.clone(),
            address: address.clone(),
        }),
        [] => Err(SubjectsError::NotFound(format!(
            "no subject is named \"{text}\": give a subject key (category|address, as `subjects` lists them) or the id of one of its orders"
        ))),
        _ => Err(SubjectsError::Decision(format!(
            "\"{text}\" names more than one subject: give the full subject key"
        ))),
    }
}

/// Records a decision (merge | separate) between two subjects; returns its id.
pub fn decide(
    store: &Store,
    action: &str,
    a: &SubjectRef,
    b: &SubjectRef,
    now: NaiveDateTime,
) -> Result<i64, SubjectsError> {
    if a.category != b.category {
        return Err(SubjectsError::Decision(format!(
            "{} and {} are different matters ({} / {}): only subjects of one matter can be joined or kept apart",
            a.key(),
            b.key(),
            a.category,
            b.category
        )));
    }
    if a == b && action == "merge" {
        return Err(SubjectsError::Decision(format!(
            "{} is already one subject",
            a.key()
        )));
    }
    store
        .conn()
        .query_row(
            queries::SUBJECTS_DECISION_INSERT,
            params![action, a.category, a.address, b.address, now],
            |r| r.get(0),
        )
        .map_err(failed("recording the decision"))
}

/// Undoes decision `id`.
pub fn undo(store: &Store, id: i64, now: NaiveDateTime) -> Result<Decision, SubjectsError> {
    let all = decisions(store)?;
    let Some(d) = all.into_iter().find(|d| d.id == id) else {
        return Err(SubjectsError::NotFound(format!(
            "there is no decision {id} (see `subjects decisions`)"
        )));
    };
    if d.undone_at.is_some() {
        return Err(SubjectsError::Decision(format!(
            "decision {id} was already undone"
        )));
    }
    store
        .conn()
        .execute(queries::SUBJECTS_DECISION_UNDO, params![id, now])
        .map_err(failed("undoing the decision"))?;
    Ok(d)
}

/// The decisions in force as text, one a line: `merge|separate <TAB> category <TAB>
/// address <TAB> address`.
pub fn export(store: &Store) -> Result<String, SubjectsError> {
    let mut out =
        String::from("# hotline-ledger subject decisions: action\tcategory\taddress\taddress\n");
    for d in decisions(store)?
        .into_iter()
        .filter(|d| d.undone_at.is_none())
    {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            d.action, d.category, d.address_a, d.address_b
        ));
    }
    Ok(out)
}

/// Takes decisions back from exported text. Every line is checked first: a bad line or an
/// address the data does not have is reported and nothing changes.
pub fn import(store: &Store, text: &str, now: NaiveDateTime) -> Result<usize, SubjectsError> {
    let mut wanted = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 4 || !matches!(f[0], "merge" | "separate") {
            problems.push(format!(
                "line {}: want \"merge|separate<TAB>category<TAB>address<TAB>address\"",
                n + 1
            ));
            continue;
        }
        for address in [f[2], f[3]] {
            let known: i64 = store
                .conn()
                .query_row(
                    queries::SUBJECTS_ADDRESS_KNOWN,
                    params![f[1], address],
                    |r| r.get(0),
                )
                .map_err(failed("checking the decisions file"))?;
            if known == 0 {
                problems.push(format!(
                    "line {}: no order of {} is at \"{address}\"",
                    n + 1,
                    f[1]
                ));
            }
        }
        wanted.push((
            f[0].to_string(),
            f[1].to_string(),
            f[2].to_string(),
            f[3].to_string(),
        ));
    }
    if !problems.is_empty() {
        return Err(SubjectsError::Decision(format!(
            "the decisions file names what the data does not have; nothing was imported:\n  {}",
            problems.join("\n  ")
        )));
    }
    let existing = decisions(store)?;
    let mut added = 0;
    for (action, category, a, b) in wanted {
        let known = existing.iter().any(|d| {
            d.undone_at.is_none()
                && d.action == action
                && d.category == category
                && ((d.address_a == a && d.address_b == b)
                    || (d.address_a == b && d.address_b == a))
        });
        if known {
            continue;
        }
        store
            .conn()
            .query_row(
                queries::SUBJECTS_DECISION_INSERT,
                params![action, category, a, b, now],
                |r| r.get::<_, i64>(0),
            )
            .map_err(failed("importing the decisions"))?;
        added += 1;
    }
    Ok(added)
}

/// A suggestion: two places of one matter that may be one.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub category: String,
    pub a: String,
    pub b: String,
    pub score: f64,
    pub on: String,
    pub orders_a: i64,
    pub orders_b: i64,
}

pub fn suggestions(store: &Store) -> Result<Vec<Suggestion>, SubjectsError> {
    let mut stmt = store
        .conn()
        .prepare(queries::SUBJECTS_SUGGESTIONS)
        .map_err(failed("reading the suggestions"))?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Suggestion {
                category: r.get(0)?,
                a: r.get(1)?,
                b: r.get(2)?,
                score: r.get(3)?,
                on: r.get(4)?,
                orders_a: r.get(5)?,
                orders_b: r.get(6)?,
            })
        })
        .map_err(failed("reading the suggestions"))?;
    rows.collect::<Result<_, _>>()
        .map_err(failed("reading the suggestions"))
}

/// One order of a subject, with why it is there.
#[derive(Debug, Clone)]
pub struct Member {
    pub order_id: String,
    pub received_at: NaiveDateTime,
    pub category: String,
    pub address: String,
    pub address_norm: String,
    /// itself | matched | decision
    pub reason: String,
    pub matched_with: Option<String>,
    pub match_on: Option<String>,
    pub score: Option<f64>,
    pub related_order_id: Option<String>,
    /// In the subject through 关联工单 (its address's place is another).
    pub linked: bool,
    /// Where its place was found when its address names none (read by `read_placed`).
    pub placed_by: Option<PlacedBy>,
}

/// Where an order's place was found when its address names none: the place, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum PlacedBy {
    /// The complaint's text (诉求内容) names it.
    Text(String),
    /// The caller's other orders of the matter all name it.
    Caller(String),
}

impl PlacedBy {
    /// How subject_hints.source stores each.
    pub const TEXT: &'static str = "text";
    pub const CALLER: &'static str = "caller";

    fn read(source: Option<String>, place: Option<String>) -> Option<PlacedBy> {
        let place = place?;
        match source.as_deref()? {
            PlacedBy::CALLER => Some(PlacedBy::Caller(place)),
            _ => Some(PlacedBy::Text(place)),
        }
    }
}

impl Member {
    /// A member from the first columns of a row shaped as subjects/members.sql returns.
    pub fn read(r: &duckdb::Row<'_>) -> duckdb::Result<Member> {
        Ok(Member {
            order_id: r.get(0)?,
            received_at: r.get(1)?,
            category: r.get(2)?,
            address: r.get(3)?,
            address_norm: r.get(4)?,
            reason: r.get(5)?,
            matched_with: r.get(6)?,
            match_on: r.get(7)?,
            score: r.get(8)?,
            related_order_id: r.get(9)?,
            linked: r.get(10)?,
            placed_by: None,
        })
    }

    /// A member as `read` makes it, and where its place was found (columns 11 and 12: the
    /// hint's source and place, as subjects/members.sql returns them).
    pub fn read_placed(r: &duckdb::Row<'_>) -> duckdb::Result<Member> {
        let mut member = Member::read(r)?;
        member.placed_by = PlacedBy::read(r.get(11)?, r.get(12)?);
        Ok(member)
    }

    /// Why the order is in its subject.
    pub fn grounds(&self) -> Grounds {
        let with = || self.matched_with.clone().unwrap_or_default();
        if self.linked {
            return Grounds::LinkedOrder(self.related_order_id.clone().unwrap_or_default());
        }
        match self.reason.as_str() {
            "itself" => Grounds::SameAddress,
            // Its spelling and the subject's are one place because 关联工单 links them.
            _ if self.match_on.as_deref() == Some("link") => match &self.related_order_id {
                Some(id) => Grounds::LinkedOrder(id.clone()),
                None => Grounds::LinkedAddress(with()),
            },
            "decision" => Grounds::Decision(with()),
            _ => Grounds::Matched {
                with: with(),
                on: self.match_on.as_deref().and_then(MatchOn::from_stored),
                score: self.score.unwrap_or(0.0),
            },
        }
    }

    /// Why the order is in its subject, in words: where its place was found first, when
    /// its address names none.
    pub fn why(&self) -> String {
        let grounds = self.grounds_in_words();
        match &self.placed_by {
            Some(PlacedBy::Text(place)) => format!("its complaint names {place}; {grounds}"),
            Some(PlacedBy::Caller(place)) => {
                format!("its caller's other orders name {place}; {grounds}")
            }
            None => grounds,
        }
    }

    fn grounds_in_words(&self) -> String {
        match self.grounds() {
            Grounds::SameAddress => "same address".into(),
            Grounds::LinkedOrder(id) => format!("linked to {id} (关联工单)"),
            Grounds::LinkedAddress(with) => {
                format!(
                    "written as an address that a link (关联工单, or an order id its complaint writes) ties to {with}"
                )
            }
            Grounds::Decision(with) => format!("admin decision (joined to {with})"),
            Grounds::Matched {
                with,
                on: Some(MatchOn::Caller),
                ..
            } => {
                format!("two or more callers complain of this place and of {with} for this matter")
            }
            Grounds::Matched { with, on, score } => format!(
                "matched {with} on {} ({score:.2})",
                on.map(MatchOn::as_str).unwrap_or_default()
            ),
        }
    }
}

/// Why an order is in its subject.
#[derive(Debug, Clone, PartialEq)]
pub enum Grounds {
    /// Its address is the subject's own spelling.
    SameAddress,
    /// 关联工单 links it to this order of the subject.
    LinkedOrder(String),
    /// Its spelling is one place with this one because a link (关联工单, or an order id
    /// written in a complaint) ties them.
    LinkedAddress(String),
    /// An admin joined its spelling to this one.
    Decision(String),
    /// The matcher found its spelling one place with `with`.
    Matched {
        with: String,
        on: Option<MatchOn>,
        score: f64,
    },
}

pub fn members(store: &Store, subject: &SubjectRef) -> Result<Vec<Member>, SubjectsError> {
    let mut stmt = store
        .conn()
        .prepare(queries::SUBJECTS_MEMBERS)
        .map_err(failed("reading the subject's orders"))?;
    let rows = stmt
        .query_map(params![subject.key()], Member::read_placed)
        .map_err(failed("reading the subject's orders"))?;
    rows.collect::<Result<_, _>>()
        .map_err(failed("reading the subject's orders"))
}
