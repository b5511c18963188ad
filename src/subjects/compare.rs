//! Whether two parsed addresses name one place: a score with what it rests on, or a hard
//! "different place" that no score overrides (another door number on the same road, another
//! town, another numbered compound, the same shop name on another road, another junction).
//!
//! Characters are compared as characters (DuckDB's similarity functions compare bytes,
//! wrong for Chinese), homophones through pinyin. Pure: no I/O.

use std::fmt;

use pinyin::ToPinyin;

use super::address::ParsedAddress;
use super::gazetteer::Gazetteer;

/// What a match rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchOn {
    /// The same road and door number.
    RoadNumber,
    /// The same two roads meeting.
    Junction,
    /// The same named place.
    Place,
}

impl MatchOn {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOn::RoadNumber => "road+number",
            MatchOn::Junction => "junction",
            MatchOn::Place => "place",
        }
    }

    /// The match as stored (`as_str`), back.
    pub fn from_stored(text: &str) -> Option<MatchOn> {
        [MatchOn::RoadNumber, MatchOn::Junction, MatchOn::Place]
            .into_iter()
            .find(|on| on.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            MatchOn::RoadNumber => "路名门牌",
            MatchOn::Junction => "路口",
            MatchOn::Place => "地名",
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

/// The pinyin of a text without tones (characters without pinyin kept as they are).
pub fn pinyin_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for (c, p) in text.chars().zip(text.to_pinyin()) {
        match p {
            Some(p) => out.push_str(p.plain()),
            None => out.push(c),
        }
        out.push(' ');
    }
    out
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

/// Positions where two strings of one length differ.
fn differing(a: &[char], b: &[char]) -> Vec<usize> {
    a.iter()
        .zip(b)
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, _)| i)
        .collect()
}

fn is_direction_or_numeral(c: char) -> bool {
    matches!(c, '东' | '西' | '南' | '北' | '中')
        || c.is_ascii_digit()
        || super::numerals::is_numeral(c)
}

/// How alike two names are: 1 the same, 0.95 homophones, 0.9 one slip (a character typed
/// wrong, missing or extra) in a name of three or more; 0 otherwise. A slip on a direction
/// or a numeral (开元东 / 开元西, 东四 / 东六) is another name, not a slip.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if ca.len() == cb.len() {
        let diff = differing(&ca, &cb);
        // 东 for 西, 四 for 六: another name. 冬 for 东 is a slip.
        if diff
            .iter()
            .any(|&i| is_direction_or_numeral(ca[i]) && is_direction_or_numeral(cb[i]))
        {
            return 0.0;
        }
        if pinyin_of(a) == pinyin_of(b) {
            return 0.95;
        }
        if diff.len() == 1 && ca.len() >= 3 {
            return 0.9;
        }
        return 0.0;
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
            if &l == short {
                return 0.9;
            }
        }
    }
    0.0
}

/// A place's name split into what names it and its kind, the kind as a class (菜市场 and
/// 农贸市场 are one kind, 商业广场 and 广场 another): 通程商业广场 → (通程商业, 广场).
pub(crate) fn core_and_kind(name: &str) -> Option<(&str, &'static str)> {
    let kind = super::address::PLACE_KINDS
        .iter()
        .filter(|k| name.ends_with(*k))
        .max_by_key(|k| k.len())?;
    let core = &name[..name.len() - kind.len()];
    let class = match *kind {
        "农贸市场" | "菜市场" | "市场" => "市场",
        "商业广场" | "广场" => "广场",
        k => k,
    };
    Some((core, class))
}

/// Two names of one kind of place where one's name is the other's with words added
/// (通程广场 / 通程商业广场, 松雅湖公园 / 松雅湖国家湿地公园, 凉塘菜市场 / 凉塘农贸市场).
fn same_place_more_words(a: &str, b: &str) -> bool {
    let (Some((ca, ka)), Some((cb, kb))) = (core_and_kind(a), core_and_kind(b)) else {
        return false;
    };
    let (short, long) = if ca.len() <= cb.len() {
        (ca, cb)
    } else {
        (cb, ca)
    };
    ka == kb
        && short.chars().count() >= 2
        && long.starts_with(short)
        && !long[short.len()..]
            .chars()
            .any(|c| c.is_ascii_digit() || is_direction_or_numeral(c))
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
        && without_digits(a) == without_digits(b)
        && digits(a) != digits(b)
    {
        return true;
    }
    let (ta, tb) = (gazetteer.towns_in(a), gazetteer.towns_in(b));
    !ta.is_empty() && !tb.is_empty() && ta != tb
}

/// Compares two addresses of one matter.
pub fn compare(a: &ParsedAddress, b: &ParsedAddress, gazetteer: &Gazetteer) -> Verdict {
    // Two towns or streets are two places; a development zone (经开区) spans several
    // streets, so it contradicts none.
    if let (Some(x), Some(y)) = (&a.town, &b.town) {
        if x != y && !x.ends_with('区') && !y.ends_with('区') {
            return Verdict::Different("different towns");
        }
    }
    let road_sim = match (&a.road, &b.road) {
        (Some(x), Some(y)) => {
            let sim = name_similarity(x, y);
            // A slip in a two-character road name (凉墉 for 凉塘) counts only at the same
            // door number, and never between two roads the gazetteer knows.
            let short_slip = sim == 0.0
                && a.number.is_some()
                && a.number == b.number
                && one_slip(x, y)
                && !(gazetteer.knows_road(x) && gazetteer.knows_road(y));
            Some(if short_slip { 0.88 } else { sim })
        }
        _ => None,
    };
    let same_road = road_sim.is_some_and(|s| s >= 0.85);
    if same_road {
        if let (Some(x), Some(y)) = (a.number, b.number) {
            if x != y {
                return Verdict::Different("different door numbers on one road");
            }
        }
    }
    if let (Some(x), Some(y)) = (&a.junction, &b.junction) {
        // The same two roads, either of them with a slip (开圆东路 for 开元东路).
        let both =
            |p: &str, q: &str, r: &str, t: &str| name_similarity(p, q).min(name_similarity(r, t));
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
            let sim = name_similarity(x, y);
            Some(if sim == 0.0 && same_place_more_words(x, y) {
                0.95
            } else {
                sim
            })
        }
        _ => None,
    };
    // The same shop name on two roads (or at two numbers) is two shops.
    if place_sim.is_some_and(|s| s > 0.0) && road_sim.is_some() && !same_road {
        return Verdict::Different("the same name on different roads");
    }
    // The same road and door number is one place, whatever shop or building is named.
    if same_road && a.number.is_some() && a.number == b.number {
        return Verdict::Score {
            score: road_sim.unwrap_or(0.0),
            on: MatchOn::RoadNumber,
        };
    }
    if let Some(p) = place_sim {
        if p > 0.0 {
            // A door number on one side only, or a road on one side only: the place decides.
            // A slip in the place's name (大墉 for 大塘) is believed only when the road
            // agrees too; alone it may be a look-alike (黄兴 / 黄花): an admin decides.
            let typed = p < 0.95;
            let score = if a.number.is_some() && b.number.is_some() && a.number != b.number {
                0.0
            } else if typed && !same_road {
                0.75
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

#[cfg(test)]
mod tests {
    use super::super::address::parse;
    use super::*;

    fn v(a: &str, b: &str) -> Verdict {
        let g = Gazetteer::default();
        compare(&parse(a, &g), &parse(b, &g), &g)
    }

    fn same(a: &str, b: &str) -> bool {
        matches!(v(a, b), Verdict::Score { score, .. } if score >= 0.85)
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
        assert!(
            matches!(v("开元西路18号", "开元东路18号"), Verdict::Score { score, .. } if score < 0.5)
                || matches!(v("开元西路18号", "开元东路18号"), Verdict::Unknown)
        );
        assert!(matches!(
            v("开元东路18号好又多超市", "人民中路5号好又多超市"),
            Verdict::Different(_)
        ));
        assert!(matches!(
            v("星沙街道开元东路18号", "黄花镇开元东路18号"),
            Verdict::Different(_)
        ));
    }
}
