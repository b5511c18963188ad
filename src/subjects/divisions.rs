//! China's administrative divisions (`gazetteer/divisions.txt`: every province, prefecture,
//! county and township-level 街道 / 镇 / 乡, from 民政部's place-name database), so that an
//! address of any squad is read without configuration: the province, city and county
//! written before the place (in full or short: 湖南省长沙市浏阳市, 湖南长沙, 浏阳) are taken
//! off, and a town or street is recognised by its full name anywhere in the country, and by
//! its short name (淮川 for 淮川街道) when it is one of the squad's own counties.
//!
//! Which counties are the squad's own is read from the data (the counties its addresses and
//! its 所属街道 column name most) and from the configured prefixes. Pure: no I/O.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The table, as shipped.
const TABLE: &str = include_str!("../../gazetteer/divisions.txt");

/// One county-level division.
#[derive(Debug)]
struct County {
    /// Full name (浏阳市).
    name: String,
    /// Its prefecture's and province's codes.
    parents: Vec<u32>,
    /// Its township-level divisions, full names.
    towns: Vec<String>,
}

/// The whole table, indexed.
#[derive(Debug, Default)]
pub struct Divisions {
    /// Province, prefecture and county names, full and short → the codes they name.
    admin: HashMap<String, Vec<u32>>,
    /// The full names among `admin`'s keys.
    full_admin: HashSet<String>,
    /// The characters `admin`'s keys start with, and `town_counties`' (most text starts
    /// with neither: a quick no).
    admin_first: HashSet<char>,
    town_first: HashSet<char>,
    longest_admin: usize,
    counties: HashMap<u32, County>,
    /// Each province's and prefecture's full name.
    upper: HashMap<u32, String>,
    /// Full township name → the counties that have one of that name.
    town_counties: HashMap<String, Vec<u32>>,
    longest_town: usize,
}

/// The short form of an administrative name: 湖南省 → 湖南, 浏阳市 → 浏阳, 淮川街道 → 淮川,
/// 广西壮族自治区 → 广西. None when nothing is left worth matching (赣县 → 赣).
pub fn short_form(name: &str) -> Option<String> {
    const SUFFIXES: [&str; 12] = [
        "特别行政区",
        "自治区",
        "自治州",
        "自治县",
        "自治旗",
        "街道",
        "地区",
        "省",
        "市",
        "县",
        "区",
        "镇",
    ];
    let mut stem = name;
    for s in SUFFIXES.iter().chain(&["乡", "旗", "盟"]) {
        if let Some(rest) = name.strip_suffix(s) {
            stem = rest;
            break;
        }
    }
    // 新疆维吾尔自治区 / 伊犁哈萨克自治州: a people's name written without 族 (not 内蒙古's).
    if stem != name && name.contains("自治") {
        let people = PEOPLES
            .iter()
            .filter_map(|p| stem.find(p))
            .filter(|&at| stem[..at].chars().count() >= 2)
            .min();
        if let Some(at) = people {
            stem = &stem[..at];
        }
    }
    // 壮族自治区 / 土家族苗族自治州: the name is what comes before the first people's name
    // (one character, or one of the longer names: 延边朝鲜族, 黔南布依族).
    if stem != name && name.contains("自治") {
        if let Some(at) = stem.find("族") {
            let before = &stem[..at];
            let people = PEOPLES.iter().find(|p| before.ends_with(*p)).map_or_else(
                || before.chars().last().map_or(0, char::len_utf8),
                |p| p.len(),
            );
            stem = &before[..before.len() - people];
        }
    }
    (stem != name && stem.chars().count() >= 2).then(|| stem.to_string())
}

/// The peoples' names of more than one character that autonomous areas are named with
/// (written with 族 or, as 新疆维吾尔自治区 is, without).
const PEOPLES: [&str; 35] = [
    "朝鲜",
    "土家",
    "布依",
    "哈尼",
    "傈僳",
    "纳西",
    "景颇",
    "达斡尔",
    "仡佬",
    "拉祜",
    "东乡",
    "撒拉",
    "毛南",
    "仫佬",
    "普米",
    "阿昌",
    "德昂",
    "保安",
    "裕固",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "塔塔尔",
    "蒙古",
    "维吾尔",
    "哈萨克",
    "柯尔克孜",
    "塔吉克",
    "锡伯",
];

impl Divisions {
    /// The shipped table, read once.
    pub fn get() -> &'static Divisions {
        static TABLE_READ: OnceLock<Divisions> = OnceLock::new();
        TABLE_READ.get_or_init(|| Divisions::parse(TABLE))
    }

    fn parse(text: &str) -> Divisions {
        let mut d = Divisions::default();
        let mut parent_of: HashMap<u32, u32> = HashMap::new();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut parts = line.split(' ');
            let level = parts.next().unwrap_or("");
            let Some(code) = parts.next().and_then(|c| c.parse::<u32>().ok()) else {
                continue;
            };
            let parent = if level == "1" {
                None
            } else {
                parts.next().and_then(|c| c.parse::<u32>().ok())
            };
            let Some(name) = parts.next() else { continue };
            if let Some(p) = parent {
                parent_of.insert(code, p);
            }
            d.add_admin(name, code);
            if level != "3" {
                d.upper.insert(code, name.to_string());
            }
            if level == "3" {
                let mut parents = Vec::new();
                let mut at = parent;
                while let Some(p) = at {
                    parents.push(p);
                    at = parent_of.get(&p).copied();
                }
                let towns: Vec<String> = parts.map(str::to_string).collect();
                for town in &towns {
                    d.town_first.extend(town.chars().next());
                    d.longest_town = d.longest_town.max(town.chars().count());
                    d.town_counties.entry(town.clone()).or_default().push(code);
                }
                d.counties.insert(
                    code,
                    County {
                        name: name.to_string(),
                        parents,
                        towns,
                    },
                );
            }
        }
        d
    }

    fn add_admin(&mut self, name: &str, code: u32) {
        self.full_admin.insert(name.to_string());
        // An autonomous prefecture by its name and 州 (黔东南州, 湘西州).
        if name.ends_with("自治州") {
            if let Some(short) = short_form(name) {
                let form = format!("{short}州");
                self.full_admin.insert(form.clone());
                self.admin.entry(form).or_default().push(code);
            }
        }
        for form in std::iter::once(name.to_string()).chain(short_form(name)) {
            self.admin_first.extend(form.chars().next());
            self.longest_admin = self.longest_admin.max(form.chars().count());
            let codes = self.admin.entry(form).or_default();
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }

    /// The counties a county-level name (full or short) names.
    pub fn counties_named(&self, name: &str) -> Vec<u32> {
        self.admin
            .get(name)
            .map(|codes| {
                codes
                    .iter()
                    .copied()
                    .filter(|c| self.counties.contains_key(c))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The counties that have a township of this full name.
    pub fn counties_of_town(&self, town: &str) -> &[u32] {
        self.town_counties
            .get(town)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// A county's full name.
    pub fn county_name(&self, code: u32) -> Option<&str> {
        self.counties.get(&code).map(|c| c.name.as_str())
    }

    /// The township-level divisions of a county.
    pub fn towns_of(&self, county: u32) -> &[String] {
        self.counties
            .get(&county)
            .map(|c| c.towns.as_slice())
            .unwrap_or(&[])
    }

    /// The administrative names (province, prefecture, county; full or short) written at
    /// the start of `text`, as their length in chars and the counties they name (the
    /// counties under a province or prefecture are not listed). A short name (浏阳, 湖南) is
    /// taken only when it is the squad's own area's or another administrative name follows
    /// it (湖南长沙), and where it cannot be the start of a road's or place's name
    /// (浏阳河大道 keeps 浏阳; 玉林综合市场 in 成都 keeps 玉林, a city in 广西).
    pub fn admin_prefix(&self, text: &[char], local: &Local) -> (usize, Vec<u32>) {
        let mut at = 0;
        let mut counties = Vec::new();
        'outer: while at < text.len() {
            // 原武鸣县: the county's former name, said as where.
            if text[at] == '原'
                && (self.starts_with_admin(&text[at + 1..])
                    || local
                        .county_names
                        .iter()
                        .any(|n| text[at + 1..].starts_with(n)))
            {
                at += 1;
                continue;
            }
            let longest = if self.admin_first.contains(&text[at]) {
                self.longest_admin.min(text.len() - at)
            } else {
                0
            };
            for len in (2..=longest).rev() {
                let candidate: String = text[at..at + len].iter().collect();
                let Some(codes) = self.admin.get(&candidate) else {
                    continue;
                };
                let rest = &text[at + len..];
                if rest.is_empty() {
                    break 'outer;
                }
                // A road named after a county (大理's 文县路, 北京路): the road; not a
                // division whose name starts so (台州市路桥区, 崇州市街子镇).
                let road_named = ["路", "街", "大道", "大街", "巷"].iter().any(|suffix| {
                    let suffix: Vec<char> = suffix.chars().collect();
                    rest.starts_with(&suffix) && !rest.starts_with(&['街', '道'])
                }) && !self.starts_with_admin(rest)
                    && self.full_town_at(rest, local).is_none();
                if road_named {
                    continue;
                }
                if !self.full_admin.contains(&candidate) {
                    // A town of the same start is the town (香坊大街街道 is no 香坊 + 大街).
                    if self.full_town_at(&text[at..], local).is_some() {
                        break 'outer;
                    }
                    let ours = codes.iter().any(|c| local.area.contains(c));
                    let named_next =
                        self.starts_with_admin(rest) || self.full_town_at(rest, local).is_some();
                    // A school, hospital or station named after the county (正定中学,
                    // 正定中学东门) is no county said as where.
                    let names_a_kind = NAMED_AFTER_COUNTY
                        .iter()
                        .any(|w| super::clean::word_at(rest, 0, w));
                    if !(named_next || ours && short_name_ends_here(rest) && !names_a_kind) {
                        continue;
                    }
                    // The squad's county under its former designation (武鸣县 for 武鸣区, a
                    // county made a district): the designation goes with the name.
                    // (Not 武鸣 + 县城: the county town, said as where.)
                    if ours
                        && rest.len() > 1
                        && ['县', '区', '市'].contains(&rest[0])
                        && !(rest[0] == '县' && rest[1] == '城')
                        && local.is_county_short_name(&candidate)
                    {
                        counties.extend(codes.iter().filter(|c| self.counties.contains_key(c)));
                        at += len + 1;
                        continue 'outer;
                    }
                }
                counties.extend(codes.iter().filter(|c| self.counties.contains_key(c)));
                at += len;
                continue 'outer;
            }
            // The squad's city by its first character (哈市 for 哈尔滨市), or one of its
            // counties heard by sound (香芳区 for 香坊区), when more follows.
            if let Some((len, heard)) = local.abbreviated_at(&text[at..]) {
                if text.len() > at + len {
                    counties.extend(heard);
                    at += len;
                    continue 'outer;
                }
            }
            // One of the squad's counties by its short name heard by sound, right after
            // its city (沈阳贴西北二溪路: 铁西), where a short name may end; not after the
            // county itself (晋江市锦江华府 names 锦江华府).
            if at > 0 && counties.is_empty() {
                if let Some((len, code)) = local.short_heard_at(&text[at..]) {
                    let rest = &text[at + len..];
                    let names_a_kind = NAMED_AFTER_COUNTY
                        .iter()
                        .any(|w| super::clean::word_at(rest, 0, w));
                    if !rest.is_empty() && short_name_ends_here(rest) && !names_a_kind {
                        counties.push(code);
                        at += len;
                        continue 'outer;
                    }
                }
            }
            break;
        }
        (at, counties)
    }

    /// Whether `text` starts with a province's, prefecture's or county's name in full.
    fn starts_with_admin(&self, text: &[char]) -> bool {
        text.first().is_some_and(|c| self.admin_first.contains(c))
            && (2..=self.longest_admin.min(text.len())).any(|len| {
                let candidate: String = text[..len].iter().collect();
                self.full_admin.contains(&candidate)
            })
    }

    /// A township written in full (淮川街道, 黄花镇) at the start of `text`: its length in
    /// chars and its name. A 乡 counts only among `local` counties' towns (a name ending in
    /// 乡 may be a place's: 水乡人家).
    pub fn full_town_at(&self, text: &[char], local: &Local) -> Option<(usize, String)> {
        if !text.first().is_some_and(|c| self.town_first.contains(c)) {
            return None;
        }
        for len in (3..=self.longest_town.min(text.len())).rev() {
            let candidate: String = text[..len].iter().collect();
            // The town as written with one ending for another.
            let respelled = |written: &str, full: &str| {
                let stem = candidate.strip_suffix(written)?;
                self.town_counties.get_key_value(&format!("{stem}{full}"))
            };
            let found = self
                .town_counties
                .get_key_value(&candidate)
                // 香坊大街道: a 大街街道 with its 街 said once.
                .or_else(|| respelled("大街道", "大街街道"))
                // 郭杜街办: the 街道's office for the 街道.
                .or_else(|| respelled("街办", "街道"))
                // One of the squad's own towns under another designation, as callers still
                // say it (南牛乡 for 南牛镇, 诸福屯镇 for 诸福屯街道).
                .or_else(|| {
                    let stem = ["街道", "镇", "乡"]
                        .iter()
                        .find_map(|s| candidate.strip_suffix(s))?;
                    if stem.chars().count() < 2 {
                        return None;
                    }
                    self.town_counties.get_key_value(local.short_town(stem)?)
                });
            let Some((candidate, counties)) = found else {
                continue;
            };
            let candidate = candidate.clone();
            if candidate.ends_with('乡') && !counties.iter().any(|c| local.counties.contains(c)) {
                continue;
            }
            return Some((len, candidate));
        }
        None
    }
}

/// Public places a county's name names (正定中学, 正定汽车站): the name is theirs.
const NAMED_AFTER_COUNTY: [&str; 12] = [
    "中学",
    "小学",
    "大学",
    "学院",
    "学校",
    "幼儿园",
    "医院",
    "中医院",
    "汽车站",
    "火车站",
    "客运站",
    "高铁站",
];

/// Whether a short administrative name may end before `rest`: not when the name and what
/// follows make one road's or place's name (浏阳 + 河大道, 长沙 + 大道).
fn short_name_ends_here(rest: &[char]) -> bool {
    let starts =
        |at: usize, words: &[&str]| words.iter().any(|w| super::clean::word_at(rest, at, w));
    const NAME_ENDS: [&str; 14] = [
        "路", "街", "大道", "大街", "巷", "线", "河", "江", "湖", "桥", "站", "公园", "广场",
        "大厦",
    ];
    // 浏阳 + 河大道, 长沙 + 大道; 长沙 + X路 (a one-character road's name after it).
    const ROAD_ENDS: [&str; 6] = ["路", "街", "大道", "大街", "巷", "线"];
    // 延吉 + 公园路: a road named after a kind of place, not the county's park.
    let kind_road = starts(0, &["公园", "广场"]) && starts(2, &ROAD_ENDS);
    kind_road
        || !(starts(0, &NAME_ENDS) || starts(1, &ROAD_ENDS) && !starts(0, &["市", "县", "区"]))
}

/// The squad's own counties and the short names of their towns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Local {
    pub counties: HashSet<u32>,
    /// The counties with their prefectures and provinces.
    pub area: HashSet<u32>,
    /// Short town name (淮川) → full name (淮川街道), for the local counties' towns whose
    /// short name no other of their towns shares.
    pub short_towns: HashMap<String, String>,
    pub longest_short: usize,
    /// The sound of each local town's full name → the name (大梁街道 heard for 大良街道).
    sound_towns: HashMap<String, String>,
    /// The counties' names in full and short (浏阳市, 浏阳), worked out once: every address
    /// parsed looks for them.
    pub county_names: Vec<Vec<char>>,
    /// The counties' short names alone.
    county_short_names: Vec<String>,
    /// The first character of each of the squad's cities (哈 of 哈尔滨市: 哈市).
    city_initials: Vec<char>,
    /// The one character a municipality goes by (津 of 天津市: 津河西区).
    city_abbreviations: Vec<char>,
    /// The counties' full names ending in 区, 县 or 市, with their codes (heard by sound:
    /// 香芳区).
    county_full_names: Vec<(Vec<char>, u32)>,
    /// The counties' short names with their codes, to hear them by sound.
    county_shorts: Vec<(Vec<char>, u32)>,
    /// The squad's cities' full names (heard by sound: 荷泽市 for 菏泽市, 南州市 for 兰州市).
    city_full_names: Vec<Vec<char>>,
}

impl Local {
    /// Whether a word is the short name of one of the squad's counties (浏阳 of 浏阳市).
    pub fn is_county_short_name(&self, word: &str) -> bool {
        self.county_short_names.iter().any(|short| short == word)
    }

    /// The squad's city written by its first character and 市 (哈市), or one of its
    /// counties' full names written by sound (香芳区 for 香坊区), at the start of `text`:
    /// its length in chars and the counties it names (none for the city).
    pub fn abbreviated_at(&self, text: &[char]) -> Option<(usize, Vec<u32>)> {
        if text.len() >= 2
            && text[1] == '市'
            && text.get(2) != Some(&'场')
            && self.city_initials.contains(&text[0])
        {
            return Some((2, Vec::new()));
        }
        let city = self.city_full_names.iter().find(|name| {
            text.len() > name.len()
                && text[name.len() - 1] == '市'
                && super::sound::same_sound(&text[..name.len()], name)
        });
        if let Some(city) = city {
            return Some((city.len(), Vec::new()));
        }
        // The municipality by its one character before one of its districts (津河西区).
        if text
            .first()
            .is_some_and(|c| self.city_abbreviations.contains(c))
            && self
                .county_full_names
                .iter()
                .any(|(name, _)| text[1..].starts_with(name))
        {
            return Some((1, Vec::new()));
        }
        let mut heard = self.county_full_names.iter().filter(|(name, _)| {
            text.len() >= name.len()
                && text[name.len() - 1] == name[name.len() - 1]
                && super::sound::same_sound(&text[..name.len()], name)
        });
        let (first, code) = heard.next()?;
        let len = first.len();
        let others = heard.filter(|(name, _)| name.len() == len).map(|(_, c)| *c);
        Some((len, std::iter::once(*code).chain(others).collect()))
    }

    /// One of the squad's counties by its short name of two characters or more, heard by
    /// sound (贴西 for 铁西), at the start of `text`: its length and the county.
    pub fn short_heard_at(&self, text: &[char]) -> Option<(usize, u32)> {
        self.county_shorts.iter().find_map(|(short, code)| {
            (short.len() >= 2
                && text.len() > short.len()
                && super::sound::same_sound(&text[..short.len()], short))
            .then_some((short.len(), *code))
        })
    }

    /// The local counties' towns with their short names.
    pub fn new(divisions: &Divisions, counties: impl IntoIterator<Item = u32>) -> Local {
        let counties: HashSet<u32> = counties.into_iter().collect();
        let mut short: HashMap<String, Option<String>> = HashMap::new();
        let mut sorted: Vec<u32> = counties.iter().copied().collect();
        sorted.sort_unstable();
        for county in sorted {
            for town in divisions.towns_of(county) {
                // A 街道 named after its road (哈平路街道): 哈平路 written is the road.
                let road_named =
                    |s: &String| !['路', '街', '道', '巷'].iter().any(|e| s.ends_with(*e));
                if let Some(s) = short_form(town).filter(road_named) {
                    short
                        .entry(s)
                        .and_modify(|t| {
                            if t.as_deref() != Some(town.as_str()) {
                                *t = None
                            }
                        })
                        .or_insert_with(|| Some(town.clone()));
                }
            }
        }
        let short_towns: HashMap<String, String> = short
            .into_iter()
            .filter_map(|(s, t)| Some((s, t?)))
            .collect();
        let longest_short = short_towns
            .keys()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(0);
        let area = counties
            .iter()
            .flat_map(|c| {
                let parents = divisions
                    .counties
                    .get(c)
                    .map(|county| county.parents.clone())
                    .unwrap_or_default();
                std::iter::once(*c).chain(parents)
            })
            .collect();
        // Each town's full name by its sound, and each short name by its sound ('~' first).
        let mut named: Vec<(String, String)> = short_towns
            .iter()
            .flat_map(|(short, town)| {
                super::sound::keys(short)
                    .into_iter()
                    .map(move |k| (format!("~{k}"), town.clone()))
            })
            .collect();
        for county in &counties {
            for town in divisions.towns_of(*county) {
                named.extend(
                    super::sound::keys(town)
                        .into_iter()
                        .map(|k| (k, town.clone())),
                );
            }
        }
        let mut sound: HashMap<String, Option<String>> = HashMap::new();
        for (key, town) in named {
            sound
                .entry(key)
                .and_modify(|t| {
                    if t.as_deref() != Some(town.as_str()) {
                        *t = None
                    }
                })
                .or_insert(Some(town));
        }
        let sound_towns = sound
            .into_iter()
            .filter_map(|(k, t)| Some((k, t?)))
            .collect();
        let mut county_names = Vec::new();
        let mut county_short_names = Vec::new();
        let mut county_full_names = Vec::new();
        let mut county_shorts = Vec::new();
        let mut sorted: Vec<u32> = counties.iter().copied().collect();
        sorted.sort_unstable();
        let mut city_full_names: Vec<Vec<char>> = sorted
            .iter()
            .filter_map(|c| divisions.counties.get(c)?.parents.first())
            .filter_map(|p| divisions.upper.get(p))
            .filter(|name| name.ends_with('市') && name.chars().count() >= 3)
            .map(|name| name.chars().collect())
            .collect();
        city_full_names.sort();
        city_full_names.dedup();
        let mut city_initials: Vec<char> = city_full_names.iter().map(|name| name[0]).collect();
        city_initials.dedup();
        let city_abbreviations: Vec<char> = city_full_names
            .iter()
            .filter_map(|name| {
                let name: String = name.iter().collect();
                [
                    ("北京市", '京'),
                    ("天津市", '津'),
                    ("上海市", '沪'),
                    ("重庆市", '渝'),
                ]
                .iter()
                .find(|(city, _)| *city == name)
                .map(|(_, c)| *c)
            })
            .collect();
        for code in sorted {
            let Some(name) = divisions.county_name(code) else {
                continue;
            };
            if ['区', '县', '市'].iter().any(|s| name.ends_with(*s)) && name.chars().count() >= 3
            {
                county_full_names.push((name.chars().collect(), code));
            }
            county_names.push(name.chars().collect());
            if let Some(short) = short_form(name) {
                county_names.push(short.chars().collect());
                county_shorts.push((short.chars().collect(), code));
                county_short_names.push(short);
            }
        }
        Local {
            counties,
            area,
            short_towns,
            longest_short,
            sound_towns,
            county_names,
            county_short_names,
            city_initials,
            city_abbreviations,
            county_full_names,
            county_shorts,
            city_full_names,
        }
    }

    /// The local town a town's name written by sound names (大梁街道 → 大良街道).
    pub fn town_by_sound(&self, written: &str) -> Option<&str> {
        super::sound::keys(written)
            .iter()
            .find_map(|k| self.sound_towns.get(k))
            .map(String::as_str)
    }

    /// The local town a short name names, as written or by sound (大良 or 大梁 → 大良街道).
    pub fn short_town(&self, written: &str) -> Option<&String> {
        self.short_towns
            .get(written)
            .or_else(|| self.short_town_by_sound(written))
    }

    /// The local town whose short name a short name written by sound is (大梁 → 大良街道).
    fn short_town_by_sound(&self, written: &str) -> Option<&String> {
        super::sound::keys(written)
            .iter()
            .find_map(|k| self.sound_towns.get(&format!("~{k}")))
    }

    /// The counties, sorted, as stored with the grouping.
    pub fn codes(&self) -> Vec<u32> {
        let mut c: Vec<u32> = self.counties.iter().copied().collect();
        c.sort_unstable();
        c
    }
}

/// Works out the squad's own counties from what its data names: each county written before
/// an address, each town written in full, and each 所属街道 value votes for the counties it
/// names. The counties with at least a tenth of the largest vote (and 3 votes) are local
/// (`Matcher::with_local` adds the configured ones).
pub fn local_counties<'a>(
    divisions: &Divisions,
    texts: impl IntoIterator<Item = (&'a str, u64)>,
) -> Vec<u32> {
    let mut votes: HashMap<u32, f64> = HashMap::new();
    let empty = Local::default();
    for (text, weight) in texts {
        let chars: Vec<char> = text.chars().collect();
        let (len, named) = divisions.admin_prefix(&chars, &empty);
        let mut voted = false;
        if !named.is_empty() {
            for c in &named {
                *votes.entry(*c).or_default() += weight as f64 / named.len() as f64;
            }
            voted = true;
        }
        if let Some((_, town)) = divisions.full_town_at(&chars[len..], &empty) {
            let cs = divisions.counties_of_town(&town);
            if !cs.is_empty() && !voted {
                for c in cs {
                    *votes.entry(*c).or_default() += weight as f64 / cs.len() as f64;
                }
            }
        }
    }
    let top = votes.values().copied().fold(0.0, f64::max);
    let mut out: Vec<u32> = votes
        .into_iter()
        .filter(|&(_, v)| v >= 3.0 && v >= top / 10.0)
        .map(|(c, _)| c)
        .collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn short_forms_of_administrative_names() {
        assert_eq!(short_form("湖南省").as_deref(), Some("湖南"));
        assert_eq!(short_form("浏阳市").as_deref(), Some("浏阳"));
        assert_eq!(short_form("淮川街道").as_deref(), Some("淮川"));
        assert_eq!(short_form("广西壮族自治区").as_deref(), Some("广西"));
        assert_eq!(short_form("新疆维吾尔自治区").as_deref(), Some("新疆"));
        assert_eq!(short_form("伊犁哈萨克自治州").as_deref(), Some("伊犁"));
        assert_eq!(short_form("延边朝鲜族自治州").as_deref(), Some("延边"));
        assert_eq!(short_form("湘西土家族苗族自治州").as_deref(), Some("湘西"));
        assert_eq!(short_form("黔南布依族苗族自治州").as_deref(), Some("黔南"));
        assert_eq!(short_form("红河哈尼族彝族自治州").as_deref(), Some("红河"));
        assert_eq!(short_form("务川仡佬族苗族自治县").as_deref(), Some("务川"));
        assert_eq!(
            short_form("黔东南苗族侗族自治州").as_deref(),
            Some("黔东南")
        );
        assert_eq!(short_form("内蒙古自治区").as_deref(), Some("内蒙古"));
        assert_eq!(short_form("赣县"), None);
    }

    #[test]
    fn province_city_and_county_come_off_in_any_form() {
        let d = Divisions::get();
        for (text, rest) in [
            ("湖南省长沙市浏阳市淮川街道", "淮川街道"),
            ("湖南长沙浏阳淮川街道", "淮川街道"),
            ("浏阳圭斋路265号", "圭斋路265号"),
            ("四川省成都市武侯区玉林西路", "玉林西路"),
            ("长沙县星沙街道", "星沙街道"),
            ("延边州延吉市公园路2182号", "公园路2182号"),
            ("吉林延吉公园路1021号", "公园路1021号"),
            ("延吉公园", "延吉公园"),
        ] {
            let c = chars(text);
            let (len, _) = d.admin_prefix(&c, &Local::new(d, [430181, 510107, 430121, 222401]));
            assert_eq!(c[len..].iter().collect::<String>(), rest, "{text}");
        }
        // A short name that starts a road's name stays.
        let local = Local::new(d, [430181]);
        let c = chars("浏阳河大道与道吾山路交叉口");
        assert_eq!(d.admin_prefix(&c, &local).0, 0);
        // 玉林 is a city of 广西, not the squad's: in 成都 it names a market.
        let c = chars("玉林综合市场");
        assert_eq!(d.admin_prefix(&c, &Local::new(d, [510107])).0, 0);
        let (_, counties) = d.admin_prefix(&chars("浏阳市淮川街道"), &local);
        assert_eq!(counties, vec![430181]);
    }

    #[test]
    fn towns_in_full_anywhere_and_short_where_local() {
        let d = Divisions::get();
        let local = Local::new(d, [430181]);
        let c = chars("集里街道花炮大道111号");
        assert_eq!(
            d.full_town_at(&c, &local),
            Some((4, "集里街道".to_string()))
        );
        assert_eq!(
            local.short_towns.get("集里").map(String::as_str),
            Some("集里街道")
        );
        let votes = local_counties(
            d,
            [
                ("浏阳市淮川街道", 3u64),
                ("集里街道花炮大道", 2),
                ("湖南省长沙市浏阳市关口街道", 1),
            ],
        );
        assert_eq!(votes, vec![430181]);
    }
}
