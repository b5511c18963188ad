//! Placing a new export's addresses among the stored grouping: a new address joins the
//! known place it matches (or starts one), and only the stored addresses that share a block
//! key with it are read, parsed and compared, so the cost follows what the export brings.
//!
//! Each matter's new addresses are grouped together with every address of the known places
//! they may join, those places taken as already made (their stored explanations as the
//! joins). A known place keeps its name as new spellings join it; when a new address joins
//! two known places into one, the most used of their names stays and the other place's
//! addresses (and suggestions) follow it.

use std::collections::{BTreeMap, HashMap, HashSet};

use duckdb::params;

use super::address::ParsedAddress;
use super::cluster::{self, Entry, Joined, Rules, Why};
use super::compare::{compare, Corpus, MatchOn, Verdict};
use super::{
    decided, decisions, failed, in_transaction, key_hash, read_rows, stored_why, Decision, Matcher,
    Member, Refreshed, SubjectsError, STATE_KEY,
};
use crate::queries;
use crate::store::Store;

/// A stored spelling of a known place, as the map holds it.
struct Stored {
    subject_address: String,
    why: Why,
    /// Whether it shares a block key with a new address (else it is only a member of a
    /// place one may join).
    candidate: bool,
}

/// One matter's spellings to group: the new ones first, then the known places' ones.
#[derive(Default)]
struct Local {
    entries: Vec<Entry>,
    /// For a new entry, the exported rows it stands for; None for a stored one.
    members: Vec<Option<Vec<Member>>>,
    stored: Vec<Option<Stored>>,
    by_address: HashMap<String, usize>,
}

impl Local {
    fn push(&mut self, entry: Entry, member: Option<Member>, stored: Option<Stored>) {
        match self.by_address.get(&entry.address) {
            Some(&i) => {
                self.entries[i].orders += entry.orders;
                if let (Some(members), Some(member)) = (&mut self.members[i], member) {
                    members.push(member);
                }
            }
            None => {
                self.by_address
                    .insert(entry.address.clone(), self.entries.len());
                self.entries.push(entry);
                self.members.push(member.map(|m| vec![m]));
                self.stored.push(stored);
            }
        }
    }
}

fn why_of(reason: &str, with: Option<String>, on: Option<String>, score: Option<f64>) -> Why {
    match (reason, with) {
        ("matched", Some(with)) => match (on.as_deref().and_then(MatchOn::from_stored), score) {
            (Some(on), Some(score)) => Why::Matched { with, on, score },
            _ => Why::Decision { with },
        },
        ("decision", Some(with)) => Why::Decision { with },
        _ => Why::Itself,
    }
}

/// Places the addresses of the files loaded since the map was last brought up to date.
pub(super) fn place_new(
    store: &Store,
    matcher: &Matcher,
    placed_up_to: i64,
    state: &str,
) -> Result<Refreshed, SubjectsError> {
    let started = std::time::Instant::now();
    let done = in_transaction(store, "placing of new addresses", || {
        place_in_transaction(store, matcher, placed_up_to, state)
    })?;
    tracing::info!(
        addresses = done.addresses,
        new_subjects = done.subjects,
        elapsed = ?started.elapsed(),
        "new addresses placed"
    );
    Ok(done)
}

fn place_in_transaction(
    store: &Store,
    matcher: &Matcher,
    placed_up_to: i64,
    state: &str,
) -> Result<Refreshed, SubjectsError> {
    let conn = store.conn();
    let t0 = std::time::Instant::now();
    let read = "reading the addresses to place";
    // The new orders whose address names no place read it from their text; the names the
    // new and the stored addresses give places are known.
    let mut parsed: HashMap<String, ParsedAddress> = HashMap::new();
    let new_rows: Vec<(String, String)> = {
        let mut stmt = conn
            .prepare(queries::SUBJECTS_NEW_ADDRESSES)
            .map_err(failed(read))?;
        let rows = stmt
            .query_map([placed_up_to], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(failed(read))?;
        rows.collect::<Result<_, _>>().map_err(failed(read))?
    };
    let known = super::KnownNames::of(
        matcher,
        new_rows.iter().map(|(c, a)| (c.as_str(), a.as_str())),
        &mut parsed,
        true,
    );
    drop(new_rows);
    super::make_hints(store, matcher, placed_up_to, None, &mut parsed, &known)?;
    // The rows no file had before, each with its matter and spelling.
    let unplaced: Vec<(Member, String, String, ParsedAddress, u64)> = {
        let mut stmt = conn
            .prepare(queries::SUBJECTS_UNPLACED)
            .map_err(failed(read))?;
        let mut rows = stmt.query([placed_up_to]).map_err(failed(read))?;
        let mut canonical: HashMap<String, String> = HashMap::new();
        read_rows(&mut rows, read)?
            .into_iter()
            .map(|(raw_category, own_address, street, orders, raw)| {
                let category = matcher.canonical_in(&mut canonical, &raw_category);
                let own = parsed.remove(&raw).unwrap_or_else(|| matcher.parse(&raw));
                let (parsed, spelling) =
                    matcher.place_with_town(own, &own_address, matcher.street_town(&street));
                let category = matcher.matter_at(category, &parsed);
                let member = Member {
                    raw_category,
                    own_address,
                    street,
                    raw,
                };
                (member, category, spelling, parsed, orders)
            })
            .collect()
    };
    tracing::debug!(elapsed = ?t0.elapsed(), "addresses to place read");
    let mut done = Refreshed::default();
    if unplaced.is_empty() {
        store.set_setting(STATE_KEY, state)?;
        return Ok(done);
    }
    conn.execute_batch(queries::SUBJECTS_PLACING_TABLES)
        .map_err(failed("preparing to place new addresses"))?;
    {
        let mut pairs = conn
            .appender("new_pairs")
            .map_err(failed("preparing to place new addresses"))?;
        for (m, category, spelling, _, _) in &unplaced {
            pairs
                .append_row(params![
                    m.raw_category,
                    category,
                    spelling,
                    m.own_address,
                    m.street,
                    m.raw
                ])
                .map_err(failed("preparing to place new addresses"))?;
        }
        pairs
            .flush()
            .map_err(failed("preparing to place new addresses"))?;
    }
    // A new row for a spelling its matter already has joins that spelling's place.
    let mut known: std::collections::HashSet<(String, String, String)> = Default::default();
    {
        let mut stmt = conn
            .prepare(queries::SUBJECTS_PLACE_KNOWN)
            .map_err(failed("placing known addresses"))?;
        let mut rows = stmt.query([]).map_err(failed("placing known addresses"))?;
        while let Some(r) = rows.next().map_err(failed("placing known addresses"))? {
            known.insert((
                r.get(0).map_err(failed("placing known addresses"))?,
                r.get(1).map_err(failed("placing known addresses"))?,
                r.get(2).map_err(failed("placing known addresses"))?,
            ));
        }
    }
    // The rest are new to their matter: their block keys (and what their orders say:
    // callers, links) looked up.
    let mut evidence = super::read_evidence(store, placed_up_to)?;
    let mut matters: BTreeMap<String, Local> = BTreeMap::new();
    for (member, category, spelling, parsed, orders) in unplaced {
        let key = (
            member.raw_category.clone(),
            member.own_address.clone(),
            member.street.clone(),
        );
        if known.contains(&key) {
            continue;
        }
        let said = if parsed.is_vague() {
            Vec::new()
        } else {
            evidence.take(&key.0, &key.1, &key.2)
        };
        let local = matters.entry(category).or_default();
        if !local.by_address.contains_key(&spelling) {
            done.addresses += 1;
        }
        local.push(
            Entry {
                address: spelling,
                parsed,
                orders,
                evidence: said,
            },
            Some(member),
            None,
        );
    }
    // The new spellings' keys by their stored form, to read the common ones back.
    let mut key_names: HashMap<i64, (String, String)> = HashMap::new();
    // The orders the new ones link to or from, by the key that says so.
    let mut linked: Vec<(String, i64)> = Vec::new();
    {
        let mut keys = conn
            .appender("new_keys")
            .map_err(failed("looking up the new addresses"))?;
        for (category, local) in &mut matters {
            for entry in &mut local.entries {
                entry.evidence.sort();
                entry.evidence.dedup();
                if entry.parsed.is_vague() {
                    continue;
                }
                let blocks = cluster::blocks(&entry.parsed);
                for key in blocks.iter().chain(&entry.evidence) {
                    let hash = key_hash(category, key);
                    keys.append_row(params![category, hash, entry.address])
                        .map_err(failed("looking up the new addresses"))?;
                    key_names.insert(hash, (category.clone(), key.clone()));
                    if let Some(id) = key.strip_prefix("o:") {
                        linked.push((id.to_string(), hash));
                    }
                }
            }
        }
        keys.flush()
            .map_err(failed("looking up the new addresses"))?;
    }
    conn.execute_batch(queries::SUBJECTS_PLACING_MATCHES)
        .map_err(failed("looking up the new addresses"))?;
    // A stored order that a new one links to (or that links to a new one) makes its
    // stored spelling a candidate, sharing that key.
    {
        let step = "looking up the linked orders";
        let mut find = conn
            .prepare(queries::SUBJECTS_PLACING_LINKED)
            .map_err(failed(step))?;
        let mut matches = conn.appender("key_matches").map_err(failed(step))?;
        for (id, hash) in &linked {
            let Some((category, _)) = key_names.get(hash) else {
                continue;
            };
            let mut rows = find.query(params![id, category]).map_err(failed(step))?;
            while let Some(r) = rows.next().map_err(failed(step))? {
                let spelling: String = r.get(0).map_err(failed(step))?;
                matches
                    .append_row(params![category, hash, spelling])
                    .map_err(failed(step))?;
            }
        }
        matches.flush().map_err(failed(step))?;
    }
    // The evidence keys stored spellings share with new ones.
    let mut shared: HashMap<(String, String), Vec<String>> = HashMap::new();
    {
        let step = "reading the shared callers and links";
        let mut stmt = conn
            .prepare(queries::SUBJECTS_PLACING_SHARED)
            .map_err(failed(step))?;
        let mut rows = stmt.query([]).map_err(failed(step))?;
        while let Some(r) = rows.next().map_err(failed(step))? {
            let hash: i64 = r.get(1).map_err(failed(step))?;
            if let Some((_, key)) = key_names.get(&hash) {
                if key.starts_with("o:") || key.starts_with("c:") {
                    shared
                        .entry((
                            r.get(0).map_err(failed(step))?,
                            r.get(2).map_err(failed(step))?,
                        ))
                        .or_default()
                        .push(key.clone());
                }
            }
        }
    }
    tracing::debug!(elapsed = ?t0.elapsed(), "new addresses parsed");
    // Every address of the known places the new ones may join.
    {
        let step = "reading the places new addresses may join";
        let mut stmt = conn
            .prepare(queries::SUBJECTS_PLACING_MEMBERS)
            .map_err(failed(step))?;
        let mut rows = stmt
            .query(params![cluster::MAX_BLOCK as i64])
            .map_err(failed(step))?;
        tracing::debug!(elapsed = ?t0.elapsed(), "members query run");
        while let Some(r) = rows.next().map_err(failed(step))? {
            let category: String = r.get(0).map_err(failed(step))?;
            let address: String = r.get(1).map_err(failed(step))?;
            let subject_address: String = r.get(2).map_err(failed(step))?;
            let reason: String = r.get(3).map_err(failed(step))?;
            let why = why_of(
                &reason,
                r.get(4).map_err(failed(step))?,
                r.get(5).map_err(failed(step))?,
                r.get(6).map_err(failed(step))?,
            );
            let orders: i64 = r.get(7).map_err(failed(step))?;
            let candidate: bool = r.get(8).map_err(failed(step))?;
            let raw: Option<String> = r.get(9).map_err(failed(step))?;
            let street: Option<String> = r.get(10).map_err(failed(step))?;
            let Some(local) = matters.get_mut(&category) else {
                continue;
            };
            let parsed = match &raw {
                Some(raw) => {
                    matcher
                        .place(raw, &address, street.as_deref().unwrap_or(""))
                        .0
                }
                None => matcher.parse(&address),
            };
            local.push(
                Entry {
                    evidence: shared
                        .remove(&(category.clone(), address.clone()))
                        .unwrap_or_default(),
                    address,
                    parsed,
                    orders: orders as u64,
                },
                None,
                Some(Stored {
                    subject_address,
                    why,
                    candidate,
                }),
            );
        }
    }
    tracing::debug!(elapsed = ?t0.elapsed(), "members read");
    // The keys the whole grouping would not look into, for being too common.
    let mut common: HashMap<String, HashSet<u64>> = HashMap::new();
    {
        let step = "reading the common block keys";
        let mut stmt = conn
            .prepare(queries::SUBJECTS_PLACING_COMMON_KEYS)
            .map_err(failed(step))?;
        let mut rows = stmt
            .query(params![cluster::MAX_BLOCK as i64])
            .map_err(failed(step))?;
        while let Some(r) = rows.next().map_err(failed(step))? {
            let hash: i64 = r.get(0).map_err(failed(step))?;
            if let Some((category, key)) = key_names.get(&hash) {
                common
                    .entry(category.clone())
                    .or_default()
                    .insert(cluster::key_id(key));
            }
        }
    }
    tracing::debug!(elapsed = ?t0.elapsed(), "known places read");
    let mut map = conn
        .appender("subject_map")
        .map_err(failed("writing the new addresses' places"))?;
    let mut regroup = conn
        .prepare(queries::SUBJECTS_REGROUP_MEMBER)
        .map_err(failed("regrouping known places"))?;
    let mut rename = conn
        .prepare(queries::SUBJECTS_RENAME_SUGGESTIONS)
        .map_err(failed("moving suggestions"))?;
    let mut suggest = conn
        .prepare(queries::SUBJECTS_SUGGESTION_ADD)
        .map_err(failed("writing the suggestions"))?;
    let in_force: Vec<Decision> = decisions(store)?
        .into_iter()
        .filter(|d| d.undone_at.is_none())
        .collect();
    for (category, local) in &matters {
        let no_keys = HashSet::new();
        let common_keys = common.get(category).unwrap_or(&no_keys);
        let grouping = group_local(local, category, &in_force, common_keys, matcher);
        let entries = &local.entries;
        let mut renamed: BTreeMap<&str, &str> = BTreeMap::new();
        for (i, entry) in entries.iter().enumerate() {
            let rep = &entries[grouping.representative[i]].address;
            match (&local.members[i], &local.stored[i]) {
                (Some(members), _) => {
                    if grouping.representative[i] == i {
                        done.subjects += 1;
                    }
                    let (reason, with, on, score) = stored_why(&grouping.why[i]);
                    for m in members {
                        map.append_row(params![
                            m.raw_category,
                            entry.address,
                            category,
                            rep,
                            reason,
                            with,
                            on,
                            score,
                            entry.orders as i64,
                            m.own_address,
                            m.street,
                            m.raw
                        ])
                        .map_err(failed("writing the new addresses' places"))?;
                    }
                }
                (None, Some(stored)) if stored.subject_address != *rep => {
                    let (reason, with, on, score) = stored_why(&grouping.why[i]);
                    regroup
                        .execute(params![
                            category,
                            entry.address,
                            rep,
                            reason,
                            with,
                            on,
                            score
                        ])
                        .map_err(failed("regrouping known places"))?;
                    renamed.insert(&stored.subject_address, rep);
                }
                _ => {}
            }
        }
        for (old, new) in renamed {
            rename
                .execute(params![category, old, new])
                .map_err(failed("moving suggestions"))?;
        }
        for (a, b, score, on) in &grouping.suggestions {
            let ra = &entries[grouping.representative[*a]].address;
            let rb = &entries[grouping.representative[*b]].address;
            let (ra, rb) = if ra <= rb { (ra, rb) } else { (rb, ra) };
            done.suggestions += suggest
                .execute(params![category, ra, rb, score, on.as_str()])
                .map_err(failed("writing the suggestions"))?;
        }
    }
    tracing::debug!(elapsed = ?t0.elapsed(), "new addresses grouped");
    map.flush()
        .map_err(failed("writing the new addresses' places"))?;
    drop(map);
    conn.execute_batch(queries::SUBJECTS_PLACE_BLOCKS)
        .map_err(failed("writing the block keys"))?;
    store.set_setting(STATE_KEY, state)?;
    Ok(done)
}

/// Groups one matter's new addresses with the known places they may join, those places
/// taken as made: each stored address joined as its explanation says, and to its place's
/// name (with the match, when there is one, so an explanation never claims a decision that
/// was not made).
fn group_local(
    local: &Local,
    category: &str,
    in_force: &[Decision],
    common_keys: &HashSet<u64>,
    matcher: &Matcher,
) -> cluster::Grouping {
    let entries = &local.entries;
    let find = |a: &str| local.by_address.get(a).copied();
    let apart = decided(in_force, "separate", category, find);
    let mut joined: Vec<Joined> = decided(in_force, "merge", category, find)
        .into_iter()
        .map(|(a, b)| (a, b, None))
        .collect();
    let mut keep = Vec::new();
    let mut to_name = Vec::new();
    for (i, stored) in local.stored.iter().enumerate() {
        let Some(stored) = stored else { continue };
        let Some(&rep) = local.by_address.get(&stored.subject_address) else {
            continue;
        };
        if rep == i {
            keep.push(i);
            continue;
        }
        match &stored.why {
            Why::Matched { with, on, score } => {
                if let Some(&w) = local.by_address.get(with) {
                    joined.push((i, w, Some((*on, *score))));
                }
            }
            Why::Decision { with } => {
                if let Some(&w) = local.by_address.get(with) {
                    joined.push((i, w, None));
                }
            }
            Why::Itself => {}
        }
        to_name.push((i, rep));
    }
    let corpus = Corpus::of(entries.iter().map(|e| &e.parsed));
    for (i, rep) in to_name {
        let evidence = match compare(
            &entries[i].parsed,
            &entries[rep].parsed,
            &matcher.gazetteer,
            &corpus,
        ) {
            Verdict::Score { score, on } => Some((on, score)),
            _ => None,
        };
        joined.push((i, rep, evidence));
    }
    let new: Vec<bool> = local.members.iter().map(Option::is_some).collect();
    let looked_up: Vec<bool> = local
        .stored
        .iter()
        .map(|s| s.as_ref().is_none_or(|s| s.candidate))
        .collect();
    cluster::group(
        entries,
        &Rules {
            merge_at: matcher.merge_at,
            suggest_at: matcher.suggest_at,
            joined: &joined,
            apart: &apart,
            keep: &keep,
            corpus: &corpus,
            placing: Some(cluster::Placing {
                new: &new,
                looked_up: &looked_up,
                common_keys,
            }),
        },
        &matcher.gazetteer,
    )
}
