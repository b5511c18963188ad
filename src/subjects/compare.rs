//! Whether two parsed addresses name one place: a score with what it rests on, or a hard
//! "different place" that no score overrides (another door number on the same road, another
//! town, another numbered compound, the same shop name on another road, another junction).
//!
//! Characters are compared as characters (DuckDB's similarity functions compare bytes,
//! wrong for Chinese), homophones by sound (`sound.rs`, every reading of a polyphone). A
//! place's name is compared without its kind words (碧桂园于都府项目工地 = 碧桂园于都府工地),
//! and a shorter name held in a longer one (碧桂园 in 碧桂园于都府) counts as the same place
//! only when the data holds no other place that name could be: how many places' names hold
//! it is the corpus's word on how rare it is. Pure: no I/O.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::address::ParsedAddress;
use super::gazetteer::Gazetteer;
use super::name::PlaceName;
use super::sound;

/// What a match rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchOn {
    /// The same road and door number.
    RoadNumber,
    /// The same two roads meeting.
    Junction,
    /// The same named place.
    Place,
    /// Orders that 关联工单 links.
    Link,
    /// Addresses that the same callers give for the same matter.
    Caller,
}

impl MatchOn {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOn::RoadNumber => "road+number",
            MatchOn::Junction => "junction",
            MatchOn::Place => "place",
            MatchOn::Link => "link",
            MatchOn::Caller => "caller",
        }
    }

    /// The match as stored (`as_str`), back.
    pub fn from_stored(text: &str) -> Option<MatchOn> {
        [
            MatchOn::RoadNumber,
            MatchOn::Junction,
            MatchOn::Place,
            MatchOn::Link,
            MatchOn::Caller,
        ]
        .into_iter()
        .find(|on| on.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            MatchOn::RoadNumber => "路名门牌",
            MatchOn::Junction => "路口",
            MatchOn::Place => "地名",
            MatchOn::Link => "关联工单",
            MatchOn::Caller => "同一来电人",
        }
    }
}

/// The outcome of comparing two addresses.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The same place, to this degree (0..=1), on this evidence.
    Score { score: f64, on: MatchOn },
    /// Not the same place, whatever else agrees.
    Different(&'static str),
    /// Nothing to go on either way.
    Unknown,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Score { score, on } => write!(f, "{} {score:.2}", on.as_str()),
            Verdict::Different(why) => write!(f, "different: {why}"),
            Verdict::Unknown => write!(f, "unknown"),
        }
    }
}

/// What the data says of the place names it holds: for each name (its core, kind words
/// out), how many other names hold it (碧桂园 is held by 碧桂园于都府 and 碧桂园凤凰城: a
/// shorter name held by two is not enough to say which). A name that holds it only
/// through another holder (恒州花园小区 through 恒州花园) is not counted again.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    held_by: HashMap<String, u32>,
    /// For each name, how many other names hold it other than at their end (碧桂园 in
    /// 碧桂园于都府, not 吉星花园星光 in 新华吉星花园星光).
    held_before: HashMap<String, u32>,
}

impl Corpus {
    /// From the place names of a set of addresses.
    pub fn of<'a>(names: impl IntoIterator<Item = &'a ParsedAddress>) -> Corpus {
        let cores: HashSet<String> = names
            .into_iter()
            .filter_map(|p| p.place_name().map(|n| n.core.clone()))
            .collect();
        let mut held_by: HashMap<String, u32> = HashMap::new();
        let mut held_before: HashMap<String, u32> = HashMap::new();
        for core in &cores {
            let chars: Vec<char> = core.chars().collect();
            let mut inside: HashSet<(String, bool)> = HashSet::new();
            for i in 0..chars.len() {
                for j in i + 2..=chars.len() {
                    if j - i == chars.len() {
                        continue;
                    }
                    let part: String = chars[i..j].iter().collect();
                    if cores.contains(&part) {
                        inside.insert((part, j < chars.len()));
                    }
                }
            }
            // A holder that holds the part only through another holder (恒州花园小区 through
            // 恒州花园, for 恒州) is that holder written longer, not another place.
            let through: HashSet<&String> = inside
                .iter()
                .filter(|(part, _)| {
                    inside
                        .iter()
                        .any(|(q, _)| q.len() > part.len() && q.contains(part.as_str()))
                })
                .map(|(part, _)| part)
                .collect();
            for (part, before) in &inside {
                if through.contains(part) {
                    continue;
                }
                let part = part.clone();
                if *before {
                    *held_before.entry(part.clone()).or_default() += 1;
                }
                *held_by.entry(part).or_default() += 1;
            }
        }
        Corpus {
            held_by,
            held_before,
        }
    }

    /// How many other names hold this one other than at their end: where the name is said
    /// with an area's name before it (新华吉星花园星光, 棉城吉星花园星光) and nothing after,
    /// the holders say which place no less than the name does.
    pub fn held_before(&self, core: &str) -> u32 {
        self.held_before.get(core).copied().unwrap_or(0)
    }

    /// How many other names hold this one.
    pub fn held_by(&self, core: &str) -> u32 {
        self.held_by.get(core).copied().unwrap_or(0)
    }
}

fn has_digit(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
}

fn without_digits(text: &str) -> String {
    text.chars().filter(|c| !c.is_ascii_digit()).collect()
}

fn digits(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_digit()).collect()
}

fn is_direction_or_numeral(c: char) -> bool {
    matches!(c, '东' | '西' | '南' | '北' | '中')
        || c.is_ascii_digit()
        || super::numerals::is_numeral(c)
}

/// Positions where two names of one length do not sound alike.
fn differing(a: &[char], b: &[char]) -> Vec<usize> {
    a.iter()
        .zip(b)
        .enumerate()
        .filter(|(_, (x, y))| !sound::alike(**x, **y))
        .map(|(i, _)| i)
        .collect()
}

/// How alike two names are: 1 the same, 0.95 alike in sound (homophones, polyphones,
/// speech-to-text), 0.9 one slip (a character typed wrong, missing or extra) in a name of
/// three or more; 0 otherwise. A slip on a direction or a numeral (开元东 / 开元西, 东四 /
/// 东六) is another name, not a slip.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // A name in pinyin (LeTang) for the name in characters.
    if sound::spells(a, &cb) || sound::spells(b, &ca) {
        return 0.95;
    }
    if ca.len() == cb.len() {
        // 东 for 西, 四 for 六: another name. 冬 for 东 is a slip.
        let changed: Vec<usize> = (0..ca.len()).filter(|&i| ca[i] != cb[i]).collect();
        if changed
            .iter()
            .any(|&i| is_direction_or_numeral(ca[i]) && is_direction_or_numeral(cb[i]))
        {
            return 0.0;
        }
        let diff = differing(&ca, &cb);
        if diff.is_empty() {
            return 0.95;
        }
        if diff.len() == 1 && ca.len() >= 3 {
            return 0.9;
        }
        return 0.0;
    }
    // A spoken 儿 said in one name only (燕儿岛 / 燕岛, 艳儿岛 by sound).
    let erhua = |long: &[char], short: &[char]| {
        let without: Vec<char> = long.iter().filter(|c| **c != '儿').copied().collect();
        long.len() == short.len() + 1 && short.len() >= 2 && sound::same_sound(&without, short)
    };
    if erhua(&ca, &cb) || erhua(&cb, &ca) {
        return 0.9;
    }
    // One character missing or extra (天华村 / 天华一村 is a numeral: not a slip).
    let (short, long) = if ca.len() < cb.len() {
        (&ca, &cb)
    } else {
        (&cb, &ca)
    };
    if long.len() == short.len() + 1 && short.len() >= 3 {
        for i in 0..long.len() {
            if is_direction_or_numeral(long[i]) {
                continue;
            }
            let mut l = long.clone();
            l.remove(i);
            if sound::same_sound(&l, short) {
                return 0.9;
            }
        }
    }
    0.0
}

/// How alike two roads' names are (`name_similarity`), a road and one of its sections
/// being one road when the section is said on one side only (323 / 323罗坳段, 容奇 / 容奇中).
fn road_similarity(a: &str, b: &str) -> f64 {
    let sim = name_similarity(a, b);
    if sim > 0.0 {
        return sim;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // A section of the road (by sound: 林南大道中 of 岭南大道).
    let section = long.len() > short.len() && sound::same_sound(&short, &long[..short.len()]) && {
        let rest = &long[short.len()..];
        rest.last() == Some(&'段') || rest.len() == 1 && "东西南北中".contains(rest[0])
    };
    // A village group's lane said without its village (2组7 of 三元里2组7, the village
    // said as the town before it).
    let lane = short.first().is_some_and(|c| c.is_ascii_digit())
        && short.contains(&'组')
        && long.len() - short.len() <= 4
        && long.ends_with(&short);
    if section && short.len() >= 2 || lane {
        0.86
    } else {
        0.0
    }
}

/// Whether `long` is `short` with an area's two-character name in front (六约永兴 of 永兴,
/// by sound: 棉城中华 of 宗华).
fn area_prefixed(long: &str, short: &str) -> bool {
    let (l, s): (Vec<char>, Vec<char>) = (long.chars().collect(), short.chars().collect());
    s.len() >= 2
        && l.len() == s.len() + 2
        && (l.ends_with(&s) || sound::same_sound(&l[2..], &s))
        && l[..2].iter().all(|c| super::address::is_han(*c))
        && !l[..2].iter().all(|c| is_direction_or_numeral(*c))
}

/// Whether `long` is the numbered lane `short` with one to three characters of its
/// village's name more in front (犀牛陂新3 of 牛陂新3, a name cut short).
fn lane_in_area(long: &str, short: &str) -> bool {
    let (l, s): (Vec<char>, Vec<char>) = (long.chars().collect(), short.chars().collect());
    let named = s.iter().filter(|c| !c.is_ascii_digit()).count();
    let extra = l.len().saturating_sub(s.len());
    s.last().is_some_and(char::is_ascii_digit)
        && named >= 3
        && (1..=3).contains(&extra)
        && l.ends_with(&s)
        && l[..extra]
            .iter()
            .all(|c| super::address::is_han(*c) && !is_direction_or_numeral(*c))
}

/// Whether `short` is held in `long` (by sound): `long` is `short` with one run of
/// characters added at the start, the end or inside (碧桂园 in 碧桂园于都府, 永兴铝材 in
/// 永兴五金铝材), and what is added is no number or direction (not 德胜豪庭 in 德胜豪庭2期 nor
/// 天华 in 天华东).
fn held_in(short: &[char], long: &[char]) -> bool {
    if short.len() < 2 || short.len() >= long.len() || short.len() * 2 < long.len() {
        return false;
    }
    let added = long.len() - short.len();
    (0..=short.len()).any(|at| {
        sound::same_sound(&short[..at], &long[..at])
            && sound::same_sound(&short[at..], &long[at + added..])
            && !long[at..at + added]
                .iter()
                .any(|c| is_direction_or_numeral(*c))
    })
}

/// Two names that differ only in a phase (德胜豪庭 / 德胜豪庭1期): the base, when so.
fn phase_of<'a>(short: &str, long: &'a str) -> Option<&'a str> {
    let rest = long.strip_prefix(short)?;
    let number = rest.strip_suffix('期')?;
    (!number.is_empty() && number.chars().all(|c| c.is_ascii_digit())).then_some(rest)
}

/// How alike two place names are, with kinds (0 when nothing says they are one).
fn place_similarity(a: &PlaceName, b: &PlaceName, corpus: &Corpus) -> f64 {
    if !a.kinds_agree(b) {
        return 0.0;
    }
    let sim = name_similarity(&a.core, &b.core);
    if sim > 0.0 {
        return sim;
    }
    let (ca, cb): (Vec<char>, Vec<char>) = (a.core.chars().collect(), b.core.chars().collect());
    let (short, long, short_text) = if ca.len() <= cb.len() {
        (&ca, &cb, &a.core)
    } else {
        (&cb, &ca, &b.core)
    };
    let long_text: String = long.iter().collect();
    // The same place with its phase said on one side only: one when the data knows no
    // other phase of it.
    if phase_of(short_text, &long_text).is_some() {
        return if corpus.held_by(short_text) <= 1 {
            0.9
        } else {
            0.7
        };
    }
    // A kind's word left as the name before another kind (家具 of 家具店) names no place:
    // held in another name (古家具一条街), it says nothing of which. (医院 of 人民医院 is
    // the county's hospital.)
    let short_name = if ca.len() <= cb.len() { a } else { b };
    if super::name::is_kind(short_text) && !short_name.kinds.is_empty() {
        return 0.0;
    }
    if held_in(short, long) {
        // A rare name held in another is that place; a name many hold is a suggestion,
        // unless all of them only say an area before a long name.
        let rare = corpus.held_by(short_text) <= 1
            || short.len() >= 4 && corpus.held_before(short_text) == 0;
        return if rare { 0.9 } else { 0.78 };
    }
    // A rare name at the end of a longer one, whatever stands before it (西李庄西鑫源木业 is
    // 鑫源板材厂 with its village and side): no other name holds it, so it says which place.
    if ends_with_name(short, long) && corpus.held_by(short_text) <= 1 {
        return 0.9;
    }
    // The same three or more characters starting both names, and nothing else in common
    // (伊味香牛肉面 / 伊味香东岗): maybe one place, for an admin (or the same caller) to say.
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if prefix >= 3 && shared_run(short, long) == prefix {
        return 0.66;
    }
    0.0
}

/// The longest run of characters two names share, neither digits nor a kind's word.
fn shared_run(a: &[char], b: &[char]) -> usize {
    let mut best = 0;
    for i in 0..a.len() {
        for j in 0..b.len() {
            let mut k = 0;
            while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                k += 1;
            }
            if k > best {
                let run: String = a[i..i + k].iter().collect();
                if !run.chars().all(|c| c.is_ascii_digit()) && !super::name::is_kind(&run) {
                    best = k;
                }
            }
        }
    }
    best
}

/// Whether `long` ends with `short` (by sound), a name of two or more characters, with at
/// most five characters before it.
fn ends_with_name(short: &[char], long: &[char]) -> bool {
    short.len() >= 2
        && long.len() > short.len()
        && long.len() - short.len() <= 5
        && sound::same_sound(short, &long[long.len() - short.len()..])
}

/// Two names of one length that differ in one character, neither a direction nor a
/// numeral.
fn one_slip(a: &str, b: &str) -> bool {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if ca.len() != cb.len() {
        return false;
    }
    let diff = differing(&ca, &cb);
    diff.len() == 1
        && !is_direction_or_numeral(ca[diff[0]])
        && !is_direction_or_numeral(cb[diff[0]])
}

/// Whether two place names are numbered or look-alike siblings (天华1村 / 天华2村), or
/// carry different town names (黄兴菜市场 / 黄花菜市场).
fn sibling_places(a: &str, b: &str, gazetteer: &Gazetteer) -> bool {
    if (has_digit(a) || has_digit(b))
        && has_digit(a) == has_digit(b)
        && without_digits(a) == without_digits(b)
        && digits(a) != digits(b)
    {
        return true;
    }
    let (ta, tb) = (gazetteer.towns_in(a), gazetteer.towns_in(b));
    !ta.is_empty() && !tb.is_empty() && ta != tb
}

/// Whether a place is the other's neighbour (its anchor): 李记粉店 beside 星沙菜市场 is not
/// 星沙菜市场.
fn neighbours(a: &ParsedAddress, b: &ParsedAddress) -> bool {
    let names = |anchor: &Option<String>, other: &ParsedAddress| {
        let (Some(anchor), Some(name)) = (anchor, other.place_name()) else {
            return false;
        };
        let anchor = PlaceName::of(anchor);
        anchor.core == name.core || name_similarity(&anchor.core, &name.core) >= 0.95
    };
    names(&a.anchor, b) || names(&b.anchor, a)
}

/// The building an address names as its place: `3` of 3号楼, `a` of A座, `802` of 802楼
/// (a three-digit 楼 is a building, a shorter one may be a floor). Not a home's full
/// address (16号楼2单元1602), and not a building written as 栋 or 幢 (十五栋, 9栋): written
/// so it is most often the caller's own, said to say who calls.
fn building(p: &ParsedAddress) -> Option<String> {
    let text = super::numerals::to_arabic(p.detail.as_deref()?);
    if ["单元", "室", "层", "门"].iter().any(|w| text.contains(w))
        || text.chars().last().is_some_and(|c| c.is_ascii_digit())
    {
        return None;
    }
    let detail: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < detail.len() {
        let start = i;
        while i < detail.len() && detail[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i > start {
            let id: String = detail[start..i].iter().collect();
            let rest: String = detail[i..].iter().take(2).collect();
            let letter = id.chars().all(|c| c.is_ascii_alphabetic());
            let digits = id.chars().all(|c| c.is_ascii_digit());
            let unit = rest.starts_with("号楼")
                || (rest.starts_with('座') && (letter || digits))
                || (rest.starts_with('楼') && digits && id.len() >= 3);
            if unit {
                return Some(id);
            }
        }
        i += 1;
    }
    None
}

/// The floor below ground an address names (负1层 of 负一层 or -1F), as parsing wrote it.
fn basement(p: &ParsedAddress) -> Option<&str> {
    let detail = p.detail.as_deref()?;
    let at = detail.find('负')?;
    let rest = &detail[at..];
    let end = rest.find('层')? + '层'.len_utf8();
    Some(&rest[..end])
}

/// The name of `p`'s place with its town's short name before it, when the town is said
/// on `p` only and `other`'s place name starts with that short name.
fn town_named(p: &ParsedAddress, other: &ParsedAddress) -> Option<PlaceName> {
    if other.town.is_some() {
        return None;
    }
    let short = super::divisions::short_form(p.town.as_deref()?)
        .or_else(|| p.town.as_deref()?.strip_suffix('乡').map(str::to_string))?;
    let other_poi = other.poi.as_deref()?;
    if short.chars().count() < 2 || !other_poi.starts_with(&short) {
        return None;
    }
    Some(PlaceName::of(&format!("{short}{}", p.poi.as_deref()?)))
}

/// Whether an address names a kind of place with a side on several roads: a market, a
/// site, a compound, a school, a park, a hospital.
fn spans_roads(p: &ParsedAddress) -> bool {
    const KINDS: [&str; 12] = [
        "市场",
        "夜市",
        "工地",
        "住宅",
        "学校",
        "小学",
        "中学",
        "大学",
        "幼儿园",
        "公园",
        "景区",
        "医院",
    ];
    p.place_name()
        .is_some_and(|n| n.kinds.iter().any(|k| KINDS.contains(k)))
}

/// Compares two addresses of one matter.
pub fn compare<'a>(
    a: &'a ParsedAddress,
    b: &'a ParsedAddress,
    gazetteer: &Gazetteer,
    corpus: &Corpus,
) -> Verdict {
    // Two towns or streets are two places; a development zone (经开区) spans several
    // streets, so it contradicts none.
    // Two roads meet once: a junction on the boundary of two streets is one place, whichever
    // street the call-taker put it in.
    let junctions = a.junction.is_some() && b.junction.is_some();
    if let (Some(x), Some(y), false) = (&a.town, &b.town, junctions) {
        let (cx, cy): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
        // One town in two writings (㮾梨街道 / 榔梨街道) is one.
        if x != y && !sound::same_sound(&cx, &cy) && !x.ends_with('区') && !y.ends_with('区') {
            return Verdict::Different("different towns");
        }
    }
    if neighbours(a, b) {
        return Verdict::Different("a place and its neighbour");
    }
    // Two buildings of one compound (3号楼 / 13号楼, 802楼 / 812楼, A座 / B座) are two
    // places: the stairwell, the roof or the shop under one is not the other's.
    if let (Some(x), Some(y)) = (building(a), building(b)) {
        if x != y {
            return Verdict::Different("different buildings");
        }
    }
    // Two floors below ground (负1层 / 负3层): two of a tower's shops.
    if let (Some(x), Some(y)) = (basement(a), basement(b)) {
        if x != y {
            return Verdict::Different("different floors");
        }
    }
    let road_sim = match (&a.road, &b.road) {
        (Some(x), Some(y)) => {
            let sim = road_similarity(x, y);
            // A slip in a two-character road name (凉墉 for 凉塘) counts only at the same
            // door number, and never between two roads the gazetteer knows.
            let short_slip = sim == 0.0
                && a.number.is_some()
                && a.number == b.number
                && one_slip(x, y)
                && !(gazetteer.knows_road(x) && gazetteer.knows_road(y));
            // A community's or village's name run into the road's (六约永兴路18号 =
            // 六约新村永兴路18号, 月川河东路 = 河东路): the door numbers and the places decide.
            let same_door = a.number.is_some() && a.number == b.number;
            let area_said = sim == 0.0
                && (area_prefixed(x, y)
                    || area_prefixed(y, x)
                    || same_door && (lane_in_area(x, y) || lane_in_area(y, x)))
                && !(gazetteer.knows_road(x) && gazetteer.knows_road(y));
            Some(if short_slip || area_said { 0.88 } else { sim })
        }
        _ => None,
    };
    let same_road = road_sim.is_some_and(|s| s >= 0.85);
    if let (Some(x), Some(y)) = (&a.number, &b.number) {
        if same_road && x != y {
            return Verdict::Different("different door numbers on one road");
        }
        // A door on each of two roads: two addresses.
        if !same_road && a.junction.is_none() && b.junction.is_none() {
            return Verdict::Different("doors on two roads");
        }
    }
    if let (Some(x), Some(y)) = (&a.junction, &b.junction) {
        // The same two roads, either of them with a slip (开圆东路 for 开元东路) or said with
        // its section (兴华街 / 兴华北街 at 北二中路).
        let both =
            |p: &str, q: &str, r: &str, t: &str| road_similarity(p, q).min(road_similarity(r, t));
        let score = both(&x.0, &y.0, &x.1, &y.1).max(both(&x.0, &y.1, &x.1, &y.0));
        if score < 0.85 {
            return Verdict::Different("different junctions");
        }
        return Verdict::Score {
            score,
            on: MatchOn::Junction,
        };
    }
    let place_sim = match (&a.poi, &b.poi) {
        (Some(x), Some(y)) => {
            if sibling_places(x, y, gazetteer) {
                return Verdict::Different("numbered or look-alike places");
            }
            let (Some(nx), Some(ny)) = (a.place_name(), b.place_name()) else {
                return Verdict::Unknown;
            };
            if nx.core == ny.core && !nx.kinds_agree(ny) {
                return Verdict::Different("different kinds of place");
            }
            // Two exits of one station (小坪站B口 / 小坪站C口) are two places: a station
            // said without its exit joins one of them, never both.
            let exits = (without_exit(&nx.core), without_exit(&ny.core));
            if let (Some(sx), Some(sy)) = exits {
                if nx.core != ny.core && sx == sy {
                    return Verdict::Different("different exits of a station");
                }
            }
            // Two places known only by their neighbour are one when the neighbour is.
            if a.anchor.is_some() || b.anchor.is_some() {
                let anchors = match (&a.anchor, &b.anchor) {
                    (Some(p), Some(q)) => name_similarity(p, q) >= 0.9,
                    _ => false,
                };
                let sim = place_similarity(nx, ny, corpus);
                let generic = |p: &str| super::name::is_kind(p) || p.chars().count() < 2;
                if (generic(x) || generic(y)) && !anchors {
                    Some(0.0)
                } else {
                    Some(sim)
                }
            } else if rotated(&nx.core, &ny.core) {
                // A branch named by where it is, said after the name or before it (巴蜀小厨
                // （延静里店） = 延静里3号院巴蜀小厨).
                Some(0.9)
            } else if exits.0.is_some() != exits.1.is_some()
                && nx.core.ends_with('站') != ny.core.ends_with('站')
            {
                // A station and an exit of it (大芬站 / 大芬站A口): the stall or the spill is
                // at the station, whichever exit a caller named.
                let station = |n: &PlaceName, exit: Option<&str>| PlaceName {
                    core: exit.unwrap_or(&n.core).to_string(),
                    kinds: n.kinds.clone(),
                };
                Some(
                    place_similarity(&station(nx, exits.0), &station(ny, exits.1), corpus).min(0.9),
                )
            } else {
                // Another name in brackets (青岛39中（海大附中）) meets the place by either;
                // not one that other names start with (老渔夫排档（大东海）: 大东海广场,
                // 大东海沙滩), which says where.
                let aka = |p: &'a ParsedAddress| {
                    p.aka.as_ref().filter(|n| corpus.held_before(&n.core) == 0)
                };
                let sim = [(Some(nx), aka(b)), (aka(a), Some(ny)), (aka(a), aka(b))]
                    .into_iter()
                    .filter_map(|(x, y)| Some(place_similarity(x?, y?, corpus)))
                    .fold(place_similarity(nx, ny, corpus), f64::max);
                if sim > 0.0 {
                    Some(sim)
                } else {
                    // The town's name said as a part of the name on one side (高碑店古家具
                    // 一条街 / 高碑店乡古家具一条街): the name with it.
                    Some(
                        town_named(a, b)
                            .map(|n| place_similarity(&n, ny, corpus))
                            .into_iter()
                            .chain(town_named(b, a).map(|n| place_similarity(nx, &n, corpus)))
                            .fold(0.0, f64::max),
                    )
                }
            }
        }
        _ => None,
    };
    // The same shop name on two roads (or at two numbers) is two shops; a market, a site,
    // a school or a park has a side on several roads (长江批发市场 on 胜利路 and 长江东路).
    if place_sim.is_some_and(|s| s > 0.0)
        && road_sim.is_some()
        && !same_road
        && !(spans_roads(a) && spans_roads(b))
    {
        return Verdict::Different("the same name on different roads");
    }
    // The same road and door number is one place, whatever shop or building is named.
    if same_road && a.number.is_some() && a.number == b.number {
        return Verdict::Score {
            score: road_sim.unwrap_or(0.0),
            on: MatchOn::RoadNumber,
        };
    }
    // A road (or its section) and nothing else on both sides: that stretch of road (a
    // spill along 323国道罗坳段, a stall somewhere on 东门路).
    let road_only = |p: &ParsedAddress| p.number.is_none() && p.poi.is_none() && p.anchor.is_none();
    if same_road && road_only(a) && road_only(b) {
        return Verdict::Score {
            score: road_sim.unwrap_or(0.0).min(0.9),
            on: MatchOn::RoadNumber,
        };
    }
    if let Some(p) = place_sim {
        if p > 0.0 {
            // A door number on one side only, or a road on one side only: the place decides.
            // A slip in the place's name (大墉 for 大塘) is believed only when the road
            // agrees too; alone it may be a look-alike (黄兴 / 黄花): an admin decides.
            let typed = p < 0.9;
            let score = if a.number.is_some() && b.number.is_some() && a.number != b.number {
                0.0
            } else if p == 0.9 && !same_road && name_slip(a, b) {
                0.75
            } else if typed && same_road {
                (p + 0.1).min(0.95)
            } else {
                p * 0.97
            };
            if score > 0.0 {
                return Verdict::Score {
                    score,
                    on: MatchOn::Place,
                };
            }
        }
    }
    // A place on one side, a junction on the other, etc.: nothing in common to go on.
    Verdict::Unknown
}

/// Whether one name is the other with its two parts the other way round (巴蜀小厨延静里 /
/// 延静里巴蜀小厨), a compound's number (3号院) aside; each part of two characters or more.
fn rotated(a: &str, b: &str) -> bool {
    let bare = |s: &str| -> Vec<char> {
        s.replace("号院", "")
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect()
    };
    let (x, y) = (bare(a), bare(b));
    x.len() == y.len()
        && x.len() >= 4
        && x != y
        && (2..=x.len() - 2).any(|i| x[i..] == y[..x.len() - i] && x[..i] == y[x.len() - i..])
}

/// A metro station's exit (大芬站a口): the station's name.
fn without_exit(core: &str) -> Option<&str> {
    let s = core.strip_suffix('口')?;
    let t = s.trim_end_matches(|c: char| c.is_ascii_alphanumeric());
    (t.len() < s.len() && s.len() - t.len() <= 2 && t.ends_with('站')).then_some(t)
}

/// Whether two places' names differ by a slip (a character that does not sound alike),
/// rather than by words held in one of them.
fn name_slip(a: &ParsedAddress, b: &ParsedAddress) -> bool {
    let (Some(x), Some(y)) = (a.place_name(), b.place_name()) else {
        return false;
    };
    let (cx, cy): (Vec<char>, Vec<char>) = (x.core.chars().collect(), y.core.chars().collect());
    if cx.len() == cy.len() {
        return !differing(&cx, &cy).is_empty();
    }
    cx.len().abs_diff(cy.len()) == 1 && !held_in(&cx, &cy) && !held_in(&cy, &cx)
}

#[cfg(test)]
mod tests {
    use super::super::address::parse_plain;
    use super::*;

    fn v(a: &str, b: &str) -> Verdict {
        let g = Gazetteer::default();
        compare(&parse_plain(a), &parse_plain(b), &g, &Corpus::default())
    }

    fn same(a: &str, b: &str) -> bool {
        matches!(v(a, b), Verdict::Score { score, .. } if score >= 0.85)
    }

    #[test]
    fn a_shop_named_by_its_road_on_a_section_of_it_written_by_sound() {
        assert!(same(
            "岭南大道中138号富丽家私岭南大道店门口",
            "供销大厦西侧的富丽家私岭南大道店"
        ));
        assert!(same("富丽家具城（林南大道中138号）", "富丽家私岭南大道店"));
        // Another road, not a section of this one: two shops.
        assert!(!same("富丽家具城（林江大道中138号）", "富丽家私岭南大道店"));
    }

    #[test]
    fn a_place_meets_another_by_its_name_in_brackets_unless_that_says_where() {
        assert!(same("青岛39中(海大附中)", "海大附中门口"));
        assert!(same("青岛39中(海大附中)", "39中"));
        let names = [
            "老渔夫海鲜排档（大东海）",
            "大东海椰林烧烤",
            "大东海旅游区",
            "大东海",
        ];
        let parsed: Vec<_> = names.iter().map(|n| parse_plain(n)).collect();
        let corpus = Corpus::of(parsed.iter());
        assert!(parsed[0].aka.is_some());
        assert!(!matches!(
            compare(&parsed[0], &parsed[3], &Gazetteer::default(), &corpus),
            Verdict::Score { score, .. } if score >= 0.5
        ));
    }

    #[test]
    fn a_spoken_er_in_one_name_only_is_one_name() {
        assert!(same("燕儿岛路10号", "燕岛路10号工地"));
        assert_eq!(name_similarity("燕儿岛", "燕岛"), 0.9);
        assert_eq!(name_similarity("艳儿岛", "燕岛"), 0.9);
        assert_eq!(name_similarity("燕山岛", "燕岛"), 0.0);
    }

    #[test]
    fn two_floors_below_ground_of_one_door_are_two_places() {
        assert!(!same("五一路99号-3F星光KTV", "五一路99号负一层酒吧"));
        assert!(same("五一路99号负一层夜猫子酒吧", "五一路99号地下1层酒吧"));
    }

    #[test]
    fn names_that_start_alike_are_for_an_admin_and_the_same_callers_evidence() {
        let (a, b) = (parse_plain("伊味香牛肉面住户"), parse_plain("伊味香东岗店"));
        let corpus = Corpus::of([&a, &b]);
        let score = match compare(&a, &b, &Gazetteer::default(), &corpus) {
            Verdict::Score { score, .. } => score,
            other => panic!("{other}"),
        };
        // Between the default thresholds: shown to an admin, joined by nothing alone.
        assert!((0.6..0.85).contains(&score), "{score}");
        // A shared part that does not start both names, or only two characters, is nothing.
        for (x, y) in [("老伊味香", "伊味香东岗店"), ("伊味烧烤", "伊味香东岗店")]
        {
            let (x, y) = (parse_plain(x), parse_plain(y));
            let corpus = Corpus::of([&x, &y]);
            assert_eq!(
                compare(&x, &y, &Gazetteer::default(), &corpus),
                Verdict::Unknown
            );
        }
    }

    #[test]
    fn a_kinds_word_left_as_a_name_names_no_place_inside_another() {
        let (a, b) = (
            parse_plain("常营路140号家具店"),
            parse_plain("古家具一条街"),
        );
        let corpus = Corpus::of([&a, &b]);
        assert!(!matches!(
            compare(&a, &b, &Gazetteer::default(), &corpus),
            Verdict::Score { score, .. } if score >= 0.5
        ));
    }

    #[test]
    fn a_name_held_only_through_a_longer_spelling_of_one_place_is_still_rare() {
        // 恒州 is held by 恒州花园 and by 恒州花园小区广场, one place written longer.
        let names = ["恒州小区十三栋", "恒州花园", "恒州花园北门小广场"];
        let parsed: Vec<_> = names.iter().map(|n| parse_plain(n)).collect();
        let corpus = Corpus::of(parsed.iter());
        assert_eq!(corpus.held_by("恒州"), 1, "{corpus:?}");
        assert!(matches!(
            compare(&parsed[0], &parsed[1], &Gazetteer::default(), &corpus),
            Verdict::Score { score, .. } if score >= 0.85
        ));
    }

    #[test]
    fn a_rare_name_after_its_village_and_side_is_that_place() {
        let (a, b) = (parse_plain("南寨村西鑫盛木业"), parse_plain("鑫盛板材厂"));
        let g = Gazetteer::default();
        // Nothing else holds 鑫盛: the name says which place.
        let corpus = Corpus::of([&a, &b]);
        let verdict = compare(&a, &b, &g, &corpus);
        assert!(
            matches!(verdict, Verdict::Score { score, .. } if score >= 0.85),
            "{verdict:?} {:?} {:?}",
            a.place_name(),
            b.place_name()
        );
        // Another place holds it too: no longer sure.
        let c = parse_plain("北岭鑫盛木业");
        let corpus = Corpus::of([&a, &b, &c]);
        assert!(!matches!(
            compare(&a, &b, &g, &corpus),
            Verdict::Score { score, .. } if score >= 0.85
        ));
    }

    #[test]
    fn a_long_name_said_with_an_areas_name_before_it_is_that_place() {
        let g = Gazetteer::default();
        let a = parse_plain("吉星花园星光KTV");
        let b = parse_plain("新华吉星花园星光KTV");
        let c = parse_plain("棉城吉星花园星光KTV");
        let corpus = Corpus::of([&a, &b, &c]);
        for other in [&b, &c] {
            assert!(matches!(
                compare(&a, other, &g, &corpus),
                Verdict::Score { score, .. } if score >= 0.85
            ));
        }
        // A name held with more after it (吉星花园星光城) is no longer sure.
        let d = parse_plain("吉星花园星光城KTV");
        let corpus = Corpus::of([&a, &b, &c, &d]);
        assert!(!matches!(
            compare(&a, &b, &g, &corpus),
            Verdict::Score { score, .. } if score >= 0.85
        ));
    }

    #[test]
    fn the_county_town_said_as_such_and_a_short_crossroads_word() {
        assert!(same("县城开元东路18号", "开元东路18号"));
        assert!(same("城区开元东路18号某某商场", "开元东路十八号"));
        assert!(same(
            "开元东路星沙大道十字口摊点",
            "开元东路与星沙大道交叉口"
        ));
    }

    #[test]
    fn one_place_however_written() {
        assert!(same("开元东路18号某某商场", "星沙街道开元东路十八号"));
        assert!(same("某某商场开元东路18号", "开元东路18号"));
        assert!(same("开元东路与星沙大道交汇处", "星沙大道开元东路十字路口"));
        assert!(
            same("开源东路18号", "开元东路18号"),
            "{}",
            v("开源东路18号", "开元东路18号")
        );
        assert!(same("天华一村8栋2单元602", "天华1村北门"));
    }

    #[test]
    fn different_places_stay_apart() {
        assert!(matches!(
            v("开元东路18号", "开元东路88号"),
            Verdict::Different(_)
        ));
        assert!(matches!(v("天华一村", "天华二村"), Verdict::Different(_)));
        assert!(matches!(
            v("开元西路18号", "开元东路18号"),
            Verdict::Different(_)
        ));
        assert!(matches!(
            v("开元东路18号好又多超市", "人民中路5号好又多超市"),
            Verdict::Different(_)
        ));
        assert!(matches!(
            v("星沙街道开元东路18号", "黄花镇开元东路18号"),
            Verdict::Different(_)
        ));
    }

    #[test]
    fn a_compound_and_its_buildings() {
        // 48号院 is the compound at door 48, however its 号 and 院 are said.
        assert!(same("望京西路48号院内3号楼顶层", "望京西路四十八院三号楼"));
        assert!(same(
            "三里屯儿西五街五号院懒月音乐酒馆",
            "三里屯西五街5号懒月酒吧"
        ));
        // Two buildings named as the place are two places...
        for (a, b) in [
            ("望京西路48号院3号楼", "望京西路48号院13号楼"),
            ("劲松八区802楼", "劲松八区812楼"),
            ("东三里屯4号楼", "东三里屯10号楼"),
        ] {
            assert!(matches!(v(a, b), Verdict::Different(_)), "{a} / {b}");
        }
        // ...but a caller's home (its unit and room, or its 栋) says who calls, not where.
        assert!(same("天华一村8栋2单元602", "天华1村3号楼1单元101"));
        assert!(!matches!(
            v("盛世名门9栋", "盛世名门8栋"),
            Verdict::Different(_)
        ));
    }

    #[test]
    fn a_metro_exit_however_written() {
        for a in [
            "14号线望京站A口外",
            "北京 朝阳 地铁望京站A出口外",
            "望京地铁站A口",
            "阜通东大街望京站A口（接诉即办重点关注）",
        ] {
            assert!(same(a, "望京站A口"), "{a}: {}", v(a, "望京站A口"));
        }
        assert!(same("地铁6号线十里堡D口", "十里堡站D口"));
        assert!(same("袁家岗站2号出口", "袁家岗站2口"));
        assert!(!same("望京站A口", "望京站C口"));
        // A station said without its exit is the station; two exits never are one, and a
        // market named as the station is no station.
        assert!(same("大芬地铁站", "大芬地铁站A出口"));
        assert!(matches!(
            v("大芬地铁站A出口", "大芬地铁站B出口"),
            Verdict::Different(_)
        ));
        assert!(!same("劲松站D口周边", "劲松农贸市场附近"));
    }

    #[test]
    fn a_branch_named_by_where_it_is_is_that_place_either_way_round() {
        assert!(same(
            "巴蜀小厨（延静里店）",
            "延静里3号院2号楼底商巴蜀小厨门口"
        ));
        assert!(!same("巴蜀小厨（望京店）", "延静里3号院巴蜀小厨"));
    }

    #[test]
    fn an_areas_name_run_into_the_roads_at_one_door_is_that_door() {
        assert!(same("六约永兴路18号（鑫源公寓）", "六约新村永兴路18号"));
        assert!(!same("六约永兴路18号", "六约新村永兴路19号"));
        assert!(
            !same("南永兴路18号", "永兴路18号"),
            "a direction is another road"
        );
        assert!(!same("望京站A口", "望京南站A口"));
        // Without a door, the place on it decides.
        assert!(same("河东路夜色KTV", "月川河东路夜色KTV"));
        assert!(same(
            "田独吉阳大道田独农贸市场",
            "田独社区吉阳大道田独农贸市场"
        ));
        assert!(!same("河东路夜色KTV", "月川河东路金沙KTV"));
        // A new village's lane in its village, its name cut short or not.
        assert!(same("大朗犀牛陂新村3巷12号", "大朗镇犀牛陂村新村三巷12号"));
        assert!(same("大朗犀牛陂新村3巷12号", "犀牛陂社区新村3巷12号楼顶"));
        assert!(!same("大朗犀牛陂新村3巷12号", "大朗犀牛陂新村3巷21号"));
        // By sound too (宗华路 for 中华路).
        assert!(same("中华社区宗华路26号卤鹅店", "棉城中华路26号阿源卤鹅"));
    }

    #[test]
    fn a_market_or_a_site_has_sides_on_several_roads_a_shop_does_not() {
        assert!(same("漕宝路九星市场", "虹莘路九星市场边上"));
        assert!(same("三合路和平府二期工地", "旭升街和平府二期项目工地"));
        assert!(!same("永宁路蜜雪冰城", "灵源路蜜雪冰城"));
        assert!(!same("永宁路老王烧烤", "灵源路老王烧烤"));
    }

    #[test]
    fn the_towns_name_said_as_part_of_the_name_on_one_side() {
        let parse = |text: &str| {
            let local = super::super::divisions::Local::new(
                super::super::divisions::Divisions::get(),
                [110105],
            );
            super::super::address::parse(
                text,
                &super::super::address::Context {
                    gazetteer: &Gazetteer::default(),
                    local: &local,
                    prefixes: &[],
                },
            )
        };
        let g = Gazetteer::default();
        let (a, b) = (parse("高碑店古家具一条街"), parse("高碑店乡古家具一条街"));
        assert!(matches!(
            compare(&a, &b, &g, &Corpus::of([&a, &b])),
            Verdict::Score { score, .. } if score >= 0.85
        ));
    }

    #[test]
    fn a_restaurant_bar_is_a_bar_by_any_word() {
        assert!(same("海韵路12号浪花里音乐餐吧", "浪花里餐吧"));
        assert!(same("浪花里清吧", "浪花里餐吧"));
    }

    #[test]
    fn a_plot_by_its_code_whatever_unit_or_developer_is_said_before_it() {
        for a in [
            "MHPO-1313单元24-02地块",
            "浦锦保利24-02地块项目部",
            "24—02地块围挡外",
        ] {
            assert!(same(a, "24-02地块"), "{a}: {}", v(a, "24-02地块"));
        }
        assert!(!same("24-02地块", "05-02地块"));
        assert!(!same("MHPO-1313单元24-02地块", "MHPO-1313单元24-03地块"));
    }

    #[test]
    fn a_metro_station_and_its_square_however_written() {
        for a in [
            "地铁1号线莘庄站北广场边上",
            "富民路莘庄地铁北广场",
            "上海 闵行区沪闵路莘庄地铁站北广场",
            "莘庄地铁站 北面广场 公交枢纽边",
        ] {
            assert!(same(a, "莘庄站北广场"), "{a}: {}", v(a, "莘庄站北广场"));
        }
        assert!(!same("莘庄站北广场", "莘庄站南广场"));
        for a in ["1号线外环路站", "外环路站出口", "沪闵路外环路地铁站"] {
            assert!(same(a, "地铁外环路站"), "{a}: {}", v(a, "地铁外环路站"));
        }
        // A station's building site is the site (and a line is no road).
        for a in ["6号线站北路站施工附近", "轨道交通6号线站北路站"] {
            assert!(same(a, "地铁6号线站北路站工地"), "{a}");
        }
        // A crossing is no station's name; a line is no station.
        assert!(!same("地铁六号线星沙段工地", "地铁星沙站工地"));
        assert!(same(
            "雄楚大道与关山大道交汇处地铁站工地",
            "关山大道雄楚大道口地铁站工地"
        ));
        assert!(!same(
            "雄楚大道与关山大道交汇处地铁站工地",
            "珞喻路与关山大道交汇处地铁站工地"
        ));
    }

    #[test]
    fn a_villages_group_lane_and_door_however_said() {
        for (a, b) in [
            ("古生村委会古生四组", "古生村委会第四村民小组"),
            ("古生村四社附近", "古生村4组"),
            ("青岩刘村58号", "青岩刘社区58号"),
            ("李塘自然村37号", "李塘村三十七号"),
            ("三元里村第二经济社7巷3号", "三元里村2社七巷三号"),
        ] {
            assert!(same(a, b), "{a} / {b}: {}", v(a, b));
        }
        for (a, b) in [
            ("三元里村2社7巷3号", "三元里村3社7巷3号"),
            ("三元里村2社7巷3号", "三元里村2社8巷3号"),
            ("青岩刘村58号", "青岩刘村68号"),
            ("古生村4组", "古生村5组"),
        ] {
            assert!(!same(a, b), "{a} / {b}: {}", v(a, b));
        }
    }

    #[test]
    fn a_junction_whatever_section_or_old_town_is_said() {
        for a in [
            "古城人民路中段与博爱路交叉口西侧人行道",
            "古城博爱路口人民路",
            "人民路跟博爱路交叉那点",
        ] {
            assert!(same(a, "人民路博爱路口"), "{a}: {}", v(a, "人民路博爱路口"));
        }
        assert!(!same("人民路博爱路口", "人民路复兴路口"));
        assert!(same("古城内人民路126号", "人民路一二六号"));
        // One road said with its section, the other heard by sound.
        assert!(same("北二中路兴华街路口", "兴华北街北二钟路口"));
        assert!(!same("北二中路兴华北街路口", "北二中路兴华南街路口"));
    }

    #[test]
    fn a_junction_is_one_place_whichever_street_it_is_put_in() {
        assert!(same(
            "东坝街道姚家园路与东坝中路交叉口",
            "平房街道东坝中路姚家园路十字路口"
        ));
    }

    #[test]
    fn a_shop_with_its_place_in_brackets_is_the_shop_at_that_place() {
        assert!(same("湘味轩（SOHO现代城A座）", "SOHO现代城A座底商湘味轩"));
        assert!(same("惠民菜店（酒仙桥路11号院底商）", "酒仙桥路11号院"));
        assert!(same("3号楼（望京西路48号院）那边儿", "望京西路48号院3号楼"));
    }
}
