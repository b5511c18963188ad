//! Grouping the addresses of one matter into places: candidate pairs come from blocks
//! (road+number, junction, place name and their one-slip neighbours, never all pairs),
//! are scored, and joined strongest first; two groups join only when no address of one
//! contradicts an address of the other, so a third address can never chain two different
//! places together. Callers are evidence too: a shared caller makes an uncertain pair one,
//! and two callers each at both of two places make them one. Pairs between the two
//! thresholds that stay apart, and two places one caller gives, are suggestions for an
//! admin. An admin's decisions (join, keep apart) come first. Pure: no I/O.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::address::ParsedAddress;
use super::compare::{compare, Corpus, MatchOn, Verdict};
use super::gazetteer::Gazetteer;
use super::sound;

/// One distinct address of a matter, with how many orders use it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub address: String,
    pub parsed: ParsedAddress,
    pub orders: u64,
    /// What the data says of its orders beyond the address: `c:` a caller (the same phone
    /// about the same matter), `o:` an order id it is linked to or from (关联工单, or an id
    /// a complaint's text writes: order_links.sql). Shared with
    /// another address, it is evidence that the two are one place (see `group`).
    pub evidence: Vec<String>,
}

/// Why an address is in its group.
#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    /// It is the group's own (most used) spelling.
    Itself,
    /// Matched another address of the group.
    Matched {
        with: String,
        on: MatchOn,
        score: f64,
    },
    /// An admin joined it.
    Decision { with: String },
}

/// Where each address went: the index of its group's representative entry, and why.
#[derive(Debug, Clone)]
pub struct Grouping {
    pub representative: Vec<usize>,
    pub why: Vec<Why>,
    /// Pairs (entry, entry, score, on) scored between the thresholds that stayed apart, and
    /// pairs of places one caller gives (on `MatchOn::Caller`, at `suggest_at`).
    pub suggestions: Vec<(usize, usize, f64, MatchOn)>,
}

/// A pair of entries joined before any scoring, with the match that joined them when
/// there was one (None: an admin's decision).
pub type Joined = (usize, usize, Option<(MatchOn, f64)>);

/// The thresholds and what is settled beforehand for one matter.
pub struct Rules<'a> {
    pub merge_at: f64,
    pub suggest_at: f64,
    /// Pairs joined beforehand: an admin's decisions, or groups already made.
    pub joined: &'a [Joined],
    /// Pairs of entry indexes an admin kept apart.
    pub apart: &'a [(usize, usize)],
    /// Entries that stay their group's representative (the most used of them when a group
    /// holds several), so that a place keeps its name as new spellings join it.
    pub keep: &'a [usize],
    /// What the data says of its place names.
    pub corpus: &'a Corpus,
    /// When new addresses are placed among part of a matter: which entries are new (only
    /// pairs with a new one are scored; the others were when their places were made) and
    /// the block keys too common in the whole matter to be looked into.
    pub placing: Option<Placing<'a>>,
}

/// See `Rules::placing`.
#[derive(Clone, Copy)]
pub struct Placing<'a> {
    pub new: &'a [bool],
    /// The entries that share a block key with a new one (the new ones included): the
    /// others cannot pair with a new one, and their keys are not worked out.
    pub looked_up: &'a [bool],
    /// By `key_id`.
    pub common_keys: &'a HashSet<u64>,
}

/// The block key of a place's name (its core): `p:` and the name.
pub(crate) fn name_key(core: &str) -> String {
    format!("p:{core}")
}

/// The block keys of an address: candidates share at least one.
pub(crate) fn blocks(p: &ParsedAddress) -> Vec<String> {
    let mut keys = Vec::new();
    let masked = |text: &str| -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        if chars.len() >= 3 {
            for i in 0..chars.len() {
                let mut c = chars.clone();
                c[i] = '*';
                out.push(c.into_iter().collect());
                // A missing character: the neighbour of the longer name.
                let mut d = chars.clone();
                d.remove(i);
                out.push(d.into_iter().collect::<String>() + "~");
            }
            out.push(text.to_string() + "~");
        }
        out
    };
    if let Some(road) = &p.road {
        let n = p.number.clone().unwrap_or_default();
        keys.push(format!("r:{road}:{n}"));
        for k in sound::keys(road) {
            keys.push(format!("y:{k}:{n}"));
        }
        for m in masked(road) {
            keys.push(format!("rm:{m}:{n}"));
        }
    }
    if let Some((x, y)) = &p.junction {
        keys.push(format!("j:{x}|{y}"));
        // Junctions sharing a road: a slip in the other one still meets.
        keys.push(format!("jr:{x}"));
        keys.push(format!("jr:{y}"));
        // And by sound (前景西路与东庭湖路 for 前进西路与洞庭湖路).
        for k in sound::keys(x).into_iter().chain(sound::keys(y)) {
            keys.push(format!("jy:{k}"));
        }
    }
    for name in p.place_name().into_iter().chain(&p.aka) {
        let core = &name.core;
        keys.push(name_key(core));
        for k in sound::keys(core).into_iter().chain(sound::latin_keys(core)) {
            keys.push(format!("py:{k}"));
        }
        for m in masked(core) {
            keys.push(format!("pm:{m}"));
        }
        // A name held in another (碧桂园 / 碧桂园于都府) shares a pair of characters with
        // it, by sound.
        let chars: Vec<char> = core.chars().collect();
        for pair in chars.windows(2) {
            let pair: String = pair.iter().collect();
            if let Some(k) = sound::keys(&pair).first() {
                keys.push(format!("pb:{k}"));
            }
        }
        // Numbered siblings share a block so that they are seen to differ.
        let bare: String = core.chars().filter(|c| !c.is_ascii_digit()).collect();
        if bare != *core {
            keys.push(format!("pn:{bare}"));
        }
    }
    if let Some(anchor) = &p.anchor {
        keys.push(format!("a:{anchor}"));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// A block key's number in the grouping's index (FNV-1a, 64 bits).
pub(crate) fn key_id(key: &str) -> u64 {
    super::fnv1a(&[key])
}

/// A shared key's evidence: a link (关联工单) or a caller; and whether the key is a loose
/// one (a caller, a pair of characters of a name), looked into only in small blocks.
const LINKED: u8 = 1;
const SAME_CALLER: u8 = 2;
const LOOSE: u8 = 4;

/// How many callers two places share (each complaining at both) to be one place when
/// nothing in their addresses says it; the most places of a matter a caller may be at and
/// still say anything (at more, it says nothing); and the score such a join is shown with.
const CALLERS_ONE_PLACE: usize = 2;
const CALLER_PLACES: usize = 3;
const CALLER_SCORE: f64 = 0.9;
/// The most pairs of addresses looked into before one caller's two places are asked about.
const CALLER_QUESTION_PAIRS: usize = 4096;

/// The largest block of a loose key looked into.
const LOOSE_BLOCK: usize = 24;

fn key_kind(key: &str) -> u8 {
    if key.starts_with("o:") {
        LINKED
    } else if key.starts_with("c:") {
        SAME_CALLER | LOOSE
    } else if key.starts_with("pb:") {
        LOOSE
    } else {
        0
    }
}

/// A verdict with what the data adds: two addresses whose orders 关联工单 links are one place
/// unless the addresses contradict each other; the same caller about the same matter
/// makes an uncertain match (a suggestion) one place. Callers alone, with nothing in the
/// addresses, join two places only when two of them complain at both (see `group`).
fn with_evidence(verdict: Verdict, flags: u8, rules: &Rules<'_>) -> Verdict {
    match verdict {
        Verdict::Different(_) => verdict,
        _ if flags & LINKED != 0 => {
            let score = match verdict {
                Verdict::Score { score, .. } => score.max(0.96),
                _ => 0.96,
            };
            Verdict::Score {
                score,
                on: MatchOn::Link,
            }
        }
        Verdict::Score { score, on } if flags & SAME_CALLER != 0 && score >= rules.suggest_at => {
            Verdict::Score {
                score: score.max(rules.merge_at),
                on,
            }
        }
        other => other,
    }
}

/// The address on the other side of an address's first join, and the match (None for an
/// admin's decision).
type FirstJoin = (usize, Option<(MatchOn, f64)>);

/// Largest block looked into pair by pair; a bigger one (a very common key) is skipped,
/// since its pairs are found through their other keys.
pub(crate) const MAX_BLOCK: usize = 400;

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// How well a spelling names its place, for a name people read: a road with its door
/// number, a place's name and a town count; characters beyond what names the place (a
/// remark, a caller's room, a province written out) count against it.
fn written_well(e: &Entry) -> i64 {
    let p = &e.parsed;
    let mut score = 0i64;
    if p.road.is_some() && p.number.is_some() {
        score += 20;
    }
    if p.junction.is_some() {
        score += 20;
    }
    let named = p
        .place_name()
        .is_some_and(|n| n.core.chars().count() >= 2 && !super::name::is_kind(&n.core));
    if named {
        score += 20;
    }
    if p.town.is_some() {
        score += 5;
    }
    let said: usize = [&p.town, &p.road, &p.number, &p.poi]
        .iter()
        .filter_map(|part| part.as_ref().map(|t| t.chars().count()))
        .sum::<usize>()
        + p.junction
            .as_ref()
            .map_or(0, |(x, y)| x.chars().count() + y.chars().count());
    // Suffixes (路, 号, 与, 交叉口) are not parts but are no noise either.
    let extra = e.address.chars().count().saturating_sub(said + 5);
    // What cutting a position off the end left of it (工地大 of 工地大门口, 一中校 of 一中校门口)
    // is no name at all.
    let fragment = e.address.chars().last().is_some_and(|last| {
        "大校东西南北正侧后前".contains(last)
            && ![&p.poi, &p.road, &p.town]
                .iter()
                .any(|part| part.as_ref().is_some_and(|t| t.ends_with(last)))
    });
    score - extra as i64 - if fragment { 30 } else { 0 }
}

/// Groups the entries of one matter.
pub fn group(entries: &[Entry], rules: &Rules<'_>, gazetteer: &Gazetteer) -> Grouping {
    let n = entries.len();
    // Block keys by their number (a hash: millions of keys at a million orders, most of
    // them a caller's with one address), each beside its entry and what kind of evidence it
    // is; sorted, a key's members are a run.
    let mut index: Vec<(u64, u32, u8)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if e.parsed.is_vague() {
            continue; // a town alone, or punctuation: it stays on its own
        }
        if rules.placing.is_some_and(|p| !p.looked_up[i]) {
            continue;
        }
        for key in blocks(&e.parsed).iter().chain(&e.evidence) {
            index.push((key_id(key), i as u32, key_kind(key)));
        }
    }
    index.sort_unstable();
    // The pairs to score, with the evidence they share.
    let mut shared: BTreeMap<(usize, usize), u8> = BTreeMap::new();
    let mut keys = 0usize;
    for run in index.chunk_by(|a, b| a.0 == b.0) {
        keys += 1;
        let (key, _, kind) = run[0];
        let flag = kind & (LINKED | SAME_CALLER);
        // A pair of characters or a caller shared by many says little: only small
        // blocks of them are looked into.
        let largest = if kind & LOOSE != 0 {
            LOOSE_BLOCK
        } else {
            MAX_BLOCK
        };
        if run.len() < 2 || run.len() > largest {
            continue;
        }
        if rules.placing.is_some_and(|p| p.common_keys.contains(&key)) {
            continue;
        }
        for (k, &(_, a, _)) in run.iter().enumerate() {
            for &(_, b, _) in &run[k + 1..] {
                let (a, b) = (a as usize, b as usize);
                let pair = (a.min(b), a.max(b));
                if pair.0 == pair.1 {
                    continue;
                }
                if rules.placing.is_some_and(|p| !p.new[a] && !p.new[b]) {
                    continue;
                }
                *shared.entry(pair).or_default() |= flag;
            }
        }
    }
    tracing::trace!(pairs = shared.len(), keys, "pairs to score");
    // Each address's callers, for the places callers give (below). A number too common to
    // look into when placing is no evidence then either, as it is none in a whole regroup
    // (its place count is over the limit there).
    let mut callers: Vec<Vec<u64>> = vec![Vec::new(); n];
    for &(key, i, kind) in &index {
        if kind & SAME_CALLER != 0 && !rules.placing.is_some_and(|p| p.common_keys.contains(&key)) {
            callers[i as usize].push(key);
        }
    }
    drop(index);
    let scored: BTreeMap<(usize, usize), Verdict> = shared
        .into_iter()
        .map(|(pair, flags)| {
            let verdict = compare(
                &entries[pair.0].parsed,
                &entries[pair.1].parsed,
                gazetteer,
                rules.corpus,
            );
            (pair, with_evidence(verdict, flags, rules))
        })
        .collect();
    // Members of each group, to check a join against every address of both.
    let mut parent: Vec<usize> = (0..n).collect();
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let apart: std::collections::HashSet<(usize, usize)> = rules
        .apart
        .iter()
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .collect();
    // The first pair of addresses, one of each group, that are not one place.
    let conflict = |x: &[usize], y: &[usize], scored: &BTreeMap<(usize, usize), Verdict>| {
        x.iter().find_map(|&a| {
            y.iter().find_map(|&b| {
                let pair = (a.min(b), a.max(b));
                if apart.contains(&pair) {
                    return Some((pair, "kept apart"));
                }
                match scored.get(&pair) {
                    Some(Verdict::Different(why)) => Some((pair, *why)),
                    Some(_) => None,
                    None => match compare(
                        &entries[a].parsed,
                        &entries[b].parsed,
                        gazetteer,
                        rules.corpus,
                    ) {
                        Verdict::Different(why) => Some((pair, why)),
                        _ => None,
                    },
                }
            })
        })
    };
    // The first join each address took part in, with the address on the other side: why
    // it is in its group (unless it is the group's own spelling).
    let mut first_join: Vec<Option<FirstJoin>> = vec![None; n];
    let mut join = |a: usize,
                    b: usize,
                    evidence: Option<(MatchOn, f64)>,
                    parent: &mut Vec<usize>,
                    members: &mut Vec<Vec<usize>>,
                    check: bool|
     -> bool {
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra == rb {
            return true;
        }
        if check {
            if let Some(((x, y), why)) = conflict(&members[ra], &members[rb], &scored) {
                tracing::trace!(
                    a = entries[a].address,
                    b = entries[b].address,
                    apart = format!("{} | {}", entries[x].address, entries[y].address),
                    why,
                    "not joined"
                );
                return false;
            }
        }
        let moved = std::mem::take(&mut members[rb]);
        members[ra].extend(moved);
        parent[rb] = ra;
        first_join[a].get_or_insert((b, evidence));
        first_join[b].get_or_insert((a, evidence));
        true
    };
    for &(a, b, evidence) in rules.joined {
        join(a, b, evidence, &mut parent, &mut members, false);
    }
    let mut edges: Vec<(f64, usize, usize, MatchOn)> = scored
        .iter()
        .filter_map(|(&(a, b), v)| match v {
            Verdict::Score { score, on } if *score >= rules.suggest_at => Some((*score, a, b, *on)),
            _ => None,
        })
        .collect();
    // Strongest first; ties in a fixed order so that the grouping is reproducible.
    edges.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut maybe = Vec::new();
    for &(score, a, b, on) in &edges {
        if score >= rules.merge_at {
            join(a, b, Some((on, score)), &mut parent, &mut members, true);
        } else {
            maybe.push((a, b, score, on));
        }
    }
    // Places that the same callers give for the same matter: two groups that at least
    // CALLERS_ONE_PLACE callers each complain at (under names nothing in the addresses ties
    // together: a site by its project and by its contractor) are one, unless an address of
    // one contradicts an address of the other. A caller at more than CALLER_PLACES places
    // of the matter (a neighbour who reports them all, a shared number) says nothing.
    // Where each caller is, by group; a caller at too many places is left out once and for
    // all, so that joins made by others cannot bring it under the limit.
    let places_of_callers = |parent: &mut Vec<usize>| {
        let mut places_of: BTreeMap<u64, Vec<(usize, usize)>> = BTreeMap::new();
        for (i, keys) in callers.iter().enumerate() {
            for &k in keys {
                let root = find(parent, i);
                places_of.entry(k).or_default().push((root, i));
            }
        }
        for places in places_of.values_mut() {
            places.sort_unstable();
            places.dedup_by_key(|p| p.0);
        }
        places_of
    };
    let mut places_of = places_of_callers(&mut parent);
    let too_many: HashSet<u64> = places_of
        .iter()
        .filter(|(_, places)| places.len() > CALLER_PLACES)
        .map(|(&k, _)| k)
        .collect();
    // Pairs of groups found to contradict each other, not checked again while both stand.
    let mut apart_groups: HashSet<(usize, usize)> = HashSet::new();
    loop {
        let mut bridges: BTreeMap<(usize, usize), (usize, usize, usize)> = BTreeMap::new();
        for (k, places) in places_of {
            if places.len() < 2 || places.len() > CALLER_PLACES || too_many.contains(&k) {
                continue;
            }
            for (x, &(ra, a)) in places.iter().enumerate() {
                for &(rb, b) in &places[x + 1..] {
                    let bridge = bridges.entry((ra, rb)).or_insert((0, a, b));
                    bridge.0 += 1;
                    // The same pair of spellings whatever order the callers come in.
                    if (a, b) < (bridge.1, bridge.2) {
                        (bridge.1, bridge.2) = (a, b);
                    }
                }
            }
        }
        bridges.retain(|roots, _| !apart_groups.contains(roots));
        let (mut strongest, weak): (Vec<(usize, usize, usize)>, Vec<_>) = bridges
            .into_values()
            .partition(|&(count, _, _)| count >= CALLERS_ONE_PLACE);
        strongest.sort_by(|x, y| y.0.cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
        let mut joined = false;
        for (_, a, b) in strongest {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra == rb {
                continue;
            }
            if join(
                a,
                b,
                Some((MatchOn::Caller, CALLER_SCORE)),
                &mut parent,
                &mut members,
                true,
            ) {
                joined = true;
            } else {
                apart_groups.insert((ra.min(rb), ra.max(rb)));
            }
        }
        if !joined {
            // One caller at two places is a question for an admin, unless the places
            // contradict each other (looked into for groups of a size a person reads).
            for (_, a, b) in weak {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                if members[ra].len() * members[rb].len() <= CALLER_QUESTION_PAIRS
                    && conflict(&members[ra], &members[rb], &scored).is_none()
                {
                    maybe.push((a, b, rules.suggest_at, MatchOn::Caller));
                }
            }
            break;
        }
        places_of = places_of_callers(&mut parent);
    }
    // The representative: the group's best-written spelling (the most of road and door,
    // place and town, the least else), then the most used, then the first in order; among
    // the entries it must keep when it has any.
    let mut kept = vec![false; n];
    for &k in rules.keep {
        kept[k] = true;
    }
    let rank = |i: usize| {
        let e = &entries[i];
        (
            kept[i],
            written_well(e),
            e.orders,
            std::cmp::Reverse(e.address.as_str()),
        )
    };
    // Each group's best so far, with its rank (worked out once an entry).
    let mut best = HashMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        let mine = rank(i);
        let entry = best.entry(root).or_insert((i, mine));
        if mine > entry.1 {
            *entry = (i, mine);
        }
    }
    let representative: Vec<usize> = (0..n)
        .map(|i| {
            let root = find(&mut parent, i);
            best[&root].0
        })
        .collect();
    let why = (0..n)
        .map(|i| match first_join[i] {
            _ if representative[i] == i => Why::Itself,
            Some((other, Some((on, score)))) => Why::Matched {
                with: entries[other].address.clone(),
                on,
                score,
            },
            Some((other, None)) => Why::Decision {
                with: entries[other].address.clone(),
            },
            None => Why::Itself,
        })
        .collect();
    // An admin who kept two places apart is not asked about them again.
    let kept_apart: std::collections::HashSet<(usize, usize)> = rules
        .apart
        .iter()
        .map(|&(a, b)| {
            let (x, y) = (representative[a], representative[b]);
            (x.min(y), x.max(y))
        })
        .collect();
    let suggestions = maybe
        .into_iter()
        .filter(|&(a, b, _, _)| {
            let (x, y) = (representative[a], representative[b]);
            x != y && !kept_apart.contains(&(x.min(y), x.max(y)))
        })
        .collect();
    Grouping {
        representative,
        why,
        suggestions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subjects::address::parse_plain;

    static CORPUS: std::sync::LazyLock<Corpus> = std::sync::LazyLock::new(Corpus::default);

    fn entries(addresses: &[(&str, u64)]) -> Vec<Entry> {
        addresses
            .iter()
            .map(|(a, n)| Entry {
                address: a.to_string(),
                parsed: parse_plain(a),
                orders: *n,
                evidence: Vec::new(),
            })
            .collect()
    }

    fn rules() -> Rules<'static> {
        Rules {
            merge_at: 0.85,
            suggest_at: 0.6,
            joined: &[],
            apart: &[],
            keep: &[],
            corpus: &CORPUS,
            placing: None,
        }
    }

    #[test]
    fn a_third_address_never_chains_two_different_places() {
        // The place alone matches both; the two door numbers contradict each other.
        let e = entries(&[
            ("开元东路18号好又多超市", 5),
            ("好又多超市", 3),
            ("开元东路88号好又多超市", 4),
        ]);
        let g = group(&e, &rules(), &Gazetteer::default());
        assert_ne!(g.representative[0], g.representative[2]);
        assert!(
            g.representative[1] == g.representative[0]
                || g.representative[1] == g.representative[2]
        );
    }

    #[test]
    fn variants_join_the_best_written_spelling_then_the_most_used() {
        let e = entries(&[
            ("开元东路18号某某商场", 2),
            ("星沙街道开元东路十八号", 7),
            ("某某商场开元东路18号", 1),
        ]);
        let g = group(&e, &rules(), &Gazetteer::default());
        // Road, door and place: written better than road, door and town, however used.
        assert_eq!(g.representative, vec![0, 0, 0]);
        assert_eq!(g.why[0], Why::Itself);
        assert!(matches!(g.why[1], Why::Matched { .. }), "{:?}", g.why[1]);
        // Of two written as well, the most used.
        let e = entries(&[("开元东路18号某某商场", 2), ("某某商场开元东路18号", 5)]);
        assert_eq!(
            group(&e, &rules(), &Gazetteer::default()).representative,
            vec![1, 1]
        );
        // A remark in the spelling (normalization drops only its brackets) counts
        // against it.
        let mut e = entries(&[
            ("开元东路18号某某商场（来电人要求保密）", 9),
            ("开元东路18号某某商场", 1),
        ]);
        e[0].address = "开元东路18号某某商场来电人要求保密".into();
        assert_eq!(
            group(&e, &rules(), &Gazetteer::default()).representative,
            vec![1, 1]
        );
    }

    #[test]
    fn an_admins_decisions_come_first() {
        let e = entries(&[
            ("开元东路18号", 2),
            ("开元东路十八号", 1),
            ("星沙大道5号", 1),
        ]);
        let apart = [(0, 1)];
        let joined = [(0, 2, None)];
        let g = group(
            &e,
            &Rules {
                merge_at: 0.85,
                suggest_at: 0.6,
                joined: &joined,
                apart: &apart,
                keep: &[],
                corpus: &CORPUS,
                placing: None,
            },
            &Gazetteer::default(),
        );
        assert_ne!(g.representative[0], g.representative[1]);
        assert_eq!(g.representative[0], g.representative[2]);
    }

    #[test]
    fn a_kept_representative_keeps_its_group_however_used_a_new_spelling_is() {
        let e = entries(&[
            ("开元东路18号某某商场", 2),
            ("星沙街道开元东路十八号", 7),
            ("某某商场开元东路18号", 1),
        ]);
        let g = group(
            &e,
            &Rules {
                keep: &[2],
                ..rules()
            },
            &Gazetteer::default(),
        );
        assert_eq!(g.representative, vec![2, 2, 2]);
        assert_eq!(g.why[2], Why::Itself);
        assert!(matches!(g.why[1], Why::Matched { .. }), "{:?}", g.why[1]);
    }

    #[test]
    fn an_address_of_only_a_town_stays_on_its_own() {
        let e = entries(&[("星沙街道", 3), ("星沙街道开元东路18号", 2), ("", 1)]);
        let g = group(&e, &rules(), &Gazetteer::default());
        assert_eq!(g.representative, vec![0, 1, 2]);
    }

    fn with_callers(mut e: Vec<Entry>, callers: &[&[&str]]) -> Vec<Entry> {
        for (entry, said) in e.iter_mut().zip(callers) {
            entry.evidence = said.iter().map(|c| format!("c:{c}")).collect();
        }
        e
    }

    #[test]
    fn two_callers_at_two_names_make_them_one_place() {
        // A site by its project and by its contractor: nothing in the names ties them.
        let names = [("御景湾二期工地", 6), ("中建三局项目部", 3)];
        let g = group(&entries(&names), &rules(), &Gazetteer::default());
        assert_ne!(g.representative[0], g.representative[1]);
        let e = with_callers(entries(&names), &[&["138", "139", "137"], &["138", "139"]]);
        let g = group(&e, &rules(), &Gazetteer::default());
        assert_eq!(g.representative, vec![0, 0]);
        assert!(
            matches!(&g.why[1], Why::Matched { on: MatchOn::Caller, with, .. } if with == "御景湾二期工地"),
            "{:?}",
            g.why[1]
        );
        // One caller at both is a question for an admin, not a join.
        let e = with_callers(entries(&names), &[&["138", "137"], &["138"]]);
        let g = group(&e, &rules(), &Gazetteer::default());
        assert_ne!(g.representative[0], g.representative[1]);
        assert_eq!(g.suggestions.len(), 1);
        assert_eq!(g.suggestions[0].3, MatchOn::Caller);
    }

    #[test]
    fn callers_never_join_what_the_addresses_tell_apart() {
        // Two callers at both door numbers: the numbers win, and no one is asked.
        let e = with_callers(
            entries(&[("开元东路18号", 4), ("开元东路88号", 2)]),
            &[&["138", "139"], &["138", "139"]],
        );
        let g = group(&e, &rules(), &Gazetteer::default());
        assert_ne!(g.representative[0], g.representative[1]);
        assert!(g.suggestions.is_empty(), "{:?}", g.suggestions);
    }

    #[test]
    fn callers_at_many_places_say_nothing() {
        // Two neighbours who report every site around them.
        let e = with_callers(
            entries(&[
                ("御景湾二期工地", 6),
                ("中建三局项目部", 3),
                ("星沙大道地铁站工地", 2),
                ("金茂悦三期工地", 2),
            ]),
            &[&["138", "139"][..]; 4],
        );
        let g = group(&e, &rules(), &Gazetteer::default());
        assert_eq!(g.representative, vec![0, 1, 2, 3]);
        assert!(g.suggestions.is_empty(), "{:?}", g.suggestions);
        // Nor once two other callers have joined two of the places.
        let e = with_callers(
            e,
            &[
                &["138", "139", "150", "151"],
                &["138", "139", "150", "151"],
                &["138", "139"],
                &["138", "139"],
            ],
        );
        let g = group(&e, &rules(), &Gazetteer::default());
        assert_eq!(g.representative[0], g.representative[1]);
        assert_ne!(g.representative[0], g.representative[2]);
        assert_ne!(g.representative[2], g.representative[3]);
    }

    #[test]
    fn a_caller_makes_an_uncertain_match_one() {
        // The same village, a kind word apart: a suggestion alone, one place with a caller.
        let names = [("东张寨村北地养殖场", 3), ("东张寨养猪场", 6)];
        let g = group(&entries(&names), &rules(), &Gazetteer::default());
        assert_ne!(g.representative[0], g.representative[1]);
        assert_eq!(g.suggestions.len(), 1, "{:?}", g.suggestions);
        let e = with_callers(entries(&names), &[&["138"], &["138", "139"]]);
        let g = group(&e, &rules(), &Gazetteer::default());
        assert_eq!(g.representative[0], g.representative[1]);
    }
}
