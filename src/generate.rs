//! Generated exports shaped like the hotline platform's: the bundled sample inputs (a
//! designed scenario that shows every warning tier and status) and large realistic files
//! for benchmarks. Deterministic for a given seed.
//!
//! Three export "dialects" differ the way real platforms do: column names, encodings and
//! date forms.

use std::io::Write;
use std::path::Path;

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_xlsxwriter::{Format, Workbook};

/// One generated work order.
#[derive(Debug, Clone, Default)]
pub struct Order {
    pub id: String,
    pub received_at: Option<NaiveDateTime>,
    pub category: String,
    pub address: String,
    pub channel: String,
    pub street: String,
    pub community: String,
    pub content: String,
    pub caller_name: String,
    pub caller_phone: String,
    pub handler_unit: String,
    pub status: String,
    pub closed_at: Option<NaiveDateTime>,
    pub related: String,
    /// Text put in the received-at cell instead of the date (for bad rows).
    pub received_text: Option<String>,
}

/// An export platform's way of writing files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// .xlsx with a title row, a 序号 column and Excel date cells.
    Xlsx,
    /// GBK .csv with the county platform's column names and `2025/1/3 8:05` dates.
    CsvGbk,
    /// UTF-8 .csv with a byte order mark and `2025年1月3日 8时5分` dates.
    CsvUtf8Bom,
    /// UTF-8 .csv without BOM, `2025-01-03 08:05:00` dates.
    CsvUtf8,
}

impl Dialect {
    pub fn headers(self) -> [&'static str; 15] {
        match self {
            Dialect::Xlsx => [
                "序号",
                "工单编号",
                "受理时间",
                "诉求类型",
                "事发地址",
                "来源渠道",
                "所属街道",
                "所属社区",
                "诉求内容",
                "来电人",
                "联系电话",
                "承办单位",
                "办理状态",
                "办结时间",
                "关联工单",
            ],
            Dialect::CsvGbk => [
                "序号",
                "工单号",
                "来电时间",
                "事项类别",
                "诉求地址",
                "来源",
                "街道",
                "社区",
                "工单内容",
                "诉求人",
                "来电号码",
                "执法组",
                "工单状态",
                "办结时间",
                "原工单编号",
            ],
            Dialect::CsvUtf8Bom | Dialect::CsvUtf8 => [
                "序号",
                "编号",
                "登记时间",
                "问题分类",
                "地址",
                "渠道",
                "所属街道",
                "所属社区",
                "来电内容",
                "来电人",
                "联系电话",
                "责任单位",
                "办理状态",
                "办结时间",
                "重复工单号",
            ],
        }
    }

    fn date_text(self, t: NaiveDateTime) -> String {
        match self {
            Dialect::CsvGbk => format!(
                "{}/{}/{} {}:{:02}",
                t.format("%Y"),
                t.format("%-m"),
                t.format("%-d"),
                t.hour(),
                t.minute()
            ),
            Dialect::CsvUtf8Bom => format!(
                "{}年{}月{}日 {}时{}分",
                t.format("%Y"),
                t.format("%-m"),
                t.format("%-d"),
                t.hour(),
                t.minute()
            ),
            Dialect::Xlsx | Dialect::CsvUtf8 => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }
}

fn cells(order: &Order, serial: usize, dialect: Dialect) -> [String; 15] {
    let date = |t: Option<NaiveDateTime>| t.map(|t| dialect.date_text(t)).unwrap_or_default();
    [
        serial.to_string(),
        order.id.clone(),
        order
            .received_text
            .clone()
            .unwrap_or_else(|| date(order.received_at)),
        order.category.clone(),
        order.address.clone(),
        order.channel.clone(),
        order.street.clone(),
        order.community.clone(),
        order.content.clone(),
        order.caller_name.clone(),
        order.caller_phone.clone(),
        order.handler_unit.clone(),
        order.status.clone(),
        date(order.closed_at),
        order.related.clone(),
    ]
}

/// The Excel serial of a local time (1900 system).
pub fn excel_serial(t: NaiveDateTime) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .expect("valid")
        .and_hms_opt(0, 0, 0)
        .expect("valid");
    (t - epoch).num_seconds() as f64 / 86_400.0
}

/// Writes `orders` as an export in `dialect`; `title` goes above the header (xlsx) or as a
/// first line (csv) when given.
pub fn write(
    path: &Path,
    dialect: Dialect,
    title: Option<&str>,
    orders: &[Order],
) -> anyhow::Result<()> {
    match dialect {
        Dialect::Xlsx => write_xlsx(path, title, orders),
        _ => {
            let file = std::fs::File::create(path)?;
            let mut out = std::io::BufWriter::new(file);
            write_csv(&mut out, dialect, title, orders.iter())?;
            out.flush()?;
            Ok(())
        }
    }
}

/// Streams orders as CSV in `dialect` (GBK is encoded on the way).
pub fn write_csv<'o>(
    out: &mut dyn Write,
    dialect: Dialect,
    title: Option<&str>,
    orders: impl Iterator<Item = &'o Order>,
) -> anyhow::Result<()> {
    if dialect == Dialect::CsvUtf8Bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut put = |fields: &[String]| -> anyhow::Result<()> {
        let mut record = csv::Writer::from_writer(Vec::with_capacity(256));
        record.write_record(fields)?;
        let bytes = record.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        if dialect == Dialect::CsvGbk {
            let (encoded, _, _) = encoding_rs::GB18030.encode(std::str::from_utf8(&bytes)?);
            out.write_all(&encoded)?;
        } else {
            out.write_all(&bytes)?;
        }
        Ok(())
    };
    if let Some(title) = title {
        put(&[title.to_string()])?;
    }
    put(&dialect.headers().map(String::from))?;
    for (i, order) in orders.enumerate() {
        put(&cells(order, i + 1, dialect))?;
    }
    Ok(())
}

fn write_xlsx(path: &Path, title: Option<&str>, orders: &[Order]) -> anyhow::Result<()> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("工单")?;
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let bold = Format::new().set_bold();
    let headers = Dialect::Xlsx.headers();
    let mut row = 0u32;
    if let Some(title) = title {
        sheet.merge_range(0, 0, 0, (headers.len() - 1) as u16, title, &bold)?;
        row = 1;
    }
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, *h, &bold)?;
    }
    for (i, order) in orders.iter().enumerate() {
        row += 1;
        let values = cells(order, i + 1, Dialect::Xlsx);
        sheet.write_number(row, 0, (i + 1) as f64)?;
        for (c, value) in values.iter().enumerate().skip(1) {
            let c16 = c as u16;
            match c {
                2 if order.received_text.is_none() => {
                    if let Some(t) = order.received_at {
                        sheet.write_number_with_format(row, c16, excel_serial(t), &date)?;
                    }
                }
                13 => {
                    if let Some(t) = order.closed_at {
                        sheet.write_number_with_format(row, c16, excel_serial(t), &date)?;
                    }
                }
                _ if !value.is_empty() => {
                    sheet.write_string(row, c16, value)?;
                }
                _ => {}
            }
        }
    }
    workbook.save(path)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Realistic content

const STREETS: [&str; 6] = [
    "星沙街道",
    "湘龙街道",
    "泉塘街道",
    "榔梨街道",
    "松雅湖街道",
    "黄兴镇",
];
const ROADS: [&str; 12] = [
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
const PLACES: [&str; 10] = [
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
const CHANNELS: [&str; 4] = [
    "12345热线",
    "85252110县热线",
    "指挥调度中心",
    "网络问政平台",
];
const UNITS: [&str; 5] = [
    "执法一中队",
    "执法二中队",
    "执法三中队",
    "执法四中队",
    "执法五中队",
];
const SURNAMES: [&str; 12] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 10] = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "勇", "军"];

/// (raw category as exported, complaint text)
const MATTERS: [(&str, &str); 10] = [
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

fn phone(rng: &mut StdRng) -> String {
    let prefix = ["138", "139", "150", "151", "186", "187", "135", "177"][rng.random_range(0..8)];
    format!("{prefix}{:08}", rng.random_range(0..100_000_000u32))
}

fn name(rng: &mut StdRng) -> String {
    format!(
        "{}{}",
        SURNAMES[rng.random_range(0..SURNAMES.len())],
        GIVEN[rng.random_range(0..GIVEN.len())]
    )
}

/// How people write the same place differently: prefixes, spaces, full-width digits,
/// brackets and vague words.
fn variant(base: &str, rng: &mut StdRng) -> String {
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

fn closing(
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
        let base = format!(
            "{street}{}{}号{}",
            ROADS[srng.random_range(0..ROADS.len())],
            srng.random_range(1..400),
            PLACES[srng.random_range(0..PLACES.len())]
        );
        let (category, content) = MATTERS[srng.random_range(0..MATTERS.len())];
        let received = start + Duration::seconds(rng.random_range(0..span));
        let (status, closed_at) = closing(&mut rng, received, now);
        orders.push(Order {
            id: format!("GD{}{:07}", received.format("%Y%m%d"), i),
            received_at: Some(received),
            category: category.to_string(),
            address: variant(&base, &mut rng),
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

// ---------------------------------------------------------------------------------------
// The bundled sample: a designed scenario

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, min, 0))
        .expect("valid sample date")
}

/// A subject of the scenario: `count` complaints about one matter at one place.
struct Planned {
    category: &'static str,
    base: &'static str,
    street: &'static str,
    content: &'static str,
    first: NaiveDateTime,
    count: usize,
    every_hours: i64,
    /// How many of the last orders are still open at the end of the data.
    open_tail: usize,
}

/// The sample exports: (file name, dialect, title, orders). Their dates run from
/// November 2024 to the end of February 2025; with `--as-of 2025-02-28` they show a red
/// case still being handled, yellow and green cases under monitoring and cleared, a
/// recurring subject, special and joint handling, and rejected rows.
pub fn sample() -> Vec<(&'static str, Dialect, Option<&'static str>, Vec<Order>)> {
    let mut rng = StdRng::seed_from_u64(12345);
    let plans = [
        // Red, still in progress: 22 noise complaints in January at one mall.
        Planned {
            category: "噪音扰民",
            base: "星沙街道开元东路18号某某商场",
            street: "星沙街道",
            content: "商场夜间装修施工噪音扰民",
            first: at(2025, 1, 4, 22, 10),
            count: 22,
            every_hours: 30,
            open_tail: 3,
        },
        // Yellow, closed in January: monitoring at the end of February? No: cleared, its last
        // complaint is more than 30 days before 2025-02-28.
        Planned {
            category: "占道摆摊",
            base: "湘龙街道东四路88号阳光小区",
            street: "湘龙街道",
            content: "小区门口流动摊贩占道经营",
            first: at(2025, 1, 2, 7, 30),
            count: 12,
            every_hours: 20,
            open_tail: 0,
        },
        // Yellow, all closed, last complaint mid-February: monitoring.
        Planned {
            category: "社会生活噪声",
            base: "泉塘街道望仙路16号星城花园",
            street: "泉塘街道",
            content: "广场舞音响声音过大",
            first: at(2025, 1, 28, 19, 40),
            count: 10,
            every_hours: 40,
            open_tail: 0,
        },
        // Green, joint handling (油烟污染 is a joint category): closed, cleared.
        Planned {
            category: "餐饮油烟",
            base: "榔梨街道板仓路200号湘绣城",
            street: "榔梨街道",
            content: "餐馆油烟直排",
            first: at(2025, 1, 6, 12, 0),
            count: 6,
            every_hours: 48,
            open_tail: 0,
        },
        // Green, special handling: a gas hazard; one order still open.
        Planned {
            category: "占道经营",
            base: "松雅湖街道天华路9号金茂广场",
            street: "松雅湖街道",
            content: "夜市摊点使用燃气罐,存在安全隐患",
            first: at(2025, 2, 10, 20, 0),
            count: 5,
            every_hours: 24,
            open_tail: 1,
        },
        // Four complaints only: not a warning.
        Planned {
            category: "违章建筑",
            base: "黄兴镇凉塘路5号大塘小区",
            street: "黄兴镇",
            content: "楼顶搭建彩钢棚",
            first: at(2025, 1, 15, 9, 0),
            count: 4,
            every_hours: 72,
            open_tail: 0,
        },
        // Recurring: a green case in November 2024, quiet, then again in February 2025.
        Planned {
            category: "渣土撒漏",
            base: "星沙街道人民中路100号通程广场",
            street: "星沙街道",
            content: "渣土车沿路撒漏",
            first: at(2024, 11, 5, 8, 0),
            count: 5,
            every_hours: 36,
            open_tail: 0,
        },
        Planned {
            category: "渣土撒漏",
            base: "星沙街道人民中路100号通程广场",
            street: "星沙街道",
            content: "渣土车夜间沿路撒漏",
            first: at(2025, 2, 3, 23, 0),
            count: 6,
            every_hours: 50,
            open_tail: 0,
        },
    ];
    let data_end = at(2025, 2, 28, 18, 0);
    let mut orders: Vec<Order> = Vec::new();
    let mut seq = 0;
    let mut next_id = |t: NaiveDateTime| {
        seq += 1;
        format!("GD{}{:04}", t.format("%Y%m%d"), seq)
    };
    for plan in &plans {
        for k in 0..plan.count {
            let received = plan.first
                + Duration::hours(plan.every_hours * k as i64)
                + Duration::minutes(rng.random_range(0..50));
            let open = k + plan.open_tail >= plan.count;
            let closed_at = if open {
                None
            } else {
                Some(received + Duration::hours(rng.random_range(4..40)))
            };
            let status = if open { "处理中" } else { "已办结" };
            orders.push(Order {
                id: next_id(received),
                received_at: Some(received),
                category: plan.category.to_string(),
                address: variant(plan.base, &mut rng),
                channel: CHANNELS[rng.random_range(0..CHANNELS.len())].to_string(),
                street: plan.street.to_string(),
                community: String::new(),
                content: plan.content.to_string(),
                caller_name: name(&mut rng),
                caller_phone: phone(&mut rng),
                handler_unit: UNITS[rng.random_range(0..UNITS.len())].to_string(),
                status: status.to_string(),
                closed_at,
                related: String::new(),
                received_text: None,
            });
        }
    }
    // Background: single complaints all over the county.
    for i in 0..160 {
        let day = rng.random_range(0..118);
        let received = at(2024, 11, 3, 0, 0)
            + Duration::days(day)
            + Duration::minutes(rng.random_range(7 * 60..22 * 60));
        let (category, content) = MATTERS[rng.random_range(0..MATTERS.len())];
        let street = STREETS[rng.random_range(0..STREETS.len())];
        let base = format!(
            "{street}{}{}号",
            ROADS[rng.random_range(0..ROADS.len())],
            500 + i
        );
        let (status, closed_at) = closing(&mut rng, received, data_end);
        orders.push(Order {
            id: next_id(received),
            received_at: Some(received),
            category: category.to_string(),
            address: variant(&base, &mut rng),
            channel: CHANNELS[rng.random_range(0..CHANNELS.len())].to_string(),
            street: street.to_string(),
            community: String::new(),
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
    // A complaint about the mall filed under another wording and address, linked by the
    // platform to an earlier order: it joins the mall's case through 关联工单.
    let mall_first = orders[0].id.clone();
    let linked_at = at(2025, 1, 20, 21, 5);
    orders.push(Order {
        id: next_id(linked_at),
        received_at: Some(linked_at),
        category: "噪声扰民".into(),
        address: "开元东路与东四路交叉口商场工地".into(),
        channel: "12345热线".into(),
        street: "星沙街道".into(),
        content: "工地夜间噪音".into(),
        caller_name: name(&mut rng),
        caller_phone: phone(&mut rng),
        handler_unit: "执法一中队".into(),
        status: "已办结".into(),
        closed_at: Some(linked_at + Duration::hours(10)),
        related: mall_first,
        ..Order::default()
    });
    orders.sort_by_key(|a| a.received_at);

    let window = |from: NaiveDateTime, to: NaiveDateTime, as_of: NaiveDateTime| -> Vec<Order> {
        orders
            .iter()
            .filter(|o| o.received_at.is_some_and(|t| t >= from && t < to))
            .map(|o| {
                // What the platform showed at export time: orders closed later are open.
                let mut o = o.clone();
                if o.closed_at.is_some_and(|c| c >= as_of) {
                    o.closed_at = None;
                    o.status = "处理中".into();
                }
                o
            })
            .collect()
    };
    let first = window(
        at(2024, 11, 1, 0, 0),
        at(2025, 1, 16, 0, 0),
        at(2025, 1, 16, 9, 0),
    );
    let mut second = window(
        at(2025, 1, 1, 0, 0),
        at(2025, 2, 1, 0, 0),
        at(2025, 2, 1, 9, 0),
    );
    let mut third = window(
        at(2025, 1, 20, 0, 0),
        at(2025, 3, 1, 0, 0),
        at(2025, 3, 1, 9, 0),
    );

    // Bad rows, kept aside with their reasons on ingest.
    second.push(Order {
        id: String::new(),
        received_at: Some(at(2025, 1, 18, 10, 0)),
        category: "噪音扰民".into(),
        address: "星沙街道开元东路18号".into(),
        content: "工单编号缺失".into(),
        ..Order::default()
    });
    second.push(Order::default()); // a blank row
    third.push(Order {
        id: "GD202502209998".into(),
        received_text: Some("2025年2月30日 9时0分".into()),
        category: "占道经营".into(),
        address: "湘龙街道东四路88号".into(),
        ..Order::default()
    });
    third.push(Order {
        id: "GD202502219999".into(),
        received_at: Some(at(2025, 2, 21, 15, 0)),
        category: "油烟污染".into(),
        address: "   ".into(),
        ..Order::default()
    });
    vec![
        (
            "2025-01-上半月-12345工单导出.xlsx",
            Dialect::Xlsx,
            Some("长沙县12345热线工单导出 2024-11-01至2025-01-15"),
            first,
        ),
        ("2025-01-县热线工单.csv", Dialect::CsvGbk, None, second),
        (
            "2025-02-工单导出.csv",
            Dialect::CsvUtf8Bom,
            Some("工单导出 2025-01-20至2025-02-28"),
            third,
        ),
    ]
}
