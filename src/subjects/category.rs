//! One matter however it is named: the configured alias map, a platform's category path
//! (城市管理-噪声扰民, 城管执法 > 噪声扰民 > 其他: the deepest level that names a matter, a
//! leaf 其他 meaning the level above), and the words call-takers use for a matter (噪音,
//! 夜间噪音 → 噪声扰民; 出店经营 → 占道经营), the longest word found winning. Used by fuzzy
//! matching only; exact matching keeps the alias map alone. Pure.

use std::collections::{BTreeMap, HashMap};

/// Separators of a category path (white space separates levels too: 城市管理 小广告).
const PATH_SEPARATORS: [char; 12] = [
    '-', '>', '/', '|', '\\', '—', '》', '→', '－', '＞', '／', '_',
];

/// Words before or after a matter's name that add nothing to it (违规群租, 群租扰民).
const GENERIC_PREFIXES: [&str; 3] = ["违规", "违法", "非法"];
const GENERIC_SUFFIXES: [&str; 5] = ["扰民", "问题", "投诉", "现象", "行为"];

/// Leaves that name no matter: the level above them does.
const NO_MATTER: [&str; 7] = [
    "其他",
    "其它",
    "其他问题",
    "其他类",
    "综合",
    "其他事项",
    "未分类",
];

/// Which matter a category is when two words of one length name two matters (养鸡扰民:
/// the poultry; 烧烤噪音: the barbecue): the more specific matter first, everyday noise,
/// whose words are the most general, last. Matters not listed come after these.
pub const PRECEDENCE: [&str; 19] = [
    "燃放烟花爆竹",
    "露天焚烧",
    "扬尘污染",
    "渣土撒漏",
    "施工噪声",
    "露天烧烤",
    "油烟污染",
    "饲养家禽",
    "废气异味",
    "违法建设",
    "楼道堆物",
    "乱张贴",
    "占道经营",
    "乱倒垃圾",
    "违规养犬",
    "车辆乱停放",
    "非法营运",
    "非法揽客",
    "噪声扰民",
];

#[derive(Debug, Clone, Default)]
pub struct Categories {
    /// Exact spellings (aliases and canonical names) → canonical.
    exact: HashMap<String, String>,
    /// Words, longest first (then by precedence), with their canonical matter.
    words: Vec<(String, String)>,
    /// Spellings whose matter the data itself tells (`learn`), folded → canonical.
    learned: HashMap<String, String>,
    /// The canonical matters.
    matters: std::collections::HashSet<String>,
}

/// Links (关联工单) between the orders of two category spellings, as the data holds them:
/// (one order's category, the linked order's, how many such links).
pub type CategoryLinks = [(String, String, i64)];

fn precedence(matter: &str) -> usize {
    PRECEDENCE
        .iter()
        .position(|m| *m == matter)
        .unwrap_or(PRECEDENCE.len())
}

impl Categories {
    pub fn new(
        aliases: &BTreeMap<String, Vec<String>>,
        words: &BTreeMap<String, Vec<String>>,
    ) -> Categories {
        let mut exact = HashMap::new();
        for (canonical, list) in words {
            exact.insert(fold(canonical), canonical.clone());
            for w in list {
                exact.insert(fold(w), canonical.clone());
            }
        }
        // The alias map is the squad's own: it wins over the built-in words.
        for (canonical, list) in aliases {
            exact.insert(fold(canonical), canonical.clone());
            for a in list {
                exact.insert(fold(a), canonical.clone());
            }
        }
        let mut all: Vec<(String, String)> = words
            .iter()
            .flat_map(|(c, list)| list.iter().map(move |w| (fold(w), c.clone())))
            .filter(|(w, _)| !w.is_empty())
            .collect();
        all.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(precedence(&a.1).cmp(&precedence(&b.1)))
                .then(a.0.cmp(&b.0))
        });
        Categories {
            matters: exact.values().cloned().collect(),
            exact,
            words: all,
            learned: HashMap::new(),
        }
    }

    /// Learns what the data says of its own category spellings: two orders linked by
    /// 关联工单 are one subject, so one matter, and a spelling whose links mostly lead to
    /// another matter than its words say is that matter (养殖污染, linked to 饲养家禽 orders,
    /// is 饲养家禽). A spelling that names no known matter follows one link; one that names a
    /// known matter follows at least two, and only when they outnumber its links within its
    /// own matter. A matter's name, the alias map's and the default words' own spellings are
    /// never relearned. Returns what was learned (spelling, matter), sorted.
    pub fn learn(&mut self, links: &CategoryLinks) -> Vec<(String, String)> {
        self.learned.clear();
        // Per spelling: links within its matter, and to each other known matter.
        let mut same: HashMap<&str, i64> = HashMap::new();
        let mut other: HashMap<&str, BTreeMap<String, i64>> = HashMap::new();
        for (a, b, n) in links {
            if fold(a) == fold(b) {
                // A spelling linked to itself says nothing of it.
                continue;
            }
            let (ca, cb) = (self.canonical(a), self.canonical(b));
            if ca == cb {
                *same.entry(a).or_default() += n;
                *same.entry(b).or_default() += n;
                continue;
            }
            if self.knows(&cb) {
                *other.entry(a).or_default().entry(cb.clone()).or_default() += n;
            }
            if self.knows(&ca) {
                *other.entry(b).or_default().entry(ca).or_default() += n;
            }
        }
        let mut out = Vec::new();
        for (spelling, votes) in other {
            // A matter's own name, an alias or a word of the map is what it says.
            if self.exact.contains_key(&fold(spelling)) {
                continue;
            }
            // The matter most links lead to; a tie teaches nothing.
            let mut ranked: Vec<(&String, &i64)> = votes.iter().collect();
            ranked.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
            let (matter, n) = (ranked[0].0.clone(), *ranked[0].1);
            if ranked.get(1).is_some_and(|second| *second.1 == n) {
                continue;
            }
            let within = same.get(spelling).copied().unwrap_or(0);
            let known = self.knows(&self.canonical(spelling));
            if n > within && (n >= 2 || !known) {
                out.push((spelling.to_string(), matter));
            }
        }
        out.sort();
        for (spelling, matter) in &out {
            self.learned.insert(fold(spelling), matter.clone());
        }
        out
    }

    /// Whether a matter is one of the canonical ones.
    pub fn knows(&self, matter: &str) -> bool {
        self.matters.contains(matter)
    }

    /// The matter a spelling is, as configured or learned from the data.
    fn spelled(&self, spelling: &str) -> Option<&String> {
        let folded = fold(spelling);
        self.exact
            .get(&folded)
            .or_else(|| self.learned.get(&folded))
    }

    /// The canonical matter of a category as exported (a category naming no known matter
    /// is its deepest level that says something, as written).
    pub fn canonical(&self, raw: &str) -> String {
        if let Some(c) = self.spelled(raw) {
            return c.clone();
        }
        let written: String = {
            use unicode_normalization::UnicodeNormalization;
            raw.trim().nfkc().collect()
        };
        let levels: Vec<&str> = written
            .split(|c: char| PATH_SEPARATORS.contains(&c) || c.is_whitespace())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        // From the leaf up, the first level that names a matter.
        let named = levels.iter().rev().filter(|l| !NO_MATTER.contains(l));
        for level in named.clone() {
            let folded = fold(level);
            if let Some(c) = self.exact.get(&folded) {
                return c.clone();
            }
            if let Some((_, c)) = self.words.iter().find(|(w, _)| folded.contains(w.as_str())) {
                return c.clone();
            }
        }
        let leaf = named
            .map(|l| l.to_string())
            .next()
            .or_else(|| levels.last().map(|l| l.to_string()))
            .unwrap_or_else(|| raw.trim().to_string());
        // A matter the words do not know, said with a word that adds nothing to it
        // (群租扰民, 违规群租 = 群租): the matter without it.
        let mut bare = leaf.as_str();
        for prefix in GENERIC_PREFIXES {
            bare = bare.strip_prefix(prefix).unwrap_or(bare);
        }
        for suffix in GENERIC_SUFFIXES {
            bare = bare.strip_suffix(suffix).unwrap_or(bare);
        }
        if bare.chars().count() >= 2 && bare != leaf {
            if let Some(c) = self.spelled(bare) {
                return c.clone();
            }
            return bare.to_string();
        }
        leaf
    }
}

/// A category or word as compared: NFKC (full-width letters and separators), ASCII
/// lower-case (KTV噪音 = ktv噪音), trimmed.
fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.trim().nfkc().collect::<String>().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{default_category_aliases, default_category_words};

    fn c() -> Categories {
        Categories::new(&default_category_aliases(), &default_category_words())
    }

    fn links(list: &[(&str, &str, i64)]) -> Vec<(String, String, i64)> {
        list.iter()
            .map(|(a, b, n)| (a.to_string(), b.to_string(), *n))
            .collect()
    }

    #[test]
    fn what_linked_orders_say_of_their_categories_is_learned() {
        let mut c = c();
        assert_eq!(c.canonical("禽畜粪污"), "禽畜粪污");
        // A spelling naming no known matter follows its links.
        let learned = c.learn(&links(&[
            ("禽畜粪污", "城管 > 饲养家禽 > 其他", 1),
            ("禽畜粪污", "禽畜粪污", 3),
        ]));
        assert_eq!(learned, [("禽畜粪污".to_string(), "饲养家禽".to_string())]);
        assert_eq!(c.canonical("禽畜粪污"), "饲养家禽");
        // One known matter to another: two links, more than within its own matter.
        let mut c = super::tests::c();
        assert!(c.learn(&links(&[("圈舍异味", "饲养家禽", 1)])).is_empty());
        assert_eq!(c.canonical("圈舍异味"), "废气异味");
        let learned = c.learn(&links(&[
            ("圈舍异味", "饲养家禽", 2),
            ("圈舍异味", "异味", 1),
        ]));
        assert_eq!(learned, [("圈舍异味".to_string(), "饲养家禽".to_string())]);
        // A tie teaches nothing; the squad's alias map is never overruled.
        let mut c = super::tests::c();
        assert!(c
            .learn(&links(&[
                ("禽畜粪污", "饲养家禽", 1),
                ("禽畜粪污", "异味", 1)
            ]))
            .is_empty());
        let mut aliases = default_category_aliases();
        aliases
            .entry("噪声扰民".into())
            .or_default()
            .push("夜间吵闹".into());
        let mut c = Categories::new(&aliases, &default_category_words());
        assert!(c.learn(&links(&[("夜间吵闹", "占道经营", 5)])).is_empty());
        assert_eq!(c.canonical("夜间吵闹"), "噪声扰民");
    }

    #[test]
    fn a_matter_however_named() {
        let c = c();
        for (raw, matter) in [
            ("噪声扰民", "噪声扰民"),
            ("噪音扰民", "噪声扰民"),
            ("城市管理-噪声扰民", "噪声扰民"),
            ("城管执法>噪声扰民", "噪声扰民"),
            ("城管执法 > 噪声扰民 > 其他", "噪声扰民"),
            ("城管 / 噪声 / 其他", "噪声扰民"),
            ("城管 噪声 其他", "噪声扰民"),
            ("KTV噪音", "噪声扰民"),
            ("夜间噪音", "噪声扰民"),
            ("装修噪音", "噪声扰民"),
            ("施工噪音", "施工噪声"),
            ("工地噪音", "施工噪声"),
            ("住房城乡建设 > 施工管理 > 夜间施工扰民", "施工噪声"),
            ("出店经营", "占道经营"),
            ("城管 > 市容 > 占道经营", "占道经营"),
            ("乱摆摊", "占道经营"),
            ("占道烧烤", "露天烧烤"),
            ("烧烤油烟", "露天烧烤"),
            ("城管 > 烧烤 > 其他", "露天烧烤"),
            ("夜宵摊油烟", "油烟污染"),
            ("私搭乱建", "违法建设"),
            ("城管>违建>其他", "违法建设"),
            ("交通运输-道路遗撒-其他", "渣土撒漏"),
            ("城管 > 饲养家禽 > 其他", "饲养家禽"),
            ("养鸡扰民", "饲养家禽"),
            ("装修扰民", "噪声扰民"),
            ("工厂噪音", "噪声扰民"),
            ("环境保护>噪声污染>工业噪声", "噪声扰民"),
            ("乱摆", "占道经营"),
            ("乱堆放", "楼道堆物"),
            ("乱涂乱画", "乱张贴"),
            ("放鞭炮", "燃放烟花爆竹"),
            ("鞭炮扰民", "燃放烟花爆竹"),
            ("公共安全>燃放烟花爆竹", "燃放烟花爆竹"),
            ("城市管理-燃放烟花爆竹-其他", "燃放烟花爆竹"),
            ("工地扬尘", "扬尘污染"),
            ("施工扬尘", "扬尘污染"),
            ("生态环境>大气污染>扬尘污染", "扬尘污染"),
            ("户外广告", "户外广告"),
            ("共享单车乱停放", "车辆乱停放"),
            ("狗叫扰民", "违规养犬"),
            ("三轮车乱停", "车辆乱停放"),
            ("城市管理>停车秩序", "车辆乱停放"),
            ("占道停车", "车辆乱停放"),
            ("楼顶加盖", "违法建设"),
            ("摩的拉客", "非法营运"),
            ("三轮车拉客", "非法营运"),
            ("电动车载客", "非法营运"),
            ("城市管理/电动三轮车/非法载客", "非法营运"),
            ("强拉游客", "非法揽客"),
            ("拉客兜售", "非法揽客"),
            ("文化旅游/旅游市场秩序/黑导游", "非法揽客"),
            ("出店揽客", "占道经营"),
            ("海鲜宰客", "欺客宰客"),
            ("游客被宰", "欺客宰客"),
            ("强制消费", "欺客宰客"),
            ("旅游大巴占道", "车辆乱停放"),
            ("夜间喧哗", "噪声扰民"),
            ("文明养犬", "违规养犬"),
        ] {
            assert_eq!(c.canonical(raw), matter, "{raw}");
        }
        assert_eq!(c.canonical("市容环境-其他"), "市容环境");
        assert_eq!(c.canonical("无照经营"), "无照经营");
        assert_ne!(c.canonical("占道经营"), c.canonical("噪声扰民"));
    }

    #[test]
    fn a_matter_the_words_do_not_know_is_one_however_qualified() {
        let c = c();
        assert_eq!(c.canonical("群租扰民"), "群租");
        assert_eq!(c.canonical("住建/房屋租赁/违规群租"), "群租");
        assert_eq!(c.canonical("群租"), "群租");
        // A known matter stays itself.
        assert_eq!(c.canonical("非法营运"), "非法营运");
    }
}
