//! Subjects (诉求对象) as call-takers write them: which exported addresses name one place
//! for one matter. In fuzzy matching (the default) every exported (category, normalized
//! address) is mapped to its matter and to its place's representative address, and the
//! map is stored (`subject_map`) for the analysis to join; in exact matching the map is not
//! used and a subject is `canonical category | normalized address`, as before.
//!
//! The map is made again whenever what it is made by changes: the address rules, the
//! gazetteer, the thresholds, the category words, or an admin's decision. A new export
//! file only places its new addresses (`place`): each joins a known place or starts one,
//! looked up through the stored block keys, so a weekly export costs what it brings, not
//! what is stored. This module reads work orders and writes only its own tables.

pub mod address;
pub mod category;
pub mod clean;
pub mod cluster;
pub mod compare;
pub mod content;
pub mod decide;
pub mod divisions;
pub mod evaluate;
pub mod gazetteer;
pub mod name;
pub mod numerals;
mod place;
pub mod sound;

pub use decide::{Grounds, PlacedBy};

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDateTime;
use duckdb::params;
use sha2::{Digest, Sha256};

use crate::config::{Config, Matching};
use crate::queries;
use crate::store::Store;
use address::{Context, ParsedAddress};
use category::Categories;
use cluster::{Entry, Why};
use compare::Corpus;
use divisions::{Divisions, Local};
use gazetteer::{Gazetteer, GazetteerError};

/// The setting that records what the stored map was made from.
pub const STATE_KEY: &str = "subjects_state";

/// The setting that records the squad's own counties, as the last whole grouping found
/// them in the data (placing new addresses reads them back).
const LOCAL_KEY: &str = "subjects_local_counties";

/// Bump when parsing, scoring or grouping changes, so stored maps are made again.
const RULES_VERSION: u32 = 32;

#[derive(Debug, thiserror::Error)]
pub enum SubjectsError {
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
    #[error("the database failed while {step}: {source}")]
    Database { step: String, source: duckdb::Error },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("{0}")]
    Decision(String),
    /// A decision names a subject or a decision the data does not hold.
    #[error("{0}")]
    NotFound(String),
}

pub(crate) fn failed(step: &str) -> impl FnOnce(duckdb::Error) -> SubjectsError + '_ {
    move |source| SubjectsError::Database {
        step: step.to_string(),
        source,
    }
}

/// What fuzzy matching needs: the gazetteer, the category words, the thresholds, and the
/// squad's own counties.
#[derive(Clone)]
pub struct Matcher {
    pub gazetteer: Gazetteer,
    pub categories: Categories,
    pub merge_at: f64,
    pub suggest_at: f64,
    /// The squad's own counties (from the data and the configured prefixes).
    pub local: Local,
    /// The configured administrative prefixes, as address characters.
    prefixes: Vec<Vec<char>>,
    /// The counties the configured prefixes name.
    configured: Vec<u32>,
    /// How an address read from a complaint's text is normalized, as ingest does it.
    normalizer: crate::normalize::AddressNormalizer,
    /// A digest of all of it, for the stored map's state.
    fingerprint: String,
    /// The county the gazetteer describes, when it is the built-in one (长沙县).
    builtin_county: Option<u32>,
}

impl Matcher {
    pub fn from_config(config: &Config) -> Result<Matcher, SubjectsError> {
        let path = config.gazetteer_path();
        let gazetteer_text = match &path {
            Some(p) => std::fs::read_to_string(p).map_err(|e| GazetteerError {
                file: p.display().to_string(),
                line: 0,
                reason: format!("cannot read it: {e}"),
            })?,
            None => gazetteer::BUILTIN.to_string(),
        };
        let source = path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "the built-in gazetteer".into());
        let gazetteer = Gazetteer::parse(&gazetteer_text, &source)?;
        let s = &config.subjects;
        let categories = Categories::new(&config.category_aliases, &s.category_words);
        let mut h = Sha256::new();
        h.update(format!(
            "v{RULES_VERSION}\n{}\n{}\n",
            s.merge_at, s.suggest_at
        ));
        h.update(gazetteer_text.as_bytes());
        for (c, words) in config.category_aliases.iter().chain(&s.category_words) {
            h.update(format!("{c}:{}\n", words.join(",")));
        }
        let prefixes: Vec<Vec<char>> = config
            .address
            .prefixes
            .iter()
            .map(|p| {
                crate::normalize::address_chars(p)
                    .chars()
                    .collect::<Vec<char>>()
            })
            .filter(|p| !p.is_empty())
            .collect();
        let divisions = Divisions::get();
        let mut configured: Vec<u32> = config
            .address
            .prefixes
            .iter()
            .flat_map(|p| divisions.counties_named(&crate::normalize::address_chars(p)))
            .collect();
        configured.sort_unstable();
        configured.dedup();
        Ok(Matcher {
            gazetteer,
            categories,
            merge_at: s.merge_at,
            suggest_at: s.suggest_at,
            local: Local::new(divisions, configured.iter().copied()),
            prefixes,
            configured,
            normalizer: crate::normalize::AddressNormalizer::new(
                &config.address.prefixes,
                &config.address.vague_suffixes,
            ),
            fingerprint: hex::encode(&h.finalize()[..8]),
            builtin_county: path.is_none().then_some(gazetteer::BUILTIN_COUNTY),
        })
    }

    /// The matcher with the category spellings the stored data's links tell (see
    /// `Categories::learn`); what was learned is part of its fingerprint, so the map is
    /// made again when a new file teaches something.
    pub fn learning(mut self, store: &Store) -> Result<Matcher, SubjectsError> {
        store
            .conn()
            .execute_batch(queries::SUBJECTS_ORDER_LINKS)
            .map_err(failed("reading the linked orders' categories"))?;
        let mut stmt = store
            .conn()
            .prepare(queries::SUBJECTS_CATEGORY_LINKS)
            .map_err(failed("reading the linked orders' categories"))?;
        let links: Vec<(String, String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(failed("reading the linked orders' categories"))?
            .collect::<Result<_, _>>()
            .map_err(failed("reading the linked orders' categories"))?;
        let learned = self.categories.learn(&links);
        if !learned.is_empty() {
            let mut h = Sha256::new();
            h.update(self.fingerprint.as_bytes());
            for (spelling, matter) in &learned {
                h.update(format!("{spelling}\u{1f}{matter}\n"));
            }
            self.fingerprint = hex::encode(&h.finalize()[..8]);
            tracing::debug!(?learned, "category spellings learned from links");
        }
        Ok(self)
    }

    /// The matcher with these counties as the squad's own (with the configured ones).
    /// The built-in gazetteer describes one county's places: for data of other counties it
    /// is set aside (人民医院 there is no 长沙县人民医院).
    pub fn with_local(mut self, counties: &[u32]) -> Matcher {
        if self
            .builtin_county
            .is_some_and(|own| !counties.is_empty() && !counties.contains(&own))
        {
            self.gazetteer = Gazetteer::default();
        }
        let all = counties.iter().chain(&self.configured).copied();
        self.local = Local::new(Divisions::get(), all);
        self
    }

    /// A category as exported by its canonical name, worked out once per exported
    /// spelling (`cache` keeps them).
    fn canonical_in(&self, cache: &mut HashMap<String, String>, raw_category: &str) -> String {
        if let Some(known) = cache.get(raw_category) {
            return known.clone();
        }
        let canonical = self.categories.canonical(raw_category);
        cache.insert(raw_category.to_string(), canonical.clone());
        canonical
    }

    /// The matter of a complaint at its place: noise at a building site is the site's
    /// construction noise (a call-taker's 噪声扰民 at 和平府二期工地), when both matters are
    /// known.
    pub fn matter_at(&self, matter: String, place: &ParsedAddress) -> String {
        const NOISE: &str = "噪声扰民";
        const SITE_NOISE: &str = "施工噪声";
        let at_site = place
            .place_name()
            .is_some_and(|n| n.kinds.contains(&"工地"));
        if matter == NOISE && at_site && self.categories.knows(SITE_NOISE) {
            SITE_NOISE.to_string()
        } else {
            matter
        }
    }

    fn context(&self) -> Context<'_> {
        Context {
            gazetteer: &self.gazetteer,
            local: &self.local,
            prefixes: &self.prefixes,
        }
    }

    /// Parses an address as written.
    pub fn parse(&self, raw: &str) -> ParsedAddress {
        address::parse(raw, &self.context())
    }

    /// An exported address as grouped: its parts and the spelling it is grouped as. When
    /// the address names no town, its 所属街道 does, written before it (沿河路9号 in 淮川街道
    /// is 淮川街道沿河路9号, another place than 沿河路9号 in 集里街道).
    pub fn place(&self, raw: &str, address_norm: &str, street: &str) -> (ParsedAddress, String) {
        self.place_with_town(self.parse(raw), address_norm, self.street_town(street))
    }

    /// `place` of an address already parsed, with the town its street names.
    fn place_with_town(
        &self,
        mut parsed: ParsedAddress,
        address_norm: &str,
        street_town: Option<String>,
    ) -> (ParsedAddress, String) {
        if parsed.town.is_none() {
            if let Some(town) = street_town {
                let spelling = format!("{town}{address_norm}");
                parsed.town = Some(town);
                return (parsed, spelling);
            }
        }
        (parsed, address_norm.to_string())
    }

    /// The town a 所属街道 value names (its full name when it is known), None when empty.
    fn street_town(&self, street: &str) -> Option<String> {
        let parsed = self.parse(street);
        if let Some(town) = parsed.town {
            return Some(town);
        }
        let text: String = clean::clean(street).into_iter().collect();
        // A 街道 as its city writes it (新市街, 越秀路街 for 越秀路街道): in this column it
        // is no road.
        if let Some(town) = text.strip_suffix('街').and_then(|short| {
            self.local
                .short_town(short)
                .filter(|town| town.ends_with("街道"))
                .cloned()
                .or_else(|| {
                    self.local
                        .town_by_sound(&format!("{short}街道"))
                        .map(str::to_string)
                })
        }) {
            return Some(town);
        }
        (!text.is_empty()).then_some(text)
    }

    /// The squad's own counties, as the data names them (addresses, weighted by orders,
    /// and 所属街道 values).
    pub fn counties_in<'a>(&self, texts: impl IntoIterator<Item = (&'a str, u64)>) -> Vec<u32> {
        let cleaned: Vec<(String, u64)> = texts
            .into_iter()
            .map(|(t, n)| (clean::clean(t).into_iter().collect(), n))
            .collect();
        divisions::local_counties(
            Divisions::get(),
            cleaned.iter().map(|(t, n)| (t.as_str(), *n)),
        )
    }
}

/// An admin's decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: i64,
    /// merge | separate
    pub action: String,
    pub category: String,
    pub address_a: String,
    pub address_b: String,
    pub made_at: NaiveDateTime,
    pub undone_at: Option<NaiveDateTime>,
}

pub fn decisions(store: &Store) -> Result<Vec<Decision>, SubjectsError> {
    let mut stmt = store
        .conn()
        .prepare(queries::SUBJECTS_DECISIONS)
        .map_err(failed("reading the decisions"))?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Decision {
                id: r.get(0)?,
                action: r.get(1)?,
                category: r.get(2)?,
                address_a: r.get(3)?,
                address_b: r.get(4)?,
                made_at: r.get(5)?,
                undone_at: r.get(6)?,
            })
        })
        .map_err(failed("reading the decisions"))?;
    rows.collect::<Result<_, _>>()
        .map_err(failed("reading the decisions"))
}

/// What the stored map was made by (rules and decisions), and the last file it has placed.
fn current_state(
    store: &Store,
    config: &Config,
    matcher: &Matcher,
) -> Result<(String, i64), SubjectsError> {
    let last_file: i64 = store
        .conn()
        .query_row(queries::SUBJECTS_DATA_STATE, [], |r| r.get(0))
        .map_err(failed("reading the loaded files"))?;
    let ds = decisions(store)?;
    let in_force = ds.iter().filter(|d| d.undone_at.is_none()).count();
    let address_rules = crate::normalize::AddressNormalizer::new(
        &config.address.prefixes,
        &config.address.vague_suffixes,
    )
    .fingerprint();
    let rules = format!(
        "{}:{}:{in_force}:{address_rules}",
        matcher.fingerprint,
        ds.len()
    );
    Ok((rules, last_file))
}

/// What bringing the map up to date did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Refreshed {
    /// Whether the whole map was made again (else only new addresses were placed).
    pub whole: bool,
    /// Addresses grouped: all of them, or the new ones placed.
    pub addresses: usize,
    /// Subjects made (whole) or started by new addresses (placing).
    pub subjects: usize,
    pub suggestions: usize,
}

/// Brings the stored map up to date (fuzzy matching only): the whole map again when what
/// it is made by changed, only the new addresses when only new files came. Returns what
/// was done, or None when it already was up to date.
pub fn refresh(store: &Store, config: &Config) -> Result<Option<Refreshed>, SubjectsError> {
    if config.subjects.matching == Matching::Exact {
        return Ok(None);
    }
    let matcher = Matcher::from_config(config)?.learning(store)?;
    let (rules, last_file) = current_state(store, config, &matcher)?;
    let state = format!("{rules}@{last_file}");
    let stored = store.setting(STATE_KEY)?;
    let placed_up_to = stored
        .as_deref()
        .and_then(|s| s.rsplit_once('@'))
        .filter(|(r, _)| *r == rules)
        .and_then(|(_, f)| f.parse::<i64>().ok());
    match placed_up_to {
        Some(f) if f == last_file => Ok(None),
        Some(f) if f < last_file => {
            let matcher = matcher.with_local(&stored_local(store)?);
            place::place_new(store, &matcher, f, &state).map(Some)
        }
        _ => rebuild(store, config, &matcher, &state).map(Some),
    }
}

/// Why an address is in its group, as stored: reason, matched with, match on, score.
fn stored_why(
    why: &Why,
) -> (
    &'static str,
    Option<String>,
    Option<&'static str>,
    Option<f64>,
) {
    match why {
        Why::Itself => ("itself", None, None, None),
        Why::Matched { with, on, score } => (
            "matched",
            Some(with.clone()),
            Some(on.as_str()),
            Some(*score),
        ),
        Why::Decision { with } => ("decision", Some(with.clone()), None, None),
    }
}

/// The squad's own counties as the last whole grouping stored them.
fn stored_local(store: &Store) -> Result<Vec<u32>, SubjectsError> {
    Ok(store
        .setting(LOCAL_KEY)?
        .unwrap_or_default()
        .split(',')
        .filter_map(|c| c.parse().ok())
        .collect())
}

/// The pairs of a matter's entries that decisions in force join or keep apart (`action`:
/// merge | separate); a decision names a place by its spelling as grouped, or by an
/// address of it as normalized.
fn decided(
    in_force: &[Decision],
    action: &str,
    category: &str,
    find: impl Fn(&str) -> Option<usize>,
) -> Vec<(usize, usize)> {
    in_force
        .iter()
        .filter(|d| d.action == action && d.category == category)
        .filter_map(|d| Some((find(&d.address_a)?, find(&d.address_b)?)))
        .collect()
}

/// A block key as stored: a 64-bit FNV-1a of the matter and the key. Fixed here (not a
/// library's hasher, which may change between versions) because stored keys must keep
/// meeting the keys worked out by later versions of the program.
pub(crate) fn key_hash(category: &str, key: &str) -> i64 {
    fnv1a(&[category, key]) as i64
}

/// The 64-bit FNV-1a of texts, a zero byte between them: stored block keys, the grouping's
/// key numbers and the evidence's addresses.
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        let separator = (i > 0).then_some(0u8);
        for b in separator.into_iter().chain(part.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Makes the whole map again, whatever its state (fuzzy matching only).
pub fn rebuild_all(store: &Store, config: &Config) -> Result<Refreshed, SubjectsError> {
    let matcher = Matcher::from_config(config)?.learning(store)?;
    let (rules, last_file) = current_state(store, config, &matcher)?;
    rebuild(store, config, &matcher, &format!("{rules}@{last_file}"))
}

/// One exported (category, address, street) of an entry.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub raw_category: String,
    pub own_address: String,
    pub street: String,
    /// One address as written.
    pub raw: String,
}

/// One matter's addresses, ready to group: each spelling (entry) with the exported rows it
/// stands for.
#[derive(Default)]
struct Matter {
    entries: Vec<Entry>,
    members: Vec<Vec<Member>>,
    by_address: HashMap<String, usize>,
    /// An exported normalized address → its entry, for decisions naming one.
    by_own: HashMap<String, usize>,
}

impl Matter {
    fn find(&self, address: &str) -> Option<usize> {
        self.by_address
            .get(address)
            .or_else(|| self.by_own.get(address))
            .copied()
    }
}

/// One row of the addresses to group: raw category, normalized address, street, orders,
/// an address as written.
type AddressRow = (String, String, String, u64, String);

fn read_rows(rows: &mut duckdb::Rows<'_>, step: &str) -> Result<Vec<AddressRow>, SubjectsError> {
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(failed(step))? {
        let orders: i64 = r.get(3).map_err(failed(step))?;
        out.push((
            r.get(0).map_err(failed(step))?,
            r.get(1).map_err(failed(step))?,
            r.get(2).map_err(failed(step))?,
            orders as u64,
            r.get(4).map_err(failed(step))?,
        ));
    }
    Ok(out)
}

/// What the orders of each exported (category, address, street) say beyond the address
/// (evidence.sql), by a hash of the three: a million orders' callers held without a
/// million copies of their addresses.
#[derive(Default)]
pub(crate) struct Evidence(HashMap<u64, Vec<String>>);

impl Evidence {
    fn id(category: &str, own_address: &str, street: &str) -> u64 {
        fnv1a(&[category, own_address, street])
    }

    /// What the orders of an exported (category, address, street) say, taken out.
    pub(crate) fn take(&mut self, category: &str, own_address: &str, street: &str) -> Vec<String> {
        self.0
            .remove(&Evidence::id(category, own_address, street))
            .unwrap_or_default()
    }
}

pub(crate) fn read_evidence(store: &Store, after: i64) -> Result<Evidence, SubjectsError> {
    let step = "reading the callers and links";
    let conn = store.conn();
    conn.execute_batch(queries::ANALYSIS_CALLER_KEY)
        .map_err(failed(step))?;
    conn.execute_batch(queries::SUBJECTS_ORDER_LINKS)
        .map_err(failed(step))?;
    let mut stmt = conn
        .prepare(queries::SUBJECTS_EVIDENCE)
        .map_err(failed(step))?;
    let mut rows = stmt.query([after]).map_err(failed(step))?;
    let mut out = Evidence::default();
    let text = |r: &duckdb::Row<'_>, i: usize| -> Result<String, SubjectsError> {
        r.get(i).map_err(failed(step))
    };
    while let Some(r) = rows.next().map_err(failed(step))? {
        let id = Evidence::id(&text(r, 0)?, &text(r, 1)?, &text(r, 2)?);
        out.0.insert(
            id,
            text(r, 3)?.split('\u{1f}').map(str::to_string).collect(),
        );
    }
    Ok(out)
}

/// Whether an address names no place of its own: a town, a community, a road without a
/// door number, or only a kind of place (工地).
fn names_no_place(p: &ParsedAddress) -> bool {
    p.junction.is_none()
        && p.number.is_none()
        && p.poi
            .as_deref()
            .is_none_or(|poi| name::is_kind(poi) || poi.chars().count() < 2)
}

/// Whether a place read from a complaint's text names a place and agrees with the
/// order's own address (the same town, the same road when both say one).
fn fits(hint: &ParsedAddress, own: &ParsedAddress, known: &mut dyn FnMut(&str) -> bool) -> bool {
    if names_no_place(hint) {
        return false;
    }
    // A name alone must say what kind of place it is (a sentence of the complaint is no
    // place: 路面被泥头车撒满泥沙).
    // A numbered part of a compound or village (宗塘3区, 金穗花园2期) is a place too.
    let numbered_part = |core: &str| {
        let chars: Vec<char> = core.chars().collect();
        chars.len() >= 4
            && "区期村组".contains(chars[chars.len() - 1])
            && chars[chars.len() - 2].is_ascii_digit()
            && chars.iter().filter(|c| !c.is_ascii_digit()).count() >= 3
    };
    let named_kind = hint
        .place_name()
        .is_some_and(|n| !n.kinds.is_empty() || numbered_part(&n.core))
        || hint
            .poi
            .as_deref()
            .is_some_and(|poi| address::is_metro_part(poi) || address::names_its_kind(poi));
    // Or the data knows it: another order's address names a place by that name (寮步湘味轩
    // of 香市路138号（湘味轩饭店）).
    if hint.number.is_none()
        && hint.junction.is_none()
        && !named_kind
        && !hint
            .place_name()
            .is_some_and(|n| n.core.chars().count() >= 2 && known(&n.core))
    {
        return false;
    }
    let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(x), Some(y)) => {
            let (cx, cy): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
            x == y || sound::same_sound(&cx, &cy)
        }
        _ => true,
    };
    same(&hint.town, &own.town) && same(&hint.road, &own.road)
}

/// The names the data's addresses give places, each in its matter (as the block key
/// `p:` of its name): a place read from a complaint's text that says no kind of place is
/// believed when another order's address of its matter names a place so (寮步湘味轩 of
/// 香市路138号（湘味轩饭店）).
#[derive(Default)]
pub(crate) struct KnownNames {
    names: HashSet<i64>,
    /// Whether the stored grouping's addresses count too (placing new files among them).
    stored: bool,
}

impl KnownNames {
    /// From the (category as exported, address as written) of the data's orders.
    pub(crate) fn of<'a>(
        matcher: &Matcher,
        rows: impl IntoIterator<Item = (&'a str, &'a str)>,
        parsed: &mut HashMap<String, ParsedAddress>,
        stored: bool,
    ) -> KnownNames {
        let mut canonical: HashMap<String, String> = HashMap::new();
        let mut names = HashSet::new();
        for (raw_category, address) in rows {
            let p = parsed
                .entry(address.to_string())
                .or_insert_with(|| matcher.parse(address));
            if names_no_place(p) {
                continue;
            }
            let Some(name) = p.place_name() else {
                continue;
            };
            let category = matcher.canonical_in(&mut canonical, raw_category);
            names.insert(KnownNames::hash(
                &matcher.matter_at(category, p),
                &name.core,
            ));
        }
        KnownNames { names, stored }
    }

    /// A name's stored block key in its matter (`subject_blocks.key_hash`).
    fn hash(matter: &str, core: &str) -> i64 {
        key_hash(matter, &cluster::name_key(core))
    }
}

/// Reads the place from the 诉求内容 of the orders of the files after `after` (0: all)
/// whose address names no place, and stores it as their hint (subject_hints): they are
/// grouped as if their address were that place. With `vague`, only the orders whose
/// normalized address is among those (the whole grouping found them). Returns how many.
pub(crate) fn make_hints(
    store: &Store,
    matcher: &Matcher,
    after: i64,
    vague: Option<&[String]>,
    parsed: &mut HashMap<String, ParsedAddress>,
    known: &KnownNames,
) -> Result<usize, SubjectsError> {
    let step = "reading places from the complaints' text";
    let conn = store.conn();
    conn.execute(queries::SUBJECTS_HINTS_CLEAR, [after])
        .map_err(failed(step))?;
    conn.execute_batch(queries::SUBJECTS_HINTS_TABLES)
        .map_err(failed(step))?;
    if let Some(addresses) = vague {
        let mut out = conn.appender("vague_addresses").map_err(failed(step))?;
        for a in addresses {
            out.append_row([a]).map_err(failed(step))?;
        }
        out.flush().map_err(failed(step))?;
    }
    let mut hints: Vec<(String, String, String)> = Vec::new();
    // The orders whose address and text name no place.
    let mut unplaced: Vec<String> = Vec::new();
    let mut canonical: HashMap<String, String> = HashMap::new();
    let mut stored = conn
        .prepare(queries::SUBJECTS_BLOCK_KNOWN)
        .map_err(failed(step))?;
    {
        let mut stmt = conn
            .prepare(queries::SUBJECTS_HINT_CANDIDATES)
            .map_err(failed(step))?;
        let mut rows = stmt
            .query(params![after, vague.is_some()])
            .map_err(failed(step))?;
        let mut candidates: Vec<(String, String, String, String)> = Vec::new();
        while let Some(r) = rows.next().map_err(failed(step))? {
            candidates.push((
                r.get(0).map_err(failed(step))?,
                r.get(1).map_err(failed(step))?,
                r.get(2).map_err(failed(step))?,
                r.get(3).map_err(failed(step))?,
            ));
        }
        // Their addresses not parsed yet, parsed on every core.
        let unparsed = candidates
            .iter()
            .map(|c| c.1.as_str())
            .filter(|a| !parsed.contains_key(*a));
        let fresh = parse_all(matcher, unparsed);
        parsed.extend(fresh);
        for (order_id, address, text, raw_category) in candidates {
            let Some(own) = parsed.get(&address) else {
                continue;
            };
            if !names_no_place(own) {
                continue;
            }
            let category = matcher.canonical_in(&mut canonical, &raw_category);
            // The first place the text names that agrees with the address. A failed lookup
            // of the stored names fails the step: a hint refused for it would lose the
            // order's place without a word.
            let mut failure: Option<duckdb::Error> = None;
            let found = content::places_in(&text).into_iter().find(|place| {
                let hint = matcher.parse(place);
                let matter = matcher.matter_at(category.clone(), &hint);
                let mut is_known = |core: &str| {
                    let hash = KnownNames::hash(&matter, core);
                    if known.names.contains(&hash) {
                        return true;
                    }
                    if !known.stored || failure.is_some() {
                        return false;
                    }
                    match stored.query_row([hash], |r| r.get::<_, bool>(0)) {
                        Ok(found) => found,
                        Err(duckdb::Error::QueryReturnedNoRows) => false,
                        Err(e) => {
                            failure = Some(e);
                            false
                        }
                    }
                };
                fits(&hint, own, &mut is_known)
            });
            if let Some(e) = failure {
                return Err(failed(step)(e));
            }
            match found {
                Some(place) => hints.push((order_id, matcher.normalizer.normalize(&place), place)),
                None => unplaced.push(order_id),
            }
        }
    }
    let store_hints = |hints: &[(String, String, String)], source: &str| {
        let mut out = conn.appender("subject_hints").map_err(failed(step))?;
        for (id, norm, raw) in hints {
            out.append_row(params![id, norm, raw, source])
                .map_err(failed(step))?;
        }
        out.flush().map_err(failed(step))
    };
    store_hints(&hints, PlacedBy::TEXT)?;
    // Then the orders whose text names no place either, by their callers' other orders
    // (those just placed by their text included).
    let t0 = std::time::Instant::now();
    let by_caller = caller_hints(store, matcher, &unplaced, parsed, &mut canonical)?;
    tracing::debug!(elapsed = ?t0.elapsed(), placed = by_caller.len(), "places from callers");
    store_hints(&by_caller, PlacedBy::CALLER)?;
    Ok(hints.len() + by_caller.len())
}

/// The place of an order whose address and text name none, from its caller: when the
/// caller's other orders of the same matter that name a place (in the order's town and on
/// its road, when it says them) all name one, each pair compared as the grouping does,
/// that place. The same phone about the same matter is usually one place; a caller of two
/// places of a matter says nothing of which. (Placing new files gives their orders a
/// caller's place; an order placed so stays there until the whole grouping is made again.)
fn caller_hints(
    store: &Store,
    matcher: &Matcher,
    unplaced: &[String],
    parsed: &mut HashMap<String, ParsedAddress>,
    canonical: &mut HashMap<String, String>,
) -> Result<Vec<(String, String, String)>, SubjectsError> {
    let step = "reading places from the callers' other orders";
    if unplaced.is_empty() {
        return Ok(Vec::new());
    }
    let conn = store.conn();
    conn.execute_batch(queries::ANALYSIS_CALLER_KEY)
        .map_err(failed(step))?;
    {
        let mut out = conn.appender("caller_candidates").map_err(failed(step))?;
        for id in unplaced {
            out.append_row([id]).map_err(failed(step))?;
        }
        out.flush().map_err(failed(step))?;
    }
    let mut stmt = conn
        .prepare(queries::SUBJECTS_HINT_CALLERS)
        .map_err(failed(step))?;
    let mut rows = stmt.query([CALLER_ORDERS_READ]).map_err(failed(step))?;
    type Theirs = BTreeMap<(String, String, String), Vec<(String, String)>>;
    let mut theirs: Theirs = BTreeMap::new();
    while let Some(r) = rows.next().map_err(failed(step))? {
        let id: String = r.get(0).map_err(failed(step))?;
        let own: String = r.get(1).map_err(failed(step))?;
        let category: String = r.get(2).map_err(failed(step))?;
        let their_category: String = r.get(3).map_err(failed(step))?;
        let address: String = r.get(4).map_err(failed(step))?;
        theirs
            .entry((id, own, category))
            .or_default()
            .push((their_category, address));
    }
    if theirs.is_empty() {
        return Ok(Vec::new());
    }
    // Their addresses not parsed yet, parsed on every core.
    let unparsed = theirs
        .iter()
        .flat_map(|((_, own, _), others)| {
            std::iter::once(own.as_str()).chain(others.iter().map(|(_, a)| a.as_str()))
        })
        .filter(|a| !parsed.contains_key(*a));
    let fresh = parse_all(matcher, unparsed);
    parsed.extend(fresh);
    let parsed: &HashMap<String, ParsedAddress> = parsed;
    // What the data says of its names (a name held in others weighs less), as grouping.
    let corpus = Corpus::of(parsed.values());
    let mut out = Vec::new();
    for ((id, own, category), others) in theirs {
        let Some(own_parsed) = parsed.get(&own) else {
            continue;
        };
        let matter = matcher.canonical_in(canonical, &category);
        let mut places: Vec<(String, &ParsedAddress)> = Vec::new();
        for (their_category, address) in others {
            if matcher.canonical_in(canonical, &their_category) != matter
                || places.iter().any(|(a, _)| *a == address)
            {
                continue;
            }
            let Some(p) = parsed.get(&address) else {
                continue;
            };
            // A place of its own, in the order's town and on its road when it says them.
            let differs =
                |a: &Option<String>, b: &Option<String>| a.is_some() && b.is_some() && a != b;
            if names_no_place(p)
                || differs(&own_parsed.town, &p.town)
                || differs(&own_parsed.road, &p.road)
            {
                continue;
            }
            places.push((address, p));
        }
        // One place as grouping makes one: every spelling reached from the first through
        // matches, and no two that contradict each other.
        let mut matched: Vec<Vec<usize>> = vec![Vec::new(); places.len()];
        let mut contradiction = false;
        for i in 0..places.len() {
            for j in i + 1..places.len() {
                match compare::compare(places[i].1, places[j].1, &matcher.gazetteer, &corpus) {
                    compare::Verdict::Different(_) => contradiction = true,
                    compare::Verdict::Score { score, .. } if score >= matcher.merge_at => {
                        matched[i].push(j);
                        matched[j].push(i);
                    }
                    _ => {}
                }
            }
        }
        let mut reached = vec![false; places.len()];
        let mut next: Vec<usize> = (!places.is_empty()).then_some(0).into_iter().collect();
        while let Some(i) = next.pop() {
            if !std::mem::replace(&mut reached[i], true) {
                next.extend(&matched[i]);
            }
        }
        let one_place = !contradiction && reached.iter().all(|r| *r);
        if let (Some((first, _)), true) = (places.first(), one_place) {
            out.push((id, matcher.normalizer.normalize(first), first.clone()));
        }
    }
    Ok(out)
}

/// A caller with more orders than this (a shared or placeholder number: 0, 12345) says
/// nothing of where one of them is.
const CALLER_ORDERS_READ: i64 = 200;

/// Every matter's entries grouped, the matters shared out among the cores (the largest
/// first, so that no core is left with the largest at the end); in the matters' order.
fn group_all(
    matters: &BTreeMap<String, Matter>,
    in_force: &[Decision],
    matcher: &Matcher,
    corpus: &Corpus,
) -> Vec<cluster::Grouping> {
    let list: Vec<(&String, &Matter)> = matters.iter().collect();
    let group = |(category, matter): (&String, &Matter)| {
        let find = |a: &str| matter.find(a);
        let apart = decided(in_force, "separate", category, find);
        let joined: Vec<cluster::Joined> = decided(in_force, "merge", category, find)
            .into_iter()
            .map(|(a, b)| (a, b, None))
            .collect();
        cluster::group(
            &matter.entries,
            &cluster::Rules {
                merge_at: matcher.merge_at,
                suggest_at: matcher.suggest_at,
                joined: &joined,
                apart: &apart,
                keep: &[],
                corpus,
                placing: None,
            },
            &matcher.gazetteer,
        )
    };
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(list[i].1.entries.len()));
    let mut grouped: Vec<(usize, cluster::Grouping)> =
        on_every_core(&order, |&i| (i, group(list[i])));
    grouped.sort_unstable_by_key(|(i, _)| *i);
    grouped.into_iter().map(|(_, grouping)| grouping).collect()
}

/// Each address as written parsed once, on every core: parsing is most of a whole
/// grouping's time, and each address is parsed on its own.
fn parse_all<'a>(
    matcher: &Matcher,
    raws: impl Iterator<Item = &'a str>,
) -> HashMap<String, ParsedAddress> {
    let mut unique: Vec<&str> = raws.collect();
    unique.sort_unstable();
    unique.dedup();
    on_every_core(&unique, |raw| (raw.to_string(), matcher.parse(raw)))
        .into_iter()
        .collect()
}

/// `work` done on every item, the items shared out among the cores in their order (each
/// core takes the next one not taken); the results in the items' order. A panic in `work`
/// goes on in the caller.
fn on_every_core<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get().min(8))
        .min(items.len())
        .max(1);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            return mine;
                        };
                        mine.push((i, work(item)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, result)| result).collect()
}

/// Makes the whole map again, in one transaction, DuckDB's memory bounded as while a file
/// is loaded (the grouping's own memory is the program's, not DuckDB's).
fn rebuild(
    store: &Store,
    config: &Config,
    matcher: &Matcher,
    state: &str,
) -> Result<Refreshed, SubjectsError> {
    let started = std::time::Instant::now();
    let _bounded = crate::store::Bounded::memory(store.conn(), config.ingest.memory_limit_mb)
        .map_err(failed("bounding the database's memory"))?;
    let done = in_transaction(store, "regrouping", || {
        rebuild_in_transaction(store, matcher, state)
    })?;
    tracing::info!(
        addresses = done.addresses,
        subjects = done.subjects,
        elapsed = ?started.elapsed(),
        "subjects regrouped"
    );
    Ok(done)
}

fn rebuild_in_transaction(
    store: &Store,
    matcher: &Matcher,
    state: &str,
) -> Result<Refreshed, SubjectsError> {
    let conn = store.conn();
    conn.execute(queries::SUBJECTS_HINTS_CLEAR, [0])
        .map_err(failed("forgetting the old hints"))?;
    let read = || -> Result<Vec<AddressRow>, SubjectsError> {
        let mut stmt = conn
            .prepare(queries::SUBJECTS_ADDRESSES)
            .map_err(failed("reading the addresses"))?;
        let mut rows = stmt.query([]).map_err(failed("reading the addresses"))?;
        read_rows(&mut rows, "reading the addresses")
    };
    let t0 = std::time::Instant::now();
    let rows = read()?;
    tracing::debug!(elapsed = ?t0.elapsed(), rows = rows.len(), "addresses read");
    // The squad's own counties, from what its data names.
    let local = matcher.counties_in(
        rows.iter().map(|r| (r.4.as_str(), r.3)).chain(
            rows.iter()
                .filter(|r| !r.2.is_empty())
                .map(|r| (r.2.as_str(), r.3)),
        ),
    );
    let matcher = matcher.clone().with_local(&local);
    // Each address as written parsed once; the orders whose address names no place read
    // it from their text, and the rows are read again with them.
    let mut parsed = parse_all(&matcher, rows.iter().map(|r| r.4.as_str()));
    let mut vague: Vec<String> = rows
        .iter()
        .filter(|r| parsed.get(&r.4).is_some_and(names_no_place))
        .map(|r| r.1.clone())
        .collect();
    vague.sort();
    vague.dedup();
    tracing::debug!(elapsed = ?t0.elapsed(), vague = vague.len(), "addresses parsed");
    let known = KnownNames::of(
        &matcher,
        rows.iter().map(|r| (r.0.as_str(), r.4.as_str())),
        &mut parsed,
        false,
    );
    let hinted = make_hints(store, &matcher, 0, Some(&vague), &mut parsed, &known)?;
    tracing::debug!(elapsed = ?t0.elapsed(), hinted, "places read from the complaints");
    let rows = if hinted > 0 {
        drop(rows);
        read()?
    } else {
        rows
    };
    let mut evidence = read_evidence(store, 0)?;
    tracing::debug!(elapsed = ?t0.elapsed(), "callers and links read");
    // Each parse goes to its last row's entry, copied only for the rows before.
    let mut parsed: HashMap<String, (ParsedAddress, u32)> =
        parsed.into_iter().map(|(raw, p)| (raw, (p, 0))).collect();
    for r in &rows {
        if let Some((_, uses)) = parsed.get_mut(&r.4) {
            *uses += 1;
        }
    }
    let mut matters: BTreeMap<String, Matter> = BTreeMap::new();
    let mut canonical: HashMap<String, String> = HashMap::new();
    let mut towns: HashMap<String, Option<String>> = HashMap::new();
    for (raw_category, own_address, street, orders, raw) in rows {
        let category = matcher.canonical_in(&mut canonical, &raw_category);
        let p = match parsed.get_mut(&raw) {
            Some((p, uses)) if *uses > 1 => {
                *uses -= 1;
                p.clone()
            }
            Some(_) => parsed.remove(&raw).map(|(p, _)| p).unwrap_or_default(),
            None => matcher.parse(&raw),
        };
        let town = towns
            .entry(street.clone())
            .or_insert_with(|| matcher.street_town(&street))
            .clone();
        let (parsed, spelling) = matcher.place_with_town(p, &own_address, town);
        let category = matcher.matter_at(category, &parsed);
        let said = evidence.take(&raw_category, &own_address, &street);
        let matter = matters.entry(category).or_default();
        let member = Member {
            raw_category,
            own_address: own_address.clone(),
            street,
            raw,
        };
        let i = match matter.by_address.get(&spelling) {
            Some(&i) => {
                matter.entries[i].orders += orders;
                matter.entries[i].evidence.extend(said);
                i
            }
            None => {
                matter
                    .by_address
                    .insert(spelling.clone(), matter.entries.len());
                matter.entries.push(Entry {
                    parsed,
                    address: spelling,
                    orders,
                    evidence: said,
                });
                matter.members.push(Vec::new());
                matter.entries.len() - 1
            }
        };
        matter.by_own.entry(own_address).or_insert(i);
        matter.members[i].push(member);
    }
    for matter in matters.values_mut() {
        for e in &mut matter.entries {
            e.evidence.sort();
            e.evidence.dedup();
            // An address that names no place is many places' (a town alone): what its
            // orders say cannot join it to one.
            if e.parsed.is_vague() {
                e.evidence.clear();
            }
        }
    }
    drop(parsed);
    tracing::debug!(elapsed = ?t0.elapsed(), "entries made");
    let corpus = Corpus::of(
        matters
            .values()
            .flat_map(|m| m.entries.iter().map(|e| &e.parsed)),
    );
    let in_force: Vec<Decision> = decisions(store)?
        .into_iter()
        .filter(|d| d.undone_at.is_none())
        .collect();
    {
        conn.execute_batch(queries::SUBJECTS_CLEAR)
            .map_err(failed("clearing the old grouping"))?;
        let mut done = Refreshed {
            whole: true,
            ..Refreshed::default()
        };
        let mut map = conn
            .appender("subject_map")
            .map_err(failed("writing the grouping"))?;
        let mut blocks = conn
            .appender("subject_blocks")
            .map_err(failed("writing the block keys"))?;
        let mut suggestions = Vec::new();
        let groupings = group_all(&matters, &in_force, &matcher, &corpus);
        for ((category, matter), grouping) in matters.iter().zip(groupings) {
            done.addresses += matter.entries.len();
            let mut reps: Vec<usize> = grouping.representative.clone();
            reps.sort_unstable();
            reps.dedup();
            done.subjects += reps.len();
            for (i, entry) in matter.entries.iter().enumerate() {
                let rep = &matter.entries[grouping.representative[i]].address;
                let (reason, with, on, score) = stored_why(&grouping.why[i]);
                if !entry.parsed.is_vague() {
                    let keys = cluster::blocks(&entry.parsed);
                    for key in keys.iter().chain(&entry.evidence) {
                        blocks
                            .append_row(params![category, key_hash(category, key), entry.address])
                            .map_err(failed("writing the block keys"))?;
                    }
                }
                for m in &matter.members[i] {
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
                    .map_err(failed("writing the grouping"))?;
                }
            }
            for (a, b, score, on) in &grouping.suggestions {
                let ra = &matter.entries[grouping.representative[*a]].address;
                let rb = &matter.entries[grouping.representative[*b]].address;
                let (ra, rb) = if ra <= rb { (ra, rb) } else { (rb, ra) };
                suggestions.push((
                    category.clone(),
                    ra.clone(),
                    rb.clone(),
                    *score,
                    on.as_str(),
                ));
            }
        }
        tracing::debug!(elapsed = ?t0.elapsed(), "grouped");
        map.flush().map_err(failed("writing the grouping"))?;
        drop(map);
        blocks.flush().map_err(failed("writing the block keys"))?;
        drop(blocks);
        // One suggestion per pair of places, its best score.
        suggestions.sort_by(|x, y| {
            (&x.0, &x.1, &x.2)
                .cmp(&(&y.0, &y.1, &y.2))
                .then(y.3.total_cmp(&x.3))
        });
        suggestions.dedup_by(|x, y| (&x.0, &x.1, &x.2) == (&y.0, &y.1, &y.2));
        let mut out = conn
            .appender("subject_suggestions")
            .map_err(failed("writing the suggestions"))?;
        for (category, a, b, score, on) in &suggestions {
            out.append_row(params![category, a, b, score, on])
                .map_err(failed("writing the suggestions"))?;
        }
        out.flush().map_err(failed("writing the suggestions"))?;
        done.suggestions = suggestions.len();
        let codes: Vec<String> = local.iter().map(u32::to_string).collect();
        store.set_setting(LOCAL_KEY, &codes.join(","))?;
        store.set_setting(STATE_KEY, state)?;
        Ok(done)
    }
}

/// Runs `work` in one transaction: committed when it succeeds, rolled back when it fails,
/// so the stored grouping is never half made. `what` names the work in errors.
fn in_transaction(
    store: &Store,
    what: &str,
    work: impl FnOnce() -> Result<Refreshed, SubjectsError>,
) -> Result<Refreshed, SubjectsError> {
    let step = format!("the {what}");
    store.in_transaction(|e| failed(&step)(e), work)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_keys_are_fnv1a_with_a_zero_byte_between_the_texts() {
        // The published FNV-1a 64 vector, so stored keys meet later versions' keys.
        assert_eq!(fnv1a(&["a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            fnv1a(&["噪声扰民", "r:开元东:18"]),
            fnv1a(&["噪声扰民\0r:开元东:18"])
        );
        assert_eq!(key_hash("a", "b"), fnv1a(&["a\0b"]) as i64);
    }

    #[test]
    fn the_built_in_gazetteer_is_set_aside_for_data_of_another_county() {
        let config = Config::default();
        let own = Matcher::from_config(&config).unwrap().with_local(&[430121]);
        assert_eq!(
            own.parse("人民政府").poi.as_deref(),
            Some("长沙县人民政府"),
            "长沙县's own government by its alias"
        );
        // 武鸣区's data: its 人民政府 is not 长沙县's.
        let other = Matcher::from_config(&config).unwrap().with_local(&[450110]);
        assert_eq!(other.parse("人民政府").poi.as_deref(), Some("人民政府"));
        assert_eq!(
            other.parse("武鸣县武鸣人民医院").poi.as_deref(),
            Some("县医院")
        );
    }

    #[test]
    fn a_street_column_writing_a_jiedao_as_its_street_names_the_jiedao() {
        // 天津市河西区 (120103): 越秀路街道 is its road's name; 东海街道 is not.
        let matcher = Matcher::from_config(&Config::default())
            .unwrap()
            .with_local(&[120103]);
        for (street, town) in [
            ("越秀路街", "越秀路街道"),
            ("越秀路街道", "越秀路街道"),
            ("东海街", "东海街道"),
        ] {
            let (p, spelling) = matcher.place("吴家窑菜市场", "吴家窑菜市场", street);
            assert_eq!(p.town.as_deref(), Some(town), "{street}");
            assert_eq!(spelling, format!("{town}吴家窑菜市场"));
        }
    }

    #[test]
    fn a_complaints_place_named_by_a_compounds_word_fits_an_address_of_its_town() {
        let matcher = Matcher::from_config(&Config::default())
            .unwrap()
            .with_local(&[130123]);
        let own = matcher.parse("正定镇");
        assert!(names_no_place(&own));
        let mut unknown = |_: &str| false;
        for place in [
            "恒州花园小区广场",
            "恒州社区 恒州花园",
            "锦绣苑",
            "常山影院",
        ] {
            assert!(fits(&matcher.parse(place), &own, &mut unknown), "{place}");
        }
        // A sentence of the complaint, or a kind of place alone, names none.
        for text in ["路面被泥头车撒满泥沙", "花园", "苑"] {
            assert!(!fits(&matcher.parse(text), &own, &mut unknown), "{text}");
        }
        // A name alone is believed when another order's address names a place so.
        let hint = matcher.parse("正定镇恒州");
        assert!(!fits(&hint, &own, &mut unknown));
        assert!(fits(&hint, &own, &mut |core: &str| core == "恒州"));
    }
}
