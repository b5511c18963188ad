//! The bundled sample (sample-inputs/): a designed scenario that shows every warning tier
//! and status, a recurring subject, special and joint handling, and rejected rows.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::bulk::{
    closing, name, noise, phone, spelling, Place, CHANNELS, MATTERS, ROADS, STREETS, UNITS,
};
use super::{Dialect, Order};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, min, 0))
        .expect("valid sample date")
}

/// A subject of the scenario: `count` complaints about one matter at one place.
struct Planned {
    category: &'static str,
    place: Place<'static>,
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
            place: Place {
                street: "星沙街道",
                road: "开元东路",
                number: 18,
                name: Some("某某商场"),
            },
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
            place: Place {
                street: "湘龙街道",
                road: "东四路",
                number: 88,
                name: Some("阳光小区"),
            },
            content: "小区门口流动摊贩占道经营",
            first: at(2025, 1, 2, 7, 30),
            count: 12,
            every_hours: 20,
            open_tail: 0,
        },
        // Yellow, all closed, last complaint mid-February: monitoring.
        Planned {
            category: "社会生活噪声",
            place: Place {
                street: "泉塘街道",
                road: "望仙路",
                number: 16,
                name: Some("星城花园"),
            },
            content: "广场舞音响声音过大",
            first: at(2025, 1, 28, 19, 40),
            count: 10,
            every_hours: 40,
            open_tail: 0,
        },
        // Green, joint handling (油烟污染 is a joint category): closed, cleared.
        Planned {
            category: "餐饮油烟",
            place: Place {
                street: "榔梨街道",
                road: "板仓路",
                number: 200,
                name: Some("湘绣城"),
            },
            content: "餐馆油烟直排",
            first: at(2025, 1, 6, 12, 0),
            count: 6,
            every_hours: 48,
            open_tail: 0,
        },
        // Green, special handling: a gas hazard; one order still open.
        Planned {
            category: "占道经营",
            place: Place {
                street: "松雅湖街道",
                road: "天华路",
                number: 9,
                name: Some("金茂广场"),
            },
            content: "夜市摊点使用燃气罐,存在安全隐患",
            first: at(2025, 2, 10, 20, 0),
            count: 5,
            every_hours: 24,
            open_tail: 1,
        },
        // Four complaints only: not a warning.
        Planned {
            category: "违章建筑",
            place: Place {
                street: "黄兴镇",
                road: "凉塘路",
                number: 5,
                name: Some("大塘小区"),
            },
            content: "楼顶搭建彩钢棚",
            first: at(2025, 1, 15, 9, 0),
            count: 4,
            every_hours: 72,
            open_tail: 0,
        },
        // Recurring: a green case in November 2024, quiet, then again in February 2025.
        Planned {
            category: "渣土撒漏",
            place: Place {
                street: "星沙街道",
                road: "人民中路",
                number: 100,
                name: Some("通程广场"),
            },
            content: "渣土车沿路撒漏",
            first: at(2024, 11, 5, 8, 0),
            count: 5,
            every_hours: 36,
            open_tail: 0,
        },
        Planned {
            category: "渣土撒漏",
            place: Place {
                street: "星沙街道",
                road: "人民中路",
                number: 100,
                name: Some("通程广场"),
            },
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
                address: spelling(&plan.place, &mut rng),
                channel: CHANNELS[rng.random_range(0..CHANNELS.len())].to_string(),
                street: plan.place.street.to_string(),
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
        let place = Place {
            street,
            road: ROADS[rng.random_range(0..ROADS.len())],
            number: 500 + i,
            name: None,
        };
        let (status, closed_at) = closing(&mut rng, received, data_end);
        orders.push(Order {
            id: next_id(received),
            received_at: Some(received),
            category: category.to_string(),
            address: noise(&place.usual(), &mut rng),
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
