//! A county address parsed into its parts: town or street (街道/镇), community (社区), road
//! and door number, junction, named place (POI), with building details and position words
//! (门口, 北门, 东北角, 往东50米) recognised and set aside.
//!
//! It parses the normalized address (NFKC, no white space or punctuation, prefixes and
//! vague suffixes stripped: see `normalize.rs`), so brackets no longer separate parts: the
//! parts are found by the words that end them (路, 号, 社区, 交汇处 ...). The gazetteer,
//! when it knows a town, road or place, decides where a name starts; without it a road's
//! name is the two characters before its suffix (plus a direction: 开元东路). Pure: no I/O.

use super::gazetteer::Gazetteer;
use super::numerals;

/// The parts of one address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedAddress {
    /// The town or street (街道, 镇, 经开区), canonical name.
    pub town: Option<String>,
    /// The community (社区).
    pub community: Option<String>,
    /// The road's name without its suffix (开元东 for 开元东路), canonical.
    pub road: Option<String>,
    /// The door number on that road.
    pub number: Option<u32>,
    /// Two roads meeting, in sorted order.
    pub junction: Option<(String, String)>,
    /// The named place with numerals as digits (天华1村), canonical when the gazetteer knows
    /// it.
    pub poi: Option<String>,
    /// Building, unit, floor, room (8栋2单元602), kept for explanations only.
    pub detail: Option<String>,
}

impl ParsedAddress {
    /// Whether nothing that names a place was found (an address of only a town, say).
    pub fn is_vague(&self) -> bool {
        self.road.is_none() && self.junction.is_none() && self.poi.is_none()
    }
}

/// Words that end a road's name.
const ROAD_SUFFIXES: [&str; 8] = ["国道", "省道", "大道", "大街", "路", "街", "巷", "线"];

/// Words that mark a junction.
const JUNCTION_MARKS: [&str; 8] = [
    "十字路口",
    "丁字路口",
    "交汇处",
    "交叉口",
    "交叉路口",
    "交界处",
    "路口",
    "交口",
];

/// Words between two roads of a junction.
const JUNCTION_JOINERS: [&str; 4] = ["与", "和", "跟", "及"];

/// Position words: where at the place, not which place (longer ones first, so that
/// 北门口 goes whole rather than leave 北 behind).
const POSITIONS: [&str; 42] = [
    "大门口",
    "北门口",
    "南门口",
    "东门口",
    "西门口",
    "正门口",
    "东北角",
    "东南角",
    "西北角",
    "西南角",
    "南大门",
    "北大门",
    "东大门",
    "西大门",
    "地下车库",
    "斜对面",
    "门口",
    "大门",
    "北门",
    "南门",
    "东门",
    "西门",
    "正门",
    "后门",
    "侧门",
    "对面",
    "旁边",
    "附近",
    "周边",
    "一带",
    "楼下",
    "楼道",
    "左右",
    "路边",
    "入口",
    "出口",
    "里面",
    "后面",
    "前面",
    "门前",
    "门面",
    "底商",
];

/// Position words of one character, taken off the end only.
const POSITION_TAILS: [char; 8] = ['旁', '内', '外', '前', '后', '边', '斜', '侧'];

/// Units of building details.
const DETAIL_UNITS: [&str; 7] = ["号楼", "栋", "幢", "单元", "楼", "层", "室"];

/// Words after a number that make it part of the road or a lane, not a door: 一二巷,
/// 二期, 三段.
const ROAD_PARTS: [&str; 9] = ["巷", "弄", "段", "期", "组", "队", "区", "村", "支"];

/// Words that end a town's name.
const TOWN_SUFFIXES: [&str; 3] = ["街道", "镇", "乡"];

/// Words naming a kind of place rather than a place: alone they do not say which one
/// (小学 is any school), so a town's short name before them is part of the name (泉塘小学),
/// and a road's name never runs through them (泉塘小学杉仙路 is on 杉仙路).
pub(crate) const PLACE_KINDS: [&str; 22] = [
    "小学",
    "中学",
    "幼儿园",
    "学校",
    "医院",
    "卫生院",
    "农贸市场",
    "菜市场",
    "市场",
    "商业广场",
    "广场",
    "公园",
    "小区",
    "花园",
    "大厦",
    "商场",
    "超市",
    "加油站",
    "车站",
    "新街",
    "老街",
    "村委会",
];

/// Whether a place's name is only a kind of place, or too short or numbered to say which
/// one (4区, 2村).
fn names_only_a_kind(poi: &str) -> bool {
    let chars: Vec<char> = poi.chars().collect();
    chars.len() <= 1
        || PLACE_KINDS.contains(&poi)
        || (chars[0].is_ascii_digit()
            && chars.len() <= 3
            && matches!(chars[chars.len() - 1], '区' | '村' | '组' | '期'))
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn is_direction(c: char) -> bool {
    matches!(c, '东' | '西' | '南' | '北' | '中')
}

/// Parses a normalized address.
pub fn parse(address: &str, gazetteer: &Gazetteer) -> ParsedAddress {
    let mut out = ParsedAddress::default();
    let mut rest: Vec<char> = address.chars().collect();

    // Town or street at the start: the gazetteer's longest name, else a short name ending
    // in 街道 / 镇 / 乡.
    if let Some((len, town)) = gazetteer.town_prefix(&rest) {
        out.town = Some(town);
        rest.drain(..len);
    } else if let Some(len) = generic_prefix(&rest, &TOWN_SUFFIXES, 2, 3) {
        out.town = Some(rest[..len].iter().collect());
        rest.drain(..len);
    }
    // A town's short name starting a place's name (泉塘农贸市场, 高桥加油站, 安沙新街) says
    // where the place is: taken as the town unless it starts a road (星沙大道).
    let text_now: String = rest.iter().collect();
    let mut town_alias: Option<String> = None;
    if !gazetteer.starts_with_known_place(&text_now) {
        if let Some((len, town)) = gazetteer.town_alias_prefix(&rest) {
            if out.town.is_none() || out.town.as_deref() == Some(town.as_str()) {
                out.town = Some(town);
                town_alias = Some(rest.drain(..len).collect());
            }
        }
    }
    // Community after it.
    if let Some(len) = generic_prefix(&rest, &["社区"], 2, 4) {
        out.community = Some(rest[..len].iter().collect());
        rest.drain(..len);
    }
    let mut text: String = rest.iter().collect();

    // Position words anywhere (往东50米 too), and one-character ones at the end.
    text = strip_positions(&text);
    text = text
        .trim_end_matches(|c| POSITION_TAILS.contains(&c))
        .to_string();

    // A junction: two roads before a junction mark, or joined by 与/和.
    if let Some((junction, remaining)) = find_junction(&text, gazetteer) {
        out.junction = Some(junction);
        text = remaining;
    }

    // Building details: 8栋2单元602, 3号楼.
    let (without_detail, detail) = strip_details(&text);
    text = without_detail;
    out.detail = detail;

    // Road and door number.
    if out.junction.is_none() {
        if let Some(found) = find_road(&text, gazetteer) {
            out.road = Some(found.name);
            out.number = found.number;
            if !found.named_place_follows {
                text = format!("{}{}", &text[..found.start], &text[found.end..]);
            }
        }
    }

    // What is left names the place.
    let poi = numerals::to_arabic(text.trim_end_matches(|c| POSITION_TAILS.contains(&c)));
    let mut poi = strip_generic_tail(&poi);
    // A town's short name taken off the start belongs to a place's name that is only a
    // kind of place without it (泉塘小学, 星沙四区).
    // Likewise the town written out (高桥镇加油站 is 高桥加油站).
    if !poi.is_empty() && names_only_a_kind(&poi) {
        let short = town_alias.or_else(|| {
            let town = out.town.as_deref()?;
            TOWN_SUFFIXES
                .iter()
                .find_map(|suffix| town.strip_suffix(suffix))
                .filter(|name| name.chars().count() >= 2)
                .map(str::to_string)
        });
        if let Some(short) = short {
            poi = format!("{short}{poi}");
        }
    }
    let mut poi = gazetteer.canonical_poi(&poi);
    // The same for a place named after a road: 东六路23号湘龙小学 is 湘龙 town's school.
    if !gazetteer.starts_with_known_place(&poi) {
        let chars: Vec<char> = poi.chars().collect();
        if let Some((len, town)) = gazetteer.town_alias_prefix(&chars) {
            if out.town.is_none() || out.town.as_deref() == Some(town.as_str()) {
                out.town = Some(town);
                let rest: String = chars[len..].iter().collect();
                if !names_only_a_kind(&rest) {
                    poi = rest;
                }
            }
        }
    }
    if poi
        .chars()
        .filter(|c| is_han(*c) || c.is_ascii_alphanumeric())
        .count()
        >= 2
    {
        out.poi = Some(poi);
    }
    out
}

/// The length of a prefix `name + suffix` with a name of `min..=max` Han characters.
fn generic_prefix(text: &[char], suffixes: &[&str], min: usize, max: usize) -> Option<usize> {
    for len in min..=max {
        if len >= text.len() || !text[..len].iter().all(|c| is_han(*c)) {
            break;
        }
        for suffix in suffixes {
            let s: Vec<char> = suffix.chars().collect();
            if text[len..].starts_with(&s) {
                return Some(len + s.len());
            }
        }
    }
    None
}

fn strip_positions(text: &str) -> String {
    let mut out = text.to_string();
    for word in POSITIONS {
        out = out.replace(word, "");
    }
    // 往东50米, 东侧, 向北100米
    let chars: Vec<char> = out.chars().collect();
    let mut kept = String::with_capacity(out.len());
    let mut i = 0;
    while i < chars.len() {
        if (chars[i] == '往' || chars[i] == '向')
            && i + 1 < chars.len()
            && is_direction(chars[i + 1])
        {
            let mut j = i + 2;
            while j < chars.len() && (chars[j].is_ascii_digit() || numerals::is_numeral(chars[j])) {
                j += 1;
            }
            if j < chars.len() && (chars[j] == '米' || chars[j] == '侧') {
                i = j + 1;
                continue;
            }
        }
        if is_direction(chars[i]) && i + 1 < chars.len() && chars[i + 1] == '侧' {
            i += 2;
            continue;
        }
        kept.push(chars[i]);
        i += 1;
    }
    kept
}

/// Building, unit, floor and room details, taken out of the text.
fn strip_details(text: &str) -> (String, Option<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut kept = String::new();
    let mut detail = String::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let mut j = i;
        while j < chars.len() && (chars[j].is_ascii_digit() || numerals::is_numeral(chars[j])) {
            j += 1;
        }
        if j > start {
            let after: String = chars[j..].iter().take(2).collect();
            if let Some(unit) = DETAIL_UNITS.iter().find(|u| after.starts_with(*u)) {
                let end = j + unit.chars().count();
                detail.extend(&chars[start..end]);
                i = end;
                // A room number right after a unit: 2单元602.
                if matches!(*unit, "单元" | "栋" | "幢" | "号楼") {
                    let mut k = i;
                    while k < chars.len() && chars[k].is_ascii_digit() {
                        k += 1;
                    }
                    if k == chars.len() && k > i {
                        detail.extend(&chars[i..k]);
                        i = k;
                    }
                }
                continue;
            }
        }
        kept.push(chars[i]);
        i += 1;
    }
    let detail = (!detail.is_empty()).then_some(detail);
    (kept, detail)
}

/// Generic words after a place's name that do not change the place (某某小区 = 某某).
fn strip_generic_tail(poi: &str) -> String {
    let mut p = poi.to_string();
    for tail in ["小区", "院子", "院内", "大院"] {
        if let Some(rest) = p.strip_suffix(tail) {
            if rest.chars().count() >= 2 {
                p = rest.to_string();
            }
        }
    }
    p
}

/// A road found in the text, with its byte span (door number included).
struct FoundRoad {
    name: String,
    number: Option<u32>,
    start: usize,
    end: usize,
    /// A road without a number whose name runs on into a place's (三一路安置小区): the
    /// road stays part of the place's name.
    named_place_follows: bool,
}

/// The road's name ending at char index `end` (exclusive, before its suffix).
fn road_name_before(chars: &[char], end: usize, floor: usize, gazetteer: &Gazetteer) -> usize {
    if let Some(len) = gazetteer.road_ending_at(&chars[floor..end]) {
        return end - len;
    }
    let mut start = end;
    if start > floor && is_direction(chars[start - 1]) && start - 1 > floor {
        start -= 1;
    }
    let mut taken = 0;
    while start > floor
        && taken < 2
        && (is_han(chars[start - 1]) || chars[start - 1].is_ascii_digit())
    {
        start -= 1;
        taken += 1;
    }
    // A name that starts the text is taken whole when short (螺丝塘路, 万家丽路).
    if start > floor && start - floor <= 2 && chars[floor..start].iter().all(|c| is_han(*c)) {
        start = floor;
    }
    // Digits only (107国道): all of them.
    while start > floor && chars[start - 1].is_ascii_digit() && chars[start].is_ascii_digit() {
        start -= 1;
    }
    start
}

/// The door number at char index `i`: digits or Chinese numerals, then 号 (or the end of
/// the text); returns the number and the index after it.
fn number_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    while j < chars.len() && (chars[j].is_ascii_digit() || numerals::is_numeral(chars[j])) {
        j += 1;
    }
    if j == i {
        return None;
    }
    let digits: String = chars[i..j].iter().collect();
    let value = if digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        numerals::value(&digits)?
    };
    if j < chars.len() && chars[j] == '号' {
        // 3号楼 is a building, not a door.
        if j + 1 < chars.len() && chars[j + 1] == '楼' {
            return None;
        }
        return Some((value, j + 1));
    }
    // 开元东路二四六 ending the address: its door number, written without 号.
    if j == chars.len() {
        return Some((value, j));
    }
    // 开元东路18 or 开元东路30龙湾国际: Arabic digits right after the road are its door
    // number, unless a building unit follows (开元东路3栋). So are Chinese digits read one
    // by one (东八线三零一松雅小区), unless a unit or a part of the road follows (人民路一二
    // 巷); a counted numeral (一百零八) without 号 may be a name's.
    let after: String = chars[j..].iter().take(2).collect();
    let follows = |words: &[&str]| words.iter().any(|w| after.starts_with(w));
    let arabic = digits.chars().all(|c| c.is_ascii_digit());
    let one_by_one = j - i >= 2 && digits.chars().all(numerals::is_digit);
    let door = arabic || (one_by_one && !follows(&ROAD_PARTS));
    (door && !follows(&DETAIL_UNITS)).then_some((value, j))
}

fn char_to_byte(chars: &[char], index: usize) -> usize {
    chars[..index].iter().map(|c| c.len_utf8()).sum()
}

/// Where a road's name may start in `before` (the text before its suffix): after the last
/// kind-of-place word in it (泉塘小学杉仙路: 杉仙), else anywhere.
fn after_place_kind(before: &[char]) -> usize {
    let text: String = before.iter().collect();
    PLACE_KINDS
        .iter()
        .filter_map(|kind| {
            text.rfind(kind)
                .map(|at| text[..at + kind.len()].chars().count())
        })
        .max()
        .unwrap_or(0)
}

/// The first road with a door number, else the first road; also a road whose suffix is
/// missing before a number (开元东18号).
fn find_road(text: &str, gazetteer: &Gazetteer) -> Option<FoundRoad> {
    let chars: Vec<char> = text.chars().collect();
    let mut first: Option<FoundRoad> = None;
    let mut i = 0;
    while i < chars.len() {
        let suffix = ROAD_SUFFIXES.iter().find(|s| {
            let s: Vec<char> = s.chars().collect();
            chars[i..].starts_with(&s)
        });
        if let Some(suffix) = suffix {
            let after = i + suffix.chars().count();
            let floor = after_place_kind(&chars[..i]);
            let start = road_name_before(&chars, i, floor, gazetteer);
            if start < i {
                let raw: String = chars[start..i].iter().collect();
                let name = gazetteer.canonical_road(&raw);
                let number = number_at(&chars, after);
                let end = number.map(|(_, e)| e).unwrap_or(after);
                let found = FoundRoad {
                    name,
                    number: number.map(|(n, _)| n),
                    start: char_to_byte(&chars, start),
                    end: char_to_byte(&chars, end),
                    named_place_follows: number.is_none()
                        && chars[after..]
                            .iter()
                            .take(2)
                            .filter(|c| is_han(**c))
                            .count()
                            == 2,
                };
                if found.number.is_some() {
                    return Some(found);
                }
                if first.is_none() {
                    first = Some(found);
                }
                i = after;
                continue;
            }
        }
        i += 1;
    }
    if first.is_some() {
        return first;
    }
    // No suffix: a name right before a door number in Arabic digits (开元东18号, 东四22号).
    for i in 1..chars.len() {
        if chars[i].is_ascii_digit() && is_han(chars[i - 1]) {
            if let Some((n, end)) = number_at(&chars, i) {
                if chars.get(end - 1) == Some(&'号') {
                    let floor = after_place_kind(&chars[..i]);
                    let start = road_name_before(&chars, i, floor, gazetteer);
                    if i - start >= 2 {
                        let raw: String = chars[start..i].iter().collect();
                        return Some(FoundRoad {
                            name: gazetteer.canonical_road(&raw),
                            number: Some(n),
                            start: char_to_byte(&chars, start),
                            end: char_to_byte(&chars, end),
                            named_place_follows: false,
                        });
                    }
                }
            }
            break;
        }
    }
    None
}

/// Two roads meeting: `A与B交汇处`, `AB路口`, `A和B十字路口`, `A与B` alone.
fn find_junction(text: &str, gazetteer: &Gazetteer) -> Option<((String, String), String)> {
    let mark = JUNCTION_MARKS
        .iter()
        .filter_map(|m| text.find(m).map(|at| (at, *m)))
        .min_by_key(|(at, m)| (*at, std::cmp::Reverse(m.len())));
    let (segment, rest, marked) = match mark {
        Some((at, m)) => (&text[..at], text[at + m.len()..].to_string(), true),
        None => {
            // Without a mark, only two roads joined by 与/和 make a junction.
            JUNCTION_JOINERS.iter().find_map(|j| text.find(j))?;
            (text, String::new(), false)
        }
    };
    let roads = roads_in(segment, gazetteer, marked);
    if roads.len() < 2 {
        return None;
    }
    let (first, second) = (&roads[roads.len() - 2], &roads[roads.len() - 1]);
    if first.0 == second.0 {
        return None;
    }
    let before = &segment[..first.1];
    let mut pair = (first.0.clone(), second.0.clone());
    if pair.0 > pair.1 {
        pair = (pair.1, pair.0);
    }
    Some((pair, format!("{before}{rest}")))
}

/// Every road name in a segment (names joined by 与/和 count apart), with the byte index
/// where each starts.
fn roads_in(segment: &str, gazetteer: &Gazetteer, marked: bool) -> Vec<(String, usize)> {
    let chars: Vec<char> = segment.chars().collect();
    let mut roads = Vec::new();
    let mut floor = 0;
    let mut i = 0;
    while i < chars.len() {
        if JUNCTION_JOINERS.iter().any(|j| j.starts_with(chars[i])) {
            floor = i + 1;
            i += 1;
            continue;
        }
        let suffix = ROAD_SUFFIXES.iter().find(|s| {
            let s: Vec<char> = s.chars().collect();
            chars[i..].starts_with(&s)
        });
        if let Some(suffix) = suffix {
            let start = road_name_before(&chars, i, floor, gazetteer);
            if start < i {
                let raw: String = chars[start..i].iter().collect();
                roads.push((gazetteer.canonical_road(&raw), char_to_byte(&chars, start)));
            }
            i += suffix.chars().count();
            floor = i;
            continue;
        }
        i += 1;
    }
    // A road written without its suffix right before the mark or a joiner (开元东与星沙大道).
    if marked && roads.len() == 1 && floor < chars.len() {
        let tail: String = chars[floor..].iter().collect();
        if tail.chars().count() >= 2 && tail.chars().all(is_han) {
            let name = gazetteer.canonical_road(&tail);
            roads.push((name, char_to_byte(&chars, floor)));
        }
    }
    roads
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> ParsedAddress {
        parse(text, &Gazetteer::default())
    }

    #[test]
    fn road_number_and_place_come_apart() {
        let a = p("星沙街道开元东路18号某某商场");
        assert_eq!(a.town.as_deref(), Some("星沙街道"));
        assert_eq!(a.road.as_deref(), Some("开元东"));
        assert_eq!(a.number, Some(18));
        assert_eq!(a.poi.as_deref(), Some("某某商场"));
        let b = p("某某商场开元东路十八号");
        assert_eq!((b.road.as_deref(), b.number), (Some("开元东"), Some(18)));
        assert_eq!(b.poi.as_deref(), Some("某某商场"));
    }

    #[test]
    fn chinese_digits_after_a_road_are_its_door_number_without_hao() {
        let a = p("松雅湖街道东八线三零一松雅小区");
        assert_eq!(
            (a.road.as_deref(), a.number),
            (Some("东八"), Some(301)),
            "{a:?}"
        );
        assert_eq!(a.poi, p("东八线301号松雅小区").poi, "{a:?}");
        let b = p("开元东路一八八某某商场");
        assert_eq!(
            (b.road.as_deref(), b.number),
            (Some("开元东"), Some(188)),
            "{b:?}"
        );
        // A lane, a phase or a building is not a door.
        for text in ["人民东路一二巷", "开元东路三五栋", "星沙大道二一期小区"]
        {
            assert_eq!(p(text).number, None, "{text}: {:?}", p(text));
        }
    }

    #[test]
    fn junctions_in_either_order_are_one() {
        let a = p("开元东路与星沙大道交汇处");
        let b = p("星沙大道开元东路路口");
        let c = p("开元东路星沙大道十字路口");
        assert!(a.junction.is_some(), "{a:?}");
        assert_eq!(a.junction, b.junction, "{b:?}");
        assert_eq!(a.junction, c.junction, "{c:?}");
    }

    #[test]
    fn details_and_positions_do_not_make_another_place() {
        let a = p("天华一村8栋2单元602");
        assert_eq!(a.poi.as_deref(), Some("天华1村"));
        assert_eq!(a.detail.as_deref(), Some("8栋2单元602"));
        let b = p("天华一村北门往东50米");
        assert_eq!(b.poi.as_deref(), Some("天华1村"));
        let c = p("开元东路18号3号楼");
        assert_eq!(c.number, Some(18));
    }

    #[test]
    fn a_missing_suffix_still_finds_the_road() {
        let a = p("开元东18号");
        assert_eq!((a.road.as_deref(), a.number), (Some("开元东"), Some(18)));
        let b = p("开元东路18");
        assert_eq!((b.road.as_deref(), b.number), (Some("开元东"), Some(18)));
    }

    #[test]
    fn a_town_alone_names_no_place() {
        assert!(p("星沙街道").is_vague());
        assert!(p("").is_vague());
    }
}
