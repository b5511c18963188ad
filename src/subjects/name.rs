//! A place's name split into what names it and what kind of place it is: 碧桂园于都府项目工地
//! → (碧桂园于都府, 工地), 老表夜宵烧烤 → (老表, 餐饮), 大家唱量贩KTV → (大家唱, 娱乐),
//! 东门农贸市场 → (东门, 市场). Kind words are taken off the end and out of the middle
//! (炭火佬烧烤清晖店 → 炭火佬清晖), as long as two characters of name are left; kinds
//! that call-takers swap for one another are one class (菜场 / 农贸市场 / 街市, KTV / 歌厅 /
//! 酒吧). Pure.

/// Kind words, longest first within a class's neighbours, and their class.
const KINDS: &[(&str, &str)] = &[
    ("项目工地", "工地"),
    // An old village's or district's renewal (杨美旧改, 木棉湾城市更新单元): its site.
    ("城市更新单元", "工地"),
    ("城市更新项目", "工地"),
    ("城市更新", "工地"),
    ("旧改工地", "工地"),
    ("旧改项目", "工地"),
    ("旧改", "工地"),
    // A shanty town's renewal (焦家湾棚改, 棚户区改造项目): its site.
    ("棚户区改造项目", "工地"),
    ("棚户区改造", "工地"),
    ("城中村改造", "工地"),
    ("棚改项目", "工地"),
    ("棚改", "工地"),
    ("施工工地", "工地"),
    ("在建工地", "工地"),
    ("建筑工地", "工地"),
    ("施工现场", "工地"),
    // Works of the countryside, by whatever word their trade goes (正大商砼站 = 正大搅拌站 =
    // 正大商品混凝土公司; 鑫鑫砖厂 = 鑫鑫轮窑厂; 大山碎石厂 = 大山石料厂).
    ("商品混凝土公司", "砼"),
    ("商品混凝土", "砼"),
    ("混凝土搅拌站", "砼"),
    ("混凝土公司", "砼"),
    ("商砼公司", "砼"),
    ("商砼站", "砼"),
    ("搅拌站", "砼"),
    ("搅拌场", "砼"),
    ("商砼", "砼"),
    ("砖瓦厂", "砖"),
    ("轮窑厂", "砖"),
    ("砖窑厂", "砖"),
    ("砖厂", "砖"),
    ("砖窑", "砖"),
    ("窑厂", "砖"),
    ("碎石厂", "石场"),
    ("石料厂", "石场"),
    ("石子厂", "石场"),
    ("采石场", "石场"),
    ("石料场", "石场"),
    ("采砂场", "砂场"),
    ("砂石场", "砂场"),
    ("沙石场", "砂场"),
    ("砂场", "砂场"),
    ("沙场", "砂场"),
    // A mall by any word (海信广场购物中心 = 海信广场).
    ("购物中心", "商场"),
    ("购物广场", "商场"),
    ("百货大楼", "商场"),
    ("商场", "商场"),
    ("串吧", "餐饮"),
    // A footbridge by any word (树兜天桥 = 树兜过街天桥).
    ("过街天桥", "天桥"),
    ("人行天桥", "天桥"),
    ("天桥", "天桥"),
    // A beer house, by the beer it pours (乐和扎啤 = 乐和啤酒屋 = 乐和精酿扎啤馆).
    ("精酿扎啤馆", "餐饮"),
    ("扎啤馆", "餐饮"),
    ("扎啤屋", "餐饮"),
    ("啤酒屋", "餐饮"),
    ("啤酒馆", "餐饮"),
    ("扎啤", "餐饮"),
    ("精酿", "餐饮"),
    ("冒菜馆", "餐饮"),
    ("冒菜", "餐饮"),
    ("麻辣烫", "餐饮"),
    ("烤肉店", "餐饮"),
    ("烤肉", "餐饮"),
    ("烤鱼", "餐饮"),
    ("米线", "餐饮"),
    ("螺蛳粉", "餐饮"),
    ("小龙虾", "餐饮"),
    ("早餐店", "餐饮"),
    ("奶茶店", "餐饮"),
    ("茶楼", "餐饮"),
    // A teahouse by any word (兴旺茶铺 = 兴旺茶馆 = 兴旺茶楼).
    ("茶馆", "餐饮"),
    ("茶铺", "餐饮"),
    ("茶坊", "餐饮"),
    ("棋牌室", "娱乐"),
    ("棋牌", "娱乐"),
    // A bathhouse by any word (福泉浴池 = 福泉洗浴 = 福泉澡堂).
    ("洗浴中心", "洗浴"),
    ("浴池", "洗浴"),
    ("洗浴", "洗浴"),
    ("澡堂子", "洗浴"),
    ("澡堂", "洗浴"),
    ("浴室", "洗浴"),
    ("饭庄", "餐饮"),
    ("小吃部", "餐饮"),
    ("早点铺", "餐饮"),
    ("早点摊", "餐饮"),
    ("麻将馆", "娱乐"),
    ("麻将", "娱乐"),
    ("洗车店", "店"),
    ("洗车场", "店"),
    ("项目部", "工地"),
    ("工地", "工地"),
    ("项目", "工地"),
    ("工程", "工地"),
    ("集贸市场", "市场"),
    ("批发市场", "市场"),
    ("批发城", "市场"),
    ("美食夜市", "夜市"),
    ("夜市", "夜市"),
    ("夜宵街", "夜市"),
    ("美食城", "夜市"),
    ("小吃城", "夜市"),
    ("美食街", "夜市"),
    ("小吃街", "夜市"),
    ("肉菜市场", "市场"),
    ("农贸市场", "市场"),
    // A market by its hall or its trade (艳粉农贸大厅 = 艳粉农贸市场 = 艳粉农贸城).
    ("农贸大厅", "市场"),
    ("农贸中心", "市场"),
    ("农贸城", "市场"),
    ("菜市", "市场"),
    ("综合市场", "市场"),
    ("菜市场", "市场"),
    ("市场", "市场"),
    ("菜场", "市场"),
    ("街市", "市场"),
    ("集市", "市场"),
    // The north's morning market (吴家窑早市 = 吴家窑菜市场).
    ("早市", "市场"),
    // The north's market day (诸福屯大集, 诸福屯集).
    ("大集", "市场"),
    // The north-west's market (大巴扎, 巴扎).
    ("大巴扎", "市场"),
    ("巴扎", "市场"),
    // A market day's ground (赶集点, the south-west's 街子 and 街天).
    ("赶集点", "市场"),
    ("集贸点", "市场"),
    ("街子", "市场"),
    ("圩场", "市场"),
    // The market hall and the market day's ground (圩亭, 圩日).
    ("圩亭", "市场"),
    ("圩日", "市场"),
    ("圩", "市场"),
    ("墟", "市场"),
    ("小区", "住宅"),
    ("公寓楼", "住宅"),
    ("公寓", "住宅"),
    ("住宅楼", "住宅"),
    ("宿舍楼", "住宅"),
    ("宿舍", "住宅"),
    ("幼儿园", "幼儿园"),
    ("小学", "小学"),
    ("中学", "中学"),
    ("大学", "大学"),
    ("学校", "学校"),
    ("烧烤店", "餐饮"),
    ("烧烤摊", "餐饮"),
    ("烧烤档", "餐饮"),
    // 大排挡 and 大牌档 as a call-taker or a speech-to-text draft types 大排档.
    ("大排挡", "餐饮"),
    ("大牌档", "餐饮"),
    ("烧烤", "餐饮"),
    ("大排档", "餐饮"),
    ("排档", "餐饮"),
    ("夜宵摊", "餐饮"),
    ("夜宵", "餐饮"),
    ("宵夜", "餐饮"),
    ("土菜馆", "餐饮"),
    ("菜馆", "餐饮"),
    ("餐馆", "餐饮"),
    ("饭馆", "餐饮"),
    ("饭店", "餐饮"),
    ("酒家", "餐饮"),
    ("酒楼", "餐饮"),
    ("餐厅", "餐饮"),
    ("食府", "餐饮"),
    ("串串", "餐饮"),
    ("烤串", "餐饮"),
    ("小吃店", "餐饮"),
    ("小吃", "餐饮"),
    ("快餐店", "餐饮"),
    ("快餐", "餐饮"),
    ("火锅店", "餐饮"),
    ("火锅", "餐饮"),
    ("面馆", "餐饮"),
    ("粉店", "餐饮"),
    ("量贩式ktv", "娱乐"),
    ("量贩ktv", "娱乐"),
    ("ktv", "娱乐"),
    ("k歌城", "娱乐"),
    ("k歌", "娱乐"),
    ("歌城", "娱乐"),
    ("歌厅", "娱乐"),
    ("练歌房", "娱乐"),
    ("歌舞厅", "娱乐"),
    ("舞厅", "娱乐"),
    ("音乐酒吧", "娱乐"),
    ("音乐酒馆", "娱乐"),
    ("livehouse", "娱乐"),
    ("酒吧", "娱乐"),
    ("清吧", "娱乐"),
    ("小酒馆", "娱乐"),
    ("酒馆", "娱乐"),
    ("慢摇吧", "娱乐"),
    ("夜店", "娱乐"),
    // Where travellers sleep, by whatever word the sign or the caller uses.
    ("精品酒店", "住宿"),
    ("酒店", "住宿"),
    ("宾馆", "住宿"),
    ("旅馆", "住宿"),
    ("旅社", "住宿"),
    ("招待所", "住宿"),
    ("青年旅舍", "住宿"),
    ("青旅", "住宿"),
    ("客栈", "住宿"),
    ("民宿", "住宿"),
    ("bar", "娱乐"),
    ("livehouse", "娱乐"),
    ("网吧", "网吧"),
    ("便利店", "店"),
    ("超市", "店"),
    ("商店", "店"),
    ("门店", "店"),
    ("店面", "店"),
    ("门面", "店"),
    ("分店", "店"),
    ("商行", "店"),
    ("店", "店"),
    ("加工厂", "厂"),
    ("工厂", "厂"),
    ("作坊", "厂"),
    ("喷漆房", "厂"),
    ("厂房", "厂"),
    ("娱乐会所", "娱乐"),
    ("车间", "厂"),
    ("厂", "厂"),
    ("公司", "公司"),
    // Trades: what a business makes or does, written after its name or instead of its kind
    // (宏达木业 = 宏达板材厂 = 宏达木材厂; 恒美服饰 = 恒美演出服加工厂).
    ("木制品", "业"),
    ("木材", "业"),
    ("木业", "业"),
    ("板材", "业"),
    ("板业", "业"),
    ("旋切", "业"),
    ("彩钢", "业"),
    ("钢构", "业"),
    ("建材", "业"),
    ("石材", "业"),
    ("演出服", "业"),
    ("服饰", "业"),
    ("服装", "业"),
    ("制衣", "业"),
    ("鞋业", "业"),
    ("家纺", "业"),
    ("纺织", "业"),
    ("印染", "业"),
    ("塑业", "业"),
    ("塑料", "业"),
    ("化工", "业"),
    ("五金", "业"),
    ("机械", "业"),
    ("汽修", "业"),
    ("汽配", "业"),
    ("修车", "业"),
    ("物流", "业"),
    ("快递", "业"),
    ("商贸", "业"),
    ("实业", "业"),
    ("制品", "业"),
    ("加工点", "厂"),
    ("加工坊", "厂"),
    ("养殖场", "养殖"),
    ("养鸡场", "养殖"),
    ("养猪场", "养殖"),
    ("养牛场", "养殖"),
    ("养羊场", "养殖"),
    ("养殖户", "养殖"),
    ("养猪户", "养殖"),
    ("合作社", "养殖"),
    ("鸡场", "养殖"),
    ("猪场", "养殖"),
    ("牛场", "养殖"),
    ("羊场", "养殖"),
    ("鸡棚", "养殖"),
    ("牛棚", "养殖"),
    ("羊圈", "养殖"),
    ("猪圈", "养殖"),
    ("鸡舍", "养殖"),
    ("猪舍", "养殖"),
    ("卫生院", "医院"),
    ("医院", "医院"),
    ("诊所", "医院"),
    ("停车场", "停车场"),
    ("海水浴场", "海滩"),
    ("沙滩", "海滩"),
    ("海滩", "海滩"),
    ("海边", "海滩"),
    ("风景区", "景区"),
    ("旅游区", "景区"),
    ("景区", "景区"),
    ("商业广场", "广场"),
    ("广场", "广场"),
    ("公园", "公园"),
    ("路段", "路段"),
    ("沿线", "路段"),
    ("段", "路段"),
    ("烤吧", "餐饮"),
    ("音乐餐吧", "娱乐"),
    // A restaurant-bar is a bar as often as a restaurant (浪花里音乐餐吧 = 浪花里清吧).
    ("餐吧", "娱乐"),
    ("烧鹅", "餐饮"),
    ("烧腊", "餐饮"),
    ("烧味", "餐饮"),
    ("家具城", "店"),
    ("家具", "店"),
    ("家私", "店"),
];

/// The suffixes of a road that a place, a number or another road may be named by (萧林路夜市,
/// 七号街, 沈辽西路卫工街); not a lane's (巷) or a highway's (国道).
pub(crate) const STREET_SUFFIXES: [&str; 4] = ["大道", "大街", "路", "街"];

/// Kinds' words written by their sound in drafts, and the words.
const HEARD_KINDS: [(&str, &str); 5] = [
    ("市厂", "市场"),
    ("广厂", "广场"),
    ("商厂", "商场"),
    ("公圆", "公园"),
    ("花圆", "花园"),
];

/// Classes a call-taker uses for one another (a shop is a 店 and a 餐饮 place alike; a 学校
/// is any school).
fn compatible(a: &str, b: &str) -> bool {
    a == b
        || matches!(
            (a, b),
            ("业", "厂" | "店" | "公司")
                | ("厂" | "店" | "公司", "业")
                | ("店", "餐饮")
                | ("餐饮", "店")
                | ("店", "娱乐")
                | ("娱乐", "店")
                | ("住宿", "餐饮" | "店")
                | ("餐饮" | "店", "住宿")
                | ("学校", "小学" | "中学" | "大学" | "幼儿园")
                // A mall is called a square as often (海信广场 / 海信广场购物中心), and a
                // wholesale mall a market (大正商场 / 大正批发城).
                | ("商场", "广场" | "市场")
                | ("广场" | "市场", "商场")
                // A night market on a square is named after it (长乐门夜市 / 长乐门广场).
                | ("夜市", "广场")
                | ("广场", "夜市")
                | ("景区", "海滩" | "公园")
                | ("海滩" | "公园", "景区")
                | ("小学" | "中学" | "大学" | "幼儿园", "学校")
        )
}

/// Whether a text is only a kind of place's word (综合市场, 工地): it says what kind of
/// place, not which one.
pub fn is_kind(text: &str) -> bool {
    index().words.contains(text)
}

/// The kind words indexed for lookups in every address parsed: all of them, and by their
/// last character (in the list's order).
struct Index {
    words: std::collections::HashSet<&'static str>,
    /// Each word's characters, in the list's order.
    chars: Vec<Vec<char>>,
    by_last: std::collections::HashMap<char, Vec<usize>>,
    by_first: std::collections::HashMap<char, Vec<usize>>,
}

fn index() -> &'static Index {
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut i = Index {
            words: KINDS.iter().map(|(w, _)| *w).collect(),
            chars: KINDS.iter().map(|(w, _)| w.chars().collect()).collect(),
            by_last: Default::default(),
            by_first: Default::default(),
        };
        for (n, (word, _)) in KINDS.iter().enumerate() {
            if let (Some(first), Some(last)) = (word.chars().next(), word.chars().last()) {
                i.by_first.entry(first).or_default().push(n);
                i.by_last.entry(last).or_default().push(n);
            }
        }
        i
    })
}

/// Whether a text starts with a kind of place's word.
pub fn starts_with_kind(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    // Or its word written by sound (温泉公圆: the park, not 温泉街道's 公圆).
    HEARD_KINDS.iter().any(|(heard, _)| text.starts_with(heard))
        || index()
            .by_first
            .get(&first)
            .is_some_and(|ws| ws.iter().any(|&n| text.starts_with(KINDS[n].0)))
}

/// The length of the longest kind of place's word `text` starts with.
pub fn kind_at(text: &[char]) -> Option<usize> {
    let index = index();
    let ws = index.by_first.get(text.first()?)?;
    ws.iter()
        .map(|&n| &index.chars[n])
        .filter(|w| text.starts_with(w))
        .map(Vec::len)
        .max()
}

/// Whether a text ends with a kind of place's word: the length of the longest such word.
pub fn kind_ending(text: &[char]) -> Option<usize> {
    let index = index();
    let ws = index.by_last.get(text.last()?)?;
    ws.iter()
        .map(|&n| &index.chars[n])
        .filter(|w| text.ends_with(w))
        .map(Vec::len)
        .max()
}

/// Words that end a developer's or a builder's name (置业, 地产, 建设, 建工, 华兴建筑,
/// 中建3局's 局).
const BUILDER_ENDINGS: [&str; 10] = [
    "房地产",
    "地产",
    "置业",
    "房产",
    "建设",
    "建工",
    "建筑",
    "集团",
    "控股",
    "局",
];

/// National developers whose brand starts many developments' names and is often left out.
const DEVELOPERS: [&str; 22] = [
    "万科",
    "恒大",
    "保利",
    "华润",
    "中海",
    "龙湖",
    "融创",
    "绿地",
    "金地",
    "招商",
    "佳兆业",
    "世茂",
    "旭辉",
    "雅居乐",
    "富力",
    "远洋",
    "金科",
    "阳光城",
    "中梁",
    "蓝光",
    "荣盛",
    "首开",
];

/// A site's name without the developer or builder written before it, when two characters of
/// a name of its own are left after a builder's name of two to six characters.
fn without_builder(core: &str) -> Option<&str> {
    for ending in BUILDER_ENDINGS {
        let Some(at) = core.find(ending) else {
            continue;
        };
        // 局 only after a number (中建3局, 中铁十二局 with its numerals as digits).
        if ending == "局" && !core[..at].ends_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let before = core[..at].chars().count();
        let builder = before + ending.chars().count();
        let rest = &core[at + ending.len()..];
        if before >= 1 && (2..=6).contains(&builder) && rest.chars().count() >= 2 {
            return Some(rest);
        }
    }
    None
}

/// A place's name, split.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceName {
    /// What names the place, kind words taken out (碧桂园于都府).
    pub core: String,
    /// The classes of the kind words taken out (工地; 广场 and 公园 for 顺峰山公园广场).
    pub kinds: Vec<&'static str>,
}

impl PlaceName {
    /// Splits a place's name (numerals already as digits).
    pub fn of(name: &str) -> PlaceName {
        // A kind's word as a speech-to-text draft writes it, by its sound (马路市厂, 五一广厂,
        // 温泉公圆): the word.
        let mut core = name.to_string();
        for (heard, word) in HEARD_KINDS {
            if let Some(rest) = core.strip_suffix(heard) {
                core = format!("{rest}{word}");
                break;
            }
        }
        let mut kinds: Vec<&'static str> = Vec::new();
        let index = index();
        // Off the end, repeatedly (老表夜宵烧烤 → 老表).
        'end: while let Some(last) = core.chars().last() {
            for &n in index.by_last.get(&last).map(Vec::as_slice).unwrap_or(&[]) {
                let (word, class) = KINDS[n];
                if let Some(rest) = core.strip_suffix(word) {
                    if rest.chars().count() >= 2 {
                        kinds.push(class);
                        core = rest.to_string();
                        continue 'end;
                    }
                }
            }
            break;
        }
        // Out of the middle (炭火佬烧烤清晖 → 炭火佬清晖), not the shop words that end a
        // name's own word (商店街).
        for (word, class) in KINDS {
            if word.chars().count() < 2 || *class == "店" {
                continue;
            }
            let first = word.chars().next().unwrap_or_default();
            if !core.contains(first) {
                continue;
            }
            if let Some(at) = core.find(word) {
                let without = format!("{}{}", &core[..at], &core[at + word.len()..]);
                if at > 0 && without.chars().count() >= 2 {
                    kinds.push(class);
                    core = without;
                }
            }
        }
        // A place named by its road (萧林中路夜市, 萧林路小吃街 = 萧林夜市): the road's name
        // is the place's.
        if !kinds.is_empty() {
            for suffix in STREET_SUFFIXES {
                if let Some(rest) = core.strip_suffix(suffix) {
                    let mut rest = rest.to_string();
                    if rest.chars().count() >= 3 && rest.ends_with(['东', '西', '南', '北', '中'])
                    {
                        rest.pop();
                    }
                    if rest.chars().count() >= 2 {
                        core = rest;
                    }
                    break;
                }
            }
        }
        // A market or night market by its village (曲阳桥村大集, 同乐村夜市): the village's
        // market, as 曲阳桥大集 and 同乐夜市 say.
        if kinds.iter().any(|k| ["市场", "夜市"].contains(k)) && core.chars().count() >= 3 {
            if let Some(village) = core.strip_suffix('村') {
                core = village.to_string();
            }
        }
        // A building site written with its developer's or contractor's name before its own
        // (鹿城置业观澜府项目, 中天建设山海云境项目 = 观澜府 / 山海云境 项目): the name after it.
        if kinds.contains(&"工地") {
            if let Some(rest) = without_builder(&core) {
                core = rest.to_string();
            }
        }
        // A national developer's brand before a development's own name (万科四季花城,
        // 华润杨美项目): the name is said without it as often as with it.
        for brand in DEVELOPERS {
            if let Some(rest) = core.strip_prefix(brand) {
                let enough = if kinds.contains(&"工地") { 2 } else { 3 };
                // 金地置业大厦 is the developer's own building.
                let own = BUILDER_ENDINGS
                    .iter()
                    .any(|e| rest.starts_with(e) || rest.ends_with(e));
                if rest.chars().count() >= enough && !own {
                    core = rest.to_string();
                }
                break;
            }
        }
        // 亚 for 阿 before a name (亚海大排档 = 阿海大排档), as the south writes it.
        if let Some(rest) = core.strip_prefix('亚').filter(|rest| !rest.is_empty()) {
            core = format!("阿{rest}");
        }
        PlaceName { core, kinds }
    }

    /// The class of its outermost kind word (烧烤 of 老表夜宵烧烤), if any.
    pub fn kind(&self) -> Option<&'static str> {
        self.kinds.first().copied()
    }

    /// Whether two kinds of place can be one place (either unknown, or some kind of one
    /// and some kind of the other used for one another).
    pub fn kinds_agree(&self, other: &PlaceName) -> bool {
        self.kinds.is_empty()
            || other.kinds.is_empty()
            || self
                .kinds
                .iter()
                .any(|a| other.kinds.iter().any(|b| compatible(a, b)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(name: &str) -> (String, Option<&'static str>) {
        let p = PlaceName::of(name);
        let kind = p.kind();
        (p.core, kind)
    }

    #[test]
    fn a_shanty_towns_renewal_is_its_site() {
        assert_eq!(
            split("焦家湾棚改项目工地"),
            ("焦家湾".to_string(), Some("工地"))
        );
        assert_eq!(split("焦家湾棚户区改造项目").0, "焦家湾");
    }

    #[test]
    fn a_kinds_word_written_by_its_sound_is_the_word() {
        let market = PlaceName::of("冶山路马路市场");
        assert_eq!(PlaceName::of("冶山路马路市厂"), market);
        assert_eq!(PlaceName::of("五一广厂").kinds, ["广场"]);
        assert_eq!(
            PlaceName::of("温泉公圆").core,
            PlaceName::of("温泉公园").core
        );
        assert_eq!(
            PlaceName::of("树兜过街天桥").core,
            PlaceName::of("树兜天桥").core
        );
        // A works named so stays a works (宏达木材厂).
        assert_eq!(PlaceName::of("宏达木材厂").kinds, ["厂", "业"]);
    }

    #[test]
    fn a_mall_by_any_word_is_its_square_or_its_market() {
        let mall = PlaceName::of("海信广场购物中心");
        assert_eq!(mall.core, "海信");
        assert!(mall.kinds_agree(&PlaceName::of("海信广场")));
        assert!(PlaceName::of("大正商场").kinds_agree(&PlaceName::of("大正批发城")));
        assert_eq!(
            PlaceName::of("老地方串吧").core,
            PlaceName::of("老地方烧烤").core
        );
    }

    #[test]
    fn a_beer_house_by_its_beer_and_a_night_market_by_its_square() {
        let cores: Vec<String> = ["乐和扎啤", "乐和啤酒屋", "乐和精酿扎啤馆"]
            .iter()
            .map(|n| PlaceName::of(n).core)
            .collect();
        assert_eq!(cores, ["乐和", "乐和", "乐和"]);
        assert!(PlaceName::of("长乐门夜市").kinds_agree(&PlaceName::of("长乐门广场")));
        assert!(!PlaceName::of("长乐门夜市").kinds_agree(&PlaceName::of("长乐门公园")));
    }

    #[test]
    fn works_of_the_countryside_by_any_word_of_their_trade() {
        for names in [
            &["正大商砼站", "正大搅拌站", "正大商品混凝土公司"][..],
            &["鑫鑫砖厂", "鑫鑫轮窑厂", "鑫鑫窑厂", "鑫鑫砖窑"],
            &["大山碎石厂", "大山石料厂"],
            &["史河砂场", "史河采砂场", "史河沙场"],
        ] {
            let first = PlaceName::of(names[0]);
            for name in &names[1..] {
                let other = PlaceName::of(name);
                assert_eq!(other.core, first.core, "{name}");
                assert!(other.kinds_agree(&first), "{name}");
            }
        }
        assert!(!PlaceName::of("鑫鑫砖厂").kinds_agree(&PlaceName::of("鑫鑫搅拌站")));
    }

    #[test]
    fn a_name_written_with_ya_for_a_is_one_name() {
        assert_eq!(split("亚海大排档").0, split("阿海大排档").0);
        assert_eq!(split("亚标烧烤档").0, "阿标");
        assert_eq!(split("阿海大牌档").0, split("亚海大排挡").0);
    }

    #[test]
    fn a_business_by_its_trade_is_one_place_whatever_trade_word() {
        let cores: Vec<String> = ["鑫盛木业", "鑫盛板材厂", "鑫盛木材厂", "鑫盛木制品厂"]
            .iter()
            .map(|n| PlaceName::of(n).core)
            .collect();
        assert!(cores.iter().all(|c| c == "鑫盛"), "{cores:?}");
        // A trade is a factory's, a shop's or a company's, not a school's.
        let trade = PlaceName::of("华彩服饰");
        assert!(trade.kinds_agree(&PlaceName::of("华彩服装加工厂")));
        assert!(trade.kinds_agree(&PlaceName::of("华彩店")));
        assert!(!trade.kinds_agree(&PlaceName::of("华彩小学")));
        // A farm by its animal or its word.
        assert_eq!(
            PlaceName::of("老周家养猪场").core,
            PlaceName::of("老周家猪圈").core
        );
    }

    #[test]
    fn a_site_written_with_its_builder_is_the_site() {
        for (name, core) in [
            ("鹿城置业观澜府项目", "观澜府"),
            ("华兴建筑玉湖湾2期项目部", "玉湖湾2期"),
            ("中天建设山海云境项目", "山海云境"),
            ("中建3局鹿岭项目部", "鹿岭"),
            ("碧桂园于都府项目工地", "碧桂园于都府"),
        ] {
            assert_eq!(split(name), (core.into(), Some("工地")), "{name}");
        }
        // Not a site: the word is the name's own.
        assert_eq!(split("建设小区").0, "建设");
        assert_eq!(split("金地置业大厦").0, "金地置业大厦");
    }

    #[test]
    fn a_beach_however_written() {
        for name in ["大东海沙滩", "大东海海滩", "大东海海边", "大东海海水浴场"]
        {
            assert_eq!(split(name), ("大东海".into(), Some("海滩")), "{name}");
        }
        assert!(PlaceName::of("大东海旅游区海滩").kinds_agree(&PlaceName::of("大东海沙滩")));
        assert!(!PlaceName::of("大东海广场").kinds_agree(&PlaceName::of("大东海沙滩")));
    }

    #[test]
    fn a_place_named_by_its_road_is_named_by_the_road() {
        for name in ["萧林中路夜市", "萧林路小吃街", "萧林夜市"] {
            assert_eq!(split(name), ("萧林".into(), Some("夜市")), "{name}");
        }
    }

    #[test]
    fn names_and_kinds_come_apart() {
        assert_eq!(
            split("碧桂园于都府项目工地"),
            ("碧桂园于都府".into(), Some("工地"))
        );
        assert_eq!(split("碧桂园于都府项目部").0, "碧桂园于都府");
        assert_eq!(split("老表夜宵烧烤"), ("老表".into(), Some("餐饮")));
        assert_eq!(split("大家唱量贩ktv"), ("大家唱".into(), Some("娱乐")));
        assert_eq!(split("东门农贸市场"), ("东门".into(), Some("市场")));
        assert_eq!(split("东门菜场").0, "东门");
        assert_eq!(split("炭火佬烧烤清晖分店").0, "炭火佬清晖");
        assert_eq!(split("宏达公寓楼"), ("宏达".into(), Some("住宅")));
        assert_eq!(split("菜市场"), ("菜市场".into(), None));
        assert!(!PlaceName::of("玉林中学").kinds_agree(&PlaceName::of("玉林小学")));
        assert!(PlaceName::of("星光ktv").kinds_agree(&PlaceName::of("星光歌厅")));
    }
}
