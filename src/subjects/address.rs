//! A county address parsed into its parts: town or street (街道/镇), community (社区), road
//! and door number, junction, named place (POI), with building details and position words
//! (门口, 北门, 东北角, 往东50米) recognised and set aside.
//!
//! It parses the address as written, cleaned (`clean.rs`: remarks in brackets gone, door
//! numbers in one form, punctuation dropped), after the province, city and county written
//! before it (`divisions.rs`, and the configured prefixes). A place described by its
//! neighbour (星沙菜市场隔壁的李记粉店) is the place after 的, the neighbour kept as its
//! anchor. The gazetteer, when it knows a town, road or place, decides where a name starts;
//! without it a road's name is the two characters before its suffix (plus a direction:
//! 开元东路). A town is known by its full name anywhere in China and, for the squad's own
//! counties, by its short name (淮川 for 淮川街道). Pure: no I/O.

use super::clean;
use super::divisions::{Divisions, Local};
use super::gazetteer::Gazetteer;
use super::name::PlaceName;
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
    /// The door number on that road, in one form: 18, 26-1 (26-1号, 26号之一, 26杠1号,
    /// 26附1, 26号附1号: the sub-number however said).
    pub number: Option<String>,
    /// Two roads meeting, in sorted order.
    pub junction: Option<(String, String)>,
    /// The named place with numerals as digits (天华1村), canonical when the gazetteer knows
    /// it.
    pub poi: Option<String>,
    /// Building, unit, floor, room (8栋2单元602), kept for explanations only.
    pub detail: Option<String>,
    /// The neighbour a place is described by (星沙菜市场 in 星沙菜市场隔壁的李记粉店): where
    /// the place is, never the place itself.
    pub anchor: Option<String>,
    /// `poi` split into name and kinds (worked out once, compared often).
    pub name: Option<PlaceName>,
    /// Another name of the place, given in brackets after its name (海大附中 of
    /// 青岛39中（海大附中）): it joins what it names, never keeps apart.
    pub aka: Option<PlaceName>,
}

impl ParsedAddress {
    /// Whether nothing that names a place was found (an address of only a town, say).
    pub fn is_vague(&self) -> bool {
        self.road.is_none() && self.junction.is_none() && self.poi.is_none()
    }

    /// The place's name split into name and kind.
    pub fn place_name(&self) -> Option<&PlaceName> {
        self.name.as_ref()
    }
}

/// What parsing needs besides the text: the gazetteer, the squad's own counties, the
/// configured prefixes.
pub struct Context<'a> {
    pub gazetteer: &'a Gazetteer,
    pub local: &'a Local,
    /// The configured administrative prefixes, as address characters.
    pub prefixes: &'a [Vec<char>],
}

/// Words that say the place is described by its neighbour: what comes after is the place.
const RELATIVE: &[&str] = &[
    "正对面",
    "斜对面",
    "隔壁",
    "对面",
    // The north's 对面 (县医院对过的鲜果园).
    "对过",
    "旁边",
    "边上",
    "附近",
    "后面",
    "后边",
    "前面",
    "楼下",
    "东边",
    "西边",
    "南边",
    "北边",
    "东侧",
    "西侧",
    "南侧",
    "北侧",
    "里面",
    "门口",
    "对出",
    "进去1点",
    "进去一点",
    "往",
    "向",
    "上",
];

/// Words that end a road's name.
const ROAD_SUFFIXES: [&str; 8] = ["国道", "省道", "大道", "大街", "路", "街", "巷", "线"];

/// Words that mark a junction.
const JUNCTION_MARKS: [&str; 12] = [
    "十字路口",
    "十字口",
    "丁字路口",
    "交汇处",
    "交叉口",
    "交叉路口",
    "交界处",
    "交界",
    "交汇",
    "路口",
    // A street's mouth where it meets the road (西环路（金筑街口）).
    "街口",
    "交口",
];

/// Streets of shops, named by a road or not (中山路步行街): a place, not a road.
const SHOPPING_STREETS: [&str; 5] = ["步行街", "风情街", "商业街", "美食街", "小吃街"];

/// Words between two roads of a junction.
const JUNCTION_JOINERS: [&str; 4] = ["与", "和", "跟", "及"];

/// Position words: where at the place, not which place (longer ones first, so that
/// 北门口 goes whole rather than leave 北 behind).
/// Position words that are never part of a place's name, taken out wherever they are.
const POSITIONS_ANYWHERE: &[&str] = &[
    "大门口",
    "正门口",
    "后门口",
    "侧门口",
    "门前空地",
    "对出马路",
    "马路上",
    "马路边",
    "人行道",
    "围挡外面",
    "围挡外",
    "附近",
    "周边",
    "一带",
    "左右",
    "两边",
    "两侧",
    "转角",
    "拐角",
    "坎上",
    "坎下",
    "一片",
    "一条街",
    "那条街",
    "那条路",
    "那段路",
    "这段路",
    "那边",
    "这边",
    "对出",
    "顶层",
    "顶楼",
    "楼顶",
    "露台",
    "天台",
    // What is done there, not where (南湖名都花园广场舞).
    "广场舞",
    "底商",
    "外面",
    "斜对面",
    "出入口",
    "门口",
    "后巷",
    "河边",
    "境内",
    "辖区",
];

/// Things at a place that are no place of their own (门口的桌椅, 附近的店子).
const THINGS: &[&str] = &[
    "桌椅", "桌子", "椅子", "摊子", "摊位", "摊点", "店子", "店铺", "门面", "东西", "车辆", "垃圾",
    "杂物", "货物",
];

/// A place's own grounds, with no name of their own (和睦新村里面的篮球场, 22幢旁边篮球场):
/// said after a place, that place.
const GROUNDS: &[&str] = &[
    "篮球场",
    "羽毛球场",
    "球场",
    "停车场",
    "地下车库",
    "车库",
    "空地",
    "小广场",
    "健身广场",
    "中心花园",
    "小花园",
    "绿地",
    "健身区",
    "活动室",
    "垃圾站",
    "垃圾房",
];

/// Stalls at a place, said after its name.
const STALLS: &[&str] = &[
    "流动摊贩",
    "烧烤摊点",
    "烧烤摊位",
    "烧烤摊",
    "小吃摊",
    "水果摊",
    "摊贩",
    "摊位",
    "摊点",
    "摊子",
];

/// Words that say nothing of the place (那个大工地, 这一家).
const FILLERS: &[&str] = &[
    "这一家",
    "那一家",
    "那个",
    "这个",
    "那家",
    "这家",
    "在建",
    "一家",
    "这里",
    "那里",
    "那点",
    "这点",
    "那块",
    "这块",
    "那片",
    "那儿",
    "这儿",
    // The north-east's and 天津's "there" (菜市场那嘎达).
    "那嘎达",
    "这嘎达",
    "那疙瘩",
    "这疙瘩",
    "那旮旯",
    // The south-west's "that spot" (红岩村6组那个哈哈儿).
    "哈哈儿",
];

const POSITIONS: &[&str] = &[
    "跟前",
    "里边",
    "外边",
    "底下",
    "门前路段",
    "门口路段",
    "东头",
    "西头",
    "南头",
    "北头",
    "东段",
    "西段",
    "南段",
    "北段",
    "中段",
    "大门口",
    "校门口",
    "校门外",
    "校门",
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
    "对过",
    "旁边",
    "边上",
    "附近",
    "周边",
    "一带",
    "楼下",
    // Above the place, where its neighbours live (冒椒火辣楼上, 酒吧楼上住户).
    "楼上",
    // The north's back of a building and shop front (浴池后身儿, 超市门脸儿前).
    "后身",
    "门脸前",
    "门脸",
    "住户",
    "楼道",
    "左右",
    "路边",
    // A side's way in (菜市场东口).
    "东口",
    "西口",
    "南口",
    "北口",
    "入口",
    "出口",
    "里面",
    "后面",
    "前面",
    "门前",
    "马路",
    "路面",
    "门面",
    "底商",
    "门前空地",
    "空地",
    "那边",
    "这边",
    "马路上",
    "马路边",
    "人行道",
    "围挡外",
    "围挡",
    "外面",
    "对出",
    "出入口",
    "首层",
    "楼顶",
    "外围",
    "主道",
    "辅道",
    "主路",
    "辅路",
];

/// Position words of one character, taken off the end only.
const POSITION_TAILS: [char; 8] = ['旁', '内', '外', '前', '后', '边', '斜', '侧'];

/// `text` without the one-character position words at its end (工地旁 → 工地), except the
/// 边 of a shore, which is the place itself (大东海海边: the beach).
fn trim_position_tail(text: &str) -> &str {
    // On a street or at a market day (老街上, 集上): the street, the market.
    let mut text = match text.strip_suffix('上') {
        Some(rest) if rest.chars().count() >= 2 && rest.ends_with(['街', '路', '集', '场']) => {
            rest
        }
        _ => text,
    };
    while let Some(last) = text.chars().next_back() {
        if !POSITION_TAILS.contains(&last) || text.ends_with("海边") {
            break;
        }
        text = &text[..text.len() - last.len_utf8()];
    }
    text
}

/// Units of building details.
const DETAIL_UNITS: [&str; 7] = ["号楼", "栋", "幢", "单元", "楼", "层", "室"];

/// Kinds of place a road is named after (温泉公园路, 火车站路, 人民医院路).
const NAMED_AFTER_PLACE: [&str; 8] = [
    "火车站",
    "公园",
    "广场",
    "医院",
    "车站",
    "学校",
    "中学",
    "小学",
];

/// Words after a number that make it part of the road or a lane, not a door: 一二巷,
/// 二期, 三段.
const ROAD_PARTS: [&str; 9] = ["巷", "弄", "段", "期", "组", "队", "区", "村", "支"];

/// Words that end a community's name, longest first.
const COMMUNITY_SUFFIXES: [&str; 5] = ["社区居委会", "居委会", "社区", "居委", "片区"];

/// Words that end a town's name.
const TOWN_SUFFIXES: [&str; 3] = ["街道", "镇", "乡"];

/// A town's centre, said after the town's name: the south-west's 场镇, the 集镇 of market
/// towns, 镇区, 镇上.
const TOWN_CENTRES: [&str; 5] = ["场镇上", "场镇", "集镇", "镇区", "镇上"];

/// Words naming a kind of place rather than a place: alone they do not say which one
/// (小学 is any school), so a town's short name before them is part of the name (泉塘小学),
/// and a road's name never runs through them (泉塘小学杉仙路 is on 杉仙路).
pub(crate) const PLACE_KINDS: [&str; 24] = [
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
    // Named after the town too (清江大桥, 清江桥头).
    "大桥",
    "桥头",
    "新街",
    "老街",
    "村委会",
];

/// Words that end a compound's or a public place's own name (恒州花园, 幸福家园, 锦绣苑):
/// a name that ends in one says it is a place, though the word is part of the name.
const NAMED_PLACE_ENDS: [&str; 14] = [
    "家园", "公寓", "新村", "花苑", "山庄", "名都", "名城", "华府", "公馆", "苑", "府", "庭", "湾",
    "院",
];

/// Whether a name says it is a place by how it ends (恒州花园, 锦绣苑, 常山影院), with a
/// name of two characters or more before the word that is no kind of place itself
/// (小区广场 names none).
pub(crate) fn names_its_kind(poi: &str) -> bool {
    PLACE_KINDS.iter().chain(NAMED_PLACE_ENDS.iter()).any(|k| {
        poi.strip_suffix(k).is_some_and(|name| {
            name.chars().count() >= 2 && !PLACE_KINDS.contains(&name) && !super::name::is_kind(name)
        })
    })
}

/// The county's own hospital however named, as `县医院…`: by the county's name (武鸣医院,
/// 武鸣区医院 after 人民 went), by its designation alone (区医院, 县中医院), or by nothing
/// once the county was read as where (南宁市武鸣区 + 医院…) when no town is said.
fn county_hospital(poi: &str, local: &Local, no_town: bool) -> Option<String> {
    const HOSPITALS: [&str; 4] = ["医院", "中医院", "中医医院", "妇幼保健院"];
    let mut rest = poi;
    let mut named = false;
    // The longest of the county's names it starts with (武鸣区 before 武鸣).
    let chars: Vec<char> = poi.chars().collect();
    let longest = local
        .county_names
        .iter()
        .filter(|name| chars.starts_with(name))
        .max_by_key(|name| name.len());
    if let Some(name) = longest {
        rest = &poi[char_to_byte(&chars, name.len())..];
        named = true;
    }
    for designation in ["县", "区"] {
        if let Some(after) = rest.strip_prefix(designation) {
            if HOSPITALS.iter().any(|h| after.starts_with(h)) {
                rest = after;
                named = true;
            }
        }
    }
    (HOSPITALS.iter().any(|h| rest.starts_with(h)) && (named || no_town))
        .then(|| format!("县{rest}"))
}

/// A plot by its code (24-02地块): the planning unit's code, a developer's name or a
/// district code before it say nothing more (MHPO-1313单元24-02地块, 保利24-02地块项目部 are
/// `24-02地块`, with the site's word after it kept).
fn land_plot(poi: &str) -> Option<String> {
    let at = poi.find("地块")?;
    let before: Vec<char> = poi[..at].chars().collect();
    let mut start = before.len();
    while start > 0 && (before[start - 1].is_ascii_digit() || before[start - 1] == '-') {
        start -= 1;
    }
    let code: String = before[start..].iter().collect();
    let code = code.trim_start_matches('-');
    if start == before.len() || !code.contains('-') || start == 0 {
        return None;
    }
    Some(format!("{code}{}", &poi[at..]))
}

/// A building site within a place, by what is built there (县医院住院部扩建工地,
/// 县医院新大楼工地, 县医院内施工工地, 一中教学楼改建项目): the place's site, `县医院工地`.
/// Only words of buildings and building come between (a phase or a number does not go).
fn site_within(poi: &str) -> Option<String> {
    const SITES: [&str; 4] = ["项目部", "工地", "项目", "工程"];
    const PLACES: [&str; 11] = [
        "医院",
        "学校",
        "中学",
        "小学",
        "大学",
        "幼儿园",
        "公园",
        "广场",
        "市场",
        "车站",
        "体育馆",
    ];
    const BUILDING: [&str; 26] = [
        "住院大楼",
        "门诊大楼",
        "住院部",
        "住院楼",
        "门诊楼",
        "门诊部",
        "综合楼",
        "教学楼",
        "宿舍楼",
        "实验楼",
        "大楼",
        "新楼",
        "楼",
        "扩建",
        "改建",
        "新建",
        "改造",
        "翻建",
        "施工",
        "建设",
        "在建",
        "内",
        "里面",
        "里",
        "新",
        "的",
    ];
    let site = SITES.iter().find(|s| poi.ends_with(**s))?;
    let before = &poi[..poi.len() - site.len()];
    let (at, place) = PLACES
        .iter()
        .filter_map(|p| before.find(p).map(|at| (at, *p)))
        .min()?;
    let place_end = at + place.len();
    let mut middle = &before[place_end..];
    if middle.is_empty() || at == 0 {
        return None;
    }
    while !middle.is_empty() {
        let word = BUILDING.iter().find(|w| middle.starts_with(**w))?;
        middle = &middle[word.len()..];
    }
    Some(format!("{}工地", &before[..place_end]))
}

/// Whether a place's name is only a kind of place, or too short or numbered to say which
/// one (4区, 2村).
fn names_only_a_kind(poi: &str) -> bool {
    let chars: Vec<char> = poi.chars().collect();
    chars.len() <= 1
        // A works by its product alone (糖厂, 砖厂): no name.
        || chars.len() == 2 && chars[1] == '厂'
        // At the market day's ground (诸福屯集上).
        || poi == "集上"
        || PLACE_KINDS.contains(&poi)
        || super::name::is_kind(poi)
        || (chars[0].is_ascii_digit()
            && chars.len() <= 3
            && matches!(chars[chars.len() - 1], '区' | '村' | '组' | '期'))
}

pub(crate) fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The road's suffix (路, 大道, …) written at char index `at`, the longest first.
fn road_suffix_at(chars: &[char], at: usize) -> Option<&'static str> {
    // A quarter (街区) is no street.
    if clean::word_at(chars, at, "街区") {
        return None;
    }
    ROAD_SUFFIXES
        .iter()
        .copied()
        .find(|s| clean::word_at(chars, at, s))
        .or_else(|| road_dao_at(chars, at).then_some("道"))
}

/// The road's suffix (路, 大道, …) that ends right before char index `at`, as
/// `ROAD_SUFFIXES` lists them.
fn road_suffix_before(chars: &[char], at: usize) -> Option<&'static str> {
    ROAD_SUFFIXES.iter().copied().find(|suffix| {
        let len = suffix.chars().count();
        at >= len && clean::word_at(chars, at - len, suffix)
    })
}

/// Words ending in 道 that name no road (楼道, 人行道, 下水道, 知道); 街道 is kept out by
/// `road_dao_at` itself.
const NOT_ROADS_IN_DAO: [&str; 43] = [
    "楼道",
    "通道",
    "步道",
    "行道",
    "车道",
    "隧道",
    "河道",
    "巷道",
    "过道",
    "管道",
    "轨道",
    "渠道",
    "坡道",
    "栈道",
    "绿道",
    "便道",
    "匝道",
    "辅道",
    "主道",
    "跑道",
    "走道",
    "廊道",
    "索道",
    "下水道",
    "知道",
    "报道",
    "味道",
    "频道",
    "赛道",
    "铁道",
    "航道",
    "古道",
    "小道",
    "引道",
    "地道",
    "坑道",
    "弯道",
    "霸道",
    "人道",
    "食道",
    "水道口",
    "国道",
    "省道",
];

/// Whether a 道 at `at` ends a road's name, as the roads of 天津 and others are named (琼州道,
/// 围堤道, 浯水道): two characters of name before it, no word that names a passage (楼道,
/// 人行道), and no 路 or 办 after it (道路, 街道办).
fn road_dao_at(chars: &[char], at: usize) -> bool {
    if chars.get(at) != Some(&'道') || at < 2 {
        return false;
    }
    // Nor the first character of a name after another road (浏阳河大道道吾山路).
    if !chars[at - 2..at]
        .iter()
        .all(|c| is_han(*c) && !"街道路巷线与和跟及".contains(*c))
    {
        return false;
    }
    if matches!(chars.get(at + 1), Some('路' | '办' | '德' | '理' | '歉')) {
        return false;
    }
    // The passage's word ends at the 道 (楼道, 下水道) or runs one past it (水道口).
    !NOT_ROADS_IN_DAO.iter().any(|w| {
        let len = w.chars().count();
        (at + 1 >= len && clean::word_at(chars, at + 1 - len, w))
            || len == 3 && clean::word_at(chars, at - 1, w)
    })
}

fn is_direction(c: char) -> bool {
    matches!(c, '东' | '西' | '南' | '北' | '中')
}

/// Parses an address as written.
pub fn parse(raw: &str, ctx: &Context) -> ParsedAddress {
    let mut out = parse_parts(raw, ctx);
    if let Some(road) = out.road.take() {
        out.road = Some(numbered_lane(road, out.community.as_deref()));
    }
    out.name = out.poi.as_deref().map(PlaceName::of);
    out
}

/// A village's or community's numbered lane by one name, its area's and its number's
/// (寨外社区五巷 = 寨外村五巷 = 寨外乡伍巷 = 寨外5): the village word goes, and a lane said by
/// its number alone after its community's name takes that name.
fn numbered_lane(road: String, community: Option<&str>) -> String {
    let road = if road.chars().count() == 1 {
        numerals::to_arabic(&format!("{road}巷"))
            .trim_end_matches('巷')
            .to_string()
    } else {
        road
    };
    let at = road
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit())
        .map(|(at, _)| at);
    let Some(at) = at.filter(|at| road[*at..].chars().all(|c| c.is_ascii_digit())) else {
        return road;
    };
    let (area, number) = road.split_at(at);
    // The community's name, not one named after a numbered road (八一路社区 on 八一路).
    let community = community
        .filter(|c| c.chars().count() >= 2 && !c.chars().any(numerals::is_numeral_or_digit));
    if area.is_empty() {
        return match community {
            Some(c) => format!("{c}{number}"),
            None => road,
        };
    }
    for word in ["社区", "村", "乡", "社"] {
        if let Some(village) = area.strip_suffix(word) {
            if village.chars().count() >= 2 {
                return format!("{village}{number}").replace('村', "");
            }
            // A new village's lane in its village (犀牛陂社区新村3巷): the village's name
            // before it.
            if let Some(c) = community {
                return format!("{c}{village}{number}");
            }
        }
    }
    // The village word inside (犀牛陂村新村3): the lane by its names alone.
    if area.contains('村') && area.chars().filter(|c| *c != '村').count() >= 2 {
        return road.replace('村', "");
    }
    road
}

fn parse_parts(raw: &str, ctx: &Context) -> ParsedAddress {
    // The squad's county by its short name, set apart by a space (浏阳 御景工地): said to
    // say where, not a part of a name (浏阳河).
    // Not the county's name split from its designation (洪山 区梨园街道).
    let raw = match raw.trim_start().split_once(char::is_whitespace) {
        Some((first, rest))
            if ctx.local.is_county_short_name(first)
                && !rest.trim_start().starts_with(['区', '县', '市', '旗']) =>
        {
            rest
        }
        _ => raw,
    };
    let (text, road) = clean::clean_with_road(raw);
    // A station named as its town is (莘庄地铁站 in 莘庄镇) is read before the town goes.
    let stripped = strip_admin(text.clone(), ctx);
    let station = metro_place(&stripped).or_else(|| {
        (stripped.len() != text.len())
            .then(|| metro_place(&text))
            .flatten()
    });
    if let Some(station) = station {
        // A town's short name before the station's (布吉大芬站, 龙城爱联站) says where it is,
        // unless the station is named as its town (莘庄站).
        let chars: Vec<char> = station.chars().collect();
        let town = short_town(&chars, ctx.local).filter(|(len, _)| {
            let name = chars[*len..].iter().take_while(|c| **c != '站').count();
            name >= 2 && chars.get(*len + name) == Some(&'站')
        });
        let (town, station) = match town {
            Some((len, town)) => (Some(town), chars[len..].iter().collect()),
            None => (None, station),
        };
        return ParsedAddress {
            town,
            poi: Some(station),
            ..ParsedAddress::default()
        };
    }
    let whole = || parse_place(clean::place_first(&stripped), road.clone(), ctx);
    let Some((chars, aside)) = clean::aside_name(&stripped) else {
        return whole();
    };
    // The bracket's other name of the place (three characters or more: 月川 of
    // 星海湾公寓（月川） says where); or where it is, when it names a town (read as if
    // written first: 老街（三河尖镇） = 三河尖镇老街). After a door with no name
    // (湘龙路138号【蓝月亮KTV】) it is the place's only name.
    let other = parse_body(aside.clone(), None, ctx);
    if other.town.is_some() && other.poi.is_none() {
        return parse_place(aside.into_iter().chain(chars).collect(), road, ctx);
    }
    let only_a_name = other.road.is_none()
        && other.junction.is_none()
        && other.number.is_none()
        && other.town.is_none();
    // Settled by the bracket alone before the name is parsed.
    let Some(aka) = other
        .poi
        .filter(|_| only_a_name)
        .map(|poi| PlaceName::of(&poi))
        .filter(|aka| aka.core.chars().count() >= 3)
    else {
        return whole();
    };
    let mut out = parse_place(chars, road.clone(), ctx);
    let Some(main) = out.poi.as_deref().map(PlaceName::of) else {
        return whole();
    };
    // A shop named in brackets after an area or a compound (桑园工业区（阿海大排档）) is the
    // place there, as if written after it.
    if !aka.kinds.is_empty() && main.kinds.is_empty() {
        return whole();
    }
    if aka.core != main.core {
        out.aka = Some(aka);
    }
    out
}

/// Parses an address's place and its neighbour (A隔壁的B), brackets settled.
fn parse_place(chars: Vec<char>, road: Option<Vec<char>>, ctx: &Context) -> ParsedAddress {
    let Some((neighbour, place)) = split_relative(&chars) else {
        return parse_body(chars, road, ctx);
    };
    let near = parse_body(neighbour, None, ctx);
    let mut out = parse_body(place, road, ctx);
    // Something that is only a kind of place, next to a named one (老街口烧烤门口的夜宵摊,
    // 永安农贸市场旁边那个路口), has no name of its own: it is recorded by its neighbour.
    let unnamed = |p: &ParsedAddress| {
        p.road.is_none()
            && p.junction.is_none()
            && p.poi.as_deref().is_none_or(|poi| {
                super::name::is_kind(poi)
                    || poi.chars().count() < 2
                    || THINGS.contains(&poi)
                    || GROUNDS.contains(&poi)
            })
    };
    if unnamed(&out) && !unnamed(&near) {
        return near;
    }
    out.anchor = near.poi.clone();
    if out.town.is_none() {
        out.town = near.town;
    }
    if out.community.is_none() {
        out.community = near.community;
    }
    out
}

/// A metro station, its exit or its square however written (望京站A口, 14号线望京站A口外,
/// 地铁望京站A出口, 望京地铁站A口, 十里堡地铁D口, 袁家岗站2号出口; 莘庄地铁站北面广场,
/// 1号线莘庄站北广场, 莘庄地铁北广场; 地铁1号线外环路站, 外环路站出口): the station by its
/// name and the part by its exit's letter or number or its square's side (`望京站a口`,
/// `莘庄站北广场`, `外环路站`). Only when the address says nothing else (no neighbour of
/// it, no shop at it).
fn metro_place(text: &[char]) -> Option<String> {
    let s: String = text.iter().filter(|c| !clean::is_mark(**c)).collect();
    if ["的", "旁边", "对面", "对过", "隔壁", "边上的", "附近的"]
        .iter()
        .any(|w| s.contains(w))
    {
        return None;
    }
    let chars: Vec<char> = s.chars().collect();
    let (start, end, part, marked) = metro_exit(&chars)
        .map(|(start, end, exit)| (start, end, format!("{exit}口"), true))
        .or_else(|| metro_square(&chars).map(|(start, end, side)| (start, end, side, true)))
        .or_else(|| {
            metro_station_end(&chars).map(|(start, end)| (start, end, String::new(), false))
        })?;
    // What follows is a position at it at most (外, 门口, 外边, 附近, 公交枢纽边).
    let rest: String = chars[end..].iter().collect();
    // The station's building site however said (地铁兴隆东站施工工地, 6号线站北路站施工附近,
    // 兴隆东地铁站建设工地) is the station's site; a shop at it is no station.
    let site = ["施工", "工地", "建设", "项目", "工程"]
        .iter()
        .any(|w| rest.contains(w));
    // A kind of place and nothing else (地铁站B出口烧烤, 出口夜宵摊) is what is done there,
    // not a shop of a name.
    let nameless = super::name::is_kind(&rest);
    let part = if site && part.is_empty() {
        "工地".to_string()
    } else if site
        || rest.chars().count() > 5
        || !nameless && !PlaceName::of(&rest).kinds.is_empty()
    {
        return None;
    } else {
        part
    };
    // Before the part: the station, said with 站 or 地铁 (or both).
    let mut before: String = chars[..start].iter().collect();
    let mut said = false;
    let mut metro = false;
    for tail in ["地铁站", "站", "地铁"] {
        if let Some(rest) = before.strip_suffix(tail) {
            metro = tail.contains("地铁");
            before = rest.to_string();
            said = true;
            break;
        }
    }
    let metro = metro || before.contains("号线") || before.contains("地铁");
    // An exit by its letter said as an exit (嘉禾望岗C出口) is a metro station's without 站
    // or 地铁; not a mall's or a road's (万达广场B口, 人民路B出口: see below).
    let lettered = part.starts_with(|c: char| c.is_ascii_lowercase())
        && part.ends_with('口')
        && s.contains("出口");
    if !said && !metro && !lettered || !marked && !metro && !rest.starts_with("出口") {
        return None;
    }
    // The station's name: after the line, the word 地铁, the district or a road before it.
    let mut name = before.as_str();
    for cut in ["号线", "地铁", "区", "市", "街道", "镇"] {
        if let Some(at) = name.rfind(cut) {
            name = &name[at + cut.len()..];
        }
    }
    // The last road said before it that leaves a name (沪闵路外环路: 外环路; 兴隆东路口兴隆东:
    // 兴隆东).
    let cut = ["路口", "路", "街", "道"]
        .iter()
        .flat_map(|cut| name.match_indices(cut).map(|(at, w)| at + w.len()))
        .filter(|&end| name[end..].chars().count() >= 2)
        .max();
    if let Some(end) = cut {
        name = &name[end..];
    }
    let name = name.trim_end_matches("地铁");
    let n = name.chars().count();
    // Not a name: a district or a door before it, or a crossing (路口地铁站, 交汇处地铁站).
    let not_a_name = [
        '县', '区', '市', '镇', '乡', '号', '口', '处', '边', '旁', '侧', '近',
    ];
    // A joiner between two names, not the first character of one (和坳站, 和平站).
    let joined = JUNCTION_JOINERS
        .iter()
        .any(|j| name.find(j).is_some_and(|at| at > 0));
    if !(2..=6).contains(&n) || !name.chars().all(is_han) || name.ends_with(not_a_name) || joined {
        return None;
    }
    let named_otherwise =
        !PlaceName::of(name).kinds.is_empty() || ROAD_SUFFIXES.iter().any(|r| name.ends_with(r));
    if !said && !metro && named_otherwise {
        return None;
    }
    Some(format!("{name}站{part}"))
}

/// A metro exit: 口 or 出口 or 出入口 after a letter and digits, or a number and 号: where
/// it starts and ends, and its letter or number.
fn metro_exit(chars: &[char]) -> Option<(usize, usize, String)> {
    let mut found = None;
    for (i, c) in chars.iter().enumerate() {
        if *c != '口' {
            continue;
        }
        let mut j = i;
        for word in ["出入", "出"] {
            let w: Vec<char> = word.chars().collect();
            if j >= w.len() && chars[j - w.len()..j] == w[..] {
                j -= w.len();
                break;
            }
        }
        if j > 0 && chars[j - 1] == '号' {
            j -= 1;
        }
        let end = j;
        while j > 0 && chars[j - 1].is_ascii_digit() {
            j -= 1;
        }
        if j > 0 && chars[j - 1].is_ascii_lowercase() {
            j -= 1;
        }
        if j == end || j == 0 {
            continue;
        }
        let exit: String = chars[j..end].iter().filter(|c| **c != '号').collect();
        found = Some((j, i + 1, exit));
    }
    found
}

/// A station's square by its side (北广场, 北面广场, 北边广场), right after the station
/// (站, 地铁站, 地铁): where it starts and ends, and `北广场`.
fn metro_square(chars: &[char]) -> Option<(usize, usize, String)> {
    let at = (1..chars.len()).find(|&i| clean::word_at(chars, i, "广场"))?;
    let mut side = at - 1;
    if "面边侧".contains(chars[side]) && side > 0 {
        side -= 1;
    }
    if !is_direction(chars[side])
        || !(chars[..side].ends_with(&['站']) || chars[..side].ends_with(&['地', '铁']))
    {
        return None;
    }
    Some((side, at + 2, format!("{}广场", chars[side])))
}

/// A station alone (地铁1号线外环路站, 外环路地铁站出口): where its 站 or 地铁 ends.
fn metro_station_end(chars: &[char]) -> Option<(usize, usize)> {
    // 地铁 ends a station's name (莘庄地铁), not when a line follows (地铁六号线星沙段).
    let line_follows = |i: usize| {
        chars
            .get(i + 1)
            .is_some_and(|c| numerals::is_numeral_or_digit(*c) || *c == '号')
    };
    let at = (0..chars.len()).rev().find(|&i| {
        chars[i] == '站' || i > 0 && chars[i - 1] == '地' && chars[i] == '铁' && !line_follows(i)
    })?;
    Some((at + 1, at + 1))
}

/// Whether a place is a metro exit or square as `metro_place` writes it (望京站a口,
/// 莘庄站北广场).
pub fn is_metro_part(poi: &str) -> bool {
    let exit = poi
        .strip_suffix('口')
        .and_then(|rest| rest.rsplit_once('站'))
        .is_some_and(|(name, exit)| {
            name.chars().count() >= 2
                && !exit.is_empty()
                && exit.chars().all(|c| c.is_ascii_alphanumeric())
        });
    let square = poi
        .strip_suffix("广场")
        .and_then(|rest| rest.rsplit_once('站'))
        .is_some_and(|(name, side)| {
            name.chars().count() >= 2 && side.chars().count() == 1 && side.chars().all(is_direction)
        });
    exit || square
}

/// The county's or city's own town and its old town, said before a road or a place to
/// say where (longer ones first).
const OWN_TOWN_AREAS: [&[char]; 9] = [
    &['古', '城', '内'],
    &['古', '城', '里'],
    &['老', '城', '区'],
    &['县', '城'],
    &['城', '区'],
    &['市', '区'],
    &['古', '城'],
    &['古', '镇'],
    &['老', '城'],
];

/// The address without the province, city and county written before it.
fn strip_admin(mut chars: Vec<char>, ctx: &Context) -> Vec<char> {
    let divisions = Divisions::get();
    loop {
        let before = chars.len();
        for p in ctx.prefixes {
            if chars.len() > p.len() && chars.starts_with(p) {
                chars.drain(..p.len());
            }
        }
        if chars.starts_with(&['中', '国']) {
            chars.drain(..2);
        }
        // The county's or city's own town, said as such (县城青菏路, 城区人民路): where,
        // not which place; only before at least two more characters.
        // So is the old town (古城内人民路, 双廊古镇听海小院), unless it is all of a name
        // (古城小区).
        let area = OWN_TOWN_AREAS.iter().find(|area| {
            chars.len() > area.len() + 1
                && chars.starts_with(area)
                && !super::name::is_kind(&chars[area.len()..].iter().collect::<String>())
        });
        if let Some(area) = area {
            // 县城厢镇: the county's 县 and its seat 城厢镇, not 县城 and 厢镇.
            let seat = *area == ['县', '城'] && town_at(&chars[1..], divisions, ctx.local);
            chars.drain(..area.len() - usize::from(seat));
        }
        let (len, _) = divisions.admin_prefix(&chars, ctx.local);
        let last = len.checked_sub(1).map(|at| chars[at]);
        chars.drain(..len);
        // A former district named as one of the squad's towns is now (苏州市平江区, merged
        // into 姑苏区; its 平江街道 keeps the name): where, but no town: the old district
        // held more than the town.
        if let Some(len) = former_district(&chars, ctx.local) {
            chars.drain(..len);
        } else if last == Some('市')
            && chars.len() >= 6
            && chars[2] == '区'
            && chars[..2].iter().all(|c| is_han(*c))
            && !chars[..2].iter().any(|c| numerals::is_numeral(*c))
        {
            // A district of two characters right after the city, that no list holds now
            // (杭州市下城区, merged into 拱墅区 in 2021): where, as a district is.
            chars.drain(..3);
        }
        // The county's seat or the county written on with the last character of what came
        // off said once (固始县城 = 固始县 + 县城, 青岛市南区 = 青岛市 + 市南区); not when a
        // town follows the county (霍邱县城关镇, 霍邱县城关: the seat's town, 城关).
        if let Some(last) = last
            .filter(|c| matches!(c, '县' | '市' | '区') && !town_at(&chars, divisions, ctx.local))
        {
            let with: Vec<char> = std::iter::once(last).chain(chars.iter().copied()).collect();
            let shared = OWN_TOWN_AREAS
                .iter()
                .find(|area| with.len() > area.len() + 1 && with.starts_with(area))
                .map(|area| area.len())
                .or_else(|| {
                    // Only a county named by one character and 区 after the city's 市
                    // (市南区, 市北区, 市中区) is looked up.
                    if last != '市' || chars.get(1) != Some(&'区') {
                        return None;
                    }
                    let (len, _) = divisions.admin_prefix(&with, ctx.local);
                    (len >= 3 && len < with.len()).then_some(len)
                });
            if let Some(shared) = shared {
                chars.drain(..shared - 1);
            }
        }
        if chars.len() == before {
            return chars;
        }
    }
}

/// Whether a town starts `chars`: in full (城关镇, 城厢镇), or the seat's 城关 by its
/// local short name (霍邱县城关 水门塘); not another short name running into a word
/// (县城中心广场 is no 城中 + 心广场).
fn town_at(chars: &[char], divisions: &Divisions, local: &Local) -> bool {
    divisions.full_town_at(chars, local).is_some()
        || chars.starts_with(&['城', '关']) && local.short_towns.contains_key("城关")
}

/// The length of a former district at the start of `chars`: a local town's short name and
/// 区 (平江区 for the area of 平江街道), before two characters more.
fn former_district(chars: &[char], local: &Local) -> Option<usize> {
    (2..=local.longest_short.min(chars.len().saturating_sub(3)))
        .rev()
        .find(|&len| {
            chars[len] == '区'
                && chars.len() >= len + 3
                && local
                    .short_town(&chars[..len].iter().collect::<String>())
                    .is_some()
        })
        .map(|len| len + 1)
}

/// `A隔壁的B`, `A对面B`, `A往南五十米的B`: (A, B), when B names a place.
fn split_relative(chars: &[char]) -> Option<(Vec<char>, Vec<char>)> {
    let text: String = chars.iter().collect();
    // Most addresses describe no neighbour: 的, or a word that goes without it, first.
    if !text.contains('的')
        && !["隔壁", "对面", "对过", "旁边", "边上", "对出", "往"]
            .iter()
            .any(|w| text.contains(w))
    {
        return None;
    }
    // Of several (A的B边上的C), the last: C is the place.
    let mut best: Option<(usize, usize)> = None;
    for word in RELATIVE {
        let mut from = 0;
        while let Some(found) = text[from..].find(word) {
            let at = from + found;
            from = at + word.len();
            let start = text[..at].chars().count();
            if start < 2 {
                continue;
            }
            let mut end = start + word.chars().count();
            // 往南五十米, 往下走五十米, 往上走一点: a direction (of the compass, or up, down,
            // in, forward) and a distance, or a walk and a little.
            if *word == "往" || *word == "向" {
                let way = |c: &char| is_direction(*c) || "上下前后里左右".contains(*c);
                if !chars.get(end).is_some_and(way) {
                    continue;
                }
                end += 1;
                let walked = chars.get(end) == Some(&'走');
                if walked {
                    end += 1;
                }
                let number_from = end;
                while chars
                    .get(end)
                    .is_some_and(|c| numerals::is_numeral_or_digit(*c))
                {
                    end += 1;
                }
                let at = |word: &str| clean::word_at(chars, end, word);
                let one = matches!(&chars[number_from..end], ['1'] | ['一']);
                let distance = end > number_from && (at("米") || at("步"));
                if distance || one && (at("点") || at("些") || at("段")) {
                    end += 1;
                } else if !(walked && end == number_from) {
                    continue;
                }
                if chars.get(end) == Some(&'处') {
                    end += 1;
                }
            }
            let with_de = chars.get(end) == Some(&'的');
            if with_de {
                end += 1;
            } else if *word == "上" {
                continue; // 玉林中路上的X only
            }
            // What follows must name something once its position words are gone (锦绣小区
            // 门口往西30米 names nothing after 门口); without 的, a name of its own.
            let place: String = strip_positions(&chars[end..].iter().collect::<String>());
            let named = place
                .chars()
                .filter(|c| is_han(*c) || c.is_ascii_alphanumeric())
                .count();
            let enough = if with_de { named >= 1 } else { named >= 3 };
            if !enough || POSITIONS.contains(&place.as_str()) {
                continue;
            }
            if best.is_none_or(|(_, e)| end > e) {
                best = Some((start, end));
            }
        }
    }
    best.map(|(start, end)| (chars[..start].to_vec(), chars[end..].to_vec()))
}

/// A town's short name at the start of `rest` that is not the start of a road's or place's
/// name (荷花池小区 keeps 荷花: one character before a kind word is too short a name).
fn short_town(rest: &[char], local: &Local) -> Option<(usize, String)> {
    for len in (2..=local.longest_short.min(rest.len())).rev() {
        let candidate: String = rest[..len].iter().collect();
        // A junction's word is none (路口 of 路口镇).
        if JUNCTION_MARKS.contains(&candidate.as_str()) {
            continue;
        }
        let Some(town) = local.short_town(&candidate) else {
            continue;
        };
        if len == rest.len() {
            return Some((len, town.clone()));
        }
        let after: String = rest[len..].iter().collect();
        // A numbered road named by the town (碱泉二街, 碱泉2街 in 碱泉街道) is a road.
        let numbered_road = {
            let mut i = len;
            while rest
                .get(i)
                .is_some_and(|&c| numerals::is_numeral_or_digit(c))
            {
                i += 1;
            }
            i > len && i - len <= 2 && road_suffix_at(rest, i).is_some()
        };
        let starts_name = |s: &str| {
            numbered_road
                || ROAD_SUFFIXES.iter().any(|r| s.starts_with(r))
                || PLACE_KINDS.iter().any(|k| s.starts_with(k))
                || super::name::starts_with_kind(s)
                // A compound of the town's name (和睦新村 in 和睦街道).
                || ["村", "新村", "圩", "墟", "社区", "街道", "镇", "乡"]
                    .iter()
                    .any(|k| s.starts_with(k))
        };
        // One character and a road's suffix or a kind of place after the short name make a
        // name of their own (荷花池小区); a village's 村 after one character does not (陈村
        // 谈村路 is 陈村镇's 谈村路).
        let after_one: String = rest[len..].iter().skip(1).collect();
        let names_after_one = !after_one.is_empty()
            && (ROAD_SUFFIXES.iter().any(|r| after_one.starts_with(r))
                && (is_direction(rest[len]) || is_feature(rest[len]))
                || super::name::kind_at(&rest[len + 1..]).is_some_and(|k| k >= 2));
        // A 街道 said as 街 before a place (石门街夏茅村, 新市街新市墟: as the city's own
        // names write them), unless the street's door, place or crossing follows (新市街18号).
        if after.starts_with('街') && !after.starts_with("街道") && town.ends_with("街道") {
            // Nor when the street's own place or a crossing follows (进乡街早市, 通天街与珠江路).
            let next: String = rest[len + 1..].iter().collect();
            let street_goes_on = number_at(rest, len + 1).is_some()
                || next.starts_with('口')
                || next.starts_with('路')
                || next.starts_with("马路")
                || JUNCTION_JOINERS.iter().any(|j| next.starts_with(j))
                || JUNCTION_MARKS.iter().any(|m| next.starts_with(m))
                || super::name::starts_with_kind(&next)
                || PLACE_KINDS.iter().any(|k| next.starts_with(k))
                || POSITIONS.iter().any(|p| next.starts_with(p));
            // Alone it is the town too (洪山区关山街): a road without a door names no place
            // either way, and the complaint's text then says which place of the town.
            if !street_goes_on {
                return Some((len + 1, town.clone()));
            }
        }
        // 炉山新街: the town's 新街, as 炉山镇新街 is.
        if one_char_road(&rest[len..]) {
            return Some((len, town.clone()));
        }
        if starts_name(&after) || names_after_one {
            continue;
        }
        return Some((len, town.clone()));
    }
    None
}

/// Whether `rest` starts with a road named by one character (新街, 正街, 老路), as a town's
/// roads are written after its name.
fn one_char_road(rest: &[char]) -> bool {
    rest.len() >= 2
        && is_han(rest[0])
        && !is_direction(rest[0])
        && !"大街路巷道".contains(rest[0])
        // 碱泉二街 is a numbered road named by the town, not the town's 二街.
        && !numerals::is_numeral(rest[0])
        && !is_feature(rest[0])
        && ['街', '路', '巷'].contains(&rest[1])
        && !matches!(rest.get(2), Some('道' | '口' | '段' | '市'))
        // 老街烧烤 is a shop's name.
        && super::name::kind_at(&rest[2..]).is_none()
}

/// A river, lake, hill or bridge named after a place (青菱河, 南湖, 关山), whose name a
/// road takes in turn (青菱河路): after a town's name it makes a name, not the town's road.
fn is_feature(c: char) -> bool {
    "河湖江桥山港溪湾塘岭洲".contains(c)
}

/// Words that end a development zone's or a shopping street's name.
const ZONES: [&str; 15] = [
    // A pedestrian or shopping street, where the shops of it are (光谷步行街K9清吧).
    "步行街",
    "风情街",
    "商业街",
    // An old town's quarter (平江历史街区枕流酒吧): where the place is.
    "历史文化街区",
    "历史街区",
    "文化街区",
    "经济技术开发区",
    "高新技术产业开发区",
    "经济开发区",
    "经开区",
    "高新区",
    "开发区",
    "工业园区",
    "工业园",
    "工业区",
];

/// Takes a development zone's name (长沙经济技术开发区, 经开区) off the start of `rest` when
/// more follows it.
fn strip_zone(rest: &mut Vec<char>) {
    // The county's or city's new district, its name just taken off (正定新区太行大街): an
    // area of several streets. Not a compound that calls itself one (铁路新区5栋).
    if rest.starts_with(&['新', '区']) && rest.len() >= 5 {
        rest.drain(..2);
        return;
    }
    let text: String = rest.iter().collect();
    for zone in ZONES {
        if let Some(at) = text.find(zone) {
            let before = text[..at].chars().count();
            let len = before + zone.chars().count();
            // A numbered road of the zone (熹涌工业区二路), or a road named after it
            // (工业园路), keeps it.
            let numbered = rest
                .get(len)
                .is_some_and(|c| numerals::is_numeral_or_digit(*c))
                || road_suffix_at(rest, len).is_some();
            if before <= 4
                && rest.len() >= len + 3
                && !numbered
                && rest[..before].iter().all(|c| is_han(*c))
            {
                rest.drain(..len);
                return;
            }
        }
    }
}

/// Whether a town (its full name) is one of the squad's counties'.
fn squads_town(divisions: &Divisions, town: &str, local: &Local) -> bool {
    divisions
        .counties_of_town(town)
        .iter()
        .any(|c| local.counties.contains(c))
}

/// Parses the text of one place (no prefixes, no neighbour); `road`, one that a bracket
/// after the place's name gave.
fn parse_body(mut rest: Vec<char>, road: Option<Vec<char>>, ctx: &Context) -> ParsedAddress {
    let gazetteer = ctx.gazetteer;
    let divisions = Divisions::get();
    let mut out = ParsedAddress::default();

    // Town or street at the start: the gazetteer's longest name, else one of China's in
    // full, else a local one's short name, else a short name ending in 街道 / 镇 / 乡.
    let mut town_alias: Option<String> = None;
    if let Some((len, town)) = gazetteer.town_prefix(&rest) {
        out.town = Some(town);
        rest.drain(..len);
    } else if let Some((len, town)) = divisions.full_town_at(&rest, ctx.local) {
        // A town of elsewhere that sounds like one of the squad's own is the squad's (芦山镇
        // heard for 炉山镇).
        let elsewhere = !squads_town(divisions, &town, ctx.local);
        let heard = elsewhere.then(|| ctx.local.town_by_sound(&town)).flatten();
        out.town = Some(heard.map(str::to_string).unwrap_or(town));
        rest.drain(..len);
    } else if let Some((len, town)) = short_town(&rest, ctx.local) {
        if rest[len..].starts_with(&['片', '区']) && rest.len() > len + 2 {
            // An area named as a town is (二道桥片区): it spans several streets, so it says
            // where, not which street.
            town_alias = Some(rest.drain(..len).collect());
            out.community = town_alias.clone();
            rest.drain(..2);
        } else {
            out.town = Some(town);
            town_alias = Some(rest.drain(..len).collect());
        }
    } else if let Some(len) = generic_prefix(&rest, &TOWN_SUFFIXES, 2, 3) {
        // A name that says it is a town: one of the squad's heard by sound (大梁街道 for
        // 大良街道); where the squad's counties are known, no other (逢简水乡 is a place);
        // else any 街道 or 镇.
        let written: String = rest[..len].iter().collect();
        // A 街道 is always one (one renamed or merged away is still written: 跳伞塔街道).
        let town = match ctx.local.town_by_sound(&written) {
            Some(town) => Some(town.to_string()),
            None if ctx.local.counties.is_empty() && !written.ends_with('乡') => Some(written),
            None if written.ends_with("街道") => Some(written),
            None => None,
        };
        if let Some(town) = town {
            out.town = Some(town);
            rest.drain(..len);
        }
    }
    // One of the squad's towns written out after an area's name of two or three
    // characters (棉城棉北街道, the old town's name first): the town, the area said to say
    // where.
    if out.town.is_none() && rest.iter().skip(3).any(|c| matches!(c, '道' | '镇' | '乡')) {
        for k in 2..=3 {
            if rest.len() <= k + 3 || !rest[..k].iter().all(|c| is_han(*c)) {
                break;
            }
            let before: String = rest[..k].iter().collect();
            if ROAD_SUFFIXES.iter().any(|s| before.contains(s))
                || TOWN_SUFFIXES.iter().any(|s| before.contains(s))
            {
                break;
            }
            let Some((len, town)) = divisions.full_town_at(&rest[k..], ctx.local) else {
                continue;
            };
            if squads_town(divisions, &town, ctx.local) {
                out.town = Some(town);
                rest.drain(..k + len);
                break;
            }
        }
    }
    // The town's office said after its name (跳伞塔街道办事处, 街道办, 崔各庄地区) is the
    // town.
    if out.town.is_some() && rest.starts_with(&['办', '事', '处']) {
        rest.drain(..3);
    } else if out.town.is_some()
        && (rest.starts_with(&['地', '区']) || rest.starts_with(&['片', '区']))
        && rest.len() > 3
    {
        rest.drain(..2);
    } else if out.town.as_deref().is_some_and(|t| t.ends_with("街道"))
        && rest.first() == Some(&'办')
        && rest.get(1) != Some(&'公')
    {
        rest.drain(..1);
    }
    // The province, city and county written after the town (a 所属街道 written before the
    // address as exported: 和平路街道哈尔滨市香坊区…).
    if out.town.is_some() {
        rest = strip_admin(rest, ctx);
    }
    // The town's centre said after its name (富加场镇正街, 龙正镇场镇, 郭陆滩集镇, 镇区): the
    // town itself.
    if out.town.is_some() {
        if let Some(centre) = TOWN_CENTRES.iter().find(|c| clean::word_at(&rest, 0, c)) {
            rest.drain(..centre.chars().count());
        }
    }
    // A development zone after the town (经济开发区): it spans towns and names no place.
    strip_zone(&mut rest);
    let community = |rest: &mut Vec<char>| -> Option<String> {
        for suffix in COMMUNITY_SUFFIXES {
            if let Some(len) = generic_prefix(rest, &[suffix], 2, 4) {
                let name: String = rest[..len - suffix.chars().count()].iter().collect();
                rest.drain(..len);
                return Some(name);
            }
        }
        None
    };
    // The community first when it is written next (安沙社区: not the town's short name).
    out.community = community(&mut rest);
    // The town written after its community (进乡社区进乡街道早市).
    if out.town.is_none() && out.community.is_some() {
        if let Some((len, town)) = divisions.full_town_at(&rest, ctx.local) {
            if squads_town(divisions, &town, ctx.local) {
                out.town = Some(town);
                rest.drain(..len);
            }
        }
    }
    // A town's short name that is its community's (杏坛居委会 in 杏坛镇).
    if let Some(alias) = &town_alias {
        for suffix in COMMUNITY_SUFFIXES {
            let suffix: Vec<char> = suffix.chars().collect();
            if out.community.is_none() && rest.starts_with(&suffix) {
                out.community = Some(alias.clone());
                rest.drain(..suffix.len());
            }
        }
    }
    // A short name after the full one (大良 after 大良街道 is said twice), or the town
    // written again in another designation or by sound (南牛乡南妞乡).
    if let Some(town) = &out.town {
        // (Looked for only where the town's first character is written again.)
        let again_here = rest.first() == town.chars().next().as_ref();
        if let Some((len, _)) = again_here
            .then(|| divisions.full_town_at(&rest, ctx.local))
            .flatten()
            .filter(|(_, again)| again == town)
        {
            if len < rest.len() {
                rest.drain(..len);
            }
        }
        if let Some((len, again)) = short_town(&rest, ctx.local) {
            // But 进乡街 alone after 进乡街道 is the road the street is named after.
            let road_alone = len == rest.len() && rest[len - 1] == '街';
            if &again == town && !road_alone {
                rest.drain(..len);
            }
        }
    }
    // A town's short name starting a place's name (泉塘农贸市场, 高桥加油站, 安沙新街) says
    // where the place is: taken as the town unless it starts a road (星沙大道).
    let text_now: String = rest.iter().collect();
    if out.community.is_none()
        && town_alias.is_none()
        && !gazetteer.starts_with_known_place(&text_now)
    {
        if let Some((len, town)) = gazetteer.town_alias_prefix(&rest) {
            if out.town.is_none() || out.town.as_deref() == Some(town.as_str()) {
                out.town = Some(town);
                town_alias = Some(rest.drain(..len).collect());
            }
        }
    }
    // Community after it (社区, 居委会).
    if out.community.is_none() {
        out.community = community(&mut rest);
    }
    // A road of one character right after its town (炉山镇新街, 舟溪新街: the town's 新街,
    // 正街, 老街), with its door number.
    // Without a door it is the town's street as a place (三河尖镇老街上, 黎集老街).
    if out.town.is_some() && road.is_none() && one_char_road(&rest) {
        if let Some((number, end)) = number_at(&rest, 2) {
            out.road = Some(rest[0].to_string());
            out.number = Some(number);
            rest.drain(..end);
        }
    }
    // The road a bracket gave is read first, where roads are read.
    if let Some(road) = road {
        rest.splice(0..0, road);
    }
    let mut text: String = rest.iter().collect();

    // Filler words, position words anywhere (往东50米 too), and one-character ones at the
    // end.
    for filler in FILLERS {
        if text.contains(filler) {
            text = text.replace(filler, "");
        }
    }
    text = strip_positions(&text);
    text = trim_position_tail(&text).to_string();
    text = without_de_before_a_kind(&text);

    // A junction: two roads before a junction mark, or joined by 与/和.
    if let Some((junction, remaining)) = find_junction(&text, gazetteer) {
        out.junction = Some(junction);
        text = remaining;
    }

    // A natural village is a village (李塘自然村37号 = 李塘村37号); an economic society is
    // the village's group (三元里村第二经济社 = 三元里村二社).
    for (long, short) in [("自然村", "村"), ("经济合作社", "社"), ("经济社", "社")] {
        if text.contains(long) {
            text = text.replace(long, short);
        }
    }

    // Building details: 8栋2单元602, 3号楼.
    let (without_detail, detail) = strip_details(&text);
    // A position before the caller's building (伊味香牛肉面住户22栋, 酒吧楼上3楼) is one.
    text = if detail.is_some() {
        strip_positions(&without_detail)
    } else {
        without_detail
    };
    out.detail = detail;

    // Road and door number.
    if out.junction.is_none() && out.road.is_none() {
        if let Some(found) = find_road(&text, gazetteer) {
            // A road that is part of a place's name (星光大道KTV) says nothing of where.
            if !found.named_place_follows {
                // A lane named by number in its village (细滘社区一村三巷): the village's
                // name is the lane's too.
                let numbered = found
                    .name
                    .chars()
                    .next()
                    .is_some_and(numerals::is_numeral_or_digit)
                    && found.name.contains('村');
                out.road = match (&out.community, town_alias.as_ref()) {
                    (Some(village), _) | (None, Some(village)) if numbered && found.start == 0 => {
                        Some(format!("{village}{}", found.name))
                    }
                    _ => Some(found.name),
                };
                out.number = found.number;
                text = format!("{}{}", &text[..found.start], &text[found.end..]);
            }
        }
    }
    // A door number right after the village or community (青岩刘社区58号): the village's
    // door, as 青岩刘村58号 is.
    if out.road.is_none() && out.junction.is_none() {
        if let Some(village) = &out.community {
            let chars: Vec<char> = text.chars().collect();
            if let Some((number, end)) = number_at(&chars, 0) {
                if chars.get(end - 1) == Some(&'号') {
                    out.road = Some(village.clone());
                    out.number = Some(number);
                    text = chars[end..].iter().collect();
                }
            }
        }
    }
    // A stretch of the road between two points (罗坳大桥至罗坳圩路段) is the road.
    if out.road.is_some() && is_stretch(&text) {
        text.clear();
    }
    // A town written after the road (323国道罗坳镇路段): where the road is.
    if out.town.is_none() {
        let chars: Vec<char> = text.chars().collect();
        let town = divisions
            .full_town_at(&chars, ctx.local)
            .or_else(|| short_town(&chars, ctx.local))
            .filter(|(len, _)| {
                let rest: String = chars[*len..].iter().collect();
                rest.is_empty() || POSITIONS.contains(&rest.as_str()) || rest == "路段"
            });
        if let Some((_, town)) = town {
            out.town = Some(town);
            text.clear();
        }
    }

    // What is left names the place (的 left over from 路口的工地 says nothing).
    let text = text.trim_start_matches('的');
    // A shop in a shopping street after the road (珞喻路光谷步行街K9酒吧): the shop.
    let text = SHOPPING_STREETS
        .iter()
        .find_map(|area| {
            let (_, shop) = text.split_once(area)?;
            let chars: Vec<char> = shop.chars().collect();
            (chars.len() >= 3 && super::name::kind_ending(&chars).is_some()).then_some(shop)
        })
        .unwrap_or(text);
    let poi = numerals::to_arabic(trim_position_tail(text));
    let mut poi = strip_generic_tail(&poi);
    // The squad's county by name before a number (浏阳一中, 于都县二中): the county's own
    // numbered school or hospital, as 县二中 is.
    for name in &ctx.local.county_names {
        // By sound too (鱼都二中).
        let chars: Vec<char> = poi.chars().collect();
        if chars.len() > name.len()
            && chars[name.len()].is_ascii_digit()
            && super::sound::same_sound(&chars[..name.len()], name)
        {
            poi = chars[name.len()..].iter().collect();
        }
    }
    // A branch named by the road it is on (富丽家私岭南大道店 at 岭南大道中138号): the
    // branch word says the road again.
    if let Some(road) = &out.road {
        if poi.ends_with('店') {
            if let Some(branch) = find_road(&poi, gazetteer) {
                if branch.number.is_none()
                    && branch.start > 0
                    && branch.end == poi.len()
                    && road.starts_with(&branch.name)
                {
                    poi.truncate(branch.start);
                }
            }
        }
    }
    // A place named after its town, the town written out (陆斡镇圩场 is 陆斡圩场).
    if let Some(town) = &out.town {
        let short = super::divisions::short_form(town).filter(|s| s.chars().count() >= 2);
        if let (Some(short), Some(rest)) = (short, poi.strip_prefix(town.as_str())) {
            if !rest.is_empty() {
                poi = format!("{short}{rest}");
            }
        }
    }
    // A town's or community's short name taken off the start belongs to a place's name that
    // is only a kind of place without it (泉塘小学, 星沙四区, 东门社区菜市场).
    // Likewise the town written out (高桥镇加油站 is 高桥加油站). Not at a door of a road:
    // 二道桥片区山西巷23号烤肉店 is the 烤肉店 at that door, not one named 二道桥.
    let at_door = out.road.is_some() && out.number.is_some();
    if !poi.is_empty() && !at_door && names_only_a_kind(&poi) {
        let short = town_alias.or_else(|| out.community.clone()).or_else(|| {
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
    // A market day's ground by its town's or village's name (诸福屯集, 朱福屯集上): its 大集.
    if let Some(head) = poi.strip_suffix("大集上") {
        poi = format!("{head}大集");
    }
    for day in ["集上", "集"] {
        if let Some(head) = poi.strip_suffix(day) {
            let chars: Vec<char> = head.chars().collect();
            let named = chars.len() >= 2
                && chars.iter().all(|c| is_han(*c))
                // 采集, 聚集, 赶集, 大集, 市集: no market of a name.
                && !"采聚密收汇召征募搜云交合文诗影赶大市".contains(chars[chars.len() - 1]);
            if named {
                poi = format!("{head}大集");
                break;
            }
        }
    }
    // The people's hospital is the hospital (州人民医院 = 州医院).
    let mut poi = gazetteer
        .canonical_poi(&poi)
        .replacen("人民医院", "医院", 1);
    // A numbered people's hospital by its number (横岗三院, 区三院 = 第三人民医院): the
    // hospital, not a courtyard (3号院, 3院子).
    {
        let chars: Vec<char> = poi.chars().collect();
        let from = usize::from(chars.first().is_some_and(|c| "市区县".contains(*c)));
        let digits = chars[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let at = from + digits;
        if (1..=2).contains(&digits)
            && chars.get(at) == Some(&'院')
            && !matches!(chars.get(at + 1), Some('落' | '子' | '里' | '内'))
        {
            let head: String = chars[..at].iter().collect();
            let tail: String = chars[at + 1..].iter().collect();
            poi = format!("{head}医院{tail}");
        }
    }
    // Its short name too (县人医, 市一人医): 人医 at the end is the people's hospital.
    if let Some(rest) = poi.strip_suffix("人医") {
        poi = format!("{rest}医院");
    }
    // The county's short name starting a place's name after a road or a town (大湾北路166号
    // 天山雅苑 in 天山区) goes, as it goes at the start of an address (天山雅苑 → 雅苑): one
    // form either way.
    if let Some(rest) = (2..=4).find_map(|len| {
        let head: String = poi.chars().take(len).collect();
        let rest = &poi[head.len()..];
        (ctx.local.is_county_short_name(&head)
            && rest.chars().count() >= 2
            && !rest.starts_with(['县', '区', '市', '城'])
            && !rest.starts_with(|c: char| c.is_ascii_digit())
            // A place named after the county (正定中学) keeps its name.
            && !names_only_a_kind(rest))
        .then_some(rest)
    }) {
        poi = rest.to_string();
    }
    if let Some(own) = county_hospital(&poi, ctx.local, out.town.is_none()) {
        poi = own;
    }
    if let Some(site) = site_within(&poi) {
        poi = site;
    }
    if let Some(plot) = land_plot(&poi) {
        poi = plot;
    }
    // A compound's own square or garden (名都花园中心广场, 名都小区中心花园): the compound.
    for part in ["中心广场", "中心花园", "小区广场", "小区花园", "内广场"] {
        if let Some(compound) = poi.strip_suffix(part) {
            let residential = [
                "花园", "小区", "家园", "公寓", "新村", "苑", "府", "名都", "名城",
            ]
            .iter()
            .any(|k| compound.ends_with(k));
            if residential && compound.chars().count() >= 3 {
                poi = compound.to_string();
                break;
            }
        }
    }
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
    // The town written after the place (鑫源木业（普连集）, 宋庄村养牛场（王集镇）, 润美板材厂
    // 倪集办事处): where it is, not its name.
    if let Some((start, town)) = trailing_town(&poi, ctx.local) {
        if out.town.is_none() || out.town.as_deref() == Some(town.as_str()) {
            out.town = Some(town);
            poi = poi.chars().take(start).collect();
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

/// A local town written at the end of a place's text, after at least two characters of
/// the place: its full name, its name with 办事处, or its short name of three characters or
/// more (two are too often a name's own). Where it starts and the town.
fn trailing_town(poi: &str, local: &Local) -> Option<(usize, String)> {
    let chars: Vec<char> = poi.chars().collect();
    for start in 2..chars.len().saturating_sub(1) {
        let tail: String = chars[start..].iter().collect();
        let (name, marked) = ["办事处", "街道", "镇", "乡"]
            .iter()
            .find_map(|suffix| tail.strip_suffix(suffix).map(|n| (n.to_string(), true)))
            .unwrap_or((tail.clone(), false));
        let len = name.chars().count();
        if len < 2 || (!marked && len < 3) || len > local.longest_short {
            continue;
        }
        if let Some(town) = local.short_town(&name) {
            return Some((start, town.clone()));
        }
    }
    None
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
    // 往东50米, 东侧, 向北100米, anywhere.
    let chars: Vec<char> = without_side_of_a_road(text.chars().collect());
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if (chars[i] == '往' || chars[i] == '向')
            && i + 1 < chars.len()
            && is_direction(chars[i + 1])
        {
            let mut j = i + 2;
            while j < chars.len() && numerals::is_numeral_or_digit(chars[j]) {
                j += 1;
            }
            if j < chars.len() && (chars[j] == '米' || chars[j] == '侧') {
                i = j + 1;
                continue;
            }
        }
        // 往铁佛立交方向: which way along the road.
        if chars[i] == '往' {
            let rest: String = chars[i + 1..].iter().take(12).collect();
            if let Some(at) = rest.find("方向") {
                i += 1 + rest[..at].chars().count() + 2;
                continue;
            }
        }
        if is_direction(chars[i]) && i + 1 < chars.len() && chars[i + 1] == '侧' {
            i += 2;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    // Anywhere: the words that are never part of a name, and a gate after a kind of place
    // (顺峰山公园南门广场). At the end (repeatedly): every position word, since 北门 or 东门
    // may start a name (东门菜市场, 北门路).
    // A school's gate (一中校门口, 巴蜀中学校门), not a 学校's or a campus's (总校门口).
    for gate in ["校门口", "校门"] {
        if let Some(rest) = out.strip_suffix(gate) {
            let school = ["中学", "小学", "大学"].iter().any(|s| rest.ends_with(s));
            if !rest.is_empty() && (school || !rest.ends_with(['学', '总', '分'])) {
                out = rest.to_string();
                break;
            }
        }
    }
    for gate in [
        // 正定中学东大门口: the east gate, not a name ending in 东.
        "东大门口",
        "西大门口",
        "南大门口",
        "北大门口",
        "东大门",
        "西大门",
        "南大门",
        "北大门",
        "东门口",
        "西门口",
        "南门口",
        "北门口",
        "大门口",
        "正门口",
        "东门",
        "西门",
        "南门",
        "北门",
        "正门",
        "后门",
        "侧门",
        "大门",
    ] {
        let chars: Vec<char> = out.chars().collect();
        if let Some(at) = out.find(gate) {
            let before = out[..at].chars().count();
            // A gate's 门口 after a name of two or more (苗都国际城东门口), a gate after
            // a kind of place, or a gate between two names (锦绣华府南门鲁味轩: the shop at
            // the compound's gate).
            let named = gate.ends_with('口') && before >= 2;
            let after: String = chars[before + gate.chars().count()..].iter().collect();
            let between = before >= 2
                && after.chars().filter(|c| is_han(*c)).count() >= 2
                && !names_only_a_kind(&after)
                && !super::name::starts_with_kind(&after)
                && !PLACE_KINDS.iter().any(|k| after.starts_with(k));
            if before > 0
                && (named || between || super::name::kind_ending(&chars[..before]).is_some())
            {
                out = format!("{}{}", &out[..at], &out[at + gate.len()..]);
            }
        }
    }
    // A street of one trade (龙虾一条街, 龙虾1条街) is a place; the whole of a road, of a
    // place or of where one is (民主路一条街, 夜市一条街, 那一条街) is where along it, as is
    // that of a trade whose word is a kind of place's (烧烤一条街 is read as 烧烤).
    if let Some(at) = out
        .find("1条街")
        .filter(|&at| !out[..at].ends_with(|c: char| c.is_ascii_digit()))
    {
        out = format!("{}一条街{}", &out[..at], &out[at + "1条街".len()..]);
    }
    let trade_street = out.find("一条街").is_some_and(|at| {
        let before: Vec<char> = out[..at].chars().collect();
        before.iter().rev().take_while(|c| is_han(**c)).count() >= 2
            && !before.last().is_some_and(|c| "这那整".contains(*c))
            && road_suffix_before(&before, before.len()).is_none()
            && super::name::kind_ending(&before).is_none()
    });
    for word in POSITIONS_ANYWHERE {
        if out.contains(word) && !(trade_street && *word == "一条街") {
            out = without_position(&out, word);
        }
    }
    // A stall at the place (夜市烧烤摊, 广场流动摊贩) is the place.
    for stall in STALLS {
        if let Some(rest) = out.strip_suffix(stall) {
            if rest.chars().filter(|c| is_han(*c)).count() >= 2 {
                out = rest.to_string();
                break;
            }
        }
    }
    // A side of a village before what is there (丁楼村东头服装厂, 东张寨村北地养殖场): the
    // place in the village.
    if let Some(at) = out.find('村') {
        let after: Vec<char> = out[at + '村'.len_utf8()..].chars().collect();
        let rest: String = after.iter().skip(2).collect();
        // Not a plot (村北地块), and not where a nameless works is (村东头服装厂 and 村西头
        // 服装厂 are two): the side tells those apart.
        if after.len() > 2
            && is_direction(after[0])
            && "头地".contains(after[1])
            && !rest.starts_with('块')
            && !names_only_a_kind(&rest)
            && out[..at].chars().count() >= 2
        {
            out = format!("{}村{rest}", &out[..at]);
        }
    }
    // A side of a village (周家庄村北, 村村北头, 村西口): the village.
    if let Some(at) = out.rfind('村') {
        let side = &out[at + '村'.len_utf8()..];
        let mut rest = side.chars();
        let direction = rest.next().is_some_and(is_direction);
        let tail = rest.as_str();
        let village = out[..at].trim_end_matches('村');
        if direction
            && ["", "头", "口", "边", "面", "侧", "地里", "地", "部"].contains(&tail)
            && village.chars().count() >= 2
        {
            out = format!("{village}村");
        }
    }
    'end: loop {
        for word in POSITIONS {
            if let Some(rest) = out.strip_suffix(word) {
                if !rest.is_empty() {
                    out = rest.to_string();
                    continue 'end;
                }
            }
        }
        // What a position word's 的 was left on (大关菜场门前的): no name ends in it.
        if let Some(rest) = out.strip_suffix('的') {
            if rest.chars().count() >= 2 {
                out = rest.to_string();
                continue 'end;
            }
        }
        break;
    }
    out
}

/// `chars` without the side of another road said of where along the first (蓼中路东段淮河
/// 大道以东 = 蓼中路东段): the road named and its 以东, 以西, 以南, 以北.
fn without_side_of_a_road(mut chars: Vec<char>) -> Vec<char> {
    let mut from = 0;
    while let Some(k) = (from..chars.len().saturating_sub(1))
        .find(|&k| chars[k] == '以' && is_direction(chars[k + 1]))
    {
        from = k + 1;
        let Some(suffix) = road_suffix_before(&chars, k) else {
            continue;
        };
        let name_end = k - suffix.chars().count();
        let mut start = name_end;
        while start > 0
            && name_end - start < 6
            && is_han(chars[start - 1])
            && !"段路街道号巷镇区县村".contains(chars[start - 1])
        {
            start -= 1;
        }
        // Only after the first road (or its section), which stays.
        if start == name_end || start == 0 || !"段路街道巷".contains(chars[start - 1]) {
            continue;
        }
        chars.drain(start..k + 2);
        from = start;
    }
    chars
}

/// `text` without a 的 between a name and a kind of place (瓜山未来社区一期的工地 =
/// 瓜山未来社区一期工地): the name's place, said with 的.
fn without_de_before_a_kind(text: &str) -> String {
    if !text.contains('的') {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let tie = c == '的'
            && i >= 2
            && super::name::kind_at(&chars[i + 1..]).is_some_and(|len| len >= 2);
        if !tie {
            out.push(c);
        }
    }
    out
}

/// `text` without the position word `word` wherever it stands, with the 的 that ties it
/// to what follows and the 上 of "on it" at the end (大关菜场外面的人行道上 → 大关菜场).
fn without_position(text: &str, word: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        out.push_str(&rest[..at]);
        rest = &rest[at + word.len()..];
        if let Some(after) = rest.strip_prefix('上') {
            if after.is_empty() || after.starts_with('的') {
                rest = after;
            }
        }
        rest = rest.strip_prefix('的').unwrap_or(rest);
    }
    out.push_str(rest);
    out
}

/// Whether a text is a stretch between two points: 罗坳大桥至罗坳圩路段, 铁佛立交至簇锦北路口.
fn is_stretch(text: &str) -> bool {
    text.split_once('至')
        .is_some_and(|(from, to)| from.chars().count() >= 2 && to.chars().count() >= 2)
}

/// Building, unit, floor and room details, taken out of the text.
fn strip_details(text: &str) -> (String, Option<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut kept = String::new();
    let mut detail = String::new();
    // Whether the last thing read was a building (3号楼, 12栋).
    let mut just_building = false;
    let mut i = 0;
    while i < chars.len() {
        if let Some((end, floor)) = floor_at(&chars, i) {
            detail.push_str(&floor);
            i = end;
            continue;
        }
        let start = i;
        let mut j = i;
        while j < chars.len() && numerals::is_numeral_or_digit(chars[j]) {
            j += 1;
        }
        if j > start {
            let after: String = chars[j..].iter().take(2).collect();
            // The north's stairwell door (3号楼2门402, 四号楼三门洞): a unit.
            let stairwell = after.starts_with('门')
                && (after.starts_with("门洞")
                    || just_building
                    || chars
                        .get(j + 1)
                        .is_some_and(|c| c.is_ascii_digit() || *c == '室'));
            let unit = if stairwell {
                Some(if after.starts_with("门洞") {
                    &"门洞"
                } else {
                    &"门"
                })
            } else {
                DETAIL_UNITS.iter().find(|u| after.starts_with(*u))
            };
            if let Some(unit) = unit {
                let end = j + unit.chars().count();
                detail.extend(&chars[start..end]);
                i = end;
                just_building = matches!(*unit, "栋" | "幢" | "号楼");
                // A room number right after a unit: 2单元602.
                if matches!(*unit, "单元" | "栋" | "幢" | "号楼" | "门" | "门洞") {
                    let mut k = i;
                    while k < chars.len() && numerals::is_numeral_or_digit(chars[k]) {
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
        just_building = false;
        i += 1;
    }
    let detail = (!detail.is_empty()).then_some(detail);
    (kept, detail)
}

/// A floor written as a tower's shops are (负一层, 地下2层, 负3F as cleaning wrote -3F, B1层,
/// 3F) at `i`: where it
/// ends and the floor in one form (负1层, 3层).
fn floor_at(chars: &[char], i: usize) -> Option<(usize, String)> {
    let alnum_before = i > 0 && chars[i - 1].is_ascii_alphanumeric();
    let (below, from) = match chars[i] {
        '负' => (true, i + 1),
        '地' if chars.get(i + 1) == Some(&'下') => (true, i + 2),
        'b' | 'B' if !alnum_before => (true, i + 1),
        c if c.is_ascii_digit() && !alnum_before => (false, i),
        _ => return None,
    };
    let mut j = from;
    while j < chars.len() && numerals::is_numeral_or_digit(chars[j]) {
        j += 1;
    }
    if j == from || j - from > 2 {
        return None;
    }
    let unit = chars.get(j).copied();
    let ascii = chars[from..j].iter().all(char::is_ascii_digit);
    let end = match unit {
        Some('层') if below => j + 1,
        // B2楼 may be a building B2.
        Some('楼') if below && !matches!(chars[i], 'b' | 'B') => j + 1,
        Some('f' | 'F') if ascii && chars.get(j + 1).is_none_or(|c| !c.is_ascii_alphanumeric()) => {
            j + 1
        }
        // B1, B2 at the end: a basement said by its letter (B8档 is a market's stall).
        None if matches!(chars[i], 'b' | 'B') && ascii => j,
        _ => return None,
    };
    let number = numerals::to_arabic(&chars[from..j].iter().collect::<String>());
    Some((end, format!("{}{number}层", if below { "负" } else { "" })))
}

/// A village named before a place in it, with or without its mark (王楼村宏达木业 =
/// 王楼宏达木业; 小孙堂村委会村北 = 小孙堂村北): the village's 村 (or 村委会, 村委) is dropped
/// when a name of two to four characters stands before it and the place's own words follow.
/// A compound named 村 (天华一村, 建设新村) keeps it: a numeral or 新 before it.
fn village_without_mark(poi: &str) -> String {
    let chars: Vec<char> = poi.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '村' {
            let mark = if chars[i + 1..].starts_with(&['委', '会']) {
                3
            } else if chars.get(i + 1) == Some(&'委') {
                2
            } else {
                1
            };
            let before = out.len();
            let after = &chars[i + mark..];
            // A name of characters, or of digits read from numerals (九星村 as 9星村), but
            // not a numbered compound's (天华1村, 建设新村).
            let named = (2..=4).contains(&before)
                && out.iter().all(|c| is_han(*c) || c.is_ascii_digit())
                && out.iter().any(|c| is_han(*c))
                && !out
                    .last()
                    .is_some_and(|c| *c == '新' || numerals::is_numeral_or_digit(*c));
            let followed = after.len() >= 2
                && after
                    .iter()
                    .take(2)
                    .all(|c| is_han(*c) || c.is_ascii_digit());
            if named && followed {
                i += mark;
                // 九星村九星市场: the place named after its village says the village once.
                // So does one heard for it (九星村九新市场).
                if after.starts_with(&out)
                    || after.len() > out.len()
                        && super::sound::same_sound(&after[..out.len()], &out)
                {
                    out.clear();
                }
                // 村委会村北, 村村北: what follows is a place in the village (村北).
                if chars.get(i) == Some(&'村') {
                    out.push('村');
                    i += 1;
                }
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out.into_iter().collect()
}

/// Generic words around a place's name that do not change the place (某某小区 = 某某,
/// 县2中 = 2中).
fn strip_generic_tail(poi: &str) -> String {
    // The county's, the city's (县二中, 市1医院): the squad's own, said without its name.
    let mut chars = poi.chars();
    let poi = match (chars.next(), chars.next()) {
        (Some('县' | '市' | '区'), Some(d)) if d.is_ascii_digit() => &poi['县'.len_utf8()..],
        _ => poi,
    };
    // The main campus or head office is the place itself (龙江路小学本部, 总校).
    let poi = ["本部", "总校", "总部"]
        .iter()
        .find_map(|w| poi.strip_suffix(w).filter(|rest| rest.chars().count() >= 2))
        .unwrap_or(poi);
    // A village's group however written (南寨村第三村民小组 = 南寨村三组 = 南寨三组, 古生村委会
    // 古生四组, 古生村四社, 何各庄二队, 白云村第三经济社, whose 经济社 `parse_body` made 社):
    // the group's number after the village's name, 村 or not.
    let mut p = village_without_mark(&poi.replace("村民小组", "组"));
    if let Some(group) = group_form(&p, false) {
        p = group;
    }
    // A numbered school by its short name (第一中学 = 一中, 第二小学 = 二小, 第一高级中学 =
    // 一高中 = 一高); a junior or senior middle school by its short name (初级中学 = 初中,
    // 高级中学 = 高中).
    for (long, short) in [
        ("高级中学", "高"),
        ("高中", "高"),
        ("中学", "中"),
        ("小学", "小"),
    ] {
        // At the end, or before a campus (第一中学北校区 = 一中北校区).
        let Some(at) = p.find(long) else {
            continue;
        };
        let (rest, after) = (&p[..at], &p[at + long.len()..]);
        let campus = after.is_empty()
            || after.chars().count() <= 4 && (after.ends_with("校区") || after.ends_with("分校"));
        if campus && rest.chars().last().is_some_and(|c| c.is_ascii_digit()) {
            p = format!("{rest}{short}{after}");
            break;
        }
    }
    for (long, short) in [("初级中学", "初中"), ("高级中学", "高中")] {
        if p.contains(long) {
            p = p.replace(long, short);
        }
    }
    // A company by its name, whatever its legal form (鸿星达鞋业有限公司 = 鸿星达鞋业).
    for form in ["股份有限公司", "有限责任公司", "有限公司", "公司"] {
        if let Some(rest) = p.strip_suffix(form) {
            if rest.chars().count() >= 2 {
                p = rest.to_string();
                break;
            }
        }
    }
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
    number: Option<String>,
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
    // A road named after a place (温泉公园路, 火车站路, 人民医院路): the place's name with
    // its kind, when the kind ends right before the suffix.
    if let Some(len) = NAMED_AFTER_PLACE
        .iter()
        .map(|k| (k, k.chars().count()))
        .find(|(k, len)| end >= *len && clean::word_at(chars, end - len, k))
        .map(|(_, len)| len)
    {
        let from = after_place_kind(&chars[..end - len]).max(if floor < end { floor } else { 0 });
        let name = &chars[from.min(end - len)..end - len];
        // The place's name of two to four characters, or none where the road starts the
        // text (公园路8号).
        let whole = name.is_empty() && from == 0 && floor == end;
        if whole || (2..=4).contains(&name.len()) && name.iter().all(|c| is_han(*c)) {
            return from;
        }
    }
    let mut start = end;
    if start > floor && is_direction(chars[start - 1]) && start - 1 > floor {
        start -= 1;
    }
    // A numbered road's number is no character of its name (夜色KTV碱泉二街: 碱泉 and 二).
    let numeral = numerals::is_numeral_or_digit;
    // After a direction (三里屯西五街) the two characters are taken as before.
    if start >= floor + 2
        && numeral(chars[start - 1])
        && is_han(chars[start - 2])
        && !numeral(chars[start - 2])
        && !is_direction(chars[start - 2])
        && !"区园城村社组队".contains(chars[start - 2])
    {
        start -= 1;
    }
    let mut taken = 0;
    // A kind of place's word before the road ends the name before it (富丽家私岭南大道店:
    // 岭南, not 私岭南).
    let after_kind = |at: usize| {
        at < end && super::name::kind_ending(&chars[floor..at]).is_some_and(|len| len >= 2)
    };
    while start > floor
        && taken < 2
        && (is_han(chars[start - 1]) || chars[start - 1].is_ascii_digit())
        && !after_kind(start)
    {
        start -= 1;
        taken += 1;
    }
    // A name that starts the text is taken whole when short (螺丝塘路, 万家丽路), but not a
    // position said before the road (工地出口 雄楚大道).
    let said_before: String = chars[floor..start].iter().collect();
    if start > floor
        && start - floor <= 2
        && chars[floor..start].iter().all(|c| is_han(*c))
        && !POSITIONS.contains(&said_before.as_str())
    {
        start = floor;
    }
    // Digits only (107国道): all of them.
    while start > floor && chars[start - 1].is_ascii_digit() && chars[start].is_ascii_digit() {
        start -= 1;
    }
    // A numbered road of an area (熹涌工业区二路, 科技园一路): the area's name with it; a
    // lane of a village's group (三元里村2社7巷) with the village and the group.
    if end - start == 2
        && matches!(chars[start], '区' | '园' | '城' | '村' | '社' | '组' | '队')
        && numerals::is_numeral_or_digit(chars[start + 1])
    {
        let group = matches!(chars[start], '社' | '组' | '队');
        let mut back = start;
        while back > floor
            && start - back < if group { 6 } else { 4 }
            && (is_han(chars[back - 1]) || group && chars[back - 1].is_ascii_digit())
        {
            back -= 1;
        }
        start = back;
    }
    start
}

/// The length of a road's section written after its suffix at `at`: a name of up to four
/// characters and 段 (顺江段, 南四段), or a direction before a door number or the end (容奇
/// 大道中88号: 中).
fn road_section(chars: &[char], at: usize, wide: bool) -> usize {
    if let Some(len) = (2..=5).find(|&len| {
        chars.get(at + len - 1) == Some(&'段')
            && chars[at..at + len - 1]
                .iter()
                .all(|c| is_han(*c) && !matches!(c, '号' | '路' | '街' | '道' | '圩' | '墟'))
    }) {
        return len;
    }
    // A direction before the door number (容奇大道中88号) or ending the address is the
    // road's section; not before the next road's name (人民东路东六路口: 东六路).
    if chars.get(at).is_some_and(|c| is_direction(*c)) {
        let mut j = at + 1;
        while chars
            .get(j)
            .is_some_and(|c| numerals::is_numeral_or_digit(*c))
        {
            j += 1;
        }
        let next_road = road_suffix_at(chars, j).is_some();
        let door =
            j > at + 1 && !next_road && chars.get(j).is_none_or(|c| *c == '号' || !is_han(*c));
        // 大道中 / 大街中 (a middle section, as Guangdong writes roads) before a name too.
        let middle = chars[at] == '中' && wide && !next_road && j == at + 1;
        if j == chars.len() && j == at + 1 || door || middle {
            return 1;
        }
    }
    0
}

/// The value of a run of digits or Chinese numerals (18, 十八, 一八, 二百六十八).
fn numeral_value(run: &[char]) -> Option<u32> {
    let text: String = run.iter().collect();
    if text.chars().all(|c| c.is_ascii_digit()) {
        text.parse().ok()
    } else {
        numerals::value(&text)
    }
}

fn numeral_end(chars: &[char], i: usize) -> usize {
    // Arabic digits or Chinese numerals, not the two mixed (289百味: 289, then a name).
    let arabic = chars.get(i).is_some_and(char::is_ascii_digit);
    let mut j = i;
    while j < chars.len()
        && (if arabic {
            chars[j].is_ascii_digit()
        } else {
            numerals::is_numeral(chars[j])
        })
    {
        j += 1;
    }
    j
}

/// The door number at char index `i`: digits or Chinese numerals, a sub-number after a
/// dash or 附 (26-1, 62附1 = 62-1), then 号 (or the end of the text); returns the number in its one
/// form and the index after it.
fn number_at(chars: &[char], i: usize) -> Option<(String, usize)> {
    let mut j = numeral_end(chars, i);
    if j == i {
        return None;
    }
    let value = numeral_value(&chars[i..j])?;
    let main_digits: String = chars[i..j].iter().collect();
    let mut number = value.to_string();
    // A sub-number: 26-1号, 62附1号; the north's 12甲号 (12号甲, 12甲: another door than 12号).
    if j < chars.len() && "甲乙丙丁".contains(chars[j]) {
        number = format!("{value}{}", chars[j]);
        j += 1;
    } else if j + 1 < chars.len() && (chars[j] == '-' || chars[j] == '附') {
        let k = numeral_end(chars, j + 1);
        if k > j + 1 {
            if let Some(sub) = numeral_value(&chars[j + 1..k]) {
                number = format!("{value}-{sub}");
                j = k;
            }
        }
    }
    if j < chars.len() && chars[j] == '号' {
        // 3号楼 is a building, not a door.
        if j + 1 < chars.len() && chars[j + 1] == '楼' {
            return None;
        }
        return Some((number, compound_end(chars, j + 1)));
    }
    // 48院3号楼: the compound at door 48, its 号 not said.
    if chars.get(j) == Some(&'院') {
        return Some((number, compound_end(chars, j)));
    }
    // 开元东路二四六 ending the address: its door number, written without 号.
    if j == chars.len() {
        return Some((number, j));
    }
    // 开元东路18 or 开元东路30龙湾国际: Arabic digits right after the road are its door
    // number, unless a building unit follows (开元东路3栋). So are Chinese digits read one
    // by one (东八线三零一松雅小区), unless a unit or a part of the road follows (人民路一二
    // 巷); a counted numeral (一百零八) without 号 may be a name's.
    let after: String = chars[j..].iter().take(2).collect();
    let follows = |words: &[&str]| words.iter().any(|w| after.starts_with(w));
    let arabic = main_digits.chars().all(|c| c.is_ascii_digit());
    let one_by_one =
        main_digits.chars().count() >= 2 && main_digits.chars().all(numerals::is_digit);
    let door = arabic || (one_by_one && !follows(&ROAD_PARTS));
    (door && !follows(&DETAIL_UNITS) && !numbered_school(&chars[j..])).then_some((number, j))
}

/// After a door number, the compound's 院 (48号院, 48号院内): the door's, not a name.
fn compound_end(chars: &[char], at: usize) -> usize {
    if chars.get(at) != Some(&'院') {
        return at;
    }
    // 5号院子 or 5号院落 is the yard; 5号院校 is no compound.
    match chars.get(at + 1) {
        Some('内' | '里') => at + 2,
        Some('校' | '长' | '线') => at,
        _ => at + 1,
    }
}

/// Whether what follows a number names a numbered school (铜陵北路38中北校区: the 38th middle
/// school, not door 38): 中 or 小 then 学, 校, a side or the end.
fn numbered_school(after: &[char]) -> bool {
    match after {
        ['中' | '小'] => true,
        ['中' | '小', next, ..] => "学校北南东西分门".contains(*next),
        _ => false,
    }
}

fn char_to_byte(chars: &[char], index: usize) -> usize {
    chars[..index].iter().map(|c| c.len_utf8()).sum()
}

/// Where a road's name may start in `before` (the text before its suffix): after the last
/// kind-of-place word in it (泉塘小学杉仙路: 杉仙), else anywhere.
fn after_place_kind(before: &[char]) -> usize {
    let text: String = before.iter().collect();
    let kinds = PLACE_KINDS
        .iter()
        .chain(["工地", "项目部", "市场", "公司", "酒吧", "烧烤"].iter());
    kinds
        .filter_map(|kind| {
            text.rfind(kind)
                .map(|at| text[..at + kind.len()].chars().count())
        })
        .max()
        .unwrap_or(0)
}

/// A village's group in one form, its number after the village's name without 村 and the
/// group as 组 (古生村委会古生四组 = 古生村第4组 = 古生4组; 三元里村第2社7 = 三元里2组7 of a
/// lane): None when the text holds no numbered group. 社 and 队 are a group's words after a
/// village or a name of characters only, or anywhere in a lane's name (`lane`), where the
/// lane's suffix says it is one.
fn group_form(text: &str, lane: bool) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    (1..chars.len()).find_map(|at| {
        let mark = chars[at];
        if !matches!(mark, '组' | '社' | '队') {
            return None;
        }
        let digits = chars[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        let mut name: Vec<char> = chars[..at - digits].to_vec();
        if name.last() == Some(&'第') {
            name.pop();
        }
        let mut village = false;
        let words: &[&str] = if lane {
            &["村"]
        } else {
            &["村委会", "村委", "村"]
        };
        for word in words {
            let w: Vec<char> = word.chars().collect();
            if name.ends_with(&w) && name.len() >= w.len() + 2 {
                name.truncate(name.len() - w.len());
                village = true;
                break;
            }
        }
        let named = name.len() >= 2 && name.iter().all(|c| is_han(*c));
        if mark != '组' && !lane && !village && !named {
            return None;
        }
        // The group named after its village (古生村委会古生四组): the village once.
        let half = name.len() / 2;
        if !lane && name.len() >= 4 && name.len().is_multiple_of(2) && name[..half] == name[half..]
        {
            name.truncate(half);
        }
        let number: String = chars[at - digits..at].iter().collect();
        let rest: String = chars[at + 1..].iter().collect();
        Some(format!(
            "{}{number}组{rest}",
            name.iter().collect::<String>()
        ))
    })
}

/// A village group's lane by one name (三元里村第2社7 = 三元里2社7 = 三元里2组7).
fn group_lane(raw: String) -> String {
    if !raw.contains(['社', '组', '队']) {
        return raw;
    }
    let raw = numerals::to_arabic(&raw);
    group_form(&raw, true).unwrap_or(raw)
}

/// The first road with a door number, else the first road; also a road whose suffix is
/// missing before a number (开元东18号).
fn find_road(text: &str, gazetteer: &Gazetteer) -> Option<FoundRoad> {
    let chars: Vec<char> = text.chars().collect();
    let mut first: Option<FoundRoad> = None;
    let mut i = 0;
    while i < chars.len() {
        // A road's suffix, unless it starts a kind of place's word (红星街市: a market).
        let suffix = road_suffix_at(&chars, i).filter(|s| {
            super::name::kind_at(&chars[i..]).is_none_or(|len| len <= s.chars().count())
        });
        if let Some(suffix) = suffix {
            let mut after = i + suffix.chars().count();
            let floor = after_place_kind(&chars[..i]);
            let start = road_name_before(&chars, i, floor, gazetteer);
            // A section of the road after its suffix is part of its name (武侯大道顺江段,
            // 一环路南四段, 容奇大道中88号).
            let section = road_section(&chars, after, matches!(suffix, "大道" | "大街"));
            let section_name: String = chars[after..after + section].iter().collect();
            after += section;
            // A road's name of one character needs its door number (甲路1号; 老街烧烤 names
            // no road 老). A number before a road's suffix names that road (沈辽西路七号街),
            // no door.
            let number = number_at(&chars, after).filter(|(_, end)| {
                !super::name::STREET_SUFFIXES
                    .iter()
                    .any(|suffix| clean::word_at(&chars, *end, suffix))
            });
            // One character before 大街 or 大道 (西大街, 东大道) is read with its 大, as the
            // 街 after it is when no number follows: one road, one name.
            let one_before_da = i - start == 1 && suffix.starts_with('大') && is_han(chars[start]);
            let named = !one_before_da
                && (i - start >= 2
                    || chars[start..i].iter().all(|c| c.is_ascii_digit())
                    || number.is_some());
            // A kind of place's word is no road (美食街, 小吃街, 步行街), nor a street of
            // one trade (龙虾一条街).
            let street: String = chars[start..i + suffix.chars().count()].iter().collect();
            let kind_word = number.is_none()
                && (super::name::is_kind(&street)
                    || SHOPPING_STREETS.iter().any(|s| street.ends_with(s))
                    || (street.ends_with("一条街") && street.chars().count() >= 5));
            if start < i && named && !kind_word {
                let raw = group_lane(chars[start..i].iter().collect());
                let name = road_key(&raw, gazetteer) + &numerals::to_arabic(&section_name);
                // A branch named by its road (胖哥俩烧烤开元东路店): the road says where, the
                // shop word goes with it.
                let branch = number.is_none()
                    && ["分店", "店"]
                        .iter()
                        .any(|w| chars[after..].iter().collect::<String>() == *w);
                let end = match &number {
                    Some((_, e)) => *e,
                    None if branch => chars.len(),
                    None => after,
                };
                let found = FoundRoad {
                    name,
                    number: number.clone().map(|(n, _)| n),
                    start: char_to_byte(&chars, start),
                    end: char_to_byte(&chars, end),
                    // A road without a number followed only by a kind of place is that
                    // place's name (星光大道KTV, 东门路菜市场); a numbered highway (323国道)
                    // never is.
                    named_place_follows: number.is_none()
                        && !branch
                        && !raw.chars().all(|c| c.is_ascii_digit())
                        && super::name::is_kind(&chars[after..].iter().collect::<String>()),
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
    // No suffix: a name right before a door number in Arabic digits (开元东18号, 东四22号),
    // or a village's or a lane's door in any digits (李塘村三十七号, 新桥弄九号).
    for i in 1..chars.len() {
        let village_door = matches!(chars[i - 1], '村' | '弄')
            && numerals::is_numeral(chars[i])
            && number_at(&chars, i).is_some_and(|(_, end)| chars.get(end - 1) == Some(&'号'));
        if (chars[i].is_ascii_digit() || village_door) && is_han(chars[i - 1]) {
            if let Some((n, end)) = number_at(&chars, i) {
                // 苗岭1号工地, 融创壹号项目: a development named number one, no door.
                let named_one = n == "1"
                    && (super::name::kind_at(&chars[end..]).is_some()
                        || ["项目", "工地"]
                            .iter()
                            .any(|w| clean::word_at(&chars, end, w)));
                if chars.get(end - 1) == Some(&'号') && !named_one {
                    let floor = after_place_kind(&chars[..i]);
                    let start = road_name_before(&chars, i, floor, gazetteer);
                    // A village's group (麻湖村三组78号) is no road: the group's door.
                    let group = chars[i - 1] == '组'
                        && chars[start..i - 1]
                            .iter()
                            .all(|c| numerals::is_numeral_or_digit(*c));
                    if i - start >= 2 && !group {
                        let raw: String = chars[start..i].iter().collect();
                        // A village's door (青岩刘村58号) by the village's name, however
                        // the village is said (青岩刘社区58号, 青岩刘58号).
                        let raw = match raw.strip_suffix('村') {
                            Some(name) if name.chars().count() >= 2 => name.to_string(),
                            _ => raw,
                        };
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

/// A road named by its number (七号街, 十三号路: Shenyang's, Dalian's numbered streets) in one
/// form, its number in digits (7号); any other road's name as the gazetteer writes it.
fn road_key(raw: &str, gazetteer: &Gazetteer) -> String {
    match raw.strip_suffix('号') {
        Some(n) if !n.is_empty() && n.chars().all(numerals::is_numeral_or_digit) => {
            format!("{}号", numerals::to_arabic(n))
        }
        _ => gazetteer.canonical_road(raw),
    }
}

/// Whether the text is two roads one after the other and nothing after (沈辽西路卫工街,
/// 沈辽西路七号街): the corner where they meet. Not a lane of a road (解放路三巷), nor a
/// kind of street (中山路步行街).
fn two_roads_alone(text: &str, gazetteer: &Gazetteer) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let ends_in_road = super::name::STREET_SUFFIXES
        .iter()
        .any(|suffix| text.ends_with(suffix));
    if !ends_in_road {
        return false;
    }
    let roads = roads_in(text, gazetteer, false);
    let [(first, _), (second, at)] = roads.as_slice() else {
        return false;
    };
    let at = text[..*at].chars().count();
    // A name of two characters or more that is no kind of place's (桂华夜市街: a market).
    let named = |name: &str| {
        let name: Vec<char> = name.chars().collect();
        name.len() >= 2 && super::name::kind_ending(&name).is_none()
    };
    // Not a road said to be near (葑门横街近竹辉路).
    let near = second.starts_with(['近', '靠', '临', '邻']);
    named(first)
        && named(second)
        && !near
        && at > 0
        && road_suffix_before(&chars, at).is_some()
        && !SHOPPING_STREETS.iter().any(|street| text.ends_with(street))
        && !STREET_PLACES.iter().any(|street| text.ends_with(street))
}

/// Words that make a 街 a place rather than a road (龙湖天街 a mall, 东门老街 an old
/// quarter, 夜市一条街).
const STREET_PLACES: [&str; 7] = ["天街", "老街", "古街", "金街", "食街", "文化街", "一条街"];

/// Two roads meeting: `A与B交汇处`, `AB路口`, `A和B十字路口`, `A与B` alone, or two roads
/// alone one after the other (`A路B街`).
fn find_junction(text: &str, gazetteer: &Gazetteer) -> Option<((String, String), String)> {
    let mark = JUNCTION_MARKS
        .iter()
        .filter_map(|m| text.find(m).map(|at| (at, *m)))
        .min_by_key(|(at, m)| (*at, std::cmp::Reverse(m.len())));
    // The way into a street of shops or an old street (江汉路步行街口) is no crossing.
    if let Some((at, "街口")) = mark {
        let street = format!("{}街", &text[..at]);
        if SHOPPING_STREETS
            .iter()
            .chain(&STREET_PLACES)
            .any(|s| street.ends_with(s))
        {
            return None;
        }
    }
    let (segment, rest, marked) = match mark {
        Some((at, m)) => (&text[..at], text[at + m.len()..].to_string(), true),
        None => {
            // Without a mark, only two roads joined by 与/和 make a junction, or two roads
            // alone.
            if !JUNCTION_JOINERS.iter().any(|j| text.contains(j))
                && !two_roads_alone(text, gazetteer)
            {
                return None;
            }
            (text, String::new(), false)
        }
    };
    let mut roads = roads_in(segment, gazetteer, marked);
    let mut rest = rest;
    // The mark's 路 ending the first road and the second after it (博爱路口人民路, 博爱路口
    // （人民路）): the two roads of the junction.
    if roads.is_empty() && mark.is_some_and(|(_, m)| m == "路口") {
        let first = segment.trim();
        let after = roads_in(&rest, gazetteer, false);
        if let Some((second, 0)) = after.first() {
            let chars: Vec<char> = rest.chars().collect();
            let second_end = (1..chars.len()).find_map(|i| {
                road_suffix_at(&chars, i)
                    .map(|suffix| char_to_byte(&chars, i + suffix.chars().count()))
            });
            if first.chars().count() >= 2 && first.chars().all(is_han) {
                if let Some(end) = second_end {
                    roads = vec![
                        (road_key(first, gazetteer), 0),
                        (second.clone(), first.len()),
                    ];
                    rest = rest[end..].to_string();
                }
            }
        }
    }
    // Two names of two characters before the mark, each road's suffix left out as said
    // (登云丽水路口: 登云路 and 丽水路), when neither is a kind of place's word.
    if roads.is_empty() && marked {
        let chars: Vec<char> = segment.trim().chars().collect();
        let (x, y) = chars.split_at(chars.len().min(2));
        let name = |part: &[char]| {
            let text: String = part.iter().collect();
            part.len() == 2
                && part.iter().all(|c| is_han(*c))
                && super::name::kind_ending(part).is_none()
                && !super::name::starts_with_kind(&text)
                && !PLACE_KINDS.iter().any(|k| text.contains(k))
                && !POSITIONS.contains(&text.as_str())
        };
        if chars.len() == 4 && name(x) && name(y) {
            roads = vec![
                (road_key(&x.iter().collect::<String>(), gazetteer), 0),
                (
                    road_key(&y.iter().collect::<String>(), gazetteer),
                    char_to_byte(&chars, 2),
                ),
            ];
        }
    }
    // A stretch between two points (铁佛立交至簇锦北路口) is no crossing.
    if roads.len() < 2 || roads.iter().any(|(r, _)| r.contains('至')) {
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
        // A joiner before a road's suffix is part of the name (三和路与中山路).
        if JUNCTION_JOINERS.iter().any(|j| j.starts_with(chars[i]))
            && road_suffix_at(&chars, i + 1).is_none()
        {
            floor = i + 1;
            i += 1;
            continue;
        }
        if let Some(suffix) = road_suffix_at(&chars, i) {
            let start = road_name_before(&chars, i, floor, gazetteer);
            let after = i + suffix.chars().count();
            let section = road_section(&chars, after, matches!(suffix, "大道" | "大街"));
            if start < i {
                let raw: String = chars[start..i].iter().collect();
                // Two roads meet once: the section of either said (人民路中段与博爱路) is
                // no other junction.
                roads.push((road_key(&raw, gazetteer), char_to_byte(&chars, start)));
            }
            i = after + section;
            floor = i;
            continue;
        }
        i += 1;
    }
    // A road written without its suffix right before the mark or a joiner (开元东与星沙大道).
    if marked && roads.len() == 1 && floor < chars.len() {
        let tail: String = chars[floor..].iter().collect();
        // Not a place's way out onto the road (蓼中路东段施工现场路口, 工地出口路口).
        let a_place = ["施工", "现场", "工地", "项目", "出口", "入口"]
            .iter()
            .any(|w| tail.contains(w))
            || super::name::kind_ending(&chars[floor..]).is_some();
        if tail.chars().count() >= 2 && tail.chars().all(is_han) && !a_place {
            let name = road_key(&tail, gazetteer);
            roads.push((name, char_to_byte(&chars, floor)));
        }
    }
    roads
}

/// Parses with no gazetteer, no configured prefixes and no county of the squad's own.
#[cfg(test)]
pub(crate) fn parse_plain(text: &str) -> ParsedAddress {
    parse(
        text,
        &Context {
            gazetteer: &Gazetteer::default(),
            local: &Local::default(),
            prefixes: &[],
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> ParsedAddress {
        parse_plain(text)
    }

    #[test]
    fn a_road_of_one_character_and_da_jie_is_one_road_however_it_goes_on() {
        // 西大街58号 and a branch on 西大街 (胖哥烧烤西大街店) name one road.
        let road = p("西大街58号").road;
        assert_eq!(road.as_deref(), Some("西大"));
        assert_eq!(p("胖哥烧烤（西大街店）").road, road);
        assert_eq!(p("西大街").road, road);
        assert_ne!(p("西街58号").road, road);
        assert_eq!(p("东大道").road.as_deref(), Some("东大"));
    }

    #[test]
    fn the_side_of_another_road_says_where_along_the_first() {
        // 淮河大道以东: east of 淮河大道, along 蓼中路东段.
        let road = p("蓼中路东段").road;
        assert_eq!(p("蓼中路东段（淮河大道以东）").road, road);
        assert_eq!(p("蓼中路东段淮河大道以东").road, road);
        assert_eq!(p("蓼中路东段淮河大道以东").poi, None);
        assert_eq!(p("蓼中路东段淮河大道以东").junction, None);
        // Not without a first road: the shop stays.
        assert!(p("幸福超市淮河路以东")
            .poi
            .is_some_and(|poi| poi.starts_with("幸福超市")));
    }

    #[test]
    fn a_road_named_after_a_county_is_a_road() {
        // 文县 is a county of 甘肃; 文县路 is a road of 大理.
        let dali = |t: &str| squad_of(532901, t);
        assert_eq!(dali("文县路金穗花园").road.as_deref(), Some("文县"));
        assert_eq!(dali("文县路金穗花园").poi.as_deref(), Some("金穗花园"));
        assert_eq!(dali("大理市文县路3号").number.as_deref(), Some("3"));
        // A division whose name starts like a road's suffix is a division (台州市路桥区).
        let luqiao = |t: &str| squad_of(331004, t);
        assert_eq!(
            luqiao("台州市路桥区银座街18号").road,
            luqiao("银座街18号").road
        );
    }

    #[test]
    fn a_building_in_brackets_stays_after_the_place() {
        let hongshan = |t: &str| squad_of(420111, t);
        let place = hongshan("洪山街道马湖新村13栋");
        let bracketed = hongshan("洪山街道马湖新村（13栋）");
        assert_eq!(bracketed.town, place.town);
        assert_eq!(bracketed.poi, place.poi);
        assert_eq!(bracketed.poi.as_deref(), Some("马湖新村"));
    }

    #[test]
    fn two_names_before_a_crossings_mark_are_its_roads() {
        // 登云丽水路口: 登云路 and 丽水路, their suffixes not said.
        assert_eq!(p("登云丽水路口").junction, p("登云路丽水路路口").junction);
        // A place's crossing is no two roads.
        assert_eq!(p("人民医院路口").junction, None);
        assert_eq!(p("大关菜场路口").junction, None);
    }

    #[test]
    fn a_places_way_out_is_no_road_of_a_crossing() {
        let parsed = p("蓼中路东段施工现场路口");
        assert_eq!(parsed.junction, None);
        assert!(parsed.road.is_some_and(|r| r.starts_with("蓼中")));
    }

    #[test]
    fn a_places_own_grounds_are_that_place() {
        let local = |t: &str| squad_of(330105, t);
        let compound = local("和睦新村").poi;
        assert_eq!(compound.as_deref(), Some("和睦新村"));
        assert_eq!(local("和睦新村里面的篮球场").poi, compound);
        assert_eq!(local("和睦新村22幢旁边篮球场").poi, compound);
        // A named place beside one is that place (大关菜场旁边的鲜丰水果店).
        assert_eq!(
            local("大关菜场旁边的鲜丰水果店").poi.as_deref(),
            Some("鲜丰水果店")
        );
        // A road named 新村 stays a road.
        assert_eq!(local("新村路18号").road.as_deref(), Some("新村"));
    }

    #[test]
    fn a_position_goes_with_its_de_and_its_on() {
        // 外面的人行道上: outside it, on the pavement: the market.
        for written in [
            "大关菜场外面的人行道上",
            "大关菜场门口的人行道上",
            "大关菜场的外面",
        ] {
            assert_eq!(p(written).poi.as_deref(), Some("大关菜场"), "{written}");
        }
        assert_eq!(p("西大街58号门前的人行道上").number, p("西大街58号").number);
        assert_eq!(p("西大街58号门前的人行道上").poi, None);
        // A place of a name said with 的 is the name's (一期的工地 = 一期工地).
        assert_eq!(p("瓜山一期的工地").poi, p("瓜山一期工地").poi);
        // A 上 that starts a name stays (附近上海路).
        assert_eq!(p("人行道上海路18号").road.as_deref(), Some("上海"));
    }

    #[test]
    fn the_edge_of_the_sea_is_the_place_and_other_edges_are_positions() {
        assert_eq!(p("大东海海边那边").poi.as_deref(), Some("大东海海边"));
        assert_eq!(p("大东海海边").poi, p("大东海海边那边").poi);
        assert_eq!(p("宏达公寓边").poi.as_deref(), Some("宏达公寓"));
    }

    /// Parsed as a squad of 浏阳市 (430181) would: its towns known by short name.
    fn liuyang(text: &str) -> ParsedAddress {
        squad_of(430181, text)
    }

    /// Parsed as a squad of one county would, with no gazetteer.
    fn squad_of(county: u32, text: &str) -> ParsedAddress {
        let local = Local::new(Divisions::get(), [county]);
        parse(
            text,
            &Context {
                gazetteer: &Gazetteer::default(),
                local: &local,
                prefixes: &[],
            },
        )
    }

    #[test]
    fn a_former_district_and_the_county_heard_after_its_city_say_where() {
        // 姑苏区 (320508) took in 平江区, whose name its 平江街道 keeps.
        let old = squad_of(320508, "苏州市平江区新桥弄9号");
        assert_eq!(old.road, squad_of(320508, "新桥弄9号").road, "{old:?}");
        assert_eq!(old.town, None, "{old:?}");
        // 铁西区 (210106) heard as 贴西 after 沈阳.
        let heard = squad_of(210106, "沈阳贴西北二西路26号门前");
        assert_eq!(heard.road.as_deref(), Some("北二西"), "{heard:?}");
        assert_eq!(heard.poi, None, "{heard:?}");
        // The district's own square keeps its name.
        // Not a place that sounds like the county, after the county (晋江市 350582).
        let site = squad_of(350582, "晋江市锦江华府三期工地");
        assert_eq!(site.poi.as_deref(), Some("锦江华府3期工地"), "{site:?}");
        let square = squad_of(210106, "沈阳铁西广场");
        assert_eq!(square.poi.as_deref(), Some("铁西广场"), "{square:?}");
    }

    #[test]
    fn a_street_written_as_its_city_writes_it_is_the_town() {
        // 广州市白云区 (440111): 石门街道 is written 石门街.
        let a = squad_of(440111, "石门街夏茅村鸿运物流园");
        assert_eq!(a.town.as_deref(), Some("石门街道"), "{a:?}");
        assert_eq!(a.road, None);
        // The street's door, place or crossing: a street of that name.
        let b = squad_of(440111, "新市街18号");
        assert_eq!((b.town, b.road.as_deref()), (None, Some("新市")));
        let c = squad_of(440111, "石门街与白云大道交叉口");
        assert!(c.junction.is_some(), "{c:?}");
    }

    #[test]
    fn a_towns_centre_said_after_it_is_the_town() {
        // 仁寿县 (511421): 富加镇, 龙正镇, 汪洋镇.
        let a = squad_of(511421, "富加场镇正街三十八号茶铺");
        assert_eq!(a.town.as_deref(), Some("富加镇"), "{a:?}");
        assert_eq!(
            (a.road.as_deref(), a.number.as_deref()),
            (Some("正"), Some("38"))
        );
        let b = squad_of(511421, "龙正镇场镇");
        assert_eq!(
            (b.town.as_deref(), b.poi.as_deref()),
            (Some("龙正镇"), None),
            "{b:?}"
        );
        let c = squad_of(511421, "汪洋场镇冒椒火辣");
        assert_eq!(c.poi.as_deref(), Some("冒椒火辣"), "{c:?}");
        // Not a name that only starts like a centre.
        assert_eq!(p("镇区菜市场").poi.as_deref(), Some("镇区菜市场"));
    }

    #[test]
    fn a_municipality_by_its_one_character_before_its_district_is_where() {
        // 天津市河西区 (120103) as 津河西区; 津 before anything else stays.
        let a = squad_of(120103, "津河西区李记饭庄");
        assert_eq!(a.poi.as_deref(), Some("李记饭庄"), "{a:?}");
        assert_eq!(
            squad_of(120103, "津门故里小吃街").poi.as_deref(),
            Some("津门故里小吃街")
        );
    }

    #[test]
    fn a_road_named_with_dao_is_a_road_and_a_passage_is_not() {
        let a = p("琼州道福泉浴池");
        assert_eq!(
            (a.road.as_deref(), a.poi.as_deref()),
            (Some("琼州"), Some("福泉浴池"))
        );
        assert_eq!(p("琼州道33号").road, a.road);
        let j = p("黑牛城道与紫金山路交口");
        assert_eq!(
            j.junction,
            Some(("紫金山".to_string(), "黑牛城".to_string()))
        );
        let m = p("浏阳河大道与道吾山路交叉口");
        assert_eq!(
            m.junction,
            Some(("浏阳河".to_string(), "道吾山".to_string())),
            "{m:?}"
        );
        let k = p("浏阳河大道道吾山路交叉口");
        assert_eq!(
            k.junction,
            Some(("浏阳河".to_string(), "道吾山".to_string())),
            "{k:?}"
        );
        for passage in ["楼道堆物", "人行道上摆摊", "下水道堵塞", "东海街道"] {
            assert_eq!(p(passage).road, None, "{passage}");
        }
    }

    #[test]
    fn the_norths_stairwell_door_is_a_unit_of_a_home() {
        let a = p("福善里3号楼2门楼道");
        assert_eq!(
            (a.poi.as_deref(), a.detail.as_deref()),
            (Some("福善里"), Some("3号楼2门"))
        );
        assert_eq!(p("湘江里6门402室").detail.as_deref(), Some("6门402室"));
        assert_eq!(p("湘江里四号楼三门洞").poi.as_deref(), Some("湘江里"));
        // A site's gate stays.
        assert_eq!(p("工地2门").detail, None);
    }

    #[test]
    fn a_town_written_after_its_community_is_the_town() {
        // 哈尔滨市香坊区 (230110): 进乡街道.
        let a = squad_of(230110, "进乡社区进乡街道早市门口");
        assert_eq!(
            (a.town.as_deref(), a.poi.as_deref()),
            (Some("进乡街道"), Some("进乡早市")),
            "{a:?}"
        );
    }

    #[test]
    fn a_numbered_schools_campus_is_the_campus_of_its_short_name() {
        assert_eq!(p("第一中学北校区门口").poi.as_deref(), Some("1中北校区"));
        assert_eq!(p("一中（北校区）大门").poi.as_deref(), Some("1中北校区"));
        assert_eq!(p("第二小学").poi.as_deref(), Some("2小"));
    }

    #[test]
    fn a_road_named_after_a_place_is_a_road() {
        let a = p("温泉公园路28号蓝调酒吧");
        assert_eq!(
            (a.road.as_deref(), a.number.as_deref(), a.poi.as_deref()),
            (Some("温泉公园"), Some("28"), Some("蓝调酒吧"))
        );
        assert_eq!(p("人民医院路3号").road.as_deref(), Some("人民医院"));
        assert_eq!(p("火车站路18号").road.as_deref(), Some("火车站"));
        assert_eq!(p("公园路8号").road.as_deref(), Some("公园"));
        // The park itself is no road.
        assert_eq!(p("温泉公园").road, None);
    }

    #[test]
    fn the_neighbours_above_a_place_are_the_place() {
        assert_eq!(p("冒椒火辣楼上").poi.as_deref(), Some("冒椒火辣"));
        let a = p("东岗西路612号伊味香牛肉面住户22栋");
        assert_eq!(a.poi.as_deref(), Some("伊味香牛肉面"), "{a:?}");
        assert_eq!(a.detail.as_deref(), Some("22栋"));
    }

    #[test]
    fn a_gate_between_a_compound_and_a_shop_is_where_the_shop_is() {
        assert_eq!(
            p("锦绣华府南门鲁味轩").poi.as_deref(),
            Some("锦绣华府鲁味轩")
        );
        // A gate that names a market (棉城东门市场, 东门肉菜市场) stays in its name.
        assert_eq!(p("棉城东门市场").poi.as_deref(), Some("棉城东门市场"));
        assert_eq!(
            p("鼓西西门菜市场白马北路")
                .poi
                .as_deref()
                .map(|n| n.contains("西门")),
            Some(true)
        );
    }

    #[test]
    fn a_thing_with_no_name_next_to_a_named_place_is_that_place() {
        let a = p("老街口烧烤店门口的夜宵摊");
        assert_eq!(a.poi.as_deref(), Some("老街口烧烤店"), "{a:?}");
        assert_eq!(a.anchor, None);
        // A named place next to another stays itself.
        let b = p("星沙菜市场隔壁的李记粉店");
        assert_eq!(
            (b.poi.as_deref(), b.anchor.as_deref()),
            (Some("李记粉店"), Some("星沙菜市场"))
        );
    }

    #[test]
    fn a_gate_cut_off_leaves_no_fragment_and_a_food_street_is_no_road() {
        assert_eq!(
            p("陆家镇春风里工地大门口").poi.as_deref(),
            Some("春风里工地")
        );
        assert_eq!(p("县一中校门口").poi.as_deref(), Some("1中"));
        assert_eq!(p("实验小学总校门口").poi.as_deref(), Some("实验小学"));
        assert_eq!(p("巴蜀中学校门口").poi.as_deref(), Some("巴蜀中学"));
        assert_eq!(p("巴蜀中学校门").poi.as_deref(), Some("巴蜀中学"));
        assert_eq!(p("实验学校门口").poi.as_deref(), Some("实验学校"));
        let a = p("萧林夜市美食街");
        assert_eq!((a.road, a.poi.as_deref()), (None, Some("萧林夜市美食街")));
    }

    #[test]
    fn the_countys_short_name_apart_things_at_a_place_and_digits_before_a_name() {
        assert_eq!(
            liuyang("浏阳 御景工地围挡外面").poi.as_deref(),
            Some("御景工地")
        );
        assert_eq!(liuyang("浏阳河大道").road.as_deref(), Some("浏阳河"));
        // The county's name split from its designation is the county.
        // One of the squad's towns after an area's name is the town, not a road 棉北街.
        let chaoyang = squad_of(440513, "棉城棉北街道星光KTV（吉星花园店）");
        assert_eq!(
            (chaoyang.town.as_deref(), chaoyang.road),
            (Some("棉北街道"), None)
        );
        // The squad's city written by sound (荷泽市 for 菏泽市, 南州市 for 兰州市).
        let caoxian = squad_of(371721, "荷泽市曹县普连集镇东张寨村北地养殖场");
        assert_eq!(caoxian.town.as_deref(), Some("普连集镇"));
        let lanzhou = squad_of(620102, "南州市城关区东方红广场");
        assert_eq!(lanzhou.poi.as_deref(), Some("东方红广场"));
        // An area named as a town is (二道桥片区) says where, not which street.
        let tianshan = squad_of(650102, "二道桥片区国际大巴扎北门");
        assert_eq!(
            (tianshan.town, tianshan.poi.as_deref()),
            (None, Some("国际大巴扎"))
        );
        let hongshan = squad_of(420111, "洪山 区梨园街道团结大道75号");
        assert_eq!(hongshan.town.as_deref(), Some("梨园街道"));
        let a = liuyang("蜜雪冰城（白沙路店）门口的桌椅");
        assert_eq!((a.poi.as_deref(), a.anchor), (Some("蜜雪冰城"), None));
        let b = liuyang("集里路289（百味大排档）门口");
        assert_eq!(
            (b.number.as_deref(), b.poi.as_deref()),
            (Some("289"), Some("百味大排档"))
        );
    }

    #[test]
    fn a_numbered_school_however_named() {
        for raw in [
            "浏阳市第一中学门口",
            "北正路190号(浏阳市第一中学)附近",
            "淮川街道浏阳一中",
            "县一中",
        ] {
            assert_eq!(liuyang(raw).poi.as_deref(), Some("1中"), "{raw}");
        }
        // Another county's is its own.
        assert_eq!(liuyang("醴陵一中").poi.as_deref(), Some("醴陵1中"));
    }

    #[test]
    fn a_stretch_and_a_way_along_the_road_are_the_road() {
        for raw in [
            "武侯大道铁佛段（铁佛立交至簇锦北路口）",
            "武侯大道铁佛段辅道",
            "武侯大道铁佛段往铁佛立交方向一带",
        ] {
            let a = p(raw);
            assert_eq!(a.road.as_deref(), Some("武侯铁佛段"), "{raw}: {a:?}");
            assert_eq!((a.junction, a.poi), (None, None), "{raw}");
        }
        assert_eq!(p("323国道罗坳大桥至罗坳圩路段").poi, None);
    }

    #[test]
    fn road_number_and_place_come_apart() {
        let a = p("星沙街道开元东路18号某某商场");
        assert_eq!(a.town.as_deref(), Some("星沙街道"));
        assert_eq!(a.road.as_deref(), Some("开元东"));
        assert_eq!(a.number.as_deref(), Some("18"));
        assert_eq!(a.poi.as_deref(), Some("某某商场"));
        let b = p("某某商场开元东路十八号");
        assert_eq!(
            (b.road.as_deref(), b.number.as_deref()),
            (Some("开元东"), Some("18"))
        );
        assert_eq!(b.poi.as_deref(), Some("某某商场"));
    }

    #[test]
    fn chinese_digits_after_a_road_are_its_door_number_without_hao() {
        let a = p("松雅湖街道东八线三零一松雅小区");
        assert_eq!(a.number.as_deref(), Some("301"), "{a:?}");
        assert_eq!(a.poi, p("东八线301号松雅小区").poi, "{a:?}");
        let b = p("开元东路一八八某某商场");
        assert_eq!(
            (b.road.as_deref(), b.number.as_deref()),
            (Some("开元东"), Some("188")),
            "{b:?}"
        );
        // A lane, a phase or a building is not a door.
        for text in ["人民东路一二巷", "开元东路三五栋", "星沙大道二一期小区"]
        {
            assert_eq!(p(text).number, None, "{text}: {:?}", p(text));
        }
    }

    #[test]
    fn door_numbers_in_every_form_and_their_sub_numbers() {
        for (text, number) in [
            ("胜利路268号", "268"),
            ("兴武大道15号之一一带", "15-1"),
            ("工业路17号之十二", "17-12"),
            ("胜利路二六八号", "268"),
            ("胜利路二百六十八号", "268"),
            ("胜利路9杠2号", "9-2"),
            ("胜利路九杠二号", "9-2"),
            ("胜利路9-2号", "9-2"),
            ("胜利路15号之一", "15-1"),
            ("胜利路15-1号", "15-1"),
            ("科华北路62号附1号", "62-1"),
            ("清晖路113号首层", "113"),
            ("清晖路幺幺三号", "113"),
        ] {
            assert_eq!(
                p(text).number.as_deref(),
                Some(number),
                "{text}: {:?}",
                p(text)
            );
        }
        // A village group's door is the group's, not a road 三组's.
        assert_eq!(p("麻湖村三组78号").road, None);
        assert_eq!(p("麻湖村三组78号").poi, p("麻湖村3组七十八号").poi);
        assert_ne!(p("凤山中路26号").number, p("凤山中路26-1号").number);
        assert_ne!(p("胜利路15号之一").number, p("胜利路15号之二").number);
        // The north's 甲 doors: one door however written, another than the plain one.
        for text in [
            "兴工北街12号甲",
            "兴工北街十二甲号",
            "兴工北街12甲小张麻辣拌门口",
        ] {
            assert_eq!(
                p(text).number.as_deref(),
                Some("12甲"),
                "{text}: {:?}",
                p(text)
            );
        }
        assert_eq!(
            p("兴工北街12甲小张麻辣拌").poi.as_deref(),
            Some("小张麻辣拌")
        );
        assert_ne!(p("兴工北街12号").number, p("兴工北街12甲号").number);
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
    fn a_lanes_door_in_any_digits_and_a_quarter_is_no_street() {
        assert_eq!(p("新桥弄九号").road, p("新桥弄9号").road);
        assert_eq!(p("新桥弄九号").number.as_deref(), Some("9"));
        assert!(p("新桥弄9号").road.is_some());
        let bar = p("平江历史街区枕流酒吧");
        assert_eq!(bar.road, None, "{bar:?}");
        assert_eq!(bar.poi.as_deref(), Some("枕流酒吧"), "{bar:?}");
    }

    #[test]
    fn two_roads_alone_are_their_corner_and_a_numbered_street_is_a_road() {
        let corner = p("沈辽西路与七号街交汇处").junction;
        assert_eq!(
            corner,
            Some(("7号".to_string(), "沈辽西".to_string())),
            "{:?}",
            p("沈辽西路与七号街交汇处")
        );
        for text in [
            "沈辽西路七号街",
            "7号街和沈辽西路交叉口",
            "七号街沈辽西路口",
        ] {
            let parsed = p(text);
            assert_eq!(parsed.junction, corner, "{text}: {parsed:?}");
            assert_eq!(parsed.number, None, "{text}: {parsed:?}");
        }
        assert_eq!(p("沈辽西路卫工街").junction, p("卫工街与沈辽西路").junction);
        assert!(p("沈辽西路卫工街").junction.is_some());
        // A lane of a road, a kind of street, a door: no corner.
        assert_eq!(p("解放路三巷").junction, None);
        assert_eq!(p("中山路步行街").junction, None);
        assert_eq!(p("桂华路桂华夜市街").junction, None);
        assert_eq!(p("申长路虹桥天街").junction, None);
        assert_eq!(
            p("西环路（金筑街口）").junction,
            p("金筑街西环路口").junction
        );
        assert!(p("西环路金筑街口").junction.is_some());
        assert_eq!(p("江汉路步行街口").junction, None);
        assert_eq!(p("葑门横街近竹辉路").junction, None);
        assert_eq!(p("沈辽西路7号").number.as_deref(), Some("7"));
        assert_eq!(p("沈辽西路7号楼下").junction, None);
    }

    #[test]
    fn details_positions_and_remarks_do_not_make_another_place() {
        let a = p("天华一村8栋2单元602");
        assert_eq!(a.poi.as_deref(), Some("天华1村"));
        assert_eq!(a.detail.as_deref(), Some("8栋2单元602"));
        assert_eq!(p("天华一村北门往东50米").poi.as_deref(), Some("天华1村"));
        assert_eq!(p("开元东路18号3号楼").number.as_deref(), Some("18"));
        assert_eq!(p("宾江花园3-2-501").poi.as_deref(), Some("宾江花园"));
        assert_eq!(p("老表烧烤（来电人要求保密）").poi, p("老表烧烤门口").poi);
        // 东门 starting a name stays; a gate after a kind of place goes.
        assert_eq!(p("东门菜市场").poi.as_deref(), Some("东门菜市场"));
        assert_eq!(p("顺峰山公园南门广场").poi, p("顺峰山公园广场").poi);
    }

    #[test]
    fn the_county_seat_or_the_county_run_into_what_came_before_it() {
        // 固始县城 = 固始县 + 县城; 青岛市南区 = 青岛市 + 市南区.
        let gushi = |t: &str| squad_of(411525, t);
        assert_eq!(
            gushi("固始县城黄河路蓼城大道十字路口").junction,
            gushi("黄河路与蓼城大道交叉口").junction
        );
        let shinan = |t: &str| squad_of(370202, t);
        assert_eq!(
            shinan("青岛市南区五四广场").poi,
            shinan("青岛市市南区五四广场").poi
        );
        assert_eq!(shinan("青岛市南区五四广场").poi.as_deref(), Some("54广场"));
        // A district of two characters after the city that no list holds now (杭州市下城区,
        // merged into 拱墅区) says where.
        let gongshu = |t: &str| squad_of(330105, t);
        assert_eq!(
            gongshu("杭州市下城区新天地街区中心广场").poi,
            gongshu("新天地街区中心广场").poi
        );
        // But the county's seat town after the county is that town (霍邱县城关镇: 城关镇,
        // the seat of many counties), in full or short.
        // So is 城厢镇 after the county's former 县 (武鸣县城厢镇: 武鸣 is a district now).
        let wuming = |t: &str| squad_of(450110, t);
        assert_eq!(
            wuming("南宁市武鸣县城厢镇灵水湾一期").town.as_deref(),
            Some("城厢镇")
        );
        assert_eq!(
            wuming("南宁市武鸣县城厢镇灵水湾一期").poi,
            wuming("灵水湾一期").poi
        );
        let huoqiu = |t: &str| squad_of(341522, t);
        for written in ["霍邱县城关镇水门塘公园", "六安市霍邱县城关水门塘公园"]
        {
            let p = huoqiu(written);
            assert_eq!(p.town.as_deref(), Some("城关镇"), "{written}");
            assert_eq!(p.poi.as_deref(), Some("水门塘公园"), "{written}");
        }
    }

    #[test]
    fn a_middle_school_by_its_short_name() {
        let gushi = |t: &str| squad_of(411525, t);
        assert_eq!(
            gushi("固始县第一高级中学南门").poi,
            gushi("固始一高南门").poi
        );
        assert_eq!(p("固始一高中").poi, p("固始一高").poi);
        assert_eq!(p("分水亭镇初级中学").poi, p("分水亭镇初中").poi);
        assert_ne!(p("固始一高").poi, p("固始二高").poi);
    }

    #[test]
    fn a_towns_old_street_without_a_door_is_a_place() {
        let gushi = |t: &str| squad_of(411525, t);
        let a = gushi("三河尖镇老街上");
        assert_eq!(
            (a.road.as_deref(), a.poi.as_deref()),
            (None, Some("三河尖老街")),
            "{a:?}"
        );
        assert_eq!(gushi("老街（三河尖镇）").poi, a.poi);
        // With its door it is the town's road.
        let b = gushi("三河尖镇老街18号");
        assert_eq!(
            (b.road.as_deref(), b.number.as_deref()),
            (Some("老"), Some("18")),
            "{b:?}"
        );
    }

    #[test]
    fn a_road_named_after_a_zone_keeps_its_name() {
        let a = p("新沟镇工业园路福娃集团路段");
        assert_eq!(a.road.as_deref(), Some("工业园"), "{a:?}");
        assert_eq!(a.name.map(|n| n.core).as_deref(), Some("福娃集团"));
    }

    #[test]
    fn a_street_of_one_trade_is_a_place() {
        let a = p("龙虾一条街");
        assert_eq!(
            (a.road.as_deref(), a.poi.as_deref()),
            (None, Some("龙虾1条街"))
        );
        assert_eq!(p("江城路龙虾1条街旁边").poi, a.poi);
        // The whole of a road or of a market is where along it.
        assert_eq!(p("光明路一条街").road.as_deref(), Some("光明"));
        assert_eq!(p("兴顺街 夜市一条街").poi, p("兴顺街夜市").poi);
        // A shopping street of more words than its kind (商业步行街) is no road either.
        let b = p("容城镇商业步行街");
        assert_eq!(
            (b.road.as_deref(), b.poi.as_deref()),
            (None, Some("商业步行街"))
        );
    }

    #[test]
    fn a_name_with_its_phase_in_brackets_is_another_name() {
        let a = p("城建三公司项目部（滨河湾二期）");
        assert_eq!(a.aka.map(|n| n.core).as_deref(), Some("滨河湾2期"));
        // A phase alone is the place's phase.
        let b = p("御景湾（二期）");
        assert_eq!((b.poi.as_deref(), b.aka), (Some("御景湾2期"), None));
        assert_eq!(p("御景湾（东区二期）").aka, None);
        assert_ne!(p("御景湾（东区二期）").poi, p("御景湾（西区二期）").poi);
    }

    #[test]
    fn another_name_in_brackets_is_kept_beside_the_name() {
        let a = p("青岛39中(海大附中)");
        assert_eq!(a.poi.as_deref(), Some("青岛39中"));
        assert_eq!(a.aka.map(|n| n.core).as_deref(), Some("海大附中"));
        // A town in brackets says where; a shop after a door or an area is the place; a
        // name of two characters (月川) says where too.
        let gushi = |t: &str| squad_of(411525, t);
        let b = gushi("老街（三河尖镇）");
        assert_eq!(
            (b.town.as_deref(), b.poi.as_deref()),
            (Some("三河尖镇"), Some("三河尖老街"))
        );
        assert_eq!(
            p("湘龙路138号【蓝月亮KTV】").poi.as_deref(),
            Some("蓝月亮ktv")
        );
        assert_eq!(p("9号楼（东方华府）").poi, p("东方华府9号楼").poi);
        assert_eq!(p("桑园工业区（阿海大排档）").aka, None);
        assert_eq!(p("星海湾公寓（月川）").aka, None);
        assert_eq!(p("湘味轩（星沙店）").aka, None);
    }

    #[test]
    fn a_floor_is_a_detail_in_one_form_whatever_its_writing() {
        for text in [
            "天成大厦负一楼夜猫子酒吧",
            "天成大厦负1层夜猫子酒吧",
            "天成大厦-1F夜猫子酒吧",
            "天成大厦地下一层夜猫子酒吧",
            "天成大厦B1层夜猫子酒吧",
        ] {
            let a = p(text);
            assert_eq!(a.poi.as_deref(), Some("天成大厦夜猫子酒吧"), "{text}");
            assert_eq!(a.detail.as_deref(), Some("负1层"), "{text}");
        }
        assert_eq!(p("天成大厦3F星光KTV").detail.as_deref(), Some("3层"));
        // A market's stall and a building are no floors.
        assert_eq!(p("江南市场B8档").poi.as_deref(), Some("江南市场b8档"));
        assert_eq!(p("开元路26-1号").number.as_deref(), Some("26-1"));
        assert_eq!(p("宾江花园3-2-501").poi.as_deref(), Some("宾江花园"));
    }

    #[test]
    fn a_place_described_by_its_neighbour_is_the_place_after_de() {
        let a = p("星沙菜市场隔壁的李记粉店");
        assert_eq!(a.poi.as_deref(), Some("李记粉店"));
        assert_eq!(a.anchor.as_deref(), Some("星沙菜市场"));
        // The neighbour's road is where the neighbour is, not the place's own.
        let b = p("倪家桥路口往南五十米的张记烧烤");
        assert_eq!(b.poi.as_deref(), Some("张记烧烤"), "{b:?}");
        assert_eq!(b.road, None, "{b:?}");
        let d = p("县医院对过的鲜果园水果店");
        assert_eq!(d.poi.as_deref(), Some("鲜果园水果店"), "{d:?}");
        assert_eq!(d.anchor.as_deref(), Some("县医院"), "{d:?}");
        let c = p("玉林中路上的玉林综合市场");
        assert_eq!(c.poi.as_deref(), Some("玉林综合市场"), "{c:?}");
    }

    #[test]
    fn province_city_county_and_the_squads_towns_however_written() {
        let a = liuyang("湖南省长沙市浏阳市淮川街道圭斋路37号老街口烧烤");
        let b = liuyang("浏阳 淮川 圭斋路37号（老街口烧烤）");
        assert_eq!(a.town.as_deref(), Some("淮川街道"));
        assert_eq!(
            (a.town.clone(), a.road.clone(), a.number.clone()),
            (b.town, b.road, b.number)
        );
        assert_eq!(
            liuyang("怀川街道宾江花园").town.as_deref(),
            Some("淮川街道")
        );
        // 浏阳 starting a road's name is not the county.
        assert!(liuyang("浏阳河大道与道吾山路交叉口").junction.is_some());
    }

    /// Parsed as a squad of 哈尔滨市香坊区 (230110) would.
    fn xiangfang(text: &str) -> ParsedAddress {
        squad_of(230110, text)
    }

    #[test]
    fn a_town_that_starts_with_the_countys_short_name_and_the_city_by_its_first_character() {
        // 香坊大街街道 is a 街道 of 香坊区, not 香坊 + 大街街道; its 办, its 街 said once.
        for text in [
            "香坊大街街道中山路268号",
            "香坊大街街道办中山路268号",
            "香坊大街道中山路268号",
            "哈市香坊区香坊大街街道中山路268号",
            "香芳区香坊大街街道中山路268号",
            // The 所属街道 written before the address as exported.
            "香坊大街街道黑龙江省哈尔滨市香坊区中山路268号",
        ] {
            let a = xiangfang(text);
            assert_eq!(
                (
                    a.town.as_deref(),
                    a.road.as_deref(),
                    a.number.as_deref(),
                    a.poi
                ),
                (Some("香坊大街街道"), Some("中山"), Some("268"), None),
                "{text}"
            );
        }
        // A 街道 named after its road: the road written alone is the road.
        let a = xiangfang("哈平路与公滨路交叉口附近路面");
        assert_eq!(a.town, None);
        assert!(a.junction.is_some());
        // 市场 after the city's first character is a market.
        assert!(xiangfang("哈市场").poi.is_some());
    }

    #[test]
    fn a_village_before_a_place_in_it_with_or_without_its_mark() {
        for (written, read) in [
            ("南寨村鑫盛木业", "南寨鑫盛木业"),
            ("南寨村委会鑫盛木业", "南寨鑫盛木业"),
            ("南寨村委鑫盛木业", "南寨鑫盛木业"),
            ("小河口村委会村北地里", "小河口村北地里"),
            ("小河口村村北地里", "小河口村北地里"),
            // A compound named 村, and a village alone, keep it.
            ("天华一村", "天华一村"),
            ("天华一村东门", "天华一村东门"),
            ("建设新村菜场", "建设新村菜场"),
            ("南寨村", "南寨村"),
            ("9星村9星市场", "9星市场"),
            ("9星村9新市场", "9新市场"),
            // A name of one character before 村 is no village's.
            ("某村小卖部", "某村小卖部"),
        ] {
            assert_eq!(village_without_mark(written), read, "{written}");
        }
        let a = kaili("三棵树镇南寨村鑫盛木业");
        let b = kaili("三棵树南寨鑫盛板材厂");
        assert_eq!(
            a.place_name().map(|n| n.core.clone()),
            b.place_name().map(|n| n.core.clone())
        );
    }

    #[test]
    fn a_town_written_after_the_place_is_where_it_is() {
        for (text, town) in [
            ("鑫盛木业（大风洞）", "大风洞镇"),
            ("鑫盛木业(大风洞镇)", "大风洞镇"),
            ("大风洞镇鑫盛木业", "大风洞镇"),
            ("鑫盛木业（舟溪镇）", "舟溪镇"),
            ("鑫盛木业白果井办事处", "白果井街道"),
        ] {
            let a = kaili(text);
            assert_eq!(
                (a.town.as_deref(), a.place_name().map(|n| n.core.clone())),
                (Some(town), Some("鑫盛".to_string())),
                "{text}"
            );
        }
        // A town's short name of two characters at the end may be the name's own.
        assert_eq!(kaili("鑫盛木业舟溪").town, None);
    }

    /// Parsed as a squad of 凯里市 (522601) would.
    fn kaili(text: &str) -> ParsedAddress {
        squad_of(522601, text)
    }

    #[test]
    fn a_towns_one_character_road_an_autonomous_prefecture_and_a_walk_from_a_landmark() {
        // 新街 of 炉山镇, written after the town in full, short, or heard by sound.
        for text in [
            "凯里市炉山镇新街",
            "炉山新街",
            "黔东南州芦山镇新街",
            "贵州凯里炉山镇新街两边",
        ] {
            let a = kaili(text);
            // Without a door: the town's street as a place, by the town's name.
            assert_eq!(
                (a.town.as_deref(), a.road.as_deref(), a.poi.as_deref()),
                (Some("炉山镇"), None, Some("炉山新街")),
                "{text}"
            );
        }
        // A 大街 is no one-character road.
        assert_eq!(kaili("红旗大街261号").road.as_deref(), Some("红旗"));
        // 往下走五十米, 往上走一点: the place is what comes after.
        for text in [
            "韶山南路农业银行往下走五十米老王家烧烤",
            "大十字往上走一点 老王家烧烤",
        ] {
            let a = kaili(text);
            assert_eq!(a.poi.as_deref(), Some("老王家烧烤"), "{text}");
        }
        // A development named number one is no door 1.
        let a = kaili("鸭塘街道苗岭1号工地");
        assert_eq!((a.road, a.poi.as_deref()), (None, Some("苗岭1号工地")));
        // The people's hospital of the prefecture is its hospital, not a gazetteer's.
        assert_eq!(kaili("州人民医院").poi, kaili("州医院").poi);
        // Demonstratives and corners say where at the place.
        assert_eq!(
            kaili("金泉湖音乐喷泉那点").poi.as_deref(),
            Some("金泉湖音乐喷泉")
        );
        assert_eq!(kaili("第九中学大门（转角）").poi, kaili("九中").poi);
        // A numbered school after its road is no door number.
        let school = kaili("３８中北校区（铜陵北路）");
        assert_eq!(school.number, None);
        assert_eq!(school.poi, kaili("38中北校区").poi);
        assert_eq!(kaili("铜陵北路38号").number.as_deref(), Some("38"));
        // A village's group however written.
        for text in [
            "三棵树镇南寨村第三村民小组",
            "三颗树南寨三组",
            "三棵树镇南寨村3组坎下",
        ] {
            assert_eq!(kaili(text).poi.as_deref(), Some("南寨3组"), "{text}");
        }
        // A stall and a gate at a place are the place; a shop named after 老街 keeps it.
        assert_eq!(
            kaili("苗都国际城东门口烧烤摊").poi.as_deref(),
            Some("苗都国际城")
        );
        assert_eq!(kaili("地铁工地大门口").poi.as_deref(), Some("地铁工地"));
        assert_eq!(kaili("炉山镇老街烧烤").road, None);
    }

    #[test]
    fn a_streets_office_is_the_street() {
        // 韦曲街办 is 韦曲街道 anywhere in China, not a road 韦曲 + 办.
        let a = squad_of(430121, "西安市长安区韦曲街办星光派对KTV");
        assert_eq!(
            (a.town.as_deref(), a.road, a.poi.as_deref()),
            (Some("韦曲街道"), None, Some("星光派对ktv"))
        );
        // 路口 is no short name of 长沙县's 路口镇 after a road.
        let b = squad_of(430121, "郭北社区郭北村东巷路口");
        assert_eq!(b.town, None);
    }

    #[test]
    fn a_company_by_its_name_a_remark_after_a_comma_and_a_walk_in() {
        let jinjiang = |text: &str| squad_of(350582, text);
        for text in [
            "陈埭镇鸿星达鞋业有限公司",
            "陈埭镇鸿星达鞋业，来电人住5楼",
            "陈埭镇鸿星达鞋业股份有限公司(网格编号JJ-30)",
        ] {
            assert_eq!(jinjiang(text).poi.as_deref(), Some("鸿星达鞋业"), "{text}");
        }
        // Commas that part the address's own pieces stay its pieces.
        assert_eq!(
            jinjiang("陈埭镇,湖中社区,鸿星达鞋业").poi.as_deref(),
            Some("鸿星达鞋业")
        );
        let a = jinjiang("梅岭街道桂华路进去一点的桂华夜市");
        assert_eq!(a.poi.as_deref(), Some("桂华夜市"));
        // A factory in its industrial zone is the factory; the zone's numbered road stays.
        assert_eq!(
            jinjiang("陈埭镇湖中工业区鸿星达鞋业").poi.as_deref(),
            Some("鸿星达鞋业")
        );
        assert_eq!(p("熹涌工业区二路5号").road.as_deref(), Some("熹涌工业区2"));
        // Which end of a place says where at it.
        assert_eq!(jinjiang("桂华夜市东头").poi, jinjiang("桂华夜市").poi);
        assert_eq!(jinjiang("桂华夜市中段周边").poi, jinjiang("桂华夜市").poi);
    }

    #[test]
    fn a_road_whose_name_holds_a_joiner() {
        let a = p("三和路与中山路交叉口");
        assert_eq!(a.junction, Some(("三和".into(), "中山".into())));
        assert_eq!(p("三和路18号").road.as_deref(), Some("三和"));
    }

    #[test]
    fn a_missing_suffix_still_finds_the_road() {
        let a = p("开元东18号");
        assert_eq!(
            (a.road.as_deref(), a.number.as_deref()),
            (Some("开元东"), Some("18"))
        );
        let b = p("开元东路18");
        assert_eq!(
            (b.road.as_deref(), b.number.as_deref()),
            (Some("开元东"), Some("18"))
        );
    }

    #[test]
    fn a_town_alone_names_no_place() {
        assert!(p("星沙街道").is_vague());
        assert!(p("").is_vague());
    }

    #[test]
    fn a_road_named_by_a_river_named_by_the_town_and_a_shop_in_a_shopping_street() {
        let hongshan = |text: &str| squad_of(420111, text);
        // 青菱河路 is no 青菱街道's 河路.
        for text in [
            "青菱河路口白沙洲大道上",
            "青菱河路与白沙洲大道交叉口往南100米",
        ] {
            let got = hongshan(text);
            assert_eq!(got.town, None, "{text}");
            assert_eq!(
                got.junction,
                Some(("白沙洲".to_string(), "青菱河".to_string())),
                "{text}"
            );
        }
        // 关山街 alone is 关山街道 (the text then says which place); 进乡街 after 进乡街道 is
        // the road the street is named after.
        assert_eq!(hongshan("洪山区关山街").town.as_deref(), Some("关山街道"));
        assert_eq!(hongshan("洪山区关山街").road, None);
        let twice = squad_of(230110, "进乡街道进乡街");
        assert_eq!(twice.town.as_deref(), Some("进乡街道"));
        assert_eq!(twice.road.as_deref(), Some("进乡"));
        for text in ["光谷步行街K9清吧", "珞喻路光谷步行街 K9 酒吧 门口"] {
            assert_eq!(hongshan(text).place_name().unwrap().core, "k9", "{text}");
        }
    }

    #[test]
    fn a_county_made_a_district_under_its_former_name_and_a_place_named_after_its_town() {
        let wuming = |text: &str| squad_of(450110, text);
        // 武鸣县 became 武鸣区: the old designation and a remark of it are where.
        for text in [
            "南宁市武鸣县 锣圩镇锣墟糖厂",
            "南宁市武鸣区（原武鸣县）锣圩镇锣圩糖厂",
            "武鸣区锣圩镇糖厂",
        ] {
            let got = wuming(text);
            assert_eq!(got.town.as_deref(), Some("锣圩镇"), "{text}");
            assert_eq!(got.poi.as_deref(), Some("锣圩糖厂"), "{text}");
        }
        // The town written out in a place named after it; a formal numeral is a name's
        // character (陆斡 is no 6斡).
        assert_eq!(wuming("陆斡镇陆斡镇圩场").poi.as_deref(), Some("陆斡圩场"));
        assert_eq!(wuming("武鸣区陆斡圩").poi.as_deref(), Some("陆斡圩"));
        // The county's short name starting a compound's name goes wherever it is written
        // (天山雅苑 in 天山区), so both forms are one.
        let tianshan = |text: &str| squad_of(650102, text).place_name().map(|n| n.core.clone());
        assert_eq!(
            tianshan("天山雅苑ii期在建工地"),
            tianshan("天山区大湾北路166号天山雅苑二期工地")
        );
        // A bridge named after its town keeps the town's name (清江大桥 in 清江镇).
        let yueqing = |text: &str| squad_of(330382, text);
        let core = |text: &str| yueqing(text).place_name().map(|n| n.core.clone());
        assert_eq!(
            core("乐清市清江大桥施工工地那边").as_deref(),
            Some("清江大桥")
        );
        assert_eq!(core("清江镇清江大桥工地").as_deref(), Some("清江大桥"));
        // 武鸣 + 县城 is the county town, not 武鸣县 + 城….
        assert_eq!(
            wuming("南宁武鸣 县城兴武大道15号").road.as_deref(),
            Some("兴武")
        );
        // The county's own hospital however named, and a site within it by what is built.
        for text in [
            "南宁市武鸣区武鸣人民医院工地西侧路边",
            "武鸣区人民医院住院部扩建工地",
            "广西南宁市武鸣区县医院新大楼工地",
            "武鸣区区人民医院内施工工地旁边",
            "武鸣区人民医院新住院大楼工地",
        ] {
            assert_eq!(wuming(text).poi.as_deref(), Some("县医院工地"), "{text}");
        }
        assert_eq!(
            wuming("灵水公园二期工地").poi.as_deref(),
            Some("灵水公园2期工地"),
            "a phase is no building's word"
        );
    }

    #[test]
    fn north_china_and_shenzhen_writing_habits() {
        let zhengding = |text: &str| squad_of(130123, text);
        // A town under another designation, or written twice by sound.
        for text in [
            "南牛乡周家庄村北口",
            "正定县南牛乡南妞乡周家庄村",
            "正定县南牛乡周家庄村村北头儿",
        ] {
            let p = zhengding(text);
            assert_eq!(p.town.as_deref(), Some("南牛镇"), "{text}");
            assert_eq!(p.poi.as_deref(), Some("周家庄村"), "{text}");
        }
        // A school named after the county keeps the county's name; 东大门口 is a gate.
        for text in ["河北石家庄正定中学东大门口", "正定中学东门外马路边"] {
            assert_eq!(zhengding(text).poi.as_deref(), Some("正定中学"), "{text}");
        }
        // A market day by its town's name, however said.
        for text in ["诸福屯集", "朱福屯集上", "诸福屯大集那块儿"] {
            let core = zhengding(text).place_name().map(|n| n.core.clone());
            assert!(
                core.as_deref().is_some_and(|c| c.ends_with("福屯")),
                "{text}: {core:?}"
            );
        }
        assert_eq!(zhengding("东关儿菜市场").poi.as_deref(), Some("东关菜市场"));
        assert_eq!(zhengding("佐岸酒吧跟前儿").poi.as_deref(), Some("佐岸酒吧"));
        // A numbered road named by its town is a road, however its number is written.
        let tianshan = |text: &str| squad_of(650102, text);
        for text in ["碱泉二街19号夜色KTV", "碱泉2街19号夜色ktv"] {
            let p = tianshan(text);
            assert_eq!(p.road.as_deref(), Some("碱泉2"), "{text}");
            assert_eq!(p.town, None, "{text}");
        }
        assert_eq!(tianshan("夜色KTV碱泉二街").road.as_deref(), Some("碱泉2"));
        // A nameless shop at a door is not named after the town.
        assert_eq!(
            tianshan("乌鲁木齐市天山区二道桥片区山西巷二十三号烤肉店")
                .poi
                .as_deref(),
            Some("烤肉店")
        );
        // A village's numbered lane by its village's name, whatever the village is called
        // (社区, 村, 乡) or whether the lane says it.
        let chaoyang = |text: &str| squad_of(440513, text).road;
        for text in ["寨外村五巷8号", "金浦街道寨外乡5巷8号", "寨外社区伍巷8号"]
        {
            assert_eq!(chaoyang(text).as_deref(), Some("寨外5"), "{text}");
        }
        assert_eq!(chaoyang("八一路社区81巷8号").as_deref(), Some("81"));
        let longgang = |text: &str| squad_of(440307, text);
        // A formal numeral before a road's suffix is its number.
        assert_eq!(
            longgang("岗头新村伍巷 老湖烧烤").road,
            longgang("岗头新村５巷老胡烧烤").road
        );
        // A time in brackets and the road before a school are no part of it.
        for text in ["丹竹头小学（放学时段）", "丹竹头小学门前路段"] {
            assert_eq!(longgang(text).poi.as_deref(), Some("丹竹头小学"), "{text}");
        }
        // The third people's hospital by its number.
        assert_eq!(
            longgang("龙岗区区三院工地").poi.as_deref(),
            Some("3医院工地")
        );
        // Stations: a town before the name, a lettered exit without 站, a stall after it.
        let station = longgang("龙城爱联 地铁口烧烤");
        assert_eq!(station.town.as_deref(), Some("龙城街道"));
        assert_eq!(station.poi.as_deref(), Some("爱联站"));
        assert_eq!(
            longgang("和坳地铁站 B出口 烧烤").poi.as_deref(),
            Some("和坳站b口")
        );
        assert_eq!(
            longgang("嘉禾望岗C出口").poi.as_deref(),
            Some("嘉禾望岗站c口")
        );
    }
}
