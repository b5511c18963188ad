//! How a name sounds, for the speech-to-text drafts and homophones call-takers type (泉塘 →
//! 全塘, 湘龙 → 香龙, 乐堂 → 岳堂): each character's readings in pinyin without tones, every
//! reading of a polyphone (乐 lè / yuè, 长 cháng / zhǎng), folded the way the country's
//! accents and input methods blur them (zh/z, ch/c, sh/s, n/l, hu-/f-, -ng/-n). Two names sound
//! alike when at every position the characters share a reading. Pure.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pinyin::ToPinyinMulti;

/// Every character's folded readings as numbers (one per syllable), and the syllables:
/// made once per process, so comparing two characters is comparing a few numbers.
struct Table {
    readings: HashMap<char, Box<[u32]>>,
    syllables: Vec<String>,
    /// Every reading as written in pinyin without tones (ü as v), unfolded.
    plain: HashSet<String>,
}

/// Each reading once, in the order given, the most used first: block keys take only a
/// character's first readings (和 is he before huo and hu).
fn first_of_each(readings: &mut Vec<u32>) {
    let mut seen = HashSet::new();
    readings.retain(|r| seen.insert(*r));
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut syllables = Vec::new();
        let mut readings = HashMap::new();
        let mut plain = HashSet::new();
        let ranges = [
            '\u{3400}'..='\u{4dbf}',
            '\u{4e00}'..='\u{9fff}',
            '\u{f900}'..='\u{faff}',
        ];
        for c in ranges.into_iter().flatten() {
            let Some(multi) = c.to_pinyin_multi() else {
                continue;
            };
            let mut mine: Vec<u32> = multi
                .into_iter()
                .map(|p| {
                    plain.insert(p.plain().replace('ü', "v"));
                    let folded = fold(p.plain());
                    *ids.entry(folded.clone()).or_insert_with(|| {
                        syllables.push(folded);
                        syllables.len() as u32 - 1
                    })
                })
                .collect();
            first_of_each(&mut mine);
            readings.insert(c, mine.into_boxed_slice());
        }
        // A digit reads as its numeral (5 as 五, heard as 舞; 1 as 一 or 幺; 2 as 二 or 两):
        // a draft writes a name's numeral in figures or in a character of its sound.
        for (digit, numerals) in [
            ('0', "零〇"),
            ('1', "一幺"),
            ('2', "二两"),
            ('3', "三"),
            ('4', "四"),
            ('5', "五"),
            ('6', "六"),
            ('7', "七"),
            ('8', "八"),
            ('9', "九"),
        ] {
            let mut mine: Vec<u32> = numerals
                .chars()
                .flat_map(|n| readings.get(&n).map(|r| r.to_vec()).unwrap_or_default())
                .collect();
            first_of_each(&mut mine);
            readings.insert(digit, mine.into_boxed_slice());
        }
        Table {
            readings,
            syllables,
            plain,
        }
    })
}

/// A character's folded readings as numbers; None for a character without pinyin.
fn ids(c: char) -> Option<&'static [u32]> {
    table().readings.get(&c).map(|r| &r[..])
}

/// A character's readings, folded (a digit's are its numeral's); a character without
/// pinyin (a letter) reads as itself.
pub fn readings(c: char) -> Vec<String> {
    match ids(c) {
        Some(rs) => rs
            .iter()
            .map(|r| table().syllables[*r as usize].clone())
            .collect(),
        None => vec![c.to_string()],
    }
}

/// Whether a name written in Latin letters is the pinyin of a name in characters (letang
/// for 乐堂, lè or yuè), any reading of each character, tones left out.
pub fn spells(latin: &str, han: &[char]) -> bool {
    fn from(latin: &[u8], han: &[char]) -> bool {
        match han.split_first() {
            None => latin.is_empty(),
            Some((c, rest)) => match c.to_pinyin_multi() {
                Some(multi) => multi.into_iter().any(|p| {
                    let r = p.plain().replace('ü', "v");
                    latin.starts_with(r.as_bytes()) && from(&latin[r.len()..], rest)
                }),
                None => false,
            },
        }
    }
    !latin.is_empty()
        && latin.bytes().all(|b| b.is_ascii_lowercase())
        && han.iter().all(|c| is_han(*c))
        && from(latin.as_bytes(), han)
}

/// A syllable with the sounds accents blur made one.
fn fold(syllable: &str) -> String {
    let mut s = syllable.replace('ü', "v");
    for (from, to) in [("zh", "z"), ("ch", "c"), ("sh", "s")] {
        if let Some(rest) = s.strip_prefix(from) {
            s = format!("{to}{rest}");
        }
    }
    // hu- heard as f- (黄 huang → fang, 化 hua → fa, 湖 hu → fu), as south-western and
    // southern accents say it.
    if let Some(rest) = s.strip_prefix("hu") {
        s = match rest {
            "" => "fu".to_string(),
            "i" => "fei".to_string(),
            "n" => "fen".to_string(),
            "o" => "fo".to_string(),
            _ if rest.starts_with('a') => format!("f{rest}"),
            _ => s.clone(),
        };
    }
    // r- heard as y- (荣 rong → yong, 然 ran → yan), as the north-east and 胶东 say it;
    // -en then as -in (人 ren → yin: 工人村 heard as 工银村).
    if let Some(rest) = s.strip_prefix('r') {
        s = match rest {
            "en" => "yin".to_string(),
            "eng" => "ying".to_string(),
            _ => format!("y{rest}"),
        };
    }
    // The -u- of -uan dropped after d, t, n, l, z, c, s (团 tuan → tan, 段 duan → dan), as
    // 胶东 and other northern accents say it.
    if let Some(at) = s.find("uan") {
        if at == 1 && "dtnlzcs".contains(&s[..1]) && s.len() == 4 {
            s = format!("{}an", &s[..1]);
        }
    }
    if let Some(rest) = s.strip_prefix('n') {
        if !rest.is_empty() && !rest.starts_with('g') {
            s = format!("l{rest}");
        }
    }
    for (from, to) in [("ang", "an"), ("eng", "en"), ("ing", "in")] {
        if let Some(stem) = s.strip_suffix(from) {
            s = format!("{stem}{to}");
            break;
        }
    }
    s
}

/// Whether two characters may be heard as one another.
pub fn alike(a: char, b: char) -> bool {
    if a == b {
        return true;
    }
    match (ids(a), ids(b)) {
        (Some(x), Some(y)) => x.iter().any(|r| y.contains(r)),
        _ => false,
    }
}

/// A character with a reading: any CJK ideograph (㮾 of 㮾梨 too, in Extension A).
pub(crate) fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
        || ('\u{3400}'..='\u{4dbf}').contains(&c)
        || ('\u{f900}'..='\u{faff}').contains(&c)
}

/// Whether two names of one length sound alike at every position.
pub fn same_sound(a: &[char], b: &[char]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| alike(*x, *y))
}

/// The sound keys of a name for finding candidates: its characters' folded readings, one
/// key for each way of reading its polyphones (at most 4).
pub fn keys(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in text.chars() {
        let width = if out.len() >= 4 { 1 } else { 2 };
        let mut next = Vec::with_capacity(out.len() * width);
        match ids(c) {
            Some(rs) => {
                for prefix in &out {
                    // The syllable itself, not its number: stored keys must meet the keys
                    // later versions work out.
                    for r in rs.iter().take(width) {
                        next.push(format!("{prefix}{} ", table().syllables[*r as usize]));
                    }
                }
            }
            None => {
                for prefix in &out {
                    next.push(format!("{prefix}{c} "));
                }
            }
        }
        out = next;
    }
    out
}

/// The sound keys of a name written in Latin letters (letang): each way of cutting it into
/// pinyin syllables (at most 4), folded as `keys` folds a name in characters, so 乐堂 and
/// letang meet. None when it is no pinyin (ktv).
pub fn latin_keys(latin: &str) -> Vec<String> {
    fn cut(rest: &str, plain: &HashSet<String>, key: String, out: &mut Vec<String>) {
        if out.len() >= 4 {
            return;
        }
        if rest.is_empty() {
            out.push(key);
            return;
        }
        // Syllables are at most six letters (zhuang).
        for len in (1..=rest.len().min(6)).rev() {
            let (head, tail) = rest.split_at(len);
            if plain.contains(head) {
                cut(tail, plain, format!("{key}{} ", fold(head)), out);
            }
        }
    }
    let mut out = Vec::new();
    if !latin.is_empty() && latin.bytes().all(|b| b.is_ascii_lowercase()) {
        cut(latin, &table().plain, String::new(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        same_sound(&a, &b)
    }

    #[test]
    fn a_polyphones_most_used_reading_is_in_its_keys() {
        // 和 is he before huo or hu: 银和 meets 银河.
        assert!(
            keys("银和").contains(&"yin he ".to_string()),
            "{:?}",
            keys("银和")
        );
        assert!(keys("银和").iter().any(|k| keys("银河").contains(k)));
        // Past four keys a character gives one reading: still its most used.
        assert!(keys("长和和和").iter().any(|k| k.ends_with("he he ")));
    }

    #[test]
    fn a_name_in_latin_letters_meets_its_characters() {
        let han = keys("乐堂");
        assert!(
            latin_keys("letang").iter().any(|k| han.contains(k)),
            "{han:?}"
        );
        assert!(!latin_keys("letang")
            .iter()
            .any(|k| keys("乐园").contains(k)));
        assert!(latin_keys("ktv").is_empty());
        assert!(latin_keys("").is_empty());
    }

    #[test]
    fn homophones_polyphones_and_blurred_sounds() {
        assert!(same("泉塘", "全塘"));
        assert!(same("湘龙", "香龙"));
        assert!(same("乐堂", "岳堂"), "乐 is read yuè too");
        assert!(same("长寿苑", "掌寿苑"), "长 is read zhǎng too");
        assert!(same("阿龙", "阿浓"), "n and l");
        assert!(same("星沙", "新沙"), "-ing and -in");
        assert!(same("长征", "常征"));
        assert!(!same("黄兴", "黄花"));
        assert!(same("黄花园", "房花园"), "hu- heard as f-");
        assert!(same("化龙桥", "发龙桥"));
        assert!(same("湖光", "福光"));
        assert!(!same("黄花园", "王花园"));
        assert!(same("舞4", "54"), "a digit reads as its numeral");
        assert!(same("衣期", "1期"));
        assert!(!same("1期", "2期"));
        assert!(same("荣成", "永成"), "r- heard as y-");
        assert!(same("工人村", "工银村"), "ren heard as yin");
        assert!(same("团岛", "潭岛"), "the -u- of -uan dropped");
        assert!(same("暖泉", "南泉"));
        assert!(!same("团岛", "田岛"));
        assert!(!same("开元东", "开元西"));
        assert_eq!(keys("乐堂").len(), 2);
        assert!(spells("letang", &['乐', '堂']));
        assert!(spells("yuetang", &['乐', '堂']));
        assert!(!spells("letan", &['乐', '堂']));
        assert!(keys("岳堂").iter().any(|k| keys("乐堂").contains(k)));
    }
}
