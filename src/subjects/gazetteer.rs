//! The gazetteer: the county's towns and streets, roads, communities and named places with
//! their aliases, in a plain text file an admin extends, one entry a line:
//!
//! ```text
//! town 星沙街道 | 星沙            # a 街道 or 镇, then aliases after |
//! road 开元东路 | 开元路东段
//! community 天华社区 @星沙街道     # @ the town it is in
//! poi 天华一村 | 天华1村 @星沙街道
//! ```
//!
//! It tells the address parser where names start and which spellings are one name; an
//! address it does not know is still parsed, less well. A bad line is an error naming the
//! file and the line. No I/O beyond reading the file.

use std::collections::HashMap;
use std::path::Path;

use super::numerals;

/// The built-in gazetteer of 长沙县.
pub const BUILTIN: &str = include_str!("../../gazetteer/changsha-county.txt");

/// The county the built-in gazetteer describes (长沙县).
pub const BUILTIN_COUNTY: u32 = 430121;

/// A gazetteer line that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}: {reason}")]
pub struct GazetteerError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

/// Road suffixes taken off a road's name (开元东路 → 开元东).
const ROAD_SUFFIXES: [&str; 8] = ["国道", "省道", "大道", "大街", "路", "街", "巷", "线"];

/// A road's stem with the numerals it ends with as digits (东六 → 东6, 一零五 → 105), the
/// others as written (五一, 五侯: names).
pub fn road_numerals(stem: &str) -> String {
    let chars: Vec<char> = stem.chars().collect();
    let mut start = chars.len();
    while start > 0 && (numerals::is_numeral(chars[start - 1]) || chars[start - 1].is_ascii_digit())
    {
        start -= 1;
    }
    let head: String = chars[..start].iter().collect();
    let tail: String = chars[start..].iter().collect();
    // Before the road's suffix a formal numeral is the road's number too (岗头新村伍巷 =
    // 岗头新村5巷, 东叁巷 = 东3巷).
    // Not 陆 (land: 新陆路), nor 拾, 佰, 仟, which are words too.
    let formal = !head.is_empty()
        && tail.chars().count() == 1
        && tail
            .chars()
            .all(|c| numerals::is_numeral(c) && !"陆拾佰仟".contains(c));
    match numerals::value(&tail) {
        Some(v) if formal => format!("{head}{v}"),
        _ => format!("{head}{}", numerals::to_arabic(&tail)),
    }
}

/// A road's name without its suffix.
pub fn road_stem(name: &str) -> &str {
    for s in ROAD_SUFFIXES {
        if let Some(stem) = name.strip_suffix(s) {
            if stem.chars().count() >= 2 {
                return stem;
            }
        }
    }
    name
}

#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// Every spelling of a town (name and aliases) → its canonical name.
    towns: HashMap<String, String>,
    /// Every road stem (name and aliases, without suffix) → the canonical stem.
    roads: HashMap<String, String>,
    /// Every place spelling (numerals as digits) → the canonical place.
    pois: HashMap<String, String>,
    /// Community names.
    communities: HashMap<String, String>,
    longest_town: usize,
    longest_road: usize,
}

impl Gazetteer {
    /// The built-in gazetteer.
    pub fn builtin() -> Gazetteer {
        Gazetteer::parse(BUILTIN, "the built-in gazetteer").expect("the built-in gazetteer parses")
    }

    /// Reads a gazetteer file.
    pub fn load(path: &Path) -> Result<Gazetteer, GazetteerError> {
        let text = std::fs::read_to_string(path).map_err(|e| GazetteerError {
            file: path.display().to_string(),
            line: 0,
            reason: format!("cannot read it: {e}"),
        })?;
        Gazetteer::parse(&text, &path.display().to_string())
    }

    /// Parses gazetteer text; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<Gazetteer, GazetteerError> {
        let mut g = Gazetteer::default();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let error = |reason: String| GazetteerError {
                file: source.to_string(),
                line: n + 1,
                reason,
            };
            let (kind, rest) = line.split_once(char::is_whitespace).ok_or_else(|| {
                error(format!(
                    "\"{line}\" has a kind but no name (write e.g. \"road 开元东路\")"
                ))
            })?;
            let (names, _town) = match rest.split_once('@') {
                Some((names, town)) => (names, Some(town.trim())),
                None => (rest, None),
            };
            let mut spellings: Vec<String> = names
                .split('|')
                .map(|s| crate::normalize::address_chars(s.trim()))
                .collect();
            if spellings.iter().any(String::is_empty) {
                return Err(error(format!("\"{line}\" has an empty name or alias")));
            }
            let canonical = spellings.remove(0);
            match kind {
                "town" => {
                    for s in std::iter::once(&canonical).chain(&spellings) {
                        g.longest_town = g.longest_town.max(s.chars().count());
                        g.towns.insert(s.clone(), canonical.clone());
                    }
                }
                "road" => {
                    let stem = road_numerals(road_stem(&canonical));
                    for s in std::iter::once(&canonical).chain(&spellings) {
                        let key = road_numerals(road_stem(s));
                        g.longest_road = g.longest_road.max(key.chars().count());
                        g.roads.insert(key, stem.clone());
                    }
                }
                "community" => {
                    for s in std::iter::once(&canonical).chain(&spellings) {
                        g.communities.insert(s.clone(), canonical.clone());
                    }
                }
                "poi" => {
                    let target = numerals::to_arabic(&canonical);
                    for s in std::iter::once(&canonical).chain(&spellings) {
                        g.pois.insert(numerals::to_arabic(s), target.clone());
                    }
                }
                other => {
                    return Err(error(format!(
                        "unknown kind \"{other}\" (known: town, road, community, poi)"
                    )))
                }
            }
        }
        Ok(g)
    }

    /// A town at the start of `text`: (its length in chars, canonical name). Only a name
    /// that says it is a town (…街道, …镇, 经开区) counts: a short alias (星沙, 泉塘) starts
    /// road and place names too often (星沙大道, 泉塘农贸市场).
    pub fn town_prefix(&self, text: &[char]) -> Option<(usize, String)> {
        for len in (2..=self.longest_town.min(text.len())).rev() {
            let candidate: String = text[..len].iter().collect();
            if let Some(town) = self.towns.get(&candidate) {
                let explicit = ["街道", "镇", "乡", "区"]
                    .iter()
                    .any(|s| candidate.ends_with(s));
                if explicit {
                    return Some((len, town.clone()));
                }
            }
        }
        None
    }

    /// Whether `text` starts with a known place's name or alias (黄花机场 starts with a
    /// town's short name but is a place).
    pub fn starts_with_known_place(&self, text: &str) -> bool {
        let arabic = numerals::to_arabic(text);
        self.pois
            .keys()
            .chain(self.pois.values())
            .any(|p| p.chars().count() >= 3 && arabic.starts_with(p.as_str()))
    }

    /// A town's short name (an alias that does not say 街道/镇) at the start of `text`,
    /// not followed by a road suffix: (its length, the town).
    pub fn town_alias_prefix(&self, text: &[char]) -> Option<(usize, String)> {
        for len in (2..=self.longest_town.min(text.len().saturating_sub(2))).rev() {
            let candidate: String = text[..len].iter().collect();
            let Some(town) = self.towns.get(&candidate) else {
                continue;
            };
            let next: String = text[len..].iter().take(2).collect();
            let road_follows = ROAD_SUFFIXES.iter().any(|s| next.starts_with(s))
                || next.starts_with('街') && next != "街道";
            if !road_follows {
                return Some((len, town.clone()));
            }
        }
        None
    }

    /// The length of the longest known road stem that `text` ends with.
    pub fn road_ending_at(&self, text: &[char]) -> Option<usize> {
        (2..=self.longest_road.min(text.len())).rev().find(|&len| {
            let candidate: String = text[text.len() - len..].iter().collect();
            self.roads.contains_key(&road_numerals(&candidate))
        })
    }

    /// Whether a road stem is a known road (or alias).
    pub fn knows_road(&self, stem: &str) -> bool {
        self.roads.contains_key(&road_numerals(stem))
    }

    /// The canonical stem of a road stem.
    /// Unknown stems have their ending numerals as digits (工业区二 = 工业区2, 一零五 = 105;
    /// not 五侯, heard for 武侯) and a highway's letter off (G105 = 105).
    pub fn canonical_road(&self, stem: &str) -> String {
        let arabic = road_numerals(stem);
        if let Some(known) = self.roads.get(&arabic) {
            return known.clone();
        }
        let highway = arabic
            .strip_prefix(['g', 's', 'x'])
            .filter(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()));
        highway.map(str::to_string).unwrap_or(arabic)
    }

    /// The canonical spelling of a place (numerals as digits): a known name or alias in it
    /// (the longest) is replaced by the canonical name (县政府停车场 → 长沙县人民政府停车场).
    pub fn canonical_poi(&self, poi: &str) -> String {
        if let Some(c) = self.pois.get(poi) {
            return c.clone();
        }
        let best = self
            .pois
            .iter()
            .filter(|(spelling, _)| {
                // At the start: 州人民医院 is no 人民医院 of the gazetteer's county.
                spelling.chars().count() >= 3 && poi.starts_with(spelling.as_str())
            })
            .max_by_key(|(spelling, _)| (spelling.chars().count(), spelling.as_str()));
        // The canonical name is a spelling too, and longer than an alias it holds
        // (县人民医院 in 长沙县人民医院), so a place already named canonically stays as it is.
        match best {
            Some((spelling, canonical)) => poi.replacen(spelling.as_str(), canonical, 1),
            None => poi.to_string(),
        }
    }

    /// The known town names (canonical and aliases) that occur in `text`.
    pub fn towns_in<'a>(&'a self, text: &str) -> Vec<&'a str> {
        let mut found: Vec<&str> = self
            .towns
            .iter()
            .filter(|(spelling, _)| {
                spelling.chars().count() >= 2 && text.contains(spelling.as_str())
            })
            .map(|(_, town)| town.as_str())
            .collect();
        found.sort();
        found.dedup();
        found
    }

    /// Entries by kind: (towns, roads, communities, places), spellings included.
    pub fn sizes(&self) -> (usize, usize, usize, usize) {
        (
            self.towns.len(),
            self.roads.len(),
            self.communities.len(),
            self.pois.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_line_is_an_error_naming_it() {
        let e = Gazetteer::parse("town 星沙街道\n\nstreet 开元东路\n", "g.txt").unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.txt, line 3: unknown kind \"street\" (known: town, road, community, poi)"
        );
        let e = Gazetteer::parse("road\n", "g.txt").unwrap_err();
        assert_eq!(e.line, 1);
        let e = Gazetteer::parse("poi 天华一村 | \n", "g.txt").unwrap_err();
        assert!(e.to_string().contains("empty name"), "{e}");
    }

    #[test]
    fn aliases_lead_to_the_canonical_name() {
        let g = Gazetteer::parse(
            "town 长沙经济技术开发区 | 经开区\nroad 开元东路 | 开元路东段\npoi 天华一村 | 天华1村\n",
            "g",
        )
        .unwrap();
        let chars: Vec<char> = "经开区开元东路18号".chars().collect();
        assert_eq!(
            g.town_prefix(&chars),
            Some((3, "长沙经济技术开发区".to_string()))
        );
        assert_eq!(g.canonical_poi("天华1村"), "天华1村");
        assert_eq!(g.canonical_road("开元东"), "开元东");
    }

    #[test]
    fn the_builtin_gazetteer_parses() {
        let g = Gazetteer::builtin();
        assert!(g.sizes().0 >= 18, "{:?}", g.sizes());
    }
}
