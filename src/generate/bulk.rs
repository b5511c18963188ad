//! Realistic random work orders for benchmarks: streets, roads, places, matters, callers
//! and closing times drawn the way a county's complaints spread. Deterministic per seed.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::Order;

pub(super) const STREETS: [&str; 6] = [
    "星沙街道",
    "湘龙街道",
    "泉塘街道",
    "榔梨街道",
    "松雅湖街道",
    "黄兴镇",
];
pub(super) const ROADS: [&str; 12] = [
    "开元东路",
    "人民中路",
    "板仓路",
    "东四路",
    "望仙路",
    "天华路",
    "盼盼路",
    "凉塘路",
    "东八线",
    "特立路",
    "星沙大道",
    "漓湘路",
];
pub(super) const PLACES: [&str; 10] = [
    "某某商场",
    "阳光小区",
    "金茂广场",
    "星城花园",
    "湘绣城",
    "通程广场",
    "松雅小区",
    "万家丽超市",
    "城市花园",
    "大塘小区",
];
pub(super) const CHANNELS: [&str; 4] = [
    "12345热线",
    "85252110县热线",
    "指挥调度中心",
    "网络问政平台",
];
pub(super) const UNITS: [&str; 5] = [
    "执法一中队",
    "执法二中队",
    "执法三中队",
    "执法四中队",
    "执法五中队",
];
pub(super) const SURNAMES: [&str; 12] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙",
];
pub(super) const GIVEN: [&str; 10] = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "勇", "军"];

/// (raw category as exported, complaint text)
pub(super) const MATTERS: [(&str, &str); 10] = [
    ("噪音扰民", "夜间施工噪音大,影响休息"),
    ("社会生活噪声", "广场舞音响声音过大"),
    ("占道摆摊", "流动摊贩占道经营,影响通行"),
    ("流动摊贩", "早餐摊占用人行道"),
    ("餐饮油烟", "餐馆油烟直排,熏到楼上住户"),
    ("违章建筑", "楼顶搭建彩钢棚"),
    ("渣土撒漏", "渣土车沿路撒漏"),
    ("楼道堆物", "楼道堆放杂物,堵塞消防通道"),
    ("占道经营", "店外占道经营"),
    ("油烟扰民", "烧烤油烟扰民"),
];

pub(super) fn phone(rng: &mut StdRng) -> String {
    let prefix = ["138", "139", "150", "151", "186", "187", "135", "177"][rng.random_range(0..8)];
    format!("{prefix}{:08}", rng.random_range(0..100_000_000u32))
}

pub(super) fn name(rng: &mut StdRng) -> String {
    format!(
        "{}{}",
        SURNAMES[rng.random_range(0..SURNAMES.len())],
        GIVEN[rng.random_range(0..GIVEN.len())]
    )
}

/// One place as the squad knows it: a door on a road in a town, often a named place.
#[derive(Debug, Clone, Copy)]
pub(super) struct Place<'a> {
    pub street: &'a str,
    pub road: &'a str,
    pub number: u32,
    pub name: Option<&'a str>,
}

impl Place<'_> {
    /// The way most call-takers write it.
    pub fn usual(&self) -> String {
        format!(
            "{}{}{}号{}",
            self.street,
            self.road,
            self.number,
            self.name.unwrap_or_default()
        )
    }
}

/// A number in Chinese numerals, as call-takers type them: 十八 / 一百零五, or digit by
/// digit (一八八).
pub(super) fn chinese_number(n: u32, digit_by_digit: bool) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digits: Vec<usize> = n.to_string().bytes().map(|b| (b - b'0') as usize).collect();
    if digit_by_digit {
        return digits.iter().map(|&d| DIGITS[d]).collect();
    }
    let (h, t, u) = (
        (n / 100) as usize,
        ((n / 10) % 10) as usize,
        (n % 10) as usize,
    );
    let mut out = String::new();
    if h > 0 {
        out.push(DIGITS[h]);
        out.push('百');
    }
    match (h > 0, t) {
        (false, 0) => {}
        (false, 1) => out.push('十'),
        (true, 0) if u > 0 => out.push('零'),
        (true, 0) => {}
        (_, t) => {
            out.push(DIGITS[t]);
            out.push('十');
        }
    }
    if u > 0 || n == 0 {
        out.push(DIGITS[u]);
    }
    out
}

/// How call-takers write one place: its usual form most of the time, and otherwise
/// without the town, in Chinese numerals, with the named place first or in brackets, or
/// without it; then the surface noise of typing (county prefix, full-width digits, spaces,
/// a position word). About two orders in five are not in the usual spelling once that
/// noise is normalized away.
pub(super) fn spelling(place: &Place<'_>, rng: &mut StdRng) -> String {
    let Place {
        street,
        road,
        number,
        name,
    } = *place;
    let name_text = name.unwrap_or_default();
    let written = match rng.random_range(0..100) {
        0..60 => place.usual(),
        60..70 => format!("{road}{number}号{name_text}"),
        70..80 => format!(
            "{street}{road}{}号{name_text}",
            chinese_number(number, rng.random_bool(0.4))
        ),
        80..90 if name.is_some() => {
            if rng.random_bool(0.5) {
                format!("{street}{name_text}({road}{number}号)")
            } else {
                format!("{name_text}{road}{number}号")
            }
        }
        90..100 if name.is_some() => format!("{street}{road}{number}号"),
        _ => place.usual(),
    };
    noise(&written, rng)
}

/// The surface noise of typing an address: a county prefix, full-width digits, a space
/// after the door number, a position word. All of it normalizes away.
pub(super) fn noise(base: &str, rng: &mut StdRng) -> String {
    let mut s = base.to_string();
    if rng.random_bool(0.3) {
        s = format!("长沙县{s}");
    }
    if rng.random_bool(0.15) {
        s = s
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
                _ => c,
            })
            .collect();
    }
    if rng.random_bool(0.2) {
        s = s.replacen("号", "号 ", 1);
    }
    if rng.random_bool(0.25) {
        s.push_str(["门口", "附近", "旁边", "楼下", "对面"][rng.random_range(0..5)]);
    }
    s
}

pub(super) fn closing(
    rng: &mut StdRng,
    received: NaiveDateTime,
    now: NaiveDateTime,
) -> (String, Option<NaiveDateTime>) {
    let closed = received + Duration::minutes(rng.random_range(60..6 * 24 * 60));
    if closed < now && rng.random_bool(0.9) {
        let status = ["已办结", "已回访", "已归档"][rng.random_range(0..3)];
        (status.to_string(), Some(closed))
    } else {
        let status = ["处理中", "待处理", "已派单"][rng.random_range(0..3)];
        (status.to_string(), None)
    }
}

/// `rows` orders received over `days` days from `start`, with realistic repeats: a few
/// places draw many complaints, most draw one or two.
pub fn bulk(rows: usize, seed: u64, start: NaiveDate, days: u32) -> Vec<Order> {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = start.and_hms_opt(0, 0, 0).expect("valid");
    let span = i64::from(days.max(1)) * 86_400;
    let now = start + Duration::seconds(span);
    // Subjects: a place and a matter. Popularity falls off like Zipf's law.
    let subjects = (rows / 3).max(10);
    let mut orders = Vec::with_capacity(rows);
    for i in 0..rows {
        let u: f64 = rng.random_range(0.0..1.0);
        let subject = ((subjects as f64).powf(u) as usize).min(subjects - 1);
        let mut srng = StdRng::seed_from_u64(seed ^ (subject as u64).wrapping_mul(0x9E37_79B9));
        let street = STREETS[srng.random_range(0..STREETS.len())];
        let place = Place {
            street,
            road: ROADS[srng.random_range(0..ROADS.len())],
            number: srng.random_range(1..400),
            name: Some(PLACES[srng.random_range(0..PLACES.len())]),
        };
        let (category, content) = MATTERS[srng.random_range(0..MATTERS.len())];
        let received = start + Duration::seconds(rng.random_range(0..span));
        let (status, closed_at) = closing(&mut rng, received, now);
        orders.push(Order {
            id: format!("GD{}{:07}", received.format("%Y%m%d"), i),
            received_at: Some(received),
            category: category.to_string(),
            address: spelling(&place, &mut rng),
            channel: CHANNELS[rng.random_range(0..CHANNELS.len())].to_string(),
            street: street.to_string(),
            community: format!("{}社区", &PLACES[srng.random_range(0..PLACES.len())][..6]),
            content: content.to_string(),
            caller_name: name(&mut rng),
            caller_phone: phone(&mut rng),
            handler_unit: UNITS[rng.random_range(0..UNITS.len())].to_string(),
            status,
            closed_at,
            related: String::new(),
            received_text: None,
        });
    }
    orders.sort_by_key(|a| a.received_at);
    orders
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::normalize::AddressNormalizer;
    use crate::subjects::numerals;

    #[test]
    fn chinese_numbers_read_back_as_their_value() {
        for n in [1, 5, 10, 11, 18, 20, 99, 100, 101, 105, 110, 188, 200, 399] {
            for digit_by_digit in [false, true] {
                let text = chinese_number(n, digit_by_digit);
                assert_eq!(numerals::value(&text), Some(n), "{n} written {text}");
            }
        }
    }

    #[test]
    fn two_orders_in_five_are_not_in_the_usual_spelling() {
        let config = Config::default();
        let normalizer =
            AddressNormalizer::new(&config.address.prefixes, &config.address.vague_suffixes);
        let place = Place {
            street: "星沙街道",
            road: "开元东路",
            number: 18,
            name: Some("某某商场"),
        };
        let usual = normalizer.normalize(&place.usual());
        let mut rng = StdRng::seed_from_u64(7);
        let n = 4000;
        let other = (0..n)
            .filter(|_| normalizer.normalize(&spelling(&place, &mut rng)) != usual)
            .count();
        let share = other as f64 / n as f64;
        assert!((0.34..0.5).contains(&share), "{share}");
    }
}
