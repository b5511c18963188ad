//! An address as written, made ready to parse: the noise call-takers and platforms add is
//! taken out, and the forms of a door number are made one, before punctuation goes.
//!
//! - NFKC (full-width digits and letters), ASCII lower-case, no white space, control or
//!   invisible format characters (zero-width space, BOM, direction marks);
//! - remarks in brackets dropped (（来电人要求保密）, （网格编号A-07）, 【市民多次反映】); other
//!   brackets unwrapped, their words kept (宏达公寓（花炮大道111号） = 宏达公寓花炮大道111号);
//! - door numbers: 9杠2号 = 9-2号, 15号之一 = 15-1号, 62号附1号 = 62附1号, 3#楼 = 3号楼, 幺 = 一,
//!   and what follows a number that is not another place (号首层, 号铺, 号门面) dropped;
//! - the caller's building, unit and room written with dashes (3-2-1502 = 3栋2单元1502室);
//! - phases in Roman numerals (Ⅰ期 = 1期);
//! - every other punctuation mark dropped; a dash is kept only between two numbers.
//!
//! Pure.

use unicode_general_category::{get_general_category, GeneralCategory as G};
use unicode_normalization::UnicodeNormalization;

use super::numerals;
use super::sound::is_han;

const OPEN: [char; 8] = ['(', '[', '{', '【', '〔', '《', '「', '<'];
const CLOSE: [char; 8] = [')', ']', '}', '】', '〕', '》', '」', '>'];

/// Words that make a bracket a remark about the call, not a part of the place.
const REMARK_WORDS: &[&str] = &[
    "来电",
    "保密",
    "网格",
    "编号",
    "匿名",
    "要求",
    "反映",
    "市民",
    "投诉",
    "重复",
    "多次",
    "电话",
    "备注",
    "回电",
    "反馈",
    "具体",
    "详见",
    "诉求",
    "核实",
    "尽快",
    "处理",
    "工单",
    "转办",
    "转来",
    "转交",
    "12345",
    "热线",
    "催办",
    "督办",
    "号码",
    "住户",
    "业主",
    "逢圩",
    "透露",
    "姓名",
    "不愿",
    "网友",
    "请",
    "注",
    "夜间",
    "晚上",
    "凌晨",
    "白天",
    "回访",
    "满意",
    "未解决",
    "原工单",
    // When, not where (（放学时段）, （周末）).
    "时段",
    "放学",
    "上学",
    "早上",
    "下午",
    "周末",
    "紧急",
    "二次",
    "首次",
    // Who calls (（本人住后座九楼）, （家住201室）).
    "本人",
    "家住",
    "我家",
    "我住",
];

/// What may follow a door number's 号 without naming another place: the ground floor, the
/// shop front.
const AFTER_NUMBER: &[&str] = &[
    "首层", "首铺", "商铺", "铺面", "门面", "门店", "底商", "一楼", "1楼", "铺",
];

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '－' | '—' | '–' | '‐' | '‑' | '~' | '～' | '_' | '杠' | '−'
    )
}

fn is_dropped(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            get_general_category(c),
            G::Control | G::Format | G::SpaceSeparator | G::LineSeparator | G::ParagraphSeparator
        )
}

fn is_punctuation(c: char) -> bool {
    !c.is_ascii_alphanumeric()
        && !('\u{4e00}'..='\u{9fff}').contains(&c)
        && matches!(
            get_general_category(c),
            G::ConnectorPunctuation
                | G::DashPunctuation
                | G::OpenPunctuation
                | G::ClosePunctuation
                | G::InitialPunctuation
                | G::FinalPunctuation
                | G::OtherPunctuation
                | G::MathSymbol
                | G::CurrencySymbol
                | G::ModifierSymbol
                | G::OtherSymbol
        )
}

/// Whether a bracket's words are a remark (or a code such as gj-13) rather than a part of
/// the place.
fn is_remark(inside: &[char]) -> bool {
    let text: String = inside.iter().collect();
    if text.chars().all(|c| is_punctuation(c) || c.is_whitespace()) {
        return true;
    }
    if REMARK_WORDS.iter().any(|w| text.contains(w)) {
        return true;
    }
    // When the market is held (逢集, 逢二七集, 逢五逢十).
    if text.trim_start().starts_with('逢') {
        return true;
    }
    // What the place is near (葑门横街（近竹辉路）): where, not which place.
    if ["近", "靠近", "临近", "邻近"]
        .iter()
        .any(|w| text.trim_start().starts_with(w))
    {
        return true;
    }
    // A division's former name (原武鸣县, 原城关镇): where it was, not a place.
    let former = text.trim();
    if former.starts_with('原')
        && (3..=8).contains(&former.chars().count())
        && former.ends_with(['县', '区', '市', '镇', '乡'])
    {
        return true;
    }
    let code = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || is_dash(c));
    code && text.chars().any(|c| c.is_ascii_digit())
        && text.chars().any(|c| c.is_ascii_alphabetic())
}

/// Whether a bracket holds a road alone, with or without its door number (渡江大道,
/// 林南大道中138号, 工业路17号之一), not a stretch of it (铁佛段).
fn is_road(inside: &[char]) -> bool {
    let mut end = inside.len();
    while end > 0 && inside[end - 1] == ' ' {
        end -= 1;
    }
    let mut text = &inside[..end];
    // The door number: digits (any form), dashes, 之, 号.
    if text.last() == Some(&'号') {
        let mut i = text.len() - 1;
        while i > 0
            && (numerals::is_numeral_or_digit(text[i - 1])
                || is_dash(text[i - 1])
                || text[i - 1] == '之')
        {
            i -= 1;
        }
        text = &text[..i];
    }
    // A section word of a long road: 大道中, 人民路东.
    if text.len() > 3 && matches!(text.last(), Some('东' | '西' | '南' | '北' | '中')) {
        text = &text[..text.len() - 1];
    }
    text.len() >= 3
        && ["路", "街", "大道", "大街", "巷"]
            .iter()
            .any(|s| text.ends_with(&s.chars().collect::<Vec<_>>()))
        && !text.iter().any(|c| is_punctuation(*c) || *c == ' ')
}

/// The address as written, ready to parse (see the module's doc).
pub fn clean(raw: &str) -> Vec<char> {
    let mut chars = marked(raw);
    chars.retain(|c| !is_mark(*c));
    chars
}

/// Whether a character is one of the marks `clean_with_road` leaves where brackets were.
pub fn is_mark(c: char) -> bool {
    c == ROAD_MARK || c == PLACE_MARK
}

/// A name followed by the place it is at, in brackets (湘味轩（SOHO现代城A座）,
/// 惠民菜店（酒仙桥路11号院底商）, 3号楼（望京西路48号院）): the same as the place written
/// first (SOHO现代城A座湘味轩), as most call-takers write it. `chars` is an address as
/// `clean_with_road` gives it, the county and city in front already taken off; the marks
/// are gone from what is returned.
pub fn place_first(chars: &[char]) -> Vec<char> {
    let marks: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i] == PLACE_MARK)
        .collect();
    let plain = || chars.iter().copied().filter(|c| *c != PLACE_MARK).collect();
    let [a, b] = marks[..] else {
        return plain();
    };
    let (name, place, rest) = (&chars[..a], &chars[a + 1..b], &chars[b + 1..]);
    // The bracket is a place when it has a door or building number, or ends in a
    // building's word; the name before it is a name when it has no number of its own.
    let numbered = |t: &[char]| t.iter().any(|c| c.is_ascii_digit());
    // A village is a place too (好运来麻将馆（水径村）).
    let is_place =
        numbered(place) || matches!(place.last(), Some('座' | '楼' | '院' | '厦' | '村'));
    // A building's number alone (（13栋）) is the caller's building or the place's: it
    // stays after the name, where buildings are read.
    if name.is_empty()
        || place.len() < 3
        || !is_place
        || is_building(place)
        || numbered(name) && !is_building(name)
    {
        return plain();
    }
    place.iter().chain(name).chain(rest).copied().collect()
}

/// A name followed by another name of the place in brackets (青岛39中（海大附中）,
/// 五四广场（五月的风）, 湛山二路工地（海润置业）, 老街（三河尖镇）): the address without the
/// bracket, and the bracket's text. Not a branch (（星沙店）), a phase (（一期）), a side or
/// a neighbour (（东门）, （附院对过）), or a place at a number (see `place_first`).
pub fn aside_name(chars: &[char]) -> Option<(Vec<char>, Vec<char>)> {
    let marks: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i] == PLACE_MARK)
        .collect();
    let [a, b] = marks[..] else {
        return None;
    };
    let (name, aside, rest) = (&chars[..a], &chars[a + 1..b], &chars[b + 1..]);
    let text: String = aside.iter().collect();
    let named = name.len() >= 2 && name.iter().any(|c| is_han(*c));
    // Letters and figures too (5月的风), but not a door's or a building's number.
    let plain = aside
        .iter()
        .all(|c| is_han(*c) || c.is_ascii_alphanumeric())
        && !(aside.iter().any(char::is_ascii_digit)
            && aside.iter().any(|c| "号栋幢楼座室单".contains(*c)));
    // A phase alone (（二期）, （第1期）, with its section: （东区二期）, （A区二期）) is no
    // name; a name with its phase (（滨河湾二期）) is one.
    let phase_alone = aside.last() == Some(&'期')
        && aside[..aside.len() - 1]
            .iter()
            .filter(|c| {
                !c.is_ascii_alphanumeric()
                    && !"第一二三四五六七八九十壹贰叁肆伍ⅠⅡⅢⅣⅤ东西南北中区片".contains(**c)
            })
            .count()
            < 2;
    let not_a_name = phase_alone
        || matches!(
            aside.last(),
            Some(
                '店' | '段'
                    | '部'
                    | '座'
                    | '楼'
                    | '塔'
                    | '院'
                    | '厦'
                    | '村'
                    | '号'
                    | '侧'
                    | '边'
                    | '面'
                    | '头'
            )
        )
        || [
            "对过", "对面", "旁边", "隔壁", "附近", "边上", "门口", "后面", "前面", "东门", "西门",
            "南门", "北门", "正门", "后门", "校区", "院区", "分店",
        ]
        .iter()
        .any(|w| text.contains(w));
    // A building or a door before the bracket (9号楼（东方华府）): the bracket is where it is.
    let door = name.iter().any(char::is_ascii_digit)
        && matches!(name.last(), Some('号' | '楼' | '栋' | '幢' | '座' | '室'));
    if !named || door || !plain || not_a_name || !(2..=10).contains(&aside.len()) {
        return None;
    }
    Some((name.iter().chain(rest).copied().collect(), aside.to_vec()))
}

/// `3号楼`, `12栋`: a building's number and nothing else.
fn is_building(text: &[char]) -> bool {
    let digits = text.iter().take_while(|c| c.is_ascii_digit()).count();
    let unit: String = text[digits..].iter().collect();
    digits > 0 && ["号楼", "栋", "幢", "座"].contains(&unit.as_str())
}

/// The address as written, ready to parse, and the road a bracket after the place's name
/// gives (星光大道KTV（渡江大道）: 星光大道ktv, 渡江大道), taken out: the place's road is
/// read from there, not from a road-like word of the name.
pub fn clean_with_road(raw: &str) -> (Vec<char>, Option<Vec<char>>) {
    let chars = marked(raw);
    let marks: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i] == ROAD_MARK)
        .collect();
    match marks[..] {
        [a, b] if b > a + 1 => {
            let road = chars[a + 1..b].to_vec();
            let mut text = chars[..a].to_vec();
            text.extend(&chars[b + 1..]);
            (text, Some(road))
        }
        _ => (
            chars.into_iter().filter(|c| *c != ROAD_MARK).collect(),
            None,
        ),
    }
}

/// Where a bracketed road was (a private-use character: no address holds one).
const ROAD_MARK: char = '\u{e000}';

/// Where any other bracket after a name was (see `place_first`).
const PLACE_MARK: char = '\u{e001}';

/// Remarks that end an address when written on after the place, without brackets.
const TRAILING_REMARKS: [&str; 18] = [
    "重复来电",
    "重复投诉",
    "二次来电",
    "多次来电",
    "多次投诉",
    "已多次",
    "要求反馈",
    "要求回电",
    "要求回复",
    "要求回访",
    "要求保密",
    "市民要求",
    "来电人",
    "接诉即办",
    "网格编号",
    "请核实",
    "已电话联系",
    "工单转派",
];

/// What a spoken 儿 may follow (三里屯儿, 院儿, 门口儿, 那儿): said, not a part of the name.
const ERHUA_AFTER: &str =
    "院屯口门边店楼头角那这哪块点道街巷同摊馆铺上面里村园场号座棚关前后旁外地身脸";

fn marked(raw: &str) -> Vec<char> {
    let nf: String = raw.nfkc().collect();
    // A remark after a comma at the end (…鞋材厂，来电人住7楼) goes like one in brackets.
    let nf = match nf.rfind([',', '，']) {
        Some(at) if at > 0 => {
            let tail: Vec<char> = nf[at..].chars().skip(1).collect();
            if !tail.is_empty() && is_remark(&tail) {
                nf[..at].to_string()
            } else {
                nf
            }
        }
        _ => nf,
    };
    // Brackets: a remark goes whole, any other bracket is unwrapped.
    let mut chars: Vec<char> = Vec::with_capacity(nf.len());
    let mut opens: Vec<usize> = Vec::new();
    for c in nf.chars() {
        if is_dropped(c) || c == ROAD_MARK {
            continue;
        }
        if OPEN.contains(&c) {
            opens.push(chars.len());
            chars.push(' ');
        } else if CLOSE.contains(&c) {
            if let Some(at) = opens.pop() {
                if is_remark(&chars[at + 1..]) {
                    chars.truncate(at);
                } else if opens.is_empty() && at > 0 && is_road(&chars[at + 1..]) {
                    chars[at] = ROAD_MARK;
                    chars.push(ROAD_MARK);
                    continue;
                } else if opens.is_empty() && at > 0 {
                    chars[at] = PLACE_MARK;
                    chars.push(PLACE_MARK);
                    continue;
                }
            }
            chars.push(' ');
        } else {
            chars.push(c.to_ascii_lowercase());
        }
    }
    // A remark written on after the place without brackets (…巴蜀小厨门前重复来电,
    // …68号王姓房东要求反馈处理结果) goes with all that follows it.
    let text: String = chars.iter().collect();
    let cut = TRAILING_REMARKS
        .iter()
        .flat_map(|r| text.match_indices(r).map(|(at, _)| at))
        .map(|at| text[..at].chars().count())
        .filter(|&at| at >= 3)
        .min();
    if let Some(cut) = cut {
        if !chars[cut..].iter().any(|c| is_mark(*c)) {
            chars.truncate(cut);
        }
    }
    // Dashes between numbers stay (as '-'), every other mark goes; '#' after a number is 号.
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let before = out.last().copied();
        let after = chars[i + 1..].iter().copied().find(|c| *c != ' ');
        if is_dash(c) {
            if before.is_some_and(numerals::is_numeral_or_digit)
                && after.is_some_and(numerals::is_numeral_or_digit)
            {
                out.push('-');
            } else if !before.is_some_and(|b| b.is_ascii_alphanumeric())
                && basement_after(&chars[i + 1..])
            {
                // A floor below ground written with a minus (-3F, -1层): 负.
                out.push('负');
            }
            continue;
        }
        if c == '#' && before.is_some_and(|b| b.is_ascii_digit()) {
            out.push('号');
            continue;
        }
        if c == ' ' || is_punctuation(c) {
            continue;
        }
        // 第5组 = 5组: an ordinal's 第 says nothing more.
        if c == '第' && after.is_some_and(numerals::is_numeral_or_digit) {
            continue;
        }
        // 三里屯儿 = 三里屯, 门口儿 = 门口 (but 儿童, 女儿墙).
        if c == '儿'
            && before.is_some_and(|b| ERHUA_AFTER.contains(b))
            && !after.is_some_and(|a| "童女子科歌".contains(a))
        {
            continue;
        }
        out.push(if c == '幺' { '一' } else { c });
    }
    heard_streets(highways(rewrite_numbers(out)))
}

/// A street's 大街 heard as 大姐 (dà jiě) in a speech-to-text draft, before its door number
/// (西大姐五十八号 = 西大街58号): the street.
fn heard_streets(mut text: Vec<char>) -> Vec<char> {
    let mut from = 1;
    while let Some(at) =
        (from..text.len().saturating_sub(2)).find(|&i| text[i] == '大' && text[i + 1] == '姐')
    {
        from = at + 2;
        let door = text
            .get(at + 2)
            .is_some_and(|c| numerals::is_numeral_or_digit(*c))
            && text[at + 2..].iter().take(8).any(|c| *c == '号');
        if door && is_han(text[at - 1]) {
            text[at + 1] = '街';
        }
    }
    text
}

/// A highway in one form, 323国道: G323, 国道323线 and 国道323 are written so too (S for a
/// 省道).
fn highways(text: Vec<char>) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(text.len() + 4);
    let mut i = 0;
    while i < text.len() {
        let letter = matches!(text[i], 'g' | 's')
            && (i == 0 || !text[i - 1].is_ascii_alphanumeric())
            && text.get(i + 1).is_some_and(|c| c.is_ascii_digit());
        let word = word_at(&text, i, "国道") || word_at(&text, i, "省道");
        let digits_from = if letter {
            i + 1
        } else if word {
            i + 2
        } else {
            usize::MAX
        };
        if digits_from != usize::MAX && text.get(digits_from).is_some_and(|c| c.is_ascii_digit()) {
            let mut j = digits_from;
            while j < text.len() && text[j].is_ascii_digit() {
                j += 1;
            }
            let kind = if text[i] == 's' || word_at(&text, i, "省道") {
                "省道"
            } else {
                "国道"
            };
            out.extend(&text[digits_from..j]);
            out.extend(kind.chars());
            // 国道323线 / G323国道: the suffix said once.
            if word_at(&text, j, "线") {
                j += 1;
            } else if word_at(&text, j, kind) {
                j += 2;
            }
            i = j;
            continue;
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

/// Whether `word` is written at char index `at` of `text`.
pub(crate) fn word_at(text: &[char], at: usize, word: &str) -> bool {
    (at..)
        .zip(word.chars())
        .all(|(i, w)| text.get(i) == Some(&w))
}

fn len_of(word: &str) -> usize {
    word.chars().count()
}

/// 15号之一 → 15-1号, 62号附1号 → 62附1号, 113号首层 → 113号, 3-2-1502 → 3栋2单元1502室,
/// Ⅰ期 (read as i期) → 1期.
fn rewrite_numbers(text: Vec<char>) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        // A run of digits with dashes: three parts are a building, a unit and a room.
        if c.is_ascii_digit() && !out.last().is_some_and(|p| p.is_ascii_digit()) {
            let mut parts: Vec<String> = vec![String::new()];
            let mut j = i;
            while j < text.len() && (text[j].is_ascii_digit() || text[j] == '-') {
                if text[j] == '-' {
                    parts.push(String::new());
                } else if let Some(part) = parts.last_mut() {
                    part.push(text[j]);
                }
                j += 1;
            }
            if parts.len() == 3 && parts.iter().all(|p| !p.is_empty()) {
                for (part, unit) in parts.iter().zip(["栋", "单元", "室"]) {
                    out.extend(part.chars());
                    out.extend(unit.chars());
                }
                i = j;
                continue;
            }
        }
        // The north's 12号甲 is 12甲号, when nothing of a name follows the 甲.
        if c == '号'
            && text.get(i + 1).is_some_and(|n| "甲乙丙丁".contains(*n))
            && text.get(i + 2).is_none_or(|n| !is_han(*n))
            && out
                .last()
                .is_some_and(|p| numerals::is_numeral_or_digit(*p))
        {
            out.push(text[i + 1]);
            out.push('号');
            i += 2;
            continue;
        }
        if c == '号' {
            out.push('号');
            i += 1;
            // 之一 / 之二 after a door number: a sub-number.
            if word_at(&text, i, "之")
                && text
                    .get(i + 1)
                    .is_some_and(|c| numerals::is_numeral_or_digit(*c))
            {
                out.pop();
                out.push('-');
                i += 1;
                // 之一一带: the sub-number is one numeral (之一), then the position (一带); in
                // digits it is all of them (之12).
                let digits = text[i].is_ascii_digit();
                let first = i;
                while i < text.len()
                    && numerals::is_numeral_or_digit(text[i])
                    && (digits && text[i].is_ascii_digit()
                        || !digits && (i == first || text[first] == '十'))
                {
                    out.push(text[i]);
                    i += 1;
                }
                out.push('号');
            } else if word_at(&text, i, "附")
                && text
                    .get(i + 1)
                    .is_some_and(|c| numerals::is_numeral_or_digit(*c))
            {
                out.pop();
                out.push('附');
                i += 1;
                while i < text.len() && numerals::is_numeral_or_digit(text[i]) {
                    out.push(text[i]);
                    i += 1;
                }
                if text.get(i) == Some(&'号') {
                    i += 1;
                }
                out.push('号');
            }
            if let Some(word) = AFTER_NUMBER.iter().find(|w| word_at(&text, i, w)) {
                i += len_of(word);
            }
            continue;
        }
        // Roman numerals of a phase, lower-cased by now: i期, ii期, iv期.
        if c == 'i' || c == 'v' {
            let mut j = i;
            while j < text.len() && matches!(text[j], 'i' | 'v' | 'x') {
                j += 1;
            }
            let before_ok = i == 0 || !text[i - 1].is_ascii_alphanumeric();
            if before_ok && text.get(j) == Some(&'期') {
                let roman: String = text[i..j].iter().collect();
                let value = match roman.as_str() {
                    "i" => Some(1),
                    "ii" => Some(2),
                    "iii" => Some(3),
                    "iv" => Some(4),
                    "v" => Some(5),
                    "vi" => Some(6),
                    _ => None,
                };
                if let Some(v) = value {
                    out.extend(v.to_string().chars());
                    i = j;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Whether a floor follows (3F, 1层, 2楼): after a minus, one below ground.
fn basement_after(rest: &[char]) -> bool {
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&digits) && matches!(rest.get(digits), Some('f' | 'F' | '层' | '楼'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(raw: &str) -> String {
        clean(raw).into_iter().collect()
    }

    #[test]
    fn a_road_in_brackets_after_the_name_is_taken_out() {
        let r = |raw: &str| {
            let (text, road) = clean_with_road(raw);
            (
                place_first(&text).into_iter().collect::<String>(),
                road.map(|r| r.into_iter().collect::<String>()),
            )
        };
        assert_eq!(
            r("星光大道KTV（渡江大道）旁边"),
            ("星光大道ktv旁边".into(), Some("渡江大道".into()))
        );
        assert_eq!(
            r("富丽家具城（林南大道中１３8号）"),
            ("富丽家具城".into(), Some("林南大道中138号".into()))
        );
        assert_eq!(r("武侯大道（铁佛段）"), ("武侯大道铁佛段".into(), None));
        assert_eq!(
            r("龙江路19号（龙江路小学本部）"),
            ("龙江路19号龙江路小学本部".into(), None)
        );
        assert_eq!(r("（渡江大道）"), ("渡江大道".into(), None));
    }

    #[test]
    fn a_spoken_er_after_a_place_word_goes() {
        assert_eq!(c("三里屯儿西五街五号院儿"), "三里屯西五街五号院");
        assert_eq!(c("大旺路地铁B2口儿那儿"), "大旺路地铁b2口那");
        // Not in a word of its own.
        assert_eq!(c("儿童公园门口"), "儿童公园门口");
        assert_eq!(c("阳光幼儿园"), "阳光幼儿园");
    }

    #[test]
    fn remarks_go_and_places_in_brackets_stay() {
        assert_eq!(c("老表烧烤（来电人要求保密）"), "老表烧烤");
        assert_eq!(c("葑门横街（近竹辉路）"), "葑门横街");
        assert_eq!(c("老潘烧烤长江东路店（12345转）"), "老潘烧烤长江东路店");
        assert_eq!(c("碧桂园于都府工地（网格编号GJ-13）"), "碧桂园于都府工地");
        assert_eq!(c("宏达公寓（花炮大道111号）"), "宏达公寓花炮大道111号");
        assert_eq!(
            c("大良街道清晖路113号（炭火佬烧烤（清晖店））"),
            "大良街道清晖路113号炭火佬烧烤清晖店"
        );
        assert_eq!(c("碧桂园\u{200b}于都府 工地"), "碧桂园于都府工地");
        assert_eq!(c("西门菜市场（本人住后座九楼）"), "西门菜市场");
        assert_eq!(c("会多超市南京路（家住201室）"), "会多超市南京路");
    }

    #[test]
    fn door_numbers_written_many_ways_are_one() {
        assert_eq!(c("胜利路9杠2号"), "胜利路9-2号");
        // 大街 heard as 大姐 before a door number; 大姐 elsewhere stays (王大姐水饺).
        assert_eq!(c("西大姐58号"), "西大街58号");
        assert_eq!(c("王大姐水饺"), "王大姐水饺");
        assert_eq!(c("胜利路九杠二号"), "胜利路九-二号");
        assert_eq!(c("胜利路15号之一"), "胜利路15-一号");
        assert_eq!(c("科华北路62号附1号"), "科华北路62附1号");
        assert_eq!(c("清晖路113号首层炭火佬"), "清晖路113号炭火佬");
        assert_eq!(c("清晖路幺幺三号"), "清晖路一一三号");
        assert_eq!(c("宾江花园3-2-501"), "宾江花园3栋2单元501室");
        assert_eq!(c("德胜豪庭Ⅰ期"), "德胜豪庭1期");
        assert_eq!(c("开元东路１８号，某某商场"), "开元东路18号某某商场");
        for highway in [
            "G323罗坳段",
            "国道323线罗坳段",
            "323国道罗坳段",
            "G323国道罗坳段",
        ] {
            assert_eq!(c(highway), "323国道罗坳段", "{highway}");
        }
    }

    #[test]
    fn a_village_in_brackets_after_a_name_is_where_it_is() {
        let first = |raw: &str| -> String {
            let (chars, _) = clean_with_road(raw);
            place_first(&chars).into_iter().collect()
        };
        assert_eq!(first("好运来麻将馆（水径村）"), "水径村好运来麻将馆");
        assert_eq!(
            first("金盏皮村东街68号王姓房东要求反馈处理结果"),
            "金盏皮村东街68号王姓房东"
        );
    }
}
